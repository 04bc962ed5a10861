"""Fund capacity (可支付月数), levels and the 6-month forward look of scoring.md §7, edge cases included."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import EXAMPLE
from scorecard.assessment.fund import fund_statuses
from scorecard.data.unit import apply_rows
from scorecard.data.store import Store
from scorecard.config import load_config

CITY = "220100"


@pytest.fixture
def config():
    config, problems = load_config(EXAMPLE / "config")
    assert not problems
    return config


def status(config, tmp_path, rows, year=2003, month=12):
    store = Store(tmp_path / "fund.duckdb")
    frame = pd.DataFrame(rows, columns=["year", "month", "city", "measure", "value"])
    apply_rows(store, frame, "fund.csv", "0" * 64)
    with store.reader() as con:
        return next(s for s in fund_statuses(config, con, store, year, month, month) if s.city == CITY)


def months(year, measure, values, start=1):
    return [(year, start + i, CITY, measure, v) for i, v in enumerate(values) if v is not None]


def test_capacity_is_balance_over_mean_expenditure_of_the_trailing_year(config, tmp_path):
    rows = (months(2003, "fund_expenditure", [100] * 6 + [200] * 6) + months(2003, "fund_income", [150] * 12)
            + months(2003, "fund_balance", [None] * 11 + [450]))
    s = status(config, tmp_path, rows)
    assert s.capacity == pytest.approx(3.0) and s.level == "normal" and s.expenditure_months == 12
    assert s.months_to_threshold is None  # income exceeds spending: the projection rises


def test_levels_at_the_lines(config, tmp_path):
    base = months(2003, "fund_expenditure", [100] * 12) + months(2003, "fund_income", [100] * 12)
    for balance, level in ((199.99, "red"), (200, "amber"), (299.99, "amber"), (300, "normal")):
        rows = base + months(2003, "fund_balance", [None] * 11 + [balance])
        assert status(config, tmp_path / str(balance), rows).level == level, balance


def test_forward_look_reports_the_first_month_below_the_line(config, tmp_path):
    # spending 100, income 80: net −20 a month; balance 290 → 270, 250, 230, 210, 190 → 5 months
    rows = (months(2003, "fund_expenditure", [100] * 12) + months(2003, "fund_income", [80] * 12)
            + months(2003, "fund_balance", [None] * 11 + [290]))
    s = status(config, tmp_path, rows)
    assert s.level == "amber" and s.months_to_threshold == 5
    assert s.projection[4][1] == pytest.approx(190) and s.projection[4][2] == pytest.approx(1.9)


def test_fewer_than_three_months_of_expenditure_leaves_capacity_missing(config, tmp_path):
    rows = months(2003, "fund_expenditure", [100, 100], start=11) + months(2003, "fund_balance", [500], start=12)
    s = status(config, tmp_path, rows)
    assert s.capacity is None and s.level is None and s.months_to_threshold is None
    assert "只有2个月" in s.missing_reason


def test_zero_expenditure_leaves_capacity_missing(config, tmp_path):
    rows = months(2003, "fund_expenditure", [0] * 12) + months(2003, "fund_balance", [None] * 11 + [500])
    s = status(config, tmp_path, rows)
    assert s.capacity is None and "为0" in s.missing_reason


def test_negative_balance_is_red(config, tmp_path):
    rows = (months(2003, "fund_expenditure", [100] * 12) + months(2003, "fund_income", [90] * 12)
            + months(2003, "fund_balance", [None] * 11 + [-50]))
    s = status(config, tmp_path, rows)
    assert s.capacity == pytest.approx(-0.5) and s.level == "red" and s.months_to_threshold == 0  # already below


def test_month_without_balance_has_no_capacity_even_if_earlier_months_had(config, tmp_path):
    rows = months(2003, "fund_expenditure", [100] * 12) + months(2003, "fund_balance", [500] * 11)
    s = status(config, tmp_path, rows)
    assert s.capacity is None and "未报送基金累计结余" in s.missing_reason


def test_a_month_missing_altogether_says_it_was_not_reported(config, tmp_path):
    rows = [r for r in months(2003, "fund_expenditure", [100] * 12) + months(2003, "fund_balance", [500] * 12)
            if r[1] != 8]
    s = status(config, tmp_path, rows, month=8)
    assert s.capacity is None and "本月缺报" in s.missing_reason
    assert status(config, tmp_path / "9", rows, month=9).capacity == pytest.approx(5)   # the months around it count


def test_gap_in_months_uses_the_months_that_exist(config, tmp_path):
    rows = (months(2003, "fund_expenditure", [100, None, None, 100, None, None, None, None, None, None, None, 400])
            + months(2003, "fund_balance", [None] * 11 + [600]))
    s = status(config, tmp_path, rows)
    assert s.expenditure_months == 3 and s.mean_expenditure == pytest.approx(200) and s.capacity == pytest.approx(3)


def test_lookback_crosses_into_the_previous_year(config, tmp_path):
    rows = (months(2002, "fund_expenditure", [300] * 12) + months(2003, "fund_expenditure", [100, 100])
            + months(2003, "fund_balance", [None, 500]))
    s = status(config, tmp_path, rows, month=2)
    # trailing 12 months ending February 2003: March–December 2002 (10 × 300) and January–February 2003 (2 × 100)
    assert s.expenditure_months == 12 and s.mean_expenditure == pytest.approx(3200 / 12)
    assert s.capacity == pytest.approx(500 / (3200 / 12))


def test_forward_look_needs_months_with_both_income_and_expenditure(config, tmp_path):
    rows = months(2003, "fund_expenditure", [100] * 12) + months(2003, "fund_balance", [None] * 11 + [150])
    s = status(config, tmp_path, rows)
    assert s.level == "red" and s.mean_net is None and s.projection == ()
    assert s.months_to_threshold == 0  # no forward look, and none needed: below the line already


def test_a_city_without_any_fund_data_is_listed_with_missing_capacity(config, tmp_path):
    rows = [(2003, 12, "220400", "fund_balance", 1.0)]
    s = status(config, tmp_path, rows)
    assert s.capacity is None and s.level is None
