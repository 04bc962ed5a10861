"""Dated decisions (scoring.md §4): a provisional result counts only the adjustments and vetoes decided by then.

The shipped 2003 assessment: 四平市 −2 decided at the year-end meeting (2004-01-12), 松原市 +1 decided on
2003-09-18, 白山市's veto found on 2003-11-24. The June 预估 used to include all three.
The scoring rule itself is the case tests/cases/decision_dates.yaml; here: the installed CLI, the checks of the
file, the pages and documents that show each decision with its date, and the suggested adjustment of the fund
warning.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest
import yaml
from conftest import writable_copy
from export_support import need_fonts
from test_pages import goto, page_text, table_with

from scorecard.data.store import Store
from scorecard.config import load_config
from scorecard.assessment.warning_duty import open_suggestions, red_episodes, suggestions

SCORECARD = Path(sys.executable).with_name("scorecard")
SIPING, BAISHAN, SONGYUAN, LIAOYUAN = "220300", "220600", "220700", "220400"


def scorecard(config_dir, db, *args, ok=True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(SCORECARD), "--config", str(config_dir), "--db", str(db), *map(str, args)],
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr and "内部错误" not in done.stderr, done.stderr
    if ok:
        assert done.returncode == 0, done.stderr
    return done


def scored(config_dir, db, month: int) -> dict:
    done = scorecard(config_dir, db, "score", "--year", 2003, "--month", month, "--format", "json")
    return {c["city"]: c for c in json.loads(done.stdout)["cities"]}


@pytest.mark.parametrize("month,siping,songyuan,baishan", [
    (6, 0, 0, []),
    (9, 0, 1, []),
    (11, 0, 1, ["拖欠失业保险金"]),
    (12, -2, 1, ["拖欠失业保险金"]),
])
def test_a_result_counts_the_decisions_made_by_its_month(shipped_config_dir, demo_db, month, siping, songyuan,
                                                          baishan):
    cities = scored(shipped_config_dir, demo_db, month)
    assert cities[SIPING]["adjustment"] == siping
    assert cities[SONGYUAN]["adjustment"] == songyuan
    assert cities[BAISHAN]["veto"] == baishan
    assert (cities[BAISHAN]["grade"] == "不合格") == bool(baishan)


def test_the_previous_year_is_its_final_result(shipped_config_dir, demo_db):
    """Rank change compares with 2002's final ranks: 白城市's −1 of the January 2003 meeting counts there."""
    final_2002 = {c["city"]: c for c in json.loads(scorecard(shipped_config_dir, demo_db, "score", "--year", 2002,
                                                             "--month", 12, "--format", "json").stdout)["cities"]}
    assert final_2002["220800"]["adjustment"] == -1
    june_2003 = scored(shipped_config_dir, demo_db, 6)
    for code, city in june_2003.items():
        assert city["rank_change"] == final_2002[code]["rank"] - city["rank"]


@pytest.mark.parametrize("written,phrases", [
    ('"2003-11-24"', ("去掉引号", "date: 2003-11-24")),
    ("11月24日", ("无法识别", "2003-11-20")),
    ("2003-11-31", ("不是日历上的日期",)),
    ("2999-01-01", ("晚于今天",)),
])
def test_a_date_that_is_not_a_day_is_refused_at_its_line(config_dir, demo_db, written, phrases):
    path = config_dir / "assessments" / "2003.yaml"
    text = path.read_text(encoding="utf-8")
    assert "date: 2003-11-24" in text
    path.write_text(text.replace("date: 2003-11-24", f"date: {written}"), encoding="utf-8")
    line = next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if written in row)
    done = scorecard(config_dir, demo_db, "validate", ok=False)
    assert done.returncode == 1
    shown = [row for row in done.stderr.splitlines() if row.startswith(f"{path}:{line}: ")]
    assert shown, done.stderr
    for phrase in phrases:
        assert any(phrase in row for row in shown), shown


def test_assessment_page_shows_each_decision_with_its_date_and_whether_it_counts(shipped_config_dir, demo_db,
                                                                                 open_app):
    app = open_app(shipped_config_dir, demo_db, {"year": "2003", "month": "6", "city": BAISHAN})
    goto(app, "assessment")
    adjustments = table_with(app, "原因").set_index("市州")
    assert adjustments.loc["四平市", "认定日期"] == "2004年1月12日"
    assert adjustments.loc["四平市", "计入"] == "年终结果计入（截至6月未计入）"
    assert adjustments.loc["松原市", "计入"] == "9月起计入（截至6月未计入）"
    vetoes = table_with(app, "否决事项").set_index("市州")
    assert vetoes.loc["白山市", "认定日期"] == "2003年11月24日"
    assert vetoes.loc["白山市", "计入"] == "11月起计入（截至6月未计入）"
    totals = table_with(app, "总分").set_index("市州")
    assert totals.loc["白山市", "一票否决"] == "—" and totals.loc["四平市", "加减分"] == "0.00"
    assert "截至6月尚未计入：一票否决：拖欠失业保险金" in page_text(app)

    december = open_app(shipped_config_dir, demo_db, {"year": "2003", "month": "12", "city": BAISHAN})
    goto(december, "assessment")
    assert set(table_with(december, "否决事项")["计入"]) == {"已计入"}
    assert "尚未计入：" not in page_text(december)


def _docx_text(path: Path) -> str:
    document = docx.Document(io.BytesIO(path.read_bytes()))
    return "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])


def test_the_june_circular_names_the_decisions_not_yet_counted(shipped_config_dir, demo_db, tmp_path):
    need_fonts()
    demo_db = writable_copy(demo_db, tmp_path)  # an export adds its line to the audit log
    out = tmp_path / "circular.docx"
    scorecard(shipped_config_dir, demo_db, "export", "--year", 2003, "--month", 6, "--format", "docx", "--out", out)
    text = _docx_text(out)
    assert "白山市因拖欠失业保险金" not in text          # not vetoed as of June
    assert "尚未计入" in text and "四平市未按时报送12月统计报表，扣2.00分（2004年1月12日认定）" in text
    assert "白山市一票否决：拖欠失业保险金（11月延迟发放失业保险金3天，涉及412人；2003年11月24日认定）" in text

    final = tmp_path / "final.docx"
    scorecard(shipped_config_dir, demo_db, "export", "--year", 2003, "--month", 12, "--format", "docx", "--out",
              final)
    text = _docx_text(final)
    assert "尚未计入" not in text and "白山市因拖欠失业保险金" in text
    assert "四平市未按时报送12月统计报表，扣2.00分（2004年1月12日认定）" in text


def test_the_suggested_adjustment_is_dated_and_counts_from_its_date(config, demo_db, config_dir):
    store = Store(demo_db)
    with store.reader() as con:
        episodes = red_episodes(config, con, store, 2003, 12)
    [offer] = suggestions(config, 2003, episodes)
    line = offer.as_yaml()
    assert line.endswith("date: 2003-11-11}")  # the day after the deadline (10 November) the report missed
    path = config_dir / "assessments" / "2003.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("veto:", line + "\nveto:"), encoding="utf-8")
    loaded, problems = load_config(config_dir)
    assert not problems, problems
    assert open_suggestions(loaded, 2003, episodes) == []
    assert scored(config_dir, demo_db, 10)[LIAOYUAN]["adjustment"] == 0
    assert scored(config_dir, demo_db, 11)[LIAOYUAN]["adjustment"] == offer.points
    assert yaml.safe_load(line)[0]["date"].isoformat() == "2003-11-11"
