"""在线填报 in the core, on SQLite and PostgreSQL (`records_url`): a month saved, submitted, returned, corrected and
accepted keeps both versions and every step; the acceptance is an import (history, audit line); the grid, 及时率 and
催报 follow the deadline; a city user is refused another city and the review, in the core, with an audit line."""

from __future__ import annotations

import datetime as dt

import pytest

from scorecard import clock
from scorecard.actions.demo import build_demo
from scorecard.actions.reporting import accept_report, return_report, save_report
from scorecard.assessment import reporting
from scorecard.data import history
from scorecard.data.store import Store
from scorecard.errors import InputError
from scorecard.records import audit
from scorecard.records.reporting import steps, versions
from scorecard.records.store import RECORDS_URL_ENV, Records
from scorecard.roles import CITY, PROVINCE, AccessDenied, Principal

REPORTER, OTHER = Principal("li.tb", CITY, "220100"), Principal("zhao.tb", CITY, "220200")
REVIEWER = Principal("wang.sh", PROVINCE)


@pytest.fixture
def demo(records_url, monkeypatch, tmp_path, config):
    monkeypatch.setenv(RECORDS_URL_ENV, records_url)
    store = Store(tmp_path / "scorecard.duckdb")
    build_demo(store, config)
    return store


def december(config, store) -> dict:
    return {r.measure: r.last_month for r in reporting.form_rows(config, store, "220100", 2003, 12)}


def test_a_month_is_returned_corrected_and_accepted_keeping_both_versions(config, demo):
    typed = december(config, demo)
    with clock.fixed(dt.datetime(2004, 1, 8, 10)):
        save_report(demo, REPORTER, config, "220100", 2003, 12, typed)                 # a draft
        save_report(demo, REPORTER, config, "220100", 2003, 12, typed, submit=True)
        with pytest.raises(InputError, match="等待省级审核"):
            save_report(demo, REPORTER, config, "220100", 2003, 12, typed)
        with pytest.raises(InputError, match="退回须写明理由"):
            return_report(demo, REVIEWER, config, "220100", 2003, 12, reason=" ")
        return_report(demo, REVIEWER, config, "220100", 2003, 12, reason="征缴数与财务不符")
        typed["contributions_collected"] = 3000.5
        save_report(demo, REPORTER, config, "220100", 2003, 12, typed, submit=True)
        accepted = accept_report(demo, REVIEWER, config, "220100", 2003, 12)
        cells = reporting.grid(config, demo, 2003)
    records = Records.beside(demo.path)
    assert [(v.version, v.state) for v in versions(records, 2003)] == [(1, "退回"), (2, "已通过")]
    assert [s.action for s in steps(records, 2003)] == ["保存", "保存", "报送", "退回", "保存", "报送", "通过"]
    assert steps(records, 2003)[3].reason == "征缴数与财务不符" and steps(records, 2003)[3].who == "wang.sh"
    latest = history.imports(demo)[0]
    assert accepted.import_id == latest.import_id and latest.file_name.startswith("在线填报-220100-2003-12")
    assert latest.imported_by == "wang.sh"
    line = next(e for e in audit.entries(records, action=audit.IMPORT))
    assert "填报人li.tb" in line.detail and "审核通过人wang.sh" in line.detail
    with demo.reader() as con:
        assert con.execute("SELECT value FROM actuals WHERE year = 2003 AND month = 12 AND city = '220100' "
                           "AND measure = 'contributions_collected'").fetchone()[0] == 3000.5
    mine = {c.month: c for c in cells if c.city == "220100"}
    assert mine[12].state == reporting.ACCEPTED and mine[12].on_time and mine[11].state == reporting.IMPORTED
    rates = {t.city: t for t in reporting.timeliness(cells, dt.date(2004, 1, 8))}
    assert (rates["220100"].on_time, rates["220100"].due) == (1, 1)


def test_the_deadline_makes_a_month_overdue_and_the_city_is_reminded(config, demo):
    assert reporting.deadline(config, 2003, 12) == dt.date(2004, 1, 10)
    with clock.fixed(dt.datetime(2004, 2, 8)):  # two days before the deadline: reminded
        cells = reporting.grid(config, demo, 2004)
        january = [c for c in cells if c.month == 1]
        assert {c.state for c in january} == {reporting.NOT_REPORTED}
        assert {(c.city, c.month) for c in reporting.reminders(cells)} == {(c.code, 1) for c in config.cities}
    with clock.fixed(dt.datetime(2004, 2, 11)):
        cells = reporting.grid(config, demo, 2004)
        assert {c.state for c in cells if c.month == 1} == {reporting.OVERDUE}
        late = {t.city: t for t in reporting.timeliness(cells)}
        assert late["220100"].rate == 0.0


def test_a_city_user_is_refused_another_city_and_the_review_with_an_audit_line(config, demo):
    typed = december(config, demo)
    with pytest.raises(AccessDenied):
        save_report(demo, OTHER, config, "220100", 2003, 12, typed, submit=True)
    save_report(demo, REPORTER, config, "220100", 2003, 12, typed, submit=True)
    with pytest.raises(AccessDenied):
        accept_report(demo, REPORTER, config, "220100", 2003, 12)
    with pytest.raises(AccessDenied):
        return_report(demo, OTHER, config, "220100", 2003, 12, reason="不对")
    with pytest.raises(AccessDenied):
        save_report(demo, REVIEWER, config, "220100", 2003, 12, typed)   # the province reviews, it does not report
    denied = audit.entries(Records.beside(demo.path), action=audit.DENIED)
    assert {e.who for e in denied} == {"zhao.tb", "li.tb", "wang.sh"} and len(denied) == 4
    assert [v.state for v in versions(Records.beside(demo.path), 2003)] == ["待审"]


def test_a_hard_rule_refuses_and_a_soft_one_needs_a_note(config, demo):
    typed = december(config, demo)
    bad = typed | {"institution_insured": typed["institution_staff"] + 1}
    with pytest.raises(InputError, match="不能大于应参保职工数"):
        save_report(demo, REPORTER, config, "220100", 2003, 12, bad)
    with pytest.raises(InputError, match="不是数字"):
        save_report(demo, REPORTER, config, "220100", 2003, 12, typed | {"recipients": "很多"})
    odd = typed | {"insured_persons": typed["insured_persons"] * 2}
    with pytest.raises(InputError, match="须填写说明"):
        save_report(demo, REPORTER, config, "220100", 2003, 12, odd, submit=True)
    saved = save_report(demo, REPORTER, config, "220100", 2003, 12, odd, {"insured_persons": "并入省直单位"},
                        submit=True)
    assert saved.state == "待审" and saved.notes == {"insured_persons": "并入省直单位"}
    with pytest.raises(InputError, match="还缺"):
        save_report(demo, REPORTER, config, "220100", 2003, 11, {"recipients": "1,000"}, submit=True)
