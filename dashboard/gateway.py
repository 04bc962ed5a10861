"""The front door of the web app: the sign-in page, sign-out, and a gate before every request.

app.py hands these to `st.App` (Streamlit's ASGI app, served by uvicorn under `streamlit run app.py`):

- `GET /signin` shows the sign-in form; `POST /signin` checks the password (accounts.authenticate:
  lockout, audit log) and on success sets the session cookie — random, HttpOnly, SameSite=Lax, Secure
  over https, expiring after access.yaml's max_hours — and redirects to the page asked for.
- `/signout` ends the session on the server (the cookie is worthless from then on), clears the cookie
  and shows the sign-in page again.
- `Gate`, a middleware: in password mode a page request without a valid session is redirected to
  /signin and the app's websocket is refused, so nothing of the app runs for a stranger; in header
  mode (single sign-on) only requests from the trusted proxies are served. The Streamlit script checks
  the session again on every run (pages/session.py) — the gate is the outer wall, not the only one.
- `lifespan` on start: says so when the database is missing (it is never built here: demo data only comes
  from `scorecard demo`) and, on a demo database without any account, creates one demo account per role
  with a random password and prints them on the console, marked 仅供演示.

Nothing here imports the Streamlit script machinery; it runs in the server, outside any session.
"""

from __future__ import annotations

import html
import ipaddress
import os
import sys
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from anyio import to_thread
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from dashboard import downloads
from scorecard.records import accounts, audit
from scorecard.roles import SSO, WEB, AccessDenied, Principal
from scorecard.records.accounts import COOKIE, AccessDb
from scorecard.records.audit import Actor
from scorecard.config import HEADER, AccessSettings
from scorecard.errors import InputError
from scorecard.exports import FontError
from scorecard.assessment.scoring import ScoringError
from scorecard.data.store import Store, StoreError, get_meta, missing_text, resolve_db
from scorecard.config import ACCESS_FILE, load_access, load_config

TITLE = "失业保险目标责任制考评系统"
MAX_FORM_BYTES = 8192
REASONS = {  # why the sign-in page is shown (accounts' session reasons, and sign-out)
    accounts.IDLE: "因长时间未操作，已自动退出登录，请重新登录。",
    accounts.EXPIRED: "登录已到最长有效时间，请重新登录。",
    accounts.SIGNED_OUT: "已退出登录。",
    accounts.REVOKED: "该账号的登录已失效（密码已修改或账号已停用），请重新登录。",
}


def prefix() -> str:
    """The path the app is served under (Streamlit's server.baseUrlPath), "" at the root."""
    from streamlit import config

    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def signin_path(next_path: str | None = None, reason: str | None = None) -> str:
    query = []
    if next_path:
        query.append(f"next={quote(next_path, safe='')}")
    if reason:
        query.append(f"reason={reason}")
    return f"{prefix()}/signin" + (f"?{'&'.join(query)}" if query else "")


def signout_path() -> str:
    return f"{prefix()}/signout"


def download_path(link_id: str) -> str:
    return f"{prefix()}/download/{link_id}"


# --- where the settings and the databases are -------------------------------------------------------

def _config_dir() -> Path:
    return Path(os.environ.get("SCORECARD_CONFIG") or "config").resolve()


@lru_cache(maxsize=4)
def _settings_at(directory: str, stamp) -> tuple[AccessSettings | None, list]:
    return load_access(directory)


def settings() -> tuple[AccessSettings | None, list]:
    """access.yaml as it is now (read again when the file changes)."""
    directory = _config_dir()
    try:
        stat = (directory / ACCESS_FILE).stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        stamp = None
    return _settings_at(str(directory), stamp)


def access_db() -> AccessDb:
    return AccessDb.beside(resolve_db().resolve())


def demo_database() -> bool:
    store = Store(resolve_db().resolve())
    if not store.exists():
        return False
    try:
        with store.reader() as con:
            return get_meta(con, "demo") == "1"
    except StoreError:
        return False


def _address(connection: HTTPConnection) -> str | None:
    return connection.client.host if connection.client else None


