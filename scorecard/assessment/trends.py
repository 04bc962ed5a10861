"""An indicator month by month (市州进度's drill-down): its actual to date, completion and gap to the schedule in
each month of the year up to the month shown, each of its measures' monthly values, 同比 and 环比, and whether it
is getting better (改善 / 持平 / 退步, by scoring.yaml's `trend:`).

Every monthly figure is scored as `scoring.score_indicator` scores the month itself, so the last point is the
figure on the indicator's card. The readings (README, 评分口径):

- 进度差 (gap), in percentage points: a flow's completion less its pace E(m); a stock's completion less 100%; a
  rate's actual less its target. Reversed for a lower-is-better indicator, so a gap ≥ 0 is always 达到序时进度.
- 同比: against the same month of the previous year. A flow compares its total to date (累计同比), a stock its
  month-end value, as a relative change; a rate compares itself in percentage points.
- 环比: against the month before; January against the previous year's December when there is one. A flow
  compares the month's own amount (当月), a stock its month-end value, a rate itself in percentage points.
- A figure is compared only when it is whole: a flow (or a rate of flows) with every month of the year up to it
  reported, a stock with its month reported. Otherwise there is no change, and the reason says why.
- Every month is measured against the target in force at the end of the month shown (as the card is): a target
  changed within the year (目标调整) does not read as progress. The previous year's figures are its actuals only.
- The trend compares the gap at the month shown with the gap `window` months before it, within the same year
  (the targets of another year are other targets): a change within ±`flat_band` points is 持平.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config, Target
from ..data.queries import monthly_values
from ..data.store import Store
from ..formatting import PERCENT
from ..rules.base import EPS
from .reporting import derived_aggregates
from .results import IndicatorResult
from .scoring import indicator_plan, score_indicator

IMPROVING, STEADY, WORSENING = "改善", "持平", "退步"
ARROWS = {IMPROVING: "↑", STEADY: "→", WORSENING: "↓"}
NOT_ENOUGH = "数据不足"


@dataclass(frozen=True)
class Change:
    """A 同比 or 环比: a relative change (0.052 is +5.2%) or, for a rate, percentage points; None with the reason."""

    value: float | None
    points: bool                  # percentage points (a rate), else a relative change
    reason: str | None = None     # why there is no value


@dataclass(frozen=True)
class MeasurePoint:
    month: int
    value: float | None           # the month's amount (flow) or month-end value (stock); None: not reported
    total: float | None           # a flow's sum over the months up to this one that have a value
    year_on_year: Change
    month_on_month: Change
    previous: float | None        # the same month's value of the previous year


@dataclass(frozen=True)
class MeasureSeries:
    code: str
    name: str
    unit: str
    kind: str                     # "flow" | "stock"
    points: tuple[MeasurePoint, ...]   # months 1..the month shown


@dataclass(frozen=True)
class IndicatorPoint:
    month: int
    actual: float | None          # to date, as scored
    completion: float | None
    pace: float | None            # E(m), for flows
    gap: float | None             # 进度差 in percentage points; None when the figure is not whole
    status: str
    missing_months: tuple[int, ...]
    year_on_year: Change
    month_on_month: Change
    previous: float | None        # the previous year's actual to date in the same month, when whole


@dataclass(frozen=True)
class Trend:
    """改善 / 持平 / 退步, or None with the reason (数据不足)."""

    word: str | None
    change: float | None          # the gap now less the gap `window` months before, in percentage points
    since: int | None             # the month compared with
    reason: str | None = None

    @property
    def arrow(self) -> str:
        return ARROWS.get(self.word, "")


@dataclass(frozen=True)
class IndicatorSeries:
    city: str
    code: str
    name: str
    unit: str
    kind: str                     # "flow" | "stock" | "ratio"
    direction: str
    target: float                 # as in force at the end of the month shown: every month is measured against it
    points: tuple[IndicatorPoint, ...]   # months 1..the month shown
    measures: tuple[MeasureSeries, ...]
    trend: Trend
    has_previous_year: bool

    @property
    def percent(self) -> bool:
        return self.unit == PERCENT


# --- the monthly values of one city --------------------------------------------------------------

def _monthly(config: Config, con, store: Store, year: int, city: str, measures) -> dict[str, dict[int, float]]:
    """measure → month → value of one city's year; the measures derived from the records (报表及时率) as well."""
    found: dict[str, dict[int, float]] = {m: {} for m in measures}
    for _, measure, month, value in monthly_values(con, store, year, [city], sorted(measures)):
        found[measure][month] = value
    derived = {m for m in measures if config.measures[m].source is not None}
    before = dict.fromkeys(derived, 0.0)
    for month in range(1, 13) if derived else ():
        aggs = derived_aggregates(config, store, year, month, derived)
        for measure in derived:
            total, _, mask = aggs.get(city, {}).get(measure, (before[measure], None, 0))
            if mask >> (month - 1) & 1:
                found[measure][month] = total - before[measure]
            before[measure] = total
    return found


