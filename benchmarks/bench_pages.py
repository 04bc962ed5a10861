"""How fast the dashboard answers, measured in headless Chromium (run by hand, not a test).

    .venv/bin/python benchmarks/bench_pages.py [--units 330] [--sessions 20] [--screenshots DIR]
    .venv/bin/python benchmarks/bench_pages.py --all-pages [--rounds 5]      # every page, demo data
    .venv/bin/python benchmarks/bench_pages.py --units 330 --profile         # cProfile of the script run

The ranking page (全省排名) at N units (nine: the shipped province with its demo data; more: synthetic.py):
- cold: from starting `streamlit run app.py` (empty config cache) to the ranking page fully drawn — title,
  script finished, every chart drawn —, split into the server start and the first page;
- warm: a click on 全省排名 in the navigation bar, coming from 市州进度, until it is fully drawn (target
  < 2 s at 330 units);
- concurrent: `--sessions` browser sessions (tabs of a browser that has visited the app before, each a
  session of its own on the server) open the ranking page at once; each one's time from its request to
  fully drawn, the 95th percentile and the slowest. Every session must draw the page without an
  exception. The browser runs on the same two cores as the server, so this measures both.

--all-pages (issue 3's figures on the demo data): the cold start, and a click to each page and back
(target < 1 s for a warm switch, < 5 s for the first page after a cold start).

The floor (issue 16): a hello-world app of two pages (`HELLO`: a title and a sentence each, in a navigation bar at
the top) served by the same helper (live_server.streamlit_server), opened in the same browser and waited for by
the same "fully drawn" (Visit.drawn), measured in the same run: its cold start (server + first page) and its warm
switch (a click on 全省排名 coming from 市州进度), rounds interleaved with the ranking page's. Each figure is
printed beside its floor and the ratio, with the machine. Every warm switch also records (in the page: an init
script counting the websocket's messages) the bytes and messages the server sent, the time to its last message
(the script run and its sending, as the browser sees it), the CPU seconds of the server and of the browser, and
the elements and charts drawn.
--profile: the warm switch to the ranking page in AppTest (the same app.py, in this process) under cProfile.
"""

from __future__ import annotations

import argparse
import math
import os
import secrets
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import probe  # noqa: E402
import synthetic  # noqa: E402
from live_server import CHARTS_DRAWN, CHROMIUM, CHROMIUM_ARGS, Visit, streamlit_server  # noqa: E402

from scorecard.records import accounts
from scorecard.records.sessions import COOKIE, start_session
from scorecard.records.store import RECORDS_URL_ENV, Records
from scorecard.roles import PROVINCE, Principal
from scorecard.records.audit import Actor
from scorecard.config import AccessSettings

TITLES = ["全省排名", "市州进度", "年终考评", "基金预警", "目标责任书", "数据管理"]
RANKING = TITLES[0]
# Visit.drawn, as a condition the page checks itself: sessions opened at once finish in any order.
DRAWN = """title => [...document.querySelectorAll('h1')].some(h => h.textContent.includes(title))
    && document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]') !== null
    && """ + CHARTS_DRAWN
WATCH = f"""(() => {{
    const drawn = {DRAWN};
    const poll = setInterval(() => {{
        if (drawn({RANKING!r})) {{ window.__drawnAt = Date.now(); clearInterval(poll); }}
    }}, 25);
}})()"""


@contextmanager
def signed_in(sessions: int):
    """`sessions` session cookies of a 省级 account, as after /signin, in a records store of their own
    (SCORECARD_RECORDS_URL, which the server inherits: nothing is written beside the benchmark's database)."""
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        previous = os.environ.get(RECORDS_URL_ENV)
        os.environ[RECORDS_URL_ENV] = f"sqlite:///{Path(folder) / 'records.sqlite'}"
        try:
            records = Records(os.environ[RECORDS_URL_ENV])
            accounts.add_user(records, "bench", PROVINCE, None, secrets.token_urlsafe(16), actor=Actor("bench"))
            yield [start_session(records, Principal("bench", PROVINCE), AccessSettings()) for _ in range(sessions)]
        finally:
            if previous is None:
                os.environ.pop(RECORDS_URL_ENV, None)
            else:
                os.environ[RECORDS_URL_ENV] = previous


