"""在线填报 in headless Chromium against a live server, the whole loop: a 长春市 reporter enters December 2003 with
one soft 审核公式 explained; the province returns it with a reason; the reporter corrects and resubmits; the province
accepts; the score changes, and the 报送 grid and 报表及时率 follow. No exception on any page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from conftest import copy_config, session_token, writable_copy
from live_server import Visit, streamlit_server

from scorecard import clock
from scorecard.assessment.scoring import score_year
from scorecard.data.store import Store
from scorecard.records.reporting import versions
from scorecard.records.store import Records

pytestmark = pytest.mark.browser
NOW = "2004-01-20T09:00"   # after the shipped decisions, before December's deadline in this test's config
TITLE = "在线填报"
SHOTS = Path(__file__).resolve().parent.parent / "screenshots"


def _december(db: Path, config) -> dict[str, float]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT measure, value FROM actuals WHERE year = 2003 AND month = 12 AND city = '220100'")
        return dict(rows.fetchall())
    finally:
        con.close()


def _total(config, db: Path) -> float:
    with clock.fixed(dt.datetime.fromisoformat(NOW)):
        return next(c.total for c in score_year(config, Store(db), 2003, 12).cities if c.code == "220100")


def _ok(visit: Visit) -> str:
    visit.settle(TITLE)
    assert visit.page.locator('[data-testid="stException"]').count() == 0, visit.text()
    return visit.text()


def _click(visit: Visit, name: str, shows: str) -> str:
    """Click a button and wait until the page says `shows`: the rerun a click starts may begin after a fixed pause,
    and the page then settles on what it drew before (seen twice, once on a quiet machine)."""
    visit.page.get_by_role("button", name=name, exact=True).click()
    visit.page.wait_for_function("text => document.querySelector('[data-testid=stMain]').innerText.includes(text)",
                                 arg=shows, timeout=30_000)
    return _ok(visit)


def _fill(visit: Visit, label: str, value) -> None:
    visit.page.get_by_label(label, exact=True).fill(str(value))


def _row(text: str, name: str) -> str:
    """The 报送 grid's row of a city (its months before December were imported directly)."""
    return next(line for line in text.splitlines() if line.startswith(name) and "已导入" in line)


def test_a_month_is_entered_returned_corrected_and_accepted(browser, config, demo_db, tmp_path,
                                                           monkeypatch):
    monkeypatch.setenv(clock.ENV, NOW)
    folder = copy_config(tmp_path / "config")
    rules = folder / "scoring.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "report_deadline_day: 10" in text  # the shipped deadline, moved to the 25th for this test
    rules.write_text(text.replace("report_deadline_day: 10", "report_deadline_day: 25"), encoding="utf-8")
    db = writable_copy(demo_db, tmp_path)
    figures = _december(db, config)
    before = _total(config, db)
    city, province = session_token(db, "市州", "220100"), session_token(db, "省级")
    with streamlit_server(folder, db) as url:
        reporter, reviewer = Visit(browser, f"{url}/reporting", city), Visit(browser, f"{url}/reporting", province)
        try:
            text = _ok(reviewer)
            assert "长春市" in text and "—（尚无应报月份）" in _row(text.replace("\t", " "), "长春市")
            text = _ok(reporter)
            assert "长春市2003年12月数据填报" in text and "口径：当月实际到账的失业保险费，不含清欠" in text
            for code, value in figures.items():
                measure = config.measures[code]
                _fill(reporter, f"{measure.name}（{measure.unit}）", value)
            _fill(reporter, "月末参保人数（人）", round(figures["insured_persons"] * 1.5))   # a soft rule: +50 %
            _fill(reporter, "实缴失业保险费（万元）", round(figures["contributions_collected"] * 1.2, 2))
            text = _click(reporter, "报送", "须填写说明后才能报送")
            assert "须填写说明后才能报送" in text and "月末参保人数比上月" in text
            reporter.page.get_by_label("说明：", exact=False).fill("年末并入省直单位参保职工")
            text = _click(reporter, "报送", "已报送，等待省级审核")
            assert "已报送，等待省级审核" in text and "第1版：待审" in text

            reviewer.page.reload()
            text = _ok(reviewer)
            assert "年末并入省直单位参保职工" in text and "待审" in text
            _fill(reviewer, "退回理由（退回时必填）", "实缴失业保险费与财务报表不符")
            text = _click(reviewer, "退回", "已退回")
            assert "已退回" in text and "退回" in _row(text.replace("\t", " "), "长春市")

            reporter.page.reload()
            text = _ok(reporter)
            assert "退回理由：实缴失业保险费与财务报表不符" in text
            _fill(reporter, "实缴失业保险费（万元）", round(figures["contributions_collected"] * 1.1, 2))
            text = _click(reporter, "报送", "第2版：待审")
            assert "已报送，等待省级审核" in text and "第2版：待审" in text

            reviewer.page.reload()
            _ok(reviewer)
            text = _click(reviewer, "通过", "已审核通过，数据已写入数据库")
            assert "已审核通过，数据已写入数据库" in text
            row = _row(text.replace("\t", " "), "长春市")
            assert "已通过" in row and "100.0%（1/1）" in row, row
            SHOTS.mkdir(exist_ok=True)
            reviewer.screenshot(SHOTS / "reporting-province.png")
            reporter.page.reload()
            _ok(reporter)
            reporter.screenshot(SHOTS / "reporting-city.png")
            for visit in (reporter, reviewer):
                assert not visit.errors, visit.errors
        finally:
            reporter.close()
            reviewer.close()
    after = _total(config, db)
    assert after > before  # 实缴 up by a tenth: the collection indicators score more
    kept = versions(Records.beside(db), 2003, "220100")
    assert [(v.version, v.state) for v in kept] == [(1, "退回"), (2, "已通过")]
    assert kept[0].figures["contributions_collected"] != kept[1].figures["contributions_collected"]
    assert kept[1].notes == {"insured_persons": "年末并入省直单位参保职工"}
    assert _december(db, config)["contributions_collected"] == round(figures["contributions_collected"] * 1.1, 2)
