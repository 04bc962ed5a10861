"""The DuckDB file that holds the monthly actuals and their history.

Readers open the file read-only and briefly (a connection per unit of work,
a cursor per query), so that an importer in another process can take the
write lock between them; a writer waits and retries while a reader holds it.
Writers of one process (two app sessions importing at once) take turns.

A reader does not start a DuckDB database of its own (20–40 ms of CPU each time, more than the small
queries of a result): every reader of the process is a cursor of one in-memory database, to which the file
is attached read-only while any reader of it is open and detached when the last one closes — so the lock
is held no longer than before, and every reader after a write reads the file anew.
"""

from __future__ import annotations

import os
import shlex
import threading
import time
import weakref
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

try:  # DuckDB's engine, which the `duckdb` package re-exports: the package's Python layer (its relation and
    # expression API, 30 dataclasses, its version read through importlib.metadata) is none of what the store uses,
    # and importing it was 0.1 s of every `scorecard score`
    import _duckdb as duckdb
except ImportError:  # a DuckDB whose engine module is named otherwise: the package, as before
    import duckdb

from .. import errors, private

DEFAULT_DB = Path("data") / "scorecard.duckdb"

SCHEMA = """
CREATE TABLE IF NOT EXISTS imports (
    import_id      INTEGER PRIMARY KEY,
    file_name      VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL,
    imported_at    TIMESTAMP NOT NULL,
    imported_by    VARCHAR,
    rows_total     INTEGER NOT NULL,
    rows_new       INTEGER NOT NULL,
    rows_replaced  INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL
);
-- the value in force for each (year, month, city, measure); unique by construction
CREATE TABLE IF NOT EXISTS actuals (
    year      SMALLINT NOT NULL,
    month     TINYINT NOT NULL,
    city      VARCHAR NOT NULL,
    measure   VARCHAR NOT NULL,
    value     DOUBLE NOT NULL,
    import_id INTEGER NOT NULL
);
-- every value that an import replaced, with the import that had brought it
CREATE TABLE IF NOT EXISTS actuals_history (
    year          SMALLINT NOT NULL,
    month         TINYINT NOT NULL,
    city          VARCHAR NOT NULL,
    measure       VARCHAR NOT NULL,
    old_value     DOUBLE NOT NULL,
    old_import_id INTEGER NOT NULL,
    new_value     DOUBLE NOT NULL,
    new_import_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);
"""

# The values as they stood after a given import: the latest version not newer than it.
AS_OF_IMPORT = """(
    SELECT year, month, city, measure, arg_max(value, import_id) AS value
    FROM (
        SELECT year, month, city, measure, value, import_id FROM actuals WHERE import_id <= $as_of
        UNION ALL
        SELECT year, month, city, measure, old_value, old_import_id FROM actuals_history
        WHERE old_import_id <= $as_of
    )
    GROUP BY year, month, city, measure
)"""


_WRITERS: dict[Path, threading.Lock] = {}
_WRITERS_GUARD = threading.Lock()


def _writer_lock(path: Path) -> threading.Lock:
    """DuckDB lets two connections of one process write at once and fails one of them at commit;
    writers of the same file in this process wait for each other instead."""
    with _WRITERS_GUARD:
        return _WRITERS.setdefault(path.resolve(), threading.Lock())


class StoreError(Exception):
    """A problem with the database file, said in Chinese for the user."""


def _is_lock_error(exc: Exception) -> bool:
    """Another process holds the file, or — in the app, where every session shares one process —
    a reader and a writer of this process would need the file opened two ways at once."""
    text = str(exc)
    return ("lock" in text.lower() or "Conflicting" in text or "different configuration" in text
            or "file handle conflict" in text)  # attached by the readers of this process (or they by a writer)


def missing_text(path) -> str:
    """What to do about a database file that is not there (said by the CLI and on every page)."""
    return (f"数据库文件 {path} 不存在：可能被移动或删除了。请从备份恢复该文件，或导入数据"
            f"（scorecard --db {shlex.quote(str(path))} import 文件名）。系统不会自动新建数据库。")


