"""`scorecard user …` and `scorecard audit`, and the audit log of the commands that change data — with the
records on SQLite and on PostgreSQL (SCORECARD_RECORDS_URL)."""

from __future__ import annotations

import io
import sys

import pytest
from conftest import writable_copy

from scorecard.records import audit, signin
from scorecard.records.store import Records
from scorecard.records.warning_reports import report_versions

PASSWORD = "Plum-Blossom-Road-88"


@pytest.fixture
def db(tmp_path, demo_db, records_url, monkeypatch):
    monkeypatch.setenv("SCORECARD_RECORDS_URL", records_url)
    return writable_copy(demo_db, tmp_path)


@pytest.fixture
def user(cli, monkeypatch, shipped_config_dir, db):
    """`scorecard --config … --db … user …`, the password (if any) given on standard input."""

    def run(*args, stdin: str = ""):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        return cli("--config", shipped_config_dir, "--db", db, *args)

    return run


def access_db(db) -> Records:
    return Records.beside(db)


def test_add_list_and_sign_in(user, db):
    run = user("user", "add", "Li.Si", "--role", "市州", "--city", "长春", stdin=PASSWORD + "\n")
    assert run.code == 0, run.err
    assert run.out.strip() == "已新增账号 li.si：市州（长春市）"
    assert user("user", "add", "zhang", "--role", "province", stdin=PASSWORD + "\n").code == 0
    listing = user("user", "list")
    assert "li.si" in listing.out and "市州（长春市）" in listing.out and "zhang" in listing.out
    assert PASSWORD not in listing.out + listing.err and "argon2" not in listing.out
    assert signin.authenticate(access_db(db), "li.si", PASSWORD, demo_database=True).principal.city == "220100"


def test_the_password_is_never_an_argument(user):
    run = user("user", "add", "li.si", "--role", "省级", "--password", PASSWORD)
    assert run.code == 2 and "无法识别的参数" in run.err
    assert PASSWORD not in run.err.replace(f"--password {PASSWORD}", "")  # only echoed back as the wrong argument


@pytest.mark.parametrize("args, stdin, message", [
    (("user", "add", "li.si", "--role", "市州"), PASSWORD, "市州账号必须用 --city 指定所属市州"),
    (("user", "add", "li.si", "--role", "省级"), "short", "密码太短"),
    (("user", "add", "li.si", "--role", "省级"), "", "没有读到密码"),
    (("user", "passwd", "nobody"), PASSWORD, "没有用户名为“nobody”的账号"),
    (("user", "disable", "nobody"), "", "没有用户名为“nobody”的账号"),
])
def test_mistakes_are_said_in_chinese(user, args, stdin, message):
    run = user(*args, stdin=stdin + "\n" if stdin else "")
    assert run.code == 1 and message in run.err and "Traceback" not in run.err


def test_passwd_disable_enable_unlock(user, db):
    user("user", "add", "li.si", "--role", "数据管理员", stdin=PASSWORD + "\n")
    assert user("user", "passwd", "li.si", stdin="Pear-Orchard-Lane-17\n").code == 0
    assert not signin.authenticate(access_db(db), "li.si", PASSWORD, demo_database=True).principal
    assert user("user", "disable", "li.si").code == 0
    assert "已停用" in user("user", "list").out
    assert user("user", "enable", "li.si").code == 0
    for _ in range(5):
        signin.authenticate(access_db(db), "li.si", "wrong-password-1", demo_database=True)
    assert "锁定至" in user("user", "list").out
    assert user("user", "unlock", "li.si").code == 0
    assert signin.authenticate(access_db(db), "li.si", "Pear-Orchard-Lane-17", demo_database=True).principal


def test_user_changes_are_audited_with_the_os_user_or_user_option(user, db, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "ops")
    user("user", "add", "li.si", "--role", "省级", stdin=PASSWORD + "\n")
    user("--user", "张三", "user", "disable", "li.si")
    entries = audit.entries(access_db(db), action=audit.ACCOUNT)
    assert [(e.who, e.channel, e.target, e.detail) for e in entries] == [
        ("张三", "命令行", "li.si", "停用账号"), ("ops", "命令行", "li.si", "新增账号（省级）")]
    shown = user("audit", "--action", "账号管理")
    assert "停用账号" in shown.out and "张三" in shown.out and PASSWORD not in shown.out


