"""Importing actuals: a file checked beforehand (`scorecard.data.intake.prepare`) is committed for a principal
permitted to import. The values, the kept original and the audit line are one unit (PreparedImport.commit)."""

from __future__ import annotations

from .decisions import permitted
from ..config import Config
from ..data.intake import PreparedImport, prepare
from ..data.unit import ImportResult
from ..data.store import Store
from ..records.audit import Actor, os_user
from ..roles import IMPORT, Principal, operator


def commit_import(prepared: PreparedImport, by: Principal, *, address: str | None = None,
                  on_wait=None) -> ImportResult:
    permitted(prepared.store, by, IMPORT, f"导入{prepared.display}", address, existing=False)
    return prepared.commit(actor=Actor.of(by, address), on_wait=on_wait)


def import_file(store: Store, config: Config, path, by: Principal | None = None, *, on_wait=None,
                on_progress=None) -> ImportResult:
    """Check a file and, when it is clean, import it: what `scorecard import` does for each file (`by`: the
    person at the command line, by default the user of the operating system)."""
    by = by or operator(os_user())
    permitted(store, by, IMPORT, f"导入{path}", existing=False)
    with prepare(config, store, path, compare=False, on_progress=on_progress) as prepared:
        if prepared.ok and on_progress:
            on_progress(f"检查通过（{prepared.rows}条数据），正在写入数据库……")
        return commit_import(prepared, by, on_wait=on_wait)
