"""Corrective action plans (整改方案) on record. A city files a plan for a finding of a year (assessment.rectification);
filing and each revision add a version, the highest is in force; the province's review of a version (通过, or 退回
with a reason) is a row of its own; a milestone's status is reported row by row, the newest counts. Nothing is
ever changed or deleted, and each write is one transaction with its audit line. The content is checked before
(assessment.rectification.checked)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from . import audit
from .audit import Actor
from .store import Records, serialize
from .tables import (rectification_milestones as milestone_rows, rectification_plans as rows,
                     rectification_progress as progress_rows, rectification_reviews as review_rows)
from .. import clock
from ..errors import InputError

PENDING, ACCEPTED, RETURNED = "待审核", "已通过", "已退回"
NOT_STARTED, IN_PROGRESS, DONE = "未开始", "进行中", "已完成"
MILESTONE_STATES = (NOT_STARTED, IN_PROGRESS, DONE)


@dataclass(frozen=True)
class Content:
    """What a version of a plan says: checked values, ready to be kept."""

    year: int
    city: str
    finding: str                    # the finding's key
    finding_text: str
    measures: str
    owner: str
    milestones: tuple[tuple[dt.date, str], ...]   # (due date, description), by date


@dataclass(frozen=True)
class Review:
    accepted: bool
    reason: str | None
    author: str
    at: dt.datetime


@dataclass(frozen=True)
class Version:
    version: int
    measures: str
    owner: str
    milestones: tuple[tuple[dt.date, str], ...]
    author: str
    at: dt.datetime
    review: Review | None

    @property
    def state(self) -> str:
        return PENDING if self.review is None else ACCEPTED if self.review.accepted else RETURNED


@dataclass(frozen=True)
class Milestone:
    position: int
    due_on: dt.date
    description: str
    status: str = NOT_STARTED
    completed_on: dt.date | None = None
    note: str | None = None
    updated_by: str | None = None
    updated_at: dt.datetime | None = None

    def overdue(self, today: dt.date) -> bool:
        return self.status != DONE and self.due_on < today


@dataclass(frozen=True)
class Plan:
    plan_id: int
    year: int
    city: str
    finding: str
    finding_text: str
    versions: tuple[Version, ...]   # oldest first
    milestones: tuple[Milestone, ...]   # of the version in force, with their status

    @property
    def current(self) -> Version:
        return self.versions[-1]

    @property
    def state(self) -> str:
        return self.current.state

    def overdue(self, today: dt.date) -> tuple[Milestone, ...]:
        return tuple(m for m in self.milestones if m.overdue(today))


def _insert_version(con, plan_id: int, version: int, content: Content, actor: Actor) -> None:
    con.execute(rows.insert().values(
        plan_id=plan_id, version=version, year=content.year, city=content.city, finding=content.finding,
        finding_text=content.finding_text, measures=content.measures, owner=content.owner, author=actor.who[:80],
        created_at=clock.now()))
    for position, (due, description) in enumerate(content.milestones, start=1):
        con.execute(milestone_rows.insert().values(plan_id=plan_id, version=version, position=position, due_on=due,
                                                   description=description))


def file(records: Records, content: Content, *, actor: Actor, city_name: str) -> Plan:
    with records.write() as con:
        serialize(con, "rectification")
        existing = con.execute(select(rows.c.plan_id).where(
            rows.c.year == content.year, rows.c.city == content.city, rows.c.finding == content.finding)).first()
        if existing:
            raise InputError(f"{city_name}已就“{content.finding_text}”报送过整改方案（编号{existing.plan_id}），"
                             "请修改该方案，不要重复报送")
        plan_id = con.execute(select(func.coalesce(func.max(rows.c.plan_id), 0) + 1)).scalar()
        _insert_version(con, plan_id, 1, content, actor)
        audit.insert(con, actor, audit.RECTIFY, target=f"整改方案{plan_id}",
                     detail=f"已报送整改方案（编号{plan_id}）：{content.year}年度{city_name}，{content.finding_text}；"
                            f"责任人{content.owner}，{len(content.milestones)}个节点。")
        return _plan(con, plan_id)


def revise(records: Records, plan_id: int, content: Content, *, actor: Actor, city_name: str) -> Plan:
    """A new version of a plan not yet accepted (returned, or awaiting review): it awaits review again."""
    with records.write() as con:
        serialize(con, "rectification")
        plan = _plan(con, plan_id)
        if plan.state == ACCEPTED:
            raise InputError(f"整改方案{plan_id}已经通过审核，不能再修改；节点进展请在“节点进展”中填报")
        version = plan.current.version + 1
        _insert_version(con, plan_id, version, content, actor)
        audit.insert(con, actor, audit.RECTIFY, target=f"整改方案{plan_id}",
                     detail=f"已修改并重新报送整改方案（编号{plan_id}，第{version}版）：{plan.year}年度{city_name}，"
                            f"{plan.finding_text}。")
        return _plan(con, plan_id)


def review(records: Records, plan_id: int, *, accepted: bool, reason: str | None, actor: Actor,
           city_name) -> Plan:
    """The province's review of the version in force, which must await review. `city_name`: by the city's code."""
    with records.write() as con:
        serialize(con, "rectification")
        plan = _plan(con, plan_id)
        if plan.state != PENDING:
            raise InputError(f"整改方案{plan_id}第{plan.current.version}版{plan.state}，没有待审核的版本")
        con.execute(review_rows.insert().values(plan_id=plan_id, version=plan.current.version, accepted=accepted,
                                                reason=reason, author=actor.who[:80], created_at=clock.now()))
        what = "通过" if accepted else f"退回（理由：{reason}）"
        audit.insert(con, actor, audit.RECTIFY, target=f"整改方案{plan_id}",
                     detail=f"整改方案（编号{plan_id}，第{plan.current.version}版）审核{what}："
                            f"{plan.year}年度{city_name(plan.city)}，{plan.finding_text}。")
        return _plan(con, plan_id)


def report_milestone(records: Records, plan_id: int, position: int, *, status: str, completed_on: dt.date | None,
                     note: str | None, actor: Actor, city_name) -> Plan:
    """A milestone's status, of an accepted plan."""
    with records.write() as con:
        plan = _plan(con, plan_id)
        if plan.state != ACCEPTED:
            raise InputError(f"整改方案{plan_id}尚未通过审核（{plan.state}），通过后才能填报节点进展")
        if not 1 <= position <= len(plan.milestones):
            raise InputError(f"整改方案{plan_id}没有第{position}个节点（共{len(plan.milestones)}个）")
        con.execute(progress_rows.insert().values(
            plan_id=plan_id, version=plan.current.version, position=position, status=status,
            completed_on=completed_on, note=note, author=actor.who[:80], created_at=clock.now()))
        done = f"，完成日期{completed_on:%Y-%m-%d}" if completed_on else ""
        audit.insert(con, actor, audit.RECTIFY, target=f"整改方案{plan_id}",
                     detail=f"整改方案（编号{plan_id}）第{position}个节点“{plan.milestones[position - 1].description}”"
                            f"：{status}{done}；{city_name(plan.city)}。")
        return _plan(con, plan_id)


