"""The one function every page, export and command gets its numbers from: `score_year`.

SQL (data/queries.py) sums and picks the monthly values; the formulas of scoring.md
(formulas.py) turn them into points, grades and ranks here (results.py holds what comes out).
"""

from __future__ import annotations

from typing import NamedTuple

from . import formulas
from ..config import AREAS, Config, Contract, Rules, Target, TargetChange
from ..formatting import PERCENT, round2
from .decisions import with_recorded
from .fund import fund_statuses
from .results import CityResult, IndicatorResult, YearResult
from ..data.queries import latest_month, measure_aggregates
from .reporting import derived_aggregates
from ..data.store import Store, get_meta


class ScoringError(Exception):
    """The question cannot be answered (e.g. no contracts for the year); said in Chinese."""


# --- one indicator ------------------------------------------------------------------

class _Evaluation(NamedTuple):
    """The numbers of one indicator of one city: what the previous year's ranks need, and the rest."""

    actual: float | None
    numerator: float | None
    denominator: float | None
    missing_mask: int               # bit m−1 set: month m lacks a value of a measure the indicator uses
    scored_actual: float | None
    completion: float | None
    scored_completion: float | None
    shortfall: float
    excess: float
    points: float
    bonus: float


def _value(config: Config, aggs, city: str, measure: str) -> float | None:
    agg = aggs.get((city, measure))
    if agg is None:
        return None
    return agg[0] if config.measures[measure].kind == "flow" else agg[1]


def _evaluate(config: Config, rules: Rules, target: Target, aggs, city: str, month: int) -> _Evaluation:
    indicator = config.indicators[target.indicator]
    present = (1 << month) - 1
    for measure in indicator.measures:
        agg = aggs.get((city, measure))
        present &= agg[2] if agg else 0
    missing_mask = ((1 << month) - 1) & ~present
    numerator = denominator = None
    if indicator.is_ratio:
        numerator = _value(config, aggs, city, indicator.numerator)
        denominator = _value(config, aggs, city, indicator.denominator)
        actual = None if numerator is None or not denominator else numerator / denominator
    else:
        actual = _value(config, aggs, city, indicator.measure)
    if actual is None:
        return _Evaluation(None, numerator, denominator, missing_mask, None, None, None, 0.0, 0.0, 0.0, 0.0)
    flow = config.indicator_kinds[indicator.code] == "flow"
    scored_actual = actual / formulas.expected_share(month, indicator.profile) if flow and month < 12 else actual
    completion = formulas.completion(actual, target.target, indicator.direction)
    scored_completion, shortfall, excess, points, bonus = _points(config, rules, target, scored_actual)
    return _Evaluation(actual, numerator, denominator, missing_mask, scored_actual, completion, scored_completion,
                       shortfall, excess, points, bonus)


def _points(config: Config, rules: Rules, target: Target, scored_actual: float):
    """Completion, gaps, base points and bonus of an indicator scored from `scored_actual` (scoring.md §3, §4)."""
    indicator = config.indicators[target.indicator]
    scored_completion = formulas.completion(scored_actual, target.target, indicator.direction)
    shortfall, excess = formulas.gaps(scored_actual, target.target, scored_completion, indicator.unit == PERCENT,
                                      indicator.direction)
    points = formulas.base_points(target.method, target.weight, scored_completion, shortfall)
    bonus = formulas.bonus_points(target.bonus, scored_completion, excess, rules.bonus_cap)
    return scored_completion, shortfall, excess, points, bonus


def final_points(config: Config, rules: Rules, target: Target, actual: float) -> tuple[float, float]:
    """Base points and bonus a year-end actual earns under a contract's target (a figure claimed or verified)."""
    _, _, _, points, bonus = _points(config, rules, target, actual)
    return points, bonus


