"""Warning reports (预警报告) recorded, corrected and withdrawn: by 省级审核 (roles.WARN_REPORT; a refusal is audited) on the 基金预警 page, or at the
command line. A report belongs to a data database (`store`: refused when it has gone missing) and is kept in
the records beside it; the report and its audit line are one transaction (records.warning_reports)."""

from __future__ import annotations

from .decisions import permitted
from ..config import Config
from ..records import warning_reports
from ..records.audit import Actor
from ..data.store import Store
from ..records.warning_reports import WarningReport
from ..roles import WARN_REPORT, Principal


def record_report(store: Store, by: Principal, config: Config, city: str, year: int, month: int, *,
                  address: str | None = None, **dates_and_note) -> WarningReport:
    records = permitted(store, by, WARN_REPORT, "登记预警报告", address)
    saved = warning_reports.add_report(records, config, city, year, month, actor=Actor.of(by, address),
                                       **dates_and_note)
    return saved


def correct_report(store: Store, by: Principal, config: Config, report_id: int, *, address: str | None = None,
                   **changes) -> WarningReport:
    """A corrected version (`withdrawn=True`: the report is withdrawn, e.g. entered by mistake)."""
    records = permitted(store, by, WARN_REPORT, "更正预警报告", address)
    saved = warning_reports.edit_report(records, config, report_id, actor=Actor.of(by, address), **changes)
    return saved
