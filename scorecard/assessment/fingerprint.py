"""The input fingerprint of a result (printed in the workbook, kept with a publication), so that two copies of a
result can be told apart and a published one names what it was computed from."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from typing import TYPE_CHECKING

from ..config import Config
from ..config.model import RECORDS
from ..data.queries import data_digest
from ..data.store import Store
from .decisions import records_of
from .fund import month_index

if TYPE_CHECKING:
    from .results import YearResult
    from ..records.finding_checks import FindingCheck


@dataclass(frozen=True)
class InputFingerprint:
    config: str                  # sha256 of the configuration files
    files: int
    data: str                    # sha256 of the monthly values the result is computed from
    rows: int
    first: tuple[int, int]       # (year, month) of the data window
    last: tuple[int, int]
    records: str = ""            # sha256 of the person records' imports and the 核查 outcomes in force, when the
                                 # result scores a measure from them (违规领取金额占比); "" when it does not

    @property
    def combined(self) -> str:
        parts = (self.config, self.data, self.records) if self.records else (self.config, self.data)
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

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
                            first=(t_from // 12, t_from % 12 + 1), last=(result.year, result.month),
                            records=_records_digest(config, store, result))


def scores_from_records(config: Config, year: int, parent: str | None = None) -> bool:
    """Whether a result of `year` scores a measure from the person records (违规领取金额占比 and the others the
    catalogue marks `source: records`), by the contracts of the year or of the year before (its final ranks), as
    signed or as any 目标调整 made them."""
    return any(config.measures[m].source == RECORDS for each in (year - 1, year)
               for c in config.contracts_for(each, parent)
               for targets in (c.signed_targets, *(a.targets for a in c.amendments)) for t in targets
               for m in config.indicators[t.indicator].measures)


def outcomes_in_force(store: Store, year: int) -> list["FindingCheck"]:
    """The caseworkers' outcomes in force of `year` and the year before, by id."""
    from ..records import finding_checks  # the records store's libraries: only for a result scored from them

    records = records_of(store)
    return [] if records is None else sorted(
        (c for each in (year - 1, year) for c in finding_checks.in_force(records, each).values()), key=lambda c: c.id)


def _records_digest(config: Config, store: Store, result: YearResult) -> str:
    """The person records (their imports) and the caseworkers' outcomes in force of the year and the year before,
    when the result scores a measure from the records; else ""."""
    if not scores_from_records(config, result.year, result.parent):
        return ""
    from ..microdata.store import PersonStore  # its table schemas (YAML, pydantic): only for a result scored from them

    outcomes = [[c.year, c.id, c.finding, c.outcome] for c in outcomes_in_force(store, result.year)]
    imports = [[i, str(at), rows] for i, at, _, rows in PersonStore.beside(store.path).imports()]
    return hashlib.sha256(json.dumps({"imports": imports, "outcomes": outcomes},
                                     ensure_ascii=False).encode()).hexdigest()


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
