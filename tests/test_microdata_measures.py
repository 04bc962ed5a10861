"""Measures from person records on cases a caseworker can read (tests/microdata/*/): the lapse buckets on their
boundary days, paid in full or not, recipients at month end, 出中心 persons brought in within N days — each
through the installed `scorecard records import` and `records derive`."""

from __future__ import annotations

import json

import pytest

from tests.cli_support import scorecard
from tests.microdata_support import case_files, expected, month_row, place

CHANGCHUN, JILIN, SIPING = "220100", "220200", "220300"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    where = place(tmp_path_factory.mktemp("measures"))
    done = where.import_(*case_files("timeliness"), *case_files("recipients"), *case_files("transitions"))
    assert done.returncode == 0, done.stderr
    return where, where.derive()


def test_on_time_in_full_and_lapse_buckets_on_their_boundary_days(imported):
    _, rows = imported
    march = month_row(rows, CHANGCHUN, 3)
    for measure, value in expected("timeliness").items():
        assert march[measure] == value, measure
    assert march["timely_payment_rate"] == pytest.approx(0.2)


def test_recipients_at_month_end(imported):
    _, rows = imported
    want = expected("recipients")["recipients"]
    got = {r["month"]: r["recipients"] for r in rows if r["city"] == JILIN}
    assert {m: got.get(m, 0) for m in want} == want


def test_transition_persons_brought_in_within_the_configured_days(imported):
    _, rows = imported
    june = month_row(rows, SIPING, 6)
    for measure, value in expected("transitions").items():
        assert june[measure] == value, measure


def test_the_days_come_from_records_yaml(imported, config_dir):
    where, _ = imported
    (config_dir / "records.yaml").write_text("transition_enrol_days: 31\n", encoding="utf-8")
    done = scorecard("--config", config_dir, "--db", where.db, "records", "derive", "--year", 2003, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert month_row(json.loads(done.stdout)["rows"], SIPING, 6)["transition_enrolled"] == 3


def test_the_table_shows_the_rate_in_chinese(imported):
    where, _ = imported
    done = where.run("derive", "--year", 2003)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("长春市") and " 3月" in line)
    assert "20.0%" in line


def test_a_wrong_records_yaml_is_said_with_its_line(imported, config_dir):
    where, _ = imported
    (config_dir / "records.yaml").write_text("transition_enrol_days: 30\nminimum_wages:\n"
                                             "  \"220100\": [{from: 2003-07-01, amount: 390}, {from: 2002-07-01, amount: 360}]\n",
                                             encoding="utf-8")
    done = scorecard("--config", config_dir, "--db", where.db, "records", "derive", "--year", 2003)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "records.yaml:2: 个人记录设置中市州220100的最低工资标准应按执行日期（from）从早到晚排列" in done.stderr


def test_validate_checks_records_yaml_too(config_dir):
    (config_dir / "records.yaml").write_text("transition_enrol_days: -1\n", encoding="utf-8")
    done = scorecard("--config", config_dir, "validate")
    assert done.returncode == 1
    assert "records.yaml:1: 个人记录设置的“transition_enrol_days”不能小于0" in done.stderr