@contextmanager
def cold_config_cache():
    """An empty config cache for the server (scorecard/config/cache.py), so that a cold start is cold."""
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as folder:
        previous = os.environ.get("SCORECARD_CACHE")
        os.environ["SCORECARD_CACHE"] = folder
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("SCORECARD_CACHE", None)
            else:
                os.environ["SCORECARD_CACHE"] = previous


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def browser_cpu() -> float:
    """CPU seconds used so far by the browser's processes (this process's descendants, but the server)."""
    return sum(probe.cpu_seconds(pid) for pid in probe.descendants(os.getpid())
               if "streamlit" not in Path(f"/proc/{pid}/cmdline").read_text(errors="replace"))


def concurrent(browser, url: str, token: str, sessions: int, server_pid: int) -> dict:
    """`sessions` tabs open the ranking page at once; seconds from each request to fully drawn.

    The tabs share one browser profile that has loaded the page once, as a user's browser has after the
    first visit: without it, twenty renderers compiling Streamlit's scripts on the two cores the server
    needs would be most of what is measured. Each tab is a session of its own on the server (its own
    connection and script runs), signed in with the same cookie."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    context.add_cookies([{"name": COOKIE, "value": token, "url": url, "httpOnly": True, "sameSite": "Lax"}])
    context.add_init_script(WATCH)
    first = context.new_page()
    first.goto(url)
    first.wait_for_function("() => window.__drawnAt", timeout=180_000)
    first.close()
    visits = []
    for _ in range(sessions):
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        visits.append((page, errors))
    server_cpu, client_cpu = probe.cpu_seconds(server_pid), browser_cpu()
    started = []
    for page, _ in visits:  # not page.goto: it would wait for each response in turn
        started.append(time.time())
        page.evaluate("url => { window.location.href = url; }", url)
    times, failures = [], []
    for (page, errors), begin in zip(visits, started):
        try:
            page.wait_for_function("() => window.__drawnAt", timeout=180_000)
            times.append(page.evaluate("() => window.__drawnAt") / 1000 - begin)
            if page.locator('[data-testid="stException"]').count():
                failures.append("exception shown")
        except Exception as exc:  # noqa: BLE001 — a session that never draws is a finding, not a crash
            failures.append(f"not drawn: {str(exc).splitlines()[0]}")
        failures += errors
    server_cpu, client_cpu = probe.cpu_seconds(server_pid) - server_cpu, browser_cpu() - client_cpu
    context.close()
    return {"sessions": sessions, "drawn": len(times), "p95": percentile(times, 0.95) if times else None,
            "median": statistics.median(times) if times else None, "max": max(times) if times else None,
            "failures": failures, "server_cpu": server_cpu, "browser_cpu": client_cpu}


HELLO = """import streamlit as st


def ranking():
    st.title("全省排名")
    st.write("你好，世界。")


def progress():
    st.title("市州进度")
    st.write("你好，世界。")


st.set_page_config(page_title="你好", layout="wide")
st.navigation([st.Page(ranking, title="全省排名", url_path="ranking", default=True),
               st.Page(progress, title="市州进度", url_path="progress")], position="top").run()
