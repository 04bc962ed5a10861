"""Importing person records (issue 17 §1) for a principal who may import: the records and the audit line one
unit (microdata.importer)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from .decisions import permitted
from ..config import Config
from ..data.store import Store
from ..microdata import personid, settings
from ..microdata.importer import ImportSummary, import_files
from ..microdata.store import PersonStore
from ..records import audit
from ..records.audit import Actor
from ..roles import IMPORT, Principal

TARGET = "个人记录"


def import_records(store: Store, config: Config, paths, by: Principal) -> ImportSummary:
    """`store`: the actuals database, beside which the person records and the audit log are kept."""
    records = permitted(store, by, IMPORT, f"导入个人记录{'、'.join(Path(p).name for p in paths)}", existing=False)
    record_settings = settings.load(config.directory)
    key = personid.load_key(personid.key_path(record_settings.key_file(config.directory)), store.path.parent)

    @contextmanager
    def audit_unit(detail: str):
        with records.write() as log:
            audit.insert(log, Actor.of(by), audit.IMPORT, target=TARGET, detail=detail)
            yield

    return import_files(PersonStore.beside(store.path), config, paths, key, by.user, audit_unit)