def _cross_site(request: Request) -> bool:
    """A request another site made the browser send (CSRF): a POST whose Origin names another host, or a
    navigation the browser marks cross-site. Requests without these headers (not from a browser) pass."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return True
    origin = request.headers.get("origin")
    if request.method == "POST" and origin and origin != "null":
        host = request.headers.get("x-forwarded-host") or request.headers.get("host")
        return urlsplit(origin).netloc != host
    return request.method == "POST" and origin == "null"


def _safe_next(value: str | None) -> str:
    """Only a path of this app: never another site (an open redirect)."""
    home = f"{prefix()}/"
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return home
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith(prefix() or "/"):
        return home
    return value


# --- the sign-in page -----------------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · {title}</title>
<style>
body {{margin:0; min-height:100vh; display:flex; align-items:center; justify-content:center; background:#f3f5f8;
       font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei","PingFang SC",sans-serif; color:#1f2933}}
main {{width:360px; background:#fff; border-top:4px solid #1f4e79; border-radius:6px; padding:2rem 2.2rem 1.6rem;
       box-shadow:0 2px 12px rgba(0,0,0,.08)}}
h1 {{font-size:1.25rem; margin:0 0 .3rem; color:#1f4e79}}
p.sub {{margin:0 0 1.4rem; color:#5f6b7a; font-size:.9rem}}
label {{display:block; font-size:.9rem; margin:.9rem 0 .3rem}}
input {{width:100%; box-sizing:border-box; padding:.55rem .6rem; font-size:1rem; border:1px solid #c4ccd6; border-radius:4px}}
input:focus {{outline:2px solid #1f4e79; border-color:#1f4e79}}
button {{width:100%; margin-top:1.4rem; padding:.6rem; font-size:1rem; color:#fff; background:#1f4e79; border:0;
         border-radius:4px; cursor:pointer}}
.message {{margin:0 0 .6rem; padding:.6rem .7rem; border-radius:4px; font-size:.9rem; line-height:1.5}}
.error {{background:#fdecea; color:#a61b1b}}
.notice {{background:#e8f0f8; color:#1f4e79}}
footer {{margin-top:1.3rem; font-size:.8rem; color:#5f6b7a; line-height:1.6}}
</style></head>
<body><main>
<h1>{title}</h1>
<p class="sub">{subtitle}</p>
{message}
{body}
<footer>{footer}</footer>
</main></body></html>"""

FORM = """<form method="post" action="{action}" autocomplete="on">
<input type="hidden" name="next" value="{next}">
<label for="name">用户名</label>
<input id="name" name="name" autocomplete="username" required autofocus>
<label for="password">密码</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">登录</button>
</form>"""


SIGN_OUT = """<form method="post" action="{action}"><button type="submit">退出登录</button></form>"""


def _page(body: str, *, message: str | None = None, error: bool = False, footer: str = "",
          status: int = 200) -> HTMLResponse:
    box = f'<p class="message {"error" if error else "notice"}" role="alert">{html.escape(message)}</p>' \
        if message else ""
    text = PAGE.format(title=TITLE, subtitle="请登录后使用。各市州账号只能查看本市的数据。", message=box, body=body,
                       footer=footer)
    return HTMLResponse(text, status_code=status, headers={"Cache-Control": "no-store"})


def _form(next_path: str, message: str | None = None, error: bool = False,
          settings_: AccessSettings | None = None) -> HTMLResponse:
    """The form, always empty: what was typed is not sent back (a password typed into the name field would be)."""
    footer = ""
    if settings_ is not None:
        footer = f"连续输错{accounts.MAX_FAILURES}次密码，账号将锁定{accounts.LOCK_MINUTES}分钟；" \
                 f"{settings_.idle_minutes:g}分钟不操作自动退出。"
    if demo_database():
        footer += "<br>当前为演示数据：演示账号和密码在启动程序的控制台中（仅供演示）。"
    body = FORM.format(action=html.escape(f"{prefix()}/signin"), next=html.escape(next_path))
    return _page(body, message=message, error=error, footer=footer)


def _set_cookie(response, request: Request, token: str, max_hours: float) -> None:
    secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
    response.set_cookie(COOKIE, token, max_age=int(max_hours * 3600), path=f"{prefix()}/", httponly=True,
                        samesite="lax", secure=secure)


