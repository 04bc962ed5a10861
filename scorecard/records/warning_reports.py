"""Warning reports (预警报告, 吉政办发〔2003〕4号 第六条) as recorded: when a city's fund can pay benefits
for less than two months, its agency must report to the local government and file with the province.
Each report keeps its history (an edit adds a version, the highest is in force). Whether a run of red
months was reported in time is `scorecard.assessment.warning_duty`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import clock
from ..config import Config
from ..data.store import Store, has_schema, query
from ..errors import InputError


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


_COLUMNS = "report_id, version, city, year, month, reported_local, filed_province, note, withdrawn, entered_at, entered_by"


def _check_dates(year: int, month: int, reported_local, filed_province) -> None:
    first_day = dt.date(year, month, 1)
    for label, day in (("向属地政府报告日期", reported_local), ("报省备案日期", filed_province)):
        if day is not None and day < first_day:
            raise InputError(f"{label}{day:%Y-%m-%d}早于预警月份{year}年{month}月，请核对")
        if day is not None and day > clock.today():
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
                    "$province, $note, false, $now, $user)",
                    {"id": report_id, "city": code, "year": year, "month": month, "local": reported_local,
                     "province": filed_province, "note": note, "user": user, "now": clock.now()})
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
                    "$province, $note, $withdrawn, $now, $user)",
                    {"id": report_id, "version": current.version + 1, "city": current.city, "year": current.year,
                     "month": current.month, "withdrawn": withdrawn, "user": user, "now": clock.now(), **values})
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
