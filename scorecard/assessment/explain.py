"""Scores in words, so an official who disputes a number can follow it.

e.g. 征缴率实际82.5%，目标95.0%，低12.5个百分点，每低1个百分点扣1分，得7.50分（满分20分）
"""

from __future__ import annotations

import functools
import math

from .. import formatting as fmt
from ..frozen import per_object
from ..config import Decision, Veto
from ..rules import BonusRule, ScoringMethod
from .formulas import STATUS_NAMES
from .scoring import CityResult, IndicatorResult


def _num(value: float) -> str:
    return f"{value:g}"


def _pp(value: float) -> str:
    """Percentage points with one decimal, two when smaller than 0.1, more when smaller still: a gap never
    reads as 0.0 (0.004个百分点)."""
    if value >= 0.1:     # most gaps: one decimal shows them
        return f"{value:.1f}"
    digits = 2 if 0 < value < 0.1 else 1
    while 0 < value and float(f"{value:.{digits}f}") == 0 and digits < fmt.MOST_DIGITS:
        digits += 1
    return f"{value:.{digits}f}"


# A rule's words are the same for every unit whose contract uses it: written once per rule and weight (a rule is
# frozen, equal and hashed by its parameters; its words write their numbers with :g, 2 and 2.0 alike).
@functools.lru_cache(maxsize=4096)
def method_text(method: ScoringMethod, weight: float, percent: bool, lower_rate: bool = False) -> str:
    """The rule as officials write it in a contract."""
    return method.rule_text(weight, percent, lower_rate=lower_rate)


@functools.lru_cache(maxsize=4096)
def bonus_text(bonus: BonusRule | None, bonus_cap: float | None = None, lower_rate: bool = False) -> str:
    return "超额完成不加分" if bonus is None else bonus.rule_text(bonus_cap, lower_rate=lower_rate)


def target_phrase(target: float, unit: str, direction: str) -> str:
    """A target as a contract states it: 26,000.00万元, 95.0%, 不超过5,000.00万元."""
    return ("不超过" if direction == "lower" else "") + fmt.quantity(target, unit)


def target_text(indicator: IndicatorResult) -> str:
    return target_phrase(indicator.target, indicator.unit, indicator.direction)


def actual_and_target(i: IndicatorResult) -> tuple[str, str]:
    """实际 and 目标 in the indicator's unit; a percentage judged against its target (a stock or ratio) with the
    decimals that show a shortfall (formatting.against): 94.996% against 95.000%, not 95.0% against 95.0%."""
    if not (i.percent and i.kind != "flow" and i.actual is not None):
        return fmt.quantity(i.actual, i.unit), target_text(i)
    actual, target = fmt.against(i.actual, i.target, i.falls_short)
    return actual, ("不超过" if i.direction == "lower" else "") + target


def completion_and_pace(i: IndicatorResult) -> tuple[str, str | None]:
    """完成率 and, for a flow, the pace (序时进度) its status was decided against, with the decimals that show a
    shortfall: 49.99% against 50.00%. A stock or ratio is judged against 100% and has no pace (None)."""
    completion, pace = fmt.against(i.completion, 1.0 if i.expected is None else i.expected, i.falls_short)
    return completion, None if i.expected is None else pace


def _actual_text(i: IndicatorResult, month: int, actual: str) -> str:
    text = f"{i.name}截至{month}月实际{actual}"
    if i.missing_months:
        text += f"（缺{'、'.join(map(str, i.missing_months))}月数据，按已报月份计算）"
    if i.projected:
        text += (f"，按序时进度{fmt.percent(i.expected)}推算全年"
                 f"{fmt.quantity(i.scored_actual, i.unit)}")
    return text


def _gap_text(i: IndicatorResult) -> str:
    if i.percent:
        if i.shortfall > 0:
            return f"，{'高' if i.direction == 'lower' else '低'}于目标{_pp(i.shortfall)}个百分点"
        if i.excess > 0:
            return f"，{'低' if i.direction == 'lower' else '高'}于目标{_pp(i.excess)}个百分点"
        return "，恰好达到目标"
    completion = fmt.against(i.scored_completion, 1.0, i.shortfall > 0)[0]
    text = f"，完成{completion}"
    if i.shortfall > 0:
        text += f"，差{_pp(i.shortfall)}个百分点"
    elif i.excess > 0 and not math.isinf(i.excess):
        text += f"，超{_pp(i.excess)}个百分点"
    return text


def _points_text(i: IndicatorResult) -> str:
    return i.method.points_text(i.points, i.weight, i.shortfall, fmt.points(i.points)) + f"（满分{_num(i.weight)}分）"


def _bonus_part(i: IndicatorResult) -> str:
    if i.bonus_rule is None or i.bonus <= 0:
        return ""
    return f"；超额加{fmt.points(i.bonus)}分（{bonus_text(i.bonus_rule, lower_rate=i.lower_rate)}）"


