"""How robust is the ranking: the ranks of a year's result under other weights (排名稳健性).

Reading: Nardo, Saisana, Saltelli, Tarantola, Hoffmann, Giovannini, *Handbook on Constructing Composite
Indicators: Methodology and User Guide* (OECD/JRC 2008, ISBN 978-92-64-04345-9), step 7 of its ten steps,
"uncertainty and sensitivity analysis". A composite score (here a city's total, Σ of the indicators' points)
rests on choices — above all the weights — that are judgements, not facts; before a ranking is published the
handbook asks how much of it those choices decide. Among the sources of uncertainty it varies are the weighting
scheme (equal weights against the chosen ones), the weights themselves, and the inclusion or exclusion of
single indicators; it reports, for each unit, the rank under each scenario against the reference rank, and
the average absolute shift in rank over the units (R̄s) — a unit whose rank moves under plausible weights should
not be published as if its place were certain. We vary one choice at a time (not the handbook's Monte
Carlo over all choices at once: an assessor can read what each scenario changes):

- 基准: the contracts' own weights — the result's ranks (published or computed now), recomputed the same way;
- 等权重: every indicator of a contract the same weight, the contract's total (scoring.yaml's total_points,
  which the weights must add up to) unchanged;
- 领域权重±20%: for each area used (扩面 / 征缴 / 待遇发放 / 促进就业 …), that area's indicator weights × 1.2 or
  × 0.8, then every weight of the contract scaled so that they again add up to the total;
- 不计某项指标: each indicator left out in turn, its weight shared out pro rata over the contract's others (a
  contract of that indicator alone keeps it).

How points follow a weight is defined in one place, `points_at`: an indicator keeps the share of its weight
that its performance earns, through its own rule object — the rule at the new weight, its parameters in points
(按差距扣分's per and max) scaled with the weight (`ScoringMethod.scaled`). For 按完成比例, 分档 and 完成得分 that is
the rule at the new weight as written; for 按差距扣分 a point deducted per percentage point becomes 1.2 points when
the weight grows by 20 % (else a larger weight with the same cap could never fall to 0). The bonus, the
adjustments and the vetoes are in points of their own and stay as they are; totals, ties (1, 2, 2, 4), grades,
the 优秀 quota and vetoes come from `scoring.rank_cities`, as in the result itself.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from . import formulas
from .results import CityResult, IndicatorResult, YearResult
from ..rules import ScoringMethod
from .scoring import city_total, rank_cities

BASE, EQUAL, AREA, LEFT_OUT = "base", "equal", "area", "left_out"
AREA_FACTORS = (1.2, 0.8)


@dataclass(frozen=True)
class Scenario:
    key: str                       # stable: base, equal, area:扩面:+20%, area:扩面:-20%, left_out:<indicator code>
    kind: str                      # BASE | EQUAL | AREA | LEFT_OUT
    label: str                     # 基准（责任书权重）, 等权重, 扩面权重+20%, 不计“征缴率”
    area: str | None = None
    factor: float | None = None
    indicator: str | None = None
    top: tuple[str, ...] | None = None        # the codes ranked first, sorted; None when scoped to one city
    excellent: tuple[str, ...] | None = None  # the codes graded 优秀 (the first grade), sorted; None when scoped


@dataclass(frozen=True)
class Placing:
    rank: int
    total: float
    grade: str


@dataclass(frozen=True)
class CityRobustness:
    city: str
    name: str
    short: str | None
    base_rank: int                  # the rank of the result (published or computed now)
    placings: tuple[Placing, ...]   # one per scenario, in the order of Robustness.scenarios

    @property
    def ranks(self) -> tuple[int, ...]:
        return tuple(p.rank for p in self.placings)

    @property
    def shifts(self) -> tuple[int, ...]:
        """base rank − rank per scenario: positive moves up (as CityResult.rank_change), negative down."""
        return tuple(self.base_rank - p.rank for p in self.placings)

    @property
    def max_shift(self) -> int:
        return max(abs(s) for s in self.shifts)

    @property
    def moves(self) -> int:
        """In how many scenarios the rank differs from the base."""
        return sum(1 for s in self.shifts if s)

    @property
    def best_rank(self) -> int:
        return min(self.ranks)

    @property
    def worst_rank(self) -> int:
        return max(self.ranks)


@dataclass(frozen=True)
class Robustness:
    year: int
    month: int
    provisional: bool
    demo: bool
    excellent_grade: str
    scenarios: tuple[Scenario, ...]   # the base first
    cities: tuple[CityRobustness, ...]  # in the order of the result (by rank)
    whole: bool = True                # every city (False: scoped to a 市州 user's own)

    @property
    def label(self) -> str:
        return "预估" if self.provisional else "年终"

    @property
    def variants(self) -> tuple[Scenario, ...]:
        """The scenarios other than the base."""
        return self.scenarios[1:]

    def moved(self) -> list[CityRobustness]:
        """The cities whose rank changes in some scenario, the largest shift first."""
        return sorted((c for c in self.cities if c.moves), key=lambda c: (-c.max_shift, -c.moves, c.base_rank))

    def mean_shift(self, index: int) -> float:
        """The handbook's R̄s of scenario `index`: the mean absolute shift in rank over the cities."""
        return sum(abs(c.shifts[index]) for c in self.cities) / len(self.cities) if self.cities else 0.0

    def changing_top(self) -> list[Scenario]:
        base = self.scenarios[0].top
        return [s for s in self.variants if base is not None and s.top != base]

    def changing_excellent(self) -> list[Scenario]:
        base = self.scenarios[0].excellent
        return [s for s in self.variants if base is not None and s.excellent != base]


