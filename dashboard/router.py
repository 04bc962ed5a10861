"""The router: the sign-in check, the navigation bar and the page (app.py runs `route` for every session).

Each page is a file in pages/ that defines what it draws and hands it to `page()`. Streamlit runs a page file
in one of two ways: through `route()` (st.navigation, after the sign-in check), or alone — the folder is named
pages/, so until st.navigation has run in the process Streamlit is in its legacy multipage mode: the first deep
link after a start (e.g. /progress?year=2003), and every run in AppTest. `page()` tells the two apart by whether
`route()` is running in this thread, and hands a page run alone over to the router within the same run (so that
a click is not lost to a rerun): nothing of a page is drawn before the sign-in check.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import streamlit as st

from dashboard import frame, reads, session, widgets
from dashboard.text import md
from scorecard.assessment.scoring import ScoringError
from scorecard.data.store import StoreError
from scorecard.roles import ALL_CITIES, AUDIT_LOG, DECIDE, MANAGE_USERS, AccessDenied, Principal, require


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    url: str
    needs: str | None = None  # the permission it needs: without it, left out of the bar and refused by address
    data: bool = True         # it shows cities' data: for those who see a city (e.g. not 系统管理 alone)


# The pages in the order of the navigation bar; each shows a user what scorecard.report.scope lets them see.
PAGES = (
    Page("pages/ranking.py", "全省排名", "ranking"),
    Page("pages/progress.py", "市州进度", "progress"),
    Page("pages/assessment.py", "年终考评", "assessment"),
    Page("pages/fund.py", "基金预警", "fund"),
    Page("pages/contracts.py", "目标责任书", "contracts"),
    Page("pages/self_assessment.py", "自评核查", "self_assessment"),
    Page("pages/person_checks.py", "规则核查", "person_checks"),
    Page("pages/data.py", "数据管理", "data"),
    Page("pages/reporting.py", "在线填报", "reporting"),
    Page("pages/decisions.py", "考评决定", "decisions", DECIDE),
    Page("pages/rectification.py", "整改", "rectification"),
    Page("pages/targets.py", "目标制定", "targets", ALL_CITIES),
    Page("pages/audit.py", "审计日志", "audit", AUDIT_LOG, data=False),
    Page("pages/users.py", "用户管理", "users", MANAGE_USERS, data=False),
)

_running = threading.local()  # per script thread: each browser session runs its script in its own


def may_open(principal: Principal | None, page: Page) -> bool:
    return (principal is not None and (page.needs is None or principal.may(page.needs))
            and (not page.data or principal.sees_cities))


def refuse(principal: Principal | None, page: Page) -> None:
    """Why a page is not for the principal, as AccessDenied."""
    if page.needs is not None:
        require(principal, page.needs)
    raise AccessDenied(f"无权访问：{principal.role}账号不能查看市州的数据。", page.title)


def route() -> None:
    st.set_page_config(page_title="失业保险目标责任制考评", layout="wide")
    widgets.install_style()
    source = reads.current_source()  # once a run: it stats every config file (thousands in a national config)
    principal = session.gate(source)
    home = next((p for p in PAGES if may_open(principal, p)), PAGES[0])  # 系统管理 alone: 审计日志
    pages = {p: st.Page(p.path, title=p.title, url_path="" if p is home else p.url, default=p is home,
                        visibility="visible" if may_open(principal, p) else "hidden") for p in PAGES}
    # Streamlit serves the default page at the root alone: its own address (a bookmark, a link) would meet an
    # English "Page not found"; it leads to the root instead, with its query
    home_address = st.Page(lambda: st.switch_page(pages[home], query_params=st.query_params.to_dict()),
                           title=home.title, url_path=home.url, visibility="hidden")
    chosen = st.navigation([*pages.values(), home_address], position="top")
    _running.page = next(p for p in PAGES if p.title == chosen.title)
    _running.source = source
    try:
        if not may_open(principal, _running.page):  # e.g. a 市州 user typing /audit
            st.title(chosen.title)
            refuse(principal, _running.page)
        chosen.run()
    except AccessDenied as exc:  # another city's data, or a page the user's role does not open
        session.denied(exc, source)
    except (StoreError, ScoringError) as exc:  # e.g. the database locked by a long import: say so, no traceback
        st.error(md(exc))
    finally:
        _running.page = _running.source = None


def page(draw, *, framed: bool = True, month: bool = True, city: bool = False, needs_data: bool = True) -> None:
    """Draw a page: its frame (frame.open_page: title, pickers, empty states) and then `draw(view)`; a page that
    is not `framed` gets its title and `draw()`. Run by Streamlit alone, the page goes through the router."""
    current = getattr(_running, "page", None)
    if current is None:
        route()
        st.stop()
    if not framed:
        st.title(current.title)
        draw()
        return
    draw(frame.open_page(current.title, _running.source, month=month, city=city, needs_data=needs_data))
