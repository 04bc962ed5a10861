"""Forecast of the 2003 notice's point 6 (及时预测掌握进入失业保险的人员数量，把握资金需求的变化趋势), per city for the
months after month M of year Y:

- new claimants in month k = the 出中心 persons whose agreement ends in it × take-up (counted in that month);
- recipients at month end k = today's recipients still in payment (their own entitlement and stop dates) + the new
  ones, each drawing the average duration from the month they enter (the fractional last month in part);
- benefit expenditure in month k (元) = today's recipients' own monthly benefit + the new ones × the average benefit;
- the fund under that projection: the forward look of fund.py (the balance at the recent mean net flow) less the
  benefit expenditure above today's, over the recent mean expenditure plus that change — with no change
  foreseen it is the forward look itself.

Take-up, average benefit and duration come, in this order, from what was given (command line, page), from
records.yaml (forecast:), or are estimated from the city's records (microdata/forecast.py says how); each
assumption says where it came from."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Sequence

from pydantic import ValidationError

from ..config import Config
from ..data.store import Store
from ..errors import InputError
from ..microdata import settings
from ..microdata.engines import connected
from ..microdata.forecast import CityRecords, ahead_end, city_records, take_up_cutoff
from ..microdata.settings import ForecastSettings
from ..microdata.store import PersonStore
from .fund import RED, FundStatus, fund_statuses, projected_balance

CONFIGURED, GIVEN = "records.yaml 设定", "本次设定"
LABELS = {"months": "预测月数", "take_up": "领取率", "monthly_benefit": "平均月失业保险金",
          "duration_months": "平均领取月数"}


@dataclass(frozen=True)
class Assumption:
    value: float | None
    source: str          # where it came from; when value is None, why it could not be estimated


@dataclass(frozen=True)
class Assumptions:
    take_up: Assumption
    monthly_benefit: Assumption
    duration_months: Assumption

    def missing(self) -> str | None:
        gaps = [f"{LABELS[f.name]}{getattr(self, f.name).source}" for f in fields(self)
                if getattr(self, f.name).value is None]
        return "；".join(gaps) + "，无法预测" if gaps else None


@dataclass(frozen=True)
class ForecastMonth:
    year: int
    month: int
    ahead: int
    leavers: int              # 出中心 persons whose agreement ends in the month
    new_claimants: float
    recipients: float         # at the month's end
    expenditure: float        # 元
    balance: float | None     # 万元, under this forecast
    capacity: float | None    # months the balance covers under this forecast
    linear_capacity: float | None   # fund.py's forward look for the same month (its FORWARD_MONTHS only)


@dataclass(frozen=True)
class CityForecast:
    city: str
    name: str
    year: int
    month: int
    assumptions: Assumptions
    recipients_now: int
    expenditure_now: float    # 元: today's recipients' monthly benefit
    months: tuple[ForecastMonth, ...]
    fund: FundStatus
    threshold_months: float
    missing_reason: str | None     # no forecast: an assumption could not be estimated
    capacity_reason: str | None    # a forecast, but no capacity: the fund's figures do not give one

    @property
    def months_to_threshold(self) -> int | None:
        """0: below the warning line already; k: the forecast falls below it k months ahead; None: neither."""
        if self.fund.level == RED:
            return 0
        return next((m.ahead for m in self.months if m.capacity is not None and m.capacity < self.threshold_months),
                    None)

    @property
    def forward_text(self) -> str:
        """What the forecast says of the fund (or why it says nothing), as every view says it."""
        if self.missing_reason or self.capacity_reason:
            return self.missing_reason or self.capacity_reason
        k = self.months_to_threshold
        if k == 0:
            return "已低于预警线"
        return f"预计{k}个月后低于预警线" if k else f"{len(self.months)}个月内不低于预警线"


def cohort_recipients(new: Sequence[float], duration: float) -> list[float]:
    """Recipients at each month end of claimants entering month by month (new[j] in month j), each drawing
    `duration` months on average from the month they enter: a share min(1, duration − age) of them at age ≥ 0."""
    return [sum(n * min(1.0, max(0.0, duration - (k - j))) for j, n in enumerate(new[:k + 1]))
            for k in range(len(new))]


def fund_ahead(status: FundStatus, change: Sequence[float]) -> list[tuple[float, float | None]] | None:
    """(balance, capacity) k = 1… months ahead when benefit expenditure is change[k-1] 万元 above today's; None when
    the fund's figures give no forward look."""
    if status.capacity is None or status.mean_net is None:
        return None
    ahead, extra = [], 0.0
    for k, more in enumerate(change, start=1):
        extra += more
        balance = projected_balance(status.balance, status.mean_net, k) - extra
        spending = status.mean_expenditure + more
        ahead.append((balance, balance / spending if spending > 0 else None))
    return ahead


