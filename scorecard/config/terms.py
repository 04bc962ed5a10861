"""The terms of a target: its scoring method and its bonus rule, each a rule of scorecard/rules found by the
name written (`method:`, `bonus: {rule: …}`) and checked by its own model (Rule.model); and a catalogue's default method."""

from __future__ import annotations

import functools

from ..rules import BONUSES, DEFAULT_BONUS, DEFAULT_METHOD, METHODS
from .checks import FileCheck
from .model import Indicator
from .translate import suggestion
from .yamlsource import YMap

BONUS_SHAPE = "{per: 每步加分, step: 步长（百分点，默认1）, max: 最多加分}"


def method_fields() -> tuple[str, ...]:
    """Every parameter any registered scoring method takes: what a target may write beside `method:`."""
    return _fields(tuple(METHODS.values()))


@functools.lru_cache(maxsize=4)
def _fields(rules: tuple) -> tuple[str, ...]:
    return tuple(sorted({key for rule in rules for key in rule.parameters}))


def target_keys() -> set[str]:
    return {"target", "weight", "method", "bonus", *method_fields()}


def _frozen(value):
    """A value read from YAML as something hashable, to know a rule's terms seen before."""
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return (type(value), value)


def _checked(check: FileCheck, rule, plain: dict, raw, what: str, context: dict, shared: dict | None, **how):
    """The terms `plain` checked by `rule`'s model (`raw()`: them with their lines, to say what is wrong).
    Thousands of contracts repeat a few terms: `shared` keeps the rule of terms checked before (one
    instance each: less memory, a smaller cache entry); terms found wrong are checked, and said, each time."""
    key = (rule, _frozen(plain), tuple(context.items()))
    if shared is not None and key in shared:
        return shared[key]
    found = check.validated(rule.model(), raw(), what, context, **how)
    found = None if found is None else rule.of(found)
    if found is not None and shared is not None:
        found = shared.setdefault(key, shared.setdefault(found, found))
    return found


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


def parse_method(check: FileCheck, entry: YMap, indicator: Indicator, weight: float, points: float, what: str,
                 shared: dict | None = None):
    """Contract fields override the catalogue's default; another method drops the default's fields."""
    default = indicator.scoring
    name = entry.get("method", default.get("method", DEFAULT_METHOD))
    rule = _named(METHODS, name)
    if rule is None:
        check.error(entry.line_of("method"),
                    f"{what}的计分方法“{name}”无法识别{suggestion(name, METHODS)}（可用：{_choices(METHODS)}）")
        return None
    fields = method_fields()
    same = default.get("method", DEFAULT_METHOD) == name
    plain = {**{k: default[k] for k in fields if same and k in default}, **{k: entry[k] for k in fields if k in entry}}

    def merged() -> YMap:
        inherited, params = subset(default, fields if same else ()), subset(entry, fields)
        terms = YMap({**inherited, **params})
        terms.line, terms.texts = entry.line, {**inherited.texts, **params.texts}
        terms.key_lines = params.key_lines  # a default's value is reported at the target that uses it
        return terms

    return _checked(check, rule, plain, merged, what, {"points": points, "weight": weight}, shared,
                    extra=f"{what}的计分方法是 {name}（{rule.title}），不使用“{{key}}”，请删除或改用相应的方法")


def parse_bonus(check: FileCheck, raw, line: int, what: str, points: float, shared: dict | None = None):
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
    keys = [k for k in raw if k != "rule"]
    return _checked(check, rule, {k: raw[k] for k in keys}, lambda: subset(raw, keys), f"{what}的加分",
                    {"points": points}, shared)


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
    if check.validated(rule.model(), subset(scoring, fields), subject, {"points": points},
                       extra=f"{subject}是 {name}（{rule.title}），不使用“{{key}}”") is None:
        return empty
    if "bonus" in scoring and parse_bonus(check, scoring["bonus"], scoring.line_of("bonus"), what, points) is None:
        return empty
    return scoring
