"""The Excel workbook, read back with openpyxl."""

from __future__ import annotations

import io
import random
import re
import shutil

import duckdb
import openpyxl
import pytest
from export_support import collector_states, PROVISIONAL_MONTH, YEAR

from scorecard.report import palette
from scorecard.exports import download, excel, layout, workbook
from scorecard.assessment.fingerprint import input_fingerprint
from scorecard.formatting import round2
from scorecard.assessment.scoring import score_year
from scorecard.data.store import Store
from scorecard.config import load_config

HEADER_ROW = 3        # 1-based: title, subtitle, header


def _book(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def _rows(sheet):
    header = [cell.value for cell in sheet[HEADER_ROW]]
    return header, [row for row in sheet.iter_rows(min_row=HEADER_ROW + 1) if row[0].value is not None]


def _about(book) -> dict:
    return {row[0].value: row[1].value for row in book["说明"].iter_rows(min_row=HEADER_ROW) if row[0].value}


@pytest.mark.parametrize("month", [None, PROVISIONAL_MONTH])
def test_every_city_has_the_total_and_rank_of_score_json(demo, month):
    reference = demo.score_json(month)
    header, rows = _rows(_book(demo.document("xlsx", month))["汇总"])
    rank, name, total = header.index("名次"), header.index("市（州）"), header.index("总分")
    found = [(row[name].value, row[rank].value, row[total].value) for row in rows]
    expected = [(c["name"], c["rank"], round2(c["total"])) for c in reference["cities"]]
    assert found == expected
    assert all(isinstance(r, int) and isinstance(t, (int, float)) for _, r, t in found)


def test_numbers_are_numeric_cells_with_number_formats(demo):
    book = _book(demo.document("xlsx"))
    header, rows = _rows(book["汇总"])
    for column in ("扩面", "征缴", "加分", "加减分", "总分"):
        j = next(k for k, h in enumerate(header) if h.startswith(column))
        for row in rows:
            assert isinstance(row[j].value, (int, float)), (column, row[j].value)
            assert row[j].number_format == "0.00"
            assert row[j].value == round2(row[j].value)      # exports round to two decimals (scoring.md §4)
    change = header.index("名次变化")
    assert all(isinstance(row[change].value, int) for row in rows)
    assert rows[0][change].number_format == '"↑"0;"↓"0;"持平"'

    header, rows = _rows(book["评分明细"])
    unit, target, actual, completion = (header.index(h) for h in ("单位", "目标", "实际", "完成率"))
    points = header.index("得分")
    for row in rows:
        assert isinstance(row[target].value, (int, float))
        assert row[actual].value is None or isinstance(row[actual].value, (int, float))
        assert row[completion].value is None or isinstance(row[completion].value, (int, float))
        assert isinstance(row[points].value, (int, float)) and row[points].number_format == "0.00"
        if row[unit].value == "%":
            assert row[target].number_format == "0.0%" and 0 < row[target].value <= 1
        elif row[unit].value == "万元":
            assert row[target].number_format == "#,##0.00"


def test_details_has_every_city_and_indicator_with_the_points_of_score_json(demo):
    reference = demo.score_json()
    header, rows = _rows(_book(demo.document("xlsx"))["评分明细"])
    name, points, bonus = header.index("市（州）"), header.index("得分"), header.index("加分")
    expected = [(c["name"], round2(i["points"]), round2(i["bonus"])) for c in reference["cities"]
                for i in c["indicators"]]
    assert [(row[name].value, row[points].value, row[bonus].value) for row in rows] == expected


def test_layout_for_printing_and_reading(demo):
    book = _book(demo.document("xlsx"))
    assert book.sheetnames == ["汇总", "评分明细", "说明"]
    summary = book["汇总"]
    assert "2003年度全省失业保险工作目标责任制考评结果" in summary["A1"].value
    assert summary.freeze_panes == "C4"
    for sheet in (summary, book["评分明细"]):
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and setup.paperSize == 9
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0     # one page wide
        assert sheet.print_title_rows == "$3:$3"          # the header row repeats on every page
    assert len(summary._charts) == 1


def test_a_cell_takes_the_lines_layout_wrap_breaks_it_into():
    """cell_lines counts on a text's shape (its digits made 0): for texts of every kind of piece layout.units
    knows (numbers with signs, separators and units, letters, punctuation kept with a neighbour, blanks, newlines)
    the count is wrap's own on the text itself."""
    pieces = [*"0123456789Ab-.,%:/+ \n", "\ud800", "万元", "人次", "个月", "分", "（", "）", "，", "。", "“", "”", "完成", "°", "×"]
    rng = random.Random(16)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        width = rng.choice((6, 10, 22, 28, 40, 56))
        assert excel.cell_lines(text, width) == len(layout.wrap(text, width - 1.5, excel._cell_measure)), text


def test_grades_carry_the_palette_colours(demo):
    result = demo.result()
    header, rows = _rows(_book(demo.document("xlsx"))["汇总"])
    grade = header.index("等次")
    for city, row in zip(result.cities, rows):
        color = palette.grade_color(city.grade, demo.config.rules.grades)
        cell = row[grade]
        assert cell.value == city.grade
        assert cell.font.color.rgb.endswith(color.lstrip("#").upper())
        assert cell.fill.fgColor.rgb.endswith(palette.light(color).lstrip("#").upper())


def test_provisional_workbook_says_so_on_every_printed_page(demo):
    book = _book(demo.document("xlsx", PROVISIONAL_MONTH))
    for sheet in book:
        assert "预估" in sheet.oddHeader.right.text
        assert "预估" in sheet["A1"].value + sheet["A2"].value
    assert _about(book)["结果性质"].startswith("预估")
    final = _book(demo.document("xlsx"))
    assert all("预估" not in (sheet.oddHeader.right.text or "") for sheet in final)
    assert all("演示数据" in sheet.oddHeader.right.text for sheet in final)   # demo data is never mistaken


def test_fingerprint_tells_inputs_apart(demo, tmp_path):
    about = _about(_book(demo.document("xlsx")))
    fingerprint = about["输入指纹（SHA-256）"]
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint)
    result = demo.result()
    assert _about(_book(workbook(result, demo.config, demo.store)))["输入指纹（SHA-256）"] == fingerprint

    changed_db = tmp_path / "changed.duckdb"
    changed_db.write_bytes(demo.db.read_bytes())
    with duckdb.connect(str(changed_db)) as con:
        con.execute("UPDATE actuals SET value = value + 1 WHERE year = 2003 AND month = 3 AND city = '220500' "
                    "AND measure = 'subsidy_persons'")
    changed = Store(changed_db)
    data_changed = _about(_book(workbook(score_year(demo.config, changed, YEAR), demo.config, changed)))
    assert data_changed["输入指纹（SHA-256）"] != fingerprint
    assert data_changed["配置指纹"] == about["配置指纹"] and data_changed["数据指纹"] != about["数据指纹"]

    config_dir = tmp_path / "config"
    shutil.copytree(demo.config_dir, config_dir)
    scoring = config_dir / "scoring.yaml"
    scoring.write_text(scoring.read_text(encoding="utf-8") + "\n# 注释也算改动\n", encoding="utf-8")
    config, problems = load_config(config_dir)
    assert not problems
    config_changed = _about(_book(workbook(score_year(config, demo.store, YEAR), config, demo.store)))
    assert config_changed["输入指纹（SHA-256）"] != fingerprint and config_changed["数据指纹"] == about["数据指纹"]


