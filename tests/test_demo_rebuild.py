"""`scorecard demo` replaces only what cannot be lost: demo data, or a database with no actuals and no reports."""

import pytest

from scorecard.actions.demo import DEMO_USER, build_demo
from scorecard.actions.imports import import_file
from scorecard.actions.warnings import record_report
from scorecard.records.store import Records
from scorecard.records.warning_reports import report_versions
from scorecard.roles import operator
from scorecard.data.store import Store, StoreError


def test_demo_fills_an_empty_database(config, tmp_path):
    store = Store(tmp_path / "empty.duckdb")
    with store.writer():
        pass
    build_demo(store, config)
    with store.reader() as con:
        assert con.execute("SELECT count(*) FROM actuals").fetchone()[0] > 0


def test_demo_refuses_to_replace_imported_data(config, tmp_path):
    report = tmp_path / "report.csv"
    report.write_text("year,month,city,measure,value\n2003,1,220100,fund_income,1\n", encoding="utf-8")
    store = Store(tmp_path / "real.duckdb")
    assert import_file(store, config, report).ok
    with pytest.raises(StoreError, match="--force"):
        build_demo(store, config)


def test_demo_refuses_to_replace_warning_reports(config, tmp_path):
    store = Store(tmp_path / "reports.duckdb")
    with store.writer():
        pass
    record_report(store, operator("ops"), config, "220400", 2003, 10, note="已报市政府")
    with pytest.raises(StoreError, match="--force"):
        build_demo(store, config)


def test_a_rebuilt_demo_has_its_own_reports_once(config, tmp_path):
    store = Store(tmp_path / "demo.duckdb")
    for _ in range(2):
        build_demo(store, config)
    assert [(r.report_id, r.city, r.entered_by) for r in report_versions(Records.beside(store.path))] == [
        (1, "220400", DEMO_USER)]


def test_demo_refuses_to_replace_imported_person_records_and_touches_nothing(config, tmp_path):
    from scorecard.actions.demo import build
    from tests.microdata_support import case_files, place

    where = place(tmp_path)
    build_demo(Store(where.db), config)
    where.imported(*case_files("checks"))
    monthly = where.db.read_bytes()
    with pytest.raises(StoreError, match="个人记录.*--force"):
        build(Store(where.db), config, operator("ops"))
    assert where.db.read_bytes() == monthly
    assert where.rows("SELECT imported_by FROM person_imports") == [("test",)]
    build(Store(where.db), config, operator("ops"), force=True)
    assert where.rows("SELECT imported_by FROM person_imports") == [(DEMO_USER,)]
