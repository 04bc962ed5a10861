"""The configuration officials edit, as validated, immutable objects.

`scorecard.config.load_config` builds these from `config/`; nothing else does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from .. import clock
from ..rules import METHODS, BonusRule, ScoringMethod, Titles


METHOD_NAMES = Titles(METHODS)  # method name → its Chinese name (each method's `title`)
AREAS = ("扩面", "征缴", "待遇发放", "促进就业", "基金")
PLAUSIBLE_MAX = 1e12  # a measure's largest magnitude unless the catalogue says `max:`; no real city reaches it


@dataclass(frozen=True)
class City:
    """A unit assessed: a 市州 (parent: the province, or None when cities.yaml names none) or a unit below one
    (a 县（市、区）or other pooling area, parent: the code of its 市州 or of another unit)."""

    code: str
    name: str
    short: str | None = None
    parent: str | None = None

    @property
    def label(self) -> str:
        return self.short or self.name


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    kind: str  # "flow" | "stock"
    unit: str
    min: float | None = None
    max: float = PLAUSIBLE_MAX  # no value's magnitude may exceed it
    basis: str | None = None    # 填报口径: what exactly a city reports, shown beside the field of the entry form
    source: str | None = None   # REPORTING: not reported but derived from the reporting records (报表及时率);
                                # RECORDS: reported, but scored from the person records (issue 17)

    @property
    def reported(self) -> bool:
        return self.source is None or self.source == RECORDS and self.code not in RECORD_ONLY


REPORTING = "reporting"  # Measure.source of a measure derived from the reporting records
RECORDS = "records"      # Measure.source of a measure the scorer takes from the person records
# the measures person records give (scorecard.microdata.derive), which a catalogue may mark `source: records`
RECORD_MEASURES = ("benefits_payable", "benefits_paid_on_time", "recipients", "transition_eligible",
                   "transition_enrolled")
# the measures only the person records give (no city reports them), for 违规领取金额占比: the benefit of the rule
# findings not found untrue (assessment.person_findings) and all benefit paid
IMPROPER_AMOUNT, AMOUNT_PAID = "improper_amount_paid", "benefits_amount_paid"
RECORD_ONLY = (IMPROPER_AMOUNT, AMOUNT_PAID)
HARD_RULES, SOFT_RULES = ("not_above", "range"), ("month_change", "year_ratio")


@dataclass(frozen=True)
class CheckRule:
    """A 审核公式 of the catalogue: a hard rule refuses a value, a soft one asks for a 说明. The message is the
    catalogue's, with {value} (the value checked) and {other} (the value it is compared with) filled in."""

    rule: str                      # not_above, range (hard by default); month_change, year_ratio (soft)
    measure: str
    hard: bool
    message: str
    limit: str | None = None       # not_above: the measure it may not exceed (a ratio's denominator)
    min: float | None = None       # range
    max: float | None = None
    percent: float | None = None   # month_change: at most this many % up or down from last month
    factor: float | None = None    # year_ratio: at most this many times the same month last year
    line: int = 0


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    area: str
    unit: str
    measure: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    direction: str = "higher"  # "higher" | "lower"
    profile: tuple[float, float, float, float] | None = None
    scoring: dict = field(default_factory=dict)  # catalogue default method fields

    @property
    def is_ratio(self) -> bool:
        return self.numerator is not None

    @property
    def lower_rate(self) -> bool:
        """A rate where lower is better (违规领取金额占比): its shortfall is being above the target."""
        return self.unit == "%" and self.direction == "lower"

    @cached_property
    def measures(self) -> tuple[str, ...]:
        return (self.numerator, self.denominator) if self.is_ratio else (self.measure,)


@dataclass(frozen=True)
class Target:
    indicator: str
    target: float
    weight: float
    method: ScoringMethod  # one of scorecard.rules.METHODS, with its parameters
    bonus: BonusRule | None
    line: int = 0


@dataclass(frozen=True)
class Amendment:
    """A 目标调整 of a signed contract: from `date` on, `targets` (every target then in force) replace those
    before it; `changed` names the indicators it wrote or removed."""

    date: dt.date
    reason: str
    targets: tuple[Target, ...]
    changed: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True)