def _problems_page(problems) -> HTMLResponse:
    items = "".join(f"<li>{html.escape(str(p))}</li>" for p in problems)
    return _page(f"<ul>{items}</ul>", message=f"登录配置有{len(problems)}处问题，修正后刷新本页即可。", error=True,
                 status=503)


async def signin(request: Request):
    current, problems = settings()
    if problems:
        return _problems_page(problems)
    if current.mode == HEADER:
        return _page("", message="本系统通过单位统一身份认证登录，请从单位门户进入。")
    next_path = _safe_next(request.query_params.get("next"))
    if request.method != "POST":
        token = request.cookies.get(COOKIE)
        if token:
            check = await to_thread.run_sync(lambda: accounts.check_session(access_db(), token, current,
                                                                               address=_address(request)))
            if check.principal:
                return RedirectResponse(next_path, status_code=303)
        return _form(next_path, message=REASONS.get(request.query_params.get("reason")), settings_=current)
    if _cross_site(request):
        return _form(next_path, "请在本系统的登录页中输入用户名和密码。", error=True, settings_=current)
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return PlainTextResponse("请求过大", status_code=413)
    form = {key: values[0] for key, values in parse_qs(body.decode("utf-8", "replace")).items()}
    name, password = form.get("name", ""), form.get("password", "")
    next_path = _safe_next(form.get("next"))
    if not name.strip() or not password:
        return _form(next_path, "请输入用户名和密码。", error=True, settings_=current)

    def check():
        outcome = accounts.authenticate(access_db(), name, password, demo_database=demo_database(),
                                        address=_address(request))
        token = accounts.start_session(access_db(), outcome.principal, current) if outcome.principal else None
        return outcome, token

    try:
        outcome, token = await to_thread.run_sync(check)
    except StoreError:  # the access database locked for long, or damaged
        return _form(next_path, "暂时无法核对登录信息，请稍后重试。", error=True, settings_=current)
    if token is None:
        return _form(next_path, outcome.message, error=True, settings_=current)
    response = RedirectResponse(next_path, status_code=303)
    _set_cookie(response, request, token, current.max_hours)
    return response


async def signout(request: Request):
    current, problems = settings()
    if current is not None and current.mode == HEADER:
        if current.logout_url:
            return RedirectResponse(current.logout_url, status_code=303)
        return _page("", message="请在单位门户中退出登录。")
    if _cross_site(request):  # another site may not sign a user out: ask them here
        return _page(SIGN_OUT.format(action=html.escape(signout_path())), message="要退出登录吗？")
    token = request.cookies.get(COOKIE)
    if token:
        await to_thread.run_sync(lambda: accounts.end_session(access_db(), token, address=_address(request)))
    response = RedirectResponse(signin_path(reason=accounts.SIGNED_OUT), status_code=303)
    response.delete_cookie(COOKIE, path=f"{prefix()}/", httponly=True, samesite="lax")
    return response


# --- downloads -------------------------------------------------------------------------------------

async def download(request: Request):
    """GET /download/<id>: a document a page offered (pages/downloads.py), to the session it was offered to."""
    current, problems = settings()
    if problems:
        return _problems_page(problems)
    link_id, address = request.path_params["link"], _address(request)
    try:
        return await to_thread.run_sync(lambda: _hand_out(request, current, link_id, address))
    except StoreError as exc:  # the access database locked for long, or damaged
        return _page("", message=f"暂时无法核对登录信息，请稍后重试。（{exc}）", error=True, status=503)


def _hand_out(request: Request, current: AccessSettings, link_id: str, address: str | None):
    db = access_db()
    who, holder = _requester(request, current, db, address)
    if who is None:
        stranger = Actor("（未登录）", channel=SSO if current.mode == HEADER else WEB, address=address)
        return _refuse_download(db, stranger, "未登录或登录已失效", 403, "未登录或登录已失效。请登录后回到页面重新下载。")
    actor = Actor.of(who, address)
    document, why = downloads.find(link_id, holder)
    if document is None:
        return _refuse_download(db, actor, why, 404,
                                "下载链接无效或已过期：链接只对生成它的那次登录有效。请回到页面重新下载。")
    try:
        document.permitted(who)  # the same session, but its role or grant may have changed since
    except AccessDenied as exc:
        return _refuse_download(db, actor, str(exc), 403, str(exc), target=document.file_name)
    try:
        data = document.build()
    except (FontError, InputError, ScoringError, StoreError) as exc:
        return _page(_BACK.format(home=html.escape(f"{prefix()}/")), message=f"无法生成{document.file_name}：{exc}",
                     error=True, status=503)
    accounts.record(db, actor, audit.EXPORT, target=document.file_name, detail=document.detail)
    return Response(data, media_type=document.mime, headers={
        "Content-Disposition": _attachment(document.file_name), "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff"})


