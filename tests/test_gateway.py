"""pages/gateway.py driven as ASGI, without a browser: the gate in front of the app, /signin and /signout."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from conftest import session_token, writable_copy
from starlette.applications import Starlette

from dashboard import gateway
from scorecard.records.store import Records
from scorecard.records import sessions
from scorecard.records import signin
from scorecard.records import accounts, audit
from scorecard.records.audit import Actor

PASSWORD = "Willow-Bridge-Gate-5"


def call(app, path: str, *, method: str = "GET", cookie: str | None = None, body: bytes = b"",
         client: str = "127.0.0.1", kind: str = "http", query: str = "", extra: dict | None = None) -> dict:
    """One request through an ASGI app: the status, headers and body sent back (or how a websocket ended)."""
    headers = [(b"host", b"testserver")] + [(k.encode(), v.encode()) for k, v in (extra or {}).items()]
    if cookie:
        headers.append((b"cookie", f"{sessions.COOKIE}={cookie}".encode()))
    if body:
        headers.append((b"content-type", b"application/x-www-form-urlencoded"))
    scope = {"type": kind, "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "headers": headers, "client": (client, 50000), "server": ("testserver", 80), "scheme": "http",
             "root_path": "", "http_version": "1.1", "method": method}
    incoming = [{"type": "websocket.connect"} if kind == "websocket" else
                {"type": "http.request", "body": body, "more_body": False}]
    sent = []

    async def receive():
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    # A thread of its own: the session's Playwright browser keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, app(scope, receive, send)).result()
    start = next((m for m in sent if m["type"] in ("http.response.start", "websocket.close")), {})
    return {"status": start.get("status"), "closed": start.get("code") if start.get("type") == "websocket.close" else None,
            "headers": [(k.decode(), v.decode()) for k, v in start.get("headers", [])],
            "body": b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body").decode()}


async def streamlit(scope, receive, send):
    """Stands in for Streamlit behind the gate."""
    if scope["type"] == "websocket":
        await receive()
        return await send({"type": "websocket.accept"})
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"the app"})


@pytest.fixture
def site(monkeypatch, config_dir, demo_db, own_records):
    """The gate and routes on the demo data, with records of this test's own."""
    monkeypatch.setenv("SCORECARD_CONFIG", str(config_dir))
    monkeypatch.setenv("SCORECARD_DB", str(demo_db))
    own_records(demo_db)
    return config_dir


def header(response, name: str) -> str | None:
    return next((v for k, v in response["headers"] if k == name), None)


def test_a_page_without_a_session_is_sent_to_sign_in(site):
    response = call(gateway.Gate(streamlit), "/progress", query="year=2003&city=220100")
    assert response["status"] == 303
    assert header(response, "location") == "/signin?next=%2Fprogress%3Fyear%3D2003%26city%3D220100"


def test_a_session_passes_the_gate(site, demo_db):
    token = session_token(demo_db)
    for path in ("/", "/progress"):
        assert call(gateway.Gate(streamlit), path, cookie=token)["body"] == "the app"
    assert call(gateway.Gate(streamlit), "/_stcore/stream", cookie=token, kind="websocket")["closed"] is None


def test_without_a_session_the_app_does_not_run(site):
    gate = gateway.Gate(streamlit)
    assert call(gate, "/_stcore/stream", kind="websocket")["closed"] == 1008
    assert call(gate, "/_stcore/stream", kind="websocket", cookie="forged")["closed"] == 1008
    assert call(gate, "/progress/_stcore/upload_file/x")["status"] == 401
    assert call(gate, "/progress", method="POST")["status"] == 401
    for open_path in ("/static/js/main.js", "/_stcore/health", "/progress/_stcore/host-config", "/favicon.png"):
        assert call(gate, open_path)["body"] == "the app"


def test_an_idle_session_is_sent_to_sign_in_with_the_reason(site, demo_db):
    import datetime as dt

    from conftest import make_user
    from scorecard.config import AccessSettings

    token = sessions.start_session(Records.beside(demo_db), make_user(demo_db), AccessSettings(),
                                   now=dt.datetime.now() - dt.timedelta(hours=1))
    response = call(gateway.Gate(streamlit), "/fund", cookie=token)
    assert header(response, "location") == "/signin?next=%2Ffund&reason=idle"
    page = call(Starlette(routes=gateway.routes()), "/signin", query="next=%2Ffund&reason=idle")
    assert "因长时间未操作，已自动退出登录" in page["body"]


def sign_in(name: str, password: str, next_path: str = "/progress", extra: dict | None = None) -> dict:
    body = urlencode({"name": name, "password": password, "next": next_path}).encode()
    return call(Starlette(routes=gateway.routes()), "/signin", method="POST", body=body, extra=extra)


