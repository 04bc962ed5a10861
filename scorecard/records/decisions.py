"""Assessors' decisions on record (考评决定): adjustments (加减分) and veto findings (一票否决) of a year, entered
in the app or at the command line. Each keeps its history: an edit or a withdrawal adds a version with the reason
for it, the highest version is in force, and none is ever changed or deleted. A version's evidence files are kept
by their sha256 beside the data (records.evidence); the version, its evidence rows and the audit line are one
transaction. The values are checked before (assessment.decisions: the checks of the YAML file)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from . import audit
from .audit import Actor
from .evidence import Evidence
from .store import Records, serialize
from .tables import decision_evidence as evidence_rows, decisions as rows
from .. import clock
from ..errors import InputError

ADJUSTMENT, VETO = "加减分", "一票否决"


@dataclass(frozen=True)
class RecordedDecision:
    decision_id: int
    version: int
    year: int
    city: str
    kind: str                   # ADJUSTMENT or VETO
    points: float | None
    item: str | None
    reason: str
    decided_on: dt.date | None
    withdrawn: bool
    change_reason: str | None
    author: str
    created_at: dt.datetime
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Content:
    """What a version says: checked values, ready to be kept."""

    year: int
    city: str
    kind: str
    points: float | None
    item: str | None
    reason: str
    decided_on: dt.date | None


_COLUMNS = [rows.c[name] for name in RecordedDecision.__dataclass_fields__ if name != "evidence"]


def add(records: Records, content: Content, evidence: tuple[Evidence, ...], *, actor: Actor,
        city_name: str) -> RecordedDecision:
    with records.write() as con:
        serialize(con, "decisions")
        decision_id = con.execute(select(func.coalesce(func.max(rows.c.decision_id), 0) + 1)).scalar()
        _insert(con, decision_id, 1, content, evidence, actor, withdrawn=False, change_reason=None)
        audit.insert(con, actor, audit.DECISION, target=f"考评决定{decision_id}",
                     detail=f"已登记考评决定（编号{decision_id}）：{describe(content, city_name)}。")
        return _in_force(con, decision_id)


def new_version(records: Records, decision_id: int, *, actor: Actor, change_reason: str, city_name,
                content: Content | None = None, evidence: tuple[Evidence, ...] | None = None,
                withdraw: bool = False) -> RecordedDecision:
    """An edited (`content`, `evidence`: None keeps the version before's) or withdrawn version of a decision.
    `city_name`: a city's name by its code, for the audit line."""
    with records.write() as con:
        serialize(con, "decisions")
        current = _in_force(con, decision_id)
        if current.withdrawn:
            raise InputError(f"编号为{decision_id}的考评决定已经撤销，不能再修改或撤销")
        if content is None:
            content = Content(current.year, current.city, current.kind, current.points, current.item,
                              current.reason, current.decided_on)
        kept = current.evidence if evidence is None else evidence
        _insert(con, decision_id, current.version + 1, content, kept, actor, withdrawn=withdraw,
                change_reason=change_reason)
        done = "撤销" if withdraw else "修改"
        audit.insert(con, actor, audit.DECISION, target=f"考评决定{decision_id}",
                     detail=f"已{done}考评决定（编号{decision_id}，第{current.version + 1}版）："
                            f"{describe(content, city_name(content.city))}；理由：{change_reason}。")
        return _in_force(con, decision_id)


def describe(content: Content, city_name: str) -> str:
    what = f"{content.points:+g}分" if content.kind == ADJUSTMENT else f"一票否决“{content.item}”"
    return f"{content.year}年度{city_name}{what}，{content.reason}"


def _insert(con, decision_id, version, content: Content, evidence, actor, *, withdrawn, change_reason) -> None:
    con.execute(rows.insert().values(
        decision_id=decision_id, version=version, year=content.year, city=content.city, kind=content.kind,
        points=content.points, item=content.item, reason=content.reason, decided_on=content.decided_on,
        withdrawn=withdrawn, change_reason=change_reason, author=actor.who[:80], created_at=clock.now()))
    for position, item in enumerate(evidence, start=1):
        con.execute(evidence_rows.insert().values(decision_id=decision_id, version=version, position=position,
                                                  sha256=item.sha256, file_name=item.file_name, kind=item.kind,
                                                  size=item.size))


def _versions(con, query) -> list[RecordedDecision]:
    found = [row for row in con.execute(query.order_by(rows.c.decision_id, rows.c.version))]
    if not found:
        return []
    ids = {row.decision_id for row in found}
    files: dict[tuple[int, int], list[Evidence]] = {}
    for row in con.execute(select(evidence_rows).where(evidence_rows.c.decision_id.in_(ids))
                           .order_by(evidence_rows.c.position)):
        files.setdefault((row.decision_id, row.version), []).append(
            Evidence(row.sha256, row.file_name, row.kind, row.size))
    return [RecordedDecision(*row, evidence=tuple(files.get((row.decision_id, row.version), ()))) for row in found]


def _in_force(con, decision_id: int) -> RecordedDecision:
    found = _versions(con, select(*_COLUMNS).where(rows.c.decision_id == decision_id))
    if not found:
        raise InputError(f"没有编号为{decision_id}的考评决定（scorecard assess list 可查看）")
    return found[-1]


def versions(records: Records, year: int | None = None, decision_id: int | None = None) -> list[RecordedDecision]:
    """Every version (the history), by decision and version."""
    query = select(*_COLUMNS)
    if year is not None:
        query = query.where(rows.c.year == year)
    if decision_id is not None:
        query = query.where(rows.c.decision_id == decision_id)
    with records.read() as con:
        return _versions(con, query)


def latest(records: Records, year: int, until: dt.datetime | None = None) -> list[RecordedDecision]:
    """The newest version of each decision of a year (recorded by `until`, when given), withdrawn ones included
    (`withdrawn` says so)."""
    newest: dict[int, RecordedDecision] = {}
    for version in versions(records, year):
        if until is None or version.created_at <= until:
            newest[version.decision_id] = version
    return list(newest.values())
