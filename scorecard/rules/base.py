"""What every scoring method and bonus rule is, and the registry that finds one by the name a contract writes.

A rule is a frozen pydantic model: its fields are its parameters as written in YAML (the schema, with the
Chinese description an official reads), its validators the checks, and its methods the formula and the
words. Checks that need the contract around them (the full score, the indicator's weight) read them from
the validation context: {"points": …, "weight": …}.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, StrictFloat, ValidationInfo
from pydantic_core import PydanticCustomError

EPS = 1e-9  # an actual exactly on a threshold (r ≥ 1, r ≥ tier) is not scored as a miss by floating-point noise


def at_least(value: float, threshold: float) -> bool:
    return value >= threshold - EPS


def num(value: float) -> str:
    return f"{value:g}"


def steps(step: float) -> str:
    """1个百分点, 0.5个百分点."""
    return "1个百分点" if step == 1 else f"{num(step)}个百分点"


def refuse(text: str) -> PydanticCustomError:
    """A check's Chinese message; the translator (config/translate.py) fills {what} (the thing checked, e.g.
    指标“征缴率”) and {key} (the field) and adds the file and line."""
    return PydanticCustomError("scorecard", text, {"text": text})


def _at_most_the_full_score(value: float, info: ValidationInfo) -> float:
    points = (info.context or {}).get("points")
    if points is not None and value > points:
        raise PydanticCustomError("less_than_equal", "", {"le": points})
    return value


# A number of points at most the full score (scoring.yaml's total_points, given in the validation context):
# no method, bonus or penalty gives or takes more.
Points = Annotated[StrictFloat, AfterValidator(_at_most_the_full_score)]


class Rule(BaseModel):
    """A scoring method or a bonus rule: hashable (thousands of contracts share a few instances)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False, strict=False)
    name: ClassVar[str]
    title: ClassVar[str]  # its name in Chinese


class ScoringMethod(Rule):
    """Base points P of one indicator, 0 ≤ P ≤ W (scoring.md §3)."""

    in_points: ClassVar[tuple[str, ...]] = ()  # the parameters written in points (not in shares of the weight)

    def points(self, weight: float, r: float, shortfall: float) -> float:
        raise NotImplementedError

    def scaled(self, factor: float) -> "ScoringMethod":
        """The same rule for a weight `factor` times as large: its parameters in points scaled with it, so that
        a performance earns the same share of the weight (the ranking's sensitivity to weights needs this)."""
        update = {name: getattr(self, name) * factor for name in self.in_points if getattr(self, name) is not None}
        return self.model_copy(update=update) if update else self

    def rule_text(self, weight: float, percent: bool) -> str:
        """The rule as officials write it in a contract: 完成目标得满分，未完成不得分."""
        raise NotImplementedError

    def points_text(self, points: float, weight: float, shortfall: float, shown: str) -> str:
        """How the points came about, after the gap (`shown` is the points as displayed): ，按完成比例得…分."""
        raise NotImplementedError


class BonusRule(Rule):
    """Points for over-completion B of one indicator (scoring.md §4)."""

    def points(self, r: float, excess: float, bonus_cap: float) -> float:
        raise NotImplementedError

    def rule_text(self, bonus_cap: float | None) -> str:
        raise NotImplementedError


class Registry(dict):
    """Rules by name, in the order registered."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def register(self, rule: type[Rule]) -> type[Rule]:
        if rule.name in self:
            raise ValueError(f"{self.kind} {rule.name} registered twice")
        self[rule.name] = rule
        return rule

    def titles(self) -> dict[str, str]:
        return {name: rule.title for name, rule in self.items()}


class Titles(Mapping):
    """name → Chinese title of a registry, as it is now (a rule registered later is in it too)."""

    def __init__(self, registry: Registry):
        self._registry = registry

    def __getitem__(self, name: str) -> str:
        return self._registry[name].title

    def __iter__(self):
        return iter(self._registry)

    def __len__(self) -> int:
        return len(self._registry)


METHODS = Registry("scoring method")
BONUSES = Registry("bonus rule")
DEFAULT_METHOD, DEFAULT_BONUS = "proportional", "per_step"


def finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
