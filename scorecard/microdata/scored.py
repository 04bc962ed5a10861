"""What the scorer takes from the person records: the measures the catalogue marks `source: records`. Light to
import (the scorer loads it in every process); the derivation and its libraries load when such a measure is
scored."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..config import Config
from ..config.model import AMOUNT_PAID, IMPROPER_AMOUNT, RECORDS
from ..data.store import Store
from .store import PersonStore

# city → (claim, period) → amount (元): the payments counted in 违规领取金额, each once (assessment.person_findings)
Improper = dict[str, dict[tuple, float]]


def from_records(config: Config, measures: Iterable[str]) -> list[str]:
    """Of `measures`, those the catalogue marks `source: records`, sorted."""
    return sorted(m for m in measures if m in config.measures and config.measures[m].source == RECORDS)


def record_aggregates(config: Config, actuals: Store, year: int, month: int, measures,
                      improper: Callable[[], Improper] | None = None) -> dict[str, dict[str, tuple]]:
    """The measures of the catalogue marked `source: records`, from the person records beside `actuals`, in the
    shape of one year of data.queries.measure_aggregates (city → measure → sum over months 1..month, the latest
    month's value, the bitmask of the months with records), for the scorer to use instead of the reported values. A city with no records for
    the year keeps its reported values (a measure only the records give, none: 数据缺失); no person records at
    all: nothing is taken from them. Sums are taken to the cent (the records hold 元 with cents, counts whole):
    the float noise of adding cents is not part of a figure.

    `improper` gives the payments of the rule findings that stand (read with the caseworkers' outcomes now, so
    an outcome recorded changes the score at once); called only when 违规领取金额 (improper_amount_paid) is
    wanted. Its months are those of the city's payments, 0 where none was improper."""
    wanted = from_records(config, measures)
    persons = PersonStore.beside(actuals.path)
    if not wanted or not persons.exists():
        return {}
    frame = _cached_frame(persons, config, year)
    if IMPROPER_AMOUNT in wanted:
        if improper is None:
            raise ValueError("improper_amount_paid is scored with the payments of the findings (improper=)")
        frame = _with_improper(frame, year, improper())
    frame = frame[(frame["month"] <= month) & frame["measure"].isin(wanted)].sort_values("month")
    found = {}
    for city, rows in frame.groupby("city"):
        mask = 0
        for m in rows["month"].unique():
            mask |= 1 << (int(m) - 1)
        for measure in wanted:
            of = rows[rows["measure"] == measure]
            found.setdefault(city, {})[measure] = (round(float(of["value"].sum()), 2),
                                                   float(of["value"].iloc[-1]) if len(of) else 0.0, mask)
    return found


def _with_improper(frame, year: int, improper: Improper):
    """`frame` and a row of improper_amount_paid for every city and month with benefit paid (by the period paid
    for, as benefits_amount_paid counts it)."""
    import pandas as pd

    paid = frame[frame["measure"] == AMOUNT_PAID]
    monthly: dict[tuple[str, int], float] = {}
    for city, payments in improper.items():
        for (_, period), amount in payments.items():
            if period.year == year:
                monthly[city, period.month] = monthly.get((city, period.month), 0.0) + amount
    rows = paid.assign(measure=IMPROPER_AMOUNT, value=[monthly.get((c, int(m)), 0.0)
                                                      for c, m in zip(paid["city"], paid["month"])])
    return pd.concat([frame, rows], ignore_index=True)


_FRAMES: dict[tuple, object] = {}   # what the person records give, by the file's state: a few, newest last
_KEEP = 8


def person_records_stamp(persons: PersonStore) -> tuple:
    """The person-records file as its cached readings are keyed: path, time and size (every import rewrites it)."""
    stat = persons.path.stat()
    return str(persons.path), stat.st_mtime_ns, stat.st_size


def cached(persons: PersonStore, config: Config, year: int, what: str, make: Callable[[], object]):
    """`make()` — a reading of the person records alone (the derived frame, the rule findings) — computed again
    only when the person-records file changed (or the config did). Nothing of the records store (the
    caseworkers' outcomes) is kept here: those are read at each use."""
    key = (*person_records_stamp(persons), config.fingerprint, year, what)
    if key not in _FRAMES:
        while len(_FRAMES) >= _KEEP:
            _FRAMES.pop(next(iter(_FRAMES)))
        _FRAMES[key] = make()
    return _FRAMES[key]


def _cached_frame(persons: PersonStore, config: Config, year: int):
    """The derived frame, computed again only when the person-records file changed (or the config did)."""
    def make():
        from .measures import derived_frame

        return derived_frame(persons, config, year)

    return cached(persons, config, year, "derived", make)
