"""Shared fixtures: temporary config folders and databases, the CLI run in-process, and app.py in AppTest.

Records (accounts, sessions, the audit log, warning reports) are each test's own: a database of the session
(demo_db, small_db, empty_db) is only read, and a test that signs in or writes an audit line on one works on
its own copy of the records beside it (`own_records`, which open_app uses), or on a `writable_copy`. Tests of
the records store itself run on SQLite and PostgreSQL (`records_url`)."""

from __future__ import annotations

import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from scorecard.records import passwords, sessions
from scorecard.records import accounts
from scorecard.records.legacy import ACCESS_DB_ENV
from scorecard.records.store import RECORDS_URL_ENV, Records, forget_engines, records_path
from scorecard.config import cache as configcache
from scorecard.roles import CITY, PROVINCE, Principal
from scorecard.records.audit import Actor
from scorecard.cli import main
from scorecard.config import AccessSettings
from scorecard.actions.demo import build_demo
from scorecard.actions.imports import import_file
from scorecard.data.store import Store
from scorecard.config import load_config

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_CONFIG = ROOT / "config"
EXAMPLE = Path(__file__).resolve().parent / "data" / "example"


@dataclass
class CliRun:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys):
    """Run `scorecard …` in-process; returns exit code, stdout and stderr."""

    def run(*args) -> CliRun:
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse misuse
            code = exc.code
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err)

    return run


@pytest.fixture
def config_dir(tmp_path) -> Path:
    """A writable copy of the shipped config folder."""
    return copy_config(tmp_path / "config")


@pytest.fixture
def example_dir(tmp_path) -> Path:
    """A writable copy of the worked example (config, actuals.csv, expected/)."""
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture(scope="session")
def _config_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("config-cache")


@pytest.fixture(autouse=True)
def _no_ambient_paths(monkeypatch, _config_cache):
    """Tests never read the developer's own data/ or a config set in the shell, and keep the config cache
    (scorecard/config/cache.py) in a folder of their own, shared by the session so that it is exercised."""
    for name in ("SCORECARD_CONFIG", "SCORECARD_DB", ACCESS_DB_ENV, RECORDS_URL_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(configcache.CACHE_ENV, str(_config_cache))
    os.environ.setdefault("SCORECARD_DEBUG", "")
    yield
    forget_engines()  # every test's records are its own: no pooled connection outlives it


CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch):
    """argon2id still, with the smallest cost: the servers verify these quickly too (the cost is in the hash)."""
    monkeypatch.setattr(passwords, "hasher", CHEAP_HASHER)
    monkeypatch.setattr(passwords, "_dummy_hash", None)


