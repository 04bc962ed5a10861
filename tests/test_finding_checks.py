"""核查 of the rule findings (issue 17 §3): a caseworker's outcome recorded and audited through the installed
`scorecard records verify`, shown by `records check`; 违规领取金额占比 counts the payments of findings not found
untrue, each payment once; the deduction offered for confirmed findings; refusals audited. On the caseworker's
cases of tests/microdata/checks/ (长春市: 42 payments of 240元 = 10,080元; findings 720 + 960 + 1,440 元)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from scorecard.actions.finding_checks import record_outcome
from scorecard.assessment.person_findings import CheckedFinding, by_city, suggestions
from scorecard.config import load_config
from scorecard.data.store import Store
from scorecard.errors import InputError
from scorecard.microdata.findings import Finding
from scorecard.records import audit
from scorecard.records.store import Records
from scorecard.roles import CITY_REPORT, CITY_VIEW, PROVINCE_REVIEW, AccessDenied, Principal
from tests.cli_support import scorecard
from tests.microdata_support import case_files, place

CHANGCHUN = "220100"


@pytest.fixture
def where(tmp_path):
    where = place(tmp_path)
    done = where.import_(*case_files("checks"))
    assert done.returncode == 0, done.stderr
    return where


def run(where, *args, user="wang.hc"):
    return scorecard("--db", where.db, "--user", user, "records", *args,
                     env={"SCORECARD_PERSON_KEY": str(where.key)})


def checked(where) -> dict:
    done = run(where, "check", "--year", 2003, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def key_of(found: dict, name: str) -> str:
    return next(f["key"] for f in found["findings"] if f["person_name"] == name)


def test_an_outcome_is_recorded_audited_and_shown(where):
    before = checked(where)
    assert {f["status"] for f in before["findings"]} == {"待核查"}
    city = next(c for c in before["cities"] if c["city"] == CHANGCHUN)
    assert (city["paid_amount"], city["improper_amount"]) == (10080.0, 3120.0)
    assert city["improper_share"] == pytest.approx(3120 / 10080, abs=1e-12)

    done = run(where, "verify", "--year", 2003, "--finding", key_of(before, "李执照"), "--outcome", "不属实",
               "--note", "营业执照已于2003年2月注销，经社区核实未经营")
    assert done.returncode == 0, done.stderr
    assert "不属实" in done.stdout
    done = run(where, "verify", "--year", 2003, "--finding", key_of(before, "赵自愿"), "--outcome", "属实")
    assert done.returncode == 0, done.stderr

    after = checked(where)
    status = {f["person_name"]: f["status"] for f in after["findings"]}
    assert (status["李执照"], status["赵自愿"], status["王三月"]) == ("不属实", "属实", "待核查")
    city = next(c for c in after["cities"] if c["city"] == CHANGCHUN)
    assert (city["pending"], city["confirmed"], city["not_confirmed"]) == (after_pending(after), 1, 1)
    assert city["improper_amount"] == 2160.0           # 李执照's 960 no longer counted
    assert city["improper_share"] == pytest.approx(2160 / 10080, abs=1e-12)
    logged = audit.entries(Records.beside(where.db), action=audit.FINDING_CHECK)
    assert len(logged) == 2 and all(e.who == "wang.hc" and e.outcome == audit.SUCCEEDED for e in logged)
    assert any("营业执照已于2003年2月注销" in e.detail for e in logged)
    table = run(where, "check", "--year", 2003)
    assert "违规领取金额占比" in table.stdout and "21.43%" in table.stdout


def after_pending(found: dict) -> int:
    return sum(f["status"] == "待核查" and f["city"] == CHANGCHUN for f in found["findings"])


def test_not_confirmed_needs_a_reason_and_a_wrong_key_is_said(where):
    key = key_of(checked(where), "李执照")
    for args, said in ((("--finding", key, "--outcome", "不属实"), "须写明理由"),
                       (("--finding", "隐性就业:0000:工资:2003-01", "--outcome", "属实"), "没有这条检查发现"),
                       (("--finding", key, "--outcome", "核实"), "的值“核实”无效")):
        done = run(where, "verify", "--year", 2003, *args)
        assert done.returncode != 0 and "Traceback" not in done.stderr
        assert said in done.stderr, done.stderr
    assert not audit.entries(Records.beside(where.db), action=audit.FINDING_CHECK)
    assert {f["status"] for f in checked(where)["findings"]} == {"待核查"}


def test_a_city_viewer_is_refused_and_the_refusal_audited(where):
    config = load_config(Path("config"))[0]
    store = Store(where.db)
    key = key_of(checked(where), "王三月")
    with pytest.raises(AccessDenied):
        record_outcome(store, Principal("li.si", CITY_VIEW, CHANGCHUN), config, 2003, key, "属实")
    refused = audit.entries(Records.beside(where.db), action=audit.DENIED)
    assert refused and "登记规则核查结果" in refused[-1].detail and refused[-1].outcome == audit.REFUSED
    with pytest.raises(InputError, match="没有这条检查发现"):      # another city's reporter does not see it
        record_outcome(store, Principal("zhang", CITY_REPORT, "220300"), config, 2003, key, "属实")
    saved = record_outcome(store, Principal("chen", CITY_REPORT, CHANGCHUN), config, 2003, key, "属实")
    assert (saved.city, saved.outcome, saved.author) == (CHANGCHUN, "属实", "chen")


def _finding(key, rule, payments):
    return Finding(rule, key, CHANGCHUN, "abcd", "某某", sum(p[2] for p in payments), ("依据",), tuple(payments))


def test_a_payment_in_two_findings_is_counted_once_and_confirmed_ones_are_offered_as_a_deduction(config_dir):
    config = load_config(config_dir)[0]
    may = dt.date(2003, 5, 1)
    both = [("C1", may, 240.0)]
    check = lambda outcome: type("Check", (), {"outcome": outcome, "created_at": dt.datetime(2003, 9, 2, 10), "note": None})()  # noqa: E731
    rows = [CheckedFinding(CHANGCHUN, _finding("ineligible:abcd:C1", "ineligible", both), check("属实")),
            CheckedFinding(CHANGCHUN, _finding("hidden_employment:abcd:licence:2003-02-01", "hidden_employment",
                                    [*both, ("C1", dt.date(2003, 6, 1), 240.0)]), check("属实")),
            CheckedFinding(CHANGCHUN, _finding("late_enrolment:abcd:2003-03-31", "late_enrolment", []), None)]
    province = Principal("zhao", PROVINCE_REVIEW)
    [city] = by_city(config, rows, {CHANGCHUN: 4800.0}, province)
    assert (city.found, city.pending, city.confirmed, city.improper_amount) == (3, 1, 2, 480.0)
    assert city.improper_share == pytest.approx(0.1)
    [offer] = suggestions(config, 2003, rows, [city])
    assert offer.points == -0.4 and offer.date == dt.date(2003, 9, 2)
    assert "属实2起" in offer.reason and "违规领取金额占比10.00%" in offer.facts
    (config_dir / "records.yaml").write_text("deductions: {per_finding: 1.5, most: 2}\n", encoding="utf-8")
    [capped] = suggestions(load_config(config_dir)[0], 2003, rows, [city])
    assert capped.points == -2
