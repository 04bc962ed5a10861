"""The DuckDB file of person records: a sibling of the actuals database (data/scorecard.duckdb keeps its
records in data/scorecard.persons.duckdb).

A file of its own because person records are of another size and sensitivity than the monthly totals: tens of
millions of wage rows must not slow down or lock the database every page reads, the file can be kept, backed
up and removed under its own rules, and the monthly totals can be handed out without them.
Every table is append-only: each row carries the import that brought it, and the rows in force as of an import
are the latest of each key not newer than it (derive.py), so a result can be reproduced as of import N.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import duckdb

from .. import errors, private
from ..data.store import StoreError, connect
from .schemas import tables

IMPORTS_DDL = """
CREATE TABLE IF NOT EXISTS person_imports (
    import_id   INTEGER PRIMARY KEY,
    imported_at TIMESTAMP NOT NULL,
    imported_by VARCHAR,
    rows_total  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS person_import_files (
    import_id  INTEGER NOT NULL,
    file_name  VARCHAR NOT NULL,
    sha256     VARCHAR NOT NULL,
    table_code VARCHAR NOT NULL,
    rows       INTEGER NOT NULL
);
"""


def persons_path(actuals_db: Path) -> Path:
    actuals_db = Path(actuals_db)
    return actuals_db.with_name(actuals_db.stem + ".persons.duckdb")


class PersonStore:
    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def beside(cls, actuals_db: Path) -> "PersonStore":
        return cls(persons_path(actuals_db))

    def exists(self) -> bool:
        return self.path.is_file()

    def missing(self) -> str:
        return f"个人记录库 {self.path} 不存在：请先导入个人记录（scorecard records import 文件名）"

    @contextmanager
    def reader(self):
        if not self.exists():
            raise StoreError(self.missing())
        con = connect(self.path, read_only=True, wait_seconds=10.0)
        try:
            yield con
        finally:
            con.close()

    def attach(self, con, *, write: bool) -> None:
        """This file as database `p` of `con` (a connection of its own, in memory, where an import stages its
        files: a refused import never touches the file, nor makes it). Writing makes the file and its tables."""
        try:
            if write:
                private.folder(self.path.parent, ours=False)
                with private.umask():
                    con.execute("ATTACH ? AS p", [str(self.path)])
                con.execute("USE p")
                con.execute(IMPORTS_DDL + ";".join(t.ddl() for t in tables().values()))
                con.execute("USE memory")
            else:
                con.execute("ATTACH ? AS p (READ_ONLY)", [str(self.path)])
        except duckdb.Error as exc:
            why = errors.cannot_write(exc, self.path.parent.absolute()) or (
                "另一个程序正在使用该文件，请稍后重试" if "lock" in str(exc).lower() else "文件已损坏，或不是本系统的个人记录库")
            raise StoreError(f"无法打开个人记录库 {self.path}：{why}") from exc

    def imports(self) -> list[tuple]:
        """(import id, time, by whom, rows) of every import, oldest first."""
        if not self.exists():
            return []
        with self.reader() as con:
            return con.execute("SELECT import_id, imported_at, imported_by, rows_total FROM person_imports "
                               "ORDER BY import_id").fetchall()
