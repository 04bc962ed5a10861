"""What every document says the same way: titles, the page mark, file names and the ranking columns.

The ranking columns hold numbers; the workbook writes them as numeric cells with a number
format, the circular and the report cards as text through `scorecard.formatting`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import formatting as fmt
from ..report.notes import DEMO_LABEL
from ..assessment.results import CityResult, YearResult

POINTS, RANK, CHANGE, TEXT = "points", "rank", "change", "text"
ALIGN = {POINTS: "R", RANK: "C", CHANGE: "C", TEXT: "L"}
GRADE_COLUMN = "等次"


def months_text(month: int) -> str:
    return "1月" if month == 1 else f"1—{month}月"


def document_title(result: YearResult) -> str:
    title = f"{result.year}年度全省失业保险工作目标责任制考评结果"
    return title + (f"（截至{result.month}月预估）" if result.provisional else "")


def page_mark(result: YearResult) -> str | None:
    """Printed on every page of every document: provisional results and demo data must not pass as final."""
    parts = []
    if result.provisional:
        parts.append(f"预估　截至{result.month}月数据推算，非年终考评结果")
    if result.demo:
        parts.append(f"{DEMO_LABEL}　非正式统计数据")
    return "；".join(parts) or None


def file_name(result: YearResult, extension: str, what: str = "考评结果") -> str:
    scope = f"截至{result.month}月预估" if result.provisional else "年终"
    demo = f"（{DEMO_LABEL}）" if result.demo else ""
    return f"{result.year}年度失业保险目标责任制{what}（{scope}）{demo}.{extension}"




def capacity_text(months: float) -> str:
    return f"{months:.2f}个月"


def number(value: float) -> str:
    """A rule's number as written in a contract: 2, 0.5, 12.5."""
    return f"{value:g}"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[CityResult], float | int | str | None]
    kind: str            # POINTS, RANK, CHANGE or TEXT

    def text(self, city: CityResult) -> str:
        value = self.value(city)
        if self.kind == POINTS:
            return "—" if value is None else fmt.points(value)
        if self.kind == CHANGE:
            return fmt.rank_change(value)
        return "" if value is None else str(value)


def _area_column(result: YearResult, area: str) -> Column:
    weights = {c.area_points().get(area, (0.0, None))[1] for c in result.cities}
    header = f"{area}（{number(weights.pop())}分）" if len(weights) == 1 and None not in weights else area

    def points(city: CityResult):
        found = city.area_points().get(area)
        return None if found is None else found[0]

    return Column(header, points, POINTS)


def ranking_columns(result: YearResult) -> list[Column]:
    """名次, 市州, the area sub-scores, 加分, 加减分, 总分, 等次 and, when there is a previous year, 名次变化."""
    columns = [Column("名次", lambda c: c.rank, RANK), Column("市（州）", lambda c: c.name, TEXT)]
    columns += [_area_column(result, area) for area in result.areas]
    columns += [Column("加分", lambda c: c.bonus, POINTS),
                Column("加减分", lambda c: c.adjustment, POINTS),
                Column("总分", lambda c: c.total_rounded, POINTS),
                Column(GRADE_COLUMN, lambda c: c.grade, TEXT)]
    if result.has_previous_year:
        columns.append(Column("名次变化", lambda c: c.rank_change, CHANGE))
    return columns


def city_list(cities, limit: int = 12, sep: str = "、") -> str:
    """长春市、吉林市 — or the first `limit` and 等N个 for long lists (hundreds of units)."""
    names = [c if isinstance(c, str) else c.name for c in cities]
    if len(names) <= limit:
        return sep.join(names)
    return sep.join(names[:limit]) + f"等{len(names)}个"
