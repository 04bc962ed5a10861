"""Assessors' decisions (考评决定) recorded, edited and withdrawn: on the 考评决定 page or by `scorecard assess`.
The permission is checked here (roles.DECIDE); a refusal is written to the audit log. Evidence files are checked
(type by content, size) and kept beside the data before the version and its audit line are written in one
transaction; a file kept for a version that then fails is taken away again."""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack

from ..assessment import decisions as core
from ..config import Config
from ..data.store import Store, StoreError, missing_text
from ..errors import InputError
from ..records import audit, decisions as recorded, evidence as files
from ..records.audit import Actor
from ..records.decisions import RecordedDecision
from ..records.store import Records
from ..roles import DECIDE, AccessDenied, Principal, require, require_city


def permitted(store: Store, by: Principal, permission: str, what: str, address: str | None = None, *,
              existing: bool = True) -> Records:
    """The records beside a data database (an existing one, unless not `existing`: an import may make it), when
    `by` may `permission`; a refusal is audited."""
    if existing and not store.exists():
        raise StoreError(missing_text(store.path))
    records = Records.beside(store.path)
    try:
        require(by, permission)
    except AccessDenied as refused:
        audit.record(records, Actor.of(by, address), audit.DENIED, outcome=audit.REFUSED, target=refused.target,
                     detail=f"{what}：{refused}")
        raise
    return records


def permitted_for_city(store: Store, by: Principal, permission: str, config: Config, city: str, what: str,
                       address: str | None = None, *, existing: bool = True) -> Records:
    """`permitted`, and for `city`: a principal who may not see that city is refused, and audited, as well."""
    records = permitted(store, by, permission, what, address, existing=existing)
    try:
        require_city(by, city, config)
    except AccessDenied as refused:
        audit.record(records, Actor.of(by, address), audit.DENIED, outcome=audit.REFUSED, target=refused.target,
                     detail=f"{what}：{refused}")
        raise
    return records


def with_evidence(store: Store, offered, write):
    """Evidence offered as paths or (path, file name as uploaded) pairs, checked and kept, then `write(kept)`;
    the files this call kept are taken away again when the write fails."""
    checked = [files.checked(*(item if isinstance(item, tuple) else (item,))) for item in offered or ()]
    with ExitStack() as stack:
        copies = []
        for path, item in checked:
            copy = files.EvidenceCopy(store, item.sha256)
            stack.callback(copy.close)
            copy.write(path)
            copy.keep()
            copies.append(copy)
        try:
            return write(tuple(item for _, item in checked))
        except BaseException:
            for copy in copies:
                copy.drop()
            raise


def add_decision(store: Store, by: Principal, config: Config, year: int, city, *, reason: str,
                 points: float | None = None, item: str | None = None, decided_on: dt.date | None = None,
                 evidence=(), address: str | None = None) -> RecordedDecision:
    records = permitted(store, by, DECIDE, "登记考评决定", address)
    content = core.checked(config, year, city, points=points, item=item, reason=reason, decided_on=decided_on)
    saved = with_evidence(store, evidence, lambda kept: recorded.add(
        records, content, kept, actor=Actor.of(by, address), city_name=config.city(content.city).name))
    return saved


def _change_reason(reason: str | None) -> str:
    if not (reason or "").strip():
        raise InputError("修改或撤销考评决定须写明理由")
    return reason.strip()


def edit_decision(store: Store, by: Principal, config: Config, decision_id: int, *, change_reason: str,
                  reason: str, points: float | None = None, item: str | None = None,
                  decided_on: dt.date | None = None, evidence=None, address: str | None = None) -> RecordedDecision:
    """A corrected version (the city and the year stay); `evidence` None keeps the version before's files."""
    records = permitted(store, by, DECIDE, "修改考评决定", address)
    why = _change_reason(change_reason)
    current = _current(records, decision_id)
    content = core.checked(config, current.year, current.city, points=points, item=item, reason=reason,
                           decided_on=decided_on)
    saved = with_evidence(store, evidence, lambda kept: recorded.new_version(
        records, decision_id, actor=Actor.of(by, address), change_reason=why, content=content,
        evidence=None if evidence is None else kept, city_name=lambda code: config.city(code).name))
    return saved


def withdraw_decision(store: Store, by: Principal, config: Config, decision_id: int, *, change_reason: str,
                      address: str | None = None) -> RecordedDecision:
    records = permitted(store, by, DECIDE, "撤销考评决定", address)
    why = _change_reason(change_reason)
    saved = recorded.new_version(records, decision_id, actor=Actor.of(by, address), change_reason=why,
                                 withdraw=True, city_name=lambda code: config.city(code).name)
    return saved


def _current(records: Records, decision_id: int) -> RecordedDecision:
    found = recorded.versions(records, decision_id=decision_id)
    if not found:
        raise InputError(f"没有编号为{decision_id}的考评决定（scorecard assess list 可查看）")
    return found[-1]
