"""Which monthly reports are in: per city and month, the measures still missing.

A measure counts as required when a number depends on it: the measures of the
indicators in the city's contract for the year, and the fund measures of the
early warning (scoring.md §7).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from .queries import FUND_BALANCE, FUND_EXPENDITURE, FUND_INCOME, completeness
from .store import Store

FUND_MEASURES = (FUND_INCOME, FUND_EXPENDITURE, FUND_BALANCE)


@dataclass(frozen=True)
class MonthReport:
    city: str
    month: int
    required: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def reported(self) -> bool:
        """Whether anything required arrived at all for the month."""
        return len(self.missing) < len(self.required)


def required_measures(config: Config, year: int, city: str, month: int = 12) -> tuple[str, ...]:
    """What the city's contract in force at the end of `month` and the fund warning need, in catalogue order: of
    the measures a city reports (not those only derived, from the reporting or the person records)."""
    needed = set(m for m in FUND_MEASURES if m in config.measures)
    contract = config.contract(year, city, month)
    if contract is not None:
        needed |= {m for t in contract.targets for m in config.indicators[t.indicator].measures}
    return tuple(m for m, measure in config.measures.items() if m in needed and measure.reported)


def completeness_grid(config: Config, con, store: Store, year: int, through_month: int) -> list[MonthReport]:
    """Every city of the config × months 1..through_month, by city order then month."""
    present = {(city, month): set(measures) for city, month, measures in completeness(con, store, year)}
    reports = []
    for city in config.cities:
        for month in range(1, through_month + 1):
            required = required_measures(config, year, city.code, month)
            have = present.get((city.code, month), set())
            reports.append(MonthReport(city.code, month, required, tuple(m for m in required if m not in have)))
    return reports
