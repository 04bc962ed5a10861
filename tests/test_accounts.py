"""Accounts, sign-in, lockout and sessions in the records store (SQLite and PostgreSQL), and what they leave in
the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, select, text

from scorecard.records import accounts, audit, sessions, signin, tables
from scorecard.roles import CITY, PROVINCE
from scorecard.records.sessions import check_session, start_session
from scorecard.records.signin import authenticate
from scorecard.records.store import Records, records_path
from scorecard.records.audit import Actor
from scorecard.config import AccessSettings
from scorecard.errors import InputError

PASSWORD = "Kettle-Harbour-1987"
ADMIN = Actor("root", channel="命令行")
SETTINGS = AccessSettings(idle_minutes=30, max_hours=12)
NOW = dt.datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def db(records, config):
    accounts.add_user(records, "Li.Si", "市州", "长春市", PASSWORD, actor=ADMIN, config=config)
    return records


def sign_in(db, name="li.si", password=PASSWORD, demo=False, minutes=0):
    return authenticate(db, name, password, demo_database=demo, address="10.0.0.7",
                        now=NOW + dt.timedelta(minutes=minutes))


def entries(db, action=None):
    return [(e.who, e.action, e.outcome, e.detail) for e in audit.entries(db, action=action)][::-1]


def table_text(db) -> str:
    """Every value of every table of the records store, as text."""
    with db.read() as con:
        names = inspect(con).get_table_names()
        return "\n".join(str(row) for t in names for row in con.execute(text(f'SELECT * FROM "{t}"')).all())


def test_the_password_is_stored_as_an_argon2id_hash_only(db):
    users = tables.users.c
    with db.read() as con:
        name, role, city, stored = con.execute(select(users.name, users.role, users.city, users.password_hash)).one()
    assert (name, role, city) == ("li.si", CITY, "220100")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert PASSWORD not in table_text(db).replace(stored, "")
    assert not any(stored in str(value) for a in accounts.accounts(db) for value in vars(a).values())


@pytest.mark.parametrize("name, role, city, password, message", [
    ("wang wu", "省级", None, PASSWORD, "用户名“wang wu”无效"),
    ("wangwu", "boss", None, PASSWORD, "角色“boss”无效"),
    ("wangwu", "市州", None, PASSWORD, "必须用 --city 指定"),
    ("wangwu", "市州", "上海市", PASSWORD, "未知的市州“上海市”"),
    ("wangwu", "省级", "220100", PASSWORD, "不能指定 --city"),
    ("wangwu", "省级", None, "short-1", "密码太短"),
    ("wangwu", "省级", None, "x-wangwu-2026-y", "不能包含用户名"),
    ("wangwu", "省级", None, "aaaaaaaaaaaa", "过于简单"),
    ("LI.SI", "省级", None, PASSWORD, "用户名“li.si”已存在"),
])
def test_accounts_are_checked(db, config, name, role, city, password, message):
    with pytest.raises(InputError, match=message):
        accounts.add_user(db, name, role, city, password, actor=ADMIN, config=config)


def test_a_right_password_signs_in_and_is_recorded(db):
    outcome = sign_in(db, " LI.SI ")
    assert (outcome.principal.user, outcome.principal.role, outcome.principal.city) == ("li.si", CITY, "220100")
    assert entries(db, audit.SIGN_IN) == [("li.si", audit.SIGN_IN, audit.SUCCEEDED, None)]
    assert accounts.accounts(db)[0].last_sign_in == NOW


def test_wrong_password_and_unknown_user_get_the_same_message(db):
    wrong, unknown = sign_in(db, password="Kettle-Harbour-1988"), sign_in(db, name="zhao.liu")
    assert wrong.principal is None and unknown.principal is None
    assert wrong.message == unknown.message == signin.WRONG
    assert entries(db, audit.SIGN_IN_FAILED) == [
        ("li.si", audit.SIGN_IN_FAILED, audit.FAILED, "密码错误（连续第1次）"),
        ("zh***", audit.SIGN_IN_FAILED, audit.FAILED, "用户名不存在（连续第1次）")]


def test_five_wrong_passwords_lock_the_name_for_15_minutes(db):
    for attempt in range(4):
        assert sign_in(db, password=f"wrong-{attempt}-password", minutes=attempt).message == signin.WRONG
    locked = sign_in(db, password="wrong-4-password", minutes=4)
    assert locked.message == "连续输错密码5次，该账号已锁定，请于09:19后再试。"
    assert sign_in(db, minutes=10).principal is None  # even the right password, while locked
    assert sign_in(db, minutes=18).message == locked.message
    assert sign_in(db, minutes=20).principal is not None  # 15 minutes after the fifth failure
    assert [a for _, a, _, _ in entries(db)][-5:] == [audit.SIGN_IN_FAILED, audit.LOCKED, audit.SIGN_IN_FAILED,
                                                      audit.SIGN_IN_FAILED, audit.SIGN_IN]
    assert entries(db, audit.LOCKED) == [("li.si", audit.LOCKED, audit.REFUSED, "连续5次输错密码，锁定至2026-03-02 09:19")]


def test_a_right_password_resets_the_count(db):
    for attempt in range(4):
        sign_in(db, password=f"wrong-{attempt}-password")
    assert sign_in(db).principal is not None
    assert sign_in(db, password="wrong-again-password").message == signin.WRONG  # counting from 1 again


def test_unknown_names_lock_too_so_the_lock_tells_nothing(db):
    for _ in range(5):
        outcome = sign_in(db, name="nobody")
    assert outcome.message.startswith("连续输错密码5次，该账号已锁定")


def test_after_a_lock_runs_out_the_count_starts_afresh(db):
    for attempt in range(5):
        sign_in(db, password="wrong-password-x", minutes=attempt)
    assert sign_in(db, password="wrong-password-x", minutes=30).message == signin.WRONG


def test_disabled_and_demo_accounts(db, config):
    accounts.set_disabled(db, "li.si", True, actor=ADMIN)
    assert sign_in(db).message == "该账号已停用，请与系统管理员联系。"
    assert sign_in(db, password="not-the-password").message == signin.WRONG  # nothing said without the password
    accounts.set_disabled(db, "li.si", False, actor=ADMIN)
    assert sign_in(db).principal is not None
    accounts.add_user(db, "demo-x", "省级", None, PASSWORD, actor=ADMIN, demo=True)
    assert sign_in(db, "demo-x", demo=True).principal is not None
    assert "演示账号只能用于演示数据" in sign_in(db, "demo-x", demo=False).message


def test_demo_accounts_are_made_once_per_role_on_an_empty_records_store(records, config):
    db = records
    created = accounts.create_demo_accounts(db, config)
    assert [(a.name, a.role, a.city, a.demo) for a, _ in created] == [
        ("demo-province", PROVINCE, None, True), ("demo-city", CITY, "220100", True),
        ("demo-admin", "数据管理员", None, True)]
    passwords = [p for _, p in created]
    assert len(set(passwords)) == 3 and all(len(p) >= 12 for p in passwords)
    assert accounts.create_demo_accounts(db, config) == []
    assert authenticate(db, "demo-city", passwords[1], demo_database=True).principal.city == "220100"


# --- sessions --------------------------------------------------------------------------------------

def test_a_session_lasts_while_used_and_ends_after_the_idle_time(db):
    principal = sign_in(db).principal
    token = start_session(db, principal, SETTINGS, now=NOW)
    for minutes in (10, 35, 60):  # each check is activity: 25 minutes apart never idles
        assert check_session(db, token, SETTINGS, now=NOW + dt.timedelta(minutes=minutes)).principal == principal
    idle = check_session(db, token, SETTINGS, now=NOW + dt.timedelta(minutes=91))
    assert (idle.principal, idle.reason) == (None, sessions.IDLE)
    assert check_session(db, token, SETTINGS, now=NOW + dt.timedelta(minutes=92)).reason == sessions.IDLE
    assert entries(db, audit.EXPIRED) == [("li.si", audit.EXPIRED, audit.SUCCEEDED, "超过30分钟未操作")]


def test_the_idle_time_is_the_configured_one(db):
    token = start_session(db, sign_in(db).principal, SETTINGS, now=NOW)
    short = AccessSettings(idle_minutes=5)
    assert check_session(db, token, short, now=NOW + dt.timedelta(minutes=6)).reason == sessions.IDLE


def test_a_session_ends_at_its_maximum_time_however_busy(db):
    patient = AccessSettings(idle_minutes=300, max_hours=12)
    token = start_session(db, sign_in(db).principal, patient, now=NOW)
    for hours in (4, 8, 11.9):
        assert check_session(db, token, patient, now=NOW + dt.timedelta(hours=hours)).principal
    assert check_session(db, token, patient, now=NOW + dt.timedelta(hours=12)).reason == sessions.EXPIRED


def test_sign_out_ends_the_session_for_good(db):
    token = start_session(db, sign_in(db).principal, SETTINGS)
    assert sessions.end_session(db, token, address="10.0.0.7").user == "li.si"
    assert check_session(db, token, SETTINGS).reason == sessions.SIGNED_OUT
    assert sessions.end_session(db, token) is None
    assert entries(db, audit.SIGN_OUT) == [("li.si", audit.SIGN_OUT, audit.SUCCEEDED, None)]


@pytest.mark.parametrize("change", ["passwd", "disable"])
def test_a_new_password_or_a_disabled_account_ends_its_sessions(db, change):
    token = start_session(db, sign_in(db).principal, SETTINGS)
    if change == "passwd":
        accounts.set_password(db, "li.si", "Another-Harbour-2001", actor=ADMIN)
        assert sign_in(db).principal is None and sign_in(db, password="Another-Harbour-2001").principal
    else:
        accounts.set_disabled(db, "li.si", True, actor=ADMIN)
    assert check_session(db, token, SETTINGS).principal is None


def test_forged_or_missing_tokens_sign_nobody_in(db):
    start_session(db, sign_in(db).principal, SETTINGS)
    for token in (None, "", "forged-token", "x" * 43):
        assert check_session(db, token, SETTINGS) == sessions.SessionCheck(None, sessions.NO_SESSION)


def test_only_the_token_digest_is_stored(db):
    token = start_session(db, sign_in(db).principal, SETTINGS)
    assert token not in table_text(db)


def test_user_changes_are_audited_without_secrets(db):
    accounts.set_password(db, "li.si", "Another-Harbour-2001", actor=ADMIN)
    accounts.set_disabled(db, "li.si", True, actor=ADMIN)
    accounts.set_disabled(db, "li.si", False, actor=ADMIN)
    accounts.unlock(db, "li.si", actor=ADMIN)
    assert [(who, detail) for who, action, _, detail in entries(db, audit.ACCOUNT)] == [
        ("root", "新增账号（市州·220100）"), ("root", "修改密码"), ("root", "停用账号"), ("root", "启用账号"),
        ("root", "解除锁定")]
    text = "\n".join(map(str, entries(db)))
    assert "Another-Harbour-2001" not in text and PASSWORD not in text and "argon2" not in text


def test_a_write_waits_while_another_process_holds_the_sqlite_file(tmp_path):
    """A CLI run in the middle of a write: the app's next write waits (busy timeout) instead of failing."""
    import sqlite3
    import threading

    db = Records.beside(tmp_path / "scorecard.duckdb")
    audit.record(db, ADMIN, audit.ACCOUNT, detail="the store made")
    holder = sqlite3.connect(db.path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(0.5, holder.rollback)
    releaser.start()
    try:
        audit.record(db, ADMIN, audit.IMPORT, detail="while another connection held the write lock")
    finally:
        releaser.join()
        holder.close()
    assert entries(db, audit.IMPORT)


def test_the_records_file_is_for_its_owner_only_and_in_wal_mode(tmp_path):
    db = Records.beside(tmp_path / "scorecard.duckdb")
    audit.record(db, ADMIN, audit.ACCOUNT, detail="the store made")
    assert db.path == tmp_path / "scorecard-records.sqlite" == records_path(tmp_path / "scorecard.duckdb")
    assert db.path.stat().st_mode & 0o777 == 0o600
    with db.read() as con:
        assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in tmp_path.glob("scorecard-records.sqlite*"))


def test_the_records_url_chooses_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_RECORDS_URL", "postgresql+psycopg://scorecard@db.example/records")
    chosen = Records.beside(tmp_path / "scorecard.duckdb")
    assert chosen.url == "postgresql+psycopg://scorecard@db.example/records" and chosen.path is None
    monkeypatch.setenv("SCORECARD_RECORDS_URL", "mysql://nobody@db.example/records")
    with pytest.raises(InputError, match="只能指向 SQLite 或 PostgreSQL"):
        Records.beside(tmp_path / "scorecard.duckdb")
