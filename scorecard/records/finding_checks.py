"""Caseworkers' outcomes of the person-record rule findings (核查结果): each entry is a version — whether the
finding was confirmed (属实) or not (不属实, with the reason), by whom and when; the newest per finding is in
force, the earlier ones stay."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from . import audit
from .audit import Actor
from .store import Records
from .tables import finding_checks as rows
from .. import clock

CONFIRMED, NOT_CONFIRMED = "属实", "不属实"
OUTCOMES = (CONFIRMED, NOT_CONFIRMED)


@dataclass(frozen=True)
class FindingCheck:
    id: int
    year: int
    city: str
    rule: str
    finding: str            # microdata.findings.Finding.key
    outcome: str
    amount: float           # the finding's amount when it was checked (元)
    note: str | None
    author: str
    created_at: dt.datetime


def add(records: Records, year: int, city: str, rule: str, finding: str, outcome: str, amount: float,
        note: str | None, *, actor: Actor, detail: str) -> FindingCheck:
    """One outcome and its audit line, in one transaction."""
    at = clock.now()
    with records.write() as con:
        new_id = con.execute(rows.insert().values(
            year=year, city=city, rule=rule, finding=finding, outcome=outcome, amount=amount, note=note,
            author=actor.who[:80], created_at=at)).inserted_primary_key[0]
        audit.insert(con, actor, audit.FINDING_CHECK, target=f"{year}年度{finding}", detail=detail)
    return next(c for c in entries(records, year) if c.id == new_id)


def entries(records: Records, year: int, finding: str | None = None) -> list[FindingCheck]:
    """Every version of a year (of one finding), oldest first."""
    query = select(rows).where(rows.c.year == year).order_by(rows.c.id)
    if finding is not None:
        query = query.where(rows.c.finding == finding)
    with records.read() as con:
        return [FindingCheck(r.id, r.year, r.city, r.rule, r.finding, r.outcome, r.amount, r.note, r.author,
                             r.created_at) for r in con.execute(query)]


def in_force(records: Records, year: int) -> dict[str, FindingCheck]:
    """finding key → its newest outcome."""
    return {c.finding: c for c in entries(records, year)}
