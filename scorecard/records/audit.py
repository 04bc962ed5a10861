"""The audit log (审计日志): who did what, when — sign-ins, failed sign-ins, lockouts, sign-outs, denied
access, imports, exports, warning reports and changes to accounts.

It lives in the access database (accounts.AccessDb) beside the data database. Entries are only ever
added: nothing in the system updates or deletes one, and the app shows them read-only to 省级 and
数据管理员 users. No entry holds a password or a password hash; a user name that does not exist is
kept only in part (`masked`), since people sometimes type their password into the name field.
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass

from .. import clock

SIGN_IN, SIGN_IN_FAILED, LOCKED, SIGN_OUT, EXPIRED = "登录", "登录失败", "账号锁定", "退出登录", "登录超时"
DENIED, EXPORT, IMPORT, WARN_REPORT, DEMO, ACCOUNT = "无权访问", "导出", "导入", "预警报告", "演示数据", "账号管理"
ACTIONS = (SIGN_IN, SIGN_IN_FAILED, LOCKED, SIGN_OUT, EXPIRED, DENIED, EXPORT, IMPORT, WARN_REPORT, DEMO, ACCOUNT)
SUCCEEDED, FAILED, REFUSED = "成功", "失败", "拒绝"

SCHEMA = """
CREATE SEQUENCE IF NOT EXISTS audit_id;
CREATE TABLE IF NOT EXISTS audit (
    id          BIGINT PRIMARY KEY DEFAULT nextval('audit_id'),
    occurred_at TIMESTAMP NOT NULL,
    who       VARCHAR NOT NULL,
    role      VARCHAR,
    city      VARCHAR,
    channel   VARCHAR NOT NULL,     -- 网页, 统一认证, 命令行
    action    VARCHAR NOT NULL,
    target    VARCHAR,
    detail    VARCHAR,
    outcome   VARCHAR NOT NULL,     -- 成功, 失败, 拒绝
    address   VARCHAR               -- the client's address, for the web
);
"""


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    who: str
    role: str | None
    user_city: str | None     # the city of a 市州 user (not `city`: an entry is not a city's data)
    channel: str
    action: str
    target: str | None
    detail: str | None
    outcome: str
    address: str | None


@dataclass(frozen=True)
class Actor:
    """Who an entry is about: a user name with role and city when known, and where the action came from."""

    who: str
    role: str | None = None
    city: str | None = None
    channel: str = "网页"
    address: str | None = None

    @classmethod
    def of(cls, principal, address: str | None = None) -> "Actor":
        return cls(principal.user, principal.role, principal.city, principal.channel, address)


def os_user() -> str:
    """Who runs a command: the user of the operating system, when it can tell."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def masked(name: str) -> str:
    """A name that matched no account, shortened: enough to see a pattern, not enough to read a password."""
    name = name.strip()
    return (name[:2] + "***") if len(name) > 2 else "***"


def insert(con, actor: Actor, action: str, *, outcome: str = SUCCEEDED, target: str | None = None,
           detail: str | None = None, at: dt.datetime | None = None) -> None:
    """Add one entry on an open connection of the access database (in the caller's transaction)."""
    con.execute("""
        INSERT INTO audit (occurred_at, who, role, city, channel, action, target, detail, outcome, address)
        VALUES ($at, $who, $role, $city, $channel, $action, $target, $detail, $outcome, $address)""",
                {"at": at or clock.now(), "who": actor.who[:80], "role": actor.role, "city": actor.city,
                 "channel": actor.channel, "action": action, "target": target, "detail": detail,
                 "outcome": outcome, "address": _plain(actor.address)})


def _plain(address: str | None) -> str | None:
    """127.0.0.1, not the IPv6 form of it (::ffff:127.0.0.1) that a dual-stack server reports."""
    return address[7:] if address and address.startswith("::ffff:") and "." in address else address


_COLUMNS = "id, occurred_at, who, role, city, channel, action, target, detail, outcome, address"


def read(con, *, limit: int = 500, who: str | None = None, action: str | None = None,
         since: dt.date | None = None, until: dt.date | None = None) -> list[AuditEntry]:
    """The newest entries first, optionally of one user, one action, or days since/until (inclusive)."""
    rows = con.execute(f"""
        SELECT {_COLUMNS} FROM audit
        WHERE ($who IS NULL OR who = $who) AND ($action IS NULL OR action = $action)
          AND ($since IS NULL OR occurred_at >= $since) AND ($until IS NULL OR occurred_at < $until)
        ORDER BY id DESC LIMIT $limit""",
                       {"who": who, "action": action, "limit": limit,
                        "since": dt.datetime.combine(since, dt.time()) if since else None,
                        "until": dt.datetime.combine(until + dt.timedelta(days=1), dt.time()) if until else None,
                        }).fetchall()
    return [AuditEntry(*row) for row in rows]
