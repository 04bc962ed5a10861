"""The front door of the web app: the server's own routes and a gate before every request.

app.py hands these to `st.App` (Streamlit's ASGI app, served by uvicorn under `streamlit run app.py`):

- `routes()`: the sign-in page and sign-out (dashboard/signin.py) and the downloads (dashboard/handout.py).
- `Gate`, a middleware: in password mode a page request without a valid session is redirected to
  /signin and the app's websocket is refused, so nothing of the app runs for a stranger; in header
  mode (single sign-on) only requests from the trusted proxies are served. The Streamlit script checks
  the session again on every run (dashboard/session.py) — the gate is the outer wall, not the only one.
- `lifespan` on start: says so when the database is missing (it is never built here: demo data only comes
  from `scorecard demo`) and, on a demo database without any account, creates one demo account per role
  with a random password and prints them on the console, marked 仅供演示; then, in a thread of its own, it
  makes what the first page draws from while the first browser loads (dashboard/warmup.py).

Nothing here imports the Streamlit script machinery (only the warm-up's thread does); it runs in the server,
outside any session.
"""

from __future__ import annotations

import ipaddress
import sys
from contextlib import asynccontextmanager

from anyio import to_thread
from sqlalchemy.exc import SQLAlchemyError
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Route

from dashboard import warmup
from dashboard.handout import download
from dashboard.server import config_dir, address_of, demo_database, prefix, records, settings, signin_path
from dashboard.signin import page, problems_page, signin, signout
from scorecard.config import ACCESS_FILE, HEADER, AccessSettings, load_config
from scorecard.data.store import Store, StoreError, missing_text, resolve_db
from scorecard.records import accounts, sessions
from scorecard.records.sessions import COOKIE


def routes() -> list[Route]:
    return [Route(f"{prefix()}/signin", signin, methods=["GET", "POST"]),
            Route(f"{prefix()}/signout", signout, methods=["GET", "POST"]),
            Route(f"{prefix()}/download/{{link}}", download, methods=["GET"])]


# --- the gate ---------------------------------------------------------------------------------------

def _local(path: str) -> str:
    return path[len(prefix()):] if prefix() and path.startswith(prefix()) else path


def _open(path: str) -> bool:
    """What anyone may fetch: the front end's files, health checks, the sign-in and sign-out pages."""
    path = _local(path)
    return (path.startswith("/static/") or path in ("/favicon.png", "/signin", "/signout")
            or path.endswith(("/_stcore/health", "/_stcore/host-config")))


def _checks_itself(path: str) -> bool:
    """The download route: it refuses a stranger itself, with a line in the audit log."""
    return _local(path).startswith("/download/")


def _streamlit_media(path: str) -> bool:
    """Streamlit's /media/ files go to anybody with the address; nothing of ours uses them (pages/downloads.py)."""
    return _local(path).startswith("/media/")


def _page_request(path: str) -> bool:
    return not any(part in path for part in ("/_stcore/", "/media/", "/component/"))