def _aggregates(monthly: dict[str, dict[int, float]], month: int) -> dict[str, tuple]:
    """A unit's sums as data.queries.measure_aggregates gives them over months 1..month: measure → (sum, latest
    value, mask)."""
    aggs = {}
    for measure, values in monthly.items():
        months = sorted(m for m in values if m <= month)
        if months:
            aggs[measure] = (sum(values[m] for m in months), values[months[-1]], sum(1 << (m - 1) for m in months))
    return aggs


# --- the readings ------------------------------------------------------------------------------

def _whole(result: IndicatorResult, month: int, stock: bool) -> bool:
    if result.actual is None:
        return False
    return month not in result.missing_months if stock else not result.missing_months


def gap(result: IndicatorResult) -> float:
    """进度差 in percentage points, ≥ 0 when on schedule (see the module's docstring)."""
    if result.kind == "flow":
        value = (result.actual / result.target - result.expected) * 100
    elif result.percent:
        value = (result.actual - result.target) * 100
    else:
        value = (result.actual / result.target - 1) * 100
    return -value if result.direction == "lower" else value


def change(now: float | None, base: float | None, points: bool, why_now: str, why_base: str) -> Change:
    """`now` against `base` (either None when not whole: said by `why_now`, `why_base`)."""
    if now is None:
        return Change(None, points, why_now)
    if base is None:
        return Change(None, points, why_base)
    if points:
        return Change((now - base) * 100, True)
    if base == 0:
        return Change(None, False, "基数为0")
    return Change(now / base - 1, False)


def _stock_like(config: Config, measures) -> bool:
    return all(config.measures[m].kind == "stock" for m in measures)


def _reasons(month: int, previous_year: bool) -> tuple[str, str, str]:
    """Why this month, the same month last year, or the month before has no whole figure."""
    last_year = "上年同月数据不全" if previous_year else "无上年数据"
    before = "上月数据不全" if month > 1 else ("上年12月数据不全" if previous_year else "无上年12月数据")
    return "本月数据不全", last_year, before


def _trend(points: tuple[IndicatorPoint, ...], window: int, band: float) -> Trend:
    now = points[-1]
    if now.gap is None:
        missing = "、".join(f"{m}月" for m in now.missing_months)
        return Trend(None, None, None, f"{NOT_ENOUGH}：截至{now.month}月缺{missing}数据" if missing else NOT_ENOUGH)
    since = now.month - window
    if since < 1:
        return Trend(None, None, None, f"{NOT_ENOUGH}：与{window}个月以前比较，{window + 1}月起才有")
    before = points[since - 1]
    if before.gap is None:
        return Trend(None, None, since, f"{NOT_ENOUGH}：{since}月的数据不全，无法比较")
    difference = now.gap - before.gap
    word = STEADY if abs(difference) <= band + EPS else IMPROVING if difference > 0 else WORSENING
    return Trend(word, difference, since)


