"""Self-assessment and verification on record (自评、核查): each entry of a city's claimed figure or of a verified
figure is a version, with its note or reason, its evidence, its author and time; the newest of each stage is in
force, the earlier ones stay."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select

from . import audit
from .audit import Actor
from .evidence import Evidence
from .store import Records
from .tables import self_assessment as rows
from .. import clock

CLAIMED, VERIFIED = "自评", "核查"


@dataclass(frozen=True)
class Entry:
    id: int
    year: int
    city: str
    indicator: str
    stage: str
    figure: float
    note: str | None
    evidence: tuple[Evidence, ...]
    author: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Line:
    """What is written for one indicator: the figure and the note (a claim's note, a verifier's reason)."""

    indicator: str
    figure: float
    note: str | None = None


def add(records: Records, year: int, city: str, stage: str, lines: list[Line], evidence: tuple[Evidence, ...],
        *, actor: Actor, detail: str) -> list[Entry]:
    """The lines of one submission (自评) or verification (核查), and its audit line, in one transaction."""
    kept = json.dumps([[e.sha256, e.file_name, e.kind, e.size] for e in evidence], ensure_ascii=False)
    at = clock.now()
    with records.write() as con:
        for line in lines:
            con.execute(rows.insert().values(year=year, city=city, indicator=line.indicator, stage=stage,
                                             figure=line.figure, note=line.note, evidence=kept,
                                             author=actor.who[:80], created_at=at))
        audit.insert(con, actor, audit.SELF_ASSESSMENT, target=f"{year}年度{stage}", detail=detail)
    return [e for e in entries(records, year, city) if e.created_at == at and e.stage == stage]


def entries(records: Records, year: int, city: str | None = None) -> list[Entry]:
    """Every version, oldest first."""
    query = select(rows).where(rows.c.year == year).order_by(rows.c.id)
    if city is not None:
        query = query.where(rows.c.city == city)
    with records.read() as con:
        return [Entry(r.id, r.year, r.city, r.indicator, r.stage, r.figure, r.note,
                      tuple(Evidence(*e) for e in json.loads(r.evidence or "[]")), r.author, r.created_at)
                for r in con.execute(query)]


def in_force(records: Records, year: int) -> dict[tuple[str, str, str], Entry]:
    """(city, indicator, stage) → the newest entry."""
    return {(e.city, e.indicator, e.stage): e for e in entries(records, year)}
