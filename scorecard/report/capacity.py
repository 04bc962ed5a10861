"""The columns of the fund tables, defined once: each unit's payment capacity (各市州支付能力: the 基金预警 page,
`scorecard warn`) — its months, level, forward look, balance and mean expenditure —, and each run of red months
with its duty to report (预警报告情况: the fund and assessment pages, the warning letter)."""

from __future__ import annotations

from .. import formatting as fmt
from ..assessment.fund import FundStatus
from ..assessment.warning_duty import must_report_now
from ..config import WarningRules
from .columns import FIGURE, NOTHING, TEXT, Column


def balance_text(balance: float | None) -> str:
    """1,468.50万元, or -25.95万元（负数，已出现缺口）."""
    text = fmt.quantity(balance, "万元")
    return f"{text}（负数，已出现缺口）" if balance is not None and balance < 0 else text


FUND_CITY = Column("市州", TEXT, lambda s: s.name)
FUND_CODE = Column("代码", TEXT, lambda s: s.city)
CAPACITY = Column("可支付月数", FIGURE, lambda s: s.capacity, unit="个月", shown=lambda s: fmt.months(s.capacity))
LEVEL = Column("等级", TEXT, lambda s: s.level_name)
FORWARD = Column("提前预警", TEXT, lambda s: s.forward_text, empty=NOTHING)
DUE = Column("须报告", TEXT, lambda s: "须报告" if must_report_now(s) else "")
BALANCE = Column("累计结余", FIGURE, lambda s: s.balance, unit="万元", shown=lambda s: balance_text(s.balance))
REASON = Column("说明", TEXT, lambda s: s.missing_reason)


def expenditure(rules: WarningRules) -> Column:
    return Column(f"近{rules.lookback_months}个月月均支出", FIGURE, lambda s: s.mean_expenditure, unit="万元",
                  shown=lambda s: fmt.quantity(s.mean_expenditure, "万元"))


def capacity_columns(rules: WarningRules, statuses: list[FundStatus]) -> list[Column]:
    """名次-less, as the page prints them; 说明 only when some unit's capacity cannot be computed."""
    columns = [FUND_CITY, CAPACITY, LEVEL, FORWARD, BALANCE, expenditure(rules)]
    return columns + ([REASON] if any(s.missing_reason for s in statuses) else [])


# --- runs of red months and the duty to report them -----------------------------------------

def run_text(months: tuple[tuple[int, int], ...]) -> str:
    """2003年10月, 2003年10月至12月, 2002年11月至2003年2月."""
    (y0, m0), (y1, m1) = months[0], months[-1]
    if len(months) == 1:
        return f"{y0}年{m0}月"
    return f"{y0}年{m0}月至{m1}月" if y0 == y1 else f"{y0}年{m0}月至{y1}年{m1}月"


def day_text(day) -> str:
    return "未登记" if day is None else f"{day:%Y-%m-%d}"


RUN_CITY = Column("市州", TEXT, lambda e: e.name)
RUN = Column("低于预警线的月份", TEXT, lambda e: run_text(e.months))
LOWEST = Column("最低可支付月数", FIGURE, lambda e: e.lowest_capacity, unit="个月",
                shown=lambda e: fmt.months(e.lowest_capacity))
DEADLINE = Column("报告期限", TEXT, lambda e: f"{e.deadline:%Y-%m-%d}")
REPORTED_LOCAL = Column("向属地政府报告", TEXT, lambda e: day_text(e.report.reported_local if e.report else None))
FILED = Column("报省备案", TEXT, lambda e: day_text(e.report.filed_province if e.report else None))
DUTY_STATE = Column("报告情况", TEXT, lambda e: e.duty_name)
PROBLEM = Column("说明", TEXT, lambda e: e.problem or "在期限内向属地政府报告并报省备案")


def episode_columns(*, named: bool = True, dates: bool = True, explained: bool = True) -> list[Column]:
    """A run's city (`named`), months, lowest capacity, deadline, the report's two dates (`dates`), its state and
    why (`explained`)."""
    return ([RUN_CITY] if named else []) + [RUN, LOWEST, DEADLINE] + ([REPORTED_LOCAL, FILED] if dates else []) + \
        [DUTY_STATE] + ([PROBLEM] if explained else [])
