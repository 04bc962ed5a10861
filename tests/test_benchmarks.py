"""The benchmark suite (benchmarks/run.py) still runs: `--smoke` runs every case once at tiny sizes through its one
entry point, each in a child process as a real run does, so that the benchmarks do not rot; and every floor did
the work its benchmark did (the same sums, the same rows). Benchmarks are not tests: no timing is asserted here;
benchmarks/README.md keeps the figures measured by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from export_support import ROOT, need_fonts
from live_server import CHROMIUM

sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_scoring  # noqa: E402
import run  # noqa: E402


def run_suite(tmp_path, *args) -> tuple[subprocess.CompletedProcess, dict]:
    results = tmp_path / "figures.json"
    env = dict(os.environ, SCORECARD_BENCH_CACHE=str(tmp_path / "bench-cache"))
    done = subprocess.run([sys.executable, "benchmarks/run.py", "--smoke", "--json", str(results), *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done, json.loads(results.read_text(encoding="utf-8"))


def test_every_case_but_the_browser_runs_and_its_floor_did_the_same_work(tmp_path):
    need_fonts()
    done, figures = run_suite(tmp_path, "--cases", "score,cli,import,exports")
    rows = {r["case"]: r for r in figures["rows"]}
    assert list(rows) == ["score", "cli", "cli cached", f"import {run.SMOKE_ROWS}", "exports", "package"]
    assert all(r["units"] == run.SMOKE_UNITS and r["wall"] is not None and r["peak_mb"] for r in rows.values())
    # the floors: every indicator result of the 12 units equals the hand-written query's; the import's rows, DuckDB's
    assert rows["score"]["checked"] >= run.SMOKE_UNITS and rows["score"]["floor"] is not None
    assert rows[f"import {run.SMOKE_ROWS}"]["checked"] == run.SMOKE_ROWS
    assert rows["cli cached"]["checked"] == rows["score"]["checked"] and rows["cli cached"]["floor"] is not None
    floored = ("score", "cli cached", f"import {run.SMOKE_ROWS}")
    assert all(r["floor"] is None for case, r in rows.items() if case not in floored)
    assert "xlsx" in rows["exports"]["note"] and "pdf" in rows["exports"]["note"]
    assert "会议材料包（单位少，在本进程内依次生成）" in rows["package"]["note"] and "工作进程CPU" in rows["package"]["note"]
    assert figures["machine"]["cores"] == os.cpu_count() and "duckdb" in figures["machine"]["packages"]
    assert f"| score | {run.SMOKE_UNITS} |" in done.stdout and "× floor" in done.stdout
    built = list((tmp_path / "bench-cache").glob(f"synthetic-{run.SMOKE_UNITS}-*/config/contracts/2003/*.yaml"))
    assert len(built) == run.SMOKE_UNITS


def test_a_floor_that_read_other_numbers_is_refused(config, demo_db):
    """The check behind the score's floor can fail: one actual off by a cent, one month said missing, or one
    indicator result the floor did not compute, and the benchmark stops."""
    from scorecard.assessment.scoring import score_year
    from scorecard.data.store import Store

    result = score_year(config, Store(demo_db), 2003, 12)
    terms = bench_scoring.floor_terms(config, result)
    _, found = bench_scoring.floor(demo_db, terms)
    every = sum(len(c.indicators) for c in result.cities)
    kinds = {i.kind for c in result.cities for i in c.indicators if (c.code, i.code) in found}
    assert bench_scoring.same_numbers(result, found) == len(found) == len(terms["cities"]) >= every - len(result.cities)
    assert kinds == {"flow", "stock", "ratio"}
    key, (actual, mask) = next((k, v) for k, v in found.items() if v[0] is not None)
    with pytest.raises(AssertionError, match=f"{key[0]} {key[1]}"):
        bench_scoring.same_numbers(result, {**found, key: (actual + 0.01, mask)})
    with pytest.raises(AssertionError, match=f"{key[0]} {key[1]}"):
        bench_scoring.same_numbers(result, {**found, key: (actual, mask | 1)})
    with pytest.raises(AssertionError, match="the floor computed"):
        bench_scoring.same_numbers(result, {**found, ("000000", key[1]): (actual, mask)})


@pytest.mark.browser
def test_the_ranking_page_cases_run(tmp_path):
    if not CHROMIUM.exists():
        if os.environ.get("SCORECARD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and SCORECARD_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is missing")
    _, figures = run_suite(tmp_path, "--cases", "pages", "--screenshots", str(tmp_path))
    rows = figures["rows"]
    assert [r["case"] for r in rows] == ["page cold", "page warm", "2 sessions p95"]
    assert all(r["wall"] is not None for r in rows) and "错误" not in rows[0]["note"]
    assert rows[0]["floor"] > 0 and rows[1]["floor"] > 0  # the hello-world floor, measured in the same run
    assert rows[-1]["note"].startswith("2/2个会话画完") and "失败" not in rows[-1]["note"]
    assert (tmp_path / f"ranking-{run.SMOKE_UNITS}.png").stat().st_size > 10_000


def test_the_session_check_benchmark_runs(tmp_path):
    """benchmarks/bench_records.py on SQLite (and on PostgreSQL when the suite has a server), a few checks."""
    done = subprocess.run([sys.executable, "benchmarks/bench_records.py", "--checks", "30", "--sessions", "5"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "| SQLite |" in done.stdout and "< 2 ms |" in done.stdout
    assert ("| PostgreSQL |" in done.stdout) == bool(os.environ.get("SCORECARD_TEST_POSTGRES"))