class Store:
    def __init__(self, path, as_of_import: int | None = None, *, create: bool = True):
        self.path = Path(path)
        self.as_of_import = as_of_import
        self.create = create    # whether a writer may create the file (False: the app's writes)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def exists(self) -> bool:
        return self.path.is_file()

    def version(self) -> tuple:
        """Changes whenever the file is written; used to invalidate caches."""
        stamps = []
        for path in (self.path, Path(str(self.path) + ".wal")):
            try:
                st = path.stat()
                stamps.append((st.st_mtime_ns, st.st_size, st.st_ino))
            except FileNotFoundError:
                stamps.append(None)
        return tuple(stamps) + (self.as_of_import,)

    def at_import(self, import_id: int | None) -> "Store":
        return Store(self.path, import_id, create=self.create)

    @property
    def values(self) -> str:
        """The relation to read actuals from (a fixed SQL fragment; parameters stay bound)."""
        return "actuals" if self.as_of_import is None else AS_OF_IMPORT

    def params(self, **params) -> dict:
        if self.as_of_import is not None:
            params["as_of"] = self.as_of_import
        return params

    @contextmanager
    def reader(self, wait_seconds: float = 10.0):
        if not self.exists():
            raise StoreError(missing_text(self.path))
        attached = _attach(self.path, wait_seconds)
        try:
            con = attached.cursor()
        except BaseException:
            _detach(attached)
            raise
        try:
            yield con
        finally:
            con.close()
            _detach(attached)

    def read_aside(self, function) -> "Aside":
        """`function(con)` on a reader of its own, in a thread of its own (`Aside`): DuckDB runs a query without
        holding Python's lock, so the caller goes on with its Python work meanwhile (scoring the units while the
        fund's query runs). The reader is opened here, in the caller's thread: called within a reader, it reads
        the file as that one does (no writer can come between)."""
        reading = ExitStack()
        con = reading.enter_context(self.reader())
        aside = Aside(function, con, reading)
        try:
            aside.start()
        except BaseException:  # no thread to close the reader (e.g. none can be started): closed here
            reading.close()
            raise
        return aside

    @contextmanager
    def writer(self, wait_seconds: float = 60.0, on_wait=None):
        if not self.create and not self.exists():
            raise StoreError(missing_text(self.path))
        private.folder(self.path.parent, ours=False)
        deadline = time.monotonic() + wait_seconds
        lock = _writer_lock(self.path)
        if not lock.acquire(blocking=False):
            if on_wait:
                on_wait("另一个导入正在写入数据库，等待其完成后继续……")
            if not lock.acquire(timeout=wait_seconds):
                raise StoreError(f"数据库 {self.path} 正被另一个导入占用，请稍后重试")
        try:
            with private.umask():  # the file, its .wal and DuckDB's spill files: the owner's alone
                con = self._connect(read_only=False, wait_seconds=max(0.0, deadline - time.monotonic()),
                                    on_wait=on_wait)
                try:
                    con.execute(SCHEMA)
                    yield con
                except BaseException:
                    self._drop_empty_wal()
                    raise
                finally:
                    con.close()
        finally:
            lock.release()

    def _drop_empty_wal(self) -> None:
        """A write that failed on a full disk leaves an empty .wal behind; it holds nothing (removed while this
        process still holds the file, so no other writer can have written to it)."""
        wal = Path(f"{self.path}.wal")
        with suppress(OSError):
            if wal.stat().st_size == 0:
                wal.unlink()

    def _connect(self, read_only: bool, wait_seconds: float, on_wait=None):
        return connect(self.path, read_only=read_only, wait_seconds=wait_seconds, on_wait=on_wait)


class Aside(threading.Thread):
    """A read run aside (Store.read_aside): `result()` waits for it and gives its value or raises its error;
    leaving it as a context waits for it too, so that no query outlives the work it was started for (an
    interpreter that ends with a thread inside DuckDB aborts)."""

    def __init__(self, function, con, reading: ExitStack):
        super().__init__(name="scorecard-read-aside", daemon=True)
        self._work, self._con, self._reading = function, con, reading
        self._value = self._error = None

    def run(self):
        with self._reading:  # the reader closed before the thread ends
            try:
                self._value = self._work(self._con)
            except BaseException as error:
                self._error = error
        self._work = self._con = None

    def result(self):
        self.join()
        if self._error is not None:
            raise self._error
        return self._value

    def __enter__(self) -> "Aside":
        return self

    def __exit__(self, *exc) -> None:
        self.join()


class _Attached:
    """The file (`key`: its resolved path) attached read-only to the readers' database (`_READERS`) under `alias`,
    while `users` readers of it are open; the tables it was seen to hold (it cannot change while attached: no
    writer can open it)."""

    def __init__(self, key: str, alias: str):
        self.key, self.alias, self.users, self.tables = key, alias, 0, set()

    def cursor(self):
        """A cursor of the readers' database whose tables are this file's: one reader's connection."""
        with _READERS.guard:  # the readers' database itself is used by one thread at a time
            con = _READERS.database.cursor()
        con.execute(f"USE {self.alias}")
        _ATTACHED_OF[con] = self
        return con


