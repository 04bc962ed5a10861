"""The records of the version before — the DuckDB access database and the warning reports in the data database
— are taken over once when the records store is first opened: no account, session, lockout or audit line lost,
the old access file kept under another name, and nothing copied twice."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from scorecard.records import accounts, audit, legacy, sessions, signin
from scorecard.records.store import Records, forget_engines
from scorecard.records.warning_reports import current_reports, holds_real_reports, report_versions
from scorecard import clock
from scorecard.config import AccessSettings
from scorecard.data.store import Store

NOW = dt.datetime(2026, 3, 2, 9, 0)

# The schema of scorecard-access.duckdb as the version before made it.
OLD_ACCESS = """
CREATE TABLE users (name VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, city VARCHAR, password_hash VARCHAR NOT NULL,
    demo BOOLEAN NOT NULL, disabled BOOLEAN NOT NULL, created_at TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL, last_sign_in TIMESTAMP);
CREATE TABLE sign_in_failures (name VARCHAR PRIMARY KEY, failures INTEGER NOT NULL, locked_until TIMESTAMP);
CREATE TABLE sessions (token_sha256 VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL, ended_at TIMESTAMP, end_reason VARCHAR);
CREATE SEQUENCE audit_id;
CREATE TABLE audit (id BIGINT PRIMARY KEY DEFAULT nextval('audit_id'), occurred_at TIMESTAMP NOT NULL,
    who VARCHAR NOT NULL, role VARCHAR, city VARCHAR, channel VARCHAR NOT NULL, action VARCHAR NOT NULL,
    target VARCHAR, detail VARCHAR, outcome VARCHAR NOT NULL, address VARCHAR);
"""
OLD_REPORTS = """
CREATE TABLE warning_reports (report_id INTEGER NOT NULL, version INTEGER NOT NULL, city VARCHAR NOT NULL,
    year SMALLINT NOT NULL, month TINYINT NOT NULL, reported_local DATE, filed_province DATE, note VARCHAR,
    withdrawn BOOLEAN NOT NULL, entered_at TIMESTAMP NOT NULL, entered_by VARCHAR);
