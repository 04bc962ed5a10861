"""A document the app hands out is served only to the session that asked for it: against the real server in
headless Chromium, a 省级 session downloads the workbook; the same address replayed from a 市州 session and with
no session at all gets nothing but a refusal, and the audit log says so. A 市州 user gets their own report card,
and sees why the province documents are not theirs. Streamlit's own /media/ addresses are closed."""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest
from conftest import session_token, writable_copy
from export_support import pdf_pages_text
from live_server import Visit, streamlit_server

from scorecard.records.store import Records
from scorecard.records import audit
from scorecard.roles import CITY, PROVINCE

CHANGCHUN = "220100"


@pytest.fixture(scope="module")
def site(tmp_path_factory, shipped_config_dir, demo_db):
    db = writable_copy(demo_db, tmp_path_factory.mktemp("downloads"))
    with streamlit_server(shipped_config_dir, db) as url:
        yield url, db


def download(visit: Visit, label: str):
    """Click what the page offers under `label` and wait for the file: (the address it came from, its bytes)."""
    with visit.page.expect_download() as event:
        visit.page.get_by_text(label, exact=True).click()
    path = event.value.path()
    return event.value.url, event.value.suggested_filename, path.read_bytes()


def anonymous_get(address: str) -> int:
    try:
        with urllib.request.urlopen(address, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as refusal:
        return refusal.code


def denials(db) -> list[audit.AuditEntry]:
    return audit.entries(Records.beside(db), action=audit.DENIED)


@pytest.mark.browser
def test_a_download_is_served_to_its_own_session_only(browser, site):
    from openpyxl import load_workbook

    url, db = site
    before = len(denials(db))
    province = Visit(browser, f"{url}/assessment?year=2003&month=6", session_token(db, PROVINCE))
    city = Visit(browser, f"{url}/assessment?year=2003&month=6", session_token(db, CITY, CHANGCHUN))
    try:
        province.settle("年终考评")
        address, name, data = download(province, "下载Excel考评表")
        assert name.endswith(".xlsx") and "预估" in name
        sheet = load_workbook(io.BytesIO(data))["汇总"]
        assert any("吉林市" in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
        assert ("test-province", name) in [(e.who, e.target) for e in
                                          audit.entries(Records.beside(db), action=audit.EXPORT)]

        city.settle("年终考评")
        replayed = city.context.request.get(address)
        assert replayed.status in (403, 404) and b"PK" not in replayed.body()[:2]
        assert anonymous_get(address) in (403, 404)
        refused = denials(db)[:len(denials(db)) - before][::-1]
        assert [(e.who, e.detail) for e in refused] == [("test-city-220100", "下载：链接属于另一次登录"),
                                                       ("（未登录）", "下载：未登录或登录已失效")]
        assert not city.errors and not province.errors
    finally:
        province.close()
        city.close()


@contextmanager
def signed_in(browser, site, path: str, title: str, *role):
    """A tab of a test user on a page, drawn; it must end without a console error."""
    url, db = site
    visit = Visit(browser, f"{url}/{path}", session_token(db, *role))
    try:
        visit.settle(title)
        yield visit
        assert not visit.errors
    finally:
        visit.close()


@pytest.mark.browser
def test_the_answer_is_an_attachment_never_cached(browser, site):
    with signed_in(browser, site, "assessment?year=2003&month=12", "年终考评", PROVINCE) as province:
        link = province.page.get_by_role("link", name="下载Word通报")
        answer = province.context.request.get(f"{site[0]}{link.get_attribute('href')}")
        assert answer.status == 200 and answer.body()[:2] == b"PK"
        assert answer.headers["cache-control"] == "no-store"
        disposition = answer.headers["content-disposition"]
        assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
        assert "%E8%80%83%E8%AF%84%E9%80%9A%E6%8A%A5" in disposition  # 考评通报, RFC 5987


@pytest.mark.browser
def test_a_city_user_takes_their_own_report_card_and_sees_why_not_the_rest(browser, site, tmp_path):
    with signed_in(browser, site, "assessment?year=2003&month=12", "年终考评", CITY, CHANGCHUN) as city:
        assert city.text().count("无权访问：市州账号不能下载全省考评文件") == 4  # written out, not only on hover
        for label in ("下载Excel考评表", "下载Word通报", "下载PDF通报和单位考评卡", "下载会议材料包（压缩包，含图表）"):
            assert city.page.get_by_role("link", name=label).count() == 0
            assert city.page.get_by_role("button", name=label).is_disabled()
        _, name, data = download(city, "下载长春市单位考评卡（PDF）")
        assert name.endswith(".pdf") and "长春市" in name
        text = "".join(pdf_pages_text(data, tmp_path))
        assert "长春市" in text and "吉林市" not in text


@pytest.mark.browser
def test_streamlit_media_addresses_are_closed(browser, site):
    with signed_in(browser, site, "", "全省排名", PROVINCE) as province:  # nothing of the app asks for them
        answer = province.context.request.get(f"{site[0]}/media/0123456789abcdef.xlsx")
        assert answer.status == 404 and answer.text() == "本系统不通过此地址提供文件。"  # the gate's, not Streamlit's


# --- the route itself, as ASGI (single sign-on: the user name in a header from the trusted proxy) ---------------

def test_single_sign_on_links_are_their_users_own_and_checked_again(monkeypatch, config_dir, demo_db, tmp_path):
    from starlette.applications import Starlette
    from test_gateway import call, header

    from dashboard import downloads, gateway, server
    from scorecard import roles as access

    db = writable_copy(demo_db, tmp_path)
    monkeypatch.setenv("SCORECARD_CONFIG", str(config_dir))
    monkeypatch.setenv("SCORECARD_DB", str(db))
    sso = "mode: header\nheader:\n  name: X-Remote-User\n  trusted_proxies: [127.0.0.1]\n  users:\n"
    (config_dir / "access.yaml").write_text(sso + "    zhangsan: {role: 省级}\n    lisi: {role: 省级}\n",
                                            encoding="utf-8")
    document = downloads.Document("2003年考评结果.xlsx", "application/octet-stream", lambda: b"the workbook",
                                   lambda who: access.require(who, access.EXPORT), "Excel考评表")
    link = downloads.offer(downloads.user_holder("ZhangSan"), ("a test",), document)
    app = gateway.Gate(Starlette(routes=gateway.routes()))

    def fetch(user: str) -> dict:
        return call(app, server.download_path(link), extra={"x-remote-user": user})

    mine = fetch("zhangsan")
    assert mine["status"] == 200 and mine["body"] == "the workbook"
    assert header(mine, "content-disposition") == (
        "attachment; filename=\"2003.xlsx\"; filename*=UTF-8''2003%E5%B9%B4%E8%80%83%E8%AF%84%E7%BB%93%E6%9E%9C.xlsx")
    assert fetch("lisi")["status"] == 404 and fetch("")["status"] == 403
    (config_dir / "access.yaml").write_text(sso + '    zhangsan: {role: 市州, city: "220100"}\n', encoding="utf-8")
    assert fetch("zhangsan")["status"] == 403  # the grant changed since the page offered the link
    assert call(app, "/download/not-a-link", extra={"x-remote-user": "zhangsan"})["status"] == 404

    lines = [(e.who, e.channel, e.detail) for e in denials(db)][::-1]
    assert lines == [("lisi", "统一认证", "下载：链接属于另一次登录"), ("（未登录）", "统一认证", "下载：未登录或登录已失效"),
                     ("zhangsan", "统一认证", "下载：无权访问：市州账号不能下载考评文件。"),
                     ("zhangsan", "统一认证", "下载：链接无效或已过期")]
    exports = audit.entries(Records.beside(db), action=audit.EXPORT)
    assert [(e.who, e.target) for e in exports] == [("zhangsan", "2003年考评结果.xlsx")]
