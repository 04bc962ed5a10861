"""Derived against reported: for every city and month of a year and every measure the records give, the value
the city reported (monthly totals) beside the value its records give, the difference flagged."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..config import Config
from ..data.queries import monthly_values
from ..data.store import Store
from .derive import RECONCILED
from .measures import derived_frame
from .store import PersonStore

SAME, DIFFERS, NOT_REPORTED, NO_RECORDS = "一致", "不一致", "未报送", "无记录"


@dataclass(frozen=True)
class Line:
    city: str
    month: int
    measure: str
    reported: float | None
    derived: float | None

    @property
    def difference(self) -> float | None:
        return None if self.reported is None or self.derived is None else self.derived - self.reported

    @property
    def status(self) -> str:
        if self.reported is None:
            return NOT_REPORTED
        if self.derived is None:
            return NO_RECORDS
        return SAME if abs(self.difference) < 0.5 else DIFFERS   # counts of persons: whole numbers

    @property
    def flagged(self) -> bool:
        return self.status != SAME


def reconciliation(config: Config, store: Store, year: int, engine: str = "duckdb",
                   as_of: int | None = None) -> list[Line]:
    """Every city, every month up to the latest with a reported value or a derived one, every reconciled measure.
    A city with records for a month but none of a measure counts 0 for it (nothing was due)."""
    derived = derived_frame(PersonStore.beside(store.path), config, year, engine, as_of)
    derived = derived[derived["measure"].isin(RECONCILED)]
    reported = {}
    if store.exists():
        with store.reader() as con:
            reported = {(c, mo, me): v for c, me, mo, v in monthly_values(con, store, year, measures=list(RECONCILED))}
    derived_values = {(r.city, r.month, r.measure): r.value for r in derived.itertuples()}
    with_records = {(c, mo) for c, mo, _ in derived_values}
    months = [mo for _, mo, _ in reported] + [mo for _, mo in with_records]
    last = max(months, default=0)
    lines = []
    for city in config.cities:
        for month in range(1, last + 1):
            for measure in RECONCILED:
                found = derived_values.get((city.code, month, measure))
                if found is None and (city.code, month) in with_records:
                    found = 0.0
                lines.append(Line(city.code, month, measure, reported.get((city.code, month, measure)), found))
    return lines


def as_frame(lines: list[Line]) -> pd.DataFrame:
    return pd.DataFrame([{"city": x.city, "month": x.month, "measure": x.measure, "reported": x.reported,
                          "derived": x.derived, "difference": x.difference, "status": x.status} for x in lines])
