"""A checked Config as plain data (JSON's numbers, strings, lists and mappings) and back: what the cache of
checked configs (cache.py) keeps. Nothing in it runs code when read, and reading it checks nothing again
but the shape: its entries are only those this process's user wrote after checking the files.

Rules (methods and bonus rules) are kept once each in a table and named by their place in it: thousands
of contracts repeat a few of them. So are the layouts of targets (each target's indicator, weight, rules and line,
in order): the contracts of a province are mostly written from one template, so a contract's targets are kept
as its layout's place and their values alone — 48,000 targets at 2,800 units, in three layouts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from pathlib import Path

from ..frozen import maker
from ..rules import BONUSES, METHODS, BonusRule
from .model import (Adjustment, Amendment, Assessment, CheckRule, City, Config, Contract, DocumentRules, Indicator,
                    Measure, Rules, Target, TrendRules, Veto, WarningRules)
from .located import YMap

FORMAT = 9  # 2: the 审核公式 (checks), 填报口径 and the report deadline; 3: units below the 市州 (counties);
            # 4: 目标调整 (amendments); 5: the documents' issuer and veto items;
            # 6: the trend rule; 7: the circular's organ, 发文字号, 主送, 抄送 and 印发机关;
            # 8: Config.files as paths within the folder (str); 9: targets as a layout and their values


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _rules(rules: Rules) -> dict:
    return asdict(rules)


def _rules_from(data: dict) -> Rules:
    return Rules(**{**data, "grades": tuple(tuple(g) for g in data["grades"]),
                    "warning": WarningRules(**data["warning"]), "trend": TrendRules(**data["trend"]),
                    "documents": DocumentRules(**{key: tuple(value) if isinstance(value, list) else value
                                                    for key, value in data["documents"].items()})})


def to_plain(config: Config) -> dict:
    table: dict = {}
    layouts: dict = {}

    def rule(found) -> int | None:
        if found is None:
            return None
        return table.setdefault(found, len(table))

    def targets(targets) -> list:
        layout = tuple((t.indicator, t.weight, rule(t.method), rule(t.bonus), t.line) for t in targets)
        return [layouts.setdefault(layout, len(layouts)), [t.target for t in targets]]

    contracts = [[c.year, c.city, c.source, _day(c.signed_on), targets(c.targets),
                  [[_day(a.date), a.reason, targets(a.targets), list(a.changed), a.line] for a in c.amendments]]
                 for c in config.contracts.values()]
    return {
        "format": FORMAT,
        "fingerprint": config.fingerprint,
        "files": list(config.files),
        "cities": [[c.code, c.name, c.short, c.parent] for c in config.cities],
        "counties": [[c.code, c.name, c.short, c.parent] for c in config.counties],
        "province": None if config.province is None else [config.province.code, config.province.name,
                                                           config.province.short],
        "measures": [asdict(m) for m in config.measures.values()],
        "indicators": [{**asdict(i), "scoring": dict(i.scoring)} for i in config.indicators.values()],
        "schedule": [[_day(since), _rules(rules)] for since, rules in config.schedule],
        "rules": [["bonus" if isinstance(r, BonusRule) else "method", r.name, r.params()] for r in table],
        "layouts": [[[row[k] for row in layout] for k in range(5)] for layout in layouts],  # as columns
        "contracts": contracts,
        "assessments": [[a.year, a.source, [[x.city, x.points, x.reason, _day(x.date)] for x in a.adjustments],
                         [[v.city, v.item, v.reason, _day(v.date)] for v in a.vetoes]]
                        for a in config.assessments.values()],
        "checks": [asdict(c) for c in config.checks],
    }


def _scoring(data: dict) -> YMap:
    scoring = YMap(data)
    scoring.line, scoring.key_lines, scoring.texts = 0, {}, {}
    return scoring


def _tupled(value):
    """A rule's parameter as checking left it: JSON's lists as tuples (tiers)."""
    return tuple(map(_tupled, value)) if isinstance(value, list) else value


def _layout(columns: list, rules: list) -> tuple:
    """A layout's columns (indicators, weights, methods, bonus rules, lines), its rules named by their place."""
    codes, weights, methods, bonuses, lines = columns
    if not len(codes) == len(weights) == len(methods) == len(bonuses) == len(lines):
        raise ValueError("a layout's columns of unequal lengths")
    return codes, weights, [rules[m] for m in methods], [None if b is None else rules[b] for b in bonuses], lines


def from_plain(data: dict, directory: Path) -> Config:
    """The Config `to_plain` was given; a KeyError, TypeError or ValueError when `data` is not such."""
    if data["format"] != FORMAT:
        raise ValueError("another format")
    rules = [(BONUSES if kind == "bonus" else METHODS)[name](**{k: _tupled(v) for k, v in params.items()})
             for kind, name, params in data["rules"]]
    target, contract = maker(Target), maker(Contract)
    layouts = [_layout(columns, rules) for columns in data["layouts"]]

    def targets(written) -> tuple[Target, ...]:  # 48,000 of them at 2,800 units
        layout, values = written
        codes, weights, methods, bonuses, lines = layouts[layout]
        if len(values) != len(codes):
            raise ValueError("targets unlike their layout")
        return tuple(map(target, codes, values, weights, methods, bonuses, lines))

    contracts = {}
    for year, city, source, signed_on, signed, amendments in data["contracts"]:
        contracts[(year, city)] = contract(year, city, targets(signed), source, _date(signed_on), tuple(
            Amendment(_date(day), reason, targets(rows), tuple(changed), line)
            for day, reason, rows, changed, line in amendments), None, ())  # as signed: no amendment in force
    indicators = {}
    for i in data["indicators"]:
        profile = tuple(i["profile"]) if i["profile"] is not None else None
        indicators[i["code"]] = Indicator(**{**i, "profile": profile, "scoring": _scoring(i["scoring"])})
    assessments = {year: Assessment(year, tuple(Adjustment(c, p, r, _date(d)) for c, p, r, d in adjustments),
                                    tuple(Veto(c, item, r, _date(d)) for c, item, r, d in vetoes), source)
                   for year, source, adjustments, vetoes in data["assessments"]}
    return Config(directory=directory, cities=tuple(City(*c) for c in data["cities"]),
                  measures={m["code"]: Measure(**m) for m in data["measures"]}, indicators=indicators,
                  schedule=tuple((_date(since), _rules_from(r)) for since, r in data["schedule"]),
                  contracts=contracts, assessments=assessments,
                  files=tuple(data["files"]), fingerprint=data["fingerprint"],
                  checks=tuple(CheckRule(**c) for c in data["checks"]),
                  counties=tuple(City(*c) for c in data["counties"]),
                  province=None if data["province"] is None else City(*data["province"]))
