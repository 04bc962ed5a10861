"""按完成比例计分: P = W · min(r, 1)."""

from __future__ import annotations

from .base import METHODS, ScoringMethod


@METHODS.register
class Proportional(ScoringMethod):
    name = "proportional"
    title = "按完成比例计分"

    def points(self, weight, r, shortfall):
        return weight * (1.0 if r > 1.0 else r)  # min(r, 1.0), without a call

    def rule_text(self, weight, percent, lower_rate=False):
        return "按完成比例计分，完成目标得满分"

    def points_text(self, points, weight, shortfall, shown):
        return f"，按完成比例得{shown}分"
