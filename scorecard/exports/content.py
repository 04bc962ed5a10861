"""What every document says the same way: titles, file names and small number texts. The ranking columns,
the notes and the page mark are the report layer's (scorecard/report/columns.py, notes.py)."""

from __future__ import annotations

from ..assessment.results import YearResult
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
