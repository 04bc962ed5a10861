"""A year's target contracts taken together: the province-wide sum of each target."""

from __future__ import annotations

from dataclasses import dataclass

from ..formatting import PERCENT
from ..config import Config


@dataclass(frozen=True)
class TargetTotal:
    indicator: str
    name: str
    area: str
    unit: str
    cities: int            # contracts that set this target
    total: float | None    # Σ targets; None for % indicators, whose rates do not add up
    lowest: float
    highest: float


def province_totals(config: Config, year: int) -> list[TargetTotal]:
    """One row per indicator used in the year's contracts, in catalogue order."""
    by_indicator: dict[str, list] = {}
    for contract in config.contracts_for(year):
        for target in contract.targets:
            by_indicator.setdefault(target.indicator, []).append(target)
    totals = []
    for code, indicator in config.indicators.items():
        targets = by_indicator.get(code)
        if not targets:
            continue
        values = [t.target for t in targets]
        totals.append(TargetTotal(code, indicator.name, indicator.area, indicator.unit, len(targets),
                                  None if indicator.unit == PERCENT else sum(values), min(values), max(values)))
    return totals
