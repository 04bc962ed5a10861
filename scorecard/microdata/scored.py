"""What the scorer takes from the person records: the measures the catalogue marks `source: records`. Light to
import (the scorer loads it in every process); the derivation and its libraries load when such a measure is
scored."""

from __future__ import annotations

from ..config import Config
from ..config.model import RECORDS
from ..data.store import Store
from .store import PersonStore


def record_aggregates(config: Config, actuals: Store, year: int, month: int, measures) -> dict[tuple[str, str], tuple]:
    """The measures of the catalogue marked `source: records`, from the person records beside `actuals`, in the
    shape of data.queries.measure_aggregates (sum over months 1..month, the latest month's value, the bitmask of
    the months with records), for the scorer to use instead of the reported values. A city with no records for
    the year keeps its reported values; no person records at all: nothing is taken from them."""
    wanted = sorted(m for m in measures if m in config.measures and config.measures[m].source == RECORDS)
    persons = PersonStore.beside(actuals.path)
    if not wanted or not persons.exists():
        return {}
    frame = _cached_frame(persons, config, year)
    frame = frame[(frame["month"] <= month) & frame["measure"].isin(wanted)].sort_values("month")
    found = {}
    for city, rows in frame.groupby("city"):
        mask = 0
        for m in rows["month"].unique():
            mask |= 1 << (int(m) - 1)
        for measure in wanted:
            of = rows[rows["measure"] == measure]
            found[city, measure] = (float(of["value"].sum()), float(of["value"].iloc[-1]) if len(of) else 0.0, mask)
    return found


_FRAMES: dict[tuple, object] = {}


def _cached_frame(persons: PersonStore, config: Config, year: int):
    """The derived frame, computed again only when the person-records file changed (or the config did)."""
    stat = persons.path.stat()
    key = (str(persons.path), stat.st_mtime_ns, stat.st_size, config.fingerprint, year)
    if key not in _FRAMES:
        from .measures import derived_frame

        _FRAMES.clear()
        _FRAMES[key] = derived_frame(persons, config, year)
    return _FRAMES[key]
