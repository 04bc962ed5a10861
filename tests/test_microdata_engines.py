"""The derivations and rule checks are written once and give the same rows on DuckDB and on Spark (local mode,
issue 17 §6): every measure, every rule check and every finding, the 按时足额发放率 of the installed
`scorecard records derive --engine spark`, the forecast's inputs and the 公示 lists and coverage, on the caseworker's
cases (tests/microdata/) and a small demo province imported after them. One Spark session serves the whole module. Without pyspark or Java these tests are skipped
— and fail where SCORECARD_REQUIRE_SPARK=1 (.ci/run)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from scorecard.assessment.posting import coverage
from scorecard.config import load_config
from scorecard.errors import InputError
from scorecard.microdata import checks, derive, posting
from scorecard.microdata import settings as record_settings
from scorecard.microdata.demo import generate, write_csv
from scorecard.microdata.engines import connected, fetched
from scorecard.microdata.findings import RULE_ORDER, findings
from scorecard.microdata.forecast import city_records
from scorecard.microdata.measures import derived_frame, wide
from scorecard.microdata.settings import MinimumWage, SparkSettings
from scorecard.microdata.store import PersonStore
from scorecard.records import postings
from scorecard.records.store import Records
from tests.cli_support import scorecard
from tests.microdata_support import case_files, place

YEAR, DAYS = 2003, 30


@pytest.fixture(scope="module")
def spark_ready():
    missing = [what for what, there in (("pyspark", importlib.util.find_spec("pyspark") is not None),
                                        ("java", shutil.which("java") is not None)) if not there]
    if missing:
        if os.environ.get("SCORECARD_REQUIRE_SPARK") == "1":
            pytest.fail(f"{' and '.join(missing)} missing and SCORECARD_REQUIRE_SPARK=1")
        pytest.skip(f"{' and '.join(missing)} missing: the Spark engine cannot run here")


@pytest.fixture(scope="module")
def records(spark_ready, tmp_path_factory):
    """The caseworker's cases (import 1), then a demo province of a few hundred claims (import 2)."""
    root = tmp_path_factory.mktemp("engines")
    where = place(root)
    config = load_config(Path("config"))[0]
    where.imported(*case_files("checks"), *case_files("transitions"), *case_files("timeliness"),
                   *case_files("recipients"), *case_files("posting"))
    where.imported(*write_csv(generate(config.cities, YEAR, claims=400, seed=17), root / "demo"))
    return where, config


@pytest.fixture(scope="module")
def engines(records):
    """A connection of each engine to the same person records."""
    where, _ = records
    store = PersonStore(where.persons)
    with connected("duckdb", store) as duck, connected("spark", store) as spark:
        yield {"duckdb": duck, "spark": spark}


SETTINGS = record_settings.load(Path("config"))
# the minimum wage of Changchun only: the other cities' months are the ones records.yaml lacks
CHANGCHUN_ONLY = SETTINGS.model_copy(update={"minimum_wages": {"220100": (MinimumWage(**{"from": "2002-07-01",
                                                                                          "amount": 360}),)}})
EXPRESSIONS = {
    "payments_by_month": lambda con: derive.payments_by_month(con, YEAR),
    "recipients_by_month": lambda con: derive.recipients_by_month(con, YEAR),
    "transitions_by_month": lambda con: derive.transitions_by_month(con, YEAR, DAYS),
    "derived as of the cases' import": lambda con: derive.derived(con, YEAR, DAYS, as_of=1),
    "ineligible_paid": lambda con: checks.ineligible_paid(con, YEAR, SETTINGS.ineligible_reasons),
    "ineligible_by_city": lambda con: checks.ineligible_by_city(con, YEAR, SETTINGS.ineligible_reasons),
    "hidden_wage_runs": lambda con: checks.hidden_wage_runs(con, YEAR, SETTINGS),
    "hidden_wage_payments": lambda con: checks.hidden_wage_payments(con, YEAR, SETTINGS),
    "registered_before_paid": lambda con: checks.registered_before_paid(con, YEAR),
    "missing_minimum_wages": lambda con: checks.missing_minimum_wages(con, YEAR, CHANGCHUN_ONLY),
    "late_enrolled": lambda con: checks.late_enrolled(con, YEAR, DAYS),
    "recipients_by_community": lambda con: posting.recipients_by_community(con, YEAR),
    "listed (长春市, June)": lambda con: posting.listed(con, YEAR, 6, "220100"),
}


@pytest.mark.parametrize("name", list(EXPRESSIONS))
def test_each_derivation_and_check_gives_the_same_rows_on_both_engines(engines, name):
    duck, spark = (fetched(EXPRESSIONS[name](engines[e])) for e in ("duckdb", "spark"))
    assert len(duck) > 0, "a comparison of nothing proves nothing"
    pd.testing.assert_frame_equal(spark, duck)


CASES = {"ineligible": {"赵自愿"}, "hidden_employment": {"王三月", "李执照"}, "late_enrolment": {"郑三", "郑四"}}


