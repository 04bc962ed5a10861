"""What the database remembers: the import log, every value an import replaced, a copy of each
imported file, and which import was current at a given time (so a circulated score can be
reproduced from the data as it stood then).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from . import queries
from .store import Store, StoreError


@dataclass(frozen=True)
class ImportRecord:
    import_id: int
    file_name: str
    sha256: str
    imported_at: dt.datetime
    imported_by: str | None
    rows: int
    new: int
    replaced: int
    unchanged: int
    original: Path | None  # the kept copy of the file, when there is one


@dataclass(frozen=True)
class Revision:
    year: int
    month: int
    city: str
    measure: str
    old_value: float
    new_value: float
    old_import_id: int
    old_file: str | None
    old_imported_at: dt.datetime | None
    new_import_id: int
    new_file: str | None
    new_sha256: str | None
    new_imported_at: dt.datetime | None
    new_imported_by: str | None


def originals_dir(store: Store) -> Path:
    """Beside the database: data/scorecard.duckdb keeps its files in data/scorecard.originals/."""
    return store.path.with_name(store.path.stem + ".originals")


def original_path(store: Store, import_id: int, sha256: str, file_name: str) -> Path:
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", Path(file_name).name) or "file"
    return originals_dir(store) / f"{import_id:06d}-{sha256[:16]}-{safe}"


def find_original(store: Store, import_id: int, sha256: str) -> Path | None:
    folder = originals_dir(store)
    if not folder.is_dir():
        return None
    return next(iter(sorted(folder.glob(f"{import_id:06d}-{sha256[:16]}-*"))), None)


def imports(store: Store, limit: int | None = None) -> list[ImportRecord]:
    """The import log, newest first."""
    if not store.exists():
        return []
    with store.reader() as con:
        rows = queries.recent_imports(con, limit)
    return [ImportRecord(*row, original=find_original(store, row[0], row[2])) for row in rows]


def revisions(store: Store, *, year: int | None = None, city: str | None = None,
              measure: str | None = None) -> list[Revision]:
    """Every replaced value (optionally of one year, city code or measure code), newest first."""
    if not store.exists():
        return []
    with store.reader() as con:
        return [Revision(*row) for row in queries.revisions(con, year, city, measure)]


def as_of(store: Store, *, import_id: int | None = None, when: dt.date | dt.datetime | None = None) -> Store:
    """The store as it stood after an import, or after the last import made on or before a date
    (a date alone means the end of that day). Raises StoreError in Chinese when there is no such import."""
    if import_id is None and when is None:
        return store
    log = imports(store)
    if not log:
        raise StoreError(f"数据库 {store.path} 中还没有任何导入记录，无法按导入回溯")
    if when is not None:
        until = when if isinstance(when, dt.datetime) else dt.datetime.combine(when, dt.time.max)
        with store.reader() as con:
            import_id = queries.last_import_until(con, until)
        if import_id is None:
            first = log[-1]
            raise StoreError(f"{when}之前没有任何导入；最早的一次是第{first.import_id}次导入"
                             f"（{first.imported_at:%Y-%m-%d %H:%M}）")
        return store.at_import(import_id)
    if not any(r.import_id == import_id for r in log):
        raise StoreError(f"没有第{import_id}次导入；现有第{log[-1].import_id}至第{log[0].import_id}次导入"
                         "（scorecard history --imports 可查看）")
    return store.at_import(import_id)
