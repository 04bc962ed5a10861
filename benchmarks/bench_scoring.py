"""Scoring one year, in-process and as `scorecard score` (run by hand, not a test).

    .venv/bin/python benchmarks/run.py --cases score,cli [--scales 9,60,330,2800]

In-process: `score_year` on a loaded config (median of a few runs, after one to warm the operating
system's file cache), with the share of the time spent inside DuckDB (probe.duckdb_timer) — the rest
is Python: the rules of scoring.md applied to every unit and indicator, ranks and grades. Each run is timed
twice: as a process's first result (the previous year's final ranks computed: `first`; none read from the ranks
kept on disk) and asked again (those ranks kept, scoring._FINAL_RANKS: the figure), and both results must be the
same.
Target: at most twice the floor at every scale (issue 16).
Floor: one hand-written DuckDB query over the same table giving every unit's actual of every indicator of its
contract and the months it lacks (`FLOOR_SQL`), timed beside it; every indicator result of score_year must hold
exactly the floor's numbers (`same_numbers`) before a ratio is printed, so that it compares the same work.

Whole process: `scorecard score --year Y --format json` from start to exit, as a batch job runs it: Python's
imports, the config (first with an empty cache, then from the cache the first run filled — the previous year's
final ranks too, from 100 units: scoring.DISK_UNITS), scoring and printing the JSON. Peak memory is that process's. Its floor: a process that imports DuckDB, runs the same
hand-written query and prints its numbers as JSON — which must equal every actual the command printed.
"""

from __future__ import annotations

import json
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


# The floor: one hand-written query giving every unit's actual of every indicator of its contract, and the months
# it lacks — the numbers score_year's indicator results hold — over the same table, with nothing else.
FLOOR_SQL = """
WITH wanted AS (
    SELECT unnest($cities) AS city, unnest($indicators) AS indicator, unnest($numerators) AS numerator,
           unnest($numerator_flows) AS numerator_flow, unnest($denominators) AS denominator,
           unnest($denominator_flows) AS denominator_flow),
sums AS (
    SELECT city, measure, sum(value ORDER BY month) AS total, arg_max(value, month) AS latest,
           bit_or(1 << (month::INTEGER - 1)) AS present
    FROM actuals WHERE year = $year AND month BETWEEN 1 AND $month GROUP BY city, measure),
picked AS (
    SELECT w.city, w.indicator, w.denominator IS NOT NULL AS ratio,
           CASE WHEN w.numerator_flow THEN n.total ELSE n.latest END AS numerator,
           CASE WHEN w.denominator_flow THEN d.total ELSE d.latest END AS denominator,
           coalesce(n.present, 0) & CASE WHEN w.denominator IS NULL THEN -1 ELSE coalesce(d.present, 0) END AS present
    FROM wanted w
    LEFT JOIN sums n ON n.city = w.city AND n.measure = w.numerator
    LEFT JOIN sums d ON d.city = w.city AND d.measure = w.denominator)
SELECT city, indicator,
       CASE WHEN NOT ratio THEN numerator WHEN denominator <> 0 THEN numerator / denominator END,
       ((1 << $month) - 1) & ~present
FROM picked"""


def floor_terms(config, result) -> dict:
    """The floor's parameters: each unit's indicators and the measures they are computed from (those kept in the
    table: an indicator of the online reporting records is left to score_year alone)."""
    wanted = {"cities": [], "indicators": [], "numerators": [], "numerator_flows": [], "denominators": [],
              "denominator_flows": []}
    for city in result.cities:
        for i in city.indicators:
            indicator = config.indicators[i.code]
            measures = [config.measures[m] for m in indicator.measures]
            if any(m.source is not None for m in measures):
                continue
            numerator, denominator = (measures + [None])[:2]
            wanted["cities"].append(city.code)
            wanted["indicators"].append(i.code)
            wanted["numerators"].append(numerator.code)
            wanted["numerator_flows"].append(numerator.kind == "flow")
            wanted["denominators"].append(denominator and denominator.code)
            wanted["denominator_flows"].append(bool(denominator) and denominator.kind == "flow")
    return {**wanted, "year": result.year, "month": result.month}


