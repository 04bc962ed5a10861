"""A database that is missing is reported, never replaced: demo data is built only where a person asked for it
(`scorecard demo`, or `scorecard demo --if-new` of the README's first command on a checkout that never held
data). The running server reports a deleted database on every page and creates no file; the demo accounts no
longer get in; the installed CLI's commands exit 1 with a Chinese message and create nothing."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, writable_copy
from live_server import SESSION_COOKIE, Visit, streamlit_server

from dashboard import gateway
from scorecard.records.legacy import access_db_path
from scorecard.records.store import records_path
from scorecard.data.store import Store, get_meta, missing_text

SCORECARD = Path(sys.executable).with_name("scorecard")   # the installed command
PAGES = (("", "全省排名"), ("progress", "市州进度"), ("assessment", "年终考评"), ("fund", "基金预警"),
         ("contracts", "目标责任书"), ("data", "数据管理"), ("audit", "审计日志"))


def scorecard(*args, config=None) -> subprocess.CompletedProcess:
    command = [str(SCORECARD), *(["--config", str(config)] if config else []), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# --- the command line -----------------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["score", "--year", "2003"],
    ["warn", "--year", "2003", "--month", "6"],
    ["export", "--year", "2003", "--format", "xlsx", "--out", "{folder}/考评结果.xlsx"],
    ["warn-letter", "--city", "辽源市", "--year", "2003", "--month", "12", "--format", "docx",
     "--out", "{folder}/预警报告.docx"],
    ["warn-report", "list"],
    ["warn-report", "status", "--year", "2003"],
    ["warn-report", "add", "--city", "辽源市", "--year", "2003", "--month", "10", "--reported-local", "2003-11-06"],
    ["history"],
])
def test_a_command_on_a_missing_database_exits_1_and_creates_nothing(tmp_path, shipped_config_dir, command):
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "scorecard.duckdb"
    done = scorecard("--db", db, *(a.format(folder=folder) for a in command), config=shipped_config_dir)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"数据库文件 {db} 不存在" in done.stderr and "从备份恢复" in done.stderr and "import" in done.stderr
    assert "Traceback" not in done.stderr and "演示数据" not in done.stdout + done.stderr
    assert files_in(folder) == []


def test_demo_if_new_builds_on_a_checkout_that_never_held_data(tmp_path, shipped_config_dir):
    db = tmp_path / "data" / "scorecard.duckdb"
    done = scorecard("--db", db, "demo", "--if-new", config=shipped_config_dir)
    assert done.returncode == 0 and "已生成演示数据库" in done.stdout, done.stderr
    with Store(db).reader() as con:
        assert get_meta(con, "demo") == "1"
    stamp = Store(db).version()
    again = scorecard("--db", db, "demo", "--if-new", config=shipped_config_dir)
    assert again.returncode == 0 and "已有数据库" in again.stdout
    assert Store(db).version() == stamp  # left as it was


@pytest.mark.parametrize("trace", ["records", "access", "access.migrated", "originals"])
def test_demo_if_new_builds_nothing_where_data_has_been(tmp_path, shipped_config_dir, trace):
    """A folder that has held a database (its records — or the access database of the version before, kept or
    taken over —, or the kept originals of its imports) has lost it: that is to be restored, not replaced by
    demo data — and the README's command goes on to start the app."""
    db = tmp_path / "data" / "scorecard.duckdb"
    db.parent.mkdir()
    left = {"records": records_path(db), "access": access_db_path(db),
            "access.migrated": access_db_path(db).with_name("scorecard-access.duckdb.migrated"),
            "originals": db.with_name("scorecard.originals")}[trace]
    left.mkdir() if trace == "originals" else left.write_bytes(b"")
    before = files_in(db.parent)
    done = scorecard("--db", db, "demo", "--if-new", config=shipped_config_dir)
    assert done.returncode == 0
    assert f"未找到数据库 {db}" in done.stderr and str(left) in done.stderr and "未生成演示数据" in done.stderr
    assert files_in(db.parent) == before


