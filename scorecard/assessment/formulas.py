"""The formulas of scoring.md, one small function each, free of I/O.

Comparisons against thresholds (r ≥ 1, r ≥ tier, p ≥ E(m)) allow 1e-9 of
floating-point noise, so that an actual exactly on target — e.g. a projection
A / (4/12) that should equal T — is not scored as a miss.
"""

from __future__ import annotations

import math
from decimal import ROUND_FLOOR, Decimal

from ..rules import BonusRule, ScoringMethod
from ..rules.base import EPS, at_least

MET, BEHIND, FAR_BEHIND, MISSING = "met", "behind", "far_behind", "missing"
STATUS_NAMES = {MET: "达到序时进度", BEHIND: "落后", FAR_BEHIND: "严重滞后", MISSING: "数据缺失"}


def expected_share(month: int, profile=None) -> float:
    """E(m): linear m/12, or the quarter-end shares interpolated inside each quarter."""
    if profile is None:
        return month / 12
    quarter = (month - 1) // 3
    start = profile[quarter - 1] if quarter else 0.0
    return start + (profile[quarter] - start) * (month - 3 * quarter) / 3


def completion(actual: float, target: float, direction: str) -> float:
    if direction == "lower":
        return target / actual if actual > 0 else math.inf
    return actual / target


def gaps(actual: float, target: float, r: float, percent: bool, direction: str) -> tuple[float, float]:
    """Shortfall and excess in percentage points (个百分点)."""
    if percent:
        below, above = (target - actual) * 100, (actual - target) * 100
        if direction == "lower":
            below, above = above, below
    else:
        below, above = (1 - r) * 100, (r - 1) * 100
    return (below if below > 0.0 else 0.0), (above if above > 0.0 else 0.0)  # max(0.0, …), without two calls


def base_points(method: ScoringMethod, weight: float, r: float, shortfall: float) -> float:
    return method.points(weight, r, shortfall)


def bonus_points(bonus: BonusRule | None, r: float, excess: float, bonus_cap: float) -> float:
    return 0.0 if bonus is None else bonus.points(r, excess, bonus_cap)


def progress_status(flow: bool, actual: float, target: float, direction: str, r: float, expected: float,
                    tolerance: float) -> str:
    """Status against the pro-rata schedule (flows) or against the target itself (stocks, ratios)."""
    if flow:
        if direction == "lower":  # the pro-rata allowance E(m)·T against what was used so far
            value, goal = (math.inf if actual <= 0 else expected * target / actual), 1.0
        else:
            value, goal = actual / target, expected
    else:
        value, goal = r, 1.0
    if value >= goal - EPS:  # at_least(value, goal), without a call: once per indicator result
        return MET
    if value >= goal - tolerance - EPS:
        return BEHIND
    return FAR_BEHIND


def grade_for(total: float, grades) -> str:
    for name, minimum in grades:
        if total >= minimum:
            return name
    return grades[-1][0]


def competition_ranks(totals: list[float]) -> list[int]:
    """1, 2, 2, 4: ties share a rank and the next rank skips."""
    order = sorted(totals, reverse=True)
    first_position = {}
    for position, value in enumerate(order, start=1):
        first_position.setdefault(value, position)
    return [first_position[value] for value in totals]


def quota_size(quota: float, cities: int) -> int:
    """k = floor(q·N), computed in decimal so that 0.29·100 gives 29, not 28."""
    return int((Decimal(repr(quota)) * cities).to_integral_value(rounding=ROUND_FLOOR))
