"""The JSON and CSV shapes of interfaces.md, built from the core's results."""

from __future__ import annotations

import csv
import io
import json

from ..cells import inert
from ..frozen import collector_paused
from ..assessment.fund import FundStatus
from ..assessment.results import YearResult


def score_dict(result: YearResult) -> dict:
    """The result as interfaces.md's JSON; a ranking of a 市州's 县（市、区） also says whose (`parent`)."""
    with collector_paused():  # a mapping for each of 21,000 indicator results at 2,800 units
        return _score_dict(result)


def _score_dict(result: YearResult) -> dict:
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


def to_json(data: dict, pretty: bool = False) -> str:
    """Compact unless `pretty` (indented for a person reading it): an indent makes Python's json take its slow
    encoder, twice the time for a national result. A completion of +∞ (direction lower, actual 0) is written as
    Infinity, as Python's json reads it back."""
    if pretty:
        return json.dumps(data, ensure_ascii=False, indent=1)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


CSV_COLUMNS = (("rank", "名次"), ("city", "市州代码"), ("name", "市州"), ("total", "总分"), ("grade", "等次"),
               ("bonus", "加分"), ("adjustment", "加减分"), ("rank_change", "名次变化"), ("veto", "一票否决事项"),
               ("incomplete", "数据不全"), ("provisional", "预估"), ("year", "年度"), ("month", "截至月份"))
BOM = "\ufeff"  # Excel on a Chinese Windows reads a CSV without it as GBK and garbles the names


def score_csv(result: YearResult, headers: str = "name") -> str:
    """One row per city; no cell is run as a formula by a spreadsheet (cells.py). `headers="name"` (for people):
    Chinese headers after a BOM; `headers="code"` (for machines): interfaces.md's codes, no BOM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    by_code = headers == "code"
    writer.writerow([code if by_code else name for code, name in CSV_COLUMNS])
    for c in result.cities:
        row = [c.rank, c.code, c.name, f"{c.total_rounded:.2f}", c.grade, f"{c.bonus:.2f}", f"{c.adjustment:.2f}",
               "" if c.rank_change is None else c.rank_change, ";".join(v.item for v in c.vetoes),
               int(c.incomplete), int(result.provisional), result.year, result.month]
        writer.writerow([inert(cell) for cell in row])
    return ("" if by_code else BOM) + out.getvalue()
