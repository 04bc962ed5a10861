"""What scoring gives: an indicator's numbers, a city's total, grade and rank, a year's cities in order.

Frozen values built once by `scoring.score_year`; pages, documents and commands only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Adjustment, Decision, Rules, TargetChange, Veto
from ..rules import BonusRule, ScoringMethod
from ..formatting import PERCENT, round2
from ..frozen import per_object
from .fingerprint import InputFingerprint
from .formulas import BEHIND, FAR_BEHIND
from .fund import FundStatus


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    name: str
    area: str
    unit: str
    kind: str                     # "flow" | "stock" | "ratio"
    direction: str
    target: float
    weight: float
    method: ScoringMethod
    bonus_rule: BonusRule | None
    actual: float | None          # to date (as of the month)
    completion: float | None      # actual against target, before any projection
    scored_actual: float | None   # what the points are computed from: projected to the year for flows before December
    scored_completion: float | None
    shortfall: float              # percentage points below target (of the scored actual)
    excess: float                 # percentage points above target
    points: float
    bonus: float
    status: str
    expected: float | None        # E(m), the pro-rata share, for flow indicators
    missing_months: tuple[int, ...]
    needed_per_month: float | None  # flows before December: (T − A) / (12 − m)
    numerator: float | None = None
    denominator: float | None = None
    change: TargetChange | None = None  # the target was changed within the year (目标调整): when, why, from what

    @property
    def percent(self) -> bool:
        return self.unit == PERCENT

    @property
    def lower_rate(self) -> bool:
        """A rate where lower is better: its shortfall is being above the target (rules.gap_words)."""
        return self.percent and self.direction == "lower"

    @property
    def falls_short(self) -> bool:
        """Behind or far behind: below the pace, the target or 100% it was compared with."""
        return self.status in (BEHIND, FAR_BEHIND)

    @property
    def projected(self) -> bool:
        return self.scored_actual is not None and self.scored_actual != self.actual


@dataclass(frozen=True)
class CityResult:
    code: str
    name: str
    short: str | None
    rank: int
    total: float                  # unrounded
    grade: str
    score_grade: str              # the grade the score alone earns, before quota and veto
    points: float                 # Σ base points
    bonus: float                  # capped
    bonus_uncapped: float
    adjustment: float             # Σ adjustments
    adjustments: tuple[Adjustment, ...]   # those that count as of the month (scoring.md §4), as the vetoes
    vetoes: tuple[Veto, ...]
    indicators: tuple[IndicatorResult, ...]
    not_yet_counted: tuple[Decision, ...] = ()  # decided later than the month, or at the year's end
    rank_change: int | None = None
    previous_rank: int | None = None
    quota_demoted: bool = False

    @property
    def total_rounded(self) -> float:
        return round2(self.total)

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)

    @property
    def veto_items(self) -> tuple[str, ...]:
        return tuple(v.item for v in self.vetoes)

    @property
    def incomplete(self) -> bool:
        return any(i.missing_months or i.actual is None for i in self.indicators)

    @per_object     # asked by every area column of every ranking (33,600 times for the circular of 2,800 units)
    def area_points(self) -> dict[str, tuple[float, float]]:
        """Base points and full weight per area (扩面, 征缴, …), in catalogue order (made once: not to be changed)."""
        areas: dict[str, tuple[float, float]] = {}
        for i in self.indicators:
            points, weight = areas.get(i.area, (0.0, 0.0))
            areas[i.area] = (points + i.points, weight + i.weight)
        return areas


@dataclass(frozen=True)
class Published:
    """What a published result is: its title (2003年度第1号发布（年终考评结果，…）), cited by every view and
    document of it, and the fingerprint of the inputs it was computed from."""

    title: str
    inputs: InputFingerprint


@dataclass(frozen=True)
class YearResult:
    year: int
    month: int
    provisional: bool
    cities: tuple[CityResult, ...]        # by rank, then city code
    fund: tuple[FundStatus, ...]          # capacity of every city at the month
    demo: bool = False
    latest_data_month: int | None = None
    has_previous_year: bool = False
    quota_places: int | None = None
    as_of_import: int | None = None
    areas: tuple[str, ...] = field(default=())
    rules: Rules = Rules()  # scoring.yaml's rules the year was scored with (in force on 1 January of it)
    publication: Published | None = None  # the publication this result is; None: computed now
    parent: str | None = None  # None: the province's 市州; else the unit whose 县（市、区） these are
    ancestors: tuple[str, ...] = ()  # `parent` and the units above it (up to its 市州): who may see this result

    @property
    def label(self) -> str:
        return "预估" if self.provisional else "年终"

    def city(self, code: str) -> CityResult:
        for c in self.cities:
            if c.code == code:
                return c
        raise KeyError(code)
