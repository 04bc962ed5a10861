"""The JSON and CSV shapes of interfaces.md, built from the core's results."""

from __future__ import annotations

import csv
import io
import json

from ..cells import inert
from ..assessment.fund import FundStatus
from ..assessment.results import YearResult


def score_dict(result: YearResult) -> dict:
    """The result as interfaces.md's JSON; a ranking of a 市州's 县（市、区） also says whose (`parent`)."""
    return ({"parent": result.parent} if result.parent else {}) | {
        "year": result.year,
        "month": result.month,
        "provisional": result.provisional,
        "cities": [{
            "city": c.code,
            "name": c.name,
            "rank": c.rank,
            "total": c.total,
            "grade": c.grade,
            "veto": [v.item for v in c.vetoes],
            "bonus": c.bonus,
            "adjustment": c.adjustment,
            "rank_change": c.rank_change,
            "indicators": [{
                "code": i.code,
                "target": i.target,
                "actual": i.actual,
                "completion": i.completion,
                "points": i.points,
                "bonus": i.bonus,
                "status": i.status,
                "missing_months": list(i.missing_months),
            } for i in c.indicators],
        } for c in result.cities],
    }


def warn_dict(year: int, month: int, statuses: list[FundStatus]) -> dict:
    return {
        "year": year,
        "month": month,
        "cities": [{
            "city": s.city,
            "name": s.name,
            "capacity_months": s.capacity,
            "level": s.level,
            "months_to_threshold": s.months_to_threshold,
        } for s in statuses],
    }


def to_json(data: dict) -> str:
    # A completion of +∞ (direction lower, actual 0) is written as Infinity, as Python's json reads it back.
    return json.dumps(data, ensure_ascii=False, indent=1)


def score_csv(result: YearResult) -> str:
    """One row per city, the ranking a batch job needs; no cell is run as a formula by a spreadsheet (cells.py)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rank", "city", "name", "total", "grade", "bonus", "adjustment", "rank_change", "veto",
                     "incomplete", "provisional", "year", "month"])
    for c in result.cities:
        row = [c.rank, c.code, c.name, f"{c.total_rounded:.2f}", c.grade, f"{c.bonus:.2f}", f"{c.adjustment:.2f}",
               "" if c.rank_change is None else c.rank_change, ";".join(v.item for v in c.vetoes),
               int(c.incomplete), int(result.provisional), result.year, result.month]
        writer.writerow([inert(cell) for cell in row])
    return out.getvalue()
