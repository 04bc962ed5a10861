"""The terms of a target: its scoring method and its bonus rule, each a rule of scorecard/rules found by the
name written (`method:`, `bonus: {rule: …}`) and checked by its own model; and a catalogue's default method."""

from __future__ import annotations

from ..rules import BONUSES, DEFAULT_BONUS, DEFAULT_METHOD, METHODS
from .checks import FileCheck
from .model import Indicator
from .translate import suggestion
from .yamlsource import YMap

BONUS_SHAPE = "{per: 每步加分, step: 步长（百分点，默认1）, max: 最多加分}"


def method_fields() -> tuple[str, ...]:
    """Every parameter any registered scoring method takes: what a target may write beside `method:`."""
    return tuple(sorted({key for rule in METHODS.values() for key in rule.model_fields}))


def target_keys() -> set[str]:
    return {"target", "weight", "method", "bonus", *method_fields()}


def subset(mapping: YMap, keys) -> YMap:
    """The given keys of a mapping, with their lines."""
    part = YMap({k: mapping[k] for k in keys if k in mapping})
    part.line, part.texts = mapping.line, {k: mapping.text_of(k) for k in part}
    part.key_lines = {k: mapping.line_of(k) for k in part}
    return part


def _named(registry, name):
    return registry.get(name) if isinstance(name, str) else None


def _choices(registry) -> str:
    return "、".join(f"{k}（{v}）" for k, v in registry.titles().items())


def parse_method(check: FileCheck, entry: YMap, indicator: Indicator, weight: float, points: float, what: str):
    """Contract fields override the catalogue's default; another method drops the default's fields."""
    default = indicator.scoring
    name = entry.get("method", default.get("method", DEFAULT_METHOD))
    rule = _named(METHODS, name)
    if rule is None:
        check.error(entry.line_of("method"),
                    f"{what}的计分方法“{name}”无法识别{suggestion(name, METHODS)}（可用：{_choices(METHODS)}）")
        return None
    fields = method_fields()
    inherited = subset(default, fields if default.get("method", DEFAULT_METHOD) == name else ())
    params = subset(entry, fields)
    merged = YMap({**inherited, **params})
    merged.line, merged.texts = entry.line, {**inherited.texts, **params.texts}
    merged.key_lines = params.key_lines  # a default's value is reported at the target that uses it
    return check.validated(rule, merged, what, {"points": points, "weight": weight},
                           extra=f"{what}的计分方法是 {name}（{rule.title}），不使用“{{key}}”，请删除或改用相应的方法")


def parse_bonus(check: FileCheck, raw, line: int, what: str, points: float):
    """`bonus:` of a target or of the catalogue: a bonus rule (`rule:`, per_step unless written) and its
    parameters."""
    if raw is None:
        return None
    if not isinstance(raw, YMap):
        check.error(line, f"{what}的加分“bonus”应当写成 {BONUS_SHAPE}")
        return None
    rule = _named(BONUSES, raw.get("rule", DEFAULT_BONUS))
    if rule is None:
        name = raw.get("rule")
        check.error(raw.line_of("rule"),
                    f"{what}的加分规则“{name}”无法识别{suggestion(name, BONUSES)}（可用：{_choices(BONUSES)}）")
        return None
    return check.validated(rule, subset(raw, [k for k in raw if k != "rule"]), f"{what}的加分", {"points": points})


def default_method(check: FileCheck, entry: YMap, what: str, points: float) -> YMap:
    """The catalogue's default method (`scoring:` of an indicator), checked as far as it can be without a
    contract; its fields are checked again against each contract's weight."""
    empty = subset(entry, ())
    if entry.get("scoring") is None:
        return empty
    scoring = check.mapping(entry["scoring"], entry.line_of("scoring"), f"{what}的“scoring”")
    if scoring is None:
        return empty
    fields = method_fields()
    check.known_keys(scoring, {"method", *fields, "bonus"}, f"{what}的默认计分方法")
    name = scoring.get("method", DEFAULT_METHOD)
    rule = _named(METHODS, name)
    if rule is None:
        check.error(scoring.line_of("method"), f"{what}的默认计分方法“{name}”无法识别{suggestion(name, METHODS)}")
        return empty
    subject = f"{what}的默认计分方法"
    if check.validated(rule, subset(scoring, fields), subject, {"points": points},
                       extra=f"{subject}是 {name}（{rule.title}），不使用“{{key}}”") is None:
        return empty
    if "bonus" in scoring and parse_bonus(check, scoring["bonus"], scoring.line_of("bonus"), what, points) is None:
        return empty
    return scoring
