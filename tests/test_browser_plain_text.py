"""Names and reasons from config, imports and users are shown as plain text, never as Markdown or HTML: the real
server in headless Chromium, on a config whose city, indicator, measure, grade, adjustment and veto carry links,
images, raw HTML, colour directives, icons and LaTeX, with a local server on another port recording every request.

Every page is visited as 省级 (with the hostile city chosen, its picker opened) and as that city's 市州 user,
every tooltip hovered, and the hover labels of a grid cell, a bar and a map area read: nothing is fetched from the recording server, no
link or image points at it, and the hostile text reads literally. Also the sign-in page and the problems banner of
a config whose mistake quotes hostile text.
"""

from __future__ import annotations

import http.server
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import copy_config, session_token, writable_copy
from live_server import Visit, streamlit_server

from scorecard.records.store import Records
from scorecard.records import audit
from scorecard.roles import CITY
from scorecard.records.audit import Actor
from scorecard.actions.demo import build_demo
from scorecard.data.intake import prepare
from scorecard.data.store import Store
from scorecard.config import load_config
from scorecard.actions.warnings import record_report
from scorecard.roles import operator

pytestmark = pytest.mark.browser
CITY_CODE = "220400"        # 辽源市: below the warning line, so named in the fund page's lights, tables and alerts
PAGES = [("", "全省排名"), ("progress", "市州进度"), ("assessment", "年终考评"), ("fund", "基金预警"),
         ("contracts", "目标责任书"), ("data", "数据管理"), ("audit", "审计日志")]
CITY_PAGES = ("progress", "assessment", "fund")
JOINER = "\u2060"            # may separate characters on screen (it draws nothing): ignored when reading text


