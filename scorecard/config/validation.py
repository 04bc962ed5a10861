"""Loading and checking the configuration folder.

The one place that turns `config/` into a `Config`. The CLI, the app and the
tests all call `load_config`; every problem found is reported at once as
`file:line: 中文说明`, and a folder with any problem yields no Config.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

from pydantic import ValidationError

from .. import clock, years
from ..rules import BONUSES, DEFAULT_BONUS, DEFAULT_METHOD, METHODS
from ..formatting import PERCENT
from . import cache as saved
from .files import config_files, fingerprint, folders
from .model import (
    PLAUSIBLE_MAX,
    Adjustment,
    Assessment,
    City,
    Config,
    Contract,
    Indicator,
    Measure,
    Rules,
    rules_in,
    Target,
    Veto,
)
from .schedule import POINTS_MAX, calendar_day, schedule_of
from .translate import NOTE_KEYS, nearest, suggestion, translate, without_notes
from .yamlsource import Problem, YList, YMap, line_of, load_yaml

# Bounds no real config reaches, so that no sum of them can overflow: a measure's `max` (its default is
# config.PLAUSIBLE_MAX) stays where doubles still count whole numbers exactly; a full score of 1000 points.
MAX_LIMIT = 1e15


def method_fields() -> tuple[str, ...]:
    """Every parameter any registered scoring method takes: what a target may write beside `method:`."""
    return tuple(sorted({key for rule in METHODS.values() for key in rule.model_fields}))


def target_keys() -> set[str]:
    return {"target", "weight", "method", "bonus", *method_fields()}


class FileCheck:
    """Collects the problems of one file, with helpers for typed fields."""

    def __init__(self, display: str, problems: list[Problem]):
        self.display = display
        self.problems = problems

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.display, line or None, message))

    def validated(self, model, raw: YMap, what: str, context: dict, extra: str | None = None):
        """`raw` (without its note keys) as an instance of the pydantic `model`, or None with its problems."""
        try:
            return model.model_validate(without_notes(raw), context=context)
        except ValidationError as error:
            self.problems.extend(translate(error, raw, model, what, self.display, extra=extra))
            return None

    def mapping(self, value, line: int, what: str) -> YMap | None:
        if isinstance(value, YMap):
            return value
        self.error(line_of(value, line), f"{what}应当是“键: 值”形式的映射")
        return None

    def sequence(self, value, line: int, what: str) -> YList | None:
        if isinstance(value, YList):
            return value
        self.error(line_of(value, line), f"{what}应当是列表（每项以“- ”开头）")
        return None

    def known_keys(self, mapping: YMap, allowed: set[str], what: str) -> None:
        for key in mapping:
            if key not in allowed and key not in NOTE_KEYS:
                self.error(mapping.line_of(key),
                           f"{what}中有无法识别的字段“{key}”{suggestion(key, sorted(allowed))}"
                           f"（可用字段：{'、'.join(sorted(allowed))}）")

    def required(self, mapping: YMap, key: str, what: str):
        if key not in mapping or mapping[key] is None:
            self.error(mapping.line, f"{what}缺少字段“{key}”")
            return None
        return mapping[key]

    def number(self, mapping: YMap, key: str, what: str, *, minimum=None, above=None,
               maximum=None, integer=False, default=None):
        if key not in mapping or mapping[key] is None:
            return default
        value, line = mapping[key], mapping.line_of(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.error(line, f"{what}的“{key}”应当是数字，现在是“{value}”")
            return None
        if integer and value != int(value):
            self.error(line, f"{what}的“{key}”应当是整数，现在是{value}")
            return None
        if minimum is not None and value < minimum:
            self.error(line, f"{what}的“{key}”不能小于{minimum:g}，现在是{value:g}")
            return None
        if above is not None and value <= above:
            self.error(line, f"{what}的“{key}”必须大于{above:g}，现在是{value:g}")
            return None
        if maximum is not None and value > maximum:
            self.error(line, f"{what}的“{key}”不能大于{maximum:g}，现在是{value:g}")
            return None
        return int(value) if integer else float(value)

    def text(self, mapping: YMap, key: str, what: str, *, required=True) -> str | None:
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(mapping.line_of(key), f"{what}缺少“{key}”（不能为空）")
            return None
        if not isinstance(value, str):
            self.error(mapping.line_of(key), f"{what}的“{key}”应当是文字，现在是“{value}”")
            return None
        return value.strip()

    def code(self, mapping: YMap, key: str, what: str) -> str | None:
        """A code must be written as a quoted string: YAML would turn 220100 into a number."""
        if key not in mapping or mapping[key] is None:
            self.error(mapping.line, f"{what}缺少“{key}”")
            return None
        value = mapping[key]
        if isinstance(value, str):
            if not value.strip():
                self.error(mapping.line_of(key), f"{what}的“{key}”不能为空")
                return None
            return value.strip()
        written = mapping.text_of(key)
        self.error(mapping.line_of(key),
                   f"{what}的代码“{key}: {written}”没有加引号，请写成 {key}: \"{written}\""
                   "（不加引号时YAML会把它读成数字，前导0会被当作八进制）")
        return None


def _read(directory: Path, relative: str, problems: list[Problem], required: bool = True):
    path = directory / relative
    display = str(path)
    if not path.exists():
        if required:
            problems.append(Problem(display, None, "缺少此文件"))
        return None, FileCheck(display, problems)
    value, found = load_yaml(path, display)
    problems.extend(found)
    return value, FileCheck(display, problems)


# --- cities.yaml -------------------------------------------------------------

def _load_cities(directory: Path, problems: list[Problem]) -> list[City]:
    doc, check = _read(directory, "cities.yaml", problems)
    if doc is None:
        return []
    doc = check.mapping(doc, 1, "cities.yaml")
    if doc is None:
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
        check.known_keys(entry, {"code", "name", "short"}, "市州")
        code = check.code(entry, "code", "市州")
        name = check.text(entry, "name", "市州")
        short = check.text(entry, "short", "市州", required=False)
        if code is None and entry.get("code") is not None:
            code = entry.text_of("code")  # reported above; keep it so contracts for this city raise nothing more
        if code is None or name is None:
            continue
        for spelling in filter(None, (code, name, short)):
            if spelling in seen:
                check.error(line, f"“{spelling}”重复（第{seen[spelling]}行已使用），市州的代码、名称和简称都必须唯一")
            seen[spelling] = line
        cities.append(City(code, name, short))
    if items is not None and not cities and not any(p.file == check.display for p in problems):
        check.error(items.line, "没有任何市州")
    return cities


# --- indicators.yaml -----------------------------------------------------------

def _parse_profile(check: FileCheck, entry: YMap, what: str):
    if "profile" not in entry or entry["profile"] is None:
        return None
    profile, line = entry["profile"], entry.line_of("profile")
    ok = (isinstance(profile, YList) and len(profile) == 4
          and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in profile))
    if ok:
        values = [float(v) for v in profile]
        ok = values[0] > 0 and all(a <= b for a, b in zip(values, values[1:])) and abs(values[3] - 1) < 1e-9
    if not ok:
        check.error(line, f"{what}的序时进度“profile”应当是四个季度末的累计比例，"
                          "如 [0.15, 0.5, 0.75, 1.0]：大于0、逐季不减、第四季度为1")
        return None
    return tuple(values)


def _load_catalogue(directory: Path, problems: list[Problem], points: float):
    """The measures and indicators; `points` (the full score) bounds every number of points in a default method."""
    doc, check = _read(directory, "indicators.yaml", problems)
    measures: dict[str, Measure] = {}
    indicators: dict[str, Indicator] = {}
    if doc is None or check.mapping(doc, 1, "indicators.yaml") is None:
        return measures, indicators, None
    check.known_keys(doc, {"measures", "indicators"}, "indicators.yaml")
    raw_measures = check.mapping(check.required(doc, "measures", "indicators.yaml") or YMap(), doc.line, "measures")
    for code, entry in (raw_measures or {}).items():
        line = raw_measures.line_of(code)
        what = f"统计项“{code}”"
        entry = check.mapping(entry, line, what)
        if entry is None:
            continue
        check.known_keys(entry, {"name", "kind", "unit", "min", "max"}, what)
        name = check.text(entry, "name", what)
        kind = entry.get("kind")
        if kind not in ("flow", "stock"):
            check.error(entry.line_of("kind"),
                        f"{what}的“kind”应当是 flow（当月发生额）或 stock（月末存量），现在是“{kind}”")
            continue
        unit = check.text(entry, "unit", what)
        minimum = check.number(entry, "min", what)
        maximum = check.number(entry, "max", what, above=0, maximum=MAX_LIMIT, default=PLAUSIBLE_MAX)
        if minimum is not None and maximum is not None and minimum > maximum:
            check.error(entry.line_of("min"), f"{what}的“min”（{minimum:g}）不能大于“max”（{maximum:g}）")
        if name and unit:
            measures[str(code)] = Measure(str(code), name, kind, unit, minimum, maximum or PLAUSIBLE_MAX)

    raw_indicators = check.mapping(check.required(doc, "indicators", "indicators.yaml") or YMap(),
                                   doc.line, "indicators")
    for code, entry in (raw_indicators or {}).items():
        line = raw_indicators.line_of(code)
        what = f"指标“{code}”"
        entry = check.mapping(entry, line, what)
        if entry is None:
            continue
        check.known_keys(entry, {"name", "area", "measure", "numerator", "denominator", "direction",
                                 "profile", "scoring", "unit"}, what)
        name = check.text(entry, "name", what)
        area = check.text(entry, "area", what)
        direction = entry.get("direction", "higher")
        if direction not in ("higher", "lower"):
            check.error(entry.line_of("direction"),
                        f"{what}的“direction”应当是 higher（越高越好）或 lower（越低越好），现在是“{direction}”")
            direction = None
        refs = {}
        for key in ("measure", "numerator", "denominator"):
            if key not in entry:
                continue
            ref = entry[key]
            if ref in measures:
                refs[key] = ref
            elif ref not in (raw_measures or {}):  # a defined but broken measure was reported above
                check.error(entry.line_of(key), f"{what}引用了未定义的统计项“{ref}”{suggestion(ref, measures)}")
        is_ratio = "numerator" in entry or "denominator" in entry
        if is_ratio and "measure" in entry:
            check.error(line, f"{what}只能二选一：写“measure”（单一统计项）或写“numerator”和“denominator”（比率）")
            continue
        if is_ratio and not ("numerator" in entry and "denominator" in entry):
            check.error(line, f"{what}是比率指标，必须同时写“numerator”（分子）和“denominator”（分母）")
            continue
        if not is_ratio and "measure" not in entry:
            check.error(line, f"{what}缺少“measure”（或比率指标的“numerator”和“denominator”）")
            continue
        profile = _parse_profile(check, entry, what)
        scoring = _catalogue_scoring(check, entry, what, points)
        if not (name and area and direction) or len(refs) != (2 if is_ratio else 1):
            continue
        unit = PERCENT if is_ratio else measures[refs["measure"]].unit
        indicators[str(code)] = Indicator(
            code=str(code), name=name, area=area, unit=unit, measure=refs.get("measure"),
            numerator=refs.get("numerator"), denominator=refs.get("denominator"),
            direction=direction, profile=profile, scoring=scoring)
    return measures, indicators, check


def _catalogue_scoring(check: FileCheck, entry: YMap, what: str, points: float) -> YMap:
    """The catalogue's default method; its fields are checked again against each contract's weight."""
    empty = YMap()
    empty.line, empty.key_lines, empty.texts = entry.line, {}, {}
    if entry.get("scoring") is None:
        return empty
    scoring = check.mapping(entry["scoring"], entry.line_of("scoring"), f"{what}的“scoring”")
    if scoring is None:
        return empty
    fields = method_fields()
    check.known_keys(scoring, {"method", *fields, "bonus"}, f"{what}的默认计分方法")
    name = scoring.get("method", DEFAULT_METHOD)
    rule = METHODS.get(name) if isinstance(name, str) else None
    if rule is None:
        check.error(scoring.line_of("method"), f"{what}的默认计分方法“{name}”无法识别{suggestion(name, METHODS)}")
        return empty
    params = _subset(scoring, fields)
    subject = f"{what}的默认计分方法"
    if check.validated(rule, params, subject, {"points": points},
                       extra=f"{subject}是 {name}（{rule.title}），不使用“{{key}}”") is None:
        return empty
    if "bonus" in scoring and _parse_bonus(check, scoring["bonus"], scoring.line_of("bonus"), what, points) is None:
        return empty
    return scoring


def _subset(mapping: YMap, keys) -> YMap:
    """The given keys of a mapping, with their lines."""
    subset = YMap({k: mapping[k] for k in keys if k in mapping})
    subset.line, subset.texts = mapping.line, {k: mapping.text_of(k) for k in subset}
    subset.key_lines = {k: mapping.line_of(k) for k in subset}
    return subset


# --- scoring.yaml ----------------------------------------------------------------

def _load_rules(directory: Path, problems: list[Problem]) -> tuple[tuple[dt.date | None, Rules], ...]:
    doc, check = _read(directory, "scoring.yaml", problems, required=False)
    if doc is None or check.mapping(doc, 1, "scoring.yaml") is None:
        return ((None, Rules()),)
    return schedule_of(check, doc)


# --- contracts -------------------------------------------------------------------



def _parse_target_value(check: FileCheck, entry: YMap, indicator: Indicator, measures: dict[str, Measure],
                        what: str):
    if "target" not in entry or entry["target"] is None:
        check.error(entry.line, f"{what}缺少目标值“target”")
        return None
    raw, line = entry["target"], entry.line_of("target")
    percent = indicator.unit == PERCENT
    if isinstance(raw, str):
        text = raw.strip()
        match = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)\s*[%％]", text)
        if match and percent:
            value = float(match.group(1)) / 100
        elif match:
            check.error(line, f"{what}不是百分比指标（单位：{indicator.unit}），目标值不能写成“{text}”")
            return None
        else:
            check.error(line, f"{what}的目标值应当是数字，现在是“{text}”")
            return None
    elif isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        check.error(line, f"{what}的目标值应当是数字，现在是“{raw}”")
        return None
    else:
        value = float(raw)
        if percent and value > 1:
            check.error(line, f"{what}是百分比指标，目标值{raw:g}大于1：请写成 {value / 100:g} 或 \"{raw:g}%\"")
            return None
    if value <= 0:
        check.error(line, f"{what}的目标值必须大于0，现在是{value:g}")
        return None
    if not percent:
        measure = measures[indicator.measure]
        limit, why = ((measure.max * 12, f"统计项“{measure.name}”的 max 的12倍：全年12个月之和") if measure.kind == "flow"
                      else (measure.max, f"统计项“{measure.name}”的 max"))
        if value > limit:
            check.error(line, f"{what}的目标值{value:g}超出合理范围：不能大于{limit:,.15g}（{why}）")
            return None
    return value


def _parse_bonus(check: FileCheck, raw, line: int, what: str, points: float):
    """`bonus:` of a target or of the catalogue: a bonus rule of scorecard.rules (`rule:`, per_step unless
    written) with its parameters."""
    if raw is None:
        return None
    if not isinstance(raw, YMap):
        check.error(line, f"{what}的加分“bonus”应当写成 {{per: 每步加分, step: 步长（百分点，默认1）, max: 最多加分}}")
        return None
    name = raw.get("rule", DEFAULT_BONUS)
    rule = BONUSES.get(name) if isinstance(name, str) else None
    if rule is None:
        check.error(raw.line_of("rule"), f"{what}的加分规则“{name}”无法识别{suggestion(name, BONUSES)}"
                                         f"（可用：{'、'.join(f'{k}（{v}）' for k, v in BONUSES.titles().items())}）")
        return None
    return check.validated(rule, _subset(raw, [k for k in raw if k != "rule"]), f"{what}的加分", {"points": points})


def _parse_method(check: FileCheck, entry: YMap, indicator: Indicator, weight: float, points: float, what: str):
    """Contract fields override the catalogue's default; another method drops the default's fields."""
    default = indicator.scoring
    name = entry.get("method", default.get("method", DEFAULT_METHOD))
    rule = METHODS.get(name) if isinstance(name, str) else None
    if rule is None:
        check.error(entry.line_of("method"),
                    f"{what}的计分方法“{name}”无法识别{suggestion(name, METHODS)}"
                    f"（可用：{'、'.join(f'{k}（{v}）' for k, v in METHODS.titles().items())}）")
        return None
    fields = method_fields()
    inherited = _subset(default, fields) if default.get("method", DEFAULT_METHOD) == name else _subset(default, ())
    params = _subset(entry, fields)
    merged = YMap({**inherited, **params})
    merged.line, merged.texts = entry.line, {**inherited.texts, **params.texts}
    merged.key_lines = params.key_lines  # a default's value is reported at the target that uses it
    return check.validated(rule, merged, what, {"points": points, "weight": weight},
                           extra=f"{what}的计分方法是 {name}（{rule.title}），不使用“{{key}}”，请删除或改用相应的方法")


def _load_contract(path: Path, directory: Path, folder_year: int, catalogue: dict[str, Indicator],
                   measures: dict[str, Measure], cities: dict[str, City], rules: Rules, problems: list[Problem],
                   shared: dict):
    """One contract; `shared` holds one instance of each method and bonus rule (thousands of contracts
    repeat a few of them: less memory, and a smaller cache entry)."""
    doc, check = _read(directory, str(path.relative_to(directory)), problems)
    if doc is None:
        return None
    doc = check.mapping(doc, 1, "目标责任书")
    if doc is None:
        return None
    check.known_keys(doc, {"year", "city", "signed_on", "targets", "name"}, "目标责任书")
    year = check.number(doc, "year", "目标责任书", integer=True)
    if "year" not in doc:
        check.error(doc.line, "目标责任书缺少“year”")
    elif year is not None and year != folder_year:
        check.error(doc.line_of("year"), f"year 写的是{year}，但文件放在{folder_year}年的文件夹里，两者必须一致")
    city = check.code(doc, "city", "目标责任书")
    if city is not None and city not in cities:
        lookup = {c.name: c.code for c in cities.values()} | {c.short: c.code for c in cities.values() if c.short}
        if city in lookup:
            hint = f"，请写代码 \"{lookup[city]}\"（{city}）"
        else:
            guess = nearest(city, list(cities) + list(lookup))
            guess = lookup.get(guess, guess)
            hint = f"，是否指 \"{guess}\"（{cities[guess].name}）？" if guess else ""
        check.error(doc.line_of("city"), f"未知的市州代码“{city}”{hint}（见 cities.yaml）")
        city = None
    signed_on = doc.get("signed_on")
    if signed_on is not None and not isinstance(signed_on, dt.date):
        check.error(doc.line_of("signed_on"), f"签订日期“signed_on”应写成 2003-03-10 的形式，现在是“{signed_on}”")
        signed_on = None
    elif signed_on is not None and not years.valid(signed_on.year):
        check.error(doc.line_of("signed_on"), f"签订日期“signed_on”的{years.refused(signed_on.year)}")
        signed_on = None
    raw_targets = check.mapping(check.required(doc, "targets", "目标责任书") or YMap(), doc.line, "targets")
    targets: list[Target] = []
    weights_ok = raw_targets is not None
    for code, entry in (raw_targets or {}).items():
        line = raw_targets.line_of(code)
        indicator = catalogue.get(code)
        if indicator is None:
            check.error(line, f"未知的指标“{code}”{suggestion(code, catalogue)}（见 indicators.yaml）")
            continue
        what = f"指标“{code}”（{indicator.name}）"
        entry = check.mapping(entry, line, what)
        if entry is None:
            weights_ok = False
            continue
        check.known_keys(entry, target_keys(), what)
        value = _parse_target_value(check, entry, indicator, measures, what)
        weight = check.number(entry, "weight", what, minimum=0)
        if "weight" not in entry:
            check.error(entry.line, f"{what}缺少权重“weight”")
        if weight is None:
            weights_ok = False
            continue
        method = _parse_method(check, entry, indicator, weight, rules.total_points, what)
        bonus_raw = entry.get("bonus", indicator.scoring.get("bonus"))
        bonus = _parse_bonus(check, bonus_raw, entry.line_of("bonus"), what, rules.total_points)
        if value is None or method is None or (bonus_raw is not None and bonus is None):
            continue
        targets.append(Target(code, value, weight, shared.setdefault(method, method),
                              bonus and shared.setdefault(bonus, bonus), line))
    weights_ok = weights_ok and all(
        isinstance(v, YMap) and isinstance(v.get("weight"), (int, float)) and not isinstance(v.get("weight"), bool)
        for v in (raw_targets or {}).values())
    if weights_ok and raw_targets:
        total = sum(float(v["weight"]) for v in raw_targets.values())
        if abs(total - rules.total_points) > 1e-6:
            check.error(doc.line_of("targets"),
                        f"各指标权重合计为{total:g}分，应为{rules.total_points:g}分（scoring.yaml 的 total_points）")
    if raw_targets is not None and not raw_targets:
        check.error(doc.line_of("targets"), "目标责任书没有任何指标")
    if city is None or year is None or year != folder_year or not raw_targets:
        return None
    return Contract(year, city, tuple(targets), check.display, signed_on)


def _load_contracts(directory: Path, catalogue, measures, cities, rules_for, problems: list[Problem]):
    """Each year's contracts, checked against the rules it is scored with (`rules_for(year)`)."""
    root = directory / "contracts"
    contracts: dict[tuple[int, str], Contract] = {}
    if not root.is_dir():
        problems.append(Problem(str(root), None, "缺少目标责任书文件夹 contracts/<年度>/"))
        return contracts
    shared: dict = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if not re.fullmatch(r"\d{4}", folder.name):
            problems.append(Problem(str(folder), None, f"文件夹名“{folder.name}”应当是四位年度，如 2003"))
            continue
        if not years.valid(int(folder.name)):
            problems.append(Problem(str(folder), None, years.refused(folder.name)))
            continue
        for path in sorted(folder.glob("*.y*ml")):
            before = len(problems)
            contract = _load_contract(path, directory, int(folder.name), catalogue, measures, cities,
                                      rules_for(int(folder.name)), problems,
                                      shared)
            if contract is None or len(problems) > before:
                continue
            key = (contract.year, contract.city)
            if key in contracts:
                problems.append(Problem(str(path), None,
                                        f"{contract.year}年{cities[contract.city].name}已有一份目标责任书"
                                        f"（{contracts[key].source}），每个市州每年只能有一份"))
                continue
            contracts[key] = contract
    return contracts


