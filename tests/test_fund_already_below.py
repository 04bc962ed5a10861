"""A city already below the warning line is 已低于预警线, never "foreseen" (scoring.md §7, interfaces.md).

In the demo, 辽源市 is red from October 2003 (1.70, 1.38, 1.01 months) and its projection stays below the line;
it used to be shown as 预计1个月后低于预警线. The forward look is for the cities not yet below: September's
amber 辽源市 (2.09 months) is foreseen one month ahead.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from export_support import need_fonts
from test_pages import goto, table_with

from scorecard.config import WarningRules
from scorecard.assessment.fund import RED, assess
from scorecard.assessment.warning_duty import duty_reason, must_report

SCORECARD = Path(sys.executable).with_name("scorecard")
LIAOYUAN = "220400"


def scorecard(config_dir, db, *args) -> subprocess.CompletedProcess:
    done = subprocess.run([str(SCORECARD), "--config", str(config_dir), "--db", str(db), *map(str, args)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def warn_json(config_dir, db, month: int) -> dict:
    return {c["city"]: c for c in json.loads(scorecard(config_dir, db, "warn", "--year", 2003, "--month", month,
                                                       "--format", "json").stdout)["cities"]}


@pytest.mark.parametrize("month", [10, 11, 12])
def test_json_says_zero_months_for_a_city_already_below(shipped_config_dir, demo_db, month):
    cities = warn_json(shipped_config_dir, demo_db, month)
    liaoyuan = cities[LIAOYUAN]
    assert liaoyuan["level"] == "red" and liaoyuan["capacity_months"] < 2
    assert liaoyuan["months_to_threshold"] == 0
    for city in cities.values():
        assert (city["months_to_threshold"] == 0) == (city["level"] == "red"), city


def test_json_still_foresees_a_city_not_yet_below(shipped_config_dir, demo_db):
    liaoyuan = warn_json(shipped_config_dir, demo_db, 9)[LIAOYUAN]
    assert (liaoyuan["level"], liaoyuan["months_to_threshold"]) == ("amber", 1)


def test_warn_table_says_already_below(shipped_config_dir, demo_db):
    table = scorecard(shipped_config_dir, demo_db, "warn", "--year", 2003, "--month", 12).stdout
    row = next(line for line in table.splitlines() if line.startswith("辽源市"))
    assert "已低于预警线" in row and "预计" not in row, row
    ahead = scorecard(shipped_config_dir, demo_db, "warn", "--year", 2003, "--month", 9).stdout
    assert "预计1个月后低于预警线" in next(line for line in ahead.splitlines() if line.startswith("辽源市"))


def test_a_red_city_without_a_projection_is_already_below_too():
    """No month with both income and expenditure: no forward look, yet the city is below the line now."""
    status = assess(LIAOYUAN, "辽源市", 2003 * 12 + 11, (None, 100.0, 150.0, 100.0, 12, None), WarningRules())
    assert status.level == RED and status.projection == () and status.months_to_threshold == 0
    assert duty_reason(status) == "已低于预警线（可支付1.50个月）" and must_report([status]) == [status]


def test_fund_page_shows_already_below_and_not_a_forecast(shipped_config_dir, demo_db, open_app):
    app = open_app(shipped_config_dir, demo_db, {"year": "2003", "month": "12", "city": LIAOYUAN})
    goto(app, "fund")
    cities = table_with(app, "提前预警")
    row = cities[cities["市州"] == "辽源市"].iloc[0]
    assert row["提前预警"] == "已低于预警线"
    due = table_with(app, "须报告原因")
    assert list(due["须报告原因"]) == ["已低于预警线（可支付1.01个月）"]
    texts = "\n".join(str(e.value) for kind in ("markdown", "caption") for e in getattr(app, kind))
    assert "预计1个月后低于预警线" not in texts


def test_warning_letter_of_a_city_already_below(shipped_config_dir, demo_db, tmp_path):
    need_fonts()
    out = tmp_path / "letter.docx"
    scorecard(shipped_config_dir, demo_db, "warn-letter", "--city", "辽源", "--year", 2003, "--month", 12,
              "--format", "docx", "--out", out)
    document = docx.Document(io.BytesIO(out.read_bytes()))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "支付能力低于预警线的报告" in text
    assert "预计1个月后" not in text and "个月后低于预警线" not in text, text