# --- how points follow a weight: the one place ---------------------------------------------------

def points_at(indicator: IndicatorResult, weight: float) -> float:
    """The base points of the indicator at weight `weight`: what its rule gives at that weight, the rule's
    parameters in points scaled with the weight (see the module's docstring)."""
    if weight == indicator.weight:
        return indicator.points
    if indicator.scored_completion is None or weight == 0:
        return 0.0
    method = _scaled(indicator.method, weight / indicator.weight)
    return formulas.base_points(method, weight, indicator.scored_completion, indicator.shortfall)


@functools.lru_cache(maxsize=4096)  # thousands of contracts share a few rules and weights
def _scaled(method: ScoringMethod, factor: float) -> ScoringMethod:
    return method.scaled(factor)


# --- the weights of each scenario ----------------------------------------------------------------

def _normalised(weights: list[float], total: float) -> list[float]:
    present = sum(weights)
    return [w * total / present for w in weights] if present > 0 else weights


def scenario_weights(scenario: Scenario, indicators: tuple[IndicatorResult, ...]) -> list[float]:
    """The weights of one contract's indicators under a scenario; they add up to the contract's own total."""
    weights = [i.weight for i in indicators]
    total = sum(weights)
    if scenario.kind == EQUAL:
        return [total / len(weights)] * len(weights)
    if scenario.kind == AREA:
        return _normalised([w * (scenario.factor if i.area == scenario.area else 1.0)
                            for w, i in zip(weights, indicators)], total)
    if scenario.kind == LEFT_OUT:
        rest = [0.0 if i.code == scenario.indicator else w for w, i in zip(weights, indicators)]
        return _normalised(rest, total) if sum(rest) > 0 else weights  # a contract of that one indicator alone
    return weights


def scenarios_of(result: YearResult) -> list[Scenario]:
    """The base, equal weights, ±20 % on each area the result uses, each indicator left out (catalogue order)."""
    found = [Scenario(BASE, BASE, "基准（责任书权重）"), Scenario(EQUAL, EQUAL, "等权重")]
    for area in result.areas:
        for factor in AREA_FACTORS:
            change = f"{(factor - 1) * 100:+.0f}%"
            found.append(Scenario(f"{AREA}:{area}:{change}", AREA, f"{area}权重{change}", area=area, factor=factor))
    indicators = dict.fromkeys((i.code, i.name) for c in result.cities for i in c.indicators)
    found += [Scenario(f"{LEFT_OUT}:{code}", LEFT_OUT, f"不计“{name}”", indicator=code) for code, name in indicators]
    return found


# --- ranking under a scenario ------------------------------------------------------------------------

def _scored(result: YearResult, city: CityResult, scenario: Scenario) -> dict:
    """A city's totals as `scoring.rank_cities` takes them, its base points at the scenario's weights (without
    its indicators: only the totals, ranks and grades are asked of a scenario)."""
    weights = scenario_weights(scenario, city.indicators)
    points = sum(points_at(i, w) for i, w in zip(city.indicators, weights))
    return dict(code=city.code, name=city.name, short=city.short, indicators=(), points=points,
                bonus=city.bonus, bonus_uncapped=city.bonus_uncapped, adjustments=city.adjustments,
                adjustment=city.adjustment, vetoes=city.vetoes, not_yet_counted=city.not_yet_counted,
                total=city_total(result.rules, points, city.bonus_uncapped, city.adjustment))


def ranked(result: YearResult, scenario: Scenario) -> list[CityResult]:
    """Every city of the result ranked and graded under the scenario's weights."""
    return rank_cities(result.rules, [_scored(result, c, scenario) for c in result.cities])


def robustness(result: YearResult) -> Robustness:
    """The ranks of every city of `result` under each scenario, and the shift from the result's own rank."""
    excellent = result.rules.grades[0][0]
    scenarios, by_city = [], {c.code: [] for c in result.cities}
    for scenario in scenarios_of(result):
        cities = ranked(result, scenario)
        scenarios.append(replace(scenario, top=tuple(sorted(c.code for c in cities if c.rank == 1)),
                                 excellent=tuple(sorted(c.code for c in cities if c.grade == excellent))))
        for c in cities:
            by_city[c.code].append(Placing(c.rank, c.total, c.grade))
    cities = tuple(CityRobustness(c.code, c.name, c.short, c.rank, tuple(by_city[c.code])) for c in result.cities)
    return Robustness(result.year, result.month, result.provisional, result.demo, excellent, tuple(scenarios), cities)