def change_text(i: IndicatorResult) -> str:
    """A target changed within the year (目标调整), said where its score is: when, from what, why."""
    change = i.change
    if change is None:
        return ""
    day = f"{change.date.year}年{change.date.month}月{change.date.day}日"
    after = target_phrase(change.after, i.unit, i.direction)
    if change.before is None:
        what = f"{day}新增该指标，目标{after}"
    elif change.before != change.after:
        what = f"目标于{day}由{target_phrase(change.before, i.unit, i.direction)}调整为{after}"
    else:
        what = f"权重于{day}由{change.weight_before:g}分调整为{change.weight_after:g}分"
    return f"（{what}，理由：{change.reason}）"


@per_object     # the workbook's 评分明细 and the PDF's cards word each result of a year alike
def calculation_text(i: IndicatorResult, month: int) -> str:
    """One indicator's score in a sentence."""
    if i.actual is None:
        return (f"{i.name}截至{month}月没有数据（{STATUS_NAMES['missing']}），得0分（满分{_num(i.weight)}分）"
                + change_text(i))
    actual, target = actual_and_target(i)
    return (_actual_text(i, month, actual) + f"，目标{target}" + change_text(i)
            + _gap_text(i) + _points_text(i) + _bonus_part(i))


def none_of(own: str | None, predicate: str, *more: str) -> str:
    """That nothing of a kind happened, said of the cities the data it was found in covers: 没有市州{predicate}
    (，也没有市州{more}…) for every city (`own` None), {own}没有{predicate}(，也没有{more}…) for data scoped to the
    user's own city (access.speaks_of): what a 市州 user has not seen, no sentence claims of the province."""
    if own is None:
        return "，也".join(f"没有市州{p}" for p in (predicate, *more))
    return own + "，也".join(f"没有{p}" for p in (predicate, *more))


def total_text(city: CityResult, bonus_cap: float) -> str:
    """How the indicator points, bonus and adjustments add up to the total."""
    parts = [f"指标得分{fmt.points(city.points)}分"]
    if city.bonus_uncapped > city.bonus:
        parts.append(f"加分{fmt.points(city.bonus_uncapped)}分超过上限，按{fmt.points(city.bonus)}分计")
    elif city.bonus:
        parts.append(f"加分{fmt.points(city.bonus)}分")
    for a in city.adjustments:
        parts.append(f"{a.reason}{'加' if a.points > 0 else '扣'}{fmt.points(abs(a.points))}分")
    text = "，".join(parts) + f"，总分{fmt.points(city.total)}分"
    if city.points + city.bonus + city.adjustment < 0:
        text += "（合计为负，按0分计）"
    text += f"，{city.score_grade if not city.vetoes and not city.quota_demoted else city.grade}"
    if city.quota_demoted:
        text += f"（得分达到{city.score_grade}，受名额限制评为{city.grade}）"
    if city.vetoes:
        text += "（一票否决：" + "；".join(f"{v.item}，{v.reason}" for v in city.vetoes) + "）"
    return text


# --- decisions: adjustments and vetoes with their dates (scoring.md §4) ---------------------------------

def day_text(decision: Decision) -> str:
    """2003年11月24日, or 未注明."""
    day = decision.date
    return f"{day.year}年{day.month}月{day.day}日" if day else "未注明"


def dated_text(decision: Decision) -> str:
    """2003年11月24日认定, or 未注明认定日期."""
    return f"{day_text(decision)}认定" if decision.date else "未注明认定日期"


def veto_text(veto: Veto) -> str:
    """拖欠失业保险金（11月延迟发放失业保险金3天；2003年11月24日认定）."""
    return f"{veto.item}（{veto.reason}；{dated_text(veto)}）"


def decision_text(decision: Decision) -> str:
    """未按时报送12月统计报表，扣2.00分（2004年1月12日认定）; 一票否决：拖欠失业保险金（…；2003年11月24日认定）."""
    if isinstance(decision, Veto):
        return f"一票否决：{veto_text(decision)}"
    verb = "加" if decision.points > 0 else "扣"
    return f"{decision.reason}，{verb}{fmt.points(abs(decision.points))}分（{dated_text(decision)}）"


def counts_when_text(decision: Decision, year: int) -> str:
    """From which result of the year a decision counts: 11月起计入; 全年计入 (decided before the year);
    年终结果计入 (decided after the year, or undated)."""
    day = decision.date
    if day is None or day.year > year:
        return "年终结果计入"
    return f"{decision.counts_from(year)}月起计入" if day.year == year else "全年计入"


def counting_text(decision: Decision, year: int, month: int) -> str:
    """已计入, or 11月起计入（截至6月未计入）."""
    if decision.counts_from(year) <= month:
        return "已计入"
    return f"{counts_when_text(decision, year)}（截至{month}月未计入）"


def not_yet_counted_text(cities: list[CityResult], year: int, month: int, named: bool = False) -> str:
    """截至6月尚未计入：一票否决：…（…；2003年11月24日认定），11月起计入 — each decision recorded for the year
    that the result as of `month` does not count yet, after the city's name when `named`; empty when none."""
    items = [f"{c.name if named else ''}{decision_text(d)}，{counts_when_text(d, year)}"
             for c in cities for d in c.not_yet_counted]
    return f"截至{month}月尚未计入：" + "；".join(items) if items else ""
