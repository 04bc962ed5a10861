"""Warning reports (预警报告) recorded, corrected and withdrawn: by 数据管理员 on the 基金预警 page, or at the
command line. The report and its audit line are one transaction (records.warning_reports)."""

from __future__ import annotations

from . import hooks
from ..config import Config
from ..records import warning_reports
from ..records.audit import Actor
from ..records.store import Records
from ..records.warning_reports import WarningReport
from ..roles import WARN_REPORT, Principal, require


def record_report(records: Records, by: Principal, config: Config, city: str, year: int, month: int, *,
                  address: str | None = None, **dates_and_note) -> WarningReport:
    require(by, WARN_REPORT)
    saved = warning_reports.add_report(records, config, city, year, month, actor=Actor.of(by, address),
                                       **dates_and_note)
    hooks.changed(hooks.WARNING_REPORTS)
    return saved


def correct_report(records: Records, by: Principal, config: Config, report_id: int, *, address: str | None = None,
                   **changes) -> WarningReport:
    """A corrected version (`withdrawn=True`: the report is withdrawn, e.g. entered by mistake)."""
    require(by, WARN_REPORT)
    saved = warning_reports.edit_report(records, config, report_id, actor=Actor.of(by, address), **changes)
    hooks.changed(hooks.WARNING_REPORTS)
    return saved