# --- assessments -------------------------------------------------------------------

def _load_assessment(path: Path, directory: Path, cities: dict[str, City], contract_keys, problems):
    doc, check = _read(directory, str(path.relative_to(directory)), problems)
    if doc is None or check.mapping(doc, 1, "考评记录") is None:
        return None
    file_year = int(path.stem)
    check.known_keys(doc, {"year", "adjustments", "veto"}, "考评记录")
    year = check.number(doc, "year", "考评记录", integer=True)
    if "year" not in doc:
        check.error(doc.line, "考评记录缺少“year”")
    elif year is not None and year != file_year:
        check.error(doc.line_of("year"), f"year 写的是{year}，但文件名是{path.name}，两者必须一致")

    def city_of(entry: YMap, what: str):
        code = check.code(entry, "city", what)
        if code is None:
            return None
        if code not in cities:
            check.error(entry.line_of("city"), f"未知的市州代码“{code}”{suggestion(code, cities)}（见 cities.yaml）")
            return None
        if (file_year, code) not in contract_keys:
            check.error(entry.line_of("city"), f"{cities[code].name}{file_year}年没有目标责任书，不能对其加减分或否决")
            return None
        return code

    adjustments, vetoes = [], []
    for key, what, parse in (("adjustments", "加减分", "adjustment"), ("veto", "一票否决", "veto")):
        items = doc.get(key)
        if items is None:
            continue
        items = check.sequence(items, doc.line_of(key), key)
        for index, item in enumerate(items or []):
            entry = check.mapping(item, items.line_of(index), what)
            if entry is None:
                continue
            if parse == "adjustment":
                check.known_keys(entry, {"city", "points", "reason", "date"}, what)
                code = city_of(entry, what)
                points = check.number(entry, "points", what, minimum=-POINTS_MAX, maximum=POINTS_MAX)
                if "points" not in entry:
                    check.error(entry.line, f"{what}缺少分值“points”（加分写正数，扣分写负数）")
                reason = check.text(entry, "reason", what)
                day = _decision_date(check, entry, what)
                if code and points is not None and reason:
                    adjustments.append(Adjustment(code, points, reason, day))
            else:
                check.known_keys(entry, {"city", "item", "reason", "date"}, what)
                code = city_of(entry, what)
                item_text = check.text(entry, "item", what)
                reason = check.text(entry, "reason", what)
                day = _decision_date(check, entry, what)
                if code and item_text and reason:
                    vetoes.append(Veto(code, item_text, reason, day))
    return Assessment(file_year, tuple(adjustments), tuple(vetoes), check.display)