"""
TOKEN = "an-old-session-token-still-in-a-browser"


@pytest.fixture(autouse=True)
def _now():
    with clock.fixed(NOW):
        yield


def old_files(folder, *, audit_lines: int = 40):
    """A data database with two versions of a warning report, and an access database with two accounts (one
    with an open session, one locked) and `audit_lines` lines, as the version before left them."""
    from scorecard.records.passwords import hash_password
    from scorecard.records.sessions import _digest

    data, access = folder / "scorecard.duckdb", folder / "scorecard-access.duckdb"
    with Store(data).writer():  # the tables of the actuals, which are as they were
        pass
    with duckdb.connect(str(data)) as con:
        con.execute(OLD_REPORTS)
        con.execute("INSERT INTO warning_reports VALUES (1, 1, '220400', 2003, 10, DATE '2003-11-06', NULL, '已报', "
                    "false, TIMESTAMP '2003-11-07 10:00', 'ops'), (1, 2, '220400', 2003, 10, DATE '2003-11-06', "
                    "DATE '2003-11-14', '已报省', false, TIMESTAMP '2003-11-15 10:00', 'ops')")
    with duckdb.connect(str(access)) as con:
        con.execute(OLD_ACCESS)
        con.execute("INSERT INTO users VALUES (?, '市州', '220100', ?, false, false, ?, ?, ?)",
                    ["li.si", hash_password("Kettle-Harbour-1987"), NOW, NOW, NOW])
        con.execute("INSERT INTO users VALUES (?, '省级', NULL, ?, false, false, ?, ?, NULL)",
                    ["wang.wu", hash_password("Orchard-Lane-2003"), NOW, NOW])
        con.execute("INSERT INTO sign_in_failures VALUES ('wang.wu', 5, ?)", [NOW + dt.timedelta(minutes=15)])
        con.execute("INSERT INTO sessions VALUES (?, 'li.si', ?, ?, ?, NULL, NULL)",
                    [_digest(TOKEN), NOW, NOW, NOW + dt.timedelta(hours=12)])
        for k in range(audit_lines):
            con.execute("INSERT INTO audit (occurred_at, who, role, city, channel, action, target, detail, outcome, "
                        "address) VALUES (?, 'li.si', '市州', '220100', '网页', '登录', NULL, ?, '成功', '10.0.0.7')",
                        [NOW - dt.timedelta(days=1, minutes=-k), f"第{k + 1}行"])
    return data, access


def test_the_old_records_are_taken_over_once_with_nothing_lost(tmp_path, records_url):
    data, access = old_files(tmp_path)
    store = Records(records_url, data=data)
    log = audit.entries(store, limit=1000)
    assert [e.detail for e in log][::-1] == [f"第{k + 1}行" for k in range(40)]
    assert {(e.who, e.address, e.at.date()) for e in log} == {("li.si", "10.0.0.7", (NOW - dt.timedelta(days=1)).date())}
    assert [(a.name, a.role, a.city, a.locked_until) for a in accounts.accounts(store)] == [
        ("li.si", "市州", "220100", None), ("wang.wu", "省级", None, NOW + dt.timedelta(minutes=15))]
    assert [(r.report_id, r.version, r.filed_province) for r in report_versions(store)] == [
        (1, 1, None), (1, 2, dt.date(2003, 11, 14))]
    assert [r.note for r in current_reports(store)] == ["已报省"] and holds_real_reports(store)

    # the old access file is kept under another name and read no more; the data file is left as it was
    assert not access.exists() and access.with_name(access.name + legacy.SET_ASIDE).is_file() and data.is_file()
    # what the accounts held still works: the session, the password, the lock
    check = sessions.check_session(store, TOKEN, AccessSettings(idle_minutes=60 * 24 * 365), now=NOW)
    assert check.principal.user == "li.si"
    assert signin.authenticate(store, "li.si", "Kettle-Harbour-1987", demo_database=False, now=NOW).principal
    assert signin.authenticate(store, "wang.wu", "Orchard-Lane-2003", demo_database=False, now=NOW).principal is None
    # new lines follow the old ones
    audit.record(store, audit.Actor("ops", channel="命令行"), audit.ACCOUNT, detail="after the takeover")
    assert audit.entries(store, limit=1)[0].id > max(e.id for e in log)

    before = audit.entries(store, limit=1000)
    forget_engines()  # another process opening the store: nothing is copied twice
    old_files_again = tmp_path / "again"
    old_files_again.mkdir()
    _, access_again = old_files(old_files_again, audit_lines=3)
    access_again.replace(access)  # an old file put back beside the data is not taken over a second time
    assert audit.entries(Records(records_url, data=data), limit=1000) == before
    assert access.exists()


def test_demo_reports_are_marked_as_demo(tmp_path, records_url):
    data, _ = old_files(tmp_path, audit_lines=1)
    with duckdb.connect(str(data)) as con:
        con.execute("INSERT INTO meta VALUES ('demo', '1')")
    store = Records(records_url, data=data)
    assert len(report_versions(store)) == 2 and not holds_real_reports(store)


def test_a_store_with_no_old_records_starts_empty(tmp_path, records_url):
    store = Records(records_url, data=tmp_path / "scorecard.duckdb")
    assert accounts.accounts(store) == [] and audit.entries(store) == [] and report_versions(store) == []


@pytest.mark.parametrize("where", ["beside", "env"])
def test_the_old_access_file_is_found_where_it_was(tmp_path, monkeypatch, where):
    data, access = old_files(tmp_path, audit_lines=2)
    if where == "env":
        moved = tmp_path / "elsewhere" / "access.duckdb"
        moved.parent.mkdir()
        access.replace(moved)
        monkeypatch.setenv(legacy.ACCESS_DB_ENV, str(moved))
    assert len(audit.entries(Records.beside(data))) == 2
