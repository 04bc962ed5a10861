"""Fund early warning (基金预警), scoring.md §7: months of payment capacity and the forward look."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

from ..config import Config, WarningRules
from ..data.queries import fund_rows
from ..data.store import Store
from ..frozen import maker

RED, AMBER, NORMAL = "red", "amber", "normal"
LEVEL_NAMES = {RED: "预警", AMBER: "关注", NORMAL: "正常", None: "无法计算"}
FORWARD_MONTHS = 6
MIN_EXPENDITURE_MONTHS = 3


@dataclass(frozen=True)
class FundStatus:
    city: str
    name: str
    year: int
    month: int
    balance: float | None
    income: float | None
    expenditure: float | None
    mean_expenditure: float | None
    expenditure_months: int
    mean_net: float | None
    capacity: float | None
    level: str | None
    months_to_threshold: int | None  # 0: below the line already; k ≥ 1: foreseen k months ahead; None: neither
    missing_reason: str | None

    @property
    def projection(self) -> tuple[tuple[int, float, float], ...]:
        """The forward look, (k, projected balance, projected capacity) for k = 1..6: none without a capacity or
        a mean net flow. Made when asked from the fields it follows from (a year of 2,800 units asks it of a few
        cities, and 19,600 tuples made for each result were a quarter of the objects scoring leaves behind)."""
        if self.capacity is None or self.mean_net is None:
            return ()
        return tuple(_forward(self.balance, self.mean_net, self.mean_expenditure))

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]

    @property
    def foreseen_in(self) -> int | None:
        """k when the forward look foresees a city not yet below the line falling below it in k months."""
        k = self.months_to_threshold
        return k if k is not None and k > 0 else None

    @property
    def forward_text(self) -> str | None:
        """已低于预警线, 预计k个月后低于预警线, or None: the forward look as every view says it."""
        if self.months_to_threshold == 0:
            return "已低于预警线"
        return f"预计{self.foreseen_in}个月后低于预警线" if self.foreseen_in else None

    @property
    def reported(self) -> bool:
        """Whether the city reported any fund figure (income, expenditure or balance) for the month."""
        return any(v is not None for v in (self.income, self.expenditure, self.balance))


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def projected_balance(balance: float, mean_net: float, k: int) -> float:
    """The forward look: the balance k months ahead at the recent mean of income less expenditure."""
    return balance + k * mean_net


_AHEAD = range(1, FORWARD_MONTHS + 1)  # the months of the forward look, k = 1..6


def _forward(balance: float, mean_net: float, mean_expenditure: float):
    """(k, projected balance, projected capacity) for k = 1..6, one by one."""
    for k in _AHEAD:
        projected = projected_balance(balance, mean_net, k)
        yield k, projected, projected / mean_expenditure


def _level(capacity: float, rules: WarningRules) -> str:
    if capacity < rules.threshold_months:
        return RED
    if capacity < rules.watch_months:
        return AMBER
    return NORMAL


def assess(city: str, name: str, t: int, row, rules: WarningRules) -> FundStatus:
    income = expenditure = balance = mean_exp = mean_net = None
    exp_months = 0
    if row is not None:
        income, expenditure, balance, mean_exp, exp_months, mean_net = row
    capacity = level = months_to = None
    reason = None
    if row is None:
        reason = "本月缺报基金收入、支出和结余，无法计算可支付月数"
    elif balance is None:
        reason = "本月未报送基金累计结余，无法计算可支付月数"
    elif exp_months < MIN_EXPENDITURE_MONTHS:
        reason = (f"近{rules.lookback_months}个月只有{exp_months}个月的基金支出数据，"
                  f"至少需要{MIN_EXPENDITURE_MONTHS}个月才能计算可支付月数")
    elif mean_exp == 0:
        reason = f"近{rules.lookback_months}个月基金月均支出为0，无法计算可支付月数"
    else:
        capacity = balance / mean_exp
        level = _level(capacity, rules)
        # already below: 0, the forward look (FundStatus.projection) is for the cities not yet below (§7)
        if level == RED:
            months_to = 0
        elif mean_net is not None:
            months_to = next((k for k, _, cap in _forward(balance, mean_net, mean_exp) if cap < rules.threshold_months),
                             None)
    return _fund_status(city, name, t // 12, t % 12 + 1, balance, income, expenditure, mean_exp, exp_months,
                        mean_net, capacity, level, months_to, reason)


_fund_status = maker(FundStatus)  # every unit's, each result: without 15 object.__setattr__ calls
_CODE = attrgetter("code")


def fund_statuses(config: Config, con, store: Store, year: int, month_from: int, month_to: int,
                  cities=None) -> list[FundStatus]:
    """Every city (or the given ones) × every month in the range, ordered by city code then month."""
    return _statuses(config, con, store, year, month_index(year, month_from), month_index(year, month_to), cities)


def fund_series(config: Config, con, store: Store, year: int, month: int, months: int,
                cities=None) -> list[FundStatus]:
    """Every city (or the given ones) × the `months` months ending at (year, month), across year ends;
    ordered by city code then month; every month by the warning rules of `year` (see `_statuses`)."""
    t_to = month_index(year, month)
    return _statuses(config, con, store, year, t_to - months + 1, t_to, cities)


def _statuses(config: Config, con, store: Store, year: int, t_from: int, t_to: int, cities) -> list[FundStatus]:
    """The statuses by the warning rules of `year`, the year asked for: a lookback or a trend that reaches
    into an earlier year keeps these (one threshold and one lookback on one page or letter), rather than
    each month's own year's."""
    rules = config.rules_for(year).warning
    rows = {row[:2]: row[2:] for row in fund_rows(con, store, t_from, t_to, rules.lookback_months, cities)}
    chosen = sorted((c for c in config.units if c.code in cities) if cities is not None else config.cities,
                    key=_CODE)
    return [assess(c.code, c.name, t, rows.get((c.code, t)), rules) for c in chosen for t in range(t_from, t_to + 1)]
