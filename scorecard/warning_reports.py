"""The duty to report (预警报告, 吉政办发〔2003〕4号 第六条).

When a city's fund can pay benefits for less than two months, its agency must report to the local
government and file with the province. Reports are recorded here with their history (an edit adds
a version); `red_episodes` finds each run of red months and whether it was reported in time, and
`suggestions` turns the late or missing ones into adjustments an assessor may choose to record.
Nothing here changes a score.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .config import Config
from .errors import InputError
from .fund import RED, FundStatus, fund_statuses, month_index
from .store import Store, has_schema, query

PROJECTION_MONTHS = 3  # projected red within this many months: report in advance
REPORTED, PENDING, FLAGGED = "reported", "pending", "flagged"
DUTY_NAMES = {REPORTED: "按规定报告", PENDING: "报告期限未到", FLAGGED: "未按规定报告"}


@dataclass(frozen=True)
class WarningReport:
    report_id: int
    version: int
    city: str
    year: int
    month: int
    reported_local: dt.date | None
    filed_province: dt.date | None
    note: str | None
    withdrawn: bool
    entered_at: dt.datetime
    entered_by: str | None


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

    def as_yaml(self) -> str:
        return (f'  - {{city: "{self.city}", points: {self.points:g}, reason: {self.reason}, '
                f'date: {self.date:%Y-%m-%d}}}')


_COLUMNS = "report_id, version, city, year, month, reported_local, filed_province, note, withdrawn, entered_at, entered_by"


def _check_dates(year: int, month: int, reported_local, filed_province) -> None:
    first_day = dt.date(year, month, 1)
    for label, day in (("向属地政府报告日期", reported_local), ("报省备案日期", filed_province)):
        if day is not None and day < first_day:
            raise InputError(f"{label}{day:%Y-%m-%d}早于预警月份{year}年{month}月，请核对")
        if day is not None and day > dt.date.today():
            raise InputError(f"{label}{day:%Y-%m-%d}晚于今天，请核对")


def add_report(store: Store, config: Config, city: str, year: int, month: int, *, reported_local=None,
               filed_province=None, note: str | None = None, user: str | None = None) -> WarningReport:
    code = config.city_lookup.get(str(city).strip())
    if code is None:
        raise InputError(f"未知的市州“{city}”（可写代码、全称或简称）")
    if not 1 <= month <= 12:
        raise InputError(f"预警月份应为1至12，现在是{month}")
    _check_dates(year, month, reported_local, filed_province)
    with store.writer() as con:
        report_id = con.execute("SELECT coalesce(max(report_id), 0) + 1 FROM warning_reports").fetchone()[0]
        con.execute(f"INSERT INTO warning_reports ({_COLUMNS}) VALUES ($id, 1, $city, $year, $month, $local, "
                    "$province, $note, false, now()::TIMESTAMP, $user)",
                    {"id": report_id, "city": code, "year": year, "month": month, "local": reported_local,
                     "province": filed_province, "note": note, "user": user})
        return _latest(con.execute(f"SELECT {_COLUMNS} FROM warning_reports WHERE report_id = $id",
                                   {"id": report_id}).fetchall())


_UNCHANGED = object()


def edit_report(store: Store, report_id: int, *, reported_local=_UNCHANGED, filed_province=_UNCHANGED,
                note=_UNCHANGED, withdrawn: bool = False, user: str | None = None) -> WarningReport:
    """Record a corrected version; earlier versions stay in the history."""
    with store.writer() as con:
        rows = con.execute(f"SELECT {_COLUMNS} FROM warning_reports WHERE report_id = $id",
                           {"id": report_id}).fetchall()
        if not rows:
            raise InputError(f"没有编号为{report_id}的预警报告记录")
        current = _latest(rows)
        values = {
            "local": current.reported_local if reported_local is _UNCHANGED else reported_local,
            "province": current.filed_province if filed_province is _UNCHANGED else filed_province,
            "note": current.note if note is _UNCHANGED else note,
        }
        _check_dates(current.year, current.month, values["local"], values["province"])
        con.execute(f"INSERT INTO warning_reports ({_COLUMNS}) VALUES ($id, $version, $city, $year, $month, $local, "
                    "$province, $note, $withdrawn, now()::TIMESTAMP, $user)",
                    {"id": report_id, "version": current.version + 1, "city": current.city, "year": current.year,
                     "month": current.month, "withdrawn": withdrawn, "user": user, **values})
        return _latest(con.execute(f"SELECT {_COLUMNS} FROM warning_reports WHERE report_id = $id",
                                   {"id": report_id}).fetchall())


def _latest(rows) -> WarningReport:
    return max((WarningReport(*row) for row in rows), key=lambda r: r.version)


def report_versions(con, city: str | None = None) -> list[WarningReport]:
    """Every version of every report (the history), oldest first."""
    if not has_schema(con, "warning_reports"):
        return []
    rows = query(con, f"""SELECT {_COLUMNS} FROM warning_reports
                          WHERE $city IS NULL OR city = $city ORDER BY report_id, version""", {"city": city})
    return [WarningReport(*row) for row in rows]


def current_reports(con, city: str | None = None) -> list[WarningReport]:
    """The version in force of each report that has not been withdrawn."""
    latest: dict[int, WarningReport] = {}
    for report in report_versions(con, city):
        latest[report.report_id] = report
    return [r for r in latest.values() if not r.withdrawn]


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
    today = today or dt.date.today()
    rules = config.rules.warning
    statuses = [s for y in (year - 1, year) for s in
                fund_statuses(config, con, store, y, 1, 12 if y < year else month, cities)]
    statuses.sort(key=lambda s: (s.city, s.year, s.month))
    reports = current_reports(con)
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


def suggestions(config: Config, episodes: list[Episode]) -> list[Suggestion]:
    """Adjustments an assessor may record in assessments/<year>.yaml; never applied automatically."""
    penalty = config.rules.warning.report_penalty
    return [Suggestion(e.city, e.name, -penalty,
                       f"基金支付能力不足2个月未按规定报告（{e.start[0]}年{e.start[1]}月起）",
                       e.deadline + dt.timedelta(days=1))
            for e in episodes if e.flagged]


def open_suggestions(config: Config, year: int, episodes: list[Episode]) -> list[Suggestion]:
    """The suggestions not yet recorded in assessments/<year>.yaml (an adjustment of the same city and reason)."""
    recorded = {(a.city, a.reason) for a in config.assessment_for(year).adjustments}
    return [s for s in suggestions(config, episodes) if (s.city, s.reason) not in recorded]