"""
# In the page, before Streamlit's scripts: every websocket message received, counted, with the time of the last.
COUNTER = """(() => {
    const Native = window.WebSocket;
    window.__received = {bytes: 0, messages: 0, last: 0};
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', event => {
                const data = event.data;
                window.__received.bytes += data.byteLength ?? data.size ?? data.length;
                window.__received.messages += 1;
                window.__received.last = performance.now();
            });
        }
    };
})()"""
RECEIVED = "() => ({...window.__received, now: performance.now()})"
DRAWN_COUNTS = """() => ({elements: document.querySelectorAll('[data-testid="stElementContainer"]').length,
                      charts: document.querySelectorAll('[data-testid="stPlotlyChart"], .sc-drawn').length})"""
MEASURES = ("wall", "sent", "bytes", "messages", "server_cpu", "browser_cpu", "elements", "charts")


def cold_start(stack: ExitStack, browser, server, token: str | None) -> tuple[str, Visit, dict]:
    """Start a server (`server()`: a streamlit_server) and open its first page in a fresh browser context: seconds
    to healthy and from there to the ranking page fully drawn. The tab then counts its websocket messages (COUNTER,
    from a reload: a new session of the server, as after a refresh)."""
    started = time.perf_counter()
    url = stack.enter_context(server())
    healthy = time.perf_counter()
    visit = Visit(browser, url, token)
    visit.drawn(RANKING)
    drawn = time.perf_counter()
    stack.callback(visit.close)
    return url, visit, {"server": healthy - started, "first_page": drawn - healthy, "cold": drawn - started}


def counted(visit: Visit) -> None:
    visit.context.add_init_script(COUNTER)
    visit.page.reload()
    visit.drawn(RANKING)


def switch(visit: Visit, server_pid: int) -> dict:
    """A click on 全省排名 coming from 市州进度: seconds to fully drawn, to the server's last message (`sent`), its
    bytes and messages, the CPU seconds of the server and the browser meanwhile, the elements and charts drawn."""
    visit.page.get_by_role("link", name=TITLES[1]).click()
    visit.drawn(TITLES[1])
    before = visit.page.evaluate(RECEIVED)
    server_cpu, client_cpu = probe.cpu_seconds(server_pid), browser_cpu()
    begin = time.perf_counter()
    visit.page.get_by_role("link", name=RANKING).click()
    visit.drawn(RANKING)
    wall = time.perf_counter() - begin
    server_cpu, client_cpu = probe.cpu_seconds(server_pid) - server_cpu, browser_cpu() - client_cpu
    after = visit.page.evaluate(RECEIVED)
    return {"wall": wall, "sent": (after["last"] - before["now"]) / 1000, "bytes": after["bytes"] - before["bytes"],
            "messages": after["messages"] - before["messages"], "server_cpu": server_cpu, "browser_cpu": client_cpu,
            **visit.page.evaluate(DRAWN_COUNTS)}


def medians(switches: list[dict]) -> dict:
    return {measure: statistics.median(s[measure] for s in switches) for measure in MEASURES}


def ranking_case(config_dir: Path, db: Path, *, rounds: int = 5, sessions: int = 20,
                 screenshot: Path | None = None) -> dict:
    """Cold and warm render of the ranking page beside the floor's (HELLO), and `sessions` sessions at once."""
    from playwright.sync_api import sync_playwright

    figures: dict = {"load_start": probe.load(), "cores": os.cpu_count()}
    with (signed_in(2) as tokens, cold_config_cache(), tempfile.TemporaryDirectory(prefix="bench-hello-") as folder,
          sync_playwright() as playwright):
        hello = Path(folder) / "hello.py"
        hello.write_text(HELLO, encoding="utf-8")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        servers: list = []
        floor_servers: list = []
        with ExitStack() as stack:
            url, visit, cold = cold_start(stack, browser, lambda: streamlit_server(config_dir, db, timeout=120,
                                                                              started=servers), tokens[0])
            floor_stack = stack.enter_context(ExitStack())
            _, floor_visit, floor_cold = cold_start(floor_stack, browser, lambda: streamlit_server(
                config_dir, db, timeout=120, started=floor_servers, script=hello), None)
            figures.update(cold, floor=floor_cold)
            if screenshot:
                visit.screenshot(screenshot)
            counted(visit)
            counted(floor_visit)
            warm, floor_warm = [], []
            for _ in range(rounds):  # interleaved: the machine's load moves both alike
                floor_warm.append(switch(floor_visit, floor_servers[0].pid))
                warm.append(switch(visit, servers[0].pid))
            figures.update(warm=statistics.median(s["wall"] for s in warm), warm_max=max(s["wall"] for s in warm),
                           switch=medians(warm))
            figures["floor"].update(warm=statistics.median(s["wall"] for s in floor_warm),
                                    warm_max=max(s["wall"] for s in floor_warm), switch=medians(floor_warm))
            errors = list(visit.errors) + list(floor_visit.errors)
            if visit.page.locator('[data-testid="stException"]').count():
                errors.append("exception shown")
            floor_stack.close()
            if sessions:
                figures["concurrent"] = concurrent(browser, url, tokens[1], sessions, servers[0].pid)
            figures["server_peak_mb"] = probe.server_peak_mb(servers[0].pid)
        browser.close()
    figures.update(errors=errors, load_end=probe.load())
    return figures