class _Readers:
    """The process's one in-memory DuckDB database every reader is a cursor of (started with the first reader)."""

    def __init__(self):
        self.guard = threading.Lock()
        self.files: dict[str, _Attached] = {}  # the file's resolved path → its attachment
        self.count = 0
        self._database = None

    @property
    def database(self):
        if self._database is None:
            self._database = duckdb.connect(":memory:")
        return self._database


_READERS = _Readers()
_ATTACHED_OF: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # a reader's cursor → its attachment


def _attach(path: Path, wait_seconds: float) -> _Attached:
    """The file attached for one more reader, retried while another process (or a writer of this one) holds it."""
    key = str(path.resolve())
    deadline = time.monotonic() + wait_seconds
    while True:
        with _READERS.guard:
            attached = _READERS.files.get(key)
            if attached is None:
                _READERS.count += 1
                alias = f"store{_READERS.count}"
                try:
                    _READERS.database.execute(f"ATTACH $path AS {alias} (READ_ONLY)", {"path": key})
                except duckdb.Error as exc:
                    if not _is_lock_error(exc):
                        why = errors.cannot_write(exc, Path(path).absolute()) or "文件已损坏，或不是本系统的数据库"
                        raise StoreError(f"无法打开数据库 {path}（{why}）") from None
                else:
                    attached = _READERS.files[key] = _Attached(key, alias)
            if attached is not None:
                attached.users += 1
                return attached
        if time.monotonic() >= deadline:
            raise StoreError(f"数据库 {path} 正被其他程序占用（可能正在导入数据），请稍后重试")
        time.sleep(0.2)


def _detach(attached: _Attached) -> None:
    """One reader fewer; the file detached (its lock released) when it was the last."""
    with _READERS.guard:
        attached.users -= 1
        if attached.users == 0:
            del _READERS.files[attached.key]
            _READERS.database.execute(f"DETACH {attached.alias}")


def connect(path: Path, *, read_only: bool, wait_seconds: float, on_wait=None):
    """A DuckDB connection to `path`, retried while another process holds the file's lock."""
    deadline = time.monotonic() + wait_seconds
    waited = False
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            if not read_only:
                private.tighten(path, f"{path}.wal")  # a file made before files were kept private
            return con
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                why = errors.cannot_write(exc, Path(path).absolute()) or "文件已损坏，或不是本系统的数据库"
                raise StoreError(f"无法打开数据库 {path}（{why}）") from None
            if time.monotonic() >= deadline:
                raise StoreError(f"数据库 {path} 正被其他程序占用（可能正在导入数据），请稍后重试") from None
            if on_wait and not waited:
                on_wait("数据库正被其他程序读取，等待其释放后继续……")
            waited = True
            time.sleep(0.2)


def query(con, sql: str, params=None) -> list[tuple]:
    """One cursor per query: DuckDB refuses concurrent calls on one connection.

    A cursor is a connection of its own: it does not see the caller's open transaction or temp
    tables, so writers call `con.execute` directly. A reader's connection (`Store.reader`) is already a cursor
    of its own, for one unit of work: its queries run on it (another cursor would need the file named again)."""
    if con in _ATTACHED_OF:
        return con.execute(sql, params or {}).fetchall()
    cursor = con.cursor()
    try:
        return cursor.execute(sql, params or {}).fetchall()
    finally:
        cursor.close()


def has_schema(con, table: str = "actuals") -> bool:
    """Whether the table exists: an empty file or one from an older version may lack it. Asked by reading none of
    its rows: on a connection just opened, information_schema first loads the whole catalogue (15 ms, five times
    a result; this: 1 ms)."""
    if not table.isidentifier():
        raise ValueError(f"not a table name: {table!r}")
    attached = _ATTACHED_OF.get(con)
    if attached is not None and table in attached.tables:  # once per attachment: the file cannot change meanwhile
        return True
    try:
        query(con, f'SELECT 1 FROM "{table}" LIMIT 0')
    except duckdb.CatalogException:
        return False
    if attached is not None:
        attached.tables.add(table)
    return True


def get_meta(con, key: str) -> str | None:
    if not has_schema(con):
        return None
    rows = query(con, "SELECT value FROM meta WHERE key = $key", {"key": key})
    return rows[0][0] if rows else None


def resolve_db(path=None) -> Path:
    return Path(path or os.environ.get("SCORECARD_DB") or DEFAULT_DB)
