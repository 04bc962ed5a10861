"""The duty to report a fund below two months: records with history (written through the actions layer, with
their audit lines), episodes, flags and suggestions."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml

from conftest import SHIPPED_CONFIG
from scorecard.actions.demo import build_demo
from scorecard.errors import InputError
from scorecard.assessment.fund import fund_statuses
from scorecard.data.store import Store
from scorecard.config import load_config
from scorecard.actions.warnings import correct_report, record_report
from scorecard.records import audit
from scorecard.records.store import Records
from scorecard.records.warning_reports import current_reports, report_versions
from scorecard.roles import CITY, AccessDenied, Principal, operator
from scorecard.actions.decisions import add_decision, withdraw_decision
from scorecard.assessment.warning_duty import must_report, offers, open_suggestions, red_episodes, suggestions

LIAOYUAN = "220400"
BY = operator("省社保局")


@pytest.fixture(scope="module")
def config():
    config, problems = load_config(SHIPPED_CONFIG)
    assert not problems
    return config


@pytest.fixture
def store(config, tmp_path):
    """The demo database: 辽源市 is red from October 2003 and filed with the province four days late."""
    store = Store(tmp_path / "demo.duckdb")
    build_demo(store, config)
    return store


def episodes(config, store, month=12, today=None):
    with store.reader() as con:
        return red_episodes(config, con, store, 2003, month, today=today)


def test_a_city_crossing_the_line_must_report_from_the_right_month(config, store):
    with store.reader() as con:
        statuses = fund_statuses(config, con, store, 2003, 1, 12)
    listed = {s.month for s in must_report(statuses) if s.city == LIAOYUAN}
    red = {s.month for s in statuses if s.city == LIAOYUAN and s.level == "red"}
    assert min(red) == 10
    # projected to fall below the line within three months from September on
    assert listed == set(range(9, 13))
    assert all(s.city == LIAOYUAN for s in must_report(statuses))


def test_late_filing_is_flagged_and_offered_as_a_suggestion(config, store):
    [episode] = episodes(config, store)
    assert episode.city == LIAOYUAN and episode.months == ((2003, 10), (2003, 11), (2003, 12))
    assert episode.deadline == dt.date(2003, 11, 10)
    assert episode.flagged and "2003-11-14才报省备案" in episode.problem
    [offer] = suggestions(config, 2003, [episode])
    assert offer.points == -2 and offer.city == LIAOYUAN


def test_a_correction_keeps_the_history_and_clears_the_flag(config, store):
    [report] = current_reports_of(store)
    corrected = correct_report(store, BY, config, report.report_id, filed_province=dt.date(2003, 11, 9))
    assert corrected.version == 2
    versions = report_versions(Records.beside(store.path))
    assert [(v.version, v.filed_province) for v in versions] == [(1, dt.date(2003, 11, 14)), (2, dt.date(2003, 11, 9))]
    [episode] = episodes(config, store)
    assert not episode.flagged and episode.problem is None
    assert suggestions(config, 2003, [episode]) == []
    [line] = audit.entries(Records.beside(store.path), action=audit.WARN_REPORT)
    assert (line.who, line.target, line.detail) == ("省社保局", "辽源市2003年10月", "已更正预警报告（编号1，第2版）。")


def test_only_a_data_administrator_records_a_report(config, store):
    for who in (Principal("zhang", "省级"), Principal("li", CITY, LIAOYUAN)):
        with pytest.raises(AccessDenied):
            record_report(store, who, config, LIAOYUAN, 2003, 11)
    assert len(report_versions(Records.beside(store.path))) == 1
    assert audit.entries(Records.beside(store.path), action=audit.WARN_REPORT) == []


def current_reports_of(store):
    return current_reports(Records.beside(store.path))


def test_no_report_at_all(config, store):
    [report] = current_reports_of(store)
    correct_report(store, BY, config, report.report_id, withdrawn=True)
    [episode] = episodes(config, store)
    assert episode.report is None and "未见预警报告记录" in episode.problem and episode.flagged


def test_not_flagged_before_the_deadline(config, store):
    [report] = current_reports_of(store)
    correct_report(store, BY, config, report.report_id, withdrawn=True)
    [episode] = episodes(config, store, today=dt.date(2003, 11, 3))
    assert episode.problem and not episode.flagged


def test_only_the_months_up_to_the_as_of_month(config, store):
    assert episodes(config, store, month=9) == []
    [episode] = episodes(config, store, month=10)
    assert episode.months == ((2003, 10),)


def test_suggestion_is_a_valid_assessment_entry(config, store, tmp_path):
    found = episodes(config, store)
    [offer] = suggestions(config, 2003, found)
    assert open_suggestions(config, 2003, found) == [offer]
    target = tmp_path / "config"
    shutil.copytree(SHIPPED_CONFIG, target)
    path = target / "assessments" / "2003.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["adjustments"].append(yaml.safe_load(offer.as_yaml())[0])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded, problems = load_config(target)
    assert not problems and any(a.reason == offer.reason for a in loaded.assessment_for(2003).adjustments)
    assert open_suggestions(loaded, 2003, found) == []                  # recorded: no longer offered



def test_a_suggestion_recorded_as_a_decision_is_no_longer_open(cli, config, store):
    found = episodes(config, store)
    [offer] = open_suggestions(config, 2003, found, store)
    assert "低于预警线的月份：2003年10月" in offer.recorded_reason and "报告期限：2003-11-10" in offer.recorded_reason
    saved = add_decision(store, BY, config, 2003, offer.city, points=offer.points, reason=offer.recorded_reason,
                         decided_on=offer.date)
    assert [o.decision_id for o in offers(config, 2003, found, store)] == [saved.decision_id]
    assert open_suggestions(config, 2003, found, store) == []
    status = cli("--db", store.path, "warn-report", "status", "--year", 2003)
    assert status.code == 0 and "未按规定报告" in status.out and "考评建议" not in status.out
    withdraw_decision(store, BY, config, saved.decision_id, change_reason="误录")
    assert open_suggestions(config, 2003, found, store) == [offer]      # withdrawn: offered again

@pytest.mark.parametrize("kwargs,phrase", [
    ({"city": "长沙市"}, "未知的市州"),
    ({"reported_local": dt.date(2003, 9, 1)}, "早于预警月份"),
    ({"filed_province": dt.date.today() + dt.timedelta(days=2)}, "晚于今天"),
])
def test_bad_input_is_refused_in_chinese(config, store, kwargs, phrase):
    arguments = {"city": LIAOYUAN, **kwargs}
    with pytest.raises(InputError, match=phrase):
        record_report(store, BY, config, arguments.pop("city"), 2003, 10, **arguments)
    assert len(report_versions(Records.beside(store.path))) == 1      # nothing written, nothing audited
    assert audit.entries(Records.beside(store.path), action=audit.WARN_REPORT) == []


def test_command_line(cli, config, store):
    db = store.path
    status = cli("--db", db, "warn-report", "status", "--year", 2003)
    assert status.code == 0 and "未按规定报告" in status.out and 'city: "220400"' in status.out
    added = cli("--db", db, "warn-report", "add", "--city", "辽源", "--year", 2003, "--month", 11,
                "--reported-local", "2003年12月1日", "--filed-province", "2003-12-02")
    assert added.code == 0 and "编号2" in added.out
    listing = cli("--db", db, "warn-report", "list", "--history")
    assert listing.code == 0 and listing.out.count("辽源市") == 2
    assert cli("--db", db, "warn-report", "edit", 9, "--note", "x").code == 1
    assert cli("--db", db, "warn-report", "add", "--city", "辽源", "--year", 2003, "--month", 11,
               "--reported-local", "2003-13-01").code == 2


def test_a_report_made_in_advance_covers_the_red_months(config, store):
    """The 2003 notice asks for reports 提前: one filed in September, when the fall was projected, counts."""
    [late] = current_reports_of(store)
    correct_report(store, BY, config, late.report_id, withdrawn=True)
    record_report(store, BY, config, LIAOYUAN, 2003, 9, reported_local=dt.date(2003, 10, 2),
               filed_province=dt.date(2003, 10, 3))
    [episode] = episodes(config, store)
    assert episode.report is not None and episode.report.month == 9 and not episode.flagged


def test_a_report_long_before_the_red_months_does_not_count(config, store):
    [late] = current_reports_of(store)
    correct_report(store, BY, config, late.report_id, withdrawn=True)
    record_report(store, BY, config, LIAOYUAN, 2003, 6, reported_local=dt.date(2003, 7, 2), filed_province=dt.date(2003, 7, 3))
    [episode] = episodes(config, store)
    assert episode.report is None and episode.flagged