# --- one indicator, one city ------------------------------------------------------------------------

def _measure_series(config: Config, code: str, month: int, this: dict[int, float], last: dict[int, float] | None):
    """One measure's months 1..month, 同比 and 环比 as the module's docstring reads them."""
    flow = config.measures[code].kind == "flow"
    points = []
    for m in range(1, month + 1):
        value, why = this.get(m), _reasons(m, last is not None)
        if flow:
            total = sum(this[k] for k in range(1, m + 1) if k in this)
            now = total if all(k in this for k in range(1, m + 1)) else None
            base = sum(last[k] for k in range(1, m + 1)) if last and all(k in last for k in range(1, m + 1)) else None
        else:
            total, now, base = None, value, (last or {}).get(m)
        before = this.get(m - 1) if m > 1 else (last or {}).get(12)
        points.append(MeasurePoint(m, value, total, change(now, base, False, *why[:2]),
                                   change(value, before, False, why[0], why[2]), (last or {}).get(m)))
    measure = config.measures[code]
    return MeasureSeries(code, measure.name, measure.unit, measure.kind, tuple(points))


def indicator_series(config: Config, target: Target, year: int, month: int, city: str,
                     this: dict[str, dict[int, float]], last: dict[str, dict[int, float]] | None) -> IndicatorSeries:
    """The series of one indicator of a city's contract (`target`: as in force at the end of `month`); `this` and
    `last` are the monthly values of its measures in the year and the year before (None: no data of the city then)."""
    indicator = config.indicators[target.indicator]
    rules = config.rules_for(year)
    stock = _stock_like(config, indicator.measures)
    percent = indicator.unit == PERCENT
    flow = config.indicator_kinds[indicator.code] == "flow"

    def scored(values, m: int) -> IndicatorResult:
        own = {code: values[code] for code in indicator.measures}
        return score_indicator(indicator_plan(config, indicator.code, m), rules, target, _aggregates(own, m), m)

    def whole(result, m):
        return result.actual if _whole(result, m, stock) else None

    measures = tuple(_measure_series(config, code, month, this[code], None if last is None else last[code])
                     for code in dict.fromkeys(indicator.measures))
    points, before = [], whole(scored(last, 12), 12) if last is not None else None
    for m in range(1, month + 1):
        result = scored(this, m)
        previous = whole(scored(last, m), m) if last is not None else None
        now = whole(result, m)
        why = _reasons(m, last is not None)
        # 环比 of a flow: the month's own amount, as its measure's
        own = measures[0].points[m - 1].month_on_month if flow else change(now, before, percent, why[0], why[2])
        points.append(IndicatorPoint(m, result.actual, result.completion, result.expected,
                                     None if now is None else gap(result), result.status, result.missing_months,
                                     change(now, previous, percent, *why[:2]), own, previous))
        before = now
    trend = _trend(tuple(points), rules.trend.window, rules.trend.flat_band)
    return IndicatorSeries(city, indicator.code, indicator.name, indicator.unit, config.indicator_kinds[indicator.code],
                           indicator.direction, target.target, tuple(points), measures, trend, last is not None)


def city_series(config: Config, store: Store, year: int, month: int, city: str) -> tuple[IndicatorSeries, ...]:
    """Every indicator of a city's contract (as in force at the end of `month`), month by month, in contract order."""
    contract = config.contract(year, city, month)
    if contract is None:
        return ()
    measures = {m for t in contract.targets for m in config.indicators[t.indicator].measures}
    with store.reader() as con:
        this = _monthly(config, con, store, year, city, measures)
        last = _monthly(config, con, store, year - 1, city, measures)
    if not any(last.values()):
        last = None
    return tuple(indicator_series(config, t, year, month, city, this, last) for t in contract.targets)