def _decision_date(check: FileCheck, entry: YMap, what: str) -> dt.date | None:
    """`date:` of an adjustment or veto, the day it was decided (scoring.md §4): a day of the calendar written
    as 2003-11-20 without quotes, not later than today; None when not given."""
    if entry.get("date") is None:
        return None
    day = calendar_day(entry, "date", f"{what}的认定日期", "2003-11-20", check.error)
    if day is not None and day > clock.today():
        check.error(entry.line_of("date"), f"{what}的认定日期{day:%Y-%m-%d}晚于今天，请核对")
        return None
    return day


def _load_assessments(directory: Path, cities, contract_keys, problems):
    root = directory / "assessments"
    assessments: dict[int, Assessment] = {}
    if not root.is_dir():
        return assessments
    for path in sorted(root.glob("*.y*ml")):
        if not re.fullmatch(r"\d{4}", path.stem):
            problems.append(Problem(str(path), None, f"考评记录的文件名应当是年度，如 2003.yaml，现在是“{path.name}”"))
            continue
        if not years.valid(int(path.stem)):
            problems.append(Problem(str(path), None, years.refused(path.stem)))
            continue
        before = len(problems)
        assessment = _load_assessment(path, directory, cities, contract_keys, problems)
        if assessment is not None and len(problems) == before:
            assessments[assessment.year] = assessment
    return assessments