@pytest.mark.parametrize("rule", RULE_ORDER)
def test_each_rule_gives_the_same_findings_on_both_engines(records, rule):
    where, config = records
    store = PersonStore(where.persons)
    spark = findings(store, config, YEAR, [rule], "spark")
    assert CASES[rule] <= {f.person_name for f in spark} and len(spark) > len(CASES[rule])   # the demo's too
    assert spark == findings(store, config, YEAR, [rule], "duckdb")


def test_the_rate_paid_on_time_and_in_full_is_the_same_on_both_engines(records):
    where, config = records
    store = PersonStore(where.persons)
    duck = wide(derived_frame(store, config, YEAR, "duckdb"))
    assert duck["timely_payment_rate"].between(0, 1, inclusive="neither").any()
    pd.testing.assert_frame_equal(wide(derived_frame(store, config, YEAR, "spark")), duck)


@pytest.mark.parametrize("month, as_of", [(8, None), (3, None), (8, 1)])
def test_the_forecasts_inputs_are_the_same_on_both_engines(engines, month, as_of):
    """Per city: the 出中心 persons due, today's recipients running off and their benefit, the year's claims with
    their mean benefit and months drawn, the take-up — from each month's end, as of the last import or the cases'."""
    duck, spark = (city_records(engines[e], YEAR, month, 12, DAYS, as_of) for e in ("duckdb", "spark"))
    assert any(r.running_off[0] and r.mean_benefit for r in duck.values()) and any(r.enrolled for r in duck.values())
    assert as_of or any(any(r.leavers_ahead) for r in duck.values())
    assert spark == duck


def test_the_posting_lists_and_their_coverage_are_the_same_on_both_engines(records):
    where, config = records
    store = PersonStore(where.persons)
    lists = {e: posting.community_lists(store, config, YEAR, 6, "220100", engine=e) for e in ("duckdb", "spark")}
    assert len(lists["duckdb"]) > 1 and lists["spark"] == lists["duckdb"]
    logged = Records.beside(where.db)
    with logged.write() as con:        # one community of June posted: the coverage is a share, not 0 or 1
        first = lists["duckdb"][0]
        postings.add(con, [postings.Posting(YEAR, 6, "220100", first.community, len(first.recipients), "0" * 64,
                                            dt.date(YEAR, 7, 1), "pytest")])
    covered = {e: coverage(store, logged, config, YEAR, engine=e) for e in ("duckdb", "spark")}
    assert any(0 < c.rate < 1 for c in covered["duckdb"]) and covered["spark"] == covered["duckdb"]


def test_records_derive_with_engine_spark_prints_what_duckdb_gives(records):
    where, _ = records
    done = where.run("derive", "--year", YEAR, "--engine", "spark", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""      # Spark's own messages go to its log, not to the user
    printed = json.loads(done.stdout)
    assert printed["engine"] == "spark"
    assert printed["rows"] == where.derive(YEAR)


def test_tables_from_a_configured_parquet_folder(records, tmp_path):
    where, config = records
    store = PersonStore(where.persons)
    folder = tmp_path / "parquet"
    folder.mkdir()
    for code in derive.tables():
        where.rows(f"COPY (SELECT * FROM {code} WHERE import_id = 1) TO '{folder / code}.parquet' (FORMAT parquet)")
    with connected("spark", store, SparkSettings(parquet=str(folder))) as spark:
        from_parquet = fetched(derive.derived(spark, YEAR, DAYS))
    with connected("duckdb", store) as duck:
        pd.testing.assert_frame_equal(from_parquet, fetched(derive.derived(duck, YEAR, DAYS, as_of=1)))
    with pytest.raises(InputError, match="Spark 读不到个人记录表 失业保险金申领"):
        with connected("spark", store, SparkSettings(parquet=str(tmp_path / "nowhere"))):
            pass


def test_without_java_the_command_says_so_in_chinese(records):
    where, _ = records
    no_java = {"PATH": str(Path(sys.executable).parent), "JAVA_HOME": "", "SCORECARD_PERSON_KEY": str(where.key)}
    done = scorecard("--db", where.db, "records", "check", "--year", YEAR, "--engine", "spark", env=no_java)
    assert done.returncode != 0
    assert "Spark 引擎需要 Java 运行环境" in done.stderr and "Traceback" not in done.stderr


def test_records_yaml_says_where_spark_runs(config_dir):
    (config_dir / "records.yaml").write_text("spark:\n  master: spark://ministry:7077\n  parquet: /data/persons\n",
                                             encoding="utf-8")
    assert record_settings.load(config_dir).spark == SparkSettings(master="spark://ministry:7077",
                                                                   parquet="/data/persons")
    (config_dir / "records.yaml").write_text("spark:\n  mastr: local[2]\n", encoding="utf-8")
    settings, problems = record_settings.checked(config_dir)
    assert settings is None and "mastr" in str(problems[0])


def test_no_person_records_is_said_before_spark_starts(tmp_path):
    store = PersonStore(tmp_path / "scorecard.persons.duckdb")
    with pytest.raises(InputError, match="个人记录库 .* 不存在"):
        with connected("spark", store):
            pass
