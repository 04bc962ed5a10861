"""按差距扣分: P = W − min(max, per · s / step), at least 0; pro rata (0.5 pp with per 2 deducts 1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..formatting import points as shown_points
from .base import METHODS, Field, Points, ScoringMethod, StrictFloat, gap_words, model_validator, num, steps

if TYPE_CHECKING:
    from pydantic import ValidationInfo


@METHODS.register
class Deduct(ScoringMethod):
    name = "deduct"
    title = "按差距扣分"
    in_points = ("per", "max")
    per: Points = Field(gt=0, description="每低于目标一步扣几分",
                             json_schema_extra={"missing": "{what}使用扣分法（deduct），必须写“per”（每步扣几分）"})
    step: StrictFloat = Field(1.0, gt=0, description="一步是几个百分点，默认1")
    max: Points | None = Field(None, ge=0, description="最多扣几分，默认为该指标的权重")

    @model_validator(mode="before")
    @classmethod
    def _at_most_the_weight(cls, raw, info: ValidationInfo):
        weight = (info.context or {}).get("weight")
        if isinstance(raw, dict) and raw.get("max") is None and weight is not None:
            return {**raw, "max": weight}
        return raw

    def points(self, weight, r, shortfall):
        cap = weight if self.max is None else self.max
        deducted = self.per * shortfall / self.step
        left = weight - (deducted if deducted < cap else cap)  # max(0.0, weight − min(cap, deducted)), without calls
        return left if left > 0.0 else 0.0

    def rule_text(self, weight, percent, lower_rate=False):
        basis = "" if percent else "完成率"
        cap = "" if self.max is None or self.max >= weight else f"，最多扣{num(self.max)}分"
        return f"{basis}每{gap_words(lower_rate)[0]}目标{steps(self.step)}扣{num(self.per)}分（不足一档按比例）{cap}"

    def points_text(self, points, weight, shortfall, shown):
        if shortfall <= 0:
            return f"，不扣分，得{shown}分"
        per_step = "每个百分点" if self.step == 1 else f"每{num(self.step)}个百分点"
        return f"，{per_step}扣{num(self.per)}分，扣{shown_points(weight - points)}分，得{shown}分"