def all_pages(rounds: int) -> None:
    """Issue 3's benchmark on the demo data: the cold start, and a warm switch to every page."""
    from playwright.sync_api import sync_playwright

    config_dir, db = synthetic.prepared(synthetic.PROVINCE)
    with signed_in(1) as tokens, cold_config_cache(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        started = time.perf_counter()
        with streamlit_server(config_dir, db) as url:
            healthy = time.perf_counter()
            visit = Visit(browser, url, tokens[0])
            visit.drawn(TITLES[0])
            drawn = time.perf_counter()
            print(f"cold start: server {healthy - started:.2f} s + first page {drawn - healthy:.2f} s "
                  f"= {drawn - started:.2f} s (target < 5 s)")
            switches: dict[str, list[float]] = {title: [] for title in TITLES}
            for _ in range(rounds):
                for title in TITLES[1:] + TITLES[:1]:
                    begin = time.perf_counter()
                    visit.page.get_by_role("link", name=title).click()
                    visit.drawn(title)
                    switches[title].append(time.perf_counter() - begin)
            for title, times in switches.items():
                print(f"warm switch to {title}: median {statistics.median(times):.2f} s, max {max(times):.2f} s")
            every = [t for times in switches.values() for t in times]
            print(f"warm switch, all pages: median {statistics.median(every):.2f} s, max {max(every):.2f} s "
                  f"(target < 1 s)")
            print(f"load average during the run: {probe.load():.2f} on {os.cpu_count()} cores")
            assert not visit.errors, visit.errors
            visit.close()
        browser.close()


def profile(units: int, rounds: int, top: int = 45) -> None:
    """The warm switch to the ranking page in AppTest (app.py in this process, signed in as 省级) under cProfile:
    the router's run (sign-in check, navigation, the page) profiled in the script's thread, `rounds` times after
    a first run that fills the caches; wall and CPU seconds of each run, then the profile."""
    import cProfile
    import pstats
    import threading

    from streamlit.testing.v1 import AppTest

    from dashboard import router, session

    config_dir, db = synthetic.prepared(units)
    profiler, runs, route, inside = cProfile.Profile(), [], router.route, threading.local()
    measuring = False

    def profiled() -> None:  # a page run alone calls route() again (router.page): profiled once, outermost
        if getattr(inside, "yes", False) or not measuring:
            return route()
        inside.yes, begin, cpu = True, time.perf_counter(), time.thread_time()
        profiler.enable()
        try:
            return route()
        finally:
            profiler.disable()
            inside.yes = False
            runs.append((time.perf_counter() - begin, time.thread_time() - cpu))

    with signed_in(1) as tokens, cold_config_cache():
        os.environ.update(SCORECARD_CONFIG=str(config_dir), SCORECARD_DB=str(db))
        session.request_cookies = lambda: {COOKIE: tokens[0]}
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        begin = time.perf_counter()
        app.run()
        print(f"{units} units: first run (config, result) {time.perf_counter() - begin:.2f} s")
        router.route = profiled
        for round_ in range(rounds + 1):  # the first: 市州进度's first run, and the ranking page's, unprofiled
            app.switch_page("pages/progress.py").run()
            measuring = round_ > 0
            app.switch_page("pages/ranking.py").run()
            measuring = False
            assert not app.exception, [e.value for e in app.exception]
            if runs:
                print(f"warm run of the ranking page: {runs[-1][0]:.3f} s wall, {runs[-1][1]:.3f} s CPU of the "
                      f"script thread, {len(app.main.children)} elements at the top level")
    pstats.Stats(profiler).strip_dirs().sort_stats("cumulative").print_stats(top)
    pstats.Stats(profiler).strip_dirs().sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=synthetic.PROVINCE, help="units (default: the shipped nine)")
    parser.add_argument("--rounds", type=int, default=5, help="warm renders to take the median of (default 5)")
    parser.add_argument("--sessions", type=int, default=20, help="sessions opening the page at once (default 20)")
    parser.add_argument("--screenshots", type=Path, help="a folder for a screenshot of the ranking page")
    parser.add_argument("--all-pages", action="store_true", help="warm switches between every page, demo data")
    parser.add_argument("--profile", action="store_true", help="cProfile of the ranking page's warm run (AppTest)")
    args = parser.parse_args()
    if args.profile:
        profile(args.units, args.rounds)
        return
    if args.all_pages:
        all_pages(args.rounds)
        return
    config_dir, db = synthetic.prepared(args.units)
    shot = args.screenshots / f"ranking-{args.units}.png" if args.screenshots else None
    f = ranking_case(config_dir, db, rounds=args.rounds, sessions=args.sessions, screenshot=shot)
    print(f"{f['cores']} cores, load average {f['load_start']:.1f} at the start, {f['load_end']:.1f} at the end")
    print(report(args.units, f))
    if "concurrent" in f:
        c = f["concurrent"]
        print(f"{c['sessions']} sessions at once: {c['drawn']} drawn, p95 {c['p95']:.2f} s, "
              f"median {c['median']:.2f} s, max {c['max']:.2f} s, failures {c['failures'] or 'none'}; CPU: server "
              f"{c['server_cpu']:.1f} s, browser {c['browser_cpu']:.1f} s")
    print(f"server peak {f['server_peak_mb']:.0f} MB; errors: {f['errors'] or 'none'}")