@pytest.fixture(params=["sqlite", "postgresql"])
def records_url(request, tmp_path):
    """A fresh, empty records store: a SQLite file, and — when SCORECARD_TEST_POSTGRES names a server
    (postgresql+psycopg://user@host:port/db) — a PostgreSQL database made for this test and dropped after.
    Without it the PostgreSQL run is skipped, unless SCORECARD_REQUIRE_POSTGRES=1 (as in .ci/run)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'records.sqlite'}"
        return
    server = os.environ.get("SCORECARD_TEST_POSTGRES")
    if not server:
        if os.environ.get("SCORECARD_REQUIRE_POSTGRES") == "1":
            pytest.fail("SCORECARD_TEST_POSTGRES is not set and SCORECARD_REQUIRE_POSTGRES=1")
        pytest.skip("SCORECARD_TEST_POSTGRES is not set")
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"scorecard_test_{secrets.token_hex(6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        forget_engines()
        with admin.connect() as con:
            con.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def records(records_url) -> Records:
    return Records(records_url)


def copy_records(db: Path, target: Path) -> None:
    """The records beside a session database (the demo's warning report) copied beside `target`."""
    seed = records_path(db)
    if seed.exists():
        shutil.copy(seed, records_path(target))


@pytest.fixture
def own_records(monkeypatch, tmp_path):
    """`own_records(db)`: from here on in this test, the records of `db` are a copy of their own (what the
    session's database came with), in SCORECARD_RECORDS_URL — which servers started by the test inherit."""

    def isolate(db) -> Records:
        target = tmp_path / "own-records" / "scorecard.duckdb"
        if not target.parent.exists():
            target.parent.mkdir()
            copy_records(Path(db), target)
        url = f"sqlite:///{records_path(target)}"
        monkeypatch.setenv(RECORDS_URL_ENV, url)
        return Records(url)

    return isolate


def make_user(db_path, role: str = PROVINCE, city: str | None = None) -> Principal:
    """An account in the records of `db_path` (made once), as a principal; `role`: one role, or several joined
    by 、."""
    short = {PROVINCE: "province", CITY: "city", "数据管理员": "admin"}.get(role) or re.sub(r"\W+", "-", role)
    name = f"test-{short}" + (f"-{city}" if city else "")
    db = Records.beside(db_path)
    if name not in {a.name for a in accounts.accounts(db)}:
        accounts.add_user(db, name, role, city, "never typed: tests sign in by session", actor=Actor("pytest", channel="命令行"))
    return Principal(name, role, city)


def session_token(db_path, role: str = PROVINCE, city: str | None = None) -> str:
    """A signed-in session of a test user, as the sign-in page would have started it (the cookie's value)."""
    return sessions.start_session(Records.beside(db_path), make_user(db_path, role, city), AccessSettings())


# A few reports of 长春市 in 2003: new insured persons lack March, nothing else reports.
SMALL_ROWS = """year,month,city,measure,value
2003,1,220100,new_insured_persons,1000
2003,2,220100,new_insured_persons,2000
2003,4,220100,new_insured_persons,1500
2003,1,220100,contributions_collected,2000
2003,2,220100,contributions_collected,2000
2003,3,220100,contributions_collected,2000
2003,4,220100,contributions_collected,2000
2003,1,长春市,fund_income,2100
2003,1,长春市,fund_expenditure,1900
2003,1,长春市,fund_balance,20000
"""


def reported(config) -> list[str]:
    """The codes of the measures a city reports (imports, forms), in catalogue order: not those only derived."""
    return [code for code, measure in config.measures.items() if measure.reported]


def copy_config(target: Path) -> Path:
    shutil.copytree(SHIPPED_CONFIG, target)
    return target


def break_config(directory: Path) -> Path:
    """Two mistakes officials make: an unquoted city code and weights not adding up to 100."""
    cities = directory / "cities.yaml"
    cities.write_text(cities.read_text(encoding="utf-8").replace('code: "220100"', "code: 220100"), encoding="utf-8")
    contract = directory / "contracts" / "2003" / "220200-吉林市.yaml"
    text = contract.read_text(encoding="utf-8")
    contract.write_text(text.replace("weight: 15", "weight: 14", 1), encoding="utf-8")
    return directory


@pytest.fixture(scope="session")
def shipped_config_dir(tmp_path_factory) -> Path:
    """A copy of the shipped config shared by the tests that only read it (config_dir: one to edit)."""
    return copy_config(tmp_path_factory.mktemp("config") / "config")


@pytest.fixture(scope="session")
def unchecked_config_dir(tmp_path_factory) -> Path:
    """The shipped config without its 审核公式 (`checks:` of indicators.yaml): for the tests whose synthetic values
    measure sizes, disks and magnitudes and are not meant to be consistent reports (a numerator above its
    denominator)."""
    folder = copy_config(tmp_path_factory.mktemp("unchecked") / "config")
    catalogue = folder / "indicators.yaml"
    text = catalogue.read_text(encoding="utf-8")
    assert "\nchecks:" in text
    catalogue.write_text(text.split("\nchecks:", 1)[0] + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def config(shipped_config_dir):
    loaded, problems = load_config(shipped_config_dir)
    assert not problems, problems
    return loaded


@pytest.fixture(scope="session")
def invalid_config_dir(tmp_path_factory) -> Path:
    return break_config(copy_config(tmp_path_factory.mktemp("invalid") / "config"))


def writable_copy(db: Path, folder: Path) -> Path:
    """A copy of one of the session's shared databases (demo_db, small_db, empty_db), with its records, for one
    test (or one module's server) to change."""
    copy = folder / "scorecard.duckdb"
    shutil.copy(db, copy)
    copy_records(db, copy)
    return copy


_SEALED: dict[Path, bytes] = {}  # the records files of the session's databases, as they were made


def _sealed(path: Path) -> Path:
    """A session database made: its records' pooled connections closed, so the file holds them all (no -wal),
    and noted, so that a test writing into them fails (`_shared_records_untouched`)."""
    forget_engines()
    records = records_path(path)
    if records.exists():
        _SEALED[records] = _fingerprint(records)
    return path


def _fingerprint(records: Path) -> bytes:
    wal = records.with_name(records.name + "-wal")
    return records.read_bytes() + (b"wal" if wal.exists() and wal.stat().st_size else b"")


@pytest.fixture(autouse=True)
def _shared_records_untouched(request):
    yield
    changed = [path for path, made in _SEALED.items() if _fingerprint(path) != made]
    for path in changed:
        _SEALED[path] = _fingerprint(path)  # said once, by the test that wrote
    if changed:
        pytest.fail(f"{request.node.nodeid} wrote into the records of a database shared by the session: {changed} "
                    "(use own_records or writable_copy)")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, config) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(Store(path), config)
    return _sealed(path)


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory) -> Path:
    """A database file with the tables but no actuals, as a fresh install before the first import."""
    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    with Store(path).writer():
        pass
    return _sealed(path)


@pytest.fixture(scope="session")
def small_db(tmp_path_factory, config) -> Path:
    folder = tmp_path_factory.mktemp("small")
    source = folder / "2003-长春市.csv"
    source.write_text(SMALL_ROWS, encoding="utf-8")
    path = folder / "small.duckdb"
    result = import_file(Store(path), config, source)
    assert result.ok, result.problems
    return _sealed(path)


@pytest.fixture
def open_app(monkeypatch, own_records):
    """An AppTest of app.py pointed at a config folder and a database (with records of this test's own),
    optionally opened with a URL query, signed in as a 省级 test user (`as_`: a role, (市州, city code), a
    session token, or None for nobody)."""
    from streamlit.testing.v1 import AppTest

    from dashboard import session

    def open_(config_dir, db, query: dict | None = None, as_=PROVINCE) -> "AppTest":
        monkeypatch.setenv("SCORECARD_CONFIG", str(config_dir))
        monkeypatch.setenv("SCORECARD_DB", str(db))
        own_records(db)
        if as_ is None:
            cookies = {}
        else:
            token = as_ if isinstance(as_, str) and as_ not in (PROVINCE, "数据管理员") else (
                session_token(db, *as_) if isinstance(as_, tuple) else session_token(db, as_))
            cookies = {sessions.COOKIE: token}
        monkeypatch.setattr(session, "request_cookies", lambda: cookies)
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        app.query_params.update(query or {})
        return app.run()

    return open_


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's, never a downloaded one): skipped when missing, unless CI requires it."""
    from live_server import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        if os.environ.get("SCORECARD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and SCORECARD_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The shipped config with demo data, and the documents made from it (export_support.Demo)."""
    from export_support import Demo

    return Demo(tmp_path_factory.mktemp("export-demo"))
