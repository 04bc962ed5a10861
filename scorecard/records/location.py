"""Where the records of a data database are, and whether they can hold a decision of some years — both told without
opening the store through SQLAlchemy (store.py), which every `scorecard score` would otherwise import (a third of
its time at 9 units) to learn that nothing was decided."""

from __future__ import annotations

import os
from pathlib import Path

RECORDS_URL_ENV = "SCORECARD_RECORDS_URL"


def records_path(db_path) -> Path:
    """The default records file of a data database: `<name>-records.sqlite` beside it."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}-records.sqlite")


def may_hold_decisions(db_path, years) -> bool:
    """False only when the records beside `db_path` are sure to hold no decision (no version of one, withdrawn
    or not) of these years: no records file (nor SCORECARD_RECORDS_URL), or its `decisions` table has no row of
    them. Anything else — a PostgreSQL store, no such table yet, a file locked, damaged or not SQLite — is True:
    the store itself is then opened and says (migrating it, or failing in its words)."""
    if os.environ.get(RECORDS_URL_ENV, "").strip():
        return True
    path = records_path(Path(db_path).absolute())
    if not path.is_file():
        return False
    import sqlite3

    wanted = sorted({int(year) for year in years})
    try:
        con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            found = con.execute(f"SELECT 1 FROM decisions WHERE year IN ({','.join('?' * len(wanted))}) LIMIT 1",
                                wanted).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return True
    return found is not None