class Gate:
    """ASGI middleware in front of Streamlit (see the module's docstring)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        current, problems = settings()
        connection = HTTPConnection(scope)
        path = scope["path"]
        if _streamlit_media(path):
            refusal = PlainTextResponse("本系统不通过此地址提供文件。", status_code=404)
        elif problems:
            refusal = problems_page(problems) if not _open(path) else None
        elif current.mode == HEADER:
            refusal = None if self._from_proxy(current, connection) else PlainTextResponse(
                "本系统只接受经单位统一认证网关的访问。", status_code=403)
        elif _open(path) or _checks_itself(path):
            refusal = None
        else:
            try:
                refusal = await self._password_refusal(current, connection, scope)
            except (StoreError, SQLAlchemyError) as exc:  # the records store unreachable, or damaged
                refusal = page("", message=f"暂时无法核对登录信息，请稍后重试。（{exc}）", error=True, status=503)
        if refusal is None:
            return await self.app(scope, receive, send)
        await self._refuse(refusal, scope, receive, send)

    @staticmethod
    async def _refuse(refusal, scope, receive, send):
        if scope["type"] == "websocket":
            await receive()  # websocket.connect
            return await send({"type": "websocket.close", "code": 1008})
        return await refusal(scope, receive, send)

    @staticmethod
    def _from_proxy(current: AccessSettings, connection: HTTPConnection) -> bool:
        host = address_of(connection)
        try:
            address = ipaddress.ip_address(host or "")
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(p, strict=False) for p in current.trusted_proxies)

    @staticmethod
    async def _password_refusal(current: AccessSettings, connection: HTTPConnection, scope):
        token = connection.cookies.get(COOKIE)
        check = await to_thread.run_sync(lambda: sessions.check_session(records(), token, current,
                                                                           address=address_of(connection)))
        if check.principal:
            return None
        path = scope["path"]
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and _page_request(path):
            query = scope.get("query_string", b"").decode("latin-1")
            reason = check.reason if check.reason != sessions.NO_SESSION else None
            return RedirectResponse(signin_path(path + (f"?{query}" if query else ""), reason), status_code=303)
        return PlainTextResponse("未登录或登录已失效", status_code=401)


def middleware() -> list[Middleware]:
    return [Middleware(Gate)]


# --- on start ---------------------------------------------------------------------------------------

def announce(out=None) -> None:
    """Say that the database is missing, if it is; on a demo database without accounts, create and print the
    demo accounts; otherwise say how people sign in."""
    out = out or sys.stdout
    current, problems = settings()
    if problems:
        print(f"登录配置 {ACCESS_FILE} 有{len(problems)}处问题，修正前任何人都无法登录：", file=out)
        for problem in problems:
            print(f"  {problem}", file=out)
        return
    if current.mode == HEADER:
        print(f"登录方式：单位统一认证（请求头 {current.header}，登记用户{len(current.users)}个，"
              f"只接受来自 {'、'.join(current.trusted_proxies)} 的访问）", file=out, flush=True)
        return
    store = Store(resolve_db().resolve())
    if not store.exists():  # reported, never replaced: demo data only where a person asks (scorecard demo)
        print(missing_text(store.path), file=out, flush=True)
        return
    db = records()
    created = []
    if demo_database() and not accounts.has_accounts(db):  # the config only then: the first page checks it anyway
        config = load_config(config_dir(), cache=True)[0]
        created = accounts.create_demo_accounts(db, config) if config is not None else []
    if created:
        width = max(len(a.name) for a, _ in created)
        lines = [f"  {a.name:<{width}}  密码 {password}  {a.role}" + (f"（{config.city(a.city).name}）" if a.city else "")
                 for a, password in created]
        print("\n".join(["", "=" * 20 + " 演示账号（仅供演示） " + "=" * 20, *lines,
                         "  密码只显示这一次，忘记时运行 scorecard user passwd 用户名 重设。",
                         "  演示账号只能用于演示数据；使用正式数据前，请用 scorecard user add 建立正式账号。",
                         "=" * 62, ""]), file=out, flush=True)
    elif not accounts.has_accounts(db):
        print("还没有任何账号，无法登录。请先建立账号：scorecard user add 用户名 --role 省级|市州|数据管理员 "
              "[--city 市州代码]", file=out, flush=True)
    else:
        print(f"登录方式：本系统账号（{db.path or db}）。管理账号：scorecard user list | add | passwd | disable",
              file=out, flush=True)
        if not demo_database() and any(a.demo and not a.disabled for a in accounts.accounts(db)):
            print("提示：数据库中已是正式数据，演示账号不能再登录；可用 scorecard user disable demo-province 等停用。",
                  file=out, flush=True)


def _announce_safely() -> None:
    try:
        announce()
    except (StoreError, OSError, SQLAlchemyError) as exc:  # a damaged database: the pages say so; the server still starts
        print(f"启动检查未完成：{exc}", flush=True)


@asynccontextmanager
async def lifespan(app):
    await to_thread.run_sync(_announce_safely)
    warmup.start()
    yield
