"""A contract written as officials write it by hand (config/contracts/<year>/*.yaml): one target a line in flow
style, the city's code in quotes, percentages as "95%", the method and bonus only where they differ from the
catalogue's default, and comments a reader can follow (the rule in words after each target, the note above it).

`checked_files` loads a folder of written contracts back through `load_config` on a copy of the config: what is
written is what the scorer reads, or the problems are said before anything is saved.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ..formatting import PERCENT
from ..rules import DEFAULT_BONUS, DEFAULT_METHOD, METHODS, BONUSES
from .files import ACCESS_FILE
from .model import Config, Contract, Target
from .validation import load_config
from .yamlsource import Problem


def number(value: float) -> str:
    """12000, 0.15, 1886.5: the shortest form YAML reads back as the same number."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _target_value(value: float, unit: str) -> str:
    if unit == PERCENT and value <= 1:
        return f'"{number(round(value * 100, 9))}%"'
    return number(value)


def _flow(value) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return number(value)


def _params(rule, inherited=()) -> dict:
    """A rule's parameters as written: those at their field's default left out, unless the catalogue's default
    method sets them (`inherited`: it would then fill them in)."""
    defaults = type(rule).defaults()
    return {k: v for k, v in rule.params().items()
            if v is not None and (k in inherited or k not in defaults or v != defaults[k])}


def _catalogue_method(config: Config, target: Target):
    """The method a target gets when it writes none (the catalogue's default, with its weight)."""
    default = config.indicators[target.indicator].scoring
    name = default.get("method", DEFAULT_METHOD)
    try:
        return METHODS[name].checked({k: v for k, v in default.items() if k in METHODS[name].parameters},
                                     context={"weight": target.weight})
    except ValueError:  # a default this weight does not allow: the target's own is written out in full
        return None


def _catalogue_bonus(config: Config, indicator: str):
    raw = config.indicators[indicator].scoring.get("bonus")
    if raw is None:
        return None
    rule = BONUSES[raw.get("rule", DEFAULT_BONUS)]
    return rule.checked({k: v for k, v in raw.items() if k != "rule"})


def terms(config: Config, target: Target, value: float) -> str:
    """`{target: …, weight: …, method: …, bonus: {…}}` of one target with `value` as its target."""
    fields = {"target": _target_value(value, config.unit_of(target.indicator)), "weight": number(target.weight)}
    if target.method != _catalogue_method(config, target):
        fields["method"] = target.method.name
        scoring = config.indicators[target.indicator].scoring
        inherited = set(scoring) if scoring.get("method", DEFAULT_METHOD) == target.method.name else ()
        fields.update({k: _flow(v) for k, v in _params(target.method, inherited).items()})
    if target.bonus is not None and target.bonus != _catalogue_bonus(config, target.indicator):
        bonus = _params(target.bonus)
        if target.bonus.name != DEFAULT_BONUS:
            bonus = {"rule": target.bonus.name, **bonus}
        fields["bonus"] = _flow(bonus)
    return "{" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}"


def _rule_words(config: Config, year: int, target: Target) -> str:
    indicator = config.indicators[target.indicator]
    said = target.method.rule_text(target.weight, indicator.unit == PERCENT, lower_rate=indicator.lower_rate)
    if target.bonus is not None:
        said += "；" + target.bonus.rule_text(config.rules_for(year).bonus_cap, lower_rate=indicator.lower_rate)
    return f"{indicator.area}：{said}"


def contract_yaml(config: Config, contract: Contract, year: int, values: dict[str, float],
                  notes: dict[str, str] | None = None, heading: tuple[str, ...] = ()) -> str:
    """`contract` (this year's) as next year's: the same indicators, weights, methods and bonuses, the targets
    of `values` (indicator → target), `notes` written above each target, `heading` below the title."""
    city = config.city(contract.city)
    width = max(len(t.indicator) for t in contract.targets) + 1
    lines = [f"# {year}年度{city.name}失业保险工作目标责任书", *(f"# {h}" for h in heading),
             f"year: {year}", f'city: "{city.code}"', "targets:"]
    for target in contract.targets:
        note = (notes or {}).get(target.indicator)
        if note:
            lines.append(f"  # {config.indicators[target.indicator].name}：{note}")
        key = f"{target.indicator}:".ljust(width + 1)
        lines.append(f"  {key} {terms(config, target, values[target.indicator])}"
                     f"  # {_rule_words(config, year, target)}")
    return "\n".join(lines) + "\n"


def file_name(contract: Contract) -> str:
    """The name of this year's file, for next year's (220100-长春市.yaml)."""
    return Path(contract.source).name


def checked_files(config: Config, year: int, files: dict[str, str]) -> tuple[Config | None, list[Problem]]:
    """The config as it would be with `files` (name → text) as the whole of contracts/<year>/: loaded from a copy,
    so that nothing of the real folder is touched. The problems of those files name the file alone."""
    with tempfile.TemporaryDirectory(prefix="scorecard-draft-") as folder:
        copy = Path(folder) / "config"
        shutil.copytree(config.directory, copy, ignore=shutil.ignore_patterns(ACCESS_FILE, ".*"))
        target = copy / "contracts" / str(year)
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for name, text in files.items():
            (target / name).write_text(text, encoding="utf-8")
        loaded, problems = load_config(copy)
        shown = str(target) + "/"
        return loaded, [Problem(p.file.replace(shown, ""), p.line, p.message) for p in problems]


def same_terms(a: Contract, b: Contract) -> bool:
    """Whether two contracts set the same targets, weights, methods and bonuses (their order too)."""
    def key(c: Contract):
        return [(t.indicator, round(t.target, 9), t.weight, t.method, t.bonus) for t in c.targets]

    return key(a) == key(b)
