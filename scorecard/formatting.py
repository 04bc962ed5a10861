"""Numbers and tables the Chinese way: 万元 with thousands separators, 万人, percentages, 分."""

from __future__ import annotations

import math
import unicodedata

from .config import PERCENT
from .rules import round2

MISSING_TEXT = "数据缺失"


def points(value: float | None) -> str:
    """Scores always with two decimals, rounded half up."""
    return MISSING_TEXT if value is None else f"{round2(value):.2f}"


def percent(value: float | None, digits: int = 1) -> str:
    if value is None:
        return MISSING_TEXT
    if math.isinf(value):
        return "∞"
    return f"{value * 100:,.{digits}f}%"


def quantity(value: float | None, unit: str) -> str:
    """A value in its catalogue unit: 1,234.56万元, 12,345人, 1.23万人, 95.0%."""
    if value is None:
        return MISSING_TEXT
    if unit == PERCENT:
        return percent(value)
    if unit == "万元":
        return f"{value:,.2f}万元"
    if unit in ("人", "人次", "户") and abs(value) >= 100_000:
        return f"{value / 10_000:,.2f}万{unit}"
    if unit in ("人", "人次", "户"):
        return f"{value:,.0f}{unit}"
    return f"{value:,.2f}{unit}"


def months(value: float | None) -> str:
    """Months of payment capacity (可支付月数), two decimals."""
    return MISSING_TEXT if value is None else f"{value:,.2f}个月"


def rank_change(change: int | None) -> str:
    if change is None:
        return "—"
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return "持平"


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, align: str = "left") -> str:
    gap = " " * max(0, width - display_width(text))
    return text + gap if align == "left" else gap + text


def text_table(headers: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> str:
    """An aligned table for a terminal; CJK characters count as two columns."""
    widths = [max([display_width(h)] + [display_width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(pad(c, w, "right" if i in right else "left")
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    rule = "  ".join("─" * w for w in widths)
    return "\n".join([line(headers), rule] + [line(r) for r in rows])
