"""The pydantic model of a rule (base.py), built from its declared parameters when a file is checked: its
fields are the parameters as written in YAML (the schema, with the Chinese description an official reads),
its validators the checks. Only checking imports this module (and pydantic)."""

from __future__ import annotations

import functools
import sys
from typing import Annotated

import pydantic
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo
from pydantic_core import PydanticCustomError

from . import base
from .base import Rule, _REQUIRED, _Validator


def _at_most_the_full_score(value: float, info: ValidationInfo) -> float:
    points = (info.context or {}).get("points")
    if points is not None and value > points:
        raise PydanticCustomError("less_than_equal", "", {"le": points})
    return value


# A number of points at most the full score (base.Points; scoring.yaml's own are such numbers too)
Points = Annotated[pydantic.StrictFloat, AfterValidator(_at_most_the_full_score)]
# what the names of base.py's types stand for in a parameter's annotation
TYPES = {"Points": Points, "StrictFloat": pydantic.StrictFloat}
_MARKED = {base.Points: Points, base.StrictFloat: pydantic.StrictFloat}  # annotations not written as strings


class Checked(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False, strict=False)


@functools.cache
def model_of(rule: type[Rule]) -> type[BaseModel]:
    """The model of `rule`'s parameters: each annotation read in its module with TYPES (a module without
    `from __future__ import annotations`: base.Points and base.StrictFloat themselves), each Field and
    validator given to pydantic as the rule declares them."""
    namespace = {**vars(sys.modules[rule.__module__]), **TYPES}
    body: dict = {"__module__": rule.__module__, "__qualname__": rule.__qualname__, "__annotations__": {}}
    for name, (annotation, field) in rule.parameters.items():
        body["__annotations__"][name] = (eval(annotation, namespace) if isinstance(annotation, str)
                                         else _MARKED.get(annotation, annotation))
        if field.kwargs:
            body[name] = pydantic.Field(**({} if field.default is _REQUIRED else {"default": field.default}),
                                        **field.kwargs)
        elif field.default is not _REQUIRED:
            body[name] = field.default
    for kind in reversed(rule.__mro__):
        for attribute, value in vars(kind).items():
            if isinstance(value, _Validator):
                body[attribute] = getattr(pydantic, value.kind)(*value.args, **value.kwargs)(value.function)
    return type(rule.__name__, (Checked,), body)
