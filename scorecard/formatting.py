"""Numbers and tables the Chinese way: 万元 and head counts with thousands separators, percentages, 分."""

from __future__ import annotations

import math
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

PERCENT = "%"        # the unit of ratio indicators, stored as fractions (0.95 is 95%)
HEAD_COUNTS = ("人", "人次", "户")   # units of whole counts
MISSING_TEXT = "数据缺失"
MOST_DIGITS = 8     # of a percentage: finer than the 1e-9 a comparison allows (rules.EPS), so a shortfall always shows


_CENT = Decimal("0.01")


def round2(value: float) -> float:
    """Round half up to 2 decimals the digits a value is written with (its repr), as officials round (四舍五入):
    2.675, stored a little below, gives 2.68. Python's `round` rounds the stored value to the nearest and agrees
    but where those digits end in a 5 (a tie, as 2.675): below 10¹² a rounding boundary k.kk5 between a float and
    its shortest digits can only be those digits. Only such values, and the very large, go through a Decimal; a
    value of at most two decimals (most points) is itself."""
    if value is None or not math.isfinite(value):
        return value
    rounded = round(value, 2)
    if rounded == value:
        return float(value)
    if -1e12 < value < 1e12 and repr(value)[-1] != "5":
        return rounded
    return float(Decimal(repr(value)).quantize(_CENT, rounding=ROUND_HALF_UP))


def points(value: float | None) -> str:
    """Scores always with two decimals, rounded half up."""
    return MISSING_TEXT if value is None else f"{round2(value):.2f}"


_PERCENT_SPECS = {digits: f",.{digits}f" for digits in range(MOST_DIGITS + 1)}   # each made once, not per number


def percent(value: float | None, digits: int = 1) -> str:
    if value is None:
        return MISSING_TEXT
    if math.isinf(value):
        return "∞"
    return format(value * 100, _PERCENT_SPECS.get(digits) or f",.{digits}f") + "%"


def _telling(value: float, threshold: float, digits: int) -> tuple[int, str, str]:
    """The decimals at which `value` and `threshold` (a shortfall) print differently, and both printed so."""
    shown, limit = percent(value, digits), percent(threshold, digits)
    while digits < MOST_DIGITS and shown == limit:
        digits += 1
        shown, limit = percent(value, digits), percent(threshold, digits)
    return digits, shown, limit


def _telling_needed(value: float | None, threshold: float | None, short: bool) -> bool:
    return short and value is not None and threshold is not None and math.isfinite(value)


def telling_digits(value: float | None, threshold: float | None, short: bool, digits: int = 1) -> int:
    """The decimals at which a percentage `value` and the `threshold` it was compared with print differently
    when it fell `short` of it: `digits`, or more (8,999 of 18,000 against a pace of 50% is 49.99% against
    50.00%, not 50.0% against 50.0%). Not short (met, or missing): `digits`."""
    return _telling(value, threshold, digits)[0] if _telling_needed(value, threshold, short) else digits


def against(value: float | None, threshold: float, short: bool, digits: int = 1) -> tuple[str, str]:
    """A percentage and the threshold it was compared with (a pace, 100%, a target), with the same decimals,
    as many as it takes for a shortfall to show: ("49.99%", "50.00%") for 落后, ("50.0%", "50.0%") for 达到 —
    each printed once at the decimals `telling_digits` finds."""
    if _telling_needed(value, threshold, short):
        return _telling(value, threshold, digits)[1:]
    return percent(value, digits), percent(threshold, digits)


def quantity(value: float | None, unit: str) -> str:
    """A value in its catalogue unit: 1,234.56万元, 12,345人, 95.0%. Head counts are whole and stay in their
    unit however large (107,520人, not 10.75万人): a province's total stands beside its cities' figures."""
    if value is None:
        return MISSING_TEXT
    if unit == PERCENT:
        return percent(value)
    if unit == "万元":
        return f"{value:,.2f}万元"
    if unit in HEAD_COUNTS:
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
