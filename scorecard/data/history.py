"""What the database remembers: the import log, every value an import replaced, a copy of each
imported file, and which import was current at a given time (so a circulated score can be
reproduced from the data as it stood then).

The copies are kept beside the database under their sha256 (content-addressed: a file imported twice is kept
once, and the name a user gave a file — which may be longer than a file system allows — is data, in the
import log).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .. import private
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


def find_original(store: Store, sha256: str) -> Path | None:
    path = originals_dir(store) / sha256
    return path if path.is_file() else None


class OriginalCopy:
    """The copy of a file being imported, on its way into the originals folder (0600 in a 0700 folder).

    `write` copies it there without a name (O_TMPFILE: should the process die, it vanishes with it); `keep`
    names it <sha256>; `drop` takes that name away again when the import fails after all; `close` lets an
    unnamed copy go. Where the file system has no O_TMPFILE, the copy has a hidden name until it is kept."""

    def __init__(self, store: Store, sha256: str):
        self.folder = originals_dir(store)
        self.path = self.folder / sha256
        self.made = False          # this copy gave the file its name (none was kept before)
        self._fd: int | None = None
        self._pending: Path | None = None

    def write(self, source: Path) -> None:
        """Even when these bytes are kept already: an import failing meanwhile may take that name away again
        (`keep` and `drop` happen under the database's write lock, `write` before it)."""
        import secrets  # here, not for every reader of the history (a `scorecard score`): with random, hmac, base64

        private.folder(self.folder)
        try:
            self._fd = os.open(self.folder, os.O_TMPFILE | os.O_WRONLY, private.FILE_MODE)
            os.fchmod(self._fd, private.FILE_MODE)
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):  # not: no O_TMPFILE here
                raise
            self._pending = self.folder / f".{self.path.name}.{secrets.token_hex(6)}.pending"
            self._fd = private.create(self._pending)
        with open(source, "rb") as reader, os.fdopen(os.dup(self._fd), "wb") as writer:
            shutil.copyfileobj(reader, writer, 1 << 20)
            writer.flush()
            os.fsync(writer.fileno())

    def keep(self) -> None:
        folder = os.open(self.folder, os.O_RDONLY)
        try:
            # linkat(…, AT_SYMLINK_FOLLOW): a dir_fd makes os.link use it (plain link() would not follow)
            source = f"/proc/self/fd/{self._fd}" if self._pending is None else self._pending.name
            os.link(source, self.path.name, src_dir_fd=folder, dst_dir_fd=folder)
            self.made = True
            os.fsync(folder)  # the name lasts through a crash, as the data's commit will
        except FileExistsError:  # kept meanwhile by another import of the same bytes
            pass
        finally:
            os.close(folder)

    def drop(self) -> None:
        if self.made:
            self.path.unlink(missing_ok=True)
            self.made = False

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._pending is not None:
            self._pending.unlink(missing_ok=True)
            self._pending = None


def imports(store: Store, limit: int | None = None) -> list[ImportRecord]:
    """The import log, newest first."""
    if not store.exists():
        return []
    with store.reader() as con:
        rows = queries.recent_imports(con, limit)
    return [ImportRecord(*row, original=find_original(store, row[2])) for row in rows]


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
