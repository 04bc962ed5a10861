"""A year's result kept whole (发布): `dump` turns a YearResult into plain JSON data and `load` gives back an
equal YearResult, so that a published result is drawn by the same pages and documents as one computed now —
and stays what it was, whatever the config, the data or the decisions become later.

Nothing is run from what is loaded: dataclasses are rebuilt field by field from their type hints, a scoring
method or bonus rule by its registered name and checked parameters (scorecard.rules), anything else refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from functools import cache

from ..assessment.fingerprint import InputFingerprint
from ..assessment.results import Published, YearResult
from ..config import Adjustment, Decision, Veto
from ..rules import BONUSES, METHODS, BonusRule, ScoringMethod

FORMAT = 1
_DECISIONS = {kind.__name__: kind for kind in (Adjustment, Veto)}


class ArchiveError(ValueError):
    """A kept result that cannot be read back."""


def dump(result: YearResult, inputs: InputFingerprint) -> str:
    """A result computed now and the fingerprint of its inputs."""
    kept = {"format": FORMAT, "result": _plain(result), "inputs": _plain(inputs)}
    return json.dumps(kept, ensure_ascii=False, separators=(",", ":"))


def load(text: str, title: str) -> YearResult:
    """The result kept, as the publication `title`."""
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ArchiveError(f"不认识的格式 {data.get('format')!r}")
        result = _build(YearResult, data["result"])
        return dataclasses.replace(result, publication=Published(title, _build(InputFingerprint, data["inputs"])))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ArchiveError(f"保存的考评结果无法读出：{error}") from None


def _plain(value):
    if isinstance(value, (ScoringMethod, BonusRule)):
        return {"rule": value.name, **value.params()}
    if dataclasses.is_dataclass(value):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"decision": type(value).__name__, **fields} if isinstance(value, Decision) else fields
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _build(kind, data):
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        if data is None and type(None) in args:
            return None
        return _build(next(a for a in args if a is not type(None)), data)
    if origin is tuple:
        items = list(data)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in items)
        if len(items) != len(args):
            raise ArchiveError("元组长度不符")
        return tuple(_build(a, v) for a, v in zip(args, items))
    if kind in (ScoringMethod, BonusRule):
        registry = METHODS if kind is ScoringMethod else BONUSES
        params = dict(data)
        rule = registry[params.pop("rule")]
        return rule.checked(params)
    if kind is Decision:
        return _build(_DECISIONS[data["decision"]], data)
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{f.name: _build(hints[f.name], data[f.name])
                       for f in dataclasses.fields(kind) if f.init and f.name in data})
    if kind is dt.date:
        return dt.date.fromisoformat(data)
    if kind is float:
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            raise ArchiveError("应为数字")
        return float(data)
    if kind in (int, str, bool):
        if not isinstance(data, kind) or (kind is int and isinstance(data, bool)):
            raise ArchiveError(f"应为{kind.__name__}")
        return data
    raise ArchiveError(f"不认识的类型 {kind!r}")
