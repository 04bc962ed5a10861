"""The demo person records: the same for a seed, valid ids, every city, and the cases the rule checks of §3 will
look for; `scorecard records demo --import` writes and imports them."""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard.config import load_config
from scorecard.microdata.demo import INELIGIBLE_REASONS, generate
from scorecard.microdata.personid import id_problem
from tests.microdata_support import place


@pytest.fixture(scope="module")
def cities(shipped_config_dir):
    return load_config(shipped_config_dir)[0].cities


def test_the_same_seed_gives_the_same_records(cities):
    one, two = generate(cities, claims=3000, seed=7), generate(cities, claims=3000, seed=7)
    for code in one:
        pd.testing.assert_frame_equal(one[code], two[code])
    assert not generate(cities, claims=3000, seed=8)["claims"]["person_id"].equals(one["claims"]["person_id"])


def test_the_records_are_plausible_and_hold_the_cases_of_the_rule_checks(cities):
    frames = generate(cities, claims=3000)
    claims, payments, wages = frames["claims"], frames["payments"], frames["wages"]
    assert set(claims["city"]) == {c.code for c in cities}
    assert claims["person_id"].is_unique and all(id_problem(i) is None for i in claims["person_id"])
    assert claims["monthly_benefit"].between(200, 300).all()
    assert set(INELIGIBLE_REASONS) & set(claims["separation_reason"])
    assert (payments["paid_date"].isna().any() and (payments["amount_paid"] < payments["amount_due"]).any()
            and (pd.to_datetime(payments["paid_date"]) > pd.to_datetime(payments["due_date"])).any())
    while_drawing = wages[wages["employer"].str.startswith("H")]
    assert (while_drawing["wage_base"] == 360).any() and (while_drawing["wage_base"] == 359).any()
    assert set(frames["registrations"]["kind"]) == {"licence", "taxi"}
    schedule = frames["transitions"]
    assert not schedule["person_id"].isin(claims["person_id"]).all()   # some never brought into insurance


def test_the_command_writes_and_imports_them(tmp_path):
    where = place(tmp_path)
    done = where.run("demo", "--out", tmp_path / "demo", "--claims", 2000, "--import")
    assert done.returncode == 0, done.stderr
    assert "演示数据" in done.stdout and "第1次导入" in done.stdout
    assert where.rows("SELECT count(DISTINCT city) FROM claims") == [(9,)]
    assert (tmp_path / "demo" / "申领.csv").read_text(encoding="utf-8-sig").startswith("申领编号,身份证号,姓名")
