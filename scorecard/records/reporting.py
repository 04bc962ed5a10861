"""Monthly figures reported online (在线填报), on record: a version per city and month, and every step with who and
when. A draft (草稿) is saved over until it is submitted (待审); the province returns it (退回, with a reason) or
accepts it (已通过: the figures are imported, actions.reporting). A returned or accepted month that is corrected
becomes the next version, so both stay. Each step and its audit line are one transaction."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import and_, select, update

from . import audit
from .audit import Actor
from .store import Records, serialize
from .tables import report_events as events, report_versions as rows
from .. import clock
from ..errors import InputError

DRAFT, PENDING, RETURNED, ACCEPTED = "草稿", "待审", "退回", "已通过"
SAVED, SUBMITTED, RETURN, ACCEPT = "保存", "报送", "退回", "通过"


@dataclass(frozen=True)
class ReportVersion:
    city: str
    year: int
    month: int
    version: int
    figures: dict[str, float]
    notes: dict[str, str]
    state: str
    entered_by: str
    entered_at: dt.datetime
    submitted_by: str | None
    submitted_at: dt.datetime | None
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    review_reason: str | None
    import_id: int | None


@dataclass(frozen=True)
class ReportEvent:
    city: str
    year: int
    month: int
    version: int
    action: str
    who: str
    at: dt.datetime
    reason: str | None


def _version(row) -> ReportVersion:
    values = dict(row._mapping)
    values["figures"], values["notes"] = json.loads(values["figures"]), json.loads(values["notes"])
    return ReportVersion(**values)


def _of(city: str, year: int, month: int):
    return and_(rows.c.city == city, rows.c.year == year, rows.c.month == month)


def _latest(con, city: str, year: int, month: int) -> ReportVersion | None:
    row = con.execute(select(*rows.columns).where(_of(city, year, month)).order_by(rows.c.version.desc())
                      .limit(1)).first()
    return _version(row) if row else None


def _event(con, version: ReportVersion, action: str, who: str, reason: str | None = None) -> None:
    con.execute(events.insert().values(city=version.city, year=version.year, month=version.month,
                                       version=version.version, action=action, who=who[:80], at=clock.now(),
                                       reason=reason))


def save(records: Records, city: str, year: int, month: int, figures: dict[str, float], notes: dict[str, str], *,
         actor: Actor, submit: bool, what: str) -> ReportVersion:
    """Save the month's draft — a new version when the one before was returned or accepted — and with `submit`
    hand it in. `what` names the month for the audit line (长春市2003年5月)."""
    now = clock.now()
    with records.write() as con:
        serialize(con, "report_versions")
        current = _latest(con, city, year, month)
        if current is not None and current.state == PENDING:
            raise InputError(f"{what}的数据已报送，正在等待省级审核，审核前不能修改")
        values = {"figures": json.dumps(figures, ensure_ascii=False), "notes": json.dumps(notes, ensure_ascii=False),
                  "entered_by": actor.who[:80], "entered_at": now, "state": PENDING if submit else DRAFT,
                  "submitted_by": actor.who[:80] if submit else None, "submitted_at": now if submit else None}
        if current is not None and current.state == DRAFT:
            number = current.version
            con.execute(update(rows).where(_of(city, year, month), rows.c.version == number).values(**values))
        else:
            number = current.version + 1 if current else 1
            con.execute(rows.insert().values(city=city, year=year, month=month, version=number, **values))
        saved = _latest(con, city, year, month)
        _event(con, saved, SAVED, actor.who)
        if submit:
            _event(con, saved, SUBMITTED, actor.who)
        done = "已报送" if submit else "已保存草稿"
        audit.insert(con, actor, audit.REPORTING, target=what,
                     detail=f"{what}在线填报{done}（第{number}版，{len(figures)}项）"
                            + (f"；说明{len(notes)}条" if notes else ""))
        return saved


def pending(con, city: str, year: int, month: int, what: str) -> ReportVersion:
    """The version awaiting review, on an open connection; said in Chinese when there is none."""
    current = _latest(con, city, year, month)
    if current is None or current.state != PENDING:
        state = "未报送" if current is None or current.state == DRAFT else current.state
        raise InputError(f"{what}的数据{state}，没有待审核的报送")
    return current


def returned(records: Records, city: str, year: int, month: int, *, actor: Actor, reason: str,
             what: str) -> ReportVersion:
    with records.write() as con:
        serialize(con, "report_versions")
        current = pending(con, city, year, month, what)
        con.execute(update(rows).where(_of(city, year, month), rows.c.version == current.version).values(
            state=RETURNED, reviewed_by=actor.who[:80], reviewed_at=clock.now(), review_reason=reason))
        _event(con, current, RETURN, actor.who, reason)
        audit.insert(con, actor, audit.REVIEW, target=what,
                     detail=f"{what}在线填报（第{current.version}版）已退回：{reason}")
        return _latest(con, city, year, month)


def accept_on(con, current: ReportVersion, *, actor: Actor, import_id: int | None, what: str) -> None:
    """The acceptance of `current` on an open connection: in the transaction of the import's audit line."""
    con.execute(update(rows).where(_of(current.city, current.year, current.month),
                                   rows.c.version == current.version).values(
        state=ACCEPTED, reviewed_by=actor.who[:80], reviewed_at=clock.now(), review_reason=None, import_id=import_id))
    _event(con, current, ACCEPT, actor.who)
    imported = f"，已写入数据库（第{import_id}次导入）" if import_id else "，数据与数据库中已有的相同"
    audit.insert(con, actor, audit.REVIEW, target=what,
                 detail=f"{what}在线填报（第{current.version}版，填报人{current.entered_by}）审核通过{imported}")


def accepted(records: Records, current: ReportVersion, *, actor: Actor, what: str) -> None:
    """The acceptance of figures that changed nothing in the database: no import, only the record."""
    with records.write() as con:
        serialize(con, "report_versions")
        accept_on(con, pending(con, current.city, current.year, current.month, what), actor=actor, import_id=None,
                  what=what)


def latest(records: Records, city: str, year: int, month: int) -> ReportVersion | None:
    with records.read() as con:
        return _latest(con, city, year, month)


def versions(records: Records, year: int, city: str | None = None) -> list[ReportVersion]:
    """Every version of the year (of one city), oldest first."""
    query = select(*rows.columns).where(rows.c.year == year)
    if city is not None:
        query = query.where(rows.c.city == city)
    with records.read() as con:
        return [_version(r) for r in con.execute(query.order_by(rows.c.city, rows.c.month, rows.c.version))]


def steps(records: Records, year: int, city: str | None = None) -> list[ReportEvent]:
    query = select(events.c.city, events.c.year, events.c.month, events.c.version, events.c.action, events.c.who,
                   events.c.at, events.c.reason).where(events.c.year == year)
    if city is not None:
        query = query.where(events.c.city == city)
    with records.read() as con:
        return [ReportEvent(*r) for r in con.execute(query.order_by(events.c.id))]
