"""Next year's targets proposed from this year's result (issue 14 §1): per city and indicator, by the rule of
targets.yaml (config/targets.py), each proposal with the rule and the numbers that produced it in words.

The actuals are those of the final (December) result of each year, `score_year(…, 12)`'s IndicatorResult: no
second computation. The trend rule looks at up to three years (this year and the two before it, each year that
has contracts and data).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from .. import formatting as fmt
from ..config import Config
from ..config.targets import ProposalRule, TargetRules
from ..data.store import Store
from ..errors import InputError
from ..formatting import PERCENT
from .results import YearResult
from .scoring import ScoringError, score_year

TREND_YEARS = 3


@dataclass(frozen=True)
class Proposal:
    city: str
    indicator: str
    name: str
    unit: str
    direction: str
    last_target: float
    last_actual: float | None
    suggested: float          # what the rule gives
    proposed: float           # what goes into the contract: the suggestion, or what an assessor typed instead
    rule: str                 # the rule's name in Chinese (按增长率, …)
    words: str                # the rule and the numbers that produced the proposal

    @property
    def edited(self) -> bool:
        return not _same(self.proposed, self.suggested)

    @property
    def change(self) -> float:
        return self.proposed - self.last_target

    @property
    def change_rate(self) -> float | None:
        return self.change / self.last_target if self.last_target else None

    @property
    def falls(self) -> bool:
        """The target is lower than this year's."""
        return self.proposed < self.last_target and not _same(self.proposed, self.last_target)

    @property
    def additive(self) -> bool:
        return self.unit != PERCENT


@dataclass(frozen=True)
class CityDraft:
    city: str
    name: str
    proposals: tuple[Proposal, ...]

    @property
    def falling(self) -> tuple[Proposal, ...]:
        return tuple(p for p in self.proposals if p.falls)


@dataclass(frozen=True)
class ProvinceTotal:
    """The sum of the cities' proposed targets of an additive indicator, against the province's own target."""

    indicator: str
    name: str
    unit: str
    proposed: float
    last: float                       # Σ this year's targets of the same cities
    province: float | None            # the ministry's target for the province (targets.yaml), when written

    @property
    def gap(self) -> float | None:
        """Σ proposed − the province's target: below 0 short of it, above 0 over it."""
        return None if self.province is None else self.proposed - self.province

    @property
    def verdict(self) -> str:
        gap = self.gap
        if gap is None:
            return "未设全省目标"
        if _same(self.proposed, self.province):
            return "与全省目标持平"
        return f"{'超出' if gap > 0 else '不足'}{fmt.quantity(abs(gap), self.unit)}"


@dataclass(frozen=True)
class Draft:
    year: int                         # the year drafted for
    from_year: int                    # the year whose result it is drafted from
    cities: tuple[CityDraft, ...]
    rules: TargetRules
    notes: tuple[str, ...] = ()       # what the reader should know of the actuals (an incomplete year)
    demo: bool = False

    def city(self, code: str) -> CityDraft:
        return next(c for c in self.cities if c.city == code)

    @property
    def proposals(self) -> tuple[Proposal, ...]:
        return tuple(p for c in self.cities for p in c.proposals)

    def totals(self) -> list[ProvinceTotal]:
        """One row per additive indicator, in the order of the first city's contract."""
        rows: dict[str, list[Proposal]] = {}
        for p in self.proposals:
            if p.additive:
                rows.setdefault(p.indicator, []).append(p)
        return [ProvinceTotal(code, found[0].name, found[0].unit, sum(p.proposed for p in found),
                              sum(p.last_target for p in found), self.rules.province_target(self.year, code))
                for code, found in rows.items()]

    def edited(self, values: dict[tuple[str, str], float]) -> "Draft":
        """The draft with the targets an assessor typed instead of the proposals ((city, indicator) → value in the
        indicator's unit, a rate as a fraction); each change said in the proposal's words."""
        cities = []
        for c in self.cities:
            proposals = []
            for p in c.proposals:
                value = values.get((c.city, p.indicator), p.proposed)
                checked = _typed(value, p, c.name)
                if _same(checked, p.suggested):
                    proposals.append(replace(p, proposed=p.suggested))
                    continue
                proposals.append(replace(p, proposed=checked,
                                         words=f"{_base_words(p)}；考评人员改为{fmt.quantity(checked, p.unit)}"))
            cities.append(replace(c, proposals=tuple(proposals)))
        return replace(self, cities=tuple(cities))


