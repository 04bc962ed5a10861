"""The reporting year as the records tell it (在线填报): each month's deadline (scoring.yaml
`report_deadline_day`), the 报送 grid of every city and month, 报表及时率, the 催报 list, the rows of the entry form,
and the values of the measures derived from the records (`source: reporting`) that scoring takes.

报表及时率 counts submissions, not acceptances: a month is on time when its first submission (报送) was made by the
deadline — the city controls that, the province's review does not; a month returned and corrected later stays on
time. The months due are those whose deadline has passed, and any month submitted before it. A month the province
imported directly with no online report (已导入: e.g. the years before online reporting) counts neither way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import clock
from ..config import Config
from ..config.model import REPORTING
from ..microdata.scored import record_aggregates
from ..data.store import Store, has_schema, query
from ..records import reporting as recorded
from ..records.reporting import ACCEPTED, DRAFT, PENDING, RETURNED, ReportVersion
from .decisions import records_of

NOT_REPORTED, OVERDUE, IMPORTED = "未报", "逾期", "已导入"
STATES = (NOT_REPORTED, PENDING, RETURNED, ACCEPTED, OVERDUE, IMPORTED)
ON_TIME, DUE = "reports_on_time", "reports_due"  # the measures a catalogue may derive (source: reporting)
SOON_DAYS = 3  # 催报: months due within this many days are listed too


def deadline(config: Config, year: int, month: int) -> dt.date:
    """The day the month's figures are due: `report_deadline_day` of the month after (the rules of its year)."""
    day = config.rules_for(year).report_deadline_day
    return dt.date(year + month // 12, month % 12 + 1, day)


def deadline_text(config: Config, year: int) -> str:
    """The duty in words, as the 报送 page and the 目标责任书 state it."""
    return f"每月数据应于次月{config.rules_for(year).report_deadline_day}日前报送。"


@dataclass(frozen=True)
class Cell:
    """One city's month in the 报送 grid."""

    city: str
    month: int
    state: str                      # one of STATES
    deadline: dt.date
    version: ReportVersion | None   # the latest
    first_submitted: dt.datetime | None

    @property
    def on_time(self) -> bool:
        return self.first_submitted is not None and self.first_submitted.date() <= self.deadline

    def due(self, today: dt.date) -> bool:
        return self.state != IMPORTED and (self.deadline < today or self.on_time)


def _state(latest: ReportVersion | None, deadline_day: dt.date, today: dt.date, imported: bool) -> str:
    if latest is None or latest.state == DRAFT:
        return IMPORTED if imported else OVERDUE if today > deadline_day else NOT_REPORTED
    return latest.state


def _imported(store: Store, year: int) -> set[tuple[str, int]]:
    """The (city, month) of the year with any value in the database."""
    if not store.exists():
        return set()
    with store.reader() as con:
        if not has_schema(con):
            return set()
        return {(c, int(m)) for c, m in query(con, f"SELECT DISTINCT city, month FROM {store.values} WHERE year = $year",
                                              store.params(year=year))}


def grid(config: Config, store: Store, year: int, cities=None, today: dt.date | None = None) -> list[Cell]:
    """Every city's (of `cities`, by default all) twelve months of `year`, in city and month order."""
    today = today or clock.today()
    records = records_of(store)
    versions = recorded.versions(records, year) if records else []
    latest: dict[tuple[str, int], ReportVersion] = {}
    first: dict[tuple[str, int], dt.datetime] = {}
    for v in versions:  # oldest first
        latest[v.city, v.month] = v
        if v.submitted_at and (v.city, v.month) not in first:
            first[v.city, v.month] = v.submitted_at
    codes = [c.code for c in config.cities] if cities is None else list(cities)
    imported = _imported(store, year)
    cells = []
    for city in codes:
        for month in range(1, 13):
            day = deadline(config, year, month)
            cells.append(Cell(city, month, _state(latest.get((city, month)), day, today, (city, month) in imported), day,
                              latest.get((city, month)), first.get((city, month))))
    return cells


@dataclass(frozen=True)
class Timeliness:
    city: str
    on_time: int
    due: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


def timeliness(cells: list[Cell], today: dt.date | None = None, through_month: int = 12) -> list[Timeliness]:
    """报表及时率 per city of a grid: months first submitted by their deadline / months due (see the module)."""
    today = today or clock.today()
    counts: dict[str, list[int]] = {}
    for cell in cells:
        tally = counts.setdefault(cell.city, [0, 0])
        if cell.month <= through_month and cell.due(today):
            tally[0] += cell.on_time
            tally[1] += 1
    return [Timeliness(city, on, due) for city, (on, due) in counts.items()]


def reminders(cells: list[Cell], today: dt.date | None = None) -> list[Cell]:
    """催报: the months not submitted (or returned and not resubmitted) whose deadline has passed or is near."""
    today = today or clock.today()
    soon = today + dt.timedelta(days=SOON_DAYS)
    return sorted((c for c in cells if c.state in (NOT_REPORTED, OVERDUE, RETURNED) and c.deadline <= soon),
                  key=lambda c: (c.deadline, c.city))


def derived_aggregates(config: Config, store: Store, year: int, month: int, measures) -> dict[str, dict[str, tuple]]:
    """The values of the measures derived from the records (reports_on_time, reports_due: one per month), in the
    shape of one year of data.queries.measure_aggregates (city → measure → triple), for scoring."""
    found = record_aggregates(config, store, year, month, measures, lambda: _improper(config, store, year))
    wanted = [m for m in measures if m in config.measures and config.measures[m].source == REPORTING]
    if not wanted:
        return found
    if any(m not in (ON_TIME, DUE) for m in wanted):
        raise ValueError(f"unknown derived measures: {wanted}")  # the schema allows these two codes only
    today = clock.today()
    cells = grid(config, store, year, today=today)
    for city in {c.city for c in cells}:
        due = [c for c in cells if c.city == city and c.month <= month and c.due(today)]
        if not due:
            continue
        mask = sum(1 << (c.month - 1) for c in due)
        for measure in wanted:
            monthly = [1.0 if measure == DUE or c.on_time else 0.0 for c in due]
            found.setdefault(city, {})[measure] = (sum(monthly), monthly[-1], mask)
    return found


def _improper(config: Config, store: Store, year: int):
    from .person_findings import scored_improper   # the rule checks load when 违规领取金额占比 is scored

    return scored_improper(config, store, year)


@dataclass(frozen=True)
class FormRow:
    """One measure of the entry form: what is asked, and last month's and last year's accepted values."""

    measure: str
    name: str
    unit: str
    basis: str | None
    last_month: float | None
    last_year: float | None


def form_rows(config: Config, store: Store, city: str, year: int, month: int) -> list[FormRow]:
    before = (year, month - 1) if month > 1 else (year - 1, 12)
    values: dict[tuple[int, int, str], float] = {}
    if store.exists():
        with store.reader() as con:
            if has_schema(con):
                for y, m, measure, value in query(con, f"""
                        SELECT year, month, measure, value FROM {store.values}
                        WHERE city = $city AND ((year = $y1 AND month = $m1) OR (year = $y2 AND month = $m2))""",
                                                  store.params(city=city, y1=before[0], m1=before[1], y2=year - 1,
                                                               m2=month)):
                    values[y, m, measure] = value
    return [FormRow(m.code, m.name, m.unit, m.basis, values.get((*before, m.code)), values.get((year - 1, month, m.code)))
            for m in config.measures.values() if m.reported]