# --- the whole folder ----------------------------------------------------------------

def load_config(directory, *, cache: bool = False) -> tuple[Config | None, list[Problem]]:
    """Read and check the whole configuration folder; a Config only when there is no problem.

    With `cache`, a config checked before with the same files and the same code is taken from the cache on
    disk (cache.py); the CLI and the app use it, for a national config of thousands of contracts."""
    directory = Path(directory)
    if not directory.is_dir():
        return None, [Problem(str(directory), None, "配置目录不存在（用 --config 或环境变量 SCORECARD_CONFIG 指定）")]
    key = None
    if cache and saved.cache_folder() is not None:
        try:
            before = fingerprint(directory, config_files(directory))
            key = saved.entry_key(directory, before, folders(directory))
        except OSError:  # an unreadable file: checking says so
            key = None
        cached = saved.load(key, before) if key else None
        if cached is not None:
            return cached, []
    config, problems = _check_config(directory)
    if key and config is not None and config.fingerprint == before:  # unchanged while it was being checked
        saved.store(key, config)
    return config, problems


def _check_config(directory: Path) -> tuple[Config | None, list[Problem]]:
    problems: list[Problem] = []
    cities = _load_cities(directory, problems)
    schedule = _load_rules(directory, problems)
    # a default method is checked again against the full score of each contract's year
    measures, indicators, _ = _load_catalogue(directory, problems, max(r.total_points for _, r in schedule))
    by_code = {c.code: c for c in cities}
    contracts = _load_contracts(directory, indicators, measures, by_code, lambda year: rules_in(schedule, year), problems)
    assessments = _load_assessments(directory, by_code, set(contracts), problems)
    if problems:
        return None, sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))
    files = tuple(config_files(directory))
    return Config(directory=directory, cities=tuple(cities), measures=measures, indicators=indicators,
                  schedule=schedule, contracts=contracts, assessments=assessments, files=files,
                  fingerprint=fingerprint(directory, files)), []
