"""What every document says the same way: titles, file names and small number texts. The ranking columns,
the notes and the page mark are the report layer's (scorecard/report/columns.py, notes.py)."""

from __future__ import annotations

from ..assessment.results import YearResult
from ..config import Rules
from ..report.notes import DEMO_LABEL


def months_text(month: int) -> str:
    return "1月" if month == 1 else f"1—{month}月"


def document_title(result: YearResult) -> str:
    title = f"{result.year}年度全省失业保险工作目标责任制考评结果"
    return title + (f"（截至{result.month}月预估）" if result.provisional else "")


def file_name(result: YearResult, extension: str, what: str = "考评结果") -> str:
    scope = f"截至{result.month}月预估" if result.provisional else "年终"
    demo = f"（{DEMO_LABEL}）" if result.demo else ""
    return f"{result.year}年度失业保险目标责任制{what}（{scope}）{demo}.{extension}"


def capacity_text(months: float) -> str:
    return f"{months:.2f}个月"


def number(value: float) -> str:
    """A rule's number as written in a contract: 2, 0.5, 12.5."""
    return f"{value:g}"


def total_rule_text(rules: Rules) -> str:
    """How a total is made, as the circular and the 目标责任书 say it."""
    return f"总分为各项指标得分、超额完成加分（合计不超过{number(rules.bonus_cap)}分）与加减分之和"


def grades_rule_text(rules: Rules) -> str:
    """按总分评定等次：优秀90分以上，良好80分以上，合格60分以上，不合格低于60分；被一票否决的，等次为不合格。"""
    if len(rules.grades) == 1:
        return f"等次为{rules.grades[0][0]}。"
    thresholds = "，".join(f"{name}{number(minimum)}分以上" for name, minimum in rules.grades[:-1])
    return (f"按总分评定等次：{thresholds}，{rules.failing_grade}低于{number(rules.grades[-2][1])}分"
            f"；被一票否决的，等次为{rules.failing_grade}。")
