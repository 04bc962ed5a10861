"""The demo database: deterministic, plausible, and carrying the situations the pages must show."""

from __future__ import annotations

import pytest

from conftest import SHIPPED_CONFIG, reported
from scorecard.actions.demo import DEMO_USER, _digest, build_demo, generate, traces_of_data
from scorecard.assessment.forecast import forecast
from scorecard.assessment.fund import fund_statuses
from scorecard.assessment.posting import coverage
from scorecard.assessment.scoring import score_year
from scorecard.data.store import Store, get_meta, query
from scorecard.config import load_config
from scorecard.microdata.findings import RULE_ORDER, findings
from scorecard.microdata.store import PersonStore
from scorecard.records.store import Records
from tests.cli_support import scorecard


@pytest.fixture(scope="module")
def config():
    config, problems = load_config(SHIPPED_CONFIG)
    assert not problems
    return config


@pytest.fixture(scope="module")
def store(config, tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("demo") / "demo.duckdb")
    build_demo(store, config)
    return store


def test_generation_is_deterministic(config):
    assert generate(config).equals(generate(config))


def test_every_city_month_and_measure_except_two_unreported_months(config):
    frame = generate(config)
    assert set(frame.city) == {c.code for c in config.cities}
    assert set(frame.year) == {2002, 2003} and set(frame.measure) == set(reported(config))
    counts = frame.groupby(["city", "year"]).month.nunique()
    short = counts[counts < 12]
    assert list(short.index) == [("220800", 2003)] and short.iloc[0] == 10
    assert set(frame[(frame.city == "220800") & (frame.year == 2003)].month) == set(range(1, 13)) - {8, 9}


def test_one_fund_falls_below_two_months_during_2003(config, store):
    with store.reader() as con:
        statuses = fund_statuses(config, con, store, 2003, 1, 12)
    red = {(s.city, s.month) for s in statuses if s.level == "red"}
    assert {city for city, _ in red} == {"220400"}
    assert ("220400", 1) not in red and ("220400", 12) in red


def test_some_cities_ahead_and_some_behind(config, store):
    result = score_year(config, store, 2003, 6)
    statuses = {i.status for c in result.cities for i in c.indicators}
    assert {"met", "behind", "far_behind"} <= statuses
    assert result.demo and result.provisional


def test_marked_as_demo_with_a_correction_in_the_history(store):
    with store.reader() as con:
        assert get_meta(con, "demo") == "1"
        assert query(con, "SELECT count(*) FROM actuals_history")[0][0] == 3
        assert [r[0] for r in query(con, "SELECT file_name FROM imports ORDER BY import_id")][0].startswith("演示数据")


def test_rebuilding_gives_the_same_database(config, store, tmp_path):
    again = Store(tmp_path / "again.duckdb")
    build_demo(again, config)
    sql = "SELECT year, month, city, measure, value FROM actuals ORDER BY ALL"
    digests = "SELECT file_name, sha256 FROM imports ORDER BY import_id"
    with store.reader() as a, again.reader() as b:
        assert query(a, sql) == query(b, sql)
        assert query(a, digests) == query(b, digests)


def test_the_digest_logged_for_the_generated_rows_changes_with_any_value_or_order(config):
    frame = generate(config)
    logged = _digest(frame)
    assert len(logged) == 64 and logged == _digest(frame.copy())
    changed = frame.copy()
    changed.loc[len(frame) // 2, "value"] += 0.01
    swapped = frame.iloc[[1, 0, *range(2, len(frame))]].reset_index(drop=True)
    renamed = frame.copy()
    renamed.loc[len(frame) - 1, "city"] = "220200"
    assert len({logged, _digest(changed), _digest(swapped), _digest(renamed)}) == 4


def test_the_first_command_brings_person_records_with_every_case_in_every_city(config, tmp_path):
    """`scorecard demo` imports the demo person records beside the database: 规则核查 finds each rule's cases in
    each city, 公示 has recipients to list, the forecast has recipients to carry forward — without a key file."""
    db = tmp_path / "data" / "scorecard.duckdb"
    done = scorecard("--db", db, "demo", "--if-new", env={"SCORECARD_PERSON_KEY": ""})
    assert done.returncode == 0, done.stderr
    assert "演示个人记录（第1次导入）：失业保险金申领" in done.stdout
    persons = PersonStore.beside(db)
    assert [(n, by) for n, _, by, _ in persons.imports()] == [(1, DEMO_USER)]
    assert persons.path in traces_of_data(Store(db))      # --if-new builds nothing where they are left alone
    first = findings(persons, config, 2003)
    assert {(f.city, f.rule) for f in first} == {(c.code, rule) for c in config.cities for rule in RULE_ORDER}
    covered = coverage(persons, Records.beside(db), config, 2003)
    assert {c.city for c in covered} == {c.code for c in config.cities} and all(c.recipients > 0 for c in covered)
    ahead = forecast(config, Store(db), 2003, 8)
    assert all(f.recipients_now > 0 and f.months and not f.missing_reason for f in ahead)
    again = scorecard("--db", db, "demo")                 # rebuilt: the same records (the same findings), once
    assert again.returncode == 0, again.stderr
    assert [n for n, *_ in persons.imports()] == [1] and findings(persons, config, 2003) == first