def _plans(con, query) -> list[Plan]:
    found = list(con.execute(query.order_by(rows.c.plan_id, rows.c.version)))
    if not found:
        return []
    ids = {row.plan_id for row in found}
    marks: dict[tuple[int, int], list[tuple[dt.date, str]]] = {}
    for row in con.execute(select(milestone_rows).where(milestone_rows.c.plan_id.in_(ids))
                           .order_by(milestone_rows.c.position)):
        marks.setdefault((row.plan_id, row.version), []).append((row.due_on, row.description))
    reviews = {(row.plan_id, row.version): Review(row.accepted, row.reason, row.author, row.created_at)
               for row in con.execute(select(review_rows).where(review_rows.c.plan_id.in_(ids)))}
    reported: dict[tuple[int, int, int], object] = {}
    for row in con.execute(select(progress_rows).where(progress_rows.c.plan_id.in_(ids))
                           .order_by(progress_rows.c.id)):
        reported[(row.plan_id, row.version, row.position)] = row
    by_plan: dict[int, list] = {}
    for row in found:
        by_plan.setdefault(row.plan_id, []).append(row)
    plans = []
    for plan_id, versions in by_plan.items():
        kept = tuple(Version(v.version, v.measures, v.owner, tuple(marks.get((plan_id, v.version), ())), v.author,
                             v.created_at, reviews.get((plan_id, v.version))) for v in versions)
        last = kept[-1]
        milestones = []
        for position, (due, description) in enumerate(last.milestones, start=1):
            status = reported.get((plan_id, last.version, position))
            milestones.append(Milestone(position, due, description) if status is None else Milestone(
                position, due, description, status.status, status.completed_on, status.note, status.author,
                status.created_at))
        first = versions[0]
        plans.append(Plan(plan_id, first.year, first.city, first.finding, first.finding_text, kept, tuple(milestones)))
    return plans


def _plan(con, plan_id: int) -> Plan:
    found = _plans(con, select(rows).where(rows.c.plan_id == plan_id))
    if not found:
        raise InputError(f"没有编号为{plan_id}的整改方案")
    return found[0]


def plans(records: Records, year: int | None = None, city: str | None = None) -> list[Plan]:
    """The plans (each with every version), by number; of a year and of a city when given."""
    query = select(rows)
    if year is not None:
        query = query.where(rows.c.year == year)
    if city is not None:
        query = query.where(rows.c.city == city)
    with records.read() as con:
        return _plans(con, query)


def plan(records: Records, plan_id: int) -> Plan:
    with records.read() as con:
        return _plan(con, plan_id)