class TargetChange:
    """How an indicator's target differs from the signed contract in the version in force (scored and shown)."""

    date: dt.date
    reason: str
    before: float | None  # the signed target; None: the indicator was added by the amendment
    after: float
    weight_before: float | None = None
    weight_after: float | None = None


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Contract:
    """A contract as signed, with its amendments; `in_force(month)` gives the version a result as of that month
    uses (the targets in force at the end of the month), which names the amendment it follows."""

    year: int
    city: str
    targets: tuple[Target, ...]
    source: str
    signed_on: dt.date | None = None
    amendments: tuple[Amendment, ...] = ()
    amendment: Amendment | None = None  # the amendment these targets follow; None: as signed
    signed: tuple[Target, ...] = ()     # an amended version's signed targets (empty: `targets` are they)

    @property
    def signed_targets(self) -> tuple[Target, ...]:
        return self.signed or self.targets

    def in_force(self, month: int) -> Contract:
        end = month_end(self.year, month)
        current = next((a for a in reversed(self.amendments) if a.date <= end), None)
        if current is self.amendment:
            return self
        if current is None:
            return replace(self, targets=self.signed_targets, amendment=None, signed=())
        return replace(self, targets=current.targets, amendment=current, signed=self.signed_targets)

    def change_of(self, indicator: str) -> TargetChange | None:
        """The change of `indicator`'s target in this version against the signed contract (None: unchanged)."""
        if self.amendment is None:
            return None
        after = next((t for t in self.targets if t.indicator == indicator), None)
        before = next((t for t in self.signed_targets if t.indicator == indicator), None)
        if after is None or (before is not None and (before.target, before.weight) == (after.target, after.weight)):
            return None
        last = next(a for a in reversed(self.amendments) if a.date <= self.amendment.date and indicator in a.changed)
        return TargetChange(last.date, last.reason, None if before is None else before.target, after.target,
                            None if before is None else before.weight, after.weight)


class Decision:
    """An adjustment or a veto finding, decided on `date` (None: undated)."""

    date: dt.date | None

    def counts_from(self, year: int) -> int:
        """The first as-of month whose result for `year` counts it (scoring.md §4): its month when dated in
        the year, January when dated before it, December (the final result only) when dated after it or undated."""
        if self.date is None or self.date.year > year:
            return 12
        return self.date.month if self.date.year == year else 1


@dataclass(frozen=True)
class Adjustment(Decision):
    city: str
    points: float
    reason: str
    date: dt.date | None = None


@dataclass(frozen=True)
class Veto(Decision):
    city: str
    item: str
    reason: str
    date: dt.date | None = None


@dataclass(frozen=True)
class Assessment:
    year: int
    adjustments: tuple[Adjustment, ...] = ()
    vetoes: tuple[Veto, ...] = ()
    source: str | None = None

    def of_city(self, code: str, month: int = 12) -> tuple[tuple[Adjustment, ...], tuple[Veto, ...]]:
        """The adjustments and vetoes of one city that count as of `month`, in the order written (December, the
        final result: all of them)."""
        found = self._by_city.get(code)
        if found is None:  # most units of a year: none (asked once for each)
            return (), ()
        adjustments, vetoes = found
        return (tuple(a for a in adjustments if a.counts_from(self.year) <= month),
                tuple(v for v in vetoes if v.counts_from(self.year) <= month))

    def not_yet_counted(self, code: str, month: int) -> tuple[Decision, ...]:
        """The decisions of one city recorded for the year that a result as of `month` does not count yet."""
        found = self._by_city.get(code)
        if found is None:
            return ()
        adjustments, vetoes = found
        return tuple(d for d in (*adjustments, *vetoes) if d.counts_from(self.year) > month)

    @cached_property
    def _by_city(self) -> dict[str, tuple[tuple, tuple]]:  # scoring thousands of units asks once per unit
        cities = dict.fromkeys(x.city for x in (*self.adjustments, *self.vetoes))
        return {code: (tuple(a for a in self.adjustments if a.city == code),
                       tuple(v for v in self.vetoes if v.city == code)) for code in cities}


@dataclass(frozen=True)
class WarningRules:
    threshold_months: float = 2.0
    watch_months: float = 3.0
    lookback_months: int = 12
    report_days: int = 10         # days after the end of the first red month to report and file
    report_penalty: float = 2.0   # points an assessor is offered to deduct for a report not made in time


@dataclass(frozen=True)
class TrendRules:
    """How an indicator's direction (改善 / 持平 / 退步) is judged: its gap to the schedule now against `window`
    months before, a change within ±`flat_band` percentage points being 持平 (assessment/trends.py)."""

    window: int = 3
    flat_band: float = 0.5


