"""How fast the dashboard answers, measured in headless Chromium on the demo data (run by hand, not a test).

    .venv/bin/python benchmarks/bench_pages.py [--rounds 5]

Cold: from starting `streamlit run app.py` to the home page fully drawn (target < 5 s), split into the
server start and the first page. Warm: a click in the navigation bar until the next page is fully drawn
(title, script finished, every chart drawn), each page several times (target < 1 s).
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from live_server import CHROMIUM, CHROMIUM_ARGS, Visit, streamlit_server  # noqa: E402

from scorecard import accounts  # noqa: E402
from scorecard.access import PROVINCE, Principal  # noqa: E402
from scorecard.audit import Actor  # noqa: E402
from scorecard.config import AccessSettings  # noqa: E402
from scorecard.demo import build_demo  # noqa: E402
from scorecard.store import Store  # noqa: E402
from scorecard.validation import load_config  # noqa: E402

TITLES = ["全省排名", "市州进度", "年终考评", "基金预警", "目标责任书", "数据管理"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="warm switches to each page (default 5)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    config, problems = load_config(ROOT / "config")
    if problems:
        sys.exit("\n".join(map(str, problems)))
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        db = Path(folder) / "demo.duckdb"
        build_demo(Store(db), config)
        access_db = accounts.AccessDb.beside(db)  # signed in as 省级 through a session cookie, as after /signin
        accounts.add_user(access_db, "bench", PROVINCE, None, secrets.token_urlsafe(16), actor=Actor("bench"))
        session = accounts.start_session(access_db, Principal("bench", PROVINCE), AccessSettings())
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        started = time.perf_counter()
        with streamlit_server(ROOT / "config", db) as url:
            healthy = time.perf_counter()
            visit = Visit(browser, url, session)
            visit.page.locator("h1").wait_for(timeout=30_000)
            titled = time.perf_counter()
            visit.drawn(TITLES[0])
            drawn = time.perf_counter()
            print(f"cold start: server {healthy - started:.2f} s + first page {drawn - healthy:.2f} s "
                  f"(title after {titled - healthy:.2f} s) = {drawn - started:.2f} s (target < 5 s)")
            switches: dict[str, list[float]] = {title: [] for title in TITLES}
            for _ in range(args.rounds):
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
            print(f"load average during the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
            assert not visit.errors, visit.errors
            visit.close()
        browser.close()


if __name__ == "__main__":
    main()