def project(records: CityRecords, assumptions: Assumptions, status: FundStatus, year: int, month: int
            ) -> tuple[ForecastMonth, ...]:
    take_up, benefit, duration = (a.value for a in (assumptions.take_up, assumptions.monthly_benefit,
                                                    assumptions.duration_months))
    new = [n * take_up for n in records.leavers_ahead]
    joined = cohort_recipients(new, duration)
    spent = [records.running_off_benefit[k + 1] + joined[k] * benefit for k in range(len(new))]
    fund = fund_ahead(status, [(s - records.running_off_benefit[0]) / 10000 for s in spent])
    linear = {k: capacity for k, _, capacity in status.projection}
    rows = []
    for k in range(1, len(new) + 1):
        end = ahead_end(year, month, k)
        balance, capacity = fund[k - 1] if fund else (None, None)
        rows.append(ForecastMonth(end.year, end.month, k, records.leavers_ahead[k - 1], new[k - 1],
                                  records.running_off[k] + joined[k - 1], spent[k - 1], balance, capacity,
                                  linear.get(k)))
    return tuple(rows)


BOUND_WORDS = {"ge": "不小于", "gt": "大于", "le": "不大于"}


def _bounds(name: str) -> dict[str, float]:
    """The bounds records.yaml's forecast settings put on an assumption: {"ge": 0, "le": 1}."""
    return {attribute: getattr(rule, attribute) for rule in ForecastSettings.model_fields[name].metadata
            for attribute in BOUND_WORDS if getattr(rule, attribute, None) is not None}


def limits(name: str) -> dict:
    """The inclusive bounds as min_value / max_value, for an input that offers only those (a strict bound is left to
    `with_given` to refuse)."""
    keys = {"ge": "min_value", "le": "max_value"}
    return {keys[attribute]: value for attribute, value in _bounds(name).items() if attribute in keys}


def with_given(base: ForecastSettings, **given) -> tuple[ForecastSettings, set[str]]:
    """records.yaml's forecast settings with what was given instead (None: not given), checked by the same bounds;
    the names of those given."""
    chosen = {name: value for name, value in given.items() if value is not None}
    try:
        return ForecastSettings.model_validate(base.model_dump() | chosen), set(chosen)
    except ValidationError as exc:
        raise InputError("；".join(_refusal(e["loc"][0], e["input"]) for e in exc.errors())) from None


def _refusal(name: str, value) -> str:
    bounds = "、".join(f"{BOUND_WORDS[attribute]}{bound:g}" for attribute, bound in _bounds(name).items())
    return f"{LABELS[name]}应为{'整数' if name == 'months' else '数'}，{bounds}，现在是“{value}”"


def assumptions_for(records: CityRecords, chosen: ForecastSettings, given: set[str], year: int, month: int,
                    within_days: int) -> Assumptions:
    span = f"{year}年{month}月" if month == 1 else f"{year}年1—{month}月"
    if records.claims:
        from_claims = f"由{span}申领记录估计（{records.claims:,}条）"
        benefit = Assumption(records.mean_benefit, from_claims)
        duration = Assumption(records.mean_duration, from_claims)   # entitled months, fewer when stopped earlier
    else:
        benefit = duration = Assumption(None, f"无法估计：{span}没有申领记录（可在 records.yaml 的 forecast 中设定）")
    cutoff = take_up_cutoff(year, month, within_days)
    if records.leavers:
        take_up = Assumption(records.enrolled / records.leavers,
                             f"由{year}年1月1日至{_day(cutoff)}协议期满的出中心人员估计"
                             f"（{records.leavers:,}人中{records.enrolled:,}人{within_days}天内纳入）")
    else:
        take_up = Assumption(None, f"无法估计：{year}年1月1日至{_day(cutoff)}没有协议期满的出中心人员"
                                   "（可在 records.yaml 的 forecast 中设定）")

    def chosen_or(name: str, estimated: Assumption) -> Assumption:
        value = getattr(chosen, name)
        return estimated if value is None else Assumption(value, GIVEN if name in given else CONFIGURED)

    return Assumptions(chosen_or("take_up", take_up), chosen_or("monthly_benefit", benefit),
                       chosen_or("duration_months", duration))


def _day(date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def forecast(config: Config, store: Store, year: int, month: int, cities: Sequence[str] | None = None, *,
             engine: str = "duckdb", as_of: int | None = None, **given) -> list[CityForecast]:
    """Every city (or the given ones) by code; `given`: months, take_up, monthly_benefit, duration_months in place
    of records.yaml's (None: not given)."""
    record_settings = settings.load(config.directory)
    chosen, named = with_given(record_settings.forecast, **given)
    within = record_settings.transition_enrol_days
    with connected(engine, PersonStore.beside(store.path)) as con:
        found = city_records(con, year, month, chosen.months, within, as_of)
    with store.reader() as con:
        statuses = fund_statuses(config, con, store, year, month, month, cities)
    threshold = config.rules_for(year).warning.threshold_months
    made = []
    for status in statuses:
        records = found.get(status.city) or CityRecords.empty(status.city, chosen.months)
        assumptions = assumptions_for(records, chosen, named, year, month, within)
        missing = assumptions.missing()
        months = () if missing else project(records, assumptions, status, year, month)
        capacity_reason = None if missing or months[0].capacity is not None else (
            status.missing_reason or "近期没有同时报送基金收入和支出的月份，无法预测可支付月数")
        made.append(CityForecast(status.city, status.name, year, month, assumptions, records.running_off[0],
                                 records.running_off_benefit[0], months, status, threshold, missing, capacity_reason))
    return made
