"""Progress within the year (序时进度, scoring.md §6) month by month: each flow indicator's
cumulative actual against its pace line T·E(m), for the line charts of a city's progress.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from ..data.queries import cumulative_flows
from .formulas import expected_share
from ..data.store import Store


@dataclass(frozen=True)
class PacePoint:
    month: int
    pace: float             # T·E(m): where the schedule says the city should stand by month m
    actual: float | None    # cumulative actual to month m over the months that have a value;
                            # None before the first report and after the as-of month
    missing: bool           # month m (≤ the as-of month) has no value


@dataclass(frozen=True)
class PaceSeries:
    city: str
    indicator: str
    name: str
    unit: str
    target: float
    points: tuple[PacePoint, ...]   # months 1..12


def flow_targets(config: Config, year: int, city: str, month: int = 12):
    """The targets set on a single flow measure of a city's contract as in force at the end of `month`, in
    contract order."""
    contract = config.contract(year, city, month)
    if contract is None:
        return []
    return [t for t in contract.targets
            if not config.indicators[t.indicator].is_ratio
            and config.measures[config.indicators[t.indicator].measure].kind == "flow"]


def pace_series(config: Config, con, store: Store, year: int, city: str, month: int) -> list[PaceSeries]:
    targets = flow_targets(config, year, city, month)
    measures = {config.indicators[t.indicator].measure for t in targets}
    cumulative: dict[str, dict[int, float]] = {}
    for measure, m, total in cumulative_flows(con, store, year, city, measures, month):
        cumulative.setdefault(measure, {})[m] = total
    series = []
    for target in targets:
        indicator = config.indicators[target.indicator]
        reported = cumulative.get(indicator.measure, {})
        points, running = [], None
        for m in range(1, 13):
            if m <= month:
                running = reported.get(m, running)
            points.append(PacePoint(month=m, pace=target.target * expected_share(m, indicator.profile),
                                    actual=running if m <= month else None,
                                    missing=m <= month and m not in reported))
        series.append(PaceSeries(city, indicator.code, indicator.name, indicator.unit, target.target, tuple(points)))
    return series
