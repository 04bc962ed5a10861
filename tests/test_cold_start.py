"""The cold start of the web app (issue 16): the server's side of app.py (the gateway) and the first page drawn —
全省排名, its script run in AppTest — import none of the libraries only other pages and the documents use (person
records through ibis, PDF through fpdf2 and fontTools, Word, the spreadsheets, matplotlib's charts), run in a
process of its own with an empty config cache as `streamlit run app.py` starts; a run stamps the config files once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from conftest import ROOT, make_user, session_token

from dashboard import reads

# what the pages other than the first, and the documents, need; the first page needs none of them
LATER = ("ibis", "sqlglot", "fpdf", "fontTools", "cryptography", "docx", "xlsxwriter", "openpyxl", "matplotlib")

PROBE = r"""
import json, sys
later = {later!r}
import app  # the server's side: the gateway, as `streamlit run` imports it
server = sorted(m for m in later if m in sys.modules)
from streamlit.testing.v1 import AppTest
from dashboard import session
session.request_cookies = lambda: {{"{cookie}": sys.argv[1]}}
page = AppTest.from_file("app.py", default_timeout=120).run()
print(json.dumps({{"server": server, "page": sorted(m for m in later if m in sys.modules),
                  "exception": [e.value for e in page.exception], "title": [t.value for t in page.title]}}))
"""


def test_the_first_page_imports_no_library_of_the_other_pages(shipped_config_dir, demo_db, own_records, tmp_path):
    from scorecard.records.sessions import COOKIE

    own_records(demo_db)
    token = session_token(demo_db)
    env = dict(os.environ, SCORECARD_CONFIG=str(shipped_config_dir), SCORECARD_DB=str(demo_db),
               SCORECARD_CACHE=str(tmp_path / "cache"))
    run = subprocess.run([sys.executable, "-c", PROBE.format(later=LATER, cookie=COOKIE), token], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout.splitlines()[-1])
    assert found["exception"] == [] and found["title"] == ["全省排名"], found
    assert found["server"] == [] and found["page"] == [], found


def test_a_run_stamps_the_config_files_once(shipped_config_dir, demo_db, open_app, monkeypatch):
    """The config's stamp (the size and time of every file: thousands in a national config) is taken once a run, by
    the router, and handed to the sign-in check and the page's frame."""
    app = open_app(shipped_config_dir, demo_db)
    stamps = []
    stamp = reads.config_stamp
    monkeypatch.setattr(reads, "config_stamp", lambda directory: stamps.append(directory) or stamp(directory))
    app.run()
    assert not app.exception and [t.value for t in app.title] == ["全省排名"]
    assert len(stamps) == 1


def test_the_server_starts_without_checking_the_config_once_there_are_accounts(shipped_config_dir, demo_db, own_records,
                                                                                monkeypatch):
    """On start the config is read only to make the demo accounts (a demo database without any account): otherwise
    the first page checks it, and the server answers sooner."""
    import io

    from conftest import make_user

    from dashboard import gateway

    monkeypatch.setenv("SCORECARD_CONFIG", str(shipped_config_dir))
    monkeypatch.setenv("SCORECARD_DB", str(demo_db))
    own_records(demo_db)
    make_user(demo_db)
    checked = []
    monkeypatch.setattr(gateway, "load_config", lambda *a, **k: checked.append(a) or (None, []))
    out = io.StringIO()
    gateway.announce(out)
    assert checked == [] and "登录方式：本系统账号" in out.getvalue()


def test_the_server_collects_no_garbage_after_every_run():
    """Streamlit runs a full garbage collection after every script run by default (runner.postScriptGC): in this
    app's process, which keeps the config, the results and what the pages made of them, that walk was most of the
    server's CPU on a page switch. The app's settings (.streamlit/config.toml, read by `streamlit run app.py` from
    the folder it runs in) turn it off."""
    run = subprocess.run([sys.executable, "-c", "from streamlit import config; print(config.get_option('runner.postScriptGC'))"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[-1] == "False"


def test_the_first_page_after_a_start_finds_its_result_made_by_the_warm_up(shipped_config_dir, demo_db, own_records,
                                                                          open_app, monkeypatch):
    """While the first browser loads Streamlit's scripts, the server (dashboard/warmup.py) checks the config and
    scores the year and month the first page opens on, under the key the page asks with: the page's first run
    — after an official with an account signs in — computes nothing of it again."""
    from dashboard import reads, warmup

    monkeypatch.setenv("SCORECARD_CONFIG", str(shipped_config_dir))
    monkeypatch.setenv("SCORECARD_DB", str(demo_db))
    own_records(demo_db)
    make_user(demo_db)
    warmup.prepare()
    scored = []
    official = reads.official_result
    monkeypatch.setattr(reads, "official_result", lambda *a: scored.append(a[2:]) or official(*a))
    app = open_app(shipped_config_dir, demo_db)
    assert not app.exception and [t.value for t in app.title] == ["全省排名"]
    assert app.selectbox(key="_pick_year").value == 2003 and app.selectbox(key="_pick_month").value == 12
    assert scored == []


def test_the_server_starts_the_warm_up_after_its_start_checks(monkeypatch):
    import asyncio

    from dashboard import gateway

    steps = []
    monkeypatch.setattr(gateway, "_announce_safely", lambda: steps.append("announce"))
    monkeypatch.setattr(gateway.warmup, "start", lambda: steps.append("warm-up"))

    async def start():
        async with gateway.lifespan(None):
            steps.append("serving")

    # a loop of its own in a thread of its own: a browser test's Playwright (sync API) keeps a loop running in
    # this thread when it ran before in the same worker
    with ThreadPoolExecutor(1) as runner:
        runner.submit(asyncio.run, start()).result()
    assert steps == ["announce", "warm-up", "serving"]


def test_the_warm_up_says_nothing_on_the_console(shipped_config_dir, demo_db, own_records, monkeypatch):
    """Streamlit warns in English about a cached function run outside a session; the warm-up does that on purpose."""
    import logging

    from dashboard import warmup

    monkeypatch.setenv("SCORECARD_CONFIG", str(shipped_config_dir))
    monkeypatch.setenv("SCORECARD_DB", str(demo_db))
    own_records(demo_db)
    said = []
    streamlit_logger = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    handler = logging.Handler()
    handler.emit = lambda record: said.append(record.getMessage())
    streamlit_logger.addHandler(handler)
    try:
        warmup.start().join(timeout=60)
    finally:
        streamlit_logger.removeHandler(handler)
    assert said == []