def score_indicator(config: Config, rules: Rules, target: Target, aggs, city: str, month: int,
                    change: TargetChange | None = None) -> IndicatorResult:
    indicator = config.indicators[target.indicator]
    kind = config.indicator_kinds[indicator.code]
    e = _evaluate(config, rules, target, aggs, city, month)
    flow = kind == "flow"
    expected_share = formulas.expected_share(month, indicator.profile)
    if e.actual is None:
        status, needed = formulas.MISSING, None
    else:
        status = formulas.progress_status(flow=flow, actual=e.actual, target=target.target,
                                       direction=indicator.direction, r=e.completion,
                                       expected=expected_share if flow else 1.0,
                                       tolerance=rules.progress_tolerance)
        needed = (target.target - e.actual) / (12 - month) if flow and month < 12 else None
    missing = tuple(m for m in range(1, month + 1) if e.missing_mask >> (m - 1) & 1) if e.missing_mask else ()
    return IndicatorResult(
        code=indicator.code, name=indicator.name, area=indicator.area, unit=indicator.unit, kind=kind,
        direction=indicator.direction, target=target.target, weight=target.weight, method=target.method,
        bonus_rule=target.bonus, actual=e.actual, completion=e.completion, scored_actual=e.scored_actual,
        scored_completion=e.scored_completion, shortfall=e.shortfall, excess=e.excess, points=e.points,
        bonus=e.bonus, status=status, expected=expected_share if flow else None, missing_months=missing,
        needed_per_month=needed, numerator=e.numerator, denominator=e.denominator, change=change)


# --- a year's cities --------------------------------------------------------------------

def city_total(rules: Rules, points: float, bonus_uncapped: float, adjustment: float) -> float:
    """A city's total (scoring.md §5): base points, the bonus up to its cap, the adjustments; never below 0."""
    return max(0.0, points + min(rules.bonus_cap, bonus_uncapped) + adjustment)


def _score_contract(config: Config, contract: Contract, aggs, month: int) -> dict:
    rules = config.rules_for(contract.year)
    indicators = tuple(score_indicator(config, rules, t, aggs, contract.city, month, contract.change_of(t.indicator))
                       for t in contract.targets)
    points = sum(i.points for i in indicators)
    bonus_uncapped = sum(i.bonus for i in indicators)
    assessment = config.assessment_for(contract.year)
    adjustments, vetoes = assessment.of_city(contract.city, month)
    adjustment = sum(a.points for a in adjustments)
    city = config.city(contract.city)
    return dict(code=city.code, name=city.name, short=city.short, indicators=indicators, points=points,
                bonus=min(rules.bonus_cap, bonus_uncapped), bonus_uncapped=bonus_uncapped,
                adjustments=adjustments, adjustment=adjustment, vetoes=vetoes,
                not_yet_counted=assessment.not_yet_counted(contract.city, month),
                total=city_total(rules, points, bonus_uncapped, adjustment))


def rank_cities(rules: Rules, scored: list[dict], previous: dict[str, int] | None = None) -> list[CityResult]:
    """Ranks with ties (1, 2, 2, 4) on the rounded total; grades with quota and veto; the change against
    `previous` (each city's final rank of the year before)."""
    grades = rules.grades
    rounded = [round2(c["total"]) for c in scored]
    ranks = formulas.competition_ranks(rounded)
    quota = rules.excellent_quota
    places = formulas.quota_size(quota, len(scored)) if quota else None
    results = []
    for city, total, rank in zip(scored, rounded, ranks):
        score_grade = formulas.grade_for(total, grades)
        grade, demoted = score_grade, False
        if places is not None and score_grade == grades[0][0] and rank > places and len(grades) > 1:
            grade, demoted = grades[1][0], True
        if city["vetoes"]:
            grade = rules.failing_grade
        before = (previous or {}).get(city["code"])
        results.append(CityResult(**city, rank=rank, grade=grade, score_grade=score_grade, quota_demoted=demoted,
                                  previous_rank=before, rank_change=None if before is None else before - rank))
    return sorted(results, key=lambda c: (c.rank, c.code))


