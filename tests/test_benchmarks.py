"""The benchmark suite (benchmarks/run.py) still runs: every case once at a small scale, with tiny import files,
through its one entry point, so that the benchmarks do not rot. Benchmarks are not tests: no timing is
asserted here; benchmarks/README.md keeps the figures measured by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from export_support import ROOT, need_fonts
from live_server import CHROMIUM

SYNTHETIC_UNITS = 12  # above the shipped nine: the synthetic generator is exercised too


def run_suite(tmp_path, *args) -> tuple[subprocess.CompletedProcess, dict]:
    results = tmp_path / "figures.json"
    env = dict(os.environ, SCORECARD_BENCH_CACHE=str(tmp_path / "bench-cache"))
    done = subprocess.run([sys.executable, "benchmarks/run.py", "--json", str(results), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done, json.loads(results.read_text(encoding="utf-8"))


def test_every_case_but_the_browser_runs(tmp_path):
    need_fonts()
    done, figures = run_suite(tmp_path, "--scales", str(SYNTHETIC_UNITS), "--cases", "score,cli,import,exports",
                              "--rows", "3000")
    rows = figures["rows"]
    assert [r["case"] for r in rows] == ["score", "cli", "cli cached", "import 3,000", "exports"]
    assert all(r["units"] == SYNTHETIC_UNITS and r["wall"] > 0 and r["peak_mb"] > 0 for r in rows)
    assert all(0 <= r["duckdb"] <= 1 for r in rows if r["case"] != "exports")
    assert "xlsx" in rows[-1]["note"] and "pdf" in rows[-1]["note"]
    assert figures["machine"]["cores"] == os.cpu_count() and "duckdb" in figures["machine"]["packages"]
    assert f"| score | {SYNTHETIC_UNITS} |" in done.stdout and "load average at end" in done.stdout
    built = list((tmp_path / "bench-cache").glob(f"synthetic-{SYNTHETIC_UNITS}-*/config/contracts/2003/*.yaml"))
    assert len(built) == SYNTHETIC_UNITS


@pytest.mark.browser
def test_the_ranking_page_cases_run(tmp_path):
    if not CHROMIUM.exists():
        if os.environ.get("SCORECARD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and SCORECARD_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is missing")
    _, figures = run_suite(tmp_path, "--scales", "9", "--cases", "pages", "--sessions", "2", "--rounds", "1",
                           "--screenshots", str(tmp_path))
    rows = figures["rows"]
    assert [r["case"] for r in rows] == ["page cold", "page warm", "2 sessions p95"]
    assert all(r["wall"] > 0 for r in rows) and "错误" not in rows[0]["note"]
    assert rows[-1]["note"].startswith("2/2个会话画完") and "失败" not in rows[-1]["note"]
    assert (tmp_path / "ranking-9.png").stat().st_size > 10_000


def test_the_session_check_benchmark_runs(tmp_path):
    """benchmarks/bench_records.py on SQLite (and on PostgreSQL when the suite has a server), a few checks."""
    done = subprocess.run([sys.executable, "benchmarks/bench_records.py", "--checks", "30", "--sessions", "5"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "| SQLite |" in done.stdout and "< 2 ms |" in done.stdout
    assert ("| PostgreSQL |" in done.stdout) == bool(os.environ.get("SCORECARD_TEST_POSTGRES"))
