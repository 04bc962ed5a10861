"""A year's contracts taken together, and targets in words."""

import pytest

from scorecard.report.targets import province_totals
from scorecard.assessment.explain import target_phrase


def test_province_sum_of_each_target(config):
    """The targets in force at the end of the year: 白山市's 征缴收入 was lowered from July (目标调整)."""
    totals = {t.indicator: t for t in province_totals(config, 2003)}
    contracts = config.contracts_for(2003, month=12)
    collected = [t.target for c in contracts for t in c.targets if t.indicator == "contributions_collected"]
    assert totals["contributions_collected"].total == pytest.approx(sum(collected))
    assert totals["contributions_collected"].cities == len(collected) == 9
    signed = sum(t.target for c in config.contracts_for(2003) for t in c.targets if t.indicator == "contributions_collected")
    assert signed - totals["contributions_collected"].total == pytest.approx(4680 - 4500)
    assert list(totals) == [code for code in config.indicators if code in totals]


def test_rates_are_not_summed(config):
    rate = {t.indicator: t for t in province_totals(config, 2003)}["collection_rate"]
    assert rate.total is None
    assert 0 < rate.lowest <= rate.highest <= 1


def test_year_without_contracts(config):
    assert province_totals(config, 1999) == []


def test_target_phrase():
    assert target_phrase(26000, "万元", "higher") == "26,000.00万元"
    assert target_phrase(0.95, "%", "higher") == "95.0%"
    assert target_phrase(5000, "万元", "lower") == "不超过5,000.00万元"