def _aggregates(config: Config, con, store: Store, year: int, month: int, parent: str | None = None):
    contracts = config.contracts_for(year, parent, month=month)  # as in force at the end of the month (目标调整)
    measures = {m for c in contracts for t in c.targets for m in config.indicators[t.indicator].measures}
    return contracts, measure_aggregates(con, store, year, month, measures) | derived_aggregates(
        config, store, year, month, measures)


def _previous_final_ranks(config: Config, con, store: Store, year: int,
                          parent: str | None = None) -> dict[str, int] | None:
    """Each city's final rank of the previous year, or None when that year was not assessed.

    Only the totals are needed, so no result objects are built: the same evaluation, summed."""
    if not config.contracts_for(year - 1, parent) or latest_month(con, store, year - 1) is None:
        return None
    contracts, aggs = _aggregates(config, con, store, year - 1, 12, parent)
    assessment = config.assessment_for(year - 1)
    rules = config.rules_for(year - 1)
    totals = []
    for contract in contracts:
        evaluations = [_evaluate(config, rules, t, aggs, contract.city, 12) for t in contract.targets]
        adjustment = sum(a.points for a in assessment.of_city(contract.city, 12)[0])  # final: all decisions
        totals.append(round2(city_total(rules, sum(e.points for e in evaluations),
                                          sum(e.bonus for e in evaluations), adjustment)))
    return {c.city: rank for c, rank in zip(contracts, formulas.competition_ranks(totals))}


def resolve_month(con, store: Store, year: int, month: int | None) -> tuple[int, int | None]:
    latest = latest_month(con, store, year)
    return (month or latest or 12), latest


def score_year(config: Config, store: Store, year: int, month: int | None = None,
               parent: str | None = None) -> YearResult:
    """Score, grade and rank every city with a contract for `year`, as of `month`; with `parent` (a 市州's code),
    the units below it that signed a contract with it (its 县（市、区）), by the same rules.

    Without a month: the latest month of the year that has any data (December if none).
    Before December the score is provisional (flows projected to the full year). The adjustments and vetoes
    counted are the year's assessment file's and the assessors' decisions on record (decisions.py).
    """
    if parent is not None and parent not in config.unit_lookup:
        raise ScoringError(f"未知的单位代码“{parent}”（见 cities.yaml）")
    if parent is not None and not config.contracts_for(year, parent):
        raise ScoringError(f"{config.city(parent).name}{year}年没有与下辖县（市、区）签订的目标责任书"
                           f"（config/contracts/{year}/{parent}/ 为空）")
    if not config.contracts_for(year):
        years = "、".join(str(y) for y in config.years()) or "无"
        raise ScoringError(f"{year}年没有目标责任书（config/contracts/{year}/ 为空）；已有年度：{years}")
    if month is not None and not 1 <= month <= 12:
        raise ScoringError(f"月份应为1至12，现在是{month}")
    config = with_recorded(config, store, year)  # the YAML file's decisions and those on record
    with store.reader() as con:
        month, latest = resolve_month(con, store, year, month)
        previous = _previous_final_ranks(config, con, store, year, parent)
        contracts, aggs = _aggregates(config, con, store, year, month, parent)
        below = None if parent is None else [c.city for c in contracts]
        fund = fund_statuses(config, con, store, year, month, month, below)
        demo = get_meta(con, "demo") == "1"
    rules = config.rules_for(year)
    cities = rank_cities(rules, [_score_contract(config, c, aggs, month) for c in contracts], previous)
    places = formulas.quota_size(rules.excellent_quota, len(cities)) if rules.excellent_quota else None
    used = {i.area for c in cities for i in c.indicators}
    areas = tuple(a for a in AREAS if a in used) + tuple(sorted(used - set(AREAS)))
    return YearResult(year=year, month=month, provisional=month < 12, cities=tuple(cities), fund=tuple(fund),
                      demo=demo, latest_data_month=latest, has_previous_year=previous is not None,
                      quota_places=places, as_of_import=store.as_of_import, areas=areas, rules=rules,
                      parent=parent, ancestors=() if parent is None else (parent, *config.ancestors(parent)))
