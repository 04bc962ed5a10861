"""The rule checks' results as a caseworker reads them (issue 17 §3): one finding per person and case, with the
evidence to verify (核查) in words, the amount of benefit in question, and a key that stays the same from one run
to the next. What counts as a finding is decided by the Ibis expressions of checks.py alone; this module only
groups their rows, words the evidence, and shows each person as the reader's role may see them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

from ..config import Config
from ..errors import InputError
from ..roles import Principal
from . import settings as record_settings
from .engines import connected, fetched
from .masking import shown_name, shown_person
from .store import PersonStore

RULE_ORDER = ("ineligible", "hidden_employment", "late_enrolment")
# the first word of a finding's key (发现编号), which caseworkers see on the page and type at `records verify`
KEY_WORDS = {"ineligible": "不符合条件", "hidden_employment": "隐性就业", "late_enrolment": "未及时纳入"}


@dataclass(frozen=True)
class Finding:
    rule: str
    key: str               # 规则:person:case (_key), the same in every run on the same records
    city: str
    person: str            # the start of the id's keyed hash (the id itself is not kept)
    person_name: str | None
    amount: float          # benefit paid in the periods in question (元); 0 for late enrolment
    evidence: tuple[str, ...]
    payments: tuple[tuple[str, dt.date, float], ...] = ()   # (claim, period, amount paid) of those periods


def _payments(rows: pd.DataFrame) -> tuple[tuple[str, dt.date, float], ...]:
    # columns as lists, not itertuples: a namedtuple class made per group, thousands of groups
    return tuple(sorted((str(claim), pd.Timestamp(period).date(), float(amount)) for claim, period, amount
                        in zip(rows["claim_id"].tolist(), rows["period"].tolist(), rows["amount_paid"].tolist())))


def _first(rows: pd.DataFrame, column: str):
    """The first row's value (not rows.iloc[0]: a whole row made for one value)."""
    return rows[column].iat[0]


def _month(value) -> str:
    return f"{value.year}年{value.month}月"


def _day(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _money(value: float) -> str:
    return f"{value:,.2f}元"


def _periods(months: Iterable) -> str:
    return "、".join(_month(m) for m in sorted(set(months)))


def _sum(amounts: pd.Series) -> float:
    """元 to the cent (the amounts come as float64)."""
    return round(float(amounts.sum()), 2)


def ineligible(con, year: int, settings, as_of) -> list[Finding]:
    from . import checks

    rows = fetched(checks.ineligible_paid(con, year, settings.ineligible_reasons, as_of))
    found = []
    for (claim, person), group in rows.groupby(["claim_id", "person_id"], sort=True):
        code = _first(group, "separation_reason")
        reason = settings.ineligible_reasons.get(code, code)
        found.append(Finding(
            "ineligible", _key("ineligible", person, claim), _first(group, "city"), person,
            _first(group, "person_name"), _sum(group.amount_paid),
            (f"申领编号{claim}，离职原因代码{code}（{reason}），按规定不得领取失业保险金",
             f"已发放{_periods(group.period)}，共{len(group)}期{_money(_sum(group.amount_paid))}"),
            _payments(group)))
    return found


def hidden_employment(con, year: int, settings, as_of) -> list[Finding]:
    from . import checks

    missing = fetched(checks.missing_minimum_wages(con, year, settings, as_of))
    if not missing.empty:
        where = "；".join(f"{city} {_periods(group.month)}" for city, group in missing.groupby("city"))
        raise InputError(f"records.yaml 的 minimum_wages 没有这些市州、月份的最低工资标准，无法检查隐性就业：{where}")
    found = []
    runs = fetched(checks.hidden_wage_runs(con, year, settings, as_of))
    paid = {} if runs.empty else {key: rows for key, rows in fetched(
        checks.hidden_wage_payments(con, year, settings, as_of, runs)).groupby(["person_id", "run_start"])}
    for (person, start), group in runs.groupby(["person_id", "run_start"], sort=True):
        drawn = paid[person, start]
        lines = [f"{_month(month)} 单位{employer} 缴费工资{_money(wage)}（最低工资{_money(minimum)}）"
                 for month, employer, wage, minimum in zip(*(group[c].tolist() for c in
                                                             ("month", "employer", "wage", "minimum")))]
        found.append(Finding(
            "hidden_employment", _key("hidden_employment", person, "工资", f"{start:%Y-%m}"),
            _first(group, "city"), person, _first(drawn, "person_name"), _sum(drawn.amount_paid),
            (f"领取失业保险金期间连续{int(_first(group, 'run_months'))}个月有不低于最低工资的缴费工资记录",
             *lines, f"这些月份已发放失业保险金{_money(_sum(drawn.amount_paid))}"),
            _payments(drawn)))
    registered = fetched(checks.registered_before_paid(con, year, as_of))
    for (person, kind, day), group in registered.groupby(["person_id", "kind", "registered_on"], sort=True):
        what = checks.KIND_NAMES.get(kind, kind)
        found.append(Finding(
            "hidden_employment", _key("hidden_employment", person, what, f"{day:%Y-%m-%d}"),
            _first(group, "city"), person, _first(group, "person_name"), _sum(group.amount_paid),
            (f"{_day(day)}取得{what}", f"此后仍发放{_periods(group.period)}，共{_money(_sum(group.amount_paid))}"),
            _payments(group)))
    return found


def late_enrolment(con, year: int, settings, as_of) -> list[Finding]:
    from . import checks

    days = settings.transition_enrol_days
    rows = fetched(checks.late_enrolled(con, year, days, as_of))
    found = []
    for r in rows.itertuples():
        taken = ("至今未申领失业保险金" if pd.isna(r.first_approval)
                 else f"{_day(r.first_approval)}才核准申领，用了{int(r.days_taken)}天")
        found.append(Finding(
            "late_enrolment", _key("late_enrolment", r.person_id, f"{r.agreement_end:%Y-%m-%d}"), r.city,
            r.person_id, r.person_name, 0.0,
            (f"再就业服务中心协议{_day(r.agreement_end)}期满，应在{days}天内纳入失业保险", taken)))
    return found


CHECKS = {"ineligible": ineligible, "hidden_employment": hidden_employment, "late_enrolment": late_enrolment}


def findings(store: PersonStore, config: Config, year: int, rules: Iterable[str] = RULE_ORDER,
             engine: str = "duckdb", as_of: int | None = None) -> list[Finding]:
    """Every finding of the rules, ordered by city, rule and key; person ids as their keyed hash."""
    rules = list(rules)
    unknown = [r for r in rules if r not in CHECKS]
    if unknown:
        raise InputError(f"没有这项规则检查：{'、'.join(unknown)}（可选：{'、'.join(RULE_ORDER)}）")
    settings = record_settings.load(config.directory)
    with connected(engine, store, settings.spark) as con:
        found = [f for rule in rules for f in CHECKS[rule](con, year, settings, as_of)]
    return sorted(found, key=lambda f: (f.city, RULE_ORDER.index(f.rule), f.key))


def seen(found: Iterable[Finding], principal: Principal) -> list[Finding]:
    """The findings a person may see: their cities only, the person by the start of the hash, the name masked
    unless their role checks records."""
    return [replace(f, person=shown_person(f.person), person_name=shown_name(principal, f.person_name))
            for f in found if principal.may_see(f.city)]


def _key(rule: str, person: str, *case: str) -> str:
    """A finding's key: the rule's word, the start of the person's keyed hash and what makes the case one."""
    return ":".join((KEY_WORDS[rule], shown_person(person), *map(str, case)))
