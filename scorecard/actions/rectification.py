"""Corrective action plans (整改方案): a city files and revises its own plans and reports its milestones (roles.REPORT,
for its own city only); the province accepts or returns a plan (roles.REVIEW). The permission is checked here; a
refusal — of the permission or of another city — is written to the audit log."""

from __future__ import annotations

import datetime as dt

from .decisions import permitted, permitted_for_city
from ..assessment import rectification as core
from ..assessment.decisions import records_of
from ..config import Config
from ..data.store import Store
from ..errors import InputError
from ..records import rectification as recorded
from ..records.audit import Actor
from ..records.rectification import Plan
from ..roles import REPORT, REVIEW, Principal

REASON_MAX = 1000



def _name(config: Config):
    return lambda code: config.city(code).name if code in config.city_lookup else code


def file_plan(store: Store, by: Principal, config: Config, year: int, city: str, finding: str, *, measures: str,
              owner: str, milestones, address: str | None = None) -> Plan:
    """A city's plan for one of its findings of `year` (`finding`: the finding's key)."""
    records = permitted_for_city(store, by, REPORT, config, city, "报送整改方案", address)
    content = core.checked(core.finding_of(config, store, year, city, finding), measures=measures, owner=owner,
                           milestones=milestones)
    saved = recorded.file(records, content, actor=Actor.of(by, address), city_name=_name(config)(city))
    return saved


def _existing(store: Store, plan_id: int) -> Plan:
    records = records_of(store)
    if records is None:
        raise InputError(f"没有编号为{plan_id}的整改方案")
    return recorded.plan(records, plan_id)


def revise_plan(store: Store, by: Principal, config: Config, plan_id: int, *, measures: str, owner: str,
                milestones, address: str | None = None) -> Plan:
    """A new version of a returned (or not yet reviewed) plan, for review again."""
    permitted(store, by, REPORT, "修改整改方案", address)
    current = _existing(store, plan_id)
    records = permitted_for_city(store, by, REPORT, config, current.city, "修改整改方案", address)
    finding = core.Finding(current.year, current.city, _name(config)(current.city), current.finding,
                           current.finding_text)
    content = core.checked(finding, measures=measures, owner=owner, milestones=milestones)
    saved = recorded.revise(records, plan_id, content, actor=Actor.of(by, address), city_name=finding.city_name)
    return saved


def review_plan(store: Store, by: Principal, config: Config, plan_id: int, *, accepted: bool,
                reason: str | None = None, address: str | None = None) -> Plan:
    """通过, or 退回 with a reason (required)."""
    records = permitted(store, by, REVIEW, "审核整改方案", address)
    reason = (reason or "").strip() or None
    if not accepted and reason is None:
        raise InputError("退回整改方案须写明理由")
    if reason and len(reason) > REASON_MAX:
        raise InputError(f"理由最多{REASON_MAX}个字，现在是{len(reason)}个字")
    saved = recorded.review(records, plan_id, accepted=accepted, reason=reason, actor=Actor.of(by, address),
                            city_name=_name(config))
    return saved


def report_milestone(store: Store, by: Principal, config: Config, plan_id: int, position: int, *, status: str,
                     completed_on: dt.date | str | None = None, note: str | None = None,
                     address: str | None = None) -> Plan:
    permitted(store, by, REPORT, "填报整改节点进展", address)
    current = _existing(store, plan_id)
    records = permitted_for_city(store, by, REPORT, config, current.city, "填报整改节点进展", address)
    status, completed_on, note = core.checked_progress(status, completed_on, note)
    saved = recorded.report_milestone(records, plan_id, position, status=status, completed_on=completed_on,
                                      note=note, actor=Actor.of(by, address), city_name=_name(config))
    return saved