EDITED = "；考评人员改为"


def _base_words(p: Proposal) -> str:
    return p.words.split(EDITED)[0]


def _typed(value, p: Proposal, city: str) -> float:
    what = f"{city}的“{p.name}”"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"{what}目标应当是数字，现在是“{value}”")
    if value <= 0:
        raise InputError(f"{what}目标必须大于0，现在是{fmt.quantity(value, p.unit)}")
    if p.unit == PERCENT and value > 1 + 1e-12:
        raise InputError(f"{what}是比率指标，目标不能超过100%，现在是{fmt.percent(value)}")
    return float(value)


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


# --- the rules --------------------------------------------------------------------------------------

def _rounded(value: float, step: float) -> float:
    """Rounded half up to a multiple of `step`, as officials round."""
    units = (Decimal(repr(value)) / Decimal(repr(step))).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return float(units * Decimal(repr(step)))


def _rate(value: float) -> str:
    """5%, -10%, 6.2%: a growth rate as written in the words."""
    return f"{round(value * 100, 6):g}%"


def _step(rule: ProposalRule, unit: str) -> float:
    return rule.step or (0.001 if unit == PERCENT else 1.0)


class _Numbers:
    """The numbers a rule works from for one city and indicator."""

    def __init__(self, year: int, target, history: dict[int, float | None], share: tuple | None):
        self.year, self.target, self.history, self.share = year, target, history, share

    @property
    def actual(self) -> float | None:
        return self.history.get(self.year)


def _grown(n: _Numbers, growth: float, q) -> tuple[float, str]:
    value = n.actual * (1 + growth)
    sign = "-" if growth < 0 else "+"
    return value, f"{n.year}年实际{q(n.actual)} ×（1 {sign} {_rate(abs(growth))}）"


def _trend(n: _Numbers, rule: ProposalRule, q) -> tuple[float, str]:
    years = sorted(y for y, v in n.history.items() if v)
    rates = [n.history[y] / n.history[y - 1] - 1 for y in years if y - 1 in years]
    if not rates:
        value, words = _grown(n, rule.growth, q)
        return value, f"{n.year}年以前没有实际数，按增长率{_rate(rule.growth)}：{words}"
    average = round(sum(rates) / len(rates), 3)
    bounded = min(max(average, rule.min_growth if rule.min_growth is not None else -math.inf),
                  rule.max_growth if rule.max_growth is not None else math.inf)
    seen = "，".join(f"{y}年{q(n.history[y])}" for y in years)
    said = f"{years[0]}—{years[-1]}年实际平均每年增长{_rate(average)}（{seen}）"
    if not _same(bounded, average):
        low, high = rule.min_growth, rule.max_growth
        limits = "、".join(x for x in (low is not None and f"不低于{_rate(low)}", high is not None and f"不高于{_rate(high)}") if x)
        said += f"，增长率{limits}，取{_rate(bounded)}"
    value, words = _grown(n, bounded, q)
    return value, f"{said}；{words}"


def _shared(n: _Numbers, rule: ProposalRule, q, province: float | None) -> tuple[float, str]:
    if province is None or n.share is None:
        value, words = _grown(n, rule.growth, q)
        return value, f"未设{n.year + 1}年全省目标，按增长率{_rate(rule.growth)}：{words}"
    own, total = n.share
    value = province * own / total
    return value, (f"{n.year + 1}年全省目标{q(province)} × {n.year}年实际占全省的比例{fmt.percent(own / total)}"
                   f"（{q(own)} ÷ {q(total)}）")


