"""The duty to report (预警报告, 吉政办发〔2003〕4号 第六条), checked: `red_episodes` finds each run of red
months and whether it was reported in time, `must_report` the cities that must report now, and `suggestions`
turns the late or missing reports into adjustments an assessor may choose to record. Nothing here changes a
score.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .. import clock
from ..config import Config
from ..data.store import Store
from ..records.store import Records
from ..records.warning_reports import WarningReport, current_reports
from .decisions import in_force, records_of
from .fund import RED, FundStatus, fund_statuses, month_index

PROJECTION_MONTHS = 3  # projected red within this many months: report in advance
REPORTED, PENDING, FLAGGED = "reported", "pending", "flagged"
DUTY_NAMES = {REPORTED: "按规定报告", PENDING: "报告期限未到", FLAGGED: "未按规定报告"}



@dataclass(frozen=True)
class Episode:
    """A run of consecutive red months of one city, and the report that covers it (if any)."""

    city: str
    name: str
    months: tuple[tuple[int, int], ...]
    lowest_capacity: float
    deadline: dt.date
    report: WarningReport | None
    problem: str | None       # why the duty is not met, None when reported in time
    overdue: bool             # the deadline has passed with the problem unresolved

    @property
    def start(self) -> tuple[int, int]:
        return self.months[0]

    @property
    def flagged(self) -> bool:
        """未按规定报告: shown on the warning and assessment pages."""
        return self.overdue

    @property
    def duty(self) -> str:
        """REPORTED in time, PENDING (not yet, the deadline is still ahead) or FLAGGED."""
        if self.problem is None:
            return REPORTED
        return FLAGGED if self.overdue else PENDING

    @property
    def duty_name(self) -> str:
        return DUTY_NAMES[self.duty]


@dataclass(frozen=True)
class Suggestion:
    city: str
    name: str
    points: float
    reason: str
    date: dt.date  # when the failure to report was established: the day after the deadline
    facts: str = ""  # the months below the line, the deadline and the report's status: the evidence on record

    @property
    def recorded_reason(self) -> str:
        """The reason of the decision recorded with one click: the suggestion's, with the facts behind it."""
        return f"{self.reason}。{self.facts}" if self.facts else self.reason

    def as_yaml(self) -> str:
        return (f'  - {{city: "{self.city}", points: {self.points:g}, reason: {self.reason}, '
                f'date: {self.date:%Y-%m-%d}}}')


def _deadline(year: int, month: int, days: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1]) + dt.timedelta(days=days)


def _episodes(statuses: list[FundStatus]) -> list[list[FundStatus]]:
    runs: list[list[FundStatus]] = []
    for status in statuses:
        continues = (runs and runs[-1][-1].city == status.city
                     and month_index(runs[-1][-1].year, runs[-1][-1].month) == month_index(status.year, status.month) - 1)
        if status.level != RED:
            continue
        if continues:
            runs[-1].append(status)
        else:
            runs.append([status])
    return runs


def red_episodes(config: Config, con, store: Store, year: int, month: int, *, cities=None,
                 today: dt.date | None = None) -> list[Episode]:
    """Every run of red months that touches `year` up to `month`, with its reporting duty checked."""
    today = today or clock.today()
    rules = config.rules_for(year).warning
    statuses = [s for y in (year - 1, year) for s in
                fund_statuses(config, con, store, y, 1, 12 if y < year else month, cities)]
    statuses.sort(key=lambda s: (s.city, s.year, s.month))
    reports = current_reports(Records.beside(store.path))  # the reports live beside the data (records.store)
    episodes = []
    for run in _episodes(statuses):
        if run[-1].year != year:
            continue
        months = tuple((s.year, s.month) for s in run)
        first = run[0]
        deadline = _deadline(first.year, first.month, rules.report_days)
        # a report made in advance, for a month when the city was projected to fall below the line
        # (within PROJECTION_MONTHS before the first red month), covers the run as well
        earliest = month_index(first.year, first.month) - PROJECTION_MONTHS
        latest = month_index(*months[-1])
        covering = sorted((r for r in reports
                           if r.city == first.city and earliest <= month_index(r.year, r.month) <= latest),
                          key=lambda r: (r.filed_province or dt.date.max, r.report_id))
        report = covering[0] if covering else None
        where = f"{first.name}{first.year}年{first.month}月基金可支付{first.capacity:.2f}个月，低于预警线"
        problem = None
        if report is None:
            problem = f"{where}，未见预警报告记录（应于{deadline:%Y-%m-%d}前向属地政府报告并报省备案）"
        else:
            late = []
            for label, day in (("向属地政府报告", report.reported_local), ("报省备案", report.filed_province)):
                if day is None:
                    late.append(f"未{label}")
                elif day > deadline:
                    late.append(f"{day:%Y-%m-%d}才{label}")
            if late:
                problem = f"{where}，{'，'.join(late)}（期限{deadline:%Y-%m-%d}）"
        episodes.append(Episode(first.city, first.name, months, min(s.capacity for s in run), deadline, report,
                                problem, problem is not None and today > deadline))
    return episodes


