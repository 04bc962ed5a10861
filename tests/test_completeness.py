"""Completeness of the monthly reports: city × month, the required measures still missing."""

from scorecard.data.completeness import completeness_grid, required_measures
from scorecard.data.store import Store


def _grid(config, db, through):
    store = Store(db)
    with store.reader() as con:
        return {(r.city, r.month): r for r in completeness_grid(config, con, store, 2003, through)}


def test_required_measures_are_the_contract_and_fund_measures(config):
    required = required_measures(config, 2003, "220100")
    assert {"fund_income", "fund_expenditure", "fund_balance", "new_insured_persons", "benefits_payable",
            "benefits_paid_on_time", "institution_staff"} <= set(required)
    assert "recipients" not in required  # no number depends on it
    assert list(required) == [m for m in config.measures if m in required]


def test_missing_measures_per_city_and_month(config, small_db):
    grid = _grid(config, small_db, 4)
    assert len(grid) == len(config.cities) * 4
    march = grid[("220100", 3)]
    assert "new_insured_persons" in march.missing and "contributions_collected" not in march.missing
    assert march.reported and not march.complete
    nothing = grid[("220200", 1)]
    assert not nothing.reported and nothing.missing == nothing.required


def test_demo_city_with_two_unreported_months(config, demo_db):
    grid = _grid(config, demo_db, 12)
    assert not grid[("220800", 8)].reported and not grid[("220800", 9)].reported
    assert grid[("220800", 10)].complete
    assert sum(not r.complete for r in grid.values()) == 2
