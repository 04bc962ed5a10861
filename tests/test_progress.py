"""The cumulative monthly series of a city's flow indicators against the pace line (序时进度)."""

import pytest

from scorecard.assessment.progress import pace_series
from scorecard.assessment.scoring import score_year
from scorecard.data.store import Store


def _series(config, db, city="220100", month=4):
    store = Store(db)
    with store.reader() as con:
        return {s.indicator: s for s in pace_series(config, con, store, 2003, city, month)}


def test_only_flow_indicators_in_contract_order(config, small_db):
    series = _series(config, small_db)
    assert list(series) == ["new_insured_persons", "contributions_collected", "arrears_recovered",
                            "subsidy_persons"]


def test_cumulative_actual_carries_over_a_missing_month_and_stops_at_the_as_of_month(config, small_db):
    points = _series(config, small_db)["new_insured_persons"].points
    assert [p.actual for p in points[:6]] == [1000, 3000, 3000, 4500, None, None]
    assert [p.missing for p in points[:5]] == [False, False, True, False, False]
    assert len(points) == 12


def test_pace_line_follows_the_quarterly_profile(config, small_db):
    points = _series(config, small_db)["new_insured_persons"].points  # target 32000, profile [0.2, 0.5, 0.75, 1]
    assert points[2].pace == pytest.approx(32000 * 0.2)
    assert points[5].pace == pytest.approx(32000 * 0.5)
    assert points[11].pace == pytest.approx(32000)
    linear = _series(config, small_db)["contributions_collected"].points
    assert linear[5].pace == pytest.approx(26000 * 6 / 12)


def test_no_reports_give_no_line_not_zero(config, small_db):
    points = _series(config, small_db)["arrears_recovered"].points
    assert all(p.actual is None for p in points)
    assert all(p.missing for p in points[:4])


def test_last_point_equals_the_scored_actual(config, demo_db):
    result = score_year(config, Store(demo_db), 2003, 8)
    city = result.city("220800")  # the demo city without reports for August and September
    series = _series(config, demo_db, "220800", 8)
    for indicator in city.indicators:
        if indicator.code in series:
            assert series[indicator.code].points[7].actual == pytest.approx(indicator.actual)
            assert series[indicator.code].points[7].missing


def test_city_without_contract_has_no_series(config, small_db):
    store = Store(small_db)
    with store.reader() as con:
        assert pace_series(config, con, store, 1999, "220100", 4) == []