def report(units: int, f: dict) -> str:
    """Each figure beside its floor's and the ratio; what a warm switch sent and cost, beside the floor's."""
    floor = f["floor"]
    rows = [(f"cold start ({units} units)", f["cold"], floor["cold"], "s"),
            ("  server start", f["server"], floor["server"], "s"),
            ("  first page", f["first_page"], floor["first_page"], "s"),
            ("warm switch, median", f["warm"], floor["warm"], "s"),
            ("warm switch, slowest", f["warm_max"], floor["warm_max"], "s")]
    rows += [(f"  {label}", f["switch"][key], floor["switch"][key], unit) for label, key, unit in (
        ("to the last message", "sent", "s"), ("server CPU", "server_cpu", "s"), ("browser CPU", "browser_cpu", "s"),
        ("bytes received", "bytes", ""), ("messages", "messages", ""), ("elements drawn", "elements", ""),
        ("charts drawn", "charts", ""))]
    lines = [f"{'':24}{'ranking page':>14}{'floor':>12}{'ratio':>8}"]
    for label, ours, theirs, unit in rows:
        shown = (lambda v: f"{v:>12.2f} s") if unit else (lambda v: f"{v:>14,.0f}")
        ratio = f"{ours / theirs:.1f}×" if theirs else "—"
        lines.append(f"{label:24}{shown(ours)}{shown(theirs)[2:]}{ratio:>8}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
