"""Warning reports (预警报告, 吉政办发〔2003〕4号 第六条) as recorded: when a city's fund can pay benefits
for less than two months, its agency must report to the local government and file with the province.
Each report keeps its history (an edit adds a version, the highest is in force), in the records store.
Whether a run of red months was reported in time is `scorecard.assessment.warning_duty`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, exists, func, select

from . import audit
from .store import Records, serialize
from .tables import warning_reports as reports
from .. import clock
from ..config import Config
from ..errors import InputError
from .audit import Actor


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


_COLUMNS = [reports.c[name] for name in WarningReport.__dataclass_fields__]


def _check_dates(year: int, month: int, reported_local, filed_province) -> None:
    first_day = dt.date(year, month, 1)
    for label, day in (("向属地政府报告日期", reported_local), ("报省备案日期", filed_province)):
        if day is not None and day < first_day:
            raise InputError(f"{label}{day:%Y-%m-%d}早于预警月份{year}年{month}月，请核对")
        if day is not None and day > clock.today():
            raise InputError(f"{label}{day:%Y-%m-%d}晚于今天，请核对")


def add_report(records: Records, config: Config, city: str, year: int, month: int, *, actor: Actor,
               reported_local=None, filed_province=None, note: str | None = None,
               demo: bool = False) -> WarningReport:
    """Record a new report; its audit line is part of the same transaction (a demo report's is the demo build's)."""
    code = config.city_lookup.get(str(city).strip())
    if code is None:
        raise InputError(f"未知的市州“{city}”（可写代码、全称或简称）")
    if not 1 <= month <= 12:
        raise InputError(f"预警月份应为1至12，现在是{month}")
    _check_dates(year, month, reported_local, filed_province)
    with records.write() as con:
        serialize(con, "warning_reports")
        report_id = con.execute(select(func.coalesce(func.max(reports.c.report_id), 0) + 1)).scalar()
        con.execute(reports.insert().values(
            report_id=report_id, version=1, city=code, year=year, month=month, reported_local=reported_local,
            filed_province=filed_province, note=note, withdrawn=False, entered_at=clock.now(),
            entered_by=actor.who, demo=demo))
        saved = _latest(con, report_id)
        if not demo:
            audit.insert(con, actor, audit.WARN_REPORT, target=_target(config, saved),
                         detail=f"已登记预警报告（编号{saved.report_id}）：{_target(config, saved)}。")
    return saved


_UNCHANGED = object()


def edit_report(records: Records, config: Config, report_id: int, *, actor: Actor, reported_local=_UNCHANGED,
                filed_province=_UNCHANGED, note=_UNCHANGED, withdrawn: bool = False) -> WarningReport:
    """Record a corrected version; earlier versions stay in the history."""
    with records.write() as con:
        serialize(con, "warning_reports")
        if not con.execute(select(exists().where(reports.c.report_id == report_id))).scalar():
            raise InputError(f"没有编号为{report_id}的预警报告记录")
        current = _latest(con, report_id)
        demo = con.execute(select(reports.c.demo).where(reports.c.report_id == report_id).limit(1)).scalar()
        values = {
            "reported_local": current.reported_local if reported_local is _UNCHANGED else reported_local,
            "filed_province": current.filed_province if filed_province is _UNCHANGED else filed_province,
            "note": current.note if note is _UNCHANGED else note,
        }
        _check_dates(current.year, current.month, values["reported_local"], values["filed_province"])
        con.execute(reports.insert().values(
            report_id=report_id, version=current.version + 1, city=current.city, year=current.year,
            month=current.month, withdrawn=withdrawn, entered_at=clock.now(), entered_by=actor.who, demo=demo,
            **values))
        saved = _latest(con, report_id)
        audit.insert(con, actor, audit.WARN_REPORT, target=_target(config, saved),
                     detail=f"已{'撤销' if withdrawn else '更正'}预警报告（编号{saved.report_id}，第{saved.version}版）。")
    return saved


def _target(config: Config, report: WarningReport) -> str:
    return f"{config.city(report.city).name}{report.year}年{report.month}月"


def _latest(con, report_id: int) -> WarningReport:
    row = con.execute(select(*_COLUMNS).where(reports.c.report_id == report_id)
                      .order_by(reports.c.version.desc()).limit(1)).one()
    return WarningReport(*row)


def report_versions(records: Records, city: str | None = None) -> list[WarningReport]:
    """Every version of every report (the history), oldest first."""
    query = select(*_COLUMNS).order_by(reports.c.report_id, reports.c.version)
    if city is not None:
        query = query.where(reports.c.city == city)
    with records.read() as con:
        return [WarningReport(*row) for row in con.execute(query)]


def current_reports(records: Records, city: str | None = None) -> list[WarningReport]:
    """The version in force of each report that has not been withdrawn."""
    latest: dict[int, WarningReport] = {}
    for report in report_versions(records, city):
        latest[report.report_id] = report
    return [r for r in latest.values() if not r.withdrawn]


def holds_real_reports(records: Records) -> bool:
    """Whether any report was entered by a person (not made with the demo data)."""
    with records.read() as con:
        return bool(con.execute(select(exists().where(reports.c.demo.is_(False)))).scalar())


def forget_demo_reports(con) -> None:
    """The demo data's reports go with the demo data (in the transaction that makes the new ones)."""
    con.execute(delete(reports).where(reports.c.demo.is_(True)))
