"""The columns of the score sheet (计分表), defined once: one line per indicator of each city's contract, as the
年终考评 page, the workbook's 评分明细 and the report cards (单位考评卡) show it. A line's figures are written as
explain.py words them, with the decimals at which a shortfall shows (formatting.telling_digits)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import formatting as fmt
from ..assessment.explain import actual_and_target, bonus_text, calculation_text, completion_and_pace, method_text
from ..assessment.formulas import STATUS_NAMES
from ..assessment.results import CityResult, IndicatorResult, YearResult
from .columns import FIGURE, NOTHING, POINTS, RANK, TEXT, Column


@dataclass(frozen=True)
class Line:
    """One indicator of one city's contract, as of a month."""

    city: CityResult
    indicator: IndicatorResult
    month: int
    first: bool                  # the city's first line: a printed sheet names the city once


def city_lines(result: YearResult, city: CityResult) -> list[Line]:
    return [Line(city, i, result.month, k == 0) for k, i in enumerate(city.indicators)]


def lines(result: YearResult) -> list[Line]:
    return [line for city in result.cities for line in city_lines(result, city)]


def method_words(i: IndicatorResult) -> str:
    """The rule and the bonus rule of an indicator, as its contract writes them."""
    return (method_text(i.method, i.weight, i.percent, i.lower_rate)
            + (f"；{bonus_text(i.bonus_rule, lower_rate=i.lower_rate)}" if i.bonus_rule else ""))


LINE_RANK = Column("名次", RANK, lambda line: line.city.rank)
LINE_CITY = Column("市州", TEXT, lambda line: line.city.name, formal="市（州）")
LINE_CODE = Column("代码", TEXT, lambda line: line.city.code)
AREA = Column("考评领域", TEXT, lambda line: line.indicator.area)
INDICATOR = Column("考核指标", TEXT, lambda line: line.indicator.name)
UNIT = Column("单位", TEXT, lambda line: line.indicator.unit)
TARGET = Column("目标", FIGURE, lambda line: line.indicator.target,
                shown=lambda line: actual_and_target(line.indicator)[1])
ACTUAL = Column("实际", FIGURE, lambda line: line.indicator.actual,
                shown=lambda line: actual_and_target(line.indicator)[0])
COMPLETION = Column("完成率", FIGURE, lambda line: line.indicator.completion,
                    shown=lambda line: completion_and_pace(line.indicator)[0])
PACE = Column("序时进度要求", FIGURE, lambda line: line.indicator.expected,
              shown=lambda line: completion_and_pace(line.indicator)[1] or NOTHING)
PROJECTED = Column("推算全年", FIGURE, lambda line: line.indicator.scored_actual if line.indicator.projected else None,
                   shown=lambda line: fmt.quantity(line.indicator.scored_actual, line.indicator.unit)
                   if line.indicator.projected else NOTHING)
METHOD = Column("计分方法", TEXT, lambda line: method_words(line.indicator))
WEIGHT = Column("满分", FIGURE, lambda line: line.indicator.weight, unit="分",
                shown=lambda line: f"{line.indicator.weight:g}")
LINE_POINTS = Column("得分", POINTS, lambda line: line.indicator.points, unit="分")
LINE_BONUS = Column("加分", POINTS, lambda line: line.indicator.bonus, unit="分")
STATUS = Column("进度", TEXT, lambda line: STATUS_NAMES[line.indicator.status])
MISSING_MONTHS = Column("缺报月份", TEXT, lambda line: "、".join(map(str, line.indicator.missing_months)))
EXPLANATION = Column("计分说明", TEXT, lambda line: calculation_text(line.indicator, line.month))


def sheet_columns() -> list[Column]:
    """The score sheet an assessor reads: who, which indicator, its figures, how it is scored and what it earned."""
    return [LINE_RANK, LINE_CITY, INDICATOR, TARGET, ACTUAL, COMPLETION, METHOD, WEIGHT, LINE_POINTS, LINE_BONUS]


def detail_columns() -> list[Column]:
    """Everything of a line, for the workbook's 评分明细."""
    return [LINE_RANK, LINE_CITY, AREA, INDICATOR, UNIT, TARGET, ACTUAL, COMPLETION, PACE, PROJECTED, METHOD, WEIGHT,
            LINE_POINTS, LINE_BONUS, STATUS, MISSING_MONTHS, EXPLANATION]