class Beacon:
    """A web server on a free port of this machine that records the path of every request it gets."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def payload(self) -> str:
        return (f"![x](http://127.0.0.1:{self.port}/beacon.png)[点此重新登录](http://127.0.0.1:{self.port}/evil)"
                f"<img src=http://127.0.0.1:{self.port}/raw.png> :red[红字] $x^2$ :material/home: **粗**")

    def pieces(self) -> list[str]:
        """What a reader must see literally wherever the payload is shown."""
        return [f"![x](http://127.0.0.1:{self.port}/beacon.png)", f"[点此重新登录](http://127.0.0.1:{self.port}/evil)",
                f"<img src=http://127.0.0.1:{self.port}/raw.png>", ":red[红字]", "$x^2$", ":material/home:", "**粗**"]


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hostile_config(target: Path, payload: str) -> Path:
    """The shipped config with the payload in 辽源市's name and short name, an indicator's and a measure's name,
    the top grade's name, 四平市's adjustment reason, 白山市's veto item and reason, and an adjustment and a veto
    of 辽源市 itself (so that its 市州 user meets them too)."""
    directory = copy_config(target)

    def edit(name: str, old: str, new: str) -> None:
        path = directory / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    edit("cities.yaml", '{code: "220400", name: 辽源市}',
         f'{{code: "220400", name: {quoted("辽源市" + payload)}, short: {quoted("辽源" + payload)}}}')
    edit("indicators.yaml", "    name: 征缴收入\n", f"    name: {quoted('征缴收入' + payload)}\n")
    edit("indicators.yaml", "{name: 新增参保人数, kind: flow", f"{{name: {quoted('新增参保人数' + payload)}, kind: flow")
    edit("scoring.yaml", "grades: [[优秀, 90]", f"grades: [[{quoted('优秀' + payload)}, 90]")
    edit("assessments/2003.yaml", "reason: 未按时报送12月统计报表", f"reason: {quoted('未按时报送' + payload)}")
    edit("assessments/2003.yaml", "item: 拖欠失业保险金, reason: 11月延迟发放失业保险金3天，涉及412人",
         f"item: {quoted('拖欠' + payload)}, reason: {quoted('延迟发放' + payload)}")
    edit("assessments/2003.yaml", "veto:\n",
         f"veto:\n  - {{city: \"220400\", item: {quoted('辽源否决' + payload)}, reason: {quoted('辽源情况' + payload)}}}\n")
    edit("assessments/2003.yaml", "adjustments:\n",
         f"adjustments:\n  - {{city: \"220400\", points: -1, reason: {quoted('辽源扣分' + payload)}}}\n")
    return directory


@pytest.fixture(scope="module")
def beacon():
    recorder = Beacon()
    yield recorder
    recorder.server.shutdown()


@pytest.fixture(autouse=True)
def _fresh_record(beacon):
    """Each test counts only the requests made during it."""
    beacon.hits.clear()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, beacon):
    """The hostile config, demo data built for it, a warning report whose note, an import whose file name and user,
    and an audit line whose target and detail carry the payload; the server on them."""
    folder = tmp_path_factory.mktemp("plain")
    directory = hostile_config(folder / "config", beacon.payload())
    config, problems = load_config(directory)
    assert not problems, problems
    db = folder / "scorecard.duckdb"
    store = Store(db)
    build_demo(store, config)
    record_report(store, operator("admin" + beacon.payload()), config, CITY_CODE, 2003, 11, note="说明" + beacon.payload())
    rows = f"year,month,city,measure,value\n2003,1,{CITY_CODE},new_insured_persons,123\n"
    with prepare(config, store, rows.encode(), file_name="一月" + beacon.payload() + ".csv") as prepared:
        assert prepared.ok, prepared.problems
        prepared.commit(actor=Actor("导入人" + beacon.payload(), channel="命令行"))
    audit.record(Records.beside(db), Actor("pytest" + beacon.payload(), channel="命令行"), "导入数据",
                 target="对象" + beacon.payload(), detail="说明" + beacon.payload())
    with streamlit_server(directory, db) as url:
        yield url, db


def text_of(visit: Visit) -> str:
    return visit.text().replace(JOINER, "")


def assert_plain(visit: Visit, beacon: Beacon, where: str, shown: bool = True) -> None:
    """Nothing fetched from the beacon, no element pointing at it, no maths or coloured text, the payload legible."""
    page = visit.page
    pointing = page.evaluate("""port => [...document.querySelectorAll('*')].filter(e =>
        ['href', 'src', 'srcset', 'xlink:href', 'style', 'action', 'formaction', 'data', 'poster'].some(name =>
            (e.getAttribute(name) || '').includes('127.0.0.1:' + port))).map(e => e.outerHTML.slice(0, 200))""",
                             beacon.port)
    assert pointing == [], (where, pointing)
    assert page.locator(".katex").count() == 0, where
    if shown:
        text = text_of(visit)
        missing = [piece for piece in beacon.pieces() if piece not in text]
        assert not missing, (where, missing, text[:3000])
    assert visit.page.locator('[data-testid="stException"]').count() == 0, (where, visit.text())
    assert not visit.errors, (where, visit.errors)
    assert beacon.hits == [], (where, beacon.hits)


def hover_tooltips(visit: Visit, beacon: Beacon, where: str) -> None:
    """Each help icon's tooltip (st.metric help, …) is drawn only when hovered: hover each and check it."""
    targets = visit.page.locator('[data-testid="stTooltipHoverTarget"]').locator("visible=true")
    for k in range(targets.count()):
        targets.nth(k).hover()
        visit.page.locator('[data-testid="stTooltipContent"]').first.wait_for(timeout=5_000)
        assert_plain(visit, beacon, f"{where}, tooltip {k}", shown=False)
        visit.page.mouse.move(0, 0)


def open_picker(visit: Visit, beacon: Beacon, where: str) -> None:
    """The city picker's list names the hostile city literally (options are drawn as plain text)."""
    picker = visit.page.locator('[data-testid="stSelectbox"]', has_text="市州")
    picker.locator('button[aria-label="Open"]').click()
    options = visit.page.locator('[role="listbox"]')
    options.wait_for(timeout=5_000)
    listed = options.inner_text().replace(JOINER, "")
    assert "辽源市" + beacon.payload() in listed, (where, listed)
    assert_plain(visit, beacon, f"{where}, city picker")
    visit.page.keyboard.press("Escape")


