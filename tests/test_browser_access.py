"""Sign-in against the real server in headless Chromium, as a newcomer meets it: a demo database without any
account, whose demo accounts the server prints on start. Sign-in, wrong password, lockout, sign-out, a
session surviving a reload, a city user failing to reach another city by URL, by widget and by export —
each with its line in the audit log — and no password or hash anywhere in pages, logs or server output.

Screenshots go to tests/artifacts/access-*.png (look at them after changing the sign-in page or the
pages of a 市州 user).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from conftest import writable_copy
from live_server import SESSION_COOKIE, Visit, streamlit_server

from scorecard.records.store import Records
from scorecard.records import signin
from scorecard.records import accounts, audit
from scorecard.records import tables
from scorecard.records.audit import Actor

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).parent / "artifacts"
SECRET = "Maple-Ridge-Station-42"   # the password of an account made with `scorecard user add`
ROOT = Path(__file__).resolve().parent.parent


class Site:
    def __init__(self, url: str, db: Path, log: Path, demo: dict[str, str]):
        self.url, self.db, self.log, self.demo = url, db, log, demo
        self.access = Records.beside(db)

    def entries(self, action: str) -> list[audit.AuditEntry]:
        return audit.entries(self.access, action=action)


@pytest.fixture(scope="module")
def site(tmp_path_factory, shipped_config_dir, demo_db):
    """`streamlit run app.py` on a copy of the demo database that has no accounts yet, as after a checkout."""
    folder = tmp_path_factory.mktemp("site")
    db = writable_copy(demo_db, folder)
    log = folder / "server.log"
    with streamlit_server(shipped_config_dir, db, log_path=log) as url:
        printed = log.read_text(encoding="utf-8")
        demo = dict(re.findall(r"(demo-\w+)\s+密码 (\S+)", printed))
        assert "演示账号（仅供演示）" in printed and set(demo) == {"demo-province", "demo-city", "demo-admin"}
        # a real account, made while the server runs, by another process, the password on standard input
        made = subprocess.run([sys.executable, "-m", "scorecard", "--config", str(shipped_config_dir), "--db", str(db),
                               "user", "add", "zhao.liu", "--role", "省级"], input=SECRET + "\n", text=True,
                              capture_output=True, cwd=ROOT, check=False)
        assert made.returncode == 0, made.stderr
        yield Site(url, db, log, demo)


def sign_in(visit: Visit, name: str, password: str) -> None:
    visit.page.locator("#name").fill(name)
    visit.page.locator("#password").fill(password)
    visit.page.get_by_role("button", name="登录").click()
    visit.page.wait_for_load_state()


def message(visit: Visit) -> str:
    return visit.page.locator(".message").inner_text()


def test_a_newcomer_signs_in_with_a_printed_demo_account_and_stays_signed_in(browser, site):
    signed_in_before = [e.who for e in site.entries(audit.SIGN_IN)].count("demo-province")
    signed_out_before = [e.who for e in site.entries(audit.SIGN_OUT)].count("demo-province")
    visit = Visit(browser, f"{site.url}/fund?year=2003")
    try:
        visit.page.wait_for_url(re.compile(r"/signin\?next=%2Ffund%3Fyear%3D2003$"))
        assert "演示账号和密码在启动程序的控制台中" in visit.page.inner_text("main")
        visit.page.screenshot(path=str(ARTIFACTS / "access-signin.png"))
        sign_in(visit, "demo-province", site.demo["demo-province"])
        visit.settle("基金预警")  # back on the page asked for
        assert "demo-province（省级）" in visit.text() and "延边朝鲜族自治州" in visit.text()
        cookie = next(c for c in visit.context.cookies() if c["name"] == SESSION_COOKIE)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        hours = (dt.datetime.fromtimestamp(cookie["expires"]) - dt.datetime.now()).total_seconds() / 3600
        assert 11.9 < hours <= 12
        assert SESSION_COOKIE not in visit.page.evaluate("document.cookie")  # out of reach of scripts

        visit.page.reload()
        visit.settle("基金预警")
        assert "demo-province（省级）" in visit.text()

        visit.page.get_by_role("link", name="退出登录").click()
        visit.page.wait_for_url(re.compile(r"/signin\?reason=signed_out$"))
        assert message(visit) == "已退出登录。"
        visit.page.goto(f"{site.url}/progress")
        visit.page.wait_for_url(re.compile(r"/signin\?next="))
        visit.context.add_cookies([{**cookie, "expires": -1}])  # the old cookie, kept by someone: worthless now
        visit.page.goto(f"{site.url}/progress")
        visit.page.wait_for_url(re.compile(r"/signin\?next=%2Fprogress&reason=signed_out$"))
        assert not visit.errors
    finally:
        visit.close()
    assert [e.who for e in site.entries(audit.SIGN_IN)].count("demo-province") == signed_in_before + 1
    assert [e.who for e in site.entries(audit.SIGN_OUT)].count("demo-province") == signed_out_before + 1


def test_wrong_passwords_then_a_lockout(browser, site):
    accounts.add_user(site.access, "lock.test", "省级", None, "Right-Password-2003", actor=Actor("pytest"))
    visit = Visit(browser, f"{site.url}/signin")
    try:
        sign_in(visit, "nobody.here", "Whatever-It-Is-1")
        unknown = message(visit)
        for attempt in range(4):
            sign_in(visit, "lock.test", f"Wrong-Password-{attempt}")
            assert message(visit) == unknown == signin.WRONG  # the same words whether or not the name exists
        # the name stays for the next try, the password is typed again
        assert visit.page.locator("#name").input_value() == "lock.test"
        assert visit.page.locator("#password").input_value() == ""
        visit.page.screenshot(path=str(ARTIFACTS / "access-wrong-password.png"))
        sign_in(visit, "lock.test", "Wrong-Password-4")
        assert message(visit).startswith("连续输错密码5次，该账号已锁定，请于")
        sign_in(visit, "lock.test", "Right-Password-2003")
        assert message(visit).startswith("连续输错密码5次，该账号已锁定")
        assert "/signin" in visit.page.url and not any(c["name"] == SESSION_COOKIE for c in visit.context.cookies())
        visit.page.screenshot(path=str(ARTIFACTS / "access-locked.png"))
    finally:
        visit.close()
    failed = [e.detail for e in site.entries(audit.SIGN_IN_FAILED) if e.who == "lock.test"][::-1]
    assert failed == [f"密码错误（连续第{n}次）" for n in range(1, 6)] + ["账号锁定中"]
    assert [e.who for e in site.entries(audit.LOCKED)] == ["lock.test"]
    assert "no***" in [e.who for e in site.entries(audit.SIGN_IN_FAILED)]


def test_a_city_user_cannot_reach_another_city_by_url_widget_or_export(browser, site):
    visit = Visit(browser, f"{site.url}/progress?city=220200")
    try:
        sign_in(visit, "demo-city", site.demo["demo-city"])
        visit.settle("市州进度")
        text = visit.text()
        assert "无权访问：您的账号只能查看长春市的数据，不能查看吉林市的数据。" in text
        assert "吉林市2003" not in text and "完成进度" not in text
        visit.screenshot(ARTIFACTS / "access-city-refused.png")

        visit.page.get_by_role("button", name="返回本市的页面").click()
        visit.page.get_by_role("link", name="市州进度").click()
        visit.settle("市州进度")
        assert "长春市2003年目标责任书完成进度" in visit.text()
        visit.page.get_by_test_id("stSelectbox").nth(2).click()  # the city picker: 长春市 and nothing else
        options = visit.page.get_by_role("option").all_inner_texts()
        assert options == ["长春市"]
        visit.page.keyboard.press("Escape")
        visit.screenshot(ARTIFACTS / "access-city-progress.png")

        visit.page.get_by_role("link", name="年终考评").click()
        visit.settle("年终考评")
        province = visit.page.get_by_role("button", name=re.compile("^下载(Excel|Word|PDF)"))
        assert province.count() == 3 and all(province.nth(k).is_disabled() for k in range(3))
        assert visit.page.get_by_role("link", name="下载长春市单位考评卡（PDF）").is_visible()
        assert "无权访问：市州账号不能下载全省考评文件" in visit.text()  # why, written beside each
        assert not re.search("吉林市|四平市|延边", visit.text())
        visit.screenshot(ARTIFACTS / "access-city-assessment.png")

        for title in ("全省排名", "基金预警"):
            visit.page.get_by_role("link", name=title).click()
            visit.settle(title)
            visit.screenshot(ARTIFACTS / f"access-city-{'ranking' if title == '全省排名' else 'fund'}.png")
        assert visit.page.get_by_role("link", name="审计日志").count() == 0  # not in the bar
        visit.page.goto(f"{site.url}/audit")
        visit.settle("审计日志")
        assert "无权访问：市州账号不能查看审计日志。" in visit.text()
        assert not visit.errors
    finally:
        visit.close()
    refused = [(e.who, e.target) for e in site.entries(audit.DENIED)]
    assert ("demo-city", "吉林市（220200）") in refused and ("demo-city", "查看审计日志") in refused


def test_a_province_user_exports_and_the_export_is_on_record(browser, site, tmp_path):
    visit = Visit(browser, f"{site.url}/assessment?year=2003&month=6")
    try:
        sign_in(visit, "demo-admin", site.demo["demo-admin"])
        visit.settle("年终考评")
        with visit.page.expect_download() as download:
            visit.page.get_by_role("link", name="下载Excel考评表").click()
        assert download.value.suggested_filename.endswith(".xlsx")
    finally:
        visit.close()
    exported = [(e.who, e.target) for e in site.entries(audit.EXPORT)]
    assert ("demo-admin", download.value.suggested_filename) in exported


def test_no_password_or_hash_in_pages_logs_or_the_audit_log(browser, site):
    shown = []
    visit = Visit(browser, f"{site.url}/")
    try:
        sign_in(visit, SECRET, "typed into the wrong field")  # the password typed as a user name
        shown.append(visit.page.content())
        assert visit.page.locator("#name").input_value() == ""  # not a user name as accounts have them: not kept
        sign_in(visit, "zhao.liu", "Maple-Ridge-Station-41")
        shown.append(visit.page.content())
        sign_in(visit, "zhao.liu", SECRET)
        for path, title in (("", "全省排名"), ("progress", "市州进度"), ("assessment", "年终考评"),
                            ("fund", "基金预警"), ("contracts", "目标责任书"), ("data", "数据管理"),
                            ("audit", "审计日志")):
            visit.page.goto(f"{site.url}/{path}")
            visit.settle(title)
            shown += [visit.page.content(), visit.text()]
        assert "zhao.liu（省级）" in visit.text()
    finally:
        visit.close()
    with site.access.read() as con:
        stored = con.execute(select(tables.users.c.password_hash).where(tables.users.c.name == "zhao.liu")).scalar()
        logged = "\n".join(str(row) for row in con.execute(select(tables.audit)).all())
    listing = subprocess.run([sys.executable, "-m", "scorecard", "--db", str(site.db), "audit", "--limit", "1000"],
                             capture_output=True, text=True, cwd=ROOT, check=False)
    secrets_ = {"password": SECRET, "hash": stored, "hash digest": stored.rsplit("$", 1)[1]}
    places = {"pages": "\n".join(shown), "server output": site.log.read_text(encoding="utf-8"),
              "audit log": logged, "scorecard audit": listing.stdout + listing.stderr}
    for what, secret in secrets_.items():
        for where, text in places.items():
            assert secret not in text, f"the {what} appears in the {where}"
    assert "ma***" in logged  # the mistyped name is kept only in part