def test_the_server_start_on_a_missing_database_says_so_and_creates_nothing(tmp_path, monkeypatch, capsys,
                                                                            shipped_config_dir):
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("SCORECARD_CONFIG", str(shipped_config_dir))
    monkeypatch.setenv("SCORECARD_DB", str(folder / "scorecard.duckdb"))
    gateway.announce()
    printed = capsys.readouterr().out
    assert f"数据库文件 {folder / 'scorecard.duckdb'} 不存在" in printed and "演示账号" not in printed
    assert files_in(folder) == []


def _records_a_warning_report():
    import datetime as dt

    import streamlit as st

    from dashboard import reads
    from scorecard import roles as access
    from scorecard.data.store import StoreError
    from scorecard.actions.warnings import record_report
    from scorecard.roles import ADMIN, Principal

    source = reads.current_source()
    try:
        record_report(reads.writable_store(source, access.WARN_REPORT), Principal("admin", ADMIN), reads.config(source),
                      "220400", 2003, 10, reported_local=dt.date(2003, 11, 6))
    except StoreError as exc:
        st.error(str(exc))


def test_a_write_from_a_page_refuses_to_create_the_database(tmp_path, shipped_config_dir, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from scorecard.roles import ADMIN, Principal

    db = tmp_path / "scorecard.duckdb"
    monkeypatch.setenv("SCORECARD_CONFIG", str(shipped_config_dir))
    monkeypatch.setenv("SCORECARD_DB", str(db))
    app = AppTest.from_function(_records_a_warning_report, default_timeout=60)
    app.session_state["_principal"] = Principal("admin", ADMIN)
    app.run()
    assert [e.value for e in app.error] == [missing_text(db)]
    assert files_in(tmp_path) == []


# --- the running server -----------------------------------------------------------------------------

def sign_in(visit: Visit, name: str, password: str) -> None:
    visit.page.locator("#name").fill(name)
    visit.page.locator("#password").fill(password)
    visit.page.get_by_role("button", name="登录").click()
    visit.page.wait_for_load_state()


@pytest.mark.browser
def test_a_database_deleted_while_the_app_runs_is_reported_on_every_page_never_replaced(
        browser, tmp_path, shipped_config_dir, demo_db, small_db):
    folder = tmp_path / "data"
    folder.mkdir()
    db = writable_copy(demo_db, folder)
    log = tmp_path / "server.log"
    with streamlit_server(shipped_config_dir, db, log_path=log) as url:
        demo = dict(re.findall(r"(demo-\w+)\s+密码 (\S+)", log.read_text(encoding="utf-8")))
        visit = Visit(browser, f"{url}/signin")
        try:
            sign_in(visit, "demo-province", demo["demo-province"])
            visit.settle("全省排名")
            assert "demo-province（省级）" in visit.text()
            session = next(c["value"] for c in visit.context.cookies() if c["name"] == SESSION_COOKIE)
            db.unlink()
            for path, title in PAGES:
                visit.page.goto(f"{url}/{path}")
                visit.settle(title)
                text = visit.text()
                assert f"数据库文件 {db} 不存在" in text and "从备份恢复" in text, title
                assert "演示数据" not in text, title
                assert not db.exists(), title
            assert not visit.errors
        finally:
            visit.close()

        stranger = Visit(browser, f"{url}/signin")
        try:
            sign_in(stranger, "demo-admin", demo["demo-admin"])
            assert "演示账号只能用于演示数据" in stranger.page.locator(".message").inner_text()
        finally:
            stranger.close()
        assert not db.exists() and not Path(f"{db}.wal").exists()

        # real data put in its place: the session of the demo account still open sees none of it
        shutil.copy(small_db, db)
        again = Visit(browser, f"{url}/progress", session)
        try:
            again.page.locator("h1").first.wait_for(timeout=30_000)
            again.page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=30_000)
            text = again.text()
            assert "演示账号只能用于演示数据" in text and "长春市" not in text
            assert not again.errors
        finally:
            again.close()