@pytest.mark.parametrize("path, title", PAGES, ids=[path or "ranking" for path, _ in PAGES])
def test_every_page_shows_hostile_names_as_plain_text_to_the_province(browser, hostile, beacon, path, title):
    url, db = hostile
    query = f"?city={CITY_CODE}" if path in CITY_PAGES else ""
    visit = Visit(browser, f"{url}/{path}{query}", session_token(db))
    try:
        visit.settle(title)
        assert_plain(visit, beacon, title)
        hover_tooltips(visit, beacon, title)
        if path in CITY_PAGES:
            open_picker(visit, beacon, title)
    finally:
        visit.close()


@pytest.mark.parametrize("path, title", PAGES[:-1], ids=[path or "ranking" for path, _ in PAGES[:-1]])
def test_every_page_shows_hostile_names_as_plain_text_to_the_city(browser, hostile, beacon, path, title):
    url, db = hostile
    visit = Visit(browser, f"{url}/{path}", session_token(db, CITY, CITY_CODE))
    try:
        visit.settle(title)
        assert_plain(visit, beacon, title)
        hover_tooltips(visit, beacon, title)
    finally:
        visit.close()


def hover_text(visit: Visit, points: str, x: str, y: str | None = None) -> str:
    """The hover label (the browser's tooltip, plain text: an HTML element's title, an SVG element's <title>) of the
    point (`points`: a CSS selector) of unit `x` (and of row `y`, a grid's)."""
    labels = visit.page.locator(points).evaluate_all(
        "points => points.map(p => p.getAttribute('title') ?? p.querySelector('title').textContent)")
    return next(label for label in labels if x in label and (y is None or y in label))


def test_chart_hover_shows_hostile_names_as_plain_text(browser, hostile, beacon):
    url, db = hostile
    visit = Visit(browser, url, session_token(db))
    try:
        visit.settle("全省排名")
        cell = hover_text(visit, ".sc-grid .sc-cell", "辽源", "征缴收入")
        assert "辽源市" + beacon.payload() in cell and "征缴收入" + beacon.payload() in cell, cell
        bar = hover_text(visit, ".sc-bars .sc-bar", "辽源")
        assert "辽源市" + beacon.payload() in bar, bar
        name = hover_text(visit, ".sc-bar-names span", "辽源")   # the short name, under its bar
        assert name == "辽源" + beacon.payload(), name
        area = hover_text(visit, ".sc-map path", "辽源")
        assert "辽源市" + beacon.payload() in area, area
        assert_plain(visit, beacon, "hover")
    finally:
        visit.close()


def test_sign_in_page_shows_hostile_input_as_plain_text(browser, hostile, beacon):
    url, _ = hostile
    visit = Visit(browser, f"{url}/signin?next={quote('/' + beacon.payload(), safe='')}")
    try:
        visit.page.locator("#name").fill(beacon.payload())
        visit.page.locator("#password").fill("wrong")
        visit.page.get_by_role("button", name="登录").click()
        visit.page.locator('[role="alert"]').wait_for(timeout=10_000)
        assert_plain(visit, beacon, "sign-in", shown=False)
    finally:
        visit.close()


def test_problems_banner_quotes_hostile_config_as_plain_text(browser, tmp_path, beacon, demo_db):
    demo_db = writable_copy(demo_db, tmp_path)
    directory = copy_config(tmp_path / "config")
    contract = directory / "contracts" / "2003" / "220100-长春市.yaml"
    text = contract.read_text(encoding="utf-8")
    contract.write_text(text.replace('city: "220100"', f"city: {quoted(beacon.payload())}", 1), encoding="utf-8")
    with streamlit_server(directory, demo_db) as url:
        visit = Visit(browser, url, session_token(demo_db))
        try:
            visit.settle("全省排名")
            assert "配置有" in text_of(visit) and "未知的市州代码" in text_of(visit)
            assert_plain(visit, beacon, "problems banner")
        finally:
            visit.close()
