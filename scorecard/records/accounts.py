"""Accounts, sign-in and sessions, kept in the access database beside the data database.

Why a file of its own (`data/scorecard-access.duckdb` next to `data/scorecard.duckdb`, or
SCORECARD_ACCESS_DB): the app opens the data database read-only, and it must stay so — a sign-in or a
line of the audit log must neither wait for a long import nor make an import wait; `scorecard demo`
replaces the data file, which must not take the accounts and the audit log with it; and the file that
holds password hashes can be guarded and backed up on its own. Each operation opens the file briefly,
read-write, one at a time within a process and retrying while another process holds it.

Passwords are hashed with argon2id (argon2-cffi); a password is never stored, printed or logged, and a
hash never leaves this module. A session is a random token in an HttpOnly cookie; only its sha256 is
stored, with the time of the last activity, so a sign-in ends on sign-out, after the idle time and after
the maximum time of access.yaml, and at once when the account is disabled or its password changed.
Five wrong passwords in a row lock a user name for 15 minutes — any user name, existing or not, so that
neither the messages nor the lockout tell whether an account exists. Each attempt is counted before its
password is checked, so sign-ins sent in parallel get no more guesses than sign-ins sent one by one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from . import audit
from .. import clock, private
from ..roles import CITY, WEB, Principal, role_of
from .audit import Actor
from ..config import AccessSettings, Config
from ..errors import InputError
from ..data.store import connect

ACCESS_DB_ENV = "SCORECARD_ACCESS_DB"
COOKIE = "scorecard_session"   # the session cookie the web app sets (HttpOnly, SameSite=Lax)
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 10
TOUCH_SECONDS = 30          # a session's last activity is written at most this often
KEEP_ENDED_DAYS = 30        # ended sessions are forgotten after this long (the audit log keeps the events)

WRONG = f"用户名或密码错误。连续输错{MAX_FAILURES}次，账号将锁定{LOCK_MINUTES}分钟。"
DEMO_PREFIX = "demo-"
DEMO_ON_REAL_DATA = "演示账号只能用于演示数据。数据库中已是正式数据，请用 scorecard user add 建立正式账号。"

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name                VARCHAR PRIMARY KEY,   -- normalised: NFKC, lower case
    role                VARCHAR NOT NULL,
    city                VARCHAR,
    password_hash       VARCHAR NOT NULL,
    demo                BOOLEAN NOT NULL,      -- valid only on a demo database
    disabled            BOOLEAN NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    password_changed_at TIMESTAMP NOT NULL,
    last_sign_in        TIMESTAMP
);
-- consecutive wrong passwords per user name typed, existing or not
CREATE TABLE IF NOT EXISTS sign_in_failures (
    name         VARCHAR PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until TIMESTAMP
);
CREATE TABLE IF NOT EXISTS sessions (
    token_sha256 VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen    TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    ended_at     TIMESTAMP,
    end_reason   VARCHAR
);
""" + audit.SCHEMA

# argon2id with the library's defaults (RFC 9106 low-memory profile); tests swap in a cheaper one.
hasher = PasswordHasher()
_dummy_hash: str | None = None


def access_db_path(db_path) -> Path:
    """The access database of a data database: SCORECARD_ACCESS_DB, else `<name>-access.duckdb` beside it."""
    if os.environ.get(ACCESS_DB_ENV):
        return Path(os.environ[ACCESS_DB_ENV])
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}-access.duckdb")


_locks: dict[str, threading.Lock] = {}
_ready: set[str] = set()
_locks_guard = threading.Lock()


class AccessDb:
    def __init__(self, path):
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"AccessDb({str(self.path)!r})"

    @classmethod
    def beside(cls, db_path) -> "AccessDb":
        return cls(access_db_path(db_path))

    @contextmanager
    def connect(self, wait_seconds: float = 10.0):
        """One brief read-write connection (DuckDB refuses a read-only and a read-write connection to one
        file within a process, so even reads take this way); one at a time in this process."""
        key = str(self.path.resolve())
        with _locks_guard:
            lock = _locks.setdefault(key, threading.Lock())
        with lock, private.umask():  # it holds password hashes: for the owner only
            private.folder(self.path.parent, ours=False)
            fresh = not self.path.exists()
            con = connect(self.path, read_only=False, wait_seconds=wait_seconds)
            try:
                if fresh or key not in _ready:  # once per process, and whenever the file is new
                    con.execute(SCHEMA)
                    _ready.add(key)
                yield con
            finally:
                con.close()

    @contextmanager
    def transaction(self):
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")


