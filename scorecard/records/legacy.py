"""The records of the version before, taken over once when a records store is first opened: the DuckDB access
database (`data/scorecard-access.duckdb`, or SCORECARD_ACCESS_DB) with its accounts, lockouts, sessions and audit
log, and the warning reports kept in the data database. Nothing is lost: every row is copied in the migration's
transaction, and the access file is then renamed `….duckdb.migrated` (kept, no longer read). The warning reports
stay in the data file too (the app opens it read-only); the store notes that it took them.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Connection, func, insert, select

from . import tables
from .. import clock
from ..data.store import StoreError

ACCESS_DB_ENV = "SCORECARD_ACCESS_DB"
ACCESS_DONE, REPORTS_DONE = "legacy_access_taken_over", "legacy_reports_taken_over"
SET_ASIDE = ".migrated"

_COPIED = {  # old table → new table (the same columns)
    "users": tables.users, "sign_in_failures": tables.sign_in_failures, "sessions": tables.sessions,
    "audit": tables.audit,
}


def access_db_path(db_path) -> Path:
    """Where the version before kept accounts and the audit log: SCORECARD_ACCESS_DB, else beside the data."""
    if os.environ.get(ACCESS_DB_ENV):
        return Path(os.environ[ACCESS_DB_ENV])
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}-access.duckdb")


def done(con: Connection) -> bool:
    keys = tables.records_meta.c.key
    return con.execute(select(func.count()).where(keys.in_((ACCESS_DONE, REPORTS_DONE)))).scalar() == 2


def take_over(con: Connection, data: Path | None) -> list[Path]:
    """Copy the old records into the store (each part once); returns the old files to set aside after the
    commit. A data database that cannot be read now (held by an import, damaged) is tried again at the next
    opening: the accounts must not wait for it."""
    taken = []
    if not _noted(con, ACCESS_DONE):
        access = access_db_path(data) if data is not None else None
        try:
            counts = _copy_access(con, access) if access is not None and access.is_file() else []
        except StoreError:
            return taken
        _note(con, ACCESS_DONE, counts)
        taken += [access] if counts else []
    if not _noted(con, REPORTS_DONE):
        try:
            copied = _copy_warning_reports(con, Path(data)) if data is not None and Path(data).is_file() else 0
        except StoreError:
            return taken
        _note(con, REPORTS_DONE, [f"warning_reports={copied}"])
    return taken


def _noted(con: Connection, key: str) -> bool:
    return con.execute(select(tables.records_meta.c.value).where(tables.records_meta.c.key == key)).first() is not None


def _note(con: Connection, key: str, counts: list[str]) -> None:
    con.execute(insert(tables.records_meta).values(key=key, value=f"{clock.now():%Y-%m-%d %H:%M:%S} {' '.join(counts)}"))


def set_aside(paths: list[Path]) -> None:
    for path in paths:
        os.replace(path, path.with_name(path.name + SET_ASIDE))
        Path(str(path) + ".wal").unlink(missing_ok=True)


def _duckdb(path: Path):
    from ..data.store import connect

    return connect(path, read_only=True, wait_seconds=10.0)


def _copy_access(con: Connection, path: Path) -> list[str]:
    old = _duckdb(path)
    try:
        counts = []
        for name, table in _COPIED.items():
            columns = [c.name for c in table.columns]
            if not old.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                               [name]).fetchone()[0]:
                continue
            rows = [dict(zip(columns, row)) for row in
                    old.execute(f"SELECT {', '.join(columns)} FROM {name}").fetchall()]
            if rows:
                con.execute(insert(table), rows)
            counts.append(f"{name}={len(rows)}")
    finally:
        old.close()
    if any(c.startswith("audit=") and c != "audit=0" for c in counts) and con.dialect.name == "postgresql":
        con.exec_driver_sql("SELECT setval(pg_get_serial_sequence('audit', 'id'), (SELECT max(id) FROM audit))")
    return counts


def _copy_warning_reports(con: Connection, path: Path) -> int:
    from ..data.store import get_meta

    old = _duckdb(path)
    try:
        if not old.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'warning_reports'"
                           ).fetchone()[0]:
            return 0
        demo = get_meta(old, "demo") == "1"
        columns = [c.name for c in tables.warning_reports.columns if c.name != "demo"]
        rows = [dict(zip(columns, row), demo=demo) for row in
                old.execute(f"SELECT {', '.join(columns)} FROM warning_reports").fetchall()]
    finally:
        old.close()
    if rows:
        con.execute(insert(tables.warning_reports), rows)
    return len(rows)
