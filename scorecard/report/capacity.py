"""The columns of the fund tables (各市州支付能力), defined once for the 基金预警 page and `scorecard warn`: a unit's
months of payment capacity, its level, the forward look, the balance and the mean expenditure they come from."""

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