@dataclass(frozen=True)
class DocumentRules:
    """What the signed documents say that is not scored: who signs for the province (the 甲方 of every 目标责任书)
    and the findings that fail a city outright (一票否决), as the 责任书 lists them."""

    issuer: str = "吉林省人民政府"
    veto_items: tuple[str, ...] = ("挤占挪用失业保险基金", "拖欠失业保险金")
    # the circular (通报) as a 公文: its issuing organ (the 红头), 发文字号 ({年}: the year it is issued), 主送,
    # 抄送 and 印发机关; the warning letter's organ and 发文字号 ({市州}: the city's name)
    organ: str = "吉林省劳动和社会保障厅"
    number: str = "吉劳社失字〔{年}〕××号"
    addressee: str = "各市（州）劳动和社会保障局"
    copy_to: tuple[str, ...] = ("劳动和社会保障部失业保险司", "吉林省人民政府办公厅")
    printer: str = "吉林省劳动和社会保障厅办公室"
    letter_organ: str = "{市州}失业保险经办机构"
    letter_number: str = "{市州}失保〔{年}〕××号"

    def circular_number(self, year: int) -> str:
        return self.number.format(年=year)

    def letter_organ_of(self, city: str) -> str:
        return self.letter_organ.format(市州=city)

    def letter_number_of(self, city: str, year: int) -> str:
        return self.letter_number.format(市州=city, 年=year)


@dataclass(frozen=True)
class Rules:
    total_points: float = 100.0
    bonus_cap: float = 5.0
    grades: tuple[tuple[str, float], ...] = (("优秀", 90.0), ("良好", 80.0), ("合格", 60.0), ("不合格", 0.0))
    excellent_quota: float | None = None
    progress_tolerance: float = 0.10
    warning: WarningRules = WarningRules()
    report_deadline_day: int = 10  # a month's figures are due on this day of the month after
    documents: DocumentRules = DocumentRules()
    trend: TrendRules = TrendRules()

    @property
    def failing_grade(self) -> str:
        return self.grades[-1][0]


def rules_in(schedule: tuple[tuple[dt.date | None, Rules], ...], year: int) -> Rules:
    """The rules in force on 1 January of `year` in a schedule of (from, rules), earliest first."""
    start = dt.date(year, 1, 1)
    return next(rules for since, rules in reversed(schedule) if since is None or since <= start)


