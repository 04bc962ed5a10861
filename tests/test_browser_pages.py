"""Every page in headless Chromium against the real server, signed in as 省级: demo data, an empty database, an
invalid config.

A page fails on any exception Streamlit shows and on any browser console error. Screenshots of each
page go to tests/artifacts/ (look at them after changing a page).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import session_token, writable_copy
from live_server import Visit, streamlit_server

from dashboard.router import PAGES as ROUTED

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).parent / "artifacts"

# (URL path, title) of every page of the router; "" is the home page (its own url_path is not served for it)
PAGES = [("" if page is ROUTED[0] else page.url, page.title) for page in ROUTED]
OLDER_PAGES = {"", "progress", "assessment", "fund", "contracts", "data"}
# What a reader may meet in Latin letters: the names of formats, sizes, and the test user's own name; on the audit
# log also the names of the demo's accounts and the commands as they were typed (its data)
ALLOWED_WORDS = {"PDF", "Word", "Excel", "xlsx", "CSV", "PNG", "JPEG", "MB", "test-province"}
FILE_NAME = re.compile(r"[\w/.\-]+\.(yaml|yml|csv|xlsx)")  # the files officials edit or import
AUDIT_WORDS = {"pytest", "scorecard", "demo", "demo-admin", "demo-city", "demo-province"}  # accounts, commands


@pytest.fixture(scope="module", params=["demo", "empty", "invalid"])
def server(request, tmp_path_factory, shipped_config_dir, invalid_config_dir, demo_db, empty_db):
    """A server of each state on a copy of the database (its records get the session of this module)."""
    config, db = {"demo": (shipped_config_dir, demo_db), "empty": (shipped_config_dir, empty_db),
                  "invalid": (invalid_config_dir, demo_db)}[request.param]
    db = writable_copy(db, tmp_path_factory.mktemp(request.param))
    with streamlit_server(config, db) as url:
        yield request.param, url, session_token(db)


@pytest.mark.parametrize("path, title", PAGES, ids=[path or "ranking" for path, _ in PAGES])
def test_page_loads_cleanly(browser, server, path, title):
    state, url, session = server
    if state != "demo" and path not in OLDER_PAGES:
        pytest.skip("the later pages are checked on the demo data here; their own tests cover their empty states")
    visit = Visit(browser, f"{url}/{path}", session)
    try:
        visit.settle(title)
        visit.screenshot(ARTIFACTS / f"{state}-{path or 'ranking'}.png")
        assert visit.page.locator('[data-testid="stException"]').count() == 0, visit.text()
        text = visit.text()
        if path == "audit":
            assert "审计日志只能查看" in text and "test-province" in text
        elif state == "invalid":
            assert "配置有" in text and "cities.yaml" in text
        elif path == "contracts":
            assert "配置检查通过" in text
        elif path not in OLDER_PAGES:
            pass  # the pages below say more of their own in their own tests
        elif state == "empty":
            assert "还没有任何月度数据" in text and "import 文件名.csv" in text
        else:
            assert "演示数据" in text
        assert not visit.errors
        english = {w for w in visit.visible_words() if not FILE_NAME.fullmatch(w)} - ALLOWED_WORDS
        assert not english - (AUDIT_WORDS if path == "audit" else set()), "English on the page"
    finally:
        visit.close()


@pytest.fixture(scope="module")
def served_db(tmp_path_factory, demo_db):
    return writable_copy(demo_db, tmp_path_factory.mktemp("demo-server"))


@pytest.fixture(scope="module")
def demo_server(shipped_config_dir, served_db):
    with streamlit_server(shipped_config_dir, served_db) as url:
        yield url


@pytest.fixture
def session(demo_server, served_db):
    return session_token(served_db)


def test_shared_link_restores_the_selection_and_survives_page_switches(browser, demo_server, session):
    visit = Visit(browser, f"{demo_server}/progress?year=2002&month=7&city=222400", session)
    try:
        visit.settle("市州进度")
        assert "延边朝鲜族自治州2002年目标责任书完成进度（截至7月）" in visit.text()
        visit.page.get_by_role("link", name="基金预警").click()
        visit.settle("基金预警")
        visit.page.wait_for_url(re.compile(r"/fund\?year=2002&month=7&city=222400$"))   # the fund page picks a city too
        assert "2002年7月失业保险基金支付能力" in visit.text()
        visit.page.get_by_role("link", name="年终考评").click()
        visit.settle("年终考评")
        visit.page.wait_for_url(re.compile(r"/assessment\?year=2002&month=7&city=222400$"))
        assert not visit.errors
    finally:
        visit.close()


def test_invalid_link_falls_back_with_a_notice(browser, demo_server, session):
    visit = Visit(browser, f"{demo_server}/fund?year=1999&month=x", session)
    try:
        visit.settle("基金预警")
        text = visit.text()
        assert "网址中的年度“1999”无效" in text and "网址中的截至月份“x”无效" in text
        assert "2003年12月失业保险基金支付能力" in text
        visit.page.wait_for_url(re.compile(r"/fund\?year=2003&month=12&city=220100$"))
        assert visit.page.locator('[data-testid="stException"]').count() == 0
        assert not visit.errors
    finally:
        visit.close()


def test_assessment_page_downloads_the_workbook_of_the_shown_result(browser, demo_server, session, config, demo_db,
                                                                    tmp_path):
    from openpyxl import load_workbook

    from scorecard.assessment.scoring import score_year
    from scorecard.data.store import Store

    visit = Visit(browser, f"{demo_server}/assessment?year=2003&month=6", session)
    try:
        visit.settle("年终考评")
        with visit.page.expect_download() as download:
            visit.page.get_by_role("link", name="下载Excel考评表").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        assert path.suffix == ".xlsx" and "预估" in path.name
        rows = list(load_workbook(path)["汇总"].iter_rows(values_only=True))
        header = next(row for row in rows if "总分" in row)
        rank, name, total = header.index("名次"), header.index("市（州）"), header.index("总分")
        shown = {row[name]: (row[rank], row[total]) for row in rows if isinstance(row[rank], int)}
        result = score_year(config, Store(demo_db), 2003, 6)
        assert shown == {c.name: (c.rank, round(c.total, 2)) for c in result.cities}
        assert not visit.errors
    finally:
        visit.close()


def test_fund_page_of_a_red_city_downloads_its_warning_letter(browser, demo_server, session, config, demo_db,
                                                               tmp_path):
    from export_support import pdf_pages_text

    from scorecard.assessment.fund import fund_statuses
    from scorecard.data.store import Store

    visit = Visit(browser, f"{demo_server}/fund?year=2003&month=12&city=220400", session)
    try:
        visit.settle("基金预警")
        text = visit.text()
        assert "辽源市基金支付能力变化" in text and "未按规定报告" in text
        visit.screenshot(ARTIFACTS / "demo-fund-220400.png")
        with visit.page.expect_download() as download:
            visit.page.get_by_role("link", name="下载PDF预警报告").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        assert path.suffix == ".pdf" and "辽源市" in path.name and "演示数据" in path.name
        store = Store(demo_db)
        with store.reader() as con:
            [status] = fund_statuses(config, con, store, 2003, 12, 12, ["220400"])
        letter = "".join(pdf_pages_text(path.read_bytes(), tmp_path)).replace("\n", "")
        assert f"基金可支付{status.capacity:.2f}个月" in letter and "支付能力低于预警线的报告" in letter
        assert not visit.errors
    finally:
        visit.close()


@pytest.mark.parametrize("role, home", [("省级审核", ROUTED[0]), ("系统管理", next(p for p in ROUTED if p.url == "audit"))],
                         ids=["ranking", "audit"])
def test_the_home_page_opened_by_its_own_address_is_drawn_without_a_page_not_found(
        browser, tmp_path, shipped_config_dir, demo_db, role, home):
    """Streamlit serves a user's first page (the navigation's default) at the root only; its own address — in a
    bookmark, a link, typed — showed Streamlit's English "Page not found" dialog over it."""
    db = writable_copy(demo_db, tmp_path)
    with streamlit_server(shipped_config_dir, db) as url:
        for _ in range(2):  # the first address after the start (a page file run alone) and once the router has run
            visit = Visit(browser, f"{url}/{home.url}?year=2003", session_token(db, role))
            try:
                visit.settle(home.title)
                assert visit.page.locator('[role="dialog"]').count() == 0, visit.page.locator('[role="dialog"]').inner_text()
                assert not visit.errors
                assert "year=2003" in visit.page.url
            finally:
                visit.close()
