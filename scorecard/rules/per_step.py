"""超额加分: B = min(max, per · e / step); with r = +∞ (a lower-is-better actual of 0) the maximum."""

from __future__ import annotations

import math

from .base import BONUSES, BonusRule, Field, Points, StrictFloat, gap_words, num, steps


@BONUSES.register
class PerStep(BonusRule):
    name = "per_step"
    title = "每超过目标一步加分"
    per: Points = Field(gt=0, description="每超过目标一步加几分", json_schema_extra={
        "missing": "{what}“bonus”应当写成 {per: 每步加分, step: 步长（百分点，默认1）, max: 最多加分}，缺少“per”"})
    step: StrictFloat = Field(1.0, gt=0, description="一步是几个百分点，默认1")
    max: Points | None = Field(None, gt=0, description="最多加几分，默认为 评分规则文件 scoring.yaml 的加分上限 bonus_cap")

    def ceiling(self, bonus_cap):
        """The most it gives: its own maximum, else the year's bonus cap."""
        return bonus_cap if self.max is None else self.max

    def points(self, r, excess, bonus_cap):
        ceiling = self.ceiling(bonus_cap)
        if math.isinf(r):
            return ceiling
        earned = self.per * excess / self.step
        return earned if earned < ceiling else ceiling  # min(ceiling, earned), without a call

    def applied(self, bonus_cap):
        return self if self.max is not None else PerStep(per=self.per, step=self.step, max=bonus_cap)

    def rule_text(self, bonus_cap, lower_rate=False):
        cap = self.ceiling(bonus_cap)
        limit = f"，最多加{num(cap)}分" if cap is not None else ""
        return f"每{gap_words(lower_rate)[1]}目标{steps(self.step)}加{num(self.per)}分{limit}"
