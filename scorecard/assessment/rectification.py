"""What calls for corrective action (整改) in a year, and a plan as typed, checked.

A finding is either an indicator of a city's contract 严重滞后 (formulas.FAR_BEHIND: more than the tolerance
below the pace, scoring.md §6) at the year's latest month with data — the month the year is scored as of, so
December once December is in; a city behind in spring that caught up by the year's end owes no plan — or, once
December is in, a city 不合格 at the year's end or vetoed (一票否决). `findings` is the one list the page and the
command line use; `plans_for` is what drafting next year's contract reads of the year before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import clock
from ..config import Config
from ..data.store import Store
from ..errors import InputError
from ..records import rectification as recorded
from ..records.rectification import MILESTONE_STATES, DONE, Content, Plan
from .decisions import records_of
from .formulas import FAR_BEHIND, STATUS_NAMES
from .results import YearResult
from .scoring import score_year

YEAR_END = "year_end"
MEASURES_MAX, OWNER_MAX, TEXT_MAX, MILESTONES_MAX = 4000, 40, 500, 20


@dataclass(frozen=True)
class Finding:
    year: int
    city: str
    city_name: str
    key: str            # "indicator:<code>" or YEAR_END: one plan per finding
    text: str           # 新增参保人数严重滞后（截至12月） / 年终考评不合格（一票否决：挤占挪用基金）


def findings(config: Config, store: Store, year: int, city: str | None = None) -> list[Finding]:
    """Every finding of the year (of one city when given), by the result's order of cities, then the contract's."""
    return findings_in(score_year(config, store, year), city)


def findings_in(result: YearResult, city: str | None = None) -> list[Finding]:
    """The findings of a year's result scored as of its latest month (`score_year` without a month)."""
    year, found = result.year, []
    for c in result.cities:
        if city is not None and c.code != city:
            continue
        if not result.provisional and (c.vetoed or c.grade == result.rules.failing_grade):
            veto = f"（一票否决：{'、'.join(c.veto_items)}）" if c.vetoed else ""
            found.append(Finding(year, c.code, c.name, YEAR_END, f"年终考评{c.grade}{veto}"))
        found += [Finding(year, c.code, c.name, f"indicator:{i.code}",
                          f"{i.name}{STATUS_NAMES[FAR_BEHIND]}（截至{result.month}月）")
                  for i in c.indicators if i.status == FAR_BEHIND]
    return found


def _text(value, what: str, longest: int, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise InputError(f"请填写{what}")
    if len(text) > longest:
        raise InputError(f"{what}最多{longest}个字，现在是{len(text)}个字")
    return text


def _date(value, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{what}应为日期，写成2004-03-31，现在是“{text}”") from None


def checked(finding: Finding, *, measures, owner, milestones) -> Content:
    """A plan for `finding` as typed: measures, 责任人, and milestones as (date, description) pairs (a date may be
    typed as 2004-03-31). The dates lie from 1 January of the year to the end of the year after next."""
    measures = _text(measures, "整改措施", MEASURES_MAX)
    owner = _text(owner, "责任人", OWNER_MAX)
    milestones = [m for m in milestones or () if any(str(part or "").strip() for part in m)]
    if not milestones:
        raise InputError("请至少填写一个整改节点（完成日期和内容）")
    if len(milestones) > MILESTONES_MAX:
        raise InputError(f"整改节点最多{MILESTONES_MAX}个，现在是{len(milestones)}个")
    first, last = dt.date(finding.year, 1, 1), dt.date(finding.year + 2, 12, 31)
    kept = []
    for number, (due, description) in enumerate(milestones, start=1):
        due = _date(due, f"第{number}个节点的完成日期")
        if not first <= due <= last:
            raise InputError(f"第{number}个节点的完成日期{due:%Y-%m-%d}不在{finding.year}年1月1日至"
                             f"{finding.year + 2}年12月31日之间")
        kept.append((due, _text(description, f"第{number}个节点的内容", TEXT_MAX)))
    return Content(finding.year, finding.city, finding.key, finding.text, measures, owner,
                   tuple(sorted(kept, key=lambda m: m[0])))


def checked_progress(status, completed_on, note) -> tuple[str, dt.date | None, str | None]:
    """A milestone's status as typed: 已完成 needs its completion date, which is not in the future."""
    if status not in MILESTONE_STATES:
        raise InputError(f"节点状态应为{'、'.join(MILESTONE_STATES)}之一，现在是“{status}”")
    note = _text(note, "说明", TEXT_MAX, required=False) or None
    if status != DONE:
        return status, None, note
    if completed_on in (None, ""):
        raise InputError("节点已完成时请填写完成日期")
    done = _date(completed_on, "完成日期")
    if done > clock.today():
        raise InputError(f"完成日期{done:%Y-%m-%d}晚于今天（{clock.today():%Y-%m-%d}）")
    return status, done, note


def finding_of(config: Config, store: Store, year: int, city: str, key: str) -> Finding:
    for finding in findings(config, store, year, city):
        if finding.key == key:
            return finding
    name = config.city(city).name if city in config.city_lookup else city
    raise InputError(f"{year}年度{name}没有需要整改的这一项（只有严重滞后的指标和年终不合格、被一票否决的市州须报送整改方案）")


def plans_for(store: Store, year: int, city: str | None = None) -> list[Plan]:
    """A city's plans of a year (every city's without one), every version kept: what drafting the next year's
    contract shows again."""
    records = records_of(store)
    return [] if records is None else recorded.plans(records, year, city)


def overdue_plans(store: Store, city: str, today: dt.date) -> list[Plan]:
    """A city's plans of any year with a milestone past its date and not completed."""
    records = records_of(store)
    return [] if records is None else [p for p in recorded.plans(records, city=city) if p.overdue(today)]


def milestone_lines(text: str) -> list[tuple[str, str]]:
    """Milestones typed one a line, the date first: 2004-03-31 完成摸底 (a full-width space or a tab may part them)."""
    found = []
    for line in str(text or "").splitlines():
        parts = line.strip().split(None, 1)  # str.split parts at a full-width space too
        if parts:
            found.append((parts[0], parts[1] if len(parts) > 1 else ""))
    return found
