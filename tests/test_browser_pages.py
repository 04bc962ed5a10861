"""Every page in headless Chromium against the real server: demo data, an empty database, an invalid config.

A page fails on any exception Streamlit shows and on any browser console error. Screenshots of each
page go to tests/artifacts/ (look at them after changing a page).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from live_server import CHROMIUM, CHROMIUM_ARGS, streamlit_server

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
# (URL path, title); "" is the home page (a page's own url_path is not served for the default page)
PAGES = [("", "全省排名"), ("progress", "市州进度"), ("assessment", "年终考评"), ("fund", "基金预警"),
         ("contracts", "目标责任书"), ("data", "数据管理")]
# Streamlit's frontend looks for its base path by asking <page path>/_stcore/health and /_stcore/host-config
# before it falls back to the root; Chromium logs those expected 404s as console errors. Only they are ignored.
BASE_PATH_PROBE = re.compile(r"/[^/]+/_stcore/(health|host-config)$")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("SCORECARD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and SCORECARD_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module", params=["demo", "empty", "invalid"])
def server(request, config_dir, invalid_config_dir, demo_db, empty_db):
    config, db = {"demo": (config_dir, demo_db), "empty": (config_dir, empty_db),
                  "invalid": (invalid_config_dir, demo_db)}[request.param]
    with streamlit_server(config, db) as url:
        yield request.param, url


class Visit:
    """One browser tab on one page, recording console errors and uncaught page errors."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        self.page.goto(url)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        if "404" in message.text and BASE_PATH_PROBE.search(message.location.get("url", "")):
            return
        self.errors.append(f"{message.text} ({message.location.get('url')})")

    def settle(self, title: str) -> None:
        """Wait until the page's title is drawn, the script has finished, nothing is stale, the charts are
        drawn and the text has stopped changing."""
        self.page.locator("h1", has_text=title).wait_for(timeout=30_000)
        previous = None
        for _ in range(100):
            self.page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=30_000)
            charts = self.page.locator('[data-testid="stPlotlyChart"]')
            for k in range(charts.count()):
                charts.nth(k).locator(".main-svg").first.wait_for(timeout=30_000)
            current = self.text()
            if current == previous and self.page.locator('[data-stale="true"]').count() == 0:
                return
            previous = current
            self.page.wait_for_timeout(250)
        raise AssertionError(f"{title}: the page did not settle")

    def screenshot(self, name: str) -> None:
        """The whole page: Streamlit scrolls inside the app, so grow the viewport to the content first."""
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.set_viewport_size({"width": 1400, "height": 4000})
        bottom = self.page.evaluate(
            "() => document.querySelector('[data-testid=stMainBlockContainer]').getBoundingClientRect().bottom")
        self.page.set_viewport_size({"width": 1400, "height": int(bottom) + 40})
        self.page.wait_for_timeout(300)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def text(self) -> str:
        return self.page.locator('[data-testid="stMain"]').inner_text()

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize("path, title", PAGES, ids=[title for _, title in PAGES])
def test_page_loads_cleanly(browser, server, path, title):
    state, url = server
    visit = Visit(browser, f"{url}/{path}")
    try:
        visit.settle(title)
        visit.screenshot(f"{state}-{path or 'ranking'}")
        assert visit.page.locator('[data-testid="stException"]').count() == 0, visit.text()
        text = visit.text()
        if state == "invalid":
            assert "配置有" in text and "cities.yaml" in text
        elif path == "contracts":
            assert "配置检查通过" in text
        elif state == "empty":
            assert "还没有任何月度数据" in text and "import 文件名.csv" in text
        else:
            assert "演示数据" in text
        assert not visit.errors
    finally:
        visit.close()


@pytest.fixture(scope="module")
def demo_server(config_dir, demo_db):
    with streamlit_server(config_dir, demo_db) as url:
        yield url


def test_shared_link_restores_the_selection_and_survives_page_switches(browser, demo_server):
    visit = Visit(browser, f"{demo_server}/progress?year=2002&month=7&city=222400")
    try:
        visit.settle("市州进度")
        assert "延边朝鲜族自治州2002年目标责任书完成进度（截至7月）" in visit.text()
        visit.page.get_by_role("link", name="基金预警").click()
        visit.settle("基金预警")
        visit.page.wait_for_url(re.compile(r"/fund\?year=2002&month=7$"))
        assert "2002年7月失业保险基金支付能力" in visit.text()
        visit.page.get_by_role("link", name="年终考评").click()
        visit.settle("年终考评")
        visit.page.wait_for_url(re.compile(r"/assessment\?year=2002&month=7&city=222400$"))
        assert not visit.errors
    finally:
        visit.close()


def test_invalid_link_falls_back_with_a_notice(browser, demo_server):
    visit = Visit(browser, f"{demo_server}/fund?year=1999&month=x")
    try:
        visit.settle("基金预警")
        text = visit.text()
        assert "网址中的年度“1999”无效" in text and "网址中的截至月份“x”无效" in text
        assert "2003年12月失业保险基金支付能力" in text
        visit.page.wait_for_url(re.compile(r"/fund\?year=2003&month=12$"))
        assert visit.page.locator('[data-testid="stException"]').count() == 0
        assert not visit.errors
    finally:
        visit.close()
