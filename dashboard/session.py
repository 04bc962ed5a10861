"""Who is signed in, for the Streamlit script: the router calls `gate(source)` before any page runs.

Password mode: the session cookie set by /signin (dashboard/signin.py) is checked against the records
store on every run — so a sign-out, the idle time, the maximum time or a disabled account ends the
session in an open tab at its next click. Header mode: the user name the SSO gateway sends, mapped to a
role and city by config/access.yaml. Without a principal nothing below runs; with one, it is put where
dashboard/reads.py filters every read by it, and a line at the top of each page says who is signed in,
with the sign-out link.
"""

from __future__ import annotations

import html
import dataclasses
from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st

from sqlalchemy.exc import SQLAlchemyError

from dashboard import downloads, frame, reads, server, signin
from dashboard.text import esc, md
from scorecard.records import audit, sessions
from scorecard.records.accounts import DEMO_ON_REAL_DATA
from scorecard.roles import SSO, AccessDenied, Principal
from scorecard.records.audit import Actor
from scorecard.config import HEADER, AccessSettings
from scorecard.data.store import StoreError

TITLE = server.TITLE


def request_cookies():
    """The cookies of the browser's request (tests replace this to sign someone in)."""
    return st.context.cookies


def request_headers():
    return st.context.headers


def _address() -> str | None:
    address = st.context.ip_address
    return address if isinstance(address, str) else None  # AppTest has no client


def gate(source: reads.Source) -> Principal:
    """The principal of this run (`source`: the run's, reads.current_source), or stop the run with the reason and
    the way in."""
    settings, problems = reads.access_settings(source)
    if problems:
        st.title(TITLE)
        frame.problems_banner(problems, "登录配置")
        st.stop()
    st.session_state.pop("_holder", None)
    try:
        principal = _from_header(settings, source) if settings.mode == HEADER else _from_cookie(settings, source)
    except (StoreError, SQLAlchemyError) as exc:  # the records unreachable: no way to tell who this is
        st.session_state.pop("_principal", None)
        st.title(TITLE)
        st.error(f"暂时无法核对登录信息：{md(exc)}")
        st.stop()
    if principal is not None:  # every write of this run is audited with where it came from
        principal = dataclasses.replace(principal, address=_address())
    st.session_state["_principal"] = principal
    _user_line(principal, settings, source)
    return principal


def _from_cookie(settings: AccessSettings, source) -> Principal:
    db, token = reads.records(source), request_cookies().get(sessions.COOKIE)
    check = sessions.check_session(db, token, settings, address=_address())
    if check.principal is None:
        st.session_state.pop("_principal", None)
        st.title(TITLE)
        st.info(signin.REASONS.get(check.reason, "请先登录。"))
        here = urlsplit(st.context.url or "").path or None
        st.markdown(f'<a class="sc-signin" href="{html.escape(server.signin_path(here))}" target="_self">前往登录页</a>',
                    unsafe_allow_html=True)
        st.stop()
    if check.demo and _real_data(source):  # a demo session still open when real data took the demo's place
        st.session_state.pop("_principal", None)
        st.title(TITLE)
        st.error(DEMO_ON_REAL_DATA)
        st.markdown(f'<a href="{html.escape(server.signout_path())}" target="_self">退出登录</a>', unsafe_allow_html=True)
        st.stop()
    st.session_state["_holder"] = downloads.session_holder(token)  # whom this session's download links are for
    return check.principal


def _real_data(source) -> bool:
    """Whether the database is there and holds real data, not demo data (a damaged file: the page says so)."""
    try:
        return Path(source.db_path).is_file() and not reads.holdings(source).demo
    except StoreError:
        return False


def _from_header(settings: AccessSettings, source) -> Principal:
    user = (request_headers().get(settings.header) or "").strip()
    if not user:
        st.title(TITLE)
        st.error(f"没有收到单位统一认证传来的用户名（请求头 {md(settings.header)}）。请从单位门户进入本系统。")
        st.stop()
    grant = settings.grant_for(user)
    first_time = st.session_state.get("_header_user") != user.lower()
    st.session_state["_header_user"] = user.lower()
    if grant is None:
        if first_time:
            audit.record(reads.records(source), Actor(user[:64], channel=SSO, address=_address()),
                         audit.SIGN_IN_FAILED, outcome=audit.REFUSED, detail=f"未在 {settings.source} 中登记")
        st.title(TITLE)
        st.error(f"您的账号“{md(user)}”还没有开通本系统的权限，请与省级管理员联系（需在 config/access.yaml 中登记）。")
        st.stop()
    principal = Principal(user.lower(), grant.role, grant.city, SSO)
    st.session_state["_holder"] = downloads.user_holder(user)
    if first_time:
        audit.record(reads.records(source), Actor.of(principal, _address()), audit.SIGN_IN)
    return principal


def _user_line(principal: Principal, settings: AccessSettings, source) -> None:
    config = reads.config(source)
    if settings.mode == HEADER:
        link = (f'<a href="{html.escape(settings.logout_url)}" target="_self">退出登录</a>'
                if settings.logout_url else "")
    else:
        link = f'<a href="{html.escape(server.signout_path())}" target="_self">退出登录</a>'
    who = esc(principal.describe(config))
    st.html(f'<div class="sc-user"><span class="sc-who" title="{who}">{who}</span>　{link}</div>')


def denied(exc: AccessDenied, source: reads.Source) -> None:
    """A polite 无权访问 in place of the page, and a line in the audit log."""
    principal = reads.principal()
    st.error(md(exc))
    if principal is not None:
        try:
            audit.record(reads.records(source), Actor.of(principal, _address()), audit.DENIED,
                         outcome=audit.REFUSED, target=exc.target, detail=str(exc))
        except (StoreError, SQLAlchemyError) as failure:
            st.caption(f"（审计日志暂时无法写入：{md(failure)}）")
    if principal is not None and principal.city:
        st.caption("市州账号可以查看：本市的进度、得分计算、基金预警、报送情况和目标责任书，以及年终公布的全省排名。")
        if st.button("返回本市的页面"):
            st.session_state.get("_selection", {}).pop("city", None)
            st.query_params.clear()
            st.rerun()
