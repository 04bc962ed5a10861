"""The real Streamlit server on a free port, and a browser tab on it: for browser tests and benchmarks."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SESSION_COOKIE = "scorecard_session"  # scorecard.records.sessions.COOKIE
CHROMIUM = Path("/usr/bin/chromium")
# Streamlit's frontend looks for its base path by asking <page path>/_stcore/health and /_stcore/host-config
# before it falls back to the root; Chromium logs those expected 404s as console errors. Only they are ignored.
BASE_PATH_PROBE = re.compile(r"/[^/]+/_stcore/(health|host-config)$")
DESKTOP, PHONE = (1400, 900), (390, 844)   # viewports: the tests' desktop, and a phone's (iPhone 12 to 15)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(config_dir, db, timeout: float = 60.0, log_path: Path | None = None, started: list | None = None,
                     script: Path | None = None):
    """Start `streamlit run app.py` with SCORECARD_CONFIG/SCORECARD_DB, wait until healthy, yield its URL, stop it.
    The server's output goes to `log_path` when given (to read it afterwards), else to a temporary file;
    `started` gets the server's Popen (a benchmark reads its memory); `script`: another app to serve the same
    way, from its own folder (a benchmark's floor)."""
    port = free_port()
    env = dict(os.environ, SCORECARD_CONFIG=str(config_dir), SCORECARD_DB=str(db))
    command = [sys.executable, "-m", "streamlit", "run", str(script or "app.py"), "--server.port", str(port),
               "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    log = open(log_path, "w+b") if log_path else tempfile.TemporaryFile()  # not a pipe: a full one blocks the server
    process = subprocess.Popen(command, cwd=script.parent if script else ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    if started is not None:
        started.append(process)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"streamlit did not start on {url}: {log.read().decode(errors='replace')}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


VISIBLE_TEXTS = """() => {
  const out = [];
  const clipped = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.clipPath.includes('inset') || style.clip.startsWith('rect')) return true;
    }
    return false;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.textContent.trim() || el.closest('script, style, noscript, code, [data-testid="stIconMaterial"]')) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.display === 'none' || style.visibility === 'hidden' || parseFloat(style.fontSize) === 0) continue;
    if (box.width === 0 || box.height === 0 || box.right < 0 || box.bottom < 0) continue;
    if (clipped(el)) continue;  // e.g. a screen reader's live region: hidden by clipping an ancestor
    if (el.closest('[data-testid="hidden-dateinput-container"]')) continue;
    out.push(node.textContent);
  }
  return out;
}"""


# every chart drawn: plotly's (its SVG) and those of dashboard/drawn.py (their HTML written in by the component)
CHARTS_DRAWN = ("[...document.querySelectorAll('[data-testid=stPlotlyChart]')].every(c => c.querySelector('.main-svg'))"
                " && [...document.querySelectorAll('[data-testid^=stBidiComponent]')].every(c => c.querySelector('.sc-drawn'))")


class Visit:
    """One browser tab on one page, recording console errors and uncaught page errors; `session`: the value of
    a session cookie to be signed in with (conftest.session_token), else the tab meets the sign-in page;
    `size`: the viewport, (width, height) — PHONE for a phone's."""

    def __init__(self, browser, url: str, session: str | None = None, size: tuple[int, int] = DESKTOP):
        self.width, self.height = size
        self.context = browser.new_context(viewport={"width": self.width, "height": self.height}, locale="zh-CN",
                                           **({"is_mobile": True, "has_touch": True, "device_scale_factor": 1}
                                              if self.width < 640 else {}))
        if session:
            self.context.add_cookies([{"name": SESSION_COOKIE, "value": session, "url": url, "httpOnly": True,
                                       "sameSite": "Lax"}])
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

    def drawn(self, title: str) -> None:
        """Wait until the page's title is drawn, the script has finished and every chart is drawn."""
        self.page.locator("h1", has_text=title).wait_for(timeout=30_000)
        self.page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=30_000)
        # an element whose code is still loading (a chart's, the first time a tab meets one) shows a skeleton
        self.page.wait_for_function("() => !document.querySelector('[data-testid=stSkeleton]')", timeout=30_000)
        # asked of the page as it is at each poll: a rerun (after a click) may replace the charts or change their number
        self.page.wait_for_function(f"() => {CHARTS_DRAWN}", timeout=30_000)

    def settle(self, title: str) -> None:
        """`drawn`, and then until nothing is stale and the text has stopped changing."""
        previous = None
        for _ in range(100):
            self.drawn(title)
            current = self.text()
            if current == previous and self.page.locator('[data-stale="true"]').count() == 0:
                return
            previous = current
            self.page.wait_for_timeout(250)
        raise AssertionError(f"{title}: the page did not settle")

    def screenshot(self, path: Path, width: int | None = None) -> None:
        """The whole page: Streamlit scrolls inside the app, so grow the viewport to the content first;
        `width`: another width to lay the page out at (the tab keeps it afterwards)."""
        self.width = width or self.width
        path.parent.mkdir(exist_ok=True)
        height = 4000
        for _ in range(5):  # charts lay themselves out again after a resize: measure until the height holds
            self.page.set_viewport_size({"width": self.width, "height": height + 40})
            self.page.wait_for_timeout(300)
            bottom = int(self.page.evaluate(
                "() => document.querySelector('[data-testid=stMainBlockContainer]').getBoundingClientRect().bottom"))
            if bottom == height:
                break
            height = bottom
        self.page.screenshot(path=str(path), full_page=True)

    def text(self) -> str:
        return self.page.locator('[data-testid="stMain"]').inner_text()

    def visible_words(self) -> set[str]:
        """The words in Latin letters a reader sees: text that is drawn (not hidden, not of size 0, not off the
        page), outside commands and file names set as code."""
        texts = self.page.evaluate(VISIBLE_TEXTS)
        return {word for text in texts for word in re.findall(r"[A-Za-z][A-Za-z_.\-]*[A-Za-z]|[A-Za-z]", text)}

    def close(self) -> None:
        self.context.close()