# --- the audit log -------------------------------------------------------------------------------

def record(db: AccessDb, actor: Actor, action: str, **fields) -> None:
    """Add one entry to the audit log (fields: outcome, target, detail)."""
    with db.connect() as con:
        audit.insert(con, actor, action, **fields)


def audit_entries(db: AccessDb, **filters) -> list[audit.AuditEntry]:
    with db.connect() as con:
        return audit.read(con, **filters)


# --- names and passwords ----------------------------------------------------------------------

def normalize_name(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


def check_name(name: str) -> str:
    name = normalize_name(name)
    if not re.fullmatch(r"[\w.@-]{2,64}", name):
        raise InputError(f"用户名“{name}”无效：应为2至64个字母、数字、汉字或 . _ - @，不含空格")
    return name


def check_password(password: str, name: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"密码太短：至少{MIN_PASSWORD}个字符")
    if name and name in password.lower():
        raise InputError("密码不能包含用户名")
    if len(set(password)) < 4:
        raise InputError("密码过于简单：至少要有4个不同的字符")


def _hash(password: str) -> str:
    return hasher.hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _spend_a_verification(password: str) -> None:
    """As long as a real check, so that the time taken does not tell an unknown name from a known one."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hasher.hash(secrets.token_hex(16))
    _verify(_dummy_hash, password)


# --- accounts ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Account:
    """An account as `scorecard user list` shows it: never the hash."""

    name: str
    role: str
    city: str | None
    demo: bool
    disabled: bool
    created_at: dt.datetime
    password_changed_at: dt.datetime
    last_sign_in: dt.datetime | None
    locked_until: dt.datetime | None


def _check_grant(config: Config | None, role: str, city: str | None) -> tuple[str, str | None]:
    chosen = role_of(role)
    if chosen is None:
        raise InputError(f"角色“{role}”无效，可选：省级、市州、数据管理员")
    if chosen == CITY:
        if not city:
            raise InputError("市州账号必须用 --city 指定所属市州")
        if config is not None:
            code = config.city_lookup.get(str(city).strip())
            if code is None:
                raise InputError(f"未知的市州“{city}”（可写代码、全称或简称，见 cities.yaml）")
            return chosen, code
        return chosen, str(city).strip()
    if city:
        raise InputError(f"{chosen}账号可查看全部市州，不能指定 --city")
    return chosen, None


def add_user(db: AccessDb, name: str, role: str, city: str | None, password: str, *, actor: Actor,
             config: Config | None = None, demo: bool = False) -> Account:
    name = check_name(name)
    role, city = _check_grant(config, role, city)
    check_password(password, name)
    password_hash = _hash(password)
    now = clock.now()
    with db.transaction() as con:
        if con.execute("SELECT 1 FROM users WHERE name = $name", {"name": name}).fetchall():
            raise InputError(f"用户名“{name}”已存在（修改密码用 scorecard user passwd {name}）")
        con.execute("""INSERT INTO users VALUES ($name, $role, $city, $hash, $demo, false, $now, $now, NULL)""",
                    {"name": name, "role": role, "city": city, "hash": password_hash, "demo": demo, "now": now})
        where = f"·{city}" if city else ""
        audit.insert(con, actor, audit.ACCOUNT, target=name,
                     detail=f"新增{'演示' if demo else ''}账号（{role}{where}）", at=now)
    return _account(db, name)


def _existing(con, name: str) -> tuple:
    row = con.execute("SELECT name, role, city FROM users WHERE name = $name", {"name": name}).fetchone()
    if row is None:
        raise InputError(f"没有用户名为“{name}”的账号（scorecard user list 可列出全部账号）")
    return row


def set_password(db: AccessDb, name: str, password: str, *, actor: Actor) -> None:
    """A new password; the account's sign-ins end and a lockout is lifted."""
    name = normalize_name(name)
    check_password(password, name)
    password_hash = _hash(password)
    now = clock.now()
    with db.transaction() as con:
        _existing(con, name)
        con.execute("UPDATE users SET password_hash = $hash, password_changed_at = $now WHERE name = $name",
                    {"hash": password_hash, "now": now, "name": name})
        con.execute("DELETE FROM sign_in_failures WHERE name = $name", {"name": name})
        _end_sessions_of(con, name, "修改密码", now)
        audit.insert(con, actor, audit.ACCOUNT, target=name, detail="修改密码", at=now)


def set_disabled(db: AccessDb, name: str, disabled: bool, *, actor: Actor) -> None:
    name = normalize_name(name)
    now = clock.now()
    with db.transaction() as con:
        _existing(con, name)
        con.execute("UPDATE users SET disabled = $disabled WHERE name = $name", {"disabled": disabled, "name": name})
        if disabled:
            _end_sessions_of(con, name, "停用账号", now)
        audit.insert(con, actor, audit.ACCOUNT, target=name, detail="停用账号" if disabled else "启用账号", at=now)


def unlock(db: AccessDb, name: str, *, actor: Actor) -> None:
    name = normalize_name(name)
    with db.transaction() as con:
        con.execute("DELETE FROM sign_in_failures WHERE name = $name", {"name": name})
        audit.insert(con, actor, audit.ACCOUNT, target=name, detail="解除锁定")


def accounts(db: AccessDb) -> list[Account]:
    with db.connect() as con:
        rows = con.execute("""
            SELECT u.name, u.role, u.city, u.demo, u.disabled, u.created_at, u.password_changed_at, u.last_sign_in,
                   CASE WHEN f.locked_until > $now THEN f.locked_until END
            FROM users u LEFT JOIN sign_in_failures f USING (name) ORDER BY u.name""",
                           {"now": clock.now()}).fetchall()
    return [Account(*row) for row in rows]


def _account(db: AccessDb, name: str) -> Account:
    return next(a for a in accounts(db) if a.name == name)


def has_accounts(db: AccessDb) -> bool:
    with db.connect() as con:
        return con.execute("SELECT count(*) FROM users").fetchone()[0] > 0


# --- signing in -------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignIn:
    principal: Principal | None
    message: str | None          # for the person signing in; says nothing about whether the name exists


def authenticate(db: AccessDb, name: str, password: str, *, demo_database: bool, address: str | None = None,
                 now: dt.datetime | None = None) -> SignIn:
    """Check a user name and password. Every outcome goes to the audit log.

    The attempt is claimed before the password is checked (`_claim`), so that however many requests arrive
    at once, no more than MAX_FAILURES passwords of a name are checked before the lock stops the rest."""
    now = now or clock.now()
    name = normalize_name(name)[:64]
    with db.transaction() as con:
        attempt, locked_until = _claim(con, name, now)
        user = con.execute("SELECT role, city, password_hash, demo, disabled FROM users WHERE name = $name",
                           {"name": name}).fetchone()
        actor = Actor(name if user else audit.masked(name), user[0] if user else None, user[1] if user else None,
                      WEB, address)
        if attempt > MAX_FAILURES:  # locked: no password is checked (the lock is alike for every name)
            audit.insert(con, actor, audit.SIGN_IN_FAILED, outcome=audit.REFUSED, detail="账号锁定中", at=now)
    if attempt > MAX_FAILURES:
        return SignIn(None, _locked_message(locked_until))
    if user is None:
        _spend_a_verification(password)
        return _failed(db, actor, attempt, locked_until, now, "用户名不存在")
    role, city, password_hash, demo, disabled = user
    if not _verify(password_hash, password):
        return _failed(db, actor, attempt, locked_until, now, "密码错误")
    # the password is right: the run of wrong ones ends, and from here on the message may be plain
    refusal = (("账号已停用", "该账号已停用，请与系统管理员联系。") if disabled else
               ("演示账号不能用于正式数据", DEMO_ON_REAL_DATA)
               if demo and not demo_database else None)
    new_hash = _hash(password) if refusal is None and hasher.check_needs_rehash(password_hash) else None
    with db.transaction() as con:
        con.execute("DELETE FROM sign_in_failures WHERE name = $name", {"name": name})
        if refusal:
            audit.insert(con, actor, audit.SIGN_IN_FAILED, outcome=audit.REFUSED, detail=refusal[0], at=now)
        else:
            con.execute("UPDATE users SET last_sign_in = $now WHERE name = $name", {"now": now, "name": name})
            if new_hash:
                con.execute("UPDATE users SET password_hash = $hash WHERE name = $name",
                            {"hash": new_hash, "name": name})
            audit.insert(con, actor, audit.SIGN_IN, at=now)
    return SignIn(None, refusal[1]) if refusal else SignIn(Principal(name, role, city), None)


# The attempt's number in the run of wrong passwords: one more than before, or 1 after a lock has run out; it
# stops at MAX_FAILURES + 1, which means "locked". Written out twice below, as SQL sets every column from the
# row as it was.
_ATTEMPT = "CASE WHEN locked_until <= $now THEN 1 WHEN failures >= $max THEN $max + 1 ELSE failures + 1 END"


def _claim(con, name: str, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    """Count an attempt against a name before its password is checked, in one statement (atomic in DuckDB,
    SQLite and PostgreSQL alike): the attempt that reaches MAX_FAILURES sets the lock, and an attempt while
    locked leaves the lock as it is. Returns the attempt's number (above MAX_FAILURES: locked) and the lock's
    end. A right password ends the run (the row is deleted)."""
    return con.execute(f"""
        INSERT INTO sign_in_failures VALUES ($name, 1, NULL)
        ON CONFLICT (name) DO UPDATE SET
            failures = {_ATTEMPT},
            locked_until = CASE WHEN locked_until > $now THEN locked_until
                                WHEN {_ATTEMPT} >= $max THEN $until END
        RETURNING failures, locked_until""",
                       {"name": name, "now": now, "max": MAX_FAILURES,
                        "until": now + dt.timedelta(minutes=LOCK_MINUTES)}).fetchone()


def _locked_message(until: dt.datetime) -> str:
    return f"连续输错密码{MAX_FAILURES}次，该账号已锁定，请于{until:%H:%M}后再试。"


def _failed(db: AccessDb, actor: Actor, attempt: int, locked_until: dt.datetime | None, now: dt.datetime,
            why: str) -> SignIn:
    """A wrong password (or an unknown name), already counted by `_claim`: the audit log says which of the run."""
    with db.transaction() as con:
        audit.insert(con, actor, audit.SIGN_IN_FAILED, outcome=audit.FAILED, detail=f"{why}（连续第{attempt}次）",
                     at=now)
        if attempt == MAX_FAILURES:
            audit.insert(con, actor, audit.LOCKED, outcome=audit.REFUSED,
                         detail=f"连续{MAX_FAILURES}次输错密码，锁定至{locked_until:%Y-%m-%d %H:%M}", at=now)
    return SignIn(None, _locked_message(locked_until) if attempt == MAX_FAILURES else WRONG)


# --- sessions ------------------------------------------------------------------------------------

NO_SESSION, SIGNED_OUT, IDLE, EXPIRED, REVOKED = "none", "signed_out", "idle", "expired", "revoked"


@dataclass(frozen=True)
class SessionCheck:
    principal: Principal | None
    reason: str | None = None    # why there is no principal: one of the constants above
    demo: bool = False           # the principal's is a demo account (valid only on demo data)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(db: AccessDb, principal: Principal, settings: AccessSettings,
                  now: dt.datetime | None = None) -> str:
    """A new session for a signed-in principal; returns the token for the cookie (never stored as such)."""
    now = now or clock.now()
    token = secrets.token_urlsafe(32)
    with db.transaction() as con:
        con.execute("DELETE FROM sessions WHERE coalesce(ended_at, expires_at) < $before",
                    {"before": now - dt.timedelta(days=KEEP_ENDED_DAYS)})
        con.execute("INSERT INTO sessions VALUES ($sha, $name, $now, $now, $expires, NULL, NULL)",
                    {"sha": _digest(token), "name": principal.user, "now": now,
                     "expires": now + dt.timedelta(hours=settings.max_hours)})
    return token


def check_session(db: AccessDb, token: str | None, settings: AccessSettings, *, now: dt.datetime | None = None,
                  address: str | None = None) -> SessionCheck:
    """The principal of a session token, and the session's activity noted; or why there is none. A session
    found idle or past its maximum time is ended here, once, and the audit log says so."""
    if not token:
        return SessionCheck(None, NO_SESSION)
    now = now or clock.now()
    sha = _digest(token)
    with db.connect() as con:
        row = con.execute("""
            SELECT s.name, s.last_seen, s.expires_at, s.ended_at, s.end_reason, u.role, u.city, u.disabled, u.demo
            FROM sessions s LEFT JOIN users u USING (name) WHERE s.token_sha256 = $sha""", {"sha": sha}).fetchone()
        if row is None:
            return SessionCheck(None, NO_SESSION)
        name, last_seen, expires_at, ended_at, end_reason, role, city, disabled, demo = row
        if ended_at is not None:
            return SessionCheck(None, end_reason if end_reason in (IDLE, EXPIRED) else SIGNED_OUT)
        if role is None or disabled:
            return SessionCheck(None, REVOKED)
        reason = IDLE if now - last_seen > dt.timedelta(minutes=settings.idle_minutes) else (
            EXPIRED if now >= expires_at else None)
        if reason:
            con.execute("UPDATE sessions SET ended_at = $now, end_reason = $why WHERE token_sha256 = $sha",
                        {"now": now, "why": reason, "sha": sha})
            detail = (f"超过{settings.idle_minutes:g}分钟未操作" if reason == IDLE
                      else f"登录已满{settings.max_hours:g}小时")
            audit.insert(con, Actor(name, role, city, WEB, address), audit.EXPIRED, detail=detail, at=now)
            return SessionCheck(None, reason)
        if now - last_seen > dt.timedelta(seconds=TOUCH_SECONDS):
            con.execute("UPDATE sessions SET last_seen = $now WHERE token_sha256 = $sha", {"now": now, "sha": sha})
    return SessionCheck(Principal(name, role, city), demo=demo)


def end_session(db: AccessDb, token: str | None, *, address: str | None = None) -> Principal | None:
    """Sign out: the session ends for good (a copy of the cookie is worthless from now on)."""
    if not token:
        return None
    sha = _digest(token)
    with db.transaction() as con:
        row = con.execute("""
            SELECT s.name, u.role, u.city FROM sessions s LEFT JOIN users u USING (name)
            WHERE s.token_sha256 = $sha AND s.ended_at IS NULL""", {"sha": sha}).fetchone()
        if row is None:
            return None
        con.execute("UPDATE sessions SET ended_at = $now, end_reason = 'signed_out' WHERE token_sha256 = $sha",
                    {"now": clock.now(), "sha": sha})
        audit.insert(con, Actor(row[0], row[1], row[2], WEB, address), audit.SIGN_OUT)
    return Principal(*row)


def _end_sessions_of(con, name: str, why: str, now: dt.datetime) -> None:
    con.execute("UPDATE sessions SET ended_at = $now, end_reason = $why WHERE name = $name AND ended_at IS NULL",
                {"now": now, "why": why, "name": name})


# --- demo accounts ---------------------------------------------------------------------------------

def create_demo_accounts(db: AccessDb, config: Config) -> list[tuple[Account, str]]:
    """On a demo database with no account at all: one account per role with a random password, to be shown
    once on the console. They sign in only while the data database holds demo data."""
    if has_accounts(db) or not config.cities:
        return []
    actor = Actor("scorecard demo", channel="命令行")
    first = config.cities[0]
    created = []
    for name, role, city in ((f"{DEMO_PREFIX}province", "省级", None), (f"{DEMO_PREFIX}city", CITY, first.code),
                             (f"{DEMO_PREFIX}admin", "数据管理员", None)):
        password = secrets.token_urlsafe(9)
        created.append((add_user(db, name, role, city, password, actor=actor, config=config, demo=True), password))
    return created
