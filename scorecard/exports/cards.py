"""The report card (单位考评卡): one page per city with its score, indicators, progress and remarks."""

from __future__ import annotations

from dataclasses import dataclass

from .. import formatting as fmt
from ..report import palette
from ..config import Config, WarningRules
from ..assessment.explain import (
    calculation_text,
    completion_and_pace,
    decision_text,
    not_yet_counted_text,
    total_text,
)
from ..assessment.fund import FundStatus
from ..assessment.formulas import BEHIND, FAR_BEHIND, MET, MISSING, STATUS_NAMES
from ..assessment.results import CityResult, YearResult
from .blocks import Table
from ..report.columns import ADJUSTMENT, BONUS, GRADE, INDICATOR_POINTS, MOVEMENT, NOTHING, RANK_COLUMN, TOTAL
from ..report.sheet import (
    ACTUAL,
    COMPLETION,
    INDICATOR,
    LINE_BONUS,
    LINE_POINTS,
    METHOD,
    PROJECTED,
    STATUS,
    TARGET,
    WEIGHT,
    city_lines,
)
from .content import capacity_text, number

CARD_TITLE = "单位考评卡"


@dataclass(frozen=True)
class Card:
    heading: str
    city: str
    scope: str
    summary: Table
    indicators: Table
    sections: tuple[tuple[str, tuple[str, ...]], ...]   # (heading, lines)


def report_cards(result: YearResult, config: Config) -> list[Card]:
    fund = {s.city: s for s in result.fund}
    return [report_card(result, config, city, fund.get(city.code)) for city in result.cities]


def report_card(result: YearResult, config: Config, city: CityResult, fund: FundStatus | None) -> Card:
    scope = f"截至{result.month}月　{result.label}"
    heading = f"{result.year}年度失业保险工作目标责任制{CARD_TITLE}" + ("（预估）" if result.provisional else "")
    decisions = [decision_text(a) for a in city.adjustments]
    decisions += [f"{decision_text(v)}，得分和名次保留，等次定为{result.rules.failing_grade}" for v in city.vetoes]
    later = not_yet_counted_text([city], result.year, result.month)
    sections = [("序时进度" if result.provisional else "完成情况", _progress(result, city)),
                ("加减分和一票否决", tuple(decisions + ([later] if later else [])) or ("无",)),
                ("基金支付能力", (_fund_line(fund, result.rules.warning),)),
                ("计分说明", tuple(f"{n}. {calculation_text(i, result.month)}。"
                               for n, i in enumerate(city.indicators, start=1))
                 + (f"合计：{total_text(city, result.rules.bonus_cap)}。",))]
    return Card(heading=heading, city=city.name, scope=scope, summary=_summary(result, config, city),
                indicators=_indicator_table(result, city), sections=tuple(sections))


def _summary(result: YearResult, config: Config, city: CityResult) -> Table:
    columns = [TOTAL, RANK_COLUMN, *([MOVEMENT] if result.has_previous_year else []), GRADE, INDICATOR_POINTS, BONUS,
               ADJUSTMENT]
    values = [f"{city.rank}/{len(result.cities)}" if column is RANK_COLUMN else column.text(city) for column in columns]
    return Table(headers=tuple(column.header for column in columns), rows=(tuple(values),),
                 align=("C",) * len(columns), colors=(palette.grade_color(city.grade, result.rules.grades),),
                 color_column=columns.index(GRADE))


def _indicator_table(result: YearResult, city: CityResult) -> Table:
    """The score sheet's lines of one city (report/sheet.py): the actual with its projection to the year, the points
    against the full weight, no bonus (—) where the contract sets no bonus rule."""
    columns = [INDICATOR, TARGET, ACTUAL, COMPLETION, METHOD, LINE_POINTS, LINE_BONUS, STATUS]
    rows = []
    for line in city_lines(result, city):
        i = line.indicator
        texts = {column: column.text(line) for column in columns}
        if i.projected:
            texts[ACTUAL] += f"\n{PROJECTED.header}{PROJECTED.text(line)}"
        texts[LINE_POINTS] += f"/{WEIGHT.text(line)}"
        texts[LINE_BONUS] = texts[LINE_BONUS] if i.bonus_rule else NOTHING
        rows.append(tuple(texts[column] for column in columns))
    headers = tuple(f"{LINE_POINTS.header}/{WEIGHT.header}" if column is LINE_POINTS else column.header
                    for column in columns)
    return Table(headers=headers, rows=tuple(rows), align=tuple("C" if column is STATUS else column.align
                                                                 for column in columns),
                 colors=tuple(palette.STATUS_COLORS[i.status] for i in city.indicators),
                 color_column=columns.index(STATUS))


def _progress(result: YearResult, city: CityResult) -> tuple[str, ...]:
    """How many indicators stand where (the table shows each), and for flows before December the pace."""
    goal = "达到序时进度" if result.provisional else "达到目标"
    counts = [f"{goal}{sum(i.status == MET for i in city.indicators)}项"]
    for status in (BEHIND, FAR_BEHIND, MISSING):
        names = [i.name for i in city.indicators if i.status == status]
        if names:
            counts.append(f"{STATUS_NAMES[status]}{len(names)}项（{'、'.join(names)}）")
    lines = [f"{len(city.indicators)}项指标中，" + "；".join(counts) + "。"]
    if result.provisional:
        for i in city.indicators:
            if i.kind == "flow" and i.actual is not None:
                completion, pace = completion_and_pace(i)
                line = f"{i.name}：完成全年目标的{completion}，序时进度要求{pace}，{STATUS_NAMES[i.status]}"
                if i.status != MET and i.needed_per_month and i.needed_per_month > 0:
                    line += f"；其余{12 - result.month}个月每月需完成{fmt.quantity(i.needed_per_month, i.unit)}"
                lines.append(line)
    return tuple(lines)


def _fund_line(fund: FundStatus | None, rules: WarningRules) -> str:
    if fund is None or fund.capacity is None:
        return (fund.missing_reason if fund else "无基金数据") + "。"
    text = (f"{fund.month}月末累计结余{fmt.quantity(fund.balance, '万元')}，近{rules.lookback_months}个月月均支出"
            f"{fmt.quantity(fund.mean_expenditure, '万元')}，可支付{capacity_text(fund.capacity)}（{fund.level_name}，"
            f"预警线{number(rules.threshold_months)}个月）")
    if fund.foreseen_in:
        text += f"；按近期收支趋势，{fund.forward_text}"
    return text + "。"
