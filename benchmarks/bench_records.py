"""The session check (records.sessions.check_session) on SQLite and PostgreSQL, beside a floor: the same lookup
by token digest through the bare driver (sqlite3, psycopg) on a connection held open.

    .venv/bin/python benchmarks/bench_records.py                       # SQLite; PostgreSQL too when
    .venv/bin/python benchmarks/bench_records.py --postgres postgresql+psycopg://user@host:port/db
    .venv/bin/python benchmarks/bench_records.py --checks 200 --sessions 50   # a quick run

The store holds `--sessions` open sessions and ten audit lines each; every check is of a random one of them,
within the 30 seconds in which a check writes nothing (a check that notes activity writes once per 30 s per
session). Figures are the median and the 95th percentile of `--checks` checks, in milliseconds; the target is
a median under 2 ms. With `--postgres` (or SCORECARD_TEST_POSTGRES) a database is made for the run and dropped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from scorecard.config import AccessSettings  # noqa: E402
from scorecard.records import accounts, audit, sessions  # noqa: E402
from scorecard.records.store import Records, forget_engines  # noqa: E402
from scorecard.roles import PROVINCE, Principal  # noqa: E402

NOW = dt.datetime(2026, 3, 2, 9, 0)
TARGET_MS = 2.0
FLOOR_SQL = """SELECT s.name, s.last_seen, s.expires_at, s.ended_at, s.end_reason, u.role, u.city, u.disabled, u.demo
               FROM sessions s LEFT OUTER JOIN users u ON s.name = u.name WHERE s.token_sha256 = {mark}"""


def fill(records: Records, count: int) -> list[str]:
    """`count` sessions of `count` accounts (ten audit lines each); the tokens."""
    actor = audit.Actor("bench", channel="命令行")
    accounts.add_user(records, "bench", PROVINCE, None, secrets.token_urlsafe(16), actor=actor)
    with records.write() as con:
        for k in range(count * 10):
            audit.insert(con, actor, audit.SIGN_IN, detail=f"line {k}", at=NOW)
    return [sessions.start_session(records, Principal("bench", PROVINCE), AccessSettings(), now=NOW)
            for _ in range(count)]


def timed(check, tokens: list[str], checks: int) -> list[float]:
    chosen = random.Random(2003).choices(tokens, k=checks)
    for token in chosen[:20]:  # warm: pools filled, statements compiled and cached
        check(token)
    spent = []
    for token in chosen:
        start = time.perf_counter()
        check(token)
        spent.append((time.perf_counter() - start) * 1000)
    return spent


def measure(records: Records, floor_connect, mark: str, sessions_count: int, checks: int) -> dict:
    tokens = fill(records, sessions_count)
    settings = AccessSettings()
    at = NOW + dt.timedelta(seconds=10)

    def check(token):
        assert sessions.check_session(records, token, settings, now=at).principal is not None

    ours = timed(check, tokens, checks)
    con = floor_connect()
    sql = FLOOR_SQL.format(mark=mark)

    def bare(token):
        cursor = con.cursor()
        cursor.execute(sql, (hashlib.sha256(token.encode()).hexdigest(),))
        assert cursor.fetchone() is not None
        cursor.close()

    try:
        floor = timed(bare, tokens, checks)
    finally:
        con.close()
    return {"median": statistics.median(ours), "p95": statistics.quantiles(ours, n=20)[-1],
            "floor": statistics.median(floor), "floor_p95": statistics.quantiles(floor, n=20)[-1]}


def on_sqlite(sessions_count: int, checks: int) -> dict:
    import sqlite3

    with tempfile.TemporaryDirectory(prefix="bench-records-") as folder:
        records = Records.beside(Path(folder) / "scorecard.duckdb")
        figures = measure(records, lambda: sqlite3.connect(records.path), "?", sessions_count, checks)
        forget_engines()
        return figures


def on_postgres(server: str, sessions_count: int, checks: int) -> dict:
    import psycopg

    name = f"bench_records_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name)
    try:
        records = Records(url.render_as_string(hide_password=False))
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return measure(records, lambda: psycopg.connect(plain, autocommit=True), "%s", sessions_count, checks)
    finally:
        forget_engines()
        with admin.connect() as con:
            con.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checks", type=int, default=5000)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--postgres", default=os.environ.get("SCORECARD_TEST_POSTGRES"),
                        help="a PostgreSQL server (postgresql+psycopg://user@host:port/db) to make a database on")
    args = parser.parse_args(argv)
    rows = [("SQLite", on_sqlite(args.sessions, args.checks))]
    if args.postgres:
        rows.append(("PostgreSQL", on_postgres(args.postgres, args.sessions, args.checks)))
    print(f"session check, {args.checks} checks of {args.sessions} sessions (ms)")
    print("| backend | median | p95 | floor (bare driver) | floor p95 | ratio | target |")
    print("|---|--:|--:|--:|--:|--:|---|")
    for backend, f in rows:
        met = "✓" if f["median"] < TARGET_MS else "✗"
        print(f"| {backend} | {f['median']:.3f} | {f['p95']:.3f} | {f['floor']:.3f} | {f['floor_p95']:.3f} | "
              f"{f['median'] / f['floor']:.1f}× | {met} < {TARGET_MS:g} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
