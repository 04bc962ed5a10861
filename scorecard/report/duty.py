"""The duty to report a fund below the warning line (吉政办发〔2003〕4号 第六条) in words, written once for the fund
page, the circular, the warning letter and the command. Every number comes from the rules: the warning line and
the days to report from scoring.yaml's `warning:` (config.WarningRules), the months of the forward look within
which a city must report in advance from the core (assessment.warning_duty.PROJECTION_MONTHS)."""

from __future__ import annotations

from ..assessment.warning_duty import PROJECTION_MONTHS
from ..config import WarningRules

NOTICE = "吉政办发〔2003〕4号"
PROVINCE = "省社会保险公司"        # where a report is filed (报省备案)


def _months(value: float) -> str:
    return f"{value:g}个月"


def foreseen_text() -> str:
    """预计3个月内低于预警线: the forward look that obliges a city to report in advance."""
    return f"预计{PROJECTION_MONTHS}个月内低于预警线"


def due_text() -> str:
    """Who must report now: 已低于预警线，或预计3个月内低于预警线."""
    return f"已低于预警线，或{foreseen_text()}"


def rule_text(rules: WarningRules) -> str:
    """The rule itself, as the fund page and the warning letter state it."""
    return (f"按{NOTICE}文件第六条，基金支付能力不足{_months(rules.threshold_months)}的，统筹地区经办失业保险业务的机构"
            f"要向属地政府报告，并报{PROVINCE}备案；{foreseen_text()}的，要提前报告。报告期限为低于预警线的当月结束后"
            f"{rules.report_days}日。")


def levels_text(rules: WarningRules) -> str:
    """低于2个月为预警，应在10日内报告并报省备案；低于3个月为关注。"""
    return (f"低于{_months(rules.threshold_months)}为预警，应在当月结束后{rules.report_days}日内报告并报省备案；"
            f"低于{_months(rules.watch_months)}为关注。")


def requirement(rules: WarningRules) -> str:
    """What the circular asks of the cities concerned."""
    return (f"基金支付能力不足{_months(rules.threshold_months)}或{foreseen_text()}的地区，经办失业保险业务的机构要在"
            f"低于预警线的当月结束后{rules.report_days}日内向当地政府报告，并报{PROVINCE}备案，及时采取措施，"
            "确保失业保险金按时足额发放。")


def watch_text(rules: WarningRules) -> str:
    """What a letter tells a city below the watch line: when it will have to report."""
    return (f"可支付月数降至{_months(rules.threshold_months)}以下或{foreseen_text()}时，须按规定报告。")
