"""The rule findings of the person records with their caseworkers' outcomes (核查), and what follows for a city:
违规领取金额占比 — the benefit paid in the periods of findings not found untrue (属实 or still 待核查), each
payment counted once, over all benefit paid in the year — and the deduction offered to the assessors for the
findings confirmed (records.yaml deductions). The scorer takes the same figure when a contract has the indicator
违规领取金额占比 (improper_payment_share): `improper_payments` decides, once, which payments count, for the page,
the command, the workbook and the score alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .. import formatting as fmt
from ..config import Config
from ..config.model import AMOUNT_PAID
from ..data.store import Store
from ..microdata import settings as record_settings
from ..microdata.checks import LATE_ENROLMENT, RULES
from ..microdata.findings import RULE_ORDER, Finding, findings, seen
from ..microdata.scored import cached
from ..microdata.store import PersonStore
from ..records.finding_checks import CONFIRMED, NOT_CONFIRMED, FindingCheck, in_force
from ..roles import Principal
from .decisions import records_of
from .warning_duty import Suggestion

PENDING = "待核查"
IMPROPER_RULES = tuple(r for r in RULE_ORDER if r != LATE_ENROLMENT)   # the rules whose findings were paid benefit


@dataclass(frozen=True)
class CheckedFinding:
    city: str
    finding: Finding
    check: FindingCheck | None     # the outcome in force, None while not checked

    @property
    def status(self) -> str:
        return self.check.outcome if self.check else PENDING

    @property
    def stands(self) -> bool:
        """Counted as improper: confirmed, or not yet checked."""
        return self.status != NOT_CONFIRMED


@dataclass(frozen=True)
class CityFindings:
    city: str
    name: str
    found: int
    pending: int
    confirmed: int
    not_confirmed: int
    improper_amount: float     # 元, each payment once
    paid_amount: float         # 元, every benefit payment of the year in the records

    @property
    def improper_share(self) -> float | None:
        """违规领取金额占比 (a fraction, as every rate here), None when nothing was paid."""
        return self.improper_amount / self.paid_amount if self.paid_amount > 0 else None


def checked(store: Store, config: Config, year: int, principal: Principal, rules: Iterable[str] = RULE_ORDER,
            engine: str = "duckdb", as_of: int | None = None) -> list[CheckedFinding]:
    """The findings `principal` may see (their cities, persons masked by role), each with its outcome in force."""
    return with_outcomes(store, year, findings(PersonStore.beside(store.path), config, year, rules, engine, as_of),
                         principal)


def with_outcomes(store: Store, year: int, found: list[Finding], principal: Principal) -> list[CheckedFinding]:
    """`found` as `principal` may see it, each finding with its outcome in force."""
    return _with_outcomes(store, year, seen(found, principal))


def _with_outcomes(store: Store, year: int, found: Iterable[Finding]) -> list[CheckedFinding]:
    records = records_of(store)
    outcomes = {} if records is None else in_force(records, year)
    return [CheckedFinding(f.city, f, outcomes.get(f.key)) for f in found]


def improper_payments(rows: Iterable[CheckedFinding]) -> dict[str, dict[tuple[str, dt.date], float]]:
    """city → (claim, period) → amount paid (元): the payments counted in 违规领取金额 — those of the findings
    of IMPROPER_RULES that stand (属实 or 待核查) — each payment once however many findings name it."""
    improper: dict[str, dict[tuple[str, dt.date], float]] = {}
    for r in rows:
        if r.stands and r.finding.rule in IMPROPER_RULES:
            own = improper.setdefault(r.finding.city, {})
            for claim, period, amount in r.finding.payments:
                own[claim, period] = amount
    return improper


def scored_improper(config: Config, store: Store, year: int) -> dict[str, dict[tuple[str, dt.date], float]]:
    """`improper_payments` of every city, for the scorer: the findings as the person records give them (kept
    while the file is unchanged: microdata.scored.cached), the outcomes in force read now."""
    persons = PersonStore.beside(store.path)
    found = cached(persons, config, year, "findings", lambda: findings(persons, config, year, IMPROPER_RULES))
    return improper_payments(_with_outcomes(store, year, found))


def paid_amounts(store: Store, config: Config, year: int, engine: str = "duckdb",
                 as_of: int | None = None) -> dict[str, float]:
    """city → benefit paid in the year (元), from the person records."""
    from ..microdata.measures import derived_frame

    frame = derived_frame(PersonStore.beside(store.path), config, year, engine, as_of)
    paid = frame[frame["measure"] == AMOUNT_PAID]
    return {city: float(rows["value"].sum()) for city, rows in paid.groupby("city")}


def by_city(config: Config, rows: list[CheckedFinding], paid: dict[str, float],
            principal: Principal) -> list[CityFindings]:
    """Every city `principal` may see with records paid or findings, in the configured order."""
    cities = [c for c in config.cities if principal.may_see(c.code) and (
        c.code in paid or any(r.finding.city == c.code for r in rows))]
    improper = improper_payments(rows)
    result = []
    for city in cities:
        own = [r for r in rows if r.finding.city == city.code]
        result.append(CityFindings(
            city.code, city.name, len(own), sum(r.status == PENDING for r in own),
            sum(r.status == CONFIRMED for r in own), sum(r.status == NOT_CONFIRMED for r in own),
            round(sum(improper.get(city.code, {}).values()), 2), round(paid.get(city.code, 0.0), 2)))
    return result


def suggestions(config: Config, year: int, rows: list[CheckedFinding],
                cities: list[CityFindings]) -> list[Suggestion]:
    """Per city with findings confirmed: a deduction of records.yaml's `per_finding` points each, at most `most`."""
    rules = record_settings.load(config.directory).deductions
    offered = []
    for city in cities:
        confirmed = [r for r in rows if r.finding.city == city.city and r.status == CONFIRMED]
        if not confirmed:
            continue
        counts = "、".join(f"{RULES[rule]}{n}起" for rule in RULE_ORDER
                          if (n := sum(r.finding.rule == rule for r in confirmed)))
        share = city.improper_share
        facts = f"涉及金额{city.improper_amount:,.2f}元" + (
            f"，违规领取金额占比{fmt.percent(share, 2)}" if share is not None else "")
        when = max(r.check.created_at for r in confirmed)
        points = -round(min(rules.most, rules.per_finding * len(confirmed)), 2)
        offered.append(Suggestion(city.city, city.name, points,
                                  f"{year}年度个人记录规则核查属实{len(confirmed)}起（{counts}）",
                                  dt.date(when.year, when.month, when.day), facts))
    return offered
