"""分档计分: P = W · f of the first tier [r_k, f_k] with r ≥ r_k; 0 below the last."""

from __future__ import annotations

from .base import METHODS, Field, ScoringMethod, at_least, field_validator, finite, num, refuse

SHAPE = ("{what}的分档“tiers”应当写成 [[完成率, 得分比例], …]，完成率从高到低、"
         "得分比例在0到1之间，如 [[1.0, 1.0], [0.8, 0.5], [0.5, 0.25]]")


@METHODS.register
class Tiered(ScoringMethod):
    name = "tiered"
    title = "分档计分"
    tiers: tuple[tuple[float, float], ...] = Field(
        description="分档：[[完成率, 得分比例], …]，完成率从高到低，得分比例在0到1之间",
        json_schema_extra={"missing": "{what}使用分档计分（tiered），必须写“tiers”"})

    @field_validator("tiers", mode="before")
    @classmethod
    def _shape(cls, raw):
        if not isinstance(raw, (list, tuple)) or not raw:
            raise refuse(SHAPE)
        for item in raw:
            if (not isinstance(item, (list, tuple)) or len(item) != 2 or not all(map(finite, item))
                    or item[0] <= 0 or not 0 <= item[1] <= 1):
                raise refuse(SHAPE)
        if any(a[0] <= b[0] for a, b in zip(raw, raw[1:])):
            raise refuse(SHAPE + "（完成率必须逐档降低）")
        return tuple((float(r), float(f)) for r, f in raw)

    def points(self, weight, r, shortfall):
        for threshold, share in self.tiers:
            if at_least(r, threshold):
                return weight * share
        return 0.0

    def rule_text(self, weight, percent, lower_rate=False):
        tiers = "，".join(f"完成{num(r * 100)}%以上得{num(f * weight)}分" for r, f in self.tiers)
        return f"分档计分：{tiers}，低于{num(self.tiers[-1][0] * 100)}%不得分"

    def points_text(self, points, weight, shortfall, shown):
        reached = next(((r, f) for r, f in self.tiers if points == f * weight), None)
        if points > 0 and reached:
            return f"，达到“完成{num(reached[0] * 100)}%以上”档，得{shown}分"
        return f"，未达到最低档（{num(self.tiers[-1][0] * 100)}%），不得分"
