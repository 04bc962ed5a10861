"""The input fingerprint of a result (printed in the workbook, kept with a publication), so that two copies of a
result can be told apart and a published one names what it was computed from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from typing import TYPE_CHECKING

from ..config import Config
from ..data.queries import data_digest
from ..data.store import Store
from .fund import month_index

if TYPE_CHECKING:
    from .results import YearResult


@dataclass(frozen=True)
class InputFingerprint:
    config: str                  # sha256 of the configuration files
    files: int
    data: str                    # sha256 of the monthly values the result is computed from
    rows: int
    first: tuple[int, int]       # (year, month) of the data window
    last: tuple[int, int]

    @property
    def combined(self) -> str:
        return hashlib.sha256(f"{self.config}\n{self.data}".encode()).hexdigest()

    @property
    def window(self) -> str:
        return f"{self.first[0]}年{self.first[1]}月至{self.last[0]}年{self.last[1]}月"


def input_fingerprint(config: Config, store: Store, result: YearResult) -> InputFingerprint:
    """The data part covers every value the result can depend on: the previous year (its final ranks)
    and the fund's look-back window, through the as-of month."""
    t_to = month_index(result.year, result.month)
    t_from = min(month_index(result.year - 1, 1), t_to - result.rules.warning.lookback_months + 1)
    rows, digest = _data_digest(store, t_from, t_to)
    return InputFingerprint(config=config.fingerprint, files=len(config.files), data=digest, rows=rows,
                            first=(t_from // 12, t_from % 12 + 1), last=(result.year, result.month))


_DIGESTS: dict[tuple, tuple[int, str]] = {}     # (database, its version, window) → (rows, digest), newest last
KEPT = 16


def _data_digest(store: Store, t_from: int, t_to: int) -> tuple[int, str]:
    """The data's digest, hashed again only when the database has been written since (Store.version): hashing
    every value of two years takes seconds at thousands of units, and each workbook of a result asks for it."""
    key = (str(store.path.absolute()), store.version(), t_from, t_to)
    found = _DIGESTS.get(key)
    if found is None:
        with store.reader() as con:
            found = _DIGESTS[key] = data_digest(con, store, t_from, t_to)
        while len(_DIGESTS) > KEPT:
            _DIGESTS.pop(next(iter(_DIGESTS)))
    return found
