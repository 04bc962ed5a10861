"""The one function every page, export and command gets its numbers from: `score_year`.

SQL (data/queries.py) sums and picks the monthly values; the formulas of scoring.md
(formulas.py) turn them into points, grades and ranks here (results.py holds what comes out).
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from contextlib import ExitStack
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from . import formulas
from ..config import AREAS, Assessment, Config, Contract, Indicator, Rules, Target, TargetChange
from ..config import cache as on_disk
from ..formatting import PERCENT, round2
from ..frozen import collector_paused, maker
from .decisions import records_of, with_recorded
from .fund import fund_statuses
from .results import CityResult, IndicatorResult, YearResult
from ..data.queries import latest_month, latest_months, measure_aggregates
from ..data.store import Aside, Store, get_meta
from ..config.model import RECORDS, REPORTING


class ScoringError(Exception):
    """The question cannot be answered (e.g. no contracts for the year); said in Chinese."""


# --- one indicator ------------------------------------------------------------------

class _Plan(NamedTuple):
    """What scoring one indicator as of a month needs of the catalogue, looked up once for all units."""

    indicator: Indicator
    kind: str                             # flow | stock | ratio
    parts: tuple[tuple[str, int], ...]    # (measure, 0: the sum of the months | 1: the latest month's value)
    expected: float                       # E(m)
    projected: bool                       # a flow before December: scored from actual / E(m)
    percent: bool
    every: int                            # the mask of months 1..m (bit m−1: month m)
    flow: bool
    pace: float                           # what progress is measured against: E(m) for a flow, else 1


def indicator_plan(config: Config, code: str, month: int) -> _Plan:
    """What scoring indicator `code` as of `month` needs of the catalogue (score_indicator's `plan`)."""
    indicator = config.indicators[code]
    kind = config.indicator_kinds[code]
    parts = tuple((m, 0 if config.measures[m].kind == "flow" else 1) for m in indicator.measures)
    expected, flow = formulas.expected_share(month, indicator.profile), kind == "flow"
    return _Plan(indicator, kind, parts, expected, flow and month < 12, indicator.unit == PERCENT, (1 << month) - 1,
                 flow, expected if flow else 1.0)


def _plans(config: Config, month: int) -> dict[str, _Plan]:
    return {code: indicator_plan(config, code, month) for code in config.indicators}


def _actual(plan: _Plan, sums: dict[str, tuple]):
    """(actual, numerator, denominator, missing mask — bit m−1 set: month m lacks a value of a measure used), as
    of the plan's month, from a unit's sums (measure → data.queries.measure_aggregates' triple)."""
    every = plan.every
    if plan.kind != "ratio":
        (measure, index), = plan.parts
        agg = sums.get(measure)
        if agg is None:
            return None, None, None, every
        return agg[index], None, None, every & ~agg[2]
    present, values = every, []
    for measure, index in plan.parts:
        agg = sums.get(measure)
        if agg is None:
            present = 0
            values.append(None)
        else:
            present &= agg[2]
            values.append(agg[index])
    numerator, denominator = values
    return (None if numerator is None or not denominator else numerator / denominator), numerator, denominator, \
        every & ~present


@functools.lru_cache(maxsize=4096)
def _months(mask: int) -> tuple[int, ...]:
    """The months whose bits are set in `mask` (bit m−1: month m)."""
    return tuple(m for m in range(1, mask.bit_length() + 1) if mask >> (m - 1) & 1)


def _points(indicator: Indicator, percent: bool, rules: Rules, target: Target, scored_actual: float,
            scored_completion: float | None = None):
    """Completion, gaps, base points and bonus of an indicator scored from `scored_actual` (scoring.md §3, §4)."""
    if scored_completion is None:
        scored_completion = formulas.completion(scored_actual, target.target, indicator.direction)
    shortfall, excess = formulas.gaps(scored_actual, target.target, scored_completion, percent, indicator.direction)
    points = target.method.points(target.weight, scored_completion, shortfall)  # formulas.base_points
    bonus = 0.0 if target.bonus is None else target.bonus.points(scored_completion, excess, rules.bonus_cap)
    return scored_completion, shortfall, excess, points, bonus


def final_points(config: Config, rules: Rules, target: Target, actual: float) -> tuple[float, float]:
    """Base points and bonus a year-end actual earns under a contract's target (a figure claimed or verified)."""
    indicator = config.indicators[target.indicator]
    _, _, _, points, bonus = _points(indicator, indicator.unit == PERCENT, rules, target, actual)
    return points, bonus


def score_indicator(plan: _Plan, rules: Rules, target: Target, sums: dict[str, tuple], month: int,
                    change: TargetChange | None = None) -> IndicatorResult:
    """One indicator of a unit's contract scored from the unit's sums as of `month` (see `_actual`)."""
    indicator = plan.indicator
    actual, numerator, denominator, missing_mask = _actual(plan, sums)
    flow, goal, direction = plan.flow, target.target, indicator.direction
    if actual is None:
        scored_actual = completion = scored_completion = needed = None
        shortfall = excess = points = bonus = 0.0
        status = formulas.MISSING
    else:
        completion = formulas.completion(actual, goal, direction)
        if plan.projected:  # a flow before December
            scored_actual = actual / plan.expected
            scored_completion, shortfall, excess, points, bonus = _points(indicator, plan.percent, rules, target,
                                                                          scored_actual)
            needed = (goal - actual) / (12 - month)
        else:
            scored_actual, needed = actual, None
            scored_completion, shortfall, excess, points, bonus = _points(indicator, plan.percent, rules, target,
                                                                          actual, completion)
        status = formulas.progress_status(flow, actual, goal, direction, completion, plan.pace,
                                          rules.progress_tolerance)
    bonus_rule = target.bonus
    return _indicator_result(
        indicator.code, indicator.name, indicator.area, indicator.unit, plan.kind, direction, goal, target.weight,
        target.method, None if bonus_rule is None else bonus_rule.applied(rules.bonus_cap), actual, completion,
        scored_actual, scored_completion, shortfall, excess, points, bonus, status, plan.expected if flow else None,
        _months(missing_mask) if missing_mask else (), needed, numerator, denominator, change)


_indicator_result = maker(IndicatorResult)  # 21,467 of them at 2,800 units: without a tuple of the values first
_NO_SUMS: dict[str, tuple] = {}  # a unit without a value in the table (never changed)


# --- a year's cities --------------------------------------------------------------------

def city_total(rules: Rules, points: float, bonus_uncapped: float, adjustment: float) -> float:
    """A city's total (scoring.md §5): base points, the bonus up to its cap, the adjustments; never below 0."""
    return max(0.0, points + min(rules.bonus_cap, bonus_uncapped) + adjustment)


def _score_contract(config: Config, plans: dict[str, _Plan], rules: Rules, assessment: Assessment,
                    contract: Contract, aggs, month: int) -> dict:
    """One unit's result (`rules` and `assessment`: those of the contract's year, looked up once for all units)."""
    city_code = contract.city
    amended = contract.amendment is not None  # else no target of it changed (Contract.change_of)
    sums = aggs.get(city_code, _NO_SUMS)
    indicators = tuple([score_indicator(plans[t.indicator], rules, t, sums, month,
                                        contract.change_of(t.indicator) if amended else None)
                        for t in contract.targets])  # a list first: no generator resumed for each result
    points = sum([i.points for i in indicators])
    bonus_uncapped = sum([i.bonus for i in indicators])
    adjustments, vetoes = assessment.of_city(city_code, month)
    adjustment = sum(a.points for a in adjustments)
    city = config.city(city_code)
    return dict(code=city.code, name=city.name, short=city.short, indicators=indicators, points=points,
                bonus=min(rules.bonus_cap, bonus_uncapped), bonus_uncapped=bonus_uncapped,
                adjustments=adjustments, adjustment=adjustment, vetoes=vetoes,
                not_yet_counted=assessment.not_yet_counted(city_code, month),
                total=city_total(rules, points, bonus_uncapped, adjustment))


def rank_cities(rules: Rules, scored: list[dict], previous: dict[str, int] | None = None) -> list[CityResult]:
    """Ranks with ties (1, 2, 2, 4) on the rounded total; grades with quota and veto; the change against
    `previous` (each city's final rank of the year before)."""
    grades = rules.grades
    rounded = [round2(c["total"]) for c in scored]
    ranks = formulas.competition_ranks(rounded)
    quota = rules.excellent_quota
    places = formulas.quota_size(quota, len(scored)) if quota else None
    results, previous = [], previous or {}
    for city, total, rank in zip(scored, rounded, ranks):
        score_grade = formulas.grade_for(total, grades)
        grade, demoted = score_grade, False
        if places is not None and score_grade == grades[0][0] and rank > places and len(grades) > 1:
            grade, demoted = grades[1][0], True
        if city["vetoes"]:
            grade = rules.failing_grade
        before = previous.get(city["code"])
        results.append(_city_result(
            city["code"], city["name"], city["short"], rank, city["total"], grade, score_grade, city["points"],
            city["bonus"], city["bonus_uncapped"], city["adjustment"], city["adjustments"], city["vetoes"],
            city["indicators"], city["not_yet_counted"], None if before is None else before - rank, before, demoted))
    return sorted(results, key=_BY_RANK)


_BY_RANK = attrgetter("rank", "code")


_city_result = maker(CityResult)  # CityResult(**city, rank=…): 18 fields each set through object.__setattr__


def _scored_indicators(contracts: list[Contract]) -> set[str]:
    """The indicators the contracts have targets for (21,467 targets at 2,800 units: gathered without a Python
    loop)."""
    return set(map(_INDICATOR, chain.from_iterable(map(_TARGETS, contracts))))


_INDICATOR, _TARGETS = attrgetter("indicator"), attrgetter("targets")


def _aggregates(config: Config, sums: list[Aside], store: Store, months: dict[int, int],
                parent: str | None = None) -> dict:
    """Year → (its contracts as in force at the end of its month (目标调整), the indicators they score, their sums
    as of that month): the contracts looked up while the queries of the sums (`sums`: of each year) run."""
    contracts = {year: config.contracts_for(year, parent, month=month) for year, month in months.items()}
    scored = {year: _scored_indicators(signed) for year, signed in contracts.items()}
    sums = {year: of_year for aside in sums for year, of_year in aside.result().items()}
    measures = {m for codes in scored.values() for code in codes for m in config.indicators[code].measures}
    if not any(config.measures[m].source is not None for m in measures if m in config.measures):
        return {year: (contracts[year], scored[year], sums[year]) for year in months}
    from .reporting import derived_aggregates  # the records' libraries: only for a measure derived from them

    return {year: (contracts[year], scored[year], _with(sums[year], derived_aggregates(config, store, year, month,
                                                                                        measures)))
            for year, month in months.items()}


def _sums_aside(asides: ExitStack, store: Store, months: dict[int, int], measures: set[str]) -> Aside:
    """data.queries.measure_aggregates run aside (Store.read_aside), ended with `asides`."""
    return asides.enter_context(store.read_aside(lambda aside: measure_aggregates(aside, store, months, measures)))


def _with(sums: dict[str, dict[str, tuple]], derived: dict[str, dict[str, tuple]]) -> dict[str, dict[str, tuple]]:
    """The table's sums with those derived from the records (city → measure → triple): the derived ones where both
    give a measure of a unit."""
    return sums | {city: sums.get(city, {}) | measures for city, measures in derived.items()}


def _table_measures(config: Config) -> set[str]:
    """Every measure an indicator of the catalogue is computed from (those of the records or the online reporting
    are not in the table: their sums are none)."""
    return {m for indicator in config.indicators.values() for m in indicator.measures}


def _final_ranks(config: Config, contracts: list[Contract], aggs, year: int) -> dict[str, int]:
    """Each city's final rank of `year` (the year before the one scored). Only the totals are needed, so no
    result objects are built: the same evaluation, summed."""
    plans = _plans(config, 12)
    assessment = config.assessment_for(year)
    rules = config.rules_for(year)
    totals = []
    for contract in contracts:
        city, points, bonus = contract.city, 0.0, 0.0
        sums = aggs.get(city, _NO_SUMS)
        for t in contract.targets:
            plan = plans[t.indicator]
            actual = _actual(plan, sums)[0]
            if actual is not None:
                earned = _points(plan.indicator, plan.percent, rules, t, actual)
                points, bonus = points + earned[3], bonus + earned[4]
        adjustment = sum(a.points for a in assessment.of_city(city, 12)[0])  # final: all decisions
        totals.append(round2(city_total(rules, points, bonus, adjustment)))
    return {c.city: rank for c, rank in zip(contracts, formulas.competition_ranks(totals))}


_FINAL_RANKS: dict[tuple, dict[str, int]] = {}  # _final_ranks_key → the ranks; a few years and stores
_KEEP = 8
RANKS = "ranks"  # the cache folder (config/cache.py) of the final ranks kept for the next process
DISK_UNITS = 100  # kept on disk for this many units and more: fewer are computed sooner than the code is hashed
# the code the final ranks are computed by: a new version of any of it is another key
CODE = tuple(Path(__file__).resolve().parent.parent / name for name in ("assessment", "config", "data", "rules"))


def _final_ranks_key(config: Config, store: Store, year: int, parent: str | None) -> tuple | None:
    """What the final ranks of `year` depend on: the data (the file's version and the import it is read as of), the
    config's files (its fingerprint, where they are), the decisions of the year counted (the file's and those on
    record, as `with_recorded` merged them), whose units are ranked, and — when its contracts score a measure from
    the person records — that file and the records' generation (raised by every caseworker's outcome recorded:
    违规领取金额占比). None — not kept — for a config not read from files, or one whose contracts score a measure
    from the online reporting (it depends on today's date)."""
    if not config.fingerprint:
        return None
    sources = _scored_sources(config, year, parent)
    if REPORTING in sources:
        return None
    from_records = ()
    if RECORDS in sources:
        from ..microdata.scored import person_records_stamp
        from ..microdata.store import PersonStore
        from ..records.audit import generation

        persons, records = PersonStore.beside(store.path), records_of(store)
        from_records = (person_records_stamp(persons) if persons.exists() else None,
                        None if records is None else generation(records))
    return (str(store.path.absolute()), store.version(), str(config.directory), config.fingerprint,
            repr(config.assessment_for(year)), year, parent, from_records)


_SOURCES: dict[tuple, frozenset] = {}  # (config fingerprint, year, parent) → _scored_sources; a few configs


def _scored_sources(config: Config, year: int, parent: str | None) -> frozenset:
    """Where the measures of the indicators `year`'s contracts are ranked on (as in force in December) come from:
    they follow from the config's files alone, so they are worked out once per fingerprint (~20 ms at 2,800
    units: every contract's version in force and its targets)."""
    key = (config.fingerprint, year, parent)
    found = _SOURCES.get(key)
    if found is None:
        scored = _scored_indicators(config.contracts_for(year, parent, month=12))
        found = frozenset(config.measures[m].source for code in scored for m in config.indicators[code].measures)
        while len(_SOURCES) >= _KEEP:
            _SOURCES.pop(next(iter(_SOURCES), None), None)  # another session may have dropped it first
        _SOURCES[key] = found
    return found


def _disk_key(key: tuple) -> str:
    """The key of the ranks kept on disk: `key` and the version of the code that computes them, as text."""
    return json.dumps([on_disk.package_version(CODE), *key], ensure_ascii=False)


def _disk_name(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest() + ".json"


def _ranks_on_disk(key: tuple) -> dict[str, int] | None:
    """The ranks an earlier process kept for `key` (`_keep_on_disk`); None when there are none, or the entry is not
    one whole and of that key (damaged, foreign, another format): then they are computed again."""
    text = _disk_key(key)
    data = on_disk.read_entry(RANKS, _disk_name(text))
    try:
        entry = json.loads(data) if data else None
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested beyond reading
        return None
    if not isinstance(entry, dict) or entry.get("key") != text or not isinstance(entry.get("ranks"), dict):
        return None
    ranks = entry["ranks"]
    if not all(isinstance(rank, int) and not isinstance(rank, bool) for rank in ranks.values()):
        return None
    return ranks


def _keep_on_disk(key: tuple, ranks: dict[str, int]) -> None:
    """Keep the ranks for the next process — only when the database had last been written some seconds before it
    was read (the key's version): a write within the clock's granularity could leave its size and time as they
    were (config/cache.py, RACY_SECONDS)."""
    _, version, *_ = key
    newest = max((stamp[0] for stamp in version[:2] if stamp), default=0)
    if newest > time.time_ns() - on_disk.RACY_SECONDS * 1_000_000_000:
        return
    text = _disk_key(key)
    on_disk.write_entry(RANKS, _disk_name(text), json.dumps({"key": text, "ranks": ranks}, ensure_ascii=False))


def kept_final_ranks(key: tuple | None, units: int) -> dict[str, int] | None:
    """The final ranks of `units` units kept for `key`: by this process, else by an earlier one (on disk)."""
    if key is None:
        return None
    found = _FINAL_RANKS.get(key)
    if found is None and units >= DISK_UNITS:
        found = _ranks_on_disk(key)
        if found is not None:
            _keep(key, found)
    return found


def _keep(key: tuple, ranks: dict[str, int]) -> None:
    while len(_FINAL_RANKS) >= _KEEP:
        _FINAL_RANKS.pop(next(iter(_FINAL_RANKS)))
    _FINAL_RANKS[key] = ranks


def resolve_month(con, store: Store, year: int, month: int | None) -> tuple[int, int | None]:
    latest = latest_month(con, store, year)
    return _month_of(month, latest), latest


def _month_of(month: int | None, latest: int | None) -> int:
    """The month a result is as of: the one asked, else the latest with data, else December."""
    return month or latest or 12


def score_year(config: Config, store: Store, year: int, month: int | None = None,
               parent: str | None = None) -> YearResult:
    """Score, grade and rank every city with a contract for `year`, as of `month`; with `parent` (a 市州's code),
    the units below it that signed a contract with it (its 县（市、区）), by the same rules.

    Without a month: the latest month of the year that has any data (December if none).
    Before December the score is provisional (flows projected to the full year). The adjustments and vetoes
    counted are the year's assessment file's and the assessors' decisions on record (decisions.py).
    """
    with collector_paused(), ExitStack() as asides:  # every query started aside has ended when this ends
        return _score_year(config, store, year, month, parent, asides)


def _score_year(config: Config, store: Store, year: int, month: int | None, parent: str | None,
                asides: ExitStack) -> YearResult:
    if parent is not None and parent not in config.unit_lookup:
        raise ScoringError(f"未知的单位代码“{parent}”（见 cities.yaml）")
    if parent is not None and not config.contracts_for(year, parent):
        raise ScoringError(f"{config.city(parent).name}{year}年没有与下辖县（市、区）签订的目标责任书"
                           f"（config/contracts/{year}/{parent}/ 为空）")
    if not config.contracts_for(year):  # (the province's: also when `parent`'s are asked)
        years = "、".join(str(y) for y in config.years()) or "无"
        raise ScoringError(f"{year}年没有目标责任书（config/contracts/{year}/ 为空）；已有年度：{years}")
    if month is not None and not 1 <= month <= 12:
        raise ScoringError(f"月份应为1至12，现在是{month}")
    config = with_recorded(config, store, year)  # the YAML file's decisions and those on record
    with store.reader() as con:
        # The year's sums start at once, aside, as of the month asked or of every month (none has data after the
        # latest that has any), while the rest is looked up: the final ranks of the year before, the latest months,
        # the contracts — and the sums of the year before, when its ranks are to be computed.
        measures = _table_measures(config)
        sums = [_sums_aside(asides, store, {year: month or 12}, measures)]
        units_before = len(config.contracts_for(year - 1, parent))
        key = _final_ranks_key(config, store, year - 1, parent) if units_before else None
        previous = kept_final_ranks(key, units_before)
        if units_before and previous is None:
            sums.append(_sums_aside(asides, store, {year - 1: 12}, measures))
        latest_of = latest_months(con, store, (year - 1, year))  # both years in one query
        latest = latest_of.get(year)
        month = _month_of(month, latest)
        assessed_before = bool(units_before) and year - 1 in latest_of
        if not assessed_before:
            key = previous = None
        ranked_now = assessed_before and previous is None
        scored = _aggregates(config, sums, store, {year - 1: 12, year: month} if ranked_now else {year: month}, parent)
        contracts, codes, aggs = scored[year]
        below = None if parent is None else [c.city for c in contracts]
        # the fund's query runs while the units are scored
        fund = asides.enter_context(store.read_aside(
            lambda aside: fund_statuses(config, aside, store, year, month, month, below)))
        demo = get_meta(con, "demo") == "1"
    if ranked_now:
        before, _, aggs_before = scored[year - 1]
        previous = _final_ranks(config, before, aggs_before, year - 1)
        if key:
            _keep(key, previous)
            if len(previous) >= DISK_UNITS:
                _keep_on_disk(key, previous)
    rules = config.rules_for(year)
    plans = _plans(config, month)
    assessment = config.assessment_for(year)  # one for all units (a year without decisions: made on each call)
    cities = rank_cities(rules, [_score_contract(config, plans, rules, assessment, c, aggs, month) for c in contracts],
                         previous)
    places = formulas.quota_size(rules.excellent_quota, len(cities)) if rules.excellent_quota else None
    used = {config.indicators[code].area for code in codes}  # the areas of the results' indicators
    areas = tuple(a for a in AREAS if a in used) + tuple(sorted(used - set(AREAS)))
    return YearResult(year=year, month=month, provisional=month < 12, cities=tuple(cities), fund=tuple(fund.result()),
                      demo=demo, latest_data_month=latest, has_previous_year=previous is not None,
                      quota_places=places, as_of_import=store.as_of_import, areas=areas, rules=rules,
                      parent=parent, ancestors=() if parent is None else (parent, *config.ancestors(parent)))