@dataclass(frozen=True)
class Config:
    directory: Path
    cities: tuple[City, ...]
    measures: dict[str, Measure]
    indicators: dict[str, Indicator]
    schedule: tuple[tuple[dt.date | None, Rules], ...]  # scoring.yaml's rules from each day one changes on
    contracts: dict[tuple[int, str], Contract]
    assessments: dict[int, Assessment]
    files: tuple[str, ...] = ()  # every file of the folder, as its path within it (a/b.yaml)
    fingerprint: str = ""         # sha256 of those files as they were read
    checks: tuple[CheckRule, ...] = ()  # indicators.yaml's 审核公式
    counties: tuple[City, ...] = ()  # the units below the 市州 (cities.yaml's `counties:`), each with its parent
    province: City | None = None     # the unit that assesses the 市州 (cities.yaml's `province:`), if named

    def rules_for(self, year: int) -> Rules:
        """The rules a year is scored with: those in force on 1 January of it (schedule.py)."""
        return rules_in(self.schedule, year)

    @cached_property
    def rules(self) -> Rules:
        """The rules of the latest year with contracts (of this year when there is none): what a page or
        command that speaks of no particular year shows. Scoring a year uses `rules_for(year)`."""
        return self.rules_for(max(self.years(), default=clock.today().year))

    def city(self, code: str) -> City:
        """A 市州 or a unit below one, by its code."""
        return self._city_by_code[code]

    @cached_property
    def _city_by_code(self) -> dict[str, City]:
        return {c.code: c for c in self.units}

    @cached_property
    def units(self) -> tuple[City, ...]:
        """Every unit assessed: the 市州, then the units below them."""
        return self.cities + self.counties

    def children_of(self, code: str | None = None) -> tuple[City, ...]:
        """The units directly below `code`; below None (or the province): the 市州."""
        if code is None or (self.province is not None and code == self.province.code):
            return self.cities
        return self._children.get(code, ())

    @cached_property
    def _children(self) -> dict[str, tuple[City, ...]]:
        children: dict[str, list[City]] = {}
        for c in self.counties:
            children.setdefault(c.parent, []).append(c)
        return {code: tuple(units) for code, units in children.items()}

    def ancestors(self, code: str) -> tuple[str, ...]:
        """The codes of the units above a unit, nearest first, up to its 市州 (the province not included)."""
        chain = []
        unit = self._city_by_code.get(code)
        while unit is not None and unit.code in self._county_codes:
            chain.append(unit.parent)
            unit = self._city_by_code.get(unit.parent)
        return tuple(chain)

    @cached_property
    def _county_codes(self) -> frozenset[str]:
        return frozenset(c.code for c in self.counties)

    def level(self, code: str) -> int:
        """1 for a 市州, 2 for a 县（市、区） below it, 3 for a unit below that; 0 for the province."""
        if self.province is not None and code == self.province.code:
            return 0
        return len(self.ancestors(code)) + 1

    def within(self, code: str, unit: str) -> bool:
        """Whether `code` is `unit` or a unit below it (a 市州 user's own units)."""
        return code == unit or unit in self.ancestors(code)

    @cached_property
    def unit_lookup(self) -> dict[str, str]:
        """city_lookup and every unit below the 市州: its code, and its name and short name where no other unit
        is spelled so (朝阳区 may be a district of several cities)."""
        lookup = dict(self.city_lookup)
        names: dict[str, set[str]] = {}
        for c in self.counties:
            lookup.setdefault(c.code, c.code)
            for spelling in filter(None, (c.name, c.short)):
                names.setdefault(spelling, set()).add(c.code)
        for spelling, codes in names.items():
            if len(codes) == 1 and spelling not in lookup:
                lookup[spelling] = codes.pop()
        return lookup

    @cached_property
    def city_lookup(self) -> dict[str, str]:
        """Every spelling an official may use for a city → code: code, name, short name, and the name
        without its 市/州 (长春, 延边) where that is unambiguous."""
        lookup: dict[str, str] = {}
        for c in self.cities:
            for spelling in (c.code, c.name, c.short):
                if spelling:
                    lookup[spelling] = c.code
        bare: dict[str, set[str]] = {}
        for c in self.cities:
            for spelling in (c.name, c.short):
                if spelling and len(spelling) > 2 and spelling[-1] in "市州盟":
                    bare.setdefault(spelling[:-1], set()).add(c.code)
        for spelling, codes in bare.items():
            if len(codes) == 1 and spelling not in lookup:
                lookup[spelling] = codes.pop()
        return lookup

    @cached_property
    def indicator_kinds(self) -> dict[str, str]:
        """flow, stock or ratio for each indicator."""
        return {code: "ratio" if i.is_ratio else self.measures[i.measure].kind for code, i in self.indicators.items()}

    def years(self) -> list[int]:
        return sorted({year for year, _ in self.contracts})

    def contracts_for(self, year: int, parent: str | None = None, *, month: int | None = None) -> list[Contract]:
        """The year's contracts of the units directly below `parent`: by default the 市州's, those the
        province ranks; with a 市州's code, those it signed with its 县（市、区）. As signed, or, for a `month`,
        as in force at its end (目标调整)."""
        below = self._codes_below.get(parent)
        if below is None:
            below = self._codes_below[parent] = frozenset(c.code for c in self.children_of(parent))
        signed = [c for code, c in self._by_year.get(year, ()) if code in below]
        return signed if month is None else [c.in_force(month) for c in signed]

    @cached_property
    def _codes_below(self) -> dict[str | None, frozenset[str]]:
        """The codes of the units directly below each unit asked of `contracts_for` (a scoring asks four times)."""
        return {}

    @cached_property
    def _by_year(self) -> dict[int, list[tuple[str, Contract]]]:
        """Each year's (unit code, contract), by the contract's city: commands ask for a year's several times."""
        by_year: dict[int, list[tuple[str, Contract]]] = {}
        for (year, code), contract in self.contracts.items():
            by_year.setdefault(year, []).append((code, contract))
        return {year: sorted(pairs, key=lambda pair: pair[1].city) for year, pairs in by_year.items()}

    def contract(self, year: int, city: str, month: int = 12) -> Contract | None:
        """A unit's contract as in force at the end of `month` (December: the last version of the year)."""
        contract = self.contracts.get((year, city))
        return None if contract is None else contract.in_force(month)

    def assessment_for(self, year: int) -> Assessment:
        return self.assessments.get(year) or Assessment(year)

    def unit_of(self, indicator: str) -> str:
        return self.indicators[indicator].unit


# --- sign-in (config/access.yaml) -------------------------------------------------------------

PASSWORD, HEADER = "password", "header"


@dataclass(frozen=True)
class Grant:
    """What a user may see and do: their roles (joined by 、, as roles.roles_text) and, for a 市州 role, the city."""

    role: str
    city: str | None = None


@dataclass(frozen=True)
class AccessSettings:
    """How people sign in. `password`: accounts of this system (`scorecard user add`); `header`: the user
    name an organisation's single sign-on gateway puts in a request header, mapped to a role in `users`."""

    mode: str = PASSWORD
    idle_minutes: float = 30.0          # no activity for this long ends a sign-in
    max_hours: float = 12.0             # a sign-in ends after this long in any case
    header: str | None = None           # header mode: the request header with the user name
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")  # header mode: where that header may come from
    logout_url: str | None = None       # header mode: the gateway's sign-out page
    users: dict[str, Grant] = field(default_factory=dict)   # header mode: user name (lower case) → grant
    source: str | None = None           # the file, when there is one

    def grant_for(self, user: str) -> Grant | None:
        return self.users.get(user.strip().lower())