def test_commands_that_change_data_or_hand_it_out_are_audited(user, db, tmp_path, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "ops")
    report = tmp_path / "吉林市.csv"
    report.write_text("year,month,city,measure,value\n2003,12,220200,contributions_collected,2500\n", encoding="utf-8")
    assert user("import", report).code == 0
    assert user("--user", "李四", "export", "--year", "2003", "--format", "xlsx", "--out", tmp_path).code == 0
    assert user("warn-report", "add", "--city", "220400", "--year", "2003", "--month", "11").code == 0
    assert user("import", tmp_path / "missing.csv").code == 1  # imports nothing: no line (test_import_unit)
    assert user("score", "--year", "2003").code == 0  # reading is not audited
    entries = audit.entries(access_db(db))[::-1]
    assert [(e.who, e.action, e.outcome) for e in entries] == [
        ("ops", audit.IMPORT, audit.SUCCEEDED), ("李四", audit.EXPORT, audit.SUCCEEDED),
        ("ops", audit.WARN_REPORT, audit.SUCCEEDED)]
    assert (entries[0].target, entries[0].channel) == ("吉林市.csv", "命令行")
    assert "已导入（第3次导入" in entries[0].detail
    from scorecard.data.store import Store

    with Store(db).reader() as con:
        assert con.execute("SELECT imported_by FROM imports ORDER BY import_id DESC LIMIT 1").fetchone() == ("ops",)
    assert [r.entered_by for r in report_versions(access_db(db))] == ["ops"]


def test_an_unreachable_records_store_is_said_in_chinese_without_its_password(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("SCORECARD_RECORDS_URL", "postgresql+psycopg://ops:Secret-Word-7@127.0.0.1:1/records")
    run = cli("--db", tmp_path / "scorecard.duckdb", "user", "list")
    assert run.code == 1 and "无法使用记录库" in run.err and "127.0.0.1" in run.err
    assert "Secret-Word-7" not in run.err and "Traceback" not in run.err


def test_several_roles_repeated_or_comma_separated(user, db):
    run = user("user", "add", "wang.wu", "--role", "市州填报", "--role", "city-view", "--city", "长春",
               stdin=PASSWORD + "\n")
    assert run.code == 0, run.err
    assert run.out.strip() == "已新增账号 wang.wu：市州填报、市州查看（长春市）"
    assert user("user", "add", "zhao", "--role", "省级查看,考评", stdin=PASSWORD + "\n").code == 0
    signed = signin.authenticate(access_db(db), "zhao", PASSWORD, demo_database=True).principal
    assert signed.roles == {"省级查看", "考评"} and signed.city is None
    mixed = user("user", "add", "qian", "--role", "市州填报,考评", "--city", "长春", stdin=PASSWORD + "\n")
    assert mixed.code == 1 and "不能与省级角色（考评）由同一账号兼任" in mixed.err
    [line] = [e for e in audit.entries(access_db(db), action=audit.SIGN_IN)]
    assert line.role == "省级查看、考评"  # the audit line records every role


def test_one_time_passwords_reset_and_roles(user, db):
    added = user("user", "add", "wang.wu", "--role", "省级查看", "--one-time")
    assert added.code == 0, added.err
    first = added.out.split("一次性密码：")[1].split()[0]
    assert signin.authenticate(access_db(db), "wang.wu", first, demo_database=True).principal
    reset = user("user", "reset", "wang.wu")
    assert reset.code == 0 and "已重设 wang.wu 的密码" in reset.out
    second = reset.out.split("一次性密码：")[1].split()[0]
    assert second != first
    assert not signin.authenticate(access_db(db), "wang.wu", first, demo_database=True).principal
    assert signin.authenticate(access_db(db), "wang.wu", second, demo_database=True).principal
    changed = user("user", "roles", "wang.wu", "--role", "市州查看", "--city", "220400")
    assert changed.code == 0 and changed.out.startswith("已修改 wang.wu 的角色：市州查看（辽源市）")
    assert "市州查看（辽源市）" in user("user", "list").out
    refused = user("user", "roles", "wang.wu", "--role", "市州查看")
    assert refused.code == 1 and "市州账号必须用 --city 指定所属市州" in refused.err
    details = [e.detail for e in audit.entries(access_db(db), action=audit.ACCOUNT) if e.target == "wang.wu"]
    assert details == ["修改角色：省级查看 → 市州查看·220400", "重设密码（一次性密码）", "新增账号（省级查看）"]
    assert first not in "".join(details) and second not in "".join(details)
