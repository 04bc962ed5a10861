"""The maps of 全省排名 and 基金预警 in headless Chromium: drawn from the shipped boundaries without a request
leaving the server, readable on a phone, and every chart of 全省排名 saved as a PNG named in Chinese, as drawn.
Screenshots of the maps at 1440×900 and 390×844 go to tests/artifacts/."""

from __future__ import annotations

import struct
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import session_token, writable_copy
from live_server import Visit, streamlit_server
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).parent / "artifacts"
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def server(tmp_path_factory, shipped_config_dir, demo_db):
    db = writable_copy(demo_db, tmp_path_factory.mktemp("maps"))
    with streamlit_server(shipped_config_dir, db) as url:
        yield url, session_token(db)


def the_map(visit: Visit):
    """The map of the province (dashboard/drawn.py)."""
    return visit.page.locator(".sc-map")


@pytest.mark.parametrize("path, title, units", [("", "全省排名", 9), ("fund", "基金预警", 9)], ids=["ranking", "fund"])
@pytest.mark.parametrize("size", list(SIZES))
def test_the_map_is_drawn_offline_and_fits(browser, server, path, title, units, size):
    url, session = server
    visit = Visit(browser, f"{url}/{path}", session)
    outside: list[str] = []
    visit.page.on("request", lambda request: outside.append(request.url)
                  if urlsplit(request.url).hostname not in ("localhost", "127.0.0.1") and
                  not request.url.startswith(("data:", "blob:")) else None)
    try:
        width, height = SIZES[size]
        visit.page.set_viewport_size({"width": width, "height": height})
        visit.settle(title)
        chart = the_map(visit)
        chart.scroll_into_view_if_needed()
        assert chart.locator("path").count() == units
        names = chart.locator("text").all_text_contents()
        assert "长春市" in "".join(names) and "延边州" in "".join(names)
        box, page_width = chart.bounding_box(), visit.page.evaluate("() => document.documentElement.clientWidth")
        assert box["x"] >= 0 and box["x"] + box["width"] <= page_width
        chart.screenshot(path=str(ARTIFACTS / f"map-{path or 'ranking'}-{size}.png"))
        visit.page.screenshot(path=str(ARTIFACTS / f"map-{path or 'ranking'}-{size}-page.png"), full_page=False)
        assert not outside, outside
        assert not visit.errors
    finally:
        visit.close()


@pytest.fixture
def ranking(browser, server):
    """全省排名 open in a tab of its own, at the desktop's size."""
    url, session = server
    visit = Visit(browser, url, session)
    try:
        visit.settle("全省排名")
        yield visit
    finally:
        visit.close()


def test_the_counties_are_drawn_on_the_switch(ranking):
    visit = ranking
    visit.page.locator("[data-testid=stButtonGroup] button", has_text="县（市、区）").first.click()
    visit.settle("全省排名")
    # 长春市's 10 and 延边州's 8, and the 7 市州 that scored none, whole
    expect(the_map(visit).locator("path")).to_have_count(25)
    the_map(visit).screenshot(path=str(ARTIFACTS / "map-ranking-counties.png"))


def test_a_unit_tells_its_figures_on_hover(ranking):
    """The hover label of a unit (its area's and its name's: the browser's tooltip) has its rank, total and grade."""
    chart = the_map(ranking)
    for part in (chart.locator("path[data-unit='220200']"), chart.locator("text[data-unit='220200']")):
        label = part.locator("title").text_content()
        assert label.startswith("吉林市") and "总分" in label and "名" in label, label


def test_every_chart_saves_a_png_named_in_chinese(ranking):
    visit = ranking
    charts = visit.page.locator(".sc-drawn")
    assert charts.count() == 3      # the totals, the indicators, the map
    for k in range(charts.count()):
        chart = charts.nth(k)
        chart.scroll_into_view_if_needed()
        button = chart.locator(".sc-png")
        assert button.count() == 1 and button.get_attribute("title") == "下载图片（PNG）"
        with visit.page.expect_download() as download:
            button.click()
        name = download.value.suggested_filename
        assert name.endswith(".png") and any("\u4e00" <= ch <= "\u9fff" for ch in name), name
        png = download.value.path().read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])   # the chart as drawn, at twice its size
        drawn = chart.locator(".sc-chart").bounding_box()
        assert width >= 2 * drawn["width"] and height >= 2 * drawn["height"], (width, height, drawn)
    assert not visit.errors
