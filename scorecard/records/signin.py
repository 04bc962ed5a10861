"""Signing in with a user name and password, and the lockout (锁定).

Five wrong passwords in a row lock a user name for 15 minutes — any user name, existing or not, so that neither
the messages nor the lockout tell whether an account exists. Each attempt is counted, and the lock set, in a
transaction of its own before its password is checked (`_claim`), so sign-ins sent in parallel get no more
guesses than sign-ins sent one by one, and a lock is never shortened while it holds. Every outcome goes to the
audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from . import audit, passwords
from .accounts import DEMO_ON_REAL_DATA
from .store import Records
from .tables import sign_in_failures, users
from .. import clock
from ..roles import WEB, Principal
from .audit import Actor

MAX_FAILURES = 5
LOCK_MINUTES = 15
WRONG = f"用户名或密码错误。连续输错{MAX_FAILURES}次，账号将锁定{LOCK_MINUTES}分钟。"


@dataclass(frozen=True)
class SignIn:
    principal: Principal | None
    message: str | None          # for the person signing in; says nothing about whether the name exists


def authenticate(records: Records, name: str, password: str, *, demo_database: bool, address: str | None = None,
                 now: dt.datetime | None = None) -> SignIn:
    """Check a user name and password. The attempt is claimed before the password is checked, so that however
    many requests arrive at once, no more than MAX_FAILURES passwords of a name are checked before the lock
    stops the rest."""
    now = now or clock.now()
    name = passwords.normalize_name(name)[:64]
    with records.write() as con:
        attempt, locked_until = _claim(con, name, now)
        user = con.execute(select(users.c.role, users.c.city, users.c.password_hash, users.c.demo, users.c.disabled)
                           .where(users.c.name == name)).first()
        actor = Actor(name if user else audit.masked(name), user[0] if user else None, user[1] if user else None,
                      WEB, address)
        if attempt > MAX_FAILURES:  # locked: no password is checked (the lock is alike for every name)
            audit.insert(con, actor, audit.SIGN_IN_FAILED, outcome=audit.REFUSED, detail="账号锁定中", at=now)
    if attempt > MAX_FAILURES:
        return SignIn(None, _locked_message(locked_until))
    if user is None:
        passwords.spend_a_verification(password)
        return _failed(records, actor, attempt, locked_until, now, "用户名不存在")
    role, city, password_hash, demo, disabled = user
    if not passwords.verify(password_hash, password):
        return _failed(records, actor, attempt, locked_until, now, "密码错误")
    # the password is right: the run of wrong ones ends, and from here on the message may be plain
    refusal = (("账号已停用", "该账号已停用，请与系统管理员联系。") if disabled else
               ("演示账号不能用于正式数据", DEMO_ON_REAL_DATA)
               if demo and not demo_database else None)
    new_hash = passwords.hash_password(password) if refusal is None and passwords.needs_rehash(password_hash) else None
    with records.write() as con:
        con.execute(delete(sign_in_failures).where(sign_in_failures.c.name == name))
        if refusal:
            audit.insert(con, actor, audit.SIGN_IN_FAILED, outcome=audit.REFUSED, detail=refusal[0], at=now)
        else:
            changes = {"last_sign_in": now} | ({"password_hash": new_hash} if new_hash else {})
            con.execute(update(users).where(users.c.name == name).values(**changes))
            audit.insert(con, actor, audit.SIGN_IN, at=now)
    return SignIn(None, refusal[1]) if refusal else SignIn(Principal(name, role, city), None)


def _claim(con, name: str, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    """Count an attempt against a name in one statement, which holds the row's lock (INSERT … ON CONFLICT DO
    UPDATE; on SQLite the transaction holds the write lock from its start): the attempt that reaches
    MAX_FAILURES sets the lock, and an attempt while locked leaves the lock as it is. Returns the attempt's
    number — one more than before, 1 after a lock has run out, MAX_FAILURES + 1 while locked — and the lock's
    end. A right password ends the run (the row is deleted)."""
    row = sign_in_failures.c
    attempt = case((row.locked_until <= now, 1), (row.failures >= MAX_FAILURES, MAX_FAILURES + 1),
                   else_=row.failures + 1)
    lock = case((row.locked_until > now, row.locked_until),
                (attempt >= MAX_FAILURES, now + dt.timedelta(minutes=LOCK_MINUTES)))
    dialect = postgresql if con.dialect.name == "postgresql" else sqlite
    statement = (dialect.insert(sign_in_failures).values(name=name, failures=1, locked_until=None)
                 .on_conflict_do_update(index_elements=[row.name], set_={"failures": attempt, "locked_until": lock})
                 .returning(row.failures, row.locked_until))
    failures, locked_until = con.execute(statement).one()
    return failures, locked_until


def _locked_message(until: dt.datetime) -> str:
    return f"连续输错密码{MAX_FAILURES}次，该账号已锁定，请于{until:%H:%M}后再试。"


def _failed(records: Records, actor: Actor, attempt: int, locked_until: dt.datetime | None, now: dt.datetime,
            why: str) -> SignIn:
    """A wrong password (or an unknown name), already counted by `_claim`: the audit log says which of the run."""
    with records.write() as con:
        audit.insert(con, actor, audit.SIGN_IN_FAILED, outcome=audit.FAILED, detail=f"{why}（连续第{attempt}次）",
                     at=now)
        if attempt == MAX_FAILURES:
            audit.insert(con, actor, audit.LOCKED, outcome=audit.REFUSED,
                         detail=f"连续{MAX_FAILURES}次输错密码，锁定至{locked_until:%Y-%m-%d %H:%M}", at=now)
    return SignIn(None, _locked_message(locked_until) if attempt == MAX_FAILURES else WRONG)
