"""The lockout holds against sign-ins sent in parallel — to the records store on SQLite and PostgreSQL from many
threads, and to the running server: whatever arrives at once, at most five wrong passwords of a name are ever
checked in a lock window, a failure while locked neither shortens nor clears the lock, and the right password
is refused until the lock runs out."""

from __future__ import annotations

import http.client
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import pytest
from argon2 import PasswordHasher
from conftest import writable_copy
from live_server import SESSION_COOKIE, streamlit_server

from scorecard.records import accounts, audit, passwords
from scorecard.records.audit import Actor
from scorecard.records.signin import authenticate
from scorecard.records.store import Records

NAME, RIGHT = "lock.parallel", "Right-Password-2003"
PARALLEL = 24


@pytest.fixture
def server(tmp_path, shipped_config_dir, small_db, monkeypatch):
    """The real server on a database whose one account has a full-cost argon2 hash: each check takes as long
    as in production, so parallel requests overlap as an attacker's would."""
    db = writable_copy(small_db, tmp_path)
    monkeypatch.setattr(passwords, "hasher", PasswordHasher())
    accounts.add_user(Records.beside(db), NAME, "省级", None, RIGHT, actor=Actor("pytest"))
    with streamlit_server(shipped_config_dir, db) as url:
        yield url, Records.beside(db)


def post_sign_in(url: str, password: str) -> tuple[int, str, str | None]:
    """POST /signin as the sign-in form does: (status, page, Set-Cookie)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.request("POST", "/signin", urlencode({"name": NAME, "password": password, "next": "/"}),
                           {"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8"), response.getheader("Set-Cookie")
    finally:
        connection.close()


def at_once(url: str, passwords: list[str]) -> list[tuple[int, str, str | None]]:
    start = threading.Barrier(len(passwords))

    def send(password: str):
        start.wait()
        return post_sign_in(url, password)

    with ThreadPoolExecutor(len(passwords)) as pool:
        return list(pool.map(send, passwords))


def signed_in(cookie: str | None) -> bool:
    return cookie is not None and SESSION_COOKIE in cookie


def checked_wrong_passwords(access) -> list[str]:
    return [e.detail for e in audit.entries(access, who=NAME, action=audit.SIGN_IN_FAILED)
            if e.detail.startswith("密码错误")]


def locked_until(access):
    return next(a.locked_until for a in accounts.accounts(access) if a.name == NAME)


def test_parallel_wrong_passwords_check_five_and_lock_the_name(server):
    url, access = server
    answers = at_once(url, [f"Wrong-Password-{k}" for k in range(PARALLEL)])
    assert all(status == 200 and not signed_in(cookie) for status, _, cookie in answers)
    assert sorted(checked_wrong_passwords(access)) == [f"密码错误（连续第{n}次）" for n in range(1, 6)]
    refused = [e.detail for e in audit.entries(access, who=NAME, action=audit.SIGN_IN_FAILED)
               if not e.detail.startswith("密码错误")]
    assert refused == ["账号锁定中"] * (PARALLEL - 5)
    assert len(audit.entries(access, who=NAME, action=audit.LOCKED)) == 1
    until = locked_until(access)
    assert until is not None

    status, page, cookie = post_sign_in(url, RIGHT)
    assert status == 200 and not signed_in(cookie) and "连续输错密码5次，该账号已锁定" in page

    at_once(url, [f"Still-Wrong-{k}" for k in range(PARALLEL)])  # while locked: neither shortened nor cleared
    assert locked_until(access) == until
    assert len(checked_wrong_passwords(access)) == 5
    status, page, cookie = post_sign_in(url, RIGHT)
    assert not signed_in(cookie) and "该账号已锁定" in page
    assert not audit.entries(access, who=NAME, action=audit.SIGN_IN)


def test_parallel_sign_ins_to_the_store_check_five_passwords(records, monkeypatch):
    """Threads calling the store directly, each check slowed down as a full-cost hash would be: on SQLite the
    attempt's transaction takes the write lock at its start, on PostgreSQL the upsert takes the row's lock."""
    import time

    accounts.add_user(records, NAME, "省级", None, RIGHT, actor=Actor("pytest"))
    checked = []
    real_verify = passwords.verify

    def slow_verify(stored, password):
        checked.append(password)
        time.sleep(0.05)
        return real_verify(stored, password)

    monkeypatch.setattr(passwords, "verify", slow_verify)
    start = threading.Barrier(PARALLEL)

    def attempt(k: int):
        start.wait()
        return authenticate(records, NAME, f"Wrong-Password-{k}", demo_database=False)

    with ThreadPoolExecutor(PARALLEL) as pool:
        outcomes = list(pool.map(attempt, range(PARALLEL)))
    assert len(checked) == 5 and not any(o.principal for o in outcomes)
    assert sorted(checked_wrong_passwords(records)) == [f"密码错误（连续第{n}次）" for n in range(1, 6)]
    until = locked_until(records)
    with ThreadPoolExecutor(PARALLEL) as pool:
        list(pool.map(lambda k: authenticate(records, NAME, RIGHT if k == 0 else "x", demo_database=False),
                      range(PARALLEL)))
    assert len(checked) == 5 and locked_until(records) == until
    assert not audit.entries(records, who=NAME, action=audit.SIGN_IN)
