"""The sign-in page and sign-out.

- `GET /signin` shows the sign-in form; `POST /signin` checks the password (records.signin.authenticate:
  lockout, audit log) and on success sets the session cookie — random, HttpOnly, SameSite=Lax, Secure
  over https, expiring after access.yaml's max_hours — and redirects to the page asked for.
- `/signout` ends the session on the server (the cookie is worthless from then on), clears the cookie
  and shows the sign-in page again.
"""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlsplit

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse
from sqlalchemy.exc import SQLAlchemyError

from dashboard.server import (TITLE, address_of, demo_database, prefix, records, settings, signin_path,
                              signout_path)
from scorecard.config import HEADER, AccessSettings
from scorecard.data.store import StoreError
from scorecard.errors import InputError
from scorecard.records import sessions, signin as signing_in
from scorecard.records.passwords import check_name
from scorecard.records.sessions import COOKIE

MAX_FORM_BYTES = 8192
REASONS = {  # why the sign-in page is shown (the session's reasons, and sign-out)
    sessions.IDLE: "因长时间未操作，已自动退出登录，请重新登录。",
    sessions.EXPIRED: "登录已到最长有效时间，请重新登录。",
    sessions.SIGNED_OUT: "已退出登录。",
    sessions.REVOKED: "该账号的登录已失效（密码已修改或账号已停用），请重新登录。",
}


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
main {{box-sizing:border-box; width:min(430px, calc(100vw - 1.5rem)); background:#fff; border-top:4px solid #1f4e79; border-radius:6px; padding:2rem 2.2rem 1.6rem;
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
<input id="name" name="name" value="{name}" autocomplete="username" required{name_focus}>
<label for="password">密码</label>
<input id="password" name="password" type="password" autocomplete="current-password" required{password_focus}>
<button type="submit">登录</button>
</form>"""


SIGN_OUT = """<form method="post" action="{action}"><button type="submit">退出登录</button></form>"""


def page(body: str, *, message: str | None = None, error: bool = False, footer: str = "",
          status: int = 200) -> HTMLResponse:
    box = f'<p class="message {"error" if error else "notice"}" role="alert">{html.escape(message)}</p>' \
        if message else ""
    text = PAGE.format(title=TITLE, subtitle="请登录后使用。各市州账号只能查看本市的数据。", message=box, body=body,
                       footer=footer)
    return HTMLResponse(text, status_code=status, headers={"Cache-Control": "no-store"})


def _form(next_path: str, message: str | None = None, error: bool = False,
          settings_: AccessSettings | None = None, typed: str = "") -> HTMLResponse:
    """The form; after a failed try with the user name `typed` in it (when it is kept: `_kept_name`) and the
    cursor in the password field. A password is never sent back."""
    footer = ""
    if settings_ is not None:
        footer = f"连续输错{signing_in.MAX_FAILURES}次密码，账号将锁定{signing_in.LOCK_MINUTES}分钟；" \
                 f"{settings_.idle_minutes:g}分钟不操作自动退出。"
    if demo_database():
        footer += "<br>当前为演示数据：演示账号和密码在启动程序的控制台中（仅供演示）。"
    name = _kept_name(typed)
    body = FORM.format(action=html.escape(f"{prefix()}/signin"), next=html.escape(next_path), name=html.escape(name),
                       name_focus="" if name else " autofocus", password_focus=" autofocus" if name else "")
    return page(body, message=message, error=error, footer=footer)


def _kept_name(typed: str) -> str:
    """The user name as typed, if it is one as accounts have them (passwords.check_name: letters, digits, . _ - @,
    already in lower case as names are kept); else nothing — it may be the password typed into the wrong field,
    which mostly mixes cases, and a password is never sent back."""
    typed = typed.strip()
    try:
        return typed if check_name(typed) == typed else ""
    except InputError:
        return ""


def _set_cookie(response, request: Request, token: str, max_hours: float) -> None:
    secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
    response.set_cookie(COOKIE, token, max_age=int(max_hours * 3600), path=f"{prefix()}/", httponly=True,
                        samesite="lax", secure=secure)


def problems_page(problems) -> HTMLResponse:
    items = "".join(f"<li>{html.escape(str(p))}</li>" for p in problems)
    return page(f"<ul>{items}</ul>", message=f"登录配置有{len(problems)}处问题，修正后刷新本页即可。", error=True,
                 status=503)


async def signin(request: Request):
    current, problems = settings()
    if problems:
        return problems_page(problems)
    if current.mode == HEADER:
        return page("", message="本系统通过单位统一身份认证登录，请从单位门户进入。")
    next_path = _safe_next(request.query_params.get("next"))
    if request.method != "POST":
        token = request.cookies.get(COOKIE)
        if token:
            check = await to_thread.run_sync(lambda: sessions.check_session(records(), token, current,
                                                                               address=address_of(request)))
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
        return _form(next_path, "请输入用户名和密码。", error=True, settings_=current, typed=name)

    def check():
        outcome = signing_in.authenticate(records(), name, password, demo_database=demo_database(),
                                        address=address_of(request))
        token = sessions.start_session(records(), outcome.principal, current) if outcome.principal else None
        return outcome, token

    try:
        outcome, token = await to_thread.run_sync(check)
    except (StoreError, SQLAlchemyError):  # the records store unreachable, or damaged
        return _form(next_path, "暂时无法核对登录信息，请稍后重试。", error=True, settings_=current, typed=name)
    if token is None:
        return _form(next_path, outcome.message, error=True, settings_=current, typed=name)
    response = RedirectResponse(next_path, status_code=303)
    _set_cookie(response, request, token, current.max_hours)
    return response


async def signout(request: Request):
    current, problems = settings()
    if current is not None and current.mode == HEADER:
        if current.logout_url:
            return RedirectResponse(current.logout_url, status_code=303)
        return page("", message="请在单位门户中退出登录。")
    if _cross_site(request):  # another site may not sign a user out: ask them here
        return page(SIGN_OUT.format(action=html.escape(signout_path())), message="要退出登录吗？")
    token = request.cookies.get(COOKIE)
    if token:
        await to_thread.run_sync(lambda: sessions.end_session(records(), token, address=address_of(request)))
    response = RedirectResponse(signin_path(reason=sessions.SIGNED_OUT), status_code=303)
    response.delete_cookie(COOKIE, path=f"{prefix()}/", httponly=True, samesite="lax")
    return response