def suggest(rule: ProposalRule, year: int, target: float, actuals: dict[int, float | None], unit: str,
            direction: str = "higher", province: float | None = None,
            province_actual: float | None = None) -> tuple[float, str]:
    """One city's proposal for `year` + 1 and its words (「2003年实际31,250人 ×（1 + 5%） = 32,813人；不低于2003年
    目标32,000人」), from this year's `target`, the `actuals` of up to three years (year → actual), and for the share
    rule the province's target of next year and the province's actual of `year` (Σ of the cities')."""
    share = (actuals[year], province_actual) if actuals.get(year) is not None and province_actual else None
    return _suggested(rule, _Numbers(year, target, actuals, share), unit, direction, province)


def _suggested(rule: ProposalRule, n: _Numbers, unit: str, direction: str, province: float | None) -> tuple[float, str]:
    def q(value):
        return fmt.quantity(value, unit)

    if n.actual is None and rule.rule != "keep":
        return n.target, f"{n.year}年没有实际数，沿用{n.year}年目标{q(n.target)}"
    if rule.rule == "keep":
        return n.target, f"沿用{n.year}年目标{q(n.target)}"
    if rule.rule == "add" and unit == PERCENT:
        value, words = n.actual + rule.add / 100, f"{n.year}年实际{q(n.actual)} + {rule.add:g}个百分点"
    elif rule.rule == "trend":
        value, words = _trend(n, rule, q)
    elif rule.rule == "share" and unit != PERCENT:
        value, words = _shared(n, rule, q, province)
    else:  # growth (and add or share where they do not apply: the rule's growth)
        value, words = _grown(n, rule.growth, q)
    value = _rounded(value, _step(rule, unit))
    words += f" = {q(value)}"
    if rule.not_below_last_target:
        lower = direction == "lower"
        easier = value > n.target if lower else value < n.target
        bound = f"{'不高于' if lower else '不低于'}{n.year}年目标{q(n.target)}"
        words += f"；{bound}，取{q(n.target)}" if easier and not _same(value, n.target) else f"；{bound}"
        value = n.target if easier else value
    if unit == PERCENT and value > 1:
        value, words = 1.0, words + "；比率目标不超过100%，取100%"
    return value, words


# --- the draft ----------------------------------------------------------------------------------------

def final_result(config: Config, store: Store, year: int) -> YearResult | None:
    """A year's final result (December), or None when the year has no contracts or no data."""
    if not config.contracts_for(year):
        return None
    result = score_year(config, store, year, 12)
    return result if result.latest_data_month is not None else None


def draft_targets(config: Config, store: Store, from_year: int, rules: TargetRules) -> Draft:
    """Next year's targets (`from_year` + 1) for every city with a contract in `from_year`, from its final result."""
    result = final_result(config, store, from_year)
    if result is None:
        raise ScoringError(f"{from_year}年没有目标责任书或没有任何月度数据，无法据以起草{from_year + 1}年的目标")
    results = {from_year: result}
    for year in range(from_year - TREND_YEARS + 1, from_year):
        earlier = final_result(config, store, year)
        if earlier is not None:
            results[year] = earlier
    actuals = {(y, c.code, i.code): i.actual for y, r in results.items() for c in r.cities for i in c.indicators}
    totals: dict[str, float] = {}
    for c in result.cities:
        for i in c.indicators:
            if i.actual is not None:
                totals[i.code] = totals.get(i.code, 0.0) + i.actual
    cities = []
    for c in sorted(result.cities, key=lambda c: c.code):
        proposals = []
        for i in c.indicators:
            rule = rules.rule_for(i.code)
            history = {y: actuals.get((y, c.code, i.code)) for y in sorted(results)}
            value, words = suggest(rule, from_year, i.target, history, i.unit, i.direction,
                                   rules.province_target(from_year + 1, i.code), totals.get(i.code))
            proposals.append(Proposal(c.code, i.code, i.name, i.unit, i.direction, i.target, i.actual, value, value,
                                      rule.title, words))
        cities.append(CityDraft(c.code, c.name, tuple(proposals)))
    notes = ()
    if result.latest_data_month < 12:
        notes = (f"{from_year}年的数据截至{result.latest_data_month}月，建议值按截至该月的实际数计算。",)
    return Draft(from_year + 1, from_year, tuple(cities), rules, notes, result.demo)
