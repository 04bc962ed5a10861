"""A caseworker's outcome of a person-record finding (核查结果) recorded: a city's reporter (市州填报) for their
own city or the province's reviewer (省级审核), refusals audited; the outcome and its audit line one unit."""

from __future__ import annotations

from .decisions import permitted, permitted_for_city
from ..assessment.person_findings import checked
from ..config import Config
from ..data.store import Store
from ..errors import InputError
from ..microdata.checks import RULES
from ..records import finding_checks as recorded
from ..records.audit import Actor
from ..records.finding_checks import NOT_CONFIRMED, OUTCOMES, FindingCheck
from ..roles import REPORT, REVIEW, Principal

WHAT = "登记规则核查结果"


def permission_for(by: Principal) -> str:
    """The province's reviewers record outcomes as reviewers (any city), everyone else as a city's reporter."""
    return REVIEW if by.may(REVIEW) else REPORT


def record_outcome(store: Store, by: Principal, config: Config, year: int, finding: str, outcome: str,
                   note: str | None = None, *, engine: str = "duckdb", address: str | None = None) -> FindingCheck:
    """`finding`: a finding's key as `records check` lists it; `outcome` 属实 or 不属实 (with the reason)."""
    permission = permission_for(by)
    # the person records may stand alone, without monthly totals beside them
    permitted(store, by, permission, WHAT, address, existing=False)
    if outcome not in OUTCOMES:
        raise InputError(f"核查结果只能是{'或'.join(OUTCOMES)}，不是“{outcome}”")
    note = (note or "").strip() or None
    if outcome == NOT_CONFIRMED and note is None:
        raise InputError("核查不属实的，须写明理由（核查了什么、为什么不属实）")
    if note is not None and len(note) > 2000:
        raise InputError("核查说明不能超过2000字")
    rule = finding.split(":", 1)[0]
    found = {r.finding.key: r for r in checked(store, config, year, by, [rule] if rule in RULES else RULES,
                                               engine)}
    if finding not in found:
        raise InputError(f"{year}年度没有这条检查发现：“{finding}”（scorecard records check --year {year} 可查看）")
    item = found[finding].finding
    records = permitted_for_city(store, by, permission, config, item.city, WHAT, address, existing=False)
    name = config.city(item.city).name
    return recorded.add(records, year, item.city, item.rule, item.key, outcome, item.amount, note,
                        actor=Actor.of(by, address),
                        detail=f"{name}{RULES[item.rule]}：{item.key}核查{outcome}" + (f"（{note}）" if note else ""))
