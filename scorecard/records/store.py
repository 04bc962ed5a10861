"""The records store: accounts, sessions, lockout counters, the audit log and warning reports, behind SQLAlchemy
Core — a SQLite file beside the data database by default (`data/scorecard-records.sqlite`), PostgreSQL when
SCORECARD_RECORDS_URL is set (postgresql+psycopg://user@host/db), the way a provincial data centre runs it.

Why a store of its own: the app opens the data database read-only and it must stay so — a sign-in or an audit
line must neither wait for a long import nor make an import wait; `scorecard demo` replaces the data file, which
must not take the accounts and the audit log with it; and the file holding password hashes is guarded (0600)
and backed up on its own. SQLite runs in WAL mode with a busy timeout, so readers never wait for a writer; a
write transaction begins IMMEDIATE (it takes the write lock at once, so that two writers never both read and
then both write). On PostgreSQL a statement that counts takes the row lock (INSERT … ON CONFLICT DO UPDATE).

The schema is made and changed by the Alembic revisions in migrations/, run once per process when a store is
first opened; the records of the version before (the DuckDB access database, the warning reports in the data
database) are then taken over once (`legacy`).
"""

from __future__ import annotations

import os
import re
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from .. import private
from ..errors import InputError
from .location import RECORDS_URL_ENV, records_path

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_MS = 30_000
_MIGRATION_LOCK = 2003_0401  # a PostgreSQL advisory lock: one process migrates at a time

_engines: dict[str, Engine] = {}
_ready: set[str] = set()
_guard = threading.Lock()


class Records:
    """One records store, by its SQLAlchemy URL; `data`: the data database it belongs to (for the takeover)."""

    def __init__(self, url: str, *, data: Path | None = None):
        self.url = url
        self.data = Path(data) if data is not None else None
        try:
            self._parsed = make_url(url)
        except ArgumentError:
            raise InputError(f"环境变量 {RECORDS_URL_ENV} 不是有效的数据库地址") from None
        if self._parsed.get_backend_name() not in ("sqlite", "postgresql"):
            raise InputError(f"环境变量 {RECORDS_URL_ENV} 只能指向 SQLite 或 PostgreSQL 数据库")

    @classmethod
    def beside(cls, db_path) -> "Records":
        """The records of a data database: SCORECARD_RECORDS_URL, else the SQLite file beside it."""
        url = os.environ.get(RECORDS_URL_ENV, "").strip() or f"sqlite:///{records_path(Path(db_path).absolute())}"
        return cls(url, data=Path(db_path))

    def __repr__(self) -> str:
        return f"Records({self._parsed.render_as_string(hide_password=True)!r})"

    @property
    def path(self) -> Path | None:
        """The SQLite file (None on PostgreSQL)."""
        return Path(self._parsed.database) if self.sqlite else None

    @property
    def sqlite(self) -> bool:
        return self._parsed.get_backend_name() == "sqlite"

    @property
    def engine(self) -> Engine:
        with _guard:
            engine = _engines.get(self.url)
            if engine is None:
                engine = _engines[self.url] = self._new_engine()
        if self.url not in _ready:
            self._migrate(engine)
        return engine

    @contextmanager
    def read(self):
        """A connection for reads (a deferred transaction, rolled back at the end)."""
        with self.engine.connect() as con:
            yield con

    @contextmanager
    def write(self):
        """One transaction that holds the write lock from its start (SQLite) and commits at the end."""
        with self.engine.connect() as con:
            con.execution_options(write=True)
            with con.begin():
                yield con

    def _new_engine(self) -> Engine:
        if not self.sqlite:
            return create_engine(self.url, pool_size=5, max_overflow=20, pool_recycle=1800)
        path = self.path
        private.folder(path.parent, ours=False)
        try:
            os.close(private.create(path))  # SQLite makes its -wal and -shm files with the mode of this one
        except FileExistsError:
            private.tighten(path)
        engine = create_engine(self.url, pool_size=5, max_overflow=20,
                               connect_args={"timeout": BUSY_MS / 1000})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_con, _record):
            dbapi_con.isolation_level = None  # transactions begin as `_on_begin` says, not as sqlite3 guesses
            for pragma in ("journal_mode=WAL", f"busy_timeout={BUSY_MS}", "synchronous=NORMAL", "foreign_keys=ON"):
                dbapi_con.execute(f"PRAGMA {pragma}")

        @event.listens_for(engine, "begin")
        def _on_begin(con: Connection):
            con.exec_driver_sql("BEGIN IMMEDIATE" if con.get_execution_options().get("write") else "BEGIN")

        return engine

    def _migrate(self, engine: Engine) -> None:
        from . import legacy

        with _guard:
            if self.url in _ready:
                return
            with engine.connect() as con:
                if _up_to_date(con):
                    _ready.add(self.url)
                    return
                from alembic import command  # only when there is something to do: importing Alembic takes 0.2 s

                con.rollback()
                con.execution_options(write=True)
                with con.begin():
                    if not self.sqlite:
                        con.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
                    settings = _alembic_config()
                    settings.attributes["connection"] = con
                    command.upgrade(settings, "head")
                    taken = legacy.take_over(con, self.data)
            legacy.set_aside(taken)
            _ready.add(self.url)


def _alembic_config():
    from alembic.config import Config

    settings = Config()
    settings.set_main_option("script_location", str(MIGRATIONS))
    return settings


_REVISION = re.compile(r"^(down_)?revision(?:\s*:[^=]*)?\s*=\s*(?:None|[\"']([^\"']+)[\"'])\s*$", re.M)


@lru_cache(maxsize=1)
def _head() -> str:
    """The newest revision: the one no other revision follows. Read from the revision files' own lines when each
    names one revision and one predecessor (every command asks this; Alembic's loader takes 0.2 s to import);
    by Alembic otherwise."""
    revisions, followed = set(), set()
    files = sorted((MIGRATIONS / "versions").glob("*.py"))
    for path in files:
        found = _REVISION.findall(path.read_text(encoding="utf-8"))
        if sorted(down for down, _ in found) != ["", "down_"]:
            break
        for down, revision in found:
            (followed if down else revisions).add(revision)
    else:
        heads = revisions - followed
        if len(revisions) == len(files) and len(heads) == 1:
            return heads.pop()
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _up_to_date(con: Connection) -> bool:
    """Whether the store is at the newest revision and has taken over the old records (the common case, asked
    without loading Alembic's machinery)."""
    from . import legacy

    try:
        version = con.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # a new store: no table yet
        return False
    return version == _head() and legacy.done(con)


def forget_engines() -> None:
    """Close every pooled connection (a test dropping its PostgreSQL database; a process after fork)."""
    with _guard:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _ready.clear()


def serialize(con: Connection, what: str) -> None:
    """Writers of `what` take turns until the transaction ends (a new number is the highest plus one). On
    SQLite a write transaction already holds the write lock; PostgreSQL takes an advisory lock."""
    if con.dialect.name == "postgresql":
        con.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext(%(what)s))", {"what": what})
