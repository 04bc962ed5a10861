"""cities.yaml and indicators.yaml: the units assessed, and the measures they report with the indicators
contracts set targets for (with each indicator's default scoring method)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from ..formatting import PERCENT
from .checks import FileCheck, read
from .model import RECORD_MEASURES, RECORD_ONLY, RECORDS, CheckRule, City, Indicator, Measure
from .schema import CheckEntry, CityEntry, CountyEntry, IndicatorEntry, MeasureEntry
from .terms import default_method
from .translate import nearest
from .yamlsource import Problem, YList, YMap


def load_cities(directory: Path, problems: list[Problem]) -> list[City]:
    """The 市州 of cities.yaml (what the province ranks)."""
    return list(load_units(directory, problems).cities)


class Units(NamedTuple):
    """cities.yaml: the province (if named), its 市州, and the units below them (each with its parent)."""

    province: City | None
    cities: tuple[City, ...]
    counties: tuple[City, ...]


COUNTIES_WHAT = "县（市、区）"


def load_units(directory: Path, problems: list[Problem]) -> Units:
    doc, check = read(directory, "cities.yaml", problems)
    if doc is None or (doc := check.mapping(doc, 1, "cities.yaml")) is None:
        return Units(None, (), ())
    check.known_keys(doc, {"province", "cities", "counties"}, "cities.yaml")
    seen: dict[str, int] = {}
    province = None
    if doc.get("province") is not None:
        entry = check.mapping(doc["province"], doc.line_of("province"), "本级（province）")
        head = check.validated(CityEntry, entry, "本级（province）") if entry is not None else None
        if head is not None:
            province = City(head.code, head.name, head.short)
            _unique(check, seen, entry.line, province, "代码、名称和简称")
    items = check.sequence(check.required(doc, "cities", "cities.yaml") or YList(), doc.line, "cities")
    cities = _entries(check, items, CityEntry, "市州", seen)
    for city, line in cities:
        if city.parent is not None and (province is None or city.parent != province.code):
            check.error(line, f"市州“{city.name}”的上级“{city.parent}”应当是本级（province）的代码"
                              + (f" \"{province.code}\"（{province.name}），也可以不写" if province else "，也可以不写"))
    if items is not None and not cities and not any(p.file == check.display for p in problems):
        check.error(items.line, "没有任何市州")
    counties: list[tuple[City, int]] = []
    if doc.get("counties") is not None:
        listed = check.sequence(doc["counties"], doc.line_of("counties"), "counties")
        counties = _entries(check, listed, CountyEntry, COUNTIES_WHAT, seen, unique_names=False)
    _check_parents(check, [c for c, _ in cities], counties)
    top = None if province is None else province.code
    return Units(province, tuple(replace(c, parent=top) for c, _ in cities), tuple(c for c, _ in counties))


def _entries(check: FileCheck, items: YList | None, model, what: str, seen: dict[str, int],
             unique_names: bool = True) -> list[tuple[City, int]]:
    """The units of one list of cities.yaml, each with its line. Codes are unique in the whole file; the names
    and short names of the 市州 too, those of the units below them among their siblings (_check_parents)."""
    units: list[tuple[City, int]] = []
    for index, item in enumerate(items or []):
        line = items.line_of(index)
        entry = check.mapping(item, line, f"第{index + 1}个{what}")
        if entry is None:
            continue
        unit = check.validated(model, entry, what)
        if unit is None and isinstance(entry.get("name"), str) and entry.get("code") is not None:
            # said above; kept under the code as written, so that its contracts raise nothing more
            parent = entry.get("parent")
            unit = model.model_construct(code=entry.text_of("code"), name=entry["name"].strip(), short=None,
                                         parent=parent.strip() if isinstance(parent, str) else None)
        if unit is None:
            continue
        city = City(unit.code, unit.name, unit.short, unit.parent)
        _unique(check, seen, line, city, "代码、名称和简称" if unique_names else "代码", unique_names)
        units.append((city, line))
    return units


def _unique(check: FileCheck, seen: dict[str, int], line: int, unit: City, what: str, names: bool = True) -> None:
    for spelling in filter(None, (unit.code, unit.name, unit.short) if names else (unit.code,)):
        if spelling in seen:
            check.error(line, f"“{spelling}”重复（第{seen[spelling]}行已使用），各单位的{what}都必须唯一")
        seen[spelling] = line


def _check_parents(check: FileCheck, cities: list[City], counties: list[tuple[City, int]]) -> None:
    """Each unit below the 市州 names a 市州 or another such unit as its parent, and leads up to a 市州 (no
    circle); siblings have different names."""
    known = {c.code: c for c in cities} | {c.code: c for c, _ in counties}
    city_codes = {c.code for c in cities}
    by_name = {spelling: c for c in known.values() for spelling in filter(None, (c.name, c.short))}
    siblings: dict[tuple[str, str], int] = {}
    for county, line in counties:
        if county.parent not in known:
            check.error(line, f"{county.name}的上级“{county.parent}”不是 cities.yaml 中的单位" + _hint(county.parent, known, by_name))
            continue
        chain, unit = {county.code}, known[county.parent]
        while unit.code not in city_codes:
            if unit.code in chain or unit.parent not in known:
                break
            chain.add(unit.code)
            unit = known[unit.parent]
        else:
            for spelling in filter(None, (county.name, county.short)):
                key = (county.parent, spelling)
                if key in siblings:
                    check.error(line, f"“{spelling}”重复（第{siblings[key]}行已使用），同一上级下各单位的名称和简称必须唯一")
                siblings[key] = line
                if spelling in by_name and by_name[spelling].code in city_codes:
                    check.error(line, f"“{spelling}”与市州{by_name[spelling].name}同名，请改用全称或加简称区分")
            continue
        if unit.code in chain:
            check.error(line, f"{county.name}的上级关系形成了循环（经过“{unit.code}”），最终应当归属某个市州")


def _hint(written: str, known: dict[str, City], by_name: dict[str, City]) -> str:
    if written in by_name:
        return f"，请写代码 \"{by_name[written].code}\"（{written}）"
    guess = nearest(written, list(known) + list(by_name))
    unit = known.get(guess) or by_name.get(guess) if guess else None
    return f"，是否指 \"{unit.code}\"（{unit.name}）？" if unit else ""


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
        if measure is not None and measure.source == RECORDS and code not in RECORD_MEASURES + RECORD_ONLY:
            check.error(entry.line_of("source"), f"{what}不能由个人记录得出（source: records 只能用于 "
                                                 f"{'、'.join(RECORD_MEASURES + RECORD_ONLY)}）")
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