def test_sign_in_sets_a_session_cookie_only_scripts_cannot_read(site, demo_db):
    accounts.add_user(Records.beside(demo_db), "gate.user", "省级", None, PASSWORD, actor=Actor("t"))
    response = sign_in("gate.user", PASSWORD)
    assert response["status"] == 303 and header(response, "location") == "/progress"
    raw = header(response, "set-cookie")
    cookie = SimpleCookie(raw)[sessions.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "lax" and cookie["path"] == "/"
    assert int(cookie["max-age"]) == 12 * 3600
    assert PASSWORD not in raw
    assert call(gateway.Gate(streamlit), "/", cookie=cookie.value)["body"] == "the app"

    out = call(Starlette(routes=gateway.routes()), "/signout", cookie=cookie.value)
    assert header(out, "location") == "/signin?reason=signed_out"
    assert 'scorecard_session=""' in header(out, "set-cookie") and "Max-Age=0" in header(out, "set-cookie")
    assert call(gateway.Gate(streamlit), "/", cookie=cookie.value)["status"] == 303


def test_a_failed_sign_in_keeps_the_name_and_says_nothing_more(site, demo_db):
    response = sign_in("nobody", PASSWORD)
    assert response["status"] == 200 and header(response, "set-cookie") is None
    body = response["body"]
    assert signin.WRONG in body and PASSWORD not in body
    assert body.count("nobody") == 1 and 'value="nobody"' in body  # back in the name field only, for a second try


@pytest.mark.parametrize("target, kept", [
    ("/progress?year=2003", "/progress?year=2003"), ("https://evil.example/", "/"), ("//evil.example/x", "/"),
    ("/\\evil.example", "/"), ("javascript:alert(1)", "/"), ("", "/"),
])
def test_sign_in_only_returns_to_this_app(site, target, kept):
    page = call(Starlette(routes=gateway.routes()), "/signin", query=urlencode({"next": target}))
    assert f'name="next" value="{kept}"' in page["body"].replace("&amp;", "&")


def test_header_mode_serves_only_the_trusted_proxies(site):
    (site / "access.yaml").write_text("mode: header\nheader:\n  name: X-Remote-User\n  trusted_proxies: [10.0.0.5]\n"
                                      "  users:\n    lisi: {role: 省级}\n", encoding="utf-8")
    gate = gateway.Gate(streamlit)
    assert call(gate, "/", client="10.0.0.5")["body"] == "the app"
    refused = call(gate, "/", client="10.0.0.6")
    assert refused["status"] == 403 and "统一认证网关" in refused["body"]
    assert call(gate, "/_stcore/stream", client="192.168.1.9", kind="websocket")["closed"] == 1008
    assert "单位统一身份认证" in call(Starlette(routes=gateway.routes()), "/signin", client="10.0.0.5")["body"]


def test_a_broken_access_yaml_closes_the_door(site):
    (site / "access.yaml").write_text("mode: ldap\n", encoding="utf-8")
    response = call(gateway.Gate(streamlit), "/")
    assert response["status"] == 503 and "登录配置有1处问题" in response["body"] and "access.yaml:1" in response["body"]


def test_the_demo_accounts_are_printed_once_on_a_demo_database(site, tmp_path, monkeypatch, capsys, demo_db):
    db = writable_copy(demo_db, tmp_path)
    monkeypatch.setenv("SCORECARD_DB", str(db))
    gateway.announce()
    printed = capsys.readouterr().out
    assert "演示账号（仅供演示）" in printed and printed.count("密码 ") == 3
    gateway.announce()
    again = capsys.readouterr().out
    assert "演示账号" not in again and "登录方式：本系统账号" in again
    created = audit.entries(Records.beside(db), action=audit.ACCOUNT)
    assert len(created) == 3 and all(e.detail.startswith("新增演示账号") for e in created)


def test_no_demo_accounts_on_real_data(site, tmp_path, monkeypatch, capsys, small_db):
    db = writable_copy(small_db, tmp_path)
    monkeypatch.setenv("SCORECARD_DB", str(db))
    gateway.announce()
    assert "还没有任何账号，无法登录。请先建立账号：scorecard user add" in capsys.readouterr().out
    assert not accounts.accounts(Records.beside(db))


def test_another_site_can_neither_sign_in_nor_sign_out(site, demo_db):
    accounts.add_user(Records.beside(demo_db), "gate.csrf", "省级", None, PASSWORD, actor=Actor("t"))
    forged = sign_in("gate.csrf", PASSWORD, extra={"origin": "https://evil.example"})
    assert forged["status"] == 200 and header(forged, "set-cookie") is None
    same = sign_in("gate.csrf", PASSWORD, extra={"origin": "http://testserver"})
    assert same["status"] == 303
    cookie = SimpleCookie(header(same, "set-cookie"))[sessions.COOKIE].value

    lured = call(Starlette(routes=gateway.routes()), "/signout", cookie=cookie, extra={"sec-fetch-site": "cross-site"})
    assert lured["status"] == 200 and "要退出登录吗" in lured["body"] and header(lured, "set-cookie") is None
    assert call(gateway.Gate(streamlit), "/", cookie=cookie)["body"] == "the app"
    mine = call(Starlette(routes=gateway.routes()), "/signout", cookie=cookie, extra={"sec-fetch-site": "same-origin"})
    assert header(mine, "location") == "/signin?reason=signed_out"