def _requester(request: Request, current: AccessSettings, db: AccessDb,
               address: str | None) -> tuple[Principal | None, str | None]:
    """Who sent a request (the Gate has let it through), and the holder their download links are made for."""
    if current.mode == HEADER:
        user = (request.headers.get(current.header) or "").strip()
        grant = current.grant_for(user) if user else None
        if grant is None:
            return None, None
        return Principal(user.lower(), grant.role, grant.city, SSO), downloads.user_holder(user)
    token = request.cookies.get(COOKIE)
    check = accounts.check_session(db, token, current, address=address)
    if check.principal is None or (check.demo and not demo_database()):
        return None, None
    return check.principal, downloads.session_holder(token)


_BACK = '<p><a href="{home}">返回系统</a></p>'


def _refuse_download(db: AccessDb, actor: Actor, why: str, status: int, message: str,
                     target: str | None = None) -> HTMLResponse:
    """无权访问 in the audit log, and a page saying what to do."""
    accounts.record(db, actor, audit.DENIED, outcome=audit.REFUSED, target=target, detail=f"下载：{why}")
    return _page(_BACK.format(home=html.escape(f"{prefix()}/")), message=message, error=True, status=status)


def _attachment(name: str) -> str:
    """Content-Disposition for a Chinese file name (RFC 6266 with RFC 5987's filename*), with an ASCII fallback."""
    plain = "".join(c for c in name if c.isascii() and (c.isalnum() or c in "._-"))
    if not Path(plain).stem:
        plain = "download" + Path(name).suffix
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


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
            refusal = _problems_page(problems) if not _open(path) else None
        elif current.mode == HEADER:
            refusal = None if self._from_proxy(current, connection) else PlainTextResponse(
                "本系统只接受经单位统一认证网关的访问。", status_code=403)
        elif _open(path) or _checks_itself(path):
            refusal = None
        else:
            try:
                refusal = await self._password_refusal(current, connection, scope)
            except StoreError as exc:  # the access database locked for long, or damaged
                refusal = _page("", message=f"暂时无法核对登录信息，请稍后重试。（{exc}）", error=True, status=503)
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
        host = _address(connection)
        try:
            address = ipaddress.ip_address(host or "")
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(p, strict=False) for p in current.trusted_proxies)

    @staticmethod
    async def _password_refusal(current: AccessSettings, connection: HTTPConnection, scope):
        token = connection.cookies.get(COOKIE)
        check = await to_thread.run_sync(lambda: accounts.check_session(access_db(), token, current,
                                                                           address=_address(connection)))
        if check.principal:
            return None
        path = scope["path"]
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and _page_request(path):
            query = scope.get("query_string", b"").decode("latin-1")
            reason = check.reason if check.reason != accounts.NO_SESSION else None
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
    config = load_config(_config_dir(), cache=True)[0]
    db = access_db()
    created = accounts.create_demo_accounts(db, config) if config is not None and demo_database() else []
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
        print(f"登录方式：本系统账号（{db.path}）。管理账号：scorecard user list | add | passwd | disable",
              file=out, flush=True)
        if not demo_database() and any(a.demo and not a.disabled for a in accounts.accounts(db)):
            print("提示：数据库中已是正式数据，演示账号不能再登录；可用 scorecard user disable demo-province 等停用。",
                  file=out, flush=True)


def _announce_safely() -> None:
    try:
        announce()
    except (StoreError, OSError) as exc:  # a damaged database: the pages say so; the server still starts
        print(f"启动检查未完成：{exc}", flush=True)


@asynccontextmanager
async def lifespan(app):
    await to_thread.run_sync(_announce_safely)
    yield
