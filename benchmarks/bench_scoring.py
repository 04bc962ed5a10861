"""Scoring one year, in-process and as `scorecard score` (run by hand, not a test).

    .venv/bin/python benchmarks/run.py --cases score,cli [--scales 9,60,330,2800]

In-process: `score_year` on a loaded config (median of a few runs, after one to warm the operating
system's file cache), with the share of the time spent inside DuckDB (probe.duckdb_timer) — the rest
is Python: the rules of scoring.md applied to every unit and indicator, ranks and grades.
Targets: 330 units < 0.3 s, 2,800 units < 1.5 s.
Floor: the one DuckDB query that reads what scoring reads — each unit's and measure's sum over the months up to
the month — timed beside it; the flow actuals scoring found must be exactly the floor's sums (`same_numbers`),
so that the ratio compares the same work.

Whole process: `scorecard score --year Y` from start to exit, as a batch job runs it: Python's imports,
the config (first with an empty config cache, then from the cache the first run filled), scoring and
printing the table. Peak memory is that process's.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import probe  # noqa: E402

YEAR = 2003
RUNS = 3


def floor(db: Path, year: int, month: int) -> tuple[float, dict]:
    """Seconds of the bare query over the same rows, and its sums per (unit, measure)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        start = time.perf_counter()
        rows = con.execute("SELECT city, measure, sum(value ORDER BY month) FROM actuals "
                           "WHERE year = $year AND month BETWEEN 1 AND $month GROUP BY city, measure",
                           {"year": year, "month": month}).fetchall()
        return time.perf_counter() - start, {(city, measure): total for city, measure, total in rows}
    finally:
        con.close()


def same_numbers(result, config, sums: dict) -> int:
    """How many flow actuals of `result` were compared with the floor's sums; raises if one differs."""
    checked = 0
    for city in result.cities:
        for i in city.indicators:
            measure = config.indicators[i.code].measure
            if i.kind == "flow" and measure and i.actual is not None:
                if sums.get((city.code, measure)) != i.actual:
                    raise AssertionError(f"{city.code} {measure}: scored {i.actual}, floor {sums.get((city.code, measure))}")
                checked += 1
    return checked


def in_process(config_dir: Path, db: Path, year: int = YEAR, runs: int = RUNS) -> dict:
    from scorecard.assessment.scoring import score_year
    from scorecard.data.store import Store
    from scorecard.config import load_config

    config, problems = load_config(config_dir)
    assert not problems, problems[:3]
    store = Store(db)
    score_year(config, store, year)
    walls, shares = [], []
    for _ in range(runs):
        with probe.duckdb_timer() as spent:
            start = time.perf_counter()
            result = score_year(config, store, year)
            wall = time.perf_counter() - start
        walls.append(wall)
        shares.append(spent[0] / wall)
    median = statistics.median(walls)
    floors = [floor(db, year, result.month) for _ in range(runs)]
    return {"wall": median, "duckdb": shares[walls.index(median)], "peak_mb": probe.peak_mb(),
            "units": len(result.cities), "month": result.month,
            "floor": statistics.median(f[0] for f in floors), "checked": same_numbers(result, config, floors[0][1])}


# `scorecard score` in a child of its own, with DuckDB's share timed inside it
CLI_CHILD = r"""
import json, sys, time
start = time.perf_counter()
sys.path.insert(0, sys.argv[1])
import probe
with probe.duckdb_timer() as spent:
    from scorecard.cli import main
    code = main(sys.argv[2:])
print(json.dumps({"inside": time.perf_counter() - start, "duckdb_s": spent[0], "code": code}))
"""


def whole_process(config_dir: Path, db: Path, year: int = YEAR) -> dict:
    """`scorecard score`: once with an empty config cache, once with the cache that run filled."""
    figures = {}
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
        env = dict(os.environ, SCORECARD_CACHE=cache)
        for state in ("cold", "warm"):
            run = probe.run_child([sys.executable, "-c", CLI_CHILD, str(Path(__file__).parent),
                                   "--config", str(config_dir), "--db", str(db), "score", "--year", str(year)],
                                  env=env)
            if run["code"]:
                raise SystemExit(run["err"])
            inside = probe.last_json(run["out"])
            figures[state] = {"wall": run["wall"], "peak_mb": run["peak_mb"], "duckdb": inside["duckdb_s"] / run["wall"]}
    return figures
