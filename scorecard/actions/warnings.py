"""Warning reports (预警报告) recorded, corrected and withdrawn: by 数据管理员 on the 基金预警 page, or at the
command line. A report belongs to a data database (`store`: refused when it has gone missing) and is kept in
the records beside it; the report and its audit line are one transaction (records.warning_reports)."""

from __future__ import annotations

from . import hooks
from ..config import Config
from ..records import warning_reports
from ..records.audit import Actor
from ..data.store import Store, StoreError, missing_text
from ..records.store import Records
from ..records.warning_reports import WarningReport
from ..roles import WARN_REPORT, Principal, require


def _records_of(store: Store, by: Principal) -> Records:
    require(by, WARN_REPORT)
    if not store.exists():
        raise StoreError(missing_text(store.path))
    return Records.beside(store.path)


def record_report(store: Store, by: Principal, config: Config, city: str, year: int, month: int, *,
                  address: str | None = None, **dates_and_note) -> WarningReport:
    saved = warning_reports.add_report(_records_of(store, by), config, city, year, month, actor=Actor.of(by, address),
                                       **dates_and_note)
    hooks.changed(hooks.WARNING_REPORTS)
    return saved


def correct_report(store: Store, by: Principal, config: Config, report_id: int, *, address: str | None = None,
                   **changes) -> WarningReport:
    """A corrected version (`withdrawn=True`: the report is withdrawn, e.g. entered by mistake)."""
    saved = warning_reports.edit_report(_records_of(store, by), config, report_id, actor=Actor.of(by, address), **changes)
    hooks.changed(hooks.WARNING_REPORTS)
    return saved
