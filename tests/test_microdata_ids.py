"""身份证号 checked (GB 11643-1999, ISO 7064 MOD 11-2) in Python and in the DuckDB expression the import uses,
hashed with a key, and names masked per role (市州查看 sees 张*三 and their own city only)."""

from __future__ import annotations

import duckdb
import pytest

from scorecard.microdata.listing import claims_seen
from scorecard.microdata.masking import masked_name
from scorecard.microdata.personid import check_sql, id_problem, keyed_hash
from scorecard.microdata.store import PersonStore
from scorecard.roles import CITY_VIEW, PROVINCE_REVIEW, Principal
from tests.microdata_support import case_files, place

GOOD = ["11010519491231002X", "220102196102020018", "22010219760517016X"]   # the first: the standard's example
BAD = {"11010519491231002x".replace("x", "3"): "身份证号校验位错误",
       "220102196102020019": "身份证号校验位错误",
       "22010219610202001": "身份证号应为18位（前17位数字，末位数字或X）",
       "2201021961020200A8": "身份证号应为18位（前17位数字，末位数字或X）"}


@pytest.mark.parametrize("text", GOOD + ["11010519491231002x"])
def test_a_right_check_digit_passes(text):
    assert id_problem(text) is None
    assert duckdb.execute(f"SELECT {check_sql('$id')}", {"id": text}).fetchone()[0] is None


@pytest.mark.parametrize("text, said", BAD.items())
def test_a_wrong_id_is_said_the_same_in_python_and_in_duckdb(text, said):
    assert id_problem(text) == said
    assert duckdb.execute(f"SELECT {check_sql('$id')}", {"id": text}).fetchone()[0] == said


def test_the_hash_is_stable_under_a_key_and_differs_under_another():
    key, other = bytes(32), bytes(range(32))
    assert keyed_hash(GOOD[0], key) == keyed_hash(GOOD[0].lower(), key) == keyed_hash(GOOD[0], bytes(32))
    assert keyed_hash(GOOD[0], key) != keyed_hash(GOOD[0], other)
    assert keyed_hash(GOOD[0], key) != keyed_hash(GOOD[1], key)


@pytest.mark.parametrize("name, shown", [("张小三", "张*三"), ("李四", "李*"), ("欧阳小明", "欧**明"), ("王", "王"),
                                         (None, None)])
def test_names_are_masked(name, shown):
    assert masked_name(name) == shown


@pytest.fixture(scope="module")
def persons(tmp_path_factory):
    where = place(tmp_path_factory.mktemp("listing"))
    where.imported(*case_files("timeliness"), *case_files("recipients"))
    return PersonStore(where.persons)


def test_city_view_sees_masked_names_of_their_own_city_only(persons):
    seen = claims_seen(persons, Principal("li.si", CITY_VIEW, "220100"))
    assert set(seen["市州"]) == {"220100"} and len(seen) == 10
    assert seen.loc[seen["申领编号"] == "A", "姓名"].item() == "张*三"
    assert all(len(p) == 12 and not p.startswith("2201") for p in seen["人员标识"])
    assert claims_seen(persons, Principal("li.si", CITY_VIEW, "220100"), city="220200").empty


def test_province_review_sees_names_in_full_and_every_city(persons):
    seen = claims_seen(persons, Principal("zhao.liu", PROVINCE_REVIEW))
    assert {"220100", "220200"} <= set(seen["市州"])
    assert seen.loc[seen["申领编号"] == "A", "姓名"].item() == "张小三"


@pytest.mark.parametrize("dialect", ["duckdb", "pyspark"])
def test_the_derivations_are_written_once_for_both_engines(dialect, monkeypatch):
    """Every derived measure compiles to the SQL of each engine from the same expressions."""
    import ibis

    from scorecard.microdata.derive import Unbound, derived

    if ibis.options.pyspark is None:  # the options the pyspark backend registers on import; pyspark is not installed

        class PySparkOptions(ibis.config.Config):
            treat_nan_as_null: bool = False

        monkeypatch.setattr(ibis.options, "pyspark", PySparkOptions())
    sql = ibis.to_sql(derived(Unbound(), 2003, 30, as_of=2), dialect=dialect)
    assert "payments" in sql and "transitions" in sql and "import_id" in sql


def test_only_a_role_that_imports_may_import_person_records(tmp_path, monkeypatch):
    from scorecard.actions.person_records import import_records
    from scorecard.config import load_config
    from scorecard.data.store import Store
    from scorecard.microdata.personid import KEY_ENV
    from scorecard.roles import AccessDenied

    where = place(tmp_path)
    monkeypatch.setenv(KEY_ENV, str(where.key))
    with pytest.raises(AccessDenied):
        import_records(Store(where.db), load_config("config")[0], case_files("timeliness"),
                       Principal("li.si", CITY_VIEW, "220100"))
    assert not where.persons.exists()
