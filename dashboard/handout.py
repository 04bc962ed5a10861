"""`GET /download/<id>`: a document a page offered (dashboard/downloads.py), handed to the session it was offered
to — checked again when the link is followed, with a line in the audit log either way."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from dashboard import downloads
from dashboard.server import address_of, demo_database, prefix, records, settings
from dashboard.signin import page, problems_page
from scorecard.assessment.scoring import ScoringError
from scorecard.config import HEADER, AccessSettings
from scorecard.data.store import StoreError
from scorecard.errors import InputError
from scorecard.exports import BuildError, FontError
from scorecard.records import audit, sessions
from scorecard.records.audit import Actor
from scorecard.records.sessions import COOKIE
from scorecard.records.store import Records
from scorecard.roles import SSO, WEB, AccessDenied, Principal


async def download(request: Request):
    """GET /download/<id>: a document a page offered (pages/downloads.py), to the session it was offered to."""
    current, problems = settings()
    if problems:
        return problems_page(problems)
    link_id, address = request.path_params["link"], address_of(request)
    try:
        return await to_thread.run_sync(lambda: _hand_out(request, current, link_id, address))
    except (StoreError, SQLAlchemyError) as exc:  # the records store unreachable, or damaged
        return page("", message=f"暂时无法核对登录信息，请稍后重试。（{exc}）", error=True, status=503)


def _hand_out(request: Request, current: AccessSettings, link_id: str, address: str | None):
    db = records()
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
    except (BuildError, FontError, InputError, ScoringError, StoreError) as exc:
        return page(_BACK.format(home=html.escape(f"{prefix()}/")), message=f"无法生成{document.file_name}：{exc}",
                     error=True, status=503)
    audit.record(db, actor, audit.EXPORT, target=document.file_name, detail=document.detail)
    return Response(data, media_type=document.mime, headers={
        "Content-Disposition": _attachment(document.file_name), "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff"})


def _requester(request: Request, current: AccessSettings, db: Records,
               address: str | None) -> tuple[Principal | None, str | None]:
    """Who sent a request (the Gate has let it through), and the holder their download links are made for."""
    if current.mode == HEADER:
        user = (request.headers.get(current.header) or "").strip()
        grant = current.grant_for(user) if user else None
        if grant is None:
            return None, None
        return Principal(user.lower(), grant.role, grant.city, SSO), downloads.user_holder(user)
    token = request.cookies.get(COOKIE)
    check = sessions.check_session(db, token, current, address=address)
    if check.principal is None or (check.demo and not demo_database()):
        return None, None
    return check.principal, downloads.session_holder(token)


_BACK = '<p><a href="{home}">返回系统</a></p>'


def _refuse_download(db: Records, actor: Actor, why: str, status: int, message: str,
                     target: str | None = None) -> HTMLResponse:
    """无权访问 in the audit log, and a page saying what to do."""
    audit.record(db, actor, audit.DENIED, outcome=audit.REFUSED, target=target, detail=f"下载：{why}")
    return page(_BACK.format(home=html.escape(f"{prefix()}/")), message=message, error=True, status=status)


def _attachment(name: str) -> str:
    """Content-Disposition for a Chinese file name (RFC 6266 with RFC 5987's filename*), with an ASCII fallback."""
    plain = "".join(c for c in name if c.isascii() and (c.isalnum() or c in "._-"))
    if not Path(plain).stem:
        plain = "download" + Path(name).suffix
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
