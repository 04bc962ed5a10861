"""The audit log (审计日志): who did what, when — sign-ins, failed sign-ins, lockouts, sign-outs, denied
access, imports, exports, warning reports and changes to accounts.

It lives in the records store (records.store) beside the data database. Entries are only ever
added: nothing in the system updates or deletes one, and the app shows them read-only to 省级 and
数据管理员 users. No entry holds a password or a password hash; a user name that does not exist is
kept only in part (`masked`), since people sometimes type their password into the name field.
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass

from sqlalchemy import Integer, Text, cast, select

from . import tables
from .. import clock

SIGN_IN, SIGN_IN_FAILED, LOCKED, SIGN_OUT, EXPIRED = "登录", "登录失败", "账号锁定", "退出登录", "登录超时"
DENIED, EXPORT, IMPORT, WARN_REPORT, DEMO, ACCOUNT = "无权访问", "导出", "导入", "预警报告", "演示数据", "账号管理"
DECISION, PUBLISH, SELF_ASSESSMENT, RECTIFY = "考评决定", "发布结果", "自评核查", "整改方案"
REPORTING, REVIEW, TARGETS = "在线填报", "审核报送", "目标制定"
FINDING_CHECK, POSTING = "规则核查", "公示登记"
ACTIONS = (SIGN_IN, SIGN_IN_FAILED, LOCKED, SIGN_OUT, EXPIRED, DENIED, EXPORT, IMPORT, WARN_REPORT, DEMO, ACCOUNT,
           DECISION, PUBLISH, SELF_ASSESSMENT, RECTIFY, REPORTING, REVIEW, TARGETS, FINDING_CHECK, POSTING)
SUCCEEDED, FAILED, REFUSED = "成功", "失败", "拒绝"
# entries that record no change of what the system shows (a sign-in, a download, a refusal)
UNCHANGING = frozenset({SIGN_IN, SIGN_IN_FAILED, LOCKED, SIGN_OUT, EXPIRED, DENIED, EXPORT})

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
        return cls(principal.user, principal.role, principal.city, principal.channel,
                   address or principal.address)


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
    """Add one entry on an open connection of the records store (in the caller's transaction)."""
    con.execute(tables.audit.insert().values(
        occurred_at=at or clock.now(), who=actor.who[:80], role=actor.role, city=actor.city, channel=actor.channel,
        action=action, target=target, detail=detail, outcome=outcome, address=_plain(actor.address)))
    if outcome == SUCCEEDED and action not in UNCHANGING:
        meta = tables.records_meta
        raised = cast(cast(meta.c.value, Integer) + 1, Text)
        con.execute(meta.update().where(meta.c.key == GENERATION).values(value=raised))


GENERATION = "generation"


def generation(records) -> str | None:
    """A number every recorded change raises (in the change's transaction): the cache key of what readers in any
    process derive from the records; None when there are no records yet."""
    if records.path is not None and not records.path.exists():
        return None
    with records.read() as con:
        return con.execute(select(tables.records_meta.c.value).where(tables.records_meta.c.key == GENERATION)).scalar()


def _plain(address: str | None) -> str | None:
    """127.0.0.1, not the IPv6 form of it (::ffff:127.0.0.1) that a dual-stack server reports."""
    return address[7:] if address and address.startswith("::ffff:") and "." in address else address


def read(con, *, limit: int = 500, who: str | None = None, action: str | None = None,
         since: dt.date | None = None, until: dt.date | None = None) -> list[AuditEntry]:
    """The newest entries first, optionally of one user, one action, or days since/until (inclusive)."""
    log = tables.audit
    query = select(*log.columns).order_by(log.c.id.desc()).limit(limit)
    if who is not None:
        query = query.where(log.c.who == who)
    if action is not None:
        query = query.where(log.c.action == action)
    if since is not None:
        query = query.where(log.c.occurred_at >= dt.datetime.combine(since, dt.time()))
    if until is not None:
        query = query.where(log.c.occurred_at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time()))
    return [AuditEntry(*row) for row in con.execute(query)]


def record(records, actor: Actor, action: str, **fields) -> None:
    """Add one entry in a transaction of its own (fields: outcome, target, detail)."""
    with records.write() as con:
        insert(con, actor, action, **fields)


def entries(records, **filters) -> list[AuditEntry]:
    with records.read() as con:
        return read(con, **filters)
