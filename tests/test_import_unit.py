"""An import is one unit across the data database, the kept original and the audit line in the records store:
all three or none. Originals are kept under their sha256, the user's file name is data — so a file name of 244
bytes imports like any other — and a failure at any step leaves all three as they were, said in Chinese."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shlex

import pytest
from cli_support import audit_lines, command, on_small_disks, rows, scorecard
from conftest import reported, writable_copy
from intake_support import snapshot
from test_page_upload import confirm_button, goto_data, texts, upload

from scorecard.actions.imports import import_file
from scorecard.data.store import Store
from scorecard.records import audit
from scorecard.records.store import Records

LONG_NAME = "长春市" * 26 + "月报.csv"
assert len(LONG_NAME.encode()) == 244
REPORT = "year,month,city,measure,value\n2003,12,220100,fund_income,2500\n2003,12,长春市,fund_balance,31000\n"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def listing(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "报送" / LONG_NAME
    path.parent.mkdir()
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_a_file_name_of_244_bytes_is_imported_with_its_original_and_audit_line(tmp_path, demo_db,
                                                                                 shipped_config_dir, report):
    db = writable_copy(demo_db, tmp_path)
    done = scorecard("--config", shipped_config_dir, "--db", db, "--user", "王五", "import", report)
    assert done.returncode == 0, done.stderr
    assert "已导入（第3次导入" in done.stdout and done.stderr == ""
    digest = sha256(report.read_bytes())
    assert listing(db.with_name("scorecard.originals")) == {digest: report.read_bytes()}
    assert rows(db, "SELECT file_name, sha256, imported_by FROM imports WHERE import_id = 3") == [
        (LONG_NAME, digest, "王五")]
    log = json.loads(scorecard("--config", shipped_config_dir, "--db", db, "history", "--imports", "--format",
                               "json").stdout)["imports"]
    assert (log[0]["file"], log[0]["original"]) == (LONG_NAME, str(db.with_name("scorecard.originals") / digest))
    [line] = [line for line in lines_of(db) if line[2] == "导入"]
    assert line[1:4] + line[5:] == ("王五", "导入", LONG_NAME, "成功")
    assert "替换2条" in line[4]


def test_the_same_file_imported_twice_is_kept_once(tmp_path, demo_db, shipped_config_dir, report):
    db = writable_copy(demo_db, tmp_path)
    again = tmp_path / "再次.csv"
    again.write_bytes(report.read_bytes().replace(b"2500", b"2600"))
    for path in (report, again, report):
        assert scorecard("--config", shipped_config_dir, "--db", db, "import", path).returncode == 0
    kept = listing(db.with_name("scorecard.originals"))
    assert sorted(kept) == sorted({sha256(report.read_bytes()), sha256(again.read_bytes())})
    imported = [line[3] for line in lines_of(db) if line[2] == "导入"]
    assert imported == [LONG_NAME, "再次.csv", LONG_NAME]


def test_a_file_name_of_244_bytes_is_uploaded_on_the_page(tmp_path, demo_db, shipped_config_dir, open_app):
    db = writable_copy(demo_db, tmp_path)
    app = upload(goto_data(open_app(shipped_config_dir, db, as_="数据管理员")), LONG_NAME, REPORT)
    confirm_button(app).click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "已导入（第3次导入" in texts(app, "success")
    assert listing(db.with_name("scorecard.originals")) == {sha256(REPORT.encode()): REPORT.encode()}
    [line] = [line for line in lines_of(db) if line[2] == "导入"]
    assert (line[1], line[3], line[5]) == ("test-admin", LONG_NAME, "成功")


def test_the_page_says_in_chinese_when_the_original_cannot_be_kept(tmp_path, demo_db, shipped_config_dir,
                                                                    open_app):
    db = writable_copy(demo_db, tmp_path)
    db.with_name("scorecard.originals").write_text("a file where the folder should be", encoding="utf-8")
    before = snapshot(db)
    app = upload(goto_data(open_app(shipped_config_dir, db, as_="数据管理员")), LONG_NAME, REPORT)
    audited = lines_of(db)  # signing in is audited: from here on
    confirm_button(app).click().run()
    assert not app.exception, [e.value for e in app.exception]
    shown = texts(app, "error")
    assert "无法保存原件" in shown and "整个文件未导入" in shown and "Error" not in shown
    assert snapshot(db) == before and lines_of(db) == audited


def test_where_the_file_system_has_no_o_tmpfile_the_copy_is_hidden_until_kept(tmp_path, demo_db, config, report,
                                                                              monkeypatch):
    real_open = os.open

    def without_o_tmpfile(path, flags, *args, **kwargs):
        if flags & os.O_TMPFILE == os.O_TMPFILE:
            raise OSError(errno.EOPNOTSUPP, os.strerror(errno.EOPNOTSUPP))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", without_o_tmpfile)
    db = writable_copy(demo_db, tmp_path)
    for _ in range(2):  # kept the first time; the second changes nothing
        import_file(Store(db), config, report)
        assert listing(db.with_name("scorecard.originals")) == {sha256(REPORT.encode()): REPORT.encode()}


# --- a failure at each step of the unit, through the installed command ----------------------------------------

def attempt(tmp_path, seed_db, config_dir, report, mounts: dict, setup: str = "", env: dict | None = None):
    """`scorecard import` of `report` into a copy of `seed_db` at site/scorecard.duckdb, with `mounts` (folders
    below tmp_path → tmpfs size) and `setup` (shell, run before) in place; returns (exit code, stderr, out) where
    out/site and out/<each mounted folder> hold those folders as the import left them."""
    site, out = tmp_path / "site", tmp_path / "out"
    out.mkdir()
    run = command("--config", config_dir, "--db", site / "scorecard.duckdb", "import", report)
    keep = "".join(f" && mkdir -p {out / folder} && cp -a {tmp_path / folder}/. {out / folder}/"
                   for folder in ["site", *mounts])
    script = (f"mkdir -p {site} && cp {shlex.quote(str(seed_db))} {site}/scorecard.duckdb && {setup or 'true'}\n"
              f"{run} > {out}/stdout 2> {out}/stderr; echo $? > {out}/rc\n"
              f"true{keep}")
    done = on_small_disks({tmp_path / folder: size for folder, size in mounts.items()}, script, env)
    assert done.returncode == 0, done.stderr
    return int((out / "rc").read_text()), (out / "stderr").read_text(), out


def unchanged(seed_db, out) -> None:
    """The database as it was, no original kept, nothing else left beside them."""
    site = out / "site"
    assert snapshot(site / "scorecard.duckdb") == snapshot(seed_db)
    assert listing(site / "scorecard.originals") == {}
    assert not [p.name for p in site.iterdir() if p.name not in ("scorecard.duckdb", "scorecard.originals")]


def refused_in_chinese(code: int, err: str, *words: str) -> None:
    assert code == 1, err
    assert "整个文件未导入" in err and all(word in err for word in words), err
    assert "Traceback" not in err and "内部错误" not in err and "Error" not in err, err


def lines_of(db) -> list[tuple]:
    """The audit log of `db`'s records (the test's own when it opened the app), oldest first."""
    return [(e.id, e.who, e.action, e.target, e.detail, e.outcome)
            for e in audit.entries(Records.beside(db), limit=10_000)][::-1]


def records_at(path) -> dict:
    return {"SCORECARD_RECORDS_URL": f"sqlite:///{path}"}


@pytest.fixture
def access(tmp_path, demo_db):
    """A records file of its own (SCORECARD_RECORDS_URL) with one audit line; (path, its lines)."""
    path = tmp_path / "access" / "scorecard-records.sqlite"
    path.parent.mkdir()
    done = scorecard("--db", demo_db, "user", "add", "li.si", "--role", "省级", stdin="Plum-Blossom-Road-88\n",
                     env=records_at(path))
    assert done.returncode == 0, done.stderr
    return path, audit_lines(path)


def test_the_original_not_writable(tmp_path, demo_db, shipped_config_dir, report, access):
    path, audited = access
    code, err, out = attempt(tmp_path, demo_db, shipped_config_dir, report, {"site/scorecard.originals": "ro"},
                              env=records_at(path))
    refused_in_chinese(code, err, "无法保存原件", str(tmp_path / "site" / "scorecard.originals"))
    unchanged(demo_db, out)
    assert audit_lines(path) == audited


def test_the_audit_database_unavailable(tmp_path, demo_db, shipped_config_dir, report):
    broken = tmp_path / "access" / "scorecard-records.sqlite"
    broken.parent.mkdir()
    broken.write_bytes(b"not a database " * 100)
    code, err, out = attempt(tmp_path, demo_db, shipped_config_dir, report, {},
                              env=records_at(broken))
    refused_in_chinese(code, err, "审计日志", str(broken))
    unchanged(demo_db, out)
    assert broken.read_bytes() == b"not a database " * 100


def test_the_data_commit_failing(tmp_path, demo_db, unchecked_config_dir, config, access):
    path, audited = access
    big = tmp_path / "历年数据.csv"
    keys = [(y, m, c.code, measure) for y in range(1990, 2002) for m in range(1, 13) for c in config.cities
            for measure in reported(config)]
    big.write_text("year,month,city,measure,value\n" + "".join(  # 22,032 new values, not alike
        f"{y},{m},{c},{measure},{k * 7919 % 100_003}.37\n" for k, (y, m, c, measure) in enumerate(keys)),
        encoding="utf-8")
    room = (demo_db.stat().st_size // 4096 + 32) * 4  # the database's copy and 128 KiB: not a new import's rows
    code, err, out = attempt(tmp_path, demo_db, unchecked_config_dir, big,
                              {"site": f"{room}k", "site/scorecard.originals": "64m"},
                              env=records_at(path))
    refused_in_chinese(code, err, "磁盘空间不足", str(tmp_path / "site"))
    unchanged(demo_db, out)
    assert audit_lines(path) == audited


def test_the_audit_commit_failing_undoes_the_import(tmp_path, demo_db, shipped_config_dir, report, access):
    path, audited = access
    full = tmp_path / "full"  # the records file on a disk with no room left for its next line
    setup = (f"cp {shlex.quote(str(path))} {full}/ && "
             f"(dd if=/dev/zero of={full}/filler bs=4k 2>/dev/null || true)")
    code, err, out = attempt(tmp_path, demo_db, shipped_config_dir, report, {"full": "2m"}, setup,
                              env=records_at(full / path.name))
    refused_in_chinese(code, err, "审计日志", "磁盘空间不足")
    unchanged(demo_db, out)
    assert audit_lines(out / "full" / path.name) == audited


@pytest.mark.browser
def test_the_real_server_uploads_a_244_byte_name_and_says_what_went_wrong(browser, tmp_path, demo_db,
                                                                        shipped_config_dir, report):
    from conftest import session_token
    from live_server import Visit, streamlit_server

    db = writable_copy(demo_db, tmp_path)
    blocked = db.with_name("scorecard.originals")
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    before = snapshot(db)
    with streamlit_server(shipped_config_dir, db) as url:
        visit = Visit(browser, f"{url}/data", session_token(db, "数据管理员"))
        try:
            visit.settle("数据管理")
            visit.page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(report))
            confirm = visit.page.get_by_role("button", name=re.compile("确认导入"))
            confirm.click()
            visit.page.get_by_text("无法保存原件").wait_for(timeout=60_000)
            assert "整个文件未导入" in visit.text() and str(tmp_path) in visit.text()
            assert snapshot(db) == before
            blocked.unlink()
            confirm.click()
            visit.page.get_by_text("已导入（第3次导入").wait_for(timeout=60_000)
            assert visit.page.locator('[data-testid="stException"]').count() == 0 and not visit.errors, visit.errors
        finally:
            visit.close()
    assert listing(blocked) == {sha256(REPORT.encode()): REPORT.encode()}
    imported = [line for line in lines_of(db) if line[2] == "导入"]
    assert [(line[1], line[3], line[5]) for line in imported] == [("test-admin", LONG_NAME, "成功")]
