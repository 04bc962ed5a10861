"""Every page on a phone (390 × 844) against the real server on the demo data, as each role sees it: the page
never scrolls sideways, nothing sticks out of the main block (a wide table scrolls inside its own box), and no
text of two characters or more is laid out one character a line (a city's name in a squeezed column).

Each visit also leaves screenshots of the page at 390 × 844 and at 1440 × 900 in
tests/artifacts/<role>-<width>-<page>.png (look at them after changing a page).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import session_token, writable_copy
from live_server import PHONE, Visit, streamlit_server

from dashboard.router import PAGES as ROUTED, may_open
from scorecard.roles import ADMIN, CITY, PROVINCE, Principal

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).parent / "artifacts"
WIDE = (1440, 900)
OWN_CITY = "220700"  # 松原市: the name the issue saw written one character a line
ROLES = {"province": (PROVINCE, None), "city": (CITY, OWN_CITY), "admin": (ADMIN, None)}
# 数据管理员 sees what 省级 sees, and besides the upload form and the user administration
ADMIN_ONLY = {"data", "users"}


def _visits():
    for role, (name, city) in ROLES.items():
        principal = Principal(f"test-{role}", name, city)
        for page in ROUTED:
            if may_open(principal, page) and (role != "admin" or page.url in ADMIN_ONLY):
                yield pytest.param(role, page, id=f"{role}-{page.url}")


# What is laid out badly, measured in the browser: the page's and the main block's overflow, and each text of
# two characters or more whose lines (the rectangles of its range) hold fewer than two characters on average.
LAYOUT = """() => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const squeezed = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, '');
    const el = node.parentElement;
    if (text.length < 2 || !el || el.closest('svg, script, style, [data-testid="stIconMaterial"]')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || parseFloat(style.fontSize) === 0) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    if (tops.size >= 2 && text.length / tops.size < 2) squeezed.push(`${text} (${tops.size} lines)`);
  }
  return {page: document.documentElement.scrollWidth, main: main.scrollWidth - main.clientWidth,
          right: main.getBoundingClientRect().right, squeezed: squeezed.slice(0, 10)};
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, shipped_config_dir, demo_db):
    db = writable_copy(demo_db, tmp_path_factory.mktemp("phone"))
    with streamlit_server(shipped_config_dir, db) as url:
        yield url, {role: session_token(db, name, city) for role, (name, city) in ROLES.items()}


@pytest.mark.parametrize("role, page", list(_visits()))
def test_page_reads_on_a_phone(browser, site, role, page):
    url, tokens = site
    path = "" if page is ROUTED[0] else page.url
    visit = Visit(browser, f"{url}/{path}", tokens[role], size=PHONE)
    try:
        visit.settle(page.title)
        assert visit.page.locator('[data-testid="stException"]').count() == 0, visit.text()
        layout = visit.page.evaluate(LAYOUT)
        visit.screenshot(ARTIFACTS / f"{role}-{PHONE[0]}-{page.url}.png")
        assert layout["page"] <= PHONE[0] + 1, f"the page is {layout['page']} px wide"
        assert layout["main"] <= 1 and layout["right"] <= PHONE[0] + 1, f"the main block overflows: {layout}"
        assert not layout["squeezed"], "written one character a line"
        assert not visit.errors
        visit.screenshot(ARTIFACTS / f"{role}-{WIDE[0]}-{page.url}.png", width=WIDE[0])
    finally:
        visit.close()


def test_the_upload_preview_on_a_phone(browser, site):
    """A file of two figures: a preview of two rows (no blank rows under them) that fits the screen."""
    url, tokens = site
    visit = Visit(browser, f"{url}/data", tokens["admin"], size=PHONE)
    try:
        visit.settle("数据管理")
        rows = "year,month,city,measure,value\n2003,1,长春市,new_insured_persons,3100\n2003,1,长春市,fund_income,1200.5\n"
        visit.page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": "更正.csv", "mimeType": "text/csv", "buffer": rows.encode("utf-8")}])
        visit.page.get_by_role("button", name="确认导入（新增0条，替换2条）").wait_for(timeout=30_000)
        visit.settle("数据管理")
        grid = visit.page.locator('[data-testid="stDataFrame"]').first.bounding_box()
        assert grid["height"] <= 38 + 35 * 2 + 4, grid   # a header and two rows
        layout = visit.page.evaluate(LAYOUT)
        visit.screenshot(ARTIFACTS / f"admin-{PHONE[0]}-data-preview.png")
        assert layout["page"] <= PHONE[0] + 1 and layout["main"] <= 1 and not layout["squeezed"], layout
        assert not visit.errors
    finally:
        visit.close()


def test_the_sign_in_page_on_a_phone(browser, site):
    """The form fits the screen; after a wrong password the name stays and only the password is typed again."""
    url, _ = site
    visit = Visit(browser, f"{url}/signin", size=PHONE)
    try:
        assert visit.page.evaluate("document.documentElement.scrollWidth") <= PHONE[0] + 1
        visit.page.locator("#name").fill("test-province")
        visit.page.locator("#password").fill("Not-The-Password-1")
        visit.page.get_by_role("button", name="登录").click()
        visit.page.locator(".message.error").wait_for()
        assert visit.page.locator("#name").input_value() == "test-province"
        assert visit.page.evaluate("document.activeElement.id") == "password"
        assert visit.page.evaluate("document.documentElement.scrollWidth") <= PHONE[0] + 1
        visit.page.screenshot(path=str(ARTIFACTS / f"signin-{PHONE[0]}-wrong-password.png"))
        assert not visit.errors
    finally:
        visit.close()