def test_data_fingerprint_covers_only_the_months_used(demo, tmp_path):
    """As of June: a change in September does not touch the inputs; one in the previous year does."""
    def data_fingerprint(db):
        store = Store(db)
        return input_fingerprint(demo.config, store, score_year(demo.config, store, YEAR, PROVISIONAL_MONTH)).data

    before = data_fingerprint(demo.db)
    for month_index, changes in ((2003 * 12 + 8, False), (2002 * 12 + 11, True)):
        db = tmp_path / f"{month_index}.duckdb"
        db.write_bytes(demo.db.read_bytes())
        with duckdb.connect(str(db)) as con:
            con.execute("UPDATE actuals SET value = value + 1 WHERE year * 12 + month - 1 = $t AND city = '220100' "
                        "AND measure = 'fund_balance'", {"t": month_index})
        assert (data_fingerprint(db) != before) is changes


def test_data_fingerprint_follows_a_write_to_the_same_file(demo, tmp_path):
    """The data's digest is kept between workbooks of one database, and hashed again once the file is written."""
    db = tmp_path / "same.duckdb"
    db.write_bytes(demo.db.read_bytes())
    store = Store(db)
    result = score_year(demo.config, store, YEAR)
    first = input_fingerprint(demo.config, store, result).data
    assert input_fingerprint(demo.config, Store(db), result).data == first
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE actuals SET value = value + 1 WHERE year = 2003 AND month = 3 AND city = '220500' "
                    "AND measure = 'subsidy_persons'")
    assert input_fingerprint(demo.config, Store(db), result).data != first


def test_download_arguments_build_the_file_only_when_asked(demo):
    arguments = download("xlsx", demo.result(PROVISIONAL_MONTH), demo.config, demo.store)
    assert set(arguments) == {"data", "file_name", "mime", "disabled", "help"}
    assert callable(arguments["data"]) and not arguments["disabled"]
    assert arguments["file_name"].endswith(".xlsx") and "预估" in arguments["file_name"]
    assert arguments["mime"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert _book(arguments["data"]()).sheetnames == ["汇总", "评分明细", "说明"]


def test_the_collector_is_paused_while_the_workbook_is_built_and_the_book_leaves_no_cycles(demo, monkeypatch):
    import gc

    seen = collector_states(monkeypatch, excel, "_details")
    result = demo.result()
    assert gc.isenabled()
    workbook(result, demo.config, demo.store)
    assert seen == [False] and gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        workbook(result, demo.config, demo.store)
        assert seen == [False, False] and not gc.isenabled()     # a caller's pause is left to the caller
        gc.set_debug(gc.DEBUG_SAVEALL)      # what a collection would free: nothing of the book's, freed on return
        gc.collect()
        left = [o for o in gc.garbage if type(o).__module__.startswith("xlsxwriter")]
        assert not left, len(left)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
