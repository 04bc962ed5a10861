"""Every column of a ranking table, defined once: its Chinese header, its unit, its value and how that value is
written. Pages, the workbook, the Word and PDF circulars, the report cards and `scorecard score` pick columns
from here and only lay them out.

A column's value is a number or a text (of a city's result, or of a line of the score sheet: sheet.py);
`text()` writes it as every view shows it (two decimals rounded half
up for points, ↑2 / ↓1 / 持平 for a movement, "—" for nothing), `number()` keeps it a number for a sortable grid
or a spreadsheet cell, and `NUMBER_FORMATS` is how a spreadsheet writes that number so that it reads the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import formatting as fmt
from ..assessment.results import CityResult, YearResult
from ..formatting import round2
from .notes import city_notes, missing_text, veto_items

POINTS, RANK, CHANGE, TEXT, FIGURE = "points", "rank", "change", "text", "figure"   # FIGURE: written by `shown`
ALIGN = {POINTS: "R", RANK: "C", CHANGE: "C", TEXT: "L", FIGURE: "R"}
NUMBER_FORMATS = {POINTS: "0.00", RANK: "0", CHANGE: '"↑"0;"↓"0;"持平"', TEXT: "@"}   # spreadsheet number formats
NOTHING = "—"


@dataclass(frozen=True, eq=False)   # a column is itself (defined once): hashed by identity, not by its fields each time
class Column:
    header: str                                   # as pages and the command write it
    kind: str                                     # POINTS, RANK, CHANGE or TEXT
    value: Callable[[CityResult], float | int | str | None]
    unit: str | None = None                       # of the figures: 分 for points
    formal: str | None = None                     # the header in a 公文 (the circular, the workbook), if another
    empty: str = ""                               # a text column's cell when there is nothing to say
    shown: Callable[..., str] | None = None       # the text of a FIGURE (a quantity in its unit, a percentage)

    @property
    def document_header(self) -> str:
        return self.formal or self.header

    @property
    def align(self) -> str:
        return ALIGN[self.kind]

    def text(self, city: CityResult) -> str:
        if self.shown is not None:
            return self.shown(city)
        value = self.value(city)
        if self.kind == POINTS:
            return NOTHING if value is None else fmt.points(value)
        if self.kind == CHANGE:
            return fmt.rank_change(value)
        return self.empty if value is None or value == "" else str(value)

    @property
    def number_header(self) -> str:
        """The header over `number`: a figure kept a number names its unit there (累计结余（万元）)."""
        return f"{self.header}（{self.unit}）" if self.kind == FIGURE and self.unit else self.header

    def number(self, city: CityResult):
        """The value for a grid or a spreadsheet cell: points rounded as `text` shows them; a figure with a unit as
        the number (under `number_header`); texts, and figures whose text carries their unit, as `text`."""
        value = self.value(city)
        if self.kind == POINTS:
            return None if value is None else round2(value)
        if self.kind == TEXT or (self.kind == FIGURE and not self.unit):
            return self.text(city)
        return value


RANK_COLUMN = Column("名次", RANK, lambda c: c.rank)
CITY = Column("市州", TEXT, lambda c: c.name, formal="市（州）")
COUNTY = Column("县（市、区）", TEXT, lambda c: c.name)
CODE = Column("代码", TEXT, lambda c: c.code)
TOTAL = Column("总分", POINTS, lambda c: c.total, unit="分")
GRADE = Column("等次", TEXT, lambda c: c.grade)
MOVEMENT = Column("名次变化", CHANGE, lambda c: c.rank_change)
INDICATOR_POINTS = Column("指标得分", POINTS, lambda c: c.points, unit="分")
BONUS = Column("加分", POINTS, lambda c: c.bonus, unit="分")
ADJUSTMENT = Column("加减分", POINTS, lambda c: c.adjustment, unit="分")
VETO = Column("一票否决", TEXT, veto_items, empty=NOTHING)
MISSING = Column("数据不全", TEXT, missing_text, empty=NOTHING)


def area_column(area: str) -> Column:
    """An area's points (扩面, 征缴, …); its full weight, which the contracts may set apart, is said once under the
    table (`weights_text`): 扩面（20—25分） in each header would not let the ranking fit an A4 page."""

    def points(city: CityResult):
        found = city.area_points().get(area)
        return None if found is None else found[0]

    return Column(area, POINTS, points, unit="分")


def weights_text(result: YearResult) -> str:
    """各领域满分：扩面20—25分，征缴40—45分，待遇发放25分，促进就业10分。 — the range of what the contracts give each."""
    parts = []
    for area in result.areas:
        weights = sorted({w for c in result.cities if (w := c.area_points().get(area, (None, None))[1]) is not None})
        if weights:
            parts.append(f"{area}{weights[0]:g}分" if len(weights) == 1 else f"{area}{weights[0]:g}—{weights[-1]:g}分")
    return f"各领域满分：{'，'.join(parts)}。" if parts else ""


def notes_column(result: YearResult) -> Column:
    """备注: the veto, the quota, the decisions and the gaps in the data behind a city's result (notes.city_notes)."""
    return Column("备注", TEXT, lambda c: "；".join(city_notes(result, c)), empty=NOTHING)


# --- the tables, each a choice of the columns above ---------------------------------------

def area_columns(result: YearResult) -> list[Column]:
    """名次, 市州, the points of each area, 加分, 加减分 and 总分: how each city's total is made up."""
    return [RANK_COLUMN, CITY, *(area_column(area) for area in result.areas), BONUS, ADJUSTMENT, TOTAL]


def ranking_columns(result: YearResult) -> list[Column]:
    """The ranking as the circular and the workbook publish it: `area_columns`, 等次 and, when there is a previous
    year to compare with, 名次变化."""
    return area_columns(result) + [GRADE] + ([MOVEMENT] if result.has_previous_year else [])


def totals_columns() -> list[Column]:
    """Each city's total and how it is made up, for the assessors (the 年终考评 page, `scorecard score`)."""
    return [RANK_COLUMN, CITY, INDICATOR_POINTS, BONUS, ADJUSTMENT, TOTAL, GRADE, MOVEMENT]


def county_columns() -> list[Column]:
    """A 市州's 县（市、区） ranked by the contracts it signed with them (`scorecard score --parent`, 市州进度)."""
    return [RANK_COLUMN, COUNTY, INDICATOR_POINTS, BONUS, TOTAL, GRADE]


def standing_columns() -> list[Column]:
    """Rank, total, grade and movement: the ranking at a glance (the 全省排名 page)."""
    return [RANK_COLUMN, CITY, TOTAL, GRADE, MOVEMENT]


def cells(columns: list[Column], city: CityResult) -> dict[str, str]:
    """A table row as text: header → cell."""
    return {column.header: column.text(city) for column in columns}


def numbers(columns: list[Column], city: CityResult) -> dict:
    """A grid row, points and figures kept as numbers for sorting: number_header → value."""
    return {column.number_header: column.number(city) for column in columns}


def headers(columns: list[Column]) -> tuple[str, ...]:
    return tuple(column.header for column in columns)


def number_headers(columns: list[Column]) -> tuple[str, ...]:
    """The headers of a grid's columns that hold numbers (shown with two decimals)."""
    return tuple(column.number_header for column in columns
                 if column.kind == POINTS or (column.kind == FIGURE and column.unit))
