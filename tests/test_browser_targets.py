"""目标制定 in headless Chromium against the real server, signed in as 数据管理员 (who may save): the page draws
without an exception or a console error, at a desktop's size and a phone's. Screenshots go to tests/artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import session_token, writable_copy
from live_server import Visit, streamlit_server

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.mark.parametrize("width, height", [(1440, 900), (390, 844)])
def test_the_targets_page_draws_at_a_desktops_and_a_phones_size(browser, tmp_path, config_dir, demo_db, width,
                                                                 height):
    db = writable_copy(demo_db, tmp_path)
    with streamlit_server(config_dir, db) as url:
        visit = Visit(browser, f"{url}/targets?year=2003", session_token(db, "数据管理员"))
        try:
            visit.page.set_viewport_size({"width": width, "height": height})
            visit.settle("目标制定")
            visit.page.locator('[data-testid="stDataFrameResizable"] canvas').first.wait_for(timeout=30_000)
            visit.page.wait_for_timeout(500)
            ARTIFACTS.mkdir(exist_ok=True)
            visit.page.screenshot(path=str(ARTIFACTS / f"targets-{width}x{height}.png"))
            _whole_page(visit, width, ARTIFACTS / f"targets-{width}x{height}-full.png")
            assert visit.page.locator('[data-testid="stException"]').count() == 0, visit.text()
            text = visit.text()
            assert "2004年度建议目标（可直接修改）" in text and "全省合计与全省目标" in text
            assert "保存9份2004年目标责任书" in text
            assert not visit.errors
        finally:
            visit.close()


def _whole_page(visit: Visit, width: int, path: Path) -> None:
    """The page from top to bottom at `width` (Streamlit scrolls inside the app: the viewport grows to the content)."""
    bottom = int(visit.page.evaluate(
        "() => document.querySelector('[data-testid=stMainBlockContainer]').getBoundingClientRect().bottom"))
    visit.page.set_viewport_size({"width": width, "height": bottom + 40})
    visit.page.wait_for_timeout(500)
    visit.page.screenshot(path=str(path), full_page=True)
