"""How fast the dashboard answers, measured in headless Chromium (run by hand, not a test).

    .venv/bin/python benchmarks/bench_pages.py [--units 330] [--sessions 20] [--screenshots DIR]
    .venv/bin/python benchmarks/bench_pages.py --all-pages [--rounds 5]      # every page, demo data

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
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import probe  # noqa: E402
import synthetic  # noqa: E402
from live_server import CHROMIUM, CHROMIUM_ARGS, Visit, streamlit_server  # noqa: E402

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
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'))"""
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


def ranking_case(config_dir: Path, db: Path, *, rounds: int = 5, sessions: int = 20,
                 screenshot: Path | None = None) -> dict:
    """Cold and warm render of the ranking page, and `sessions` sessions at once, on one database."""
    from playwright.sync_api import sync_playwright

    figures: dict = {"load_start": probe.load()}
    with signed_in(2) as tokens, cold_config_cache(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        servers: list = []
        started = time.perf_counter()
        with streamlit_server(config_dir, db, timeout=120, started=servers) as url:
            healthy = time.perf_counter()
            visit = Visit(browser, url, tokens[0])
            visit.drawn(RANKING)
            drawn = time.perf_counter()
            figures.update(server=healthy - started, first_page=drawn - healthy, cold=drawn - started)
            if screenshot:
                visit.screenshot(screenshot)
            warm = []
            for _ in range(rounds):
                visit.page.get_by_role("link", name=TITLES[1]).click()
                visit.drawn(TITLES[1])
                begin = time.perf_counter()
                visit.page.get_by_role("link", name=RANKING).click()
                visit.drawn(RANKING)
                warm.append(time.perf_counter() - begin)
            figures.update(warm=statistics.median(warm), warm_max=max(warm))
            errors = list(visit.errors)
            if visit.page.locator('[data-testid="stException"]').count():
                errors.append("exception shown")
            visit.close()
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=synthetic.PROVINCE, help="units (default: the shipped nine)")
    parser.add_argument("--rounds", type=int, default=5, help="warm renders to take the median of (default 5)")
    parser.add_argument("--sessions", type=int, default=20, help="sessions opening the page at once (default 20)")
    parser.add_argument("--screenshots", type=Path, help="a folder for a screenshot of the ranking page")
    parser.add_argument("--all-pages", action="store_true", help="warm switches between every page, demo data")
    args = parser.parse_args()
    if args.all_pages:
        all_pages(args.rounds)
        return
    config_dir, db = synthetic.prepared(args.units)
    shot = args.screenshots / f"ranking-{args.units}.png" if args.screenshots else None
    f = ranking_case(config_dir, db, rounds=args.rounds, sessions=args.sessions, screenshot=shot)
    print(f"{args.units} units: cold {f['cold']:.2f} s (server {f['server']:.2f} s + first page "
          f"{f['first_page']:.2f} s), warm median {f['warm']:.2f} s (max {f['warm_max']:.2f} s), "
          f"server peak {f['server_peak_mb']:.0f} MB")
    if "concurrent" in f:
        c = f["concurrent"]
        print(f"{c['sessions']} sessions at once: {c['drawn']} drawn, p95 {c['p95']:.2f} s, "
              f"median {c['median']:.2f} s, max {c['max']:.2f} s, failures {c['failures'] or 'none'}; CPU: server "
              f"{c['server_cpu']:.1f} s, browser {c['browser_cpu']:.1f} s")
    print(f"errors: {f['errors'] or 'none'}; load average {f['load_start']:.1f} → {f['load_end']:.1f}")


if __name__ == "__main__":
    main()
