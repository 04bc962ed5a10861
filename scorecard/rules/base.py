"""What every scoring method and bonus rule is, and the registry that finds one by the name a contract writes.

A rule is a small frozen object: its parameters as written in YAML, its formula and its words. Its parameters
are declared as a pydantic model's fields are (`per: Points = Field(gt=0, description=…)`, validators with
`field_validator` / `model_validator`), but through this module's stand-ins: pydantic builds the rule's model
from them (checking.py) only when a file is checked (`Rule.model`, `Rule.checked`). A config taken from the
cache is made of rules without importing pydantic (a third of `scorecard score` at 9 units). Checks that
need the contract around them (the full score, the indicator's weight) read them from the validation
context: {"points": …, "weight": …}.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

EPS = 1e-9  # an actual exactly on a threshold (r ≥ 1, r ≥ tier) is not scored as a miss by floating-point noise


def at_least(value: float, threshold: float) -> bool:
    return value >= threshold - EPS


def num(value: float) -> str:
    return f"{value:g}"


def gap_words(lower_rate: bool) -> tuple[str, str]:
    """How a contract says falling short of the target and doing better than it (scoring.md §2: for a rate
    where lower is better the shortfall is A − T): 低于/超过, or 高于/低于."""
    return ("高于", "低于") if lower_rate else ("低于", "超过")


def steps(step: float) -> str:
    """1个百分点, 0.5个百分点."""
    return "1个百分点" if step == 1 else f"{num(step)}个百分点"


def refuse(text: str):
    """A check's Chinese message (a PydanticCustomError to raise); the translator (config/translate.py) fills
    {what} (the thing checked, e.g. 指标“征缴率”) and {key} (the field) and adds the file and line."""
    from pydantic_core import PydanticCustomError  # only ever raised while checking, when pydantic is loaded

    return PydanticCustomError("scorecard", text, {"text": text})


# The types parameters are annotated with, as the annotations name them; checking.py gives each name its
# pydantic type (TYPES) when it builds a rule's model.
class Points(float):
    """A number of points at most the full score (scoring.yaml's total_points, given in the validation context):
    no method, bonus or penalty gives or takes more."""


class StrictFloat(float):
    """A number (not a text, not true/false)."""


_REQUIRED = object()


class Field:
    """A parameter as pydantic's `Field(default, **constraints)` declares it; pydantic's own only when checked."""

    def __init__(self, default: Any = _REQUIRED, **kwargs):
        self.default, self.kwargs = default, kwargs


class _Validator:
    """A validator as pydantic's decorator `kind` (field_validator, model_validator) would declare it."""

    def __init__(self, kind: str, args: tuple, kwargs: dict, function):
        self.kind, self.args, self.kwargs, self.function = kind, args, kwargs, function


def field_validator(*fields: str, **kwargs):
    return lambda function: _Validator("field_validator", fields, kwargs, function)


def model_validator(**kwargs):
    return lambda function: _Validator("model_validator", (), kwargs, function)


class Rule:
    """A scoring method or a bonus rule: frozen and hashable (thousands of contracts share a few instances),
    equal, hashed and shown as pydantic showed them (`Deduct(per=2.0, step=1.0, max=10.0)`)."""

    name: ClassVar[str]
    title: ClassVar[str]  # its name in Chinese
    parameters: ClassVar[dict[str, tuple[Any, Field]]] = {}  # name → (its annotation, its Field), in order

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        parameters = dict(cls.parameters)
        for name, annotation in cls.__dict__.get("__annotations__", {}).items():
            if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
                continue
            value = cls.__dict__.get(name, _REQUIRED)
            if type(value).__module__.startswith("pydantic"):
                raise TypeError(f"{cls.__name__}.{name}: declare parameters with scorecard.rules.Field")
            parameters[name] = (annotation, value if isinstance(value, Field) else Field(value))
            if name in cls.__dict__:
                delattr(cls, name)
        cls.parameters = parameters

    def __init__(self, **values):
        unknown = values.keys() - self.parameters.keys()
        if unknown:
            raise TypeError(f"{type(self).__name__} has no parameter {sorted(unknown)}")
        for name, (_, field) in self.parameters.items():
            value = values.get(name, field.default)
            if value is _REQUIRED:
                raise TypeError(f"{type(self).__name__} needs {name}")
            self.__dict__[name] = value

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """The parameters that have a default, with it."""
        return {name: field.default for name, (_, field) in cls.parameters.items() if field.default is not _REQUIRED}

    @classmethod
    def model(cls):
        """The pydantic model that checks this rule's parameters as written (their errors: translate.py)."""
        from .checking import model_of

        return model_of(cls)

    @classmethod
    def checked(cls, data, context: dict | None = None):
        """The rule of the parameters `data`, checked by its model (a pydantic ValidationError when wrong)."""
        return cls.of(cls.model().model_validate(data, context=context))

    @classmethod
    def of(cls, checked):
        """The rule of an instance of its model (`model()`)."""
        return cls(**dict(checked))

    def params(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is frozen")

    __delattr__ = __setattr__

    def __eq__(self, other):
        if not isinstance(other, Rule):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self):
        values = tuple(self.__dict__.values())
        return hash(values if len(values) > 1 else values[0]) if values else 0

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"


class ScoringMethod(Rule):
    """Base points P of one indicator, 0 ≤ P ≤ W (scoring.md §3)."""

    in_points: ClassVar[tuple[str, ...]] = ()  # the parameters written in points (not in shares of the weight)

    def points(self, weight: float, r: float, shortfall: float) -> float:
        raise NotImplementedError

    def scaled(self, factor: float) -> "ScoringMethod":
        """The same rule for a weight `factor` times as large: its parameters in points scaled with it, so that
        a performance earns the same share of the weight (the ranking's sensitivity to weights needs this)."""
        update = {name: getattr(self, name) * factor for name in self.in_points if getattr(self, name) is not None}
        return type(self)(**{**self.__dict__, **update}) if update else self

    def rule_text(self, weight: float, percent: bool, lower_rate: bool = False) -> str:
        """The rule as officials write it in a contract: 完成目标得满分，未完成不得分. `lower_rate`: a rate
        where lower is better (违规领取金额占比), whose shortfall is being above the target (`gap_words`)."""
        raise NotImplementedError

    def points_text(self, points: float, weight: float, shortfall: float, shown: str) -> str:
        """How the points came about, after the gap (`shown` is the points as displayed): ，按完成比例得…分."""
        raise NotImplementedError


class BonusRule(Rule):
    """Points for over-completion B of one indicator (scoring.md §4)."""

    def points(self, r: float, excess: float, bonus_cap: float) -> float:
        raise NotImplementedError

    def rule_text(self, bonus_cap: float | None, lower_rate: bool = False) -> str:
        raise NotImplementedError

    def applied(self, bonus_cap: float) -> BonusRule:
        """The rule as a year whose bonus cap is `bonus_cap` applies it — what a result says it was scored by."""
        return self


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
