"""The decisions a year's result counts: the YAML file's (`assessments/<year>.yaml`, 来自配置文件, changed only by
editing the file) and the assessors' decisions on record (records.decisions, 考评记录, in force and not withdrawn),
as the same Adjustment and Veto objects of the config, so that scoring treats both alike (scoring.md §4).

A decision on record is checked by the models of the file's entries (config.schema.AdjustmentEntry, VetoEntry),
its problems said in the file's words (config.translate), without the file's line.

The records store and the models of the file's entries are imported when used: scoring asks `with_recorded` for
every result, and most stores hold no decision (records.location tells without SQLAlchemy)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import years
from ..config import Adjustment, Config, Veto
from ..data import history
from ..data.store import Store
from ..errors import InputError
from ..records.location import RECORDS_URL_ENV, may_hold_decisions

if TYPE_CHECKING:
    from ..records.decisions import Content, RecordedDecision
    from ..records.evidence import Evidence
    from ..records.store import Records

FROM_FILE, ON_RECORD = "来自配置文件", "考评记录"
IN_FORCE, WITHDRAWN = "有效", "已撤销"


def records_of(store: Store) -> Records | None:
    """The records beside a data database, None when there are none yet (a SQLite file never made: nothing
    was decided; reading does not make one)."""
    import os

    from ..records.store import Records

    records = Records.beside(store.path)
    if not os.environ.get(RECORDS_URL_ENV, "").strip() and not records.path.exists():
        return None
    return records


def checked(config: Config, year: int, city, *, points: float | None = None, item: str | None = None,
            reason: str, decided_on: dt.date | None = None) -> Content:
    """A decision as typed (the city by code, name or short name), checked as the YAML file's entries are;
    refused in their words."""
    from pydantic import ValidationError

    from ..config.schema import AdjustmentEntry, VetoEntry
    from ..config.translate import messages
    from ..records.decisions import ADJUSTMENT, VETO, Content

    if not years.valid(year):
        raise InputError(years.refused(year))
    if (points is None) == (item is None):
        raise InputError("考评决定要么是加减分（分值），要么是一票否决（否决事项），二者选一")
    code = config.city_lookup.get(str(city).strip(), str(city))
    model, terms = (AdjustmentEntry, {"points": points}) if points is not None else (VetoEntry, {"item": item})
    typed = {"city": code, **terms, "reason": reason, "date": decided_on}
    context = {"cities": {c.code: c for c in config.cities}, "contracts": config.contracts, "year": year}
    try:
        entry = model.model_validate({k: v for k, v in typed.items() if v is not None}, context=context)
    except ValidationError as error:
        raise InputError("\n".join(messages(error, typed, model, model.what))) from None
    return Content(year, entry.city, ADJUSTMENT if model is AdjustmentEntry else VETO, getattr(entry, "points", None),
                   getattr(entry, "item", None), entry.reason, entry.date)


def in_force(records: Records | None, year: int, until: dt.datetime | None = None) -> list[RecordedDecision]:
    if records is None:
        return []
    from ..records import decisions as recorded

    return [d for d in recorded.latest(records, year, until) if not d.withdrawn]


def _recorded_by(store: Store) -> dt.datetime | None:
    """A store as of an import (`--as-of-import`) stands as it was right after it: the decisions counted are
    those recorded by then."""
    if store.as_of_import is None:
        return None
    return next((r.imported_at for r in history.imports(store) if r.import_id == store.as_of_import), None)


def with_recorded(config: Config, store: Store, year: int) -> Config:
    """The config with the decisions on record of `year` and of the year before (its final ranks) added to the
    YAML file's; the config itself when there are none."""
    if not may_hold_decisions(store.path, (year - 1, year)):
        return config
    from ..records.decisions import ADJUSTMENT, VETO

    records = records_of(store)
    if records is None:
        return config
    merged = dict(config.assessments)
    until = _recorded_by(store)
    for each in (year - 1, year):
        found = in_force(records, each, until)
        if found:
            base = config.assessment_for(each)
            merged[each] = dataclasses.replace(
                base,
                adjustments=base.adjustments + tuple(Adjustment(d.city, d.points, d.reason, d.decided_on)
                                                     for d in found if d.kind == ADJUSTMENT),
                vetoes=base.vetoes + tuple(Veto(d.city, d.item, d.reason, d.decided_on)
                                           for d in found if d.kind == VETO))
    return config if merged == config.assessments else dataclasses.replace(config, assessments=merged)


@dataclass(frozen=True)
class Listed:
    """One decision as listed, of either source."""

    source: str                      # FROM_FILE or ON_RECORD
    decision_id: int | None          # on record only
    version: int | None
    year: int
    city: str
    name: str
    kind: str
    points: float | None
    item: str | None
    reason: str
    decided_on: dt.date | None
    status: str
    author: str | None
    created_at: dt.datetime | None
    evidence: tuple[Evidence, ...] = ()

    @property
    def editable(self) -> bool:
        return self.source == ON_RECORD and self.status == IN_FORCE


def listing(config: Config, store: Store, year: int) -> list[Listed]:
    """The YAML file's decisions of a year, then those on record (withdrawn ones too, marked so)."""
    from ..records import decisions as recorded
    from ..records.decisions import ADJUSTMENT, VETO

    file = config.assessment_for(year)
    rows = [Listed(FROM_FILE, None, None, year, a.city, config.city(a.city).name, ADJUSTMENT, a.points, None,
                   a.reason, a.date, IN_FORCE, None, None) for a in file.adjustments]
    rows += [Listed(FROM_FILE, None, None, year, v.city, config.city(v.city).name, VETO, None, v.item, v.reason,
                    v.date, IN_FORCE, None, None) for v in file.vetoes]
    records = records_of(store)
    for d in ([] if records is None else recorded.latest(records, year)):
        name = config.city(d.city).name if d.city in config.city_lookup else d.city
        rows.append(Listed(ON_RECORD, d.decision_id, d.version, d.year, d.city, name, d.kind, d.points, d.item,
                           d.reason, d.decided_on, WITHDRAWN if d.withdrawn else IN_FORCE, d.author, d.created_at,
                           d.evidence))
    return rows


def listed_dict(row: Listed) -> dict:
    return {"source": row.source, "id": row.decision_id, "version": row.version, "year": row.year,
            "city": row.city, "name": row.name, "kind": row.kind, "points": row.points, "item": row.item,
            "reason": row.reason, "date": row.decided_on.isoformat() if row.decided_on else None,
            "status": row.status, "author": row.author,
            "created_at": row.created_at.isoformat(timespec="seconds") if row.created_at else None,
            "evidence": [{"file_name": e.file_name, "kind": e.kind, "size": e.size, "sha256": e.sha256}
                         for e in row.evidence]}
