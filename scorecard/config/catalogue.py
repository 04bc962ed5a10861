"""cities.yaml and indicators.yaml: the units assessed, and the measures they report with the indicators
contracts set targets for (with each indicator's default scoring method)."""

from __future__ import annotations

from pathlib import Path

from ..formatting import PERCENT
from .checks import FileCheck, read
from .model import CheckRule, City, Indicator, Measure
from .schema import CheckEntry, CityEntry, IndicatorEntry, MeasureEntry
from .terms import default_method
from .yamlsource import Problem, YList, YMap


def load_cities(directory: Path, problems: list[Problem]) -> list[City]:
    doc, check = read(directory, "cities.yaml", problems)
    if doc is None or (doc := check.mapping(doc, 1, "cities.yaml")) is None:
        return []
    check.known_keys(doc, {"cities"}, "cities.yaml")
    items = check.sequence(check.required(doc, "cities", "cities.yaml") or YList(), doc.line, "cities")
    cities: list[City] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items or []):
        line = items.line_of(index)
        entry = check.mapping(item, line, f"第{index + 1}个市州")
        if entry is None:
            continue
        city = check.validated(CityEntry, entry, "市州")
        if city is None and isinstance(entry.get("name"), str) and entry.get("code") is not None:
            # said above; kept under the code as written, so that its contracts raise nothing more
            city = CityEntry.model_construct(code=entry.text_of("code"), name=entry["name"].strip(), short=None)
        if city is None:
            continue
        for spelling in filter(None, (city.code, city.name, city.short)):
            if spelling in seen:
                check.error(line, f"“{spelling}”重复（第{seen[spelling]}行已使用），市州的代码、名称和简称都必须唯一")
            seen[spelling] = line
        cities.append(City(city.code, city.name, city.short))
    if items is not None and not cities and not any(p.file == check.display for p in problems):
        check.error(items.line, "没有任何市州")
    return cities


def load_catalogue(directory: Path, problems: list[Problem], points: float):
    """The measures, the indicators, the codes of every indicator written (a contract says nothing of one that
    is wrong: it is said here) and the 审核公式; `points` (the full score) bounds the points of a default method."""
    doc, check = read(directory, "indicators.yaml", problems)
    measures: dict[str, Measure] = {}
    indicators: dict[str, Indicator] = {}
    if doc is None or check.mapping(doc, 1, "indicators.yaml") is None:
        return measures, indicators, set(), ()
    check.known_keys(doc, {"measures", "indicators", "checks"}, "indicators.yaml")
    written = check.mapping(check.required(doc, "measures", "indicators.yaml") or YMap(), doc.line, "measures")
    for code, entry in (written or {}).items():
        what = f"统计项“{code}”"
        entry = check.mapping(entry, written.line_of(code), what)
        if entry is None:
            continue
        measure = check.validated(MeasureEntry, entry, what)
        if measure is not None:
            measures[str(code)] = Measure(str(code), measure.name, measure.kind, measure.unit, measure.min,
                                          measure.max, measure.basis, measure.source)
        elif entry.get("kind") in ("flow", "stock") and all(
                isinstance(entry.get(k), str) and entry[k].strip() for k in ("name", "unit")):
            # said above; kept with the default bounds, so that its indicators and targets raise nothing more
            measures[str(code)] = Measure(str(code), entry["name"].strip(), entry["kind"], entry["unit"].strip())
    raw = check.mapping(check.required(doc, "indicators", "indicators.yaml") or YMap(), doc.line, "indicators")
    context = {"measures": measures, "written": written or {}}
    for code, entry in (raw or {}).items():
        line, what = raw.line_of(code), f"指标“{code}”"
        entry = check.mapping(entry, line, what)
        if entry is None:
            continue
        indicator = check.validated(IndicatorEntry, entry, what, context)
        if not _one_kind(check, entry, line, what):
            continue
        scoring = default_method(check, entry, what, points)
        if indicator is None:
            continue
        refs = indicator.references()
        unit = PERCENT if indicator.numerator else measures[refs["measure"]].unit
        indicators[str(code)] = Indicator(
            code=str(code), name=indicator.name, area=indicator.area, unit=unit, measure=indicator.measure,
            numerator=indicator.numerator, denominator=indicator.denominator, direction=indicator.direction,
            profile=indicator.profile, scoring=scoring)
    return measures, indicators, set(raw or ()), _checks(check, doc, measures, written or {})


def _checks(check: FileCheck, doc: YMap, measures: dict[str, Measure], written) -> tuple[CheckRule, ...]:
    """The 审核公式 (`checks:`), each a rule of CheckEntry; none when the key is not written."""
    if doc.get("checks") is None:
        return ()
    items = check.sequence(doc["checks"], doc.line_of("checks"), "审核公式“checks”")
    rules = []
    for index, item in enumerate(items or []):
        line, what = items.line_of(index), f"第{index + 1}条审核公式"
        entry = check.mapping(item, line, what)
        if entry is None:
            continue
        rule = check.validated(CheckEntry, entry, what, {"measures": measures, "written": written})
        if rule is not None:
            rules.append(CheckRule(rule.rule, rule.measure, rule.hard(), rule.message, rule.limit, rule.min,
                                   rule.max, rule.percent, rule.factor, line))
    return tuple(rules)


def _one_kind(check: FileCheck, entry: YMap, line: int, what: str) -> bool:
    """A single measure, or a ratio of two."""
    ratio = "numerator" in entry or "denominator" in entry
    if ratio and "measure" in entry:
        check.error(line, f"{what}只能二选一：写“measure”（单一统计项）或写“numerator”和“denominator”（比率）")
    elif ratio and not ("numerator" in entry and "denominator" in entry):
        check.error(line, f"{what}是比率指标，必须同时写“numerator”（分子）和“denominator”（分母）")
    elif not ratio and "measure" not in entry:
        check.error(line, f"{what}缺少“measure”（或比率指标的“numerator”和“denominator”）")
    else:
        return True
    return False
