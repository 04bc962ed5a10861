"""An indicator month by month in words and table rows (assessment/trends.py computes it): 同比 and 环比 as
+5.2% or +1.3个百分点, the trend as ↑改善 with what it compared, the rows of the monthly tables."""

from __future__ import annotations

from .. import formatting as fmt
from ..formatting import PERCENT
from ..assessment.trends import IMPROVING, NOT_ENOUGH, WORSENING, Change, IndicatorSeries, MeasureSeries, Trend
from . import palette

TREND_COLORS = {IMPROVING: palette.GREEN, WORSENING: palette.CRIMSON}  # 持平 and 数据不足: grey


def signed(value: float, unit: str) -> str:
    """+7.5个百分点, −2.0%: one decimal, the sign always written (0.0 without one)."""
    text = f"{abs(value):,.1f}"
    sign = "" if text.strip("0.,") == "" else "+" if value > 0 else "-"
    return f"{sign}{text}{unit}"


def change_text(change: Change) -> str:
    """A 同比 or 环比: +5.2%, -1.3个百分点, or why there is none (无上年数据)."""
    if change.value is None:
        return change.reason or NOT_ENOUGH
    return signed(change.value, "个百分点") if change.points else signed(change.value * 100, "%")


def gap_text(gap: float | None) -> str:
    return "—" if gap is None else signed(gap, "个百分点")


def trend_color(trend: Trend) -> str:
    return TREND_COLORS.get(trend.word, palette.GREY)


def trend_label(trend: Trend) -> str:
    """↑改善, →持平, ↓退步, or 数据不足."""
    return f"{trend.arrow}{trend.word}" if trend.word else NOT_ENOUGH


def trend_text(series: IndicatorSeries) -> str:
    """What the trend compared: 进度差由3月的0.0个百分点变为6月的+7.5个百分点，提高7.5个百分点，改善."""
    trend = series.trend
    if trend.word is None:
        return trend.reason or NOT_ENOUGH
    now, before = series.points[-1], series.points[trend.since - 1]
    moved = (f"{'提高' if trend.change > 0 else '降低'}{abs(trend.change):.1f}个百分点" if abs(trend.change) >= 0.05
             else "几乎不变")
    return f"进度差由{before.month}月的{gap_text(before.gap)}变为{now.month}月的{gap_text(now.gap)}，{moved}，{trend.word}"


def _bare(value: float | None, unit: str, missing: str = "—") -> str:
    """A figure without its unit, which the column's header names (a table stays narrow on a phone); a
    percentage keeps its %."""
    if value is None:
        return missing
    return fmt.quantity(value, unit) if unit == PERCENT else fmt.quantity(value, unit).removesuffix(unit)


def _header(name: str, unit: str) -> str:
    return name if unit == PERCENT else f"{name}（{unit}）"


def indicator_rows(series: IndicatorSeries) -> list[dict]:
    """One row a month: the actual to date, completion, pace, 进度差, the previous year's figure, 同比, 环比."""
    unit, rows = series.unit, []
    for p in series.points:
        row = {"月份": f"{p.month}月", _header("截至当月实际", unit): _bare(p.actual, unit, fmt.MISSING_TEXT),
               "完成率": fmt.percent(p.completion)}
        if series.kind == "flow":
            row["序时进度"] = fmt.percent(p.pace)
        row |= {"进度差": gap_text(p.gap), _header("上年同期", unit): _bare(p.previous, unit),
                "同比": change_text(p.year_on_year), "环比": change_text(p.month_on_month)}
        rows.append(row)
    return rows


def measure_rows(measure: MeasureSeries) -> list[dict]:
    """One row a month of a measure: the month's value (and a flow's total to date), last year's, 同比, 环比."""
    flow, unit, rows = measure.kind == "flow", measure.unit, []
    for p in measure.points:
        row = {"月份": f"{p.month}月", _header("当月数" if flow else "月末数", unit): _bare(p.value, unit, "缺报")}
        if flow:
            row[_header("本年累计", unit)] = _bare(p.total, unit)
        row |= {_header("上年同月", unit): _bare(p.previous, unit),
                "同比": change_text(p.year_on_year), "环比": change_text(p.month_on_month)}
        rows.append(row)
    return rows


def reading(series: IndicatorSeries) -> str:
    """How 进度差, 同比 and 环比 of this indicator read (README, 评分口径)."""
    if series.kind == "flow":
        gap = "完成率减序时进度"
    elif series.percent:
        gap = "实际减目标"
    else:
        gap = "完成率减100%"
    gap = f"进度差是{gap}（越低越好的指标反过来算），不低于0即达到进度。"
    if series.percent:
        compared = "同比与上年同月相比、环比与上月相比，都按百分点计算"
    elif series.kind == "flow":
        compared = "同比是本年累计与上年同期累计相比，环比是当月数与上月相比"
    else:
        compared = "同比是月末数与上年同月末相比，环比与上月末相比"
    return f"{gap}{compared}；1月的环比与上年12月相比。缺报月份使累计不全的，不作比较。"
