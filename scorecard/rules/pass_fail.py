"""完成得分、未完成不得分: P = W if r ≥ 1 else 0."""

from __future__ import annotations

from .base import METHODS, ScoringMethod, at_least


@METHODS.register
class PassFail(ScoringMethod):
    name = "pass_fail"
    title = "完成得分、未完成不得分"

    def points(self, weight, r, shortfall):
        return weight if at_least(r, 1.0) else 0.0

    def rule_text(self, weight, percent, lower_rate=False):
        return "完成目标得满分，未完成不得分"

    def points_text(self, points, weight, shortfall, shown):
        return f"，完成目标得{shown}分" if points > 0 else "，未完成目标，不得分"
