"""The charts dashboard/drawn.py writes: what the page's CSS decides from (the pages' tests read their figures)."""

from __future__ import annotations

from dashboard import drawn


def grid_of(columns: int) -> str:
    return drawn.grid("各指标完成率", [], [f"市{k}" for k in range(columns)],
                      [("扩面", [drawn.Cell("不考核", "#eee", "#888", "") for _ in range(columns)])])


def bars_of(columns: int) -> str:
    return drawn.bars("总分", [drawn.Bar(f"22{k:04d}", f"市{k}", 90.0, "#2e7d32", "90.00\n不合格", "")
                               for k in range(columns)], [], 110.0, "分")


def test_the_names_of_many_columns_are_written_downwards():
    for chart in (grid_of, bars_of):
        assert "sc-crowded" not in chart(drawn.CROWDED) and "sc-crowded" in chart(drawn.CROWDED + 1)


def test_a_text_fits_by_its_width_a_chinese_character_two_half_widths():
    assert "--n:6" in grid_of(1)          # 不考核
    assert "--n:6" in bars_of(1)          # 不合格 is wider than 90.00
