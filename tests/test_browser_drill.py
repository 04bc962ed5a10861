"""Clicking into the figures in headless Chromium against the real server (one for the module), signed in as 省级:
a bar of 全省排名 opens that city's 市州进度 with the year, month and city in the URL; an indicator chosen there
shows its months with 同比 and 环比 and is kept in the URL (?indicator=), so a reload shows the same.

A step fails on any exception Streamlit shows, any browser console error and any English word a reader sees.
Screenshots of both pages at 1440×900 and 390×844 go to tests/artifacts/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import session_token, writable_copy
from live_server import Visit, streamlit_server
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_browser_pages import ALLOWED_WORDS, FILE_NAME

from scorecard.assessment.scoring import score_year
from scorecard.data.store import Store

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).parent / "artifacts"
SIZES = ((1440, 900), (390, 844))


@pytest.fixture(scope="module")
def served(tmp_path_factory, shipped_config_dir, demo_db):
    db = writable_copy(demo_db, tmp_path_factory.mktemp("drill"))
    with streamlit_server(shipped_config_dir, db) as url:
        yield url, session_token(db)


def clean(visit: Visit) -> None:
    assert visit.page.locator('[data-testid="stException"]').count() == 0, visit.text()
    assert not visit.errors, visit.errors
    english = {w for w in visit.visible_words() if not FILE_NAME.fullmatch(w)} - ALLOWED_WORDS
    assert not english, english


def screenshots(visit: Visit, title: str, name: str) -> None:
    """The whole page at each size (Streamlit scrolls inside the app: the viewport grows to the content)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in SIZES:
        visit.page.set_viewport_size({"width": width, "height": height})
        visit.settle(title)
        visit.page.evaluate("() => document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })")
        visit.page.screenshot(path=str(ARTIFACTS / f"drill-{name}-{width}x{height}.png"))
        bottom = int(visit.page.evaluate(
            "() => document.querySelector('[data-testid=stMainBlockContainer]').getBoundingClientRect().bottom"))
        visit.page.set_viewport_size({"width": width, "height": max(height, bottom + 40)})
        visit.settle(title)
        visit.page.screenshot(path=str(ARTIFACTS / f"drill-{name}-{width}-full.png"), full_page=True)
    visit.page.set_viewport_size({"width": 1400, "height": 900})


def choose(visit: Visit, placeholder: str, option: str) -> None:
    """Open a selectbox and take an option; a click that lands while the page is still redrawing is lost (seen on a
    loaded machine), so it is tried again."""
    for _ in range(5):
        visit.page.get_by_placeholder(placeholder).click()
        found = visit.page.get_by_role("option", name=option, exact=True)
        try:
            found.wait_for(timeout=5_000)
        except PlaywrightTimeout:
            visit.page.keyboard.press("Escape")
            continue
        found.click()
        return
    raise AssertionError(f"the option {option} did not appear")


def click_bar(visit: Visit, index: int) -> None:
    """Click a bar of the totals chart (dashboard/drawn.py)."""
    bar = visit.page.locator(".sc-bars .sc-bar").nth(index)
    bar.scroll_into_view_if_needed()
    bar.locator("i").click()


def test_a_bar_opens_the_city_and_an_indicator_is_kept_in_the_url(browser, served, config, demo_db):
    url, session = served
    city = score_year(config, Store(demo_db), 2003, 6).cities[2]  # the third bar, by rank
    visit = Visit(browser, f"{url}/?year=2003&month=6", session)
    try:
        visit.settle("全省排名")
        screenshots(visit, "全省排名", "ranking")
        click_bar(visit, 2)
        visit.page.wait_for_url(re.compile(rf"/progress\?year=2003&month=6&city={city.code}$"), timeout=30_000)
        visit.settle("市州进度")
        assert f"{city.name}2003年目标责任书完成进度（截至6月）" in visit.text()
        assert visit.page.locator("img.sc-spark").count() >= len(city.indicators)  # drawn, not stripped
        clean(visit)

        choose(visit, "选择一项指标，查看各月数据、同比和环比", "征缴率")
        visit.page.wait_for_url(re.compile(rf"city={city.code}&indicator=collection_rate$"), timeout=30_000)
        visit.settle("市州进度")
        months = visit.page.locator(".sc-table", has_text="进度差")
        assert months.count() == 1 and "同比" in months.inner_text() and "环比" in months.inner_text()
        assert months.locator("tbody tr").count() == 6
        shown = months.inner_text()
        clean(visit)
        screenshots(visit, "市州进度", "progress")

        visit.page.reload()
        visit.settle("市州进度")
        assert re.search(rf"/progress\?year=2003&month=6&city={city.code}&indicator=collection_rate$", visit.page.url)
        assert visit.page.locator(".sc-table", has_text="进度差").inner_text() == shown
        clean(visit)

        visit.page.get_by_role("link", name="全省排名").click()  # back: the click is not followed again
        visit.settle("全省排名")
        visit.page.wait_for_url(re.compile(r"/\?year=2003&month=6$"))
        visit.page.wait_for_timeout(1000)
        visit.settle("全省排名")
        assert visit.page.locator("h1", has_text="全省排名").count() == 1
        clean(visit)
    finally:
        visit.close()


def test_a_city_on_the_map_opens_its_progress(browser, served):
    url, session = served
    visit = Visit(browser, f"{url}/?year=2003&month=6", session)
    try:
        visit.settle("全省排名")
        label = visit.page.locator(".sc-map text", has_text="吉林市")
        label.scroll_into_view_if_needed()
        label.click()
        visit.page.wait_for_url(re.compile(r"/progress\?year=2003&month=6&city=220200$"), timeout=30_000)
        visit.settle("市州进度")
        assert "吉林市2003年目标责任书完成进度（截至6月）" in visit.text()
        clean(visit)
    finally:
        visit.close()


def test_a_forged_click_opens_nothing(browser, served):
    """What a chart reports clicked is the browser's word: a bar whose code was changed in the page reruns the
    page, which opens nothing."""
    url, session = served
    visit = Visit(browser, f"{url}/?year=2003&month=6", session)
    try:
        visit.settle("全省排名")
        bar = visit.page.locator(".sc-bars .sc-bar").first
        bar.evaluate("bar => { bar.dataset.unit = '999999'; }")
        bar.locator("i").click()
        visit.page.wait_for_timeout(1500)
        visit.settle("全省排名")
        assert "/progress" not in visit.page.url and visit.page.locator("h1", has_text="全省排名").count() == 1
        clean(visit)
    finally:
        visit.close()