def floor(db: Path, terms: dict) -> tuple[float, dict]:
    """Seconds of the hand-written query, and its (actual, missing-months mask) per (unit, indicator)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        start = time.perf_counter()
        rows = con.execute(FLOOR_SQL, terms).fetchall()
        return time.perf_counter() - start, {(city, code): (actual, mask) for city, code, actual, mask in rows}
    finally:
        con.close()


def same_numbers(result, found: dict) -> int:
    """How many indicator results were compared with the floor's numbers (every one the floor computed); raises
    if an actual or the months it lacks differ, or the floor left one out."""
    checked = 0
    for city in result.cities:
        for i in city.indicators:
            if (city.code, i.code) not in found:
                continue
            actual, mask = found[city.code, i.code]
            missing = tuple(m for m in range(1, result.month + 1) if mask >> (m - 1) & 1)
            if actual != i.actual or missing != i.missing_months:
                raise AssertionError(f"{city.code} {i.code}: scored {i.actual} lacking {i.missing_months}, "
                                     f"floor {actual} lacking {missing}")
            checked += 1
    if checked != len(found):
        raise AssertionError(f"the floor computed {len(found)} indicator results, score_year has {checked} of them")
    return checked


def in_process(config_dir: Path, db: Path, year: int = YEAR, runs: int = RUNS) -> dict:
    """`wall`: score_year as a process asks it again (the previous year's final ranks kept from its first result);
    `first`: as its first result, the previous year scored too (the kept ranks cleared before each run)."""
    from scorecard.assessment import scoring
    from scorecard.data.store import Store
    from scorecard.config import load_config

    config, problems = load_config(config_dir)
    assert not problems, problems[:3]
    store = Store(db)
    scoring.DISK_UNITS = float("inf")  # `first` computes the previous year: its ranks neither read from disk nor kept
    scoring.score_year(config, store, year)
    firsts, walls, shares = [], [], []
    first = None
    for _ in range(runs):
        scoring._FINAL_RANKS.clear()
        first = None  # the run before's result freed before the clock starts
        start = time.perf_counter()
        first = scoring.score_year(config, store, year)
        firsts.append(time.perf_counter() - start)
    # asked again one call after another, as a server asks: each call pays for freeing the result before it and for
    # the collections it causes (the figure: its median)
    result = None
    for _ in range(2 * runs + 1):
        with probe.duckdb_timer() as spent:
            start = time.perf_counter()
            result = scoring.score_year(config, store, year)
            wall = time.perf_counter() - start
        walls.append(wall)
        shares.append(spent[0] / wall)
    assert repr(first) == repr(result), "the kept ranks gave another result"
    median = statistics.median(walls)
    terms = floor_terms(config, result)
    floors = [floor(db, terms) for _ in range(runs + 1)][1:]  # the first, like score_year's, warms the file cache
    return {"wall": median, "first": statistics.median(firsts), "duckdb": shares[walls.index(median)],
            "peak_mb": probe.peak_mb(), "units": len(result.cities), "month": result.month,
            "floor": statistics.median(f[0] for f in floors), "checked": same_numbers(result, floors[0][1])}


# `scorecard score` in a child of its own, with DuckDB's share timed inside it: the command as the shell's `scorecard`
# runs it (main ending the process: cli._end_now), the figures printed last, by atexit, as the process ends
CLI_CHILD = r"""
import atexit, json, sys, time
start = time.perf_counter()
sys.path.insert(0, sys.argv[1])
import probe
with probe.duckdb_timer() as spent:
    from scorecard.cli import main
    atexit.register(lambda: print(json.dumps({"inside": time.perf_counter() - start, "duckdb_s": spent[0]})))
    sys.exit(main(sys.argv[2:], ending=True))
"""


# The floor of the whole process: Python, DuckDB and the hand-written query, its numbers printed as JSON
FLOOR_CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import duckdb
from bench_scoring import FLOOR_SQL
terms = json.loads(open(sys.argv[3], encoding="utf-8").read())
con = duckdb.connect(sys.argv[2], read_only=True)
print(json.dumps(con.execute(FLOOR_SQL, terms).fetchall(), ensure_ascii=False))
"""


def whole_process(config_dir: Path, db: Path, year: int = YEAR) -> dict:
    """`scorecard score --format json`: once with an empty config cache, once with the cache that run filled; and its
    floor, a process that runs the hand-written query and prints its numbers, which must be the command's."""
    from scorecard.assessment.scoring import score_year
    from scorecard.config import load_config
    from scorecard.data.store import Store

    config, problems = load_config(config_dir)
    assert not problems, problems[:3]
    figures = {}
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
        terms = Path(cache, "floor.json")
        terms.write_text(json.dumps(floor_terms(config, score_year(config, Store(db), year))), encoding="utf-8")
        env = dict(os.environ, SCORECARD_CACHE=cache)
        for state in ("cold", "warm"):
            run = probe.run_child([sys.executable, "-c", CLI_CHILD, str(Path(__file__).parent),
                                   "--config", str(config_dir), "--db", str(db), "score", "--year", str(year),
                                   "--format", "json"], env=env)
            if run["code"]:
                raise SystemExit(run["err"])
            inside = probe.last_json(run["out"])
            figures[state] = {"wall": run["wall"], "peak_mb": run["peak_mb"], "duckdb": inside["duckdb_s"] / run["wall"]}
        printed = json.loads("".join(run["out"].strip().splitlines()[:-1]))
        floors = [probe.run_child([sys.executable, "-c", FLOOR_CHILD, str(Path(__file__).parent), str(db), str(terms)])
                  for _ in range(2)]
    found = {(city, code): actual for city, code, actual, _ in probe.last_json(floors[-1]["out"])}
    scored = {(c["city"], i["code"]): i["actual"] for c in printed["cities"] for i in c["indicators"]}
    wrong = [key for key, actual in found.items() if scored.get(key, "missing") != actual]
    if wrong:
        raise AssertionError(f"{wrong[0]}: the command printed {scored.get(wrong[0])}, the floor {found[wrong[0]]}")
    figures["warm"] |= {"floor": floors[-1]["wall"], "checked": len(found)}
    return figures
