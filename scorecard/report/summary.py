"""The summary figures of a year's result, each defined once: the province average, the counts by grade and by
progress status, the first and the last, the movements in rank, and the sentences that say them. The ranking
page, the workbook, the Word and PDF circulars and `scorecard score` show these strings and nothing of their own.

全省平均分 is the mean of the cities' unrounded totals, rounded once (half up) for display — scoring.md §5, and
the way a provincial assessor reads a statistic: GB/T 8170 forbids rounding twice (连续修约), and averaging the
two-decimal totals of the table would do just that. Until issue 11 the page showed this figure while the
circular averaged the rounded totals (2002 as of April: 87.34 on the page, 87.35 in the circular). A total in
the table is rounded for ranking and grading (scoring.md §5); the average is no city's total and is not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .. import formatting as fmt
from ..assessment.formulas import STATUS_NAMES
from ..assessment.fund import RED
from ..assessment.results import CityResult, YearResult
from .notes import result_notes


def names(items, limit: int = 12, sep: str = "、") -> str:
    """长春市、吉林市 — or the first `limit` and 等N个 for long lists (hundreds of units)."""
    listed = [item if isinstance(item, str) else item.name for item in items]
    if len(listed) <= limit:
        return sep.join(listed)
    return sep.join(listed[:limit]) + f"等{len(listed)}个"


def province_average(result: YearResult) -> float | None:
    """全省平均分 unrounded (see the module's docstring); `Summary.average_text` rounds it once."""
    return math.fsum(c.total for c in result.cities) / len(result.cities) if result.cities else None


@dataclass(frozen=True)
class Summary:
    year: int
    month: int
    provisional: bool
    cities: tuple[CityResult, ...]
    grades: tuple[tuple[str, float], ...]
    average: float | None
    compared: bool                       # a previous year's final ranking to compare with
    notes: tuple[str, ...]               # provisional, demo data (notes.result_notes)
    warned: tuple[str, ...]              # below the fund's warning line at the month
    units: str = "市（州）"               # what the units are called: 县（市、区） when a 市州's are ranked

    # --- figures ---------------------------------------------------------------------------

    @property
    def city_count(self) -> int:
        return len(self.cities)

    @property
    def average_text(self) -> str:
        return fmt.points(self.average)

    def grade_counts(self) -> dict[str, int]:
        """How many cities have each grade of the rules, in their order (those with none too)."""
        return {name: sum(c.grade == name for c in self.cities) for name, _ in self.grades}

    def status_counts(self) -> dict[str, dict[str, int]]:
        """Per indicator (code, in the order the contracts list them), how many cities stand at each progress
        status (met, behind, far behind, missing); cities whose contract lacks the indicator are not counted."""
        counts: dict[str, dict[str, int]] = {}
        for c in self.cities:
            for i in c.indicators:
                counts.setdefault(i.code, dict.fromkeys(STATUS_NAMES, 0))[i.status] += 1
        return counts

    @property
    def first(self) -> tuple[CityResult, ...]:
        return tuple(c for c in self.cities if c.rank == 1)

    @property
    def last(self) -> tuple[CityResult, ...]:
        return tuple(c for c in self.cities if self.cities and c.rank == self.cities[-1].rank)

    @property
    def risen(self) -> tuple[CityResult, ...]:
        """Cities up on last year's final rank, the largest rise first."""
        return tuple(sorted((c for c in self.cities if c.rank_change and c.rank_change > 0),
                            key=lambda c: (-c.rank_change, c.rank)))

    @property
    def fallen(self) -> tuple[CityResult, ...]:
        return tuple(sorted((c for c in self.cities if c.rank_change and c.rank_change < 0),
                            key=lambda c: (c.rank_change, c.rank)))

    @property
    def incomplete(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.cities if c.incomplete)

    # --- sentences ---------------------------------------------------------------------------

    def grades_text(self) -> str:
        """优秀2个、良好6个、合格0个、不合格1个（其中一票否决1个）"""
        parts = []
        for grade, count in self.grade_counts().items():
            vetoed = sum(c.vetoed for c in self.cities if c.grade == grade)
            parts.append(f"{grade}{count}个" + (f"（其中一票否决{vetoed}个）" if vetoed else ""))
        return "、".join(parts)

    def edges_text(self) -> str:
        """长春市以95.00分位列第一，白城市以70.00分位列最后 (并列 for ties); empty for fewer than two cities."""
        if self.city_count < 2:
            return ""
        first, last = self.first, self.last
        return (f"{names(first)}以{fmt.points(first[0].total)}分{'并列' if len(first) > 1 else '位列'}第一，"
                f"{names(last)}以{fmt.points(last[0].total)}分{'并列' if len(last) > 1 else '位列'}最后")

    def overview_text(self) -> str:
        """The first sentence of the circular: how many, the average, the first and the last, the grades."""
        estimated = "预估" if self.provisional else ""
        edges = self.edges_text()
        return (f"参加考评的{self.city_count}个{self.units}{estimated}平均得分{self.average_text}分"
                + (f"，{edges}" if edges else "") + f"。评定等次：{self.grades_text()}。")

    def movements_text(self) -> str | None:
        """与上年相比，名次上升的有…；名次下降的有…。 — None without a previous year to compare with."""
        if not self.compared:
            return None
        up, down = self.risen, self.fallen
        if not up and not down:
            return f"与上年相比，各{self.units}名次没有变化。"
        parts = [f"名次{verb}的有" + names([f"{c.name}（{fmt.rank_change(c.rank_change)}）" for c in moved], 6)
                 for verb, moved in (("上升", up), ("下降", down)) if moved]
        return "与上年相比，" + "；".join(parts) + "。"

    def sentences(self) -> list[str]:
        """What every view says of the result as a whole, in this order."""
        movements = self.movements_text()
        return [self.overview_text()] + ([movements] if movements else [])


def summarize(result: YearResult, grades=None) -> Summary:
    """`grades` is a list of (name, minimum), best first; by default those of the rules the year was scored with."""
    return Summary(result.year, result.month, result.provisional, result.cities, tuple(grades or result.rules.grades),
                   province_average(result), result.has_previous_year, tuple(result_notes(result)),
                   tuple(f.name for f in result.fund if f.level == RED), "县（市、区）" if result.parent else "市（州）")
