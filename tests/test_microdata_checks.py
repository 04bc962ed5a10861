"""The notice's rules checked on person records (issue 17 §3), on cases a caseworker can read
(tests/microdata/checks/, tests/microdata/transitions/): exactly 3 months at exactly the minimum wage is hidden
employment, 2 months, a gap month or a wage a cent below is not; a licence before a paid period is, one after the
last is not; a claim paid on an excluded separation reason; 出中心 persons not brought in within 30 days. Through the
installed `scorecard records check`; the workbook read back, names masked for a 市州查看 role."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scorecard.assessment.person_findings import by_city, checked as checked_findings, paid_amounts
from scorecard.config import load_config
from scorecard.data.store import Store
from scorecard.exports.findings import findings_workbook
from scorecard.roles import CITY_VIEW, PROVINCE_REVIEW, Principal
from tests.cli_support import scorecard
from tests.microdata_support import case_files, expected, place


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    where = place(tmp_path_factory.mktemp("checks"))
    done = where.import_(*case_files("checks"), *case_files("transitions"))
    assert done.returncode == 0, done.stderr
    done = where.run("check", "--year", 2003, "--format", "json")
    assert done.returncode == 0, done.stderr
    return where, json.loads(done.stdout)["findings"]


def by_rule(found, rule):
    return {f["person_name"]: f["amount"] for f in found if f["rule"] == rule}


def test_each_rule_finds_its_cases_and_no_others(checked):
    _, found = checked
    want = expected("checks")
    assert by_rule(found, "ineligible") == want["ineligible"]
    assert by_rule(found, "hidden_employment") == want["hidden_employment"]
    assert not {f["person_name"] for f in found} & set(want["not_found"])
    assert set(by_rule(found, "late_enrolment")) == {"郑三", "郑四"}     # day 31, and no claim at all


def test_each_finding_says_its_evidence(checked):
    _, found = checked
    wages = next(f for f in found if f["person_name"] == "王三月")
    assert wages["evidence"][0] == "领取失业保险金期间连续3个月有不低于最低工资的缴费工资记录"
    assert "2003年2月 单位EW3 缴费工资360.00元（最低工资360.00元）" in wages["evidence"]
    late = next(f for f in found if f["person_name"] == "郑三")
    assert late["evidence"][1] == "2003年7月31日才核准申领，用了31天"
    assert len({f["key"] for f in found}) == len(found)


def test_one_rule_at_a_time_and_the_same_keys_on_a_second_run(checked):
    where, found = checked
    done = where.run("check", "--year", 2003, "--rule", "late_enrolment", "--format", "json")
    assert done.returncode == 0, done.stderr
    again = json.loads(done.stdout)["findings"]
    assert [f["key"] for f in again] == [f["key"] for f in found if f["rule"] == "late_enrolment"]


def workbook(where, principal):
    config = load_config(Path("config"))[0]
    store = Store(where.db)
    rows = checked_findings(store, config, 2003, principal)
    cities = by_city(config, rows, paid_amounts(store, config, 2003), principal)
    return load_workbook(io.BytesIO(findings_workbook(rows, cities, 2003)))


def test_the_workbook_masks_names_for_a_city_viewer(checked, tmp_path):
    where, _ = checked
    city = workbook(where, Principal("li.si", CITY_VIEW, "220100"))
    shown = [row[2] for row in city["领取期间已就业（隐性就业）"].iter_rows(min_row=4, values_only=True)]
    assert sorted(shown) == ["李*照", "王*月"]
    assert [row[0] for row in city["汇总"].iter_rows(min_row=4, max_row=4, values_only=True)] == ["长春市"]
    assert workbook(where, Principal("li.si", CITY_VIEW, "220200"))["汇总"]["A4"].value != "长春市"
    review = workbook(where, Principal("zhao", PROVINCE_REVIEW))
    assert "王三月" in [row[2] for row in review["领取期间已就业（隐性就业）"].iter_rows(min_row=4, values_only=True)]
    out = tmp_path / "规则检查.xlsx"
    done = where.run("check", "--year", 2003, "--format", "xlsx", "--out", out)
    assert done.returncode == 0, done.stderr
    summary = list(load_workbook(out)["汇总"].iter_rows(values_only=True))
    below = next(k for k, row in enumerate(summary) if row[0] == "按检查规则")
    assert [row[1] for row in summary[below + 2:] if row[1]] == [
        "不符合领取条件仍发放", "领取期间已就业（隐性就业）", "出中心人员未及时纳入失业保险"]


def test_a_city_without_a_minimum_wage_is_said_in_chinese(checked, config_dir):
    where, _ = checked
    (config_dir / "records.yaml").write_text("minimum_wages:\n  \"220200\": [{from: 2002-07-01, amount: 360}]\n",
                                             encoding="utf-8")
    done = scorecard("--config", config_dir, "--db", where.db, "records", "check", "--year", 2003,
                     env={"SCORECARD_PERSON_KEY": str(where.key)})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "没有这些市州、月份的最低工资标准" in done.stderr and "220100" in done.stderr


def test_a_minimum_wage_for_a_city_that_is_not_configured_is_said_with_its_line(config_dir):
    """A mistyped city code in records.yaml would leave the real city without a minimum wage: `validate` says so."""
    (config_dir / "records.yaml").write_text("minimum_wages:\n  \"220100\": [{from: 2002-07-01, amount: 360}]\n"
                                             "  \"220900\": [{from: 2002-07-01, amount: 360}]\n", encoding="utf-8")
    done = scorecard("--config", config_dir, "validate")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "records.yaml:3: 最低工资标准中的“220900”不是 cities.yaml 中的市州" in done.stderr, done.stderr
