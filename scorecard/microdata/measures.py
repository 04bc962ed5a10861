"""The derived measures of a year as the scorecard uses them: computed by an engine (engines.py) from the
expressions of derive.py, as a long frame (year, month, city, measure, value) in the catalogue's codes."""

from __future__ import annotations

import pandas as pd

from ..config import Config
from ..config.model import RECORDS
from ..data.store import Store
from . import settings
from .engines import connected
from .store import PersonStore


def derived_frame(store: PersonStore, config: Config, year: int, engine: str = "duckdb",
                  as_of: int | None = None) -> pd.DataFrame:
    from . import derive   # Ibis is loaded when something is derived, not by every reader of the scorer

    within = settings.load(config.directory).transition_enrol_days
    with connected(engine, store) as con:
        frame = derive.derived(con, year, within, as_of).to_pandas()
    return frame.astype({"month": int, "value": float})


def wide(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per city and month, a column per measure (0 where nothing was counted), and the rate 按时足额发放率."""
    from . import derive

    table = frame.pivot_table(index=["city", "month"], columns="measure", values="value", aggfunc="sum",
                              fill_value=0.0).reindex(columns=list(derive.MEASURES), fill_value=0.0)
    payable = table["benefits_payable"]
    table["timely_payment_rate"] = (table["benefits_paid_on_time"] / payable).where(payable > 0)
    return table.reset_index()


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


_FRAMES: dict[tuple, pd.DataFrame] = {}


def _cached_frame(persons: PersonStore, config: Config, year: int) -> pd.DataFrame:
    """The derived frame, computed again only when the person-records file changed (or the config did)."""
    stat = persons.path.stat()
    key = (str(persons.path), stat.st_mtime_ns, stat.st_size, config.fingerprint, year)
    if key not in _FRAMES:
        _FRAMES.clear()
        _FRAMES[key] = derived_frame(persons, config, year)
    return _FRAMES[key]
