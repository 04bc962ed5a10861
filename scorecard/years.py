"""The years the scorecard holds: one range for the config (contract folders, assessment files), imports and
every command, refused everywhere in the same words.

From 1990 (before the first contracts under 吉政办发〔2003〕4号) to next year (a contract may be drafted in
the December before its year).
"""

from __future__ import annotations

from . import clock

FIRST = 1990


def last() -> int:
    return clock.today().year + 1


def valid(year: int) -> bool:
    return FIRST <= year <= last()


def expected() -> str:
    return f"应为{FIRST}至{last()}之间的四位整数"


def refused(text) -> str:
    """What is said of a year outside the range, or of text that is no year: 年度“1899”无效，应为…"""
    return f"年度“{text}”无效，{expected()}"
