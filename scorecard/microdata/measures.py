"""The derived measures of a year as the scorecard uses them: computed by an engine (engines.py) from the
expressions of derive.py, as a long frame (year, month, city, measure, value) in the catalogue's codes."""

from __future__ import annotations

import pandas as pd

from ..config import Config
from . import settings
from .engines import connected, fetched
from .store import PersonStore


def derived_frame(store: PersonStore, config: Config, year: int, engine: str = "duckdb",
                  as_of: int | None = None) -> pd.DataFrame:
    from . import derive   # Ibis is loaded when something is derived, not by every reader of the scorer

    records = settings.load(config.directory)
    with connected(engine, store, records.spark) as con:
        frame = fetched(derive.derived(con, year, records.transition_enrol_days, as_of))
    return frame.astype({"month": int, "value": float})


def wide(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per city and month, a column per measure (0 where nothing was counted), and the rate 按时足额发放率."""
    from . import derive

    table = frame.pivot_table(index=["city", "month"], columns="measure", values="value", aggfunc="sum",
                              fill_value=0.0).reindex(columns=list(derive.MEASURES), fill_value=0.0)
    payable = table["benefits_payable"]
    table["timely_payment_rate"] = (table["benefits_paid_on_time"] / payable).where(payable > 0)
    return table.reset_index()

