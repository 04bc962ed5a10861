"""Web sessions: a random token in an HttpOnly cookie; only its sha256 is stored, with the time of the last
activity, so a sign-in ends on sign-out, after the idle time and after the maximum time of access.yaml, and at
once when the account is disabled or its password changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import and_, delete, func, select, update

from . import audit
from .store import Records
from .tables import sessions, users
from .. import clock
from ..config import AccessSettings
from ..roles import WEB, Principal
from .audit import Actor

COOKIE = "scorecard_session"   # the session cookie the web app sets (HttpOnly, SameSite=Lax)
TOUCH_SECONDS = 30             # a session's last activity is written at most this often
KEEP_ENDED_DAYS = 30           # ended sessions are forgotten after this long (the audit log keeps the events)

NO_SESSION, SIGNED_OUT, IDLE, EXPIRED, REVOKED = "none", "signed_out", "idle", "expired", "revoked"


@dataclass(frozen=True)
class SessionCheck:
    principal: Principal | None
    reason: str | None = None    # why there is no principal: one of the constants above
    demo: bool = False           # the principal's is a demo account (valid only on demo data)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(records: Records, principal: Principal, settings: AccessSettings,
                  now: dt.datetime | None = None) -> str:
    """A new session for a signed-in principal; returns the token for the cookie (never stored as such)."""
    now = now or clock.now()
    token = secrets.token_urlsafe(32)
    with records.write() as con:
        con.execute(delete(sessions).where(func.coalesce(sessions.c.ended_at, sessions.c.expires_at)
                                           < now - dt.timedelta(days=KEEP_ENDED_DAYS)))
        con.execute(sessions.insert().values(token_sha256=_digest(token), name=principal.user, created_at=now,
                                             last_seen=now, expires_at=now + dt.timedelta(hours=settings.max_hours)))
    return token


_CHECK = (select(sessions.c.name, sessions.c.last_seen, sessions.c.expires_at, sessions.c.ended_at,
                 sessions.c.end_reason, users.c.role, users.c.city, users.c.disabled, users.c.demo)
          .select_from(sessions.outerjoin(users, sessions.c.name == users.c.name)))


def check_session(records: Records, token: str | None, settings: AccessSettings, *,
                  now: dt.datetime | None = None, address: str | None = None) -> SessionCheck:
    """The principal of a session token, and the session's activity noted; or why there is none. A session
    found idle or past its maximum time is ended here, once, and the audit log says so."""
    if not token:
        return SessionCheck(None, NO_SESSION)
    now = now or clock.now()
    sha = _digest(token)
    with records.read() as con:
        row = con.execute(_CHECK.where(sessions.c.token_sha256 == sha)).first()
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
        with records.write() as con:
            ended = con.execute(update(sessions)
                                .where(and_(sessions.c.token_sha256 == sha, sessions.c.ended_at.is_(None)))
                                .values(ended_at=now, end_reason=reason)).rowcount
            if ended:  # once, though two requests found it at the same time
                detail = (f"超过{settings.idle_minutes:g}分钟未操作" if reason == IDLE
                          else f"登录已满{settings.max_hours:g}小时")
                audit.insert(con, Actor(name, role, city, WEB, address), audit.EXPIRED, detail=detail, at=now)
        return SessionCheck(None, reason)
    if now - last_seen > dt.timedelta(seconds=TOUCH_SECONDS):
        with records.write() as con:
            con.execute(update(sessions).where(sessions.c.token_sha256 == sha).values(last_seen=now))
    return SessionCheck(Principal(name, role, city), demo=demo)


def end_session(records: Records, token: str | None, *, address: str | None = None) -> Principal | None:
    """Sign out: the session ends for good (a copy of the cookie is worthless from now on)."""
    if not token:
        return None
    sha = _digest(token)
    with records.write() as con:
        row = con.execute(select(sessions.c.name, users.c.role, users.c.city)
                          .select_from(sessions.outerjoin(users, sessions.c.name == users.c.name))
                          .where(and_(sessions.c.token_sha256 == sha, sessions.c.ended_at.is_(None)))).first()
        if row is None:
            return None
        con.execute(update(sessions).where(sessions.c.token_sha256 == sha)
                    .values(ended_at=clock.now(), end_reason=SIGNED_OUT))
        audit.insert(con, Actor(row[0], row[1], row[2], WEB, address), audit.SIGN_OUT)
    return Principal(*row)