def must_report_now(status: FundStatus) -> bool:
    """Below the line already (months_to_threshold 0), or foreseen below it within three months."""
    return status.months_to_threshold is not None and status.months_to_threshold <= PROJECTION_MONTHS


def must_report(statuses: list[FundStatus]) -> list[FundStatus]:
    """Cities that must report: red now, or projected red within three months."""
    return [s for s in statuses if must_report_now(s)]


def duty_reason(status: FundStatus) -> str:
    """Why a city of `must_report` must report: 已低于预警线 or 预计k个月后低于预警线."""
    if status.months_to_threshold == 0:
        return f"{status.forward_text}（可支付{status.capacity:.2f}个月）"
    return f"{status.forward_text}，须提前报告"


def suggestions(config: Config, year: int, episodes: list[Episode]) -> list[Suggestion]:
    """Adjustments an assessor may record in assessments/<year>.yaml, by the rules of that year; never
    applied automatically."""
    rules = config.rules_for(year).warning
    return [Suggestion(e.city, e.name, -rules.report_penalty,
                       f"基金支付能力不足{rules.threshold_months:g}个月未按规定报告（{e.start[0]}年{e.start[1]}月起）",
                       e.deadline + dt.timedelta(days=1), _facts(e))
            for e in episodes if e.flagged]


def _facts(episode: Episode) -> str:
    months = "、".join(f"{y}年{m}月" for y, m in episode.months)
    return f"低于预警线的月份：{months}；报告期限：{episode.deadline:%Y-%m-%d}；报告情况：{episode.problem}"


@dataclass(frozen=True)
class Offer:
    """A suggestion not written in the YAML file, and the number of the decision on record that took it up (None
    while it is open)."""

    city: str
    suggestion: Suggestion
    decision_id: int | None


def offers(config: Config, year: int, episodes: list[Episode], store: Store | None = None) -> list[Offer]:
    return offers_of(config, year, suggestions(config, year, episodes), store)


def offers_of(config: Config, year: int, suggested: list[Suggestion], store: Store | None = None) -> list[Offer]:
    """The suggestions not written in assessments/<year>.yaml (an adjustment of the same city and reason), each
    with the decision on record in force that took it up (same city, points and recorded reason). `store` None:
    no records looked at."""
    in_file = {(a.city, a.reason) for a in config.assessment_for(year).adjustments}
    recorded = {} if store is None else {(d.city, d.points, d.reason): d.decision_id
                                         for d in in_force(records_of(store), year) if d.points is not None}
    return [Offer(s.city, s, recorded.get((s.city, s.points, s.recorded_reason)))
            for s in suggested if (s.city, s.reason) not in in_file]


def open_suggestions(config: Config, year: int, episodes: list[Episode], store: Store | None = None
                     ) -> list[Suggestion]:
    """The suggestions neither written in assessments/<year>.yaml nor recorded as a decision (see `offers`)."""
    return [o.suggestion for o in offers(config, year, episodes, store) if o.decision_id is None]
