"""The hidden-employment check (issue 17 §3, point 8) on DuckDB and on Spark (local mode) — run by hand, not a test:

    .venv/bin/python benchmarks/bench_records_engines.py                  # 5 M wage rows
    .venv/bin/python benchmarks/bench_records_engines.py --wage-rows 50000000
    .venv/bin/python benchmarks/bench_records_engines.py --wage-rows 50000000 --repeat 1
    .venv/bin/python benchmarks/bench_records_engines.py --wage-rows 50000000 --engines duckdb   # DuckDB alone

A synthetic person-records file is written straight by DuckDB (not imported: the import is bench_import's and
records_synthetic's): `--wage-rows` / 12 insured workers with a wage record in each month of 2003 in the nine
cities, 7 % of them claimants paid benefit for six months from a month of the year, of whom one in 50 earned the
minimum wage or more in every paid month (a finding), one in 50 only in two (none), and one in 200 held a business
licence (a finding). The check is `findings(…, ["hidden_employment"], engine)` as `scorecard records check` runs
it: the minimum wages, the paid periods, the wage runs and the registrations, each an Ibis expression.

Figures: the best of `--repeat` runs of the check on each engine (wall, and CPU of the process — for Spark the
JVM's too); Spark's start and the export of the tables to Parquet once before; peak memory of this process during
DuckDB's check (reset before it: not the synthetic file's making) and of the JVM. Floor: DuckDB's time for the
same check; the ratio is Spark's ÷ DuckDB's. Both engines must give the same findings, and as many as were
planted, or no ratio is printed. Target (§6): checks ≤ 60 s, ≤ 4 GB on DuckDB.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import probe  # noqa: E402  (benchmarks/probe.py)

CHECK_TARGET_SECONDS = 60.0
CLAIMANT_SHARE, PAID_MONTHS = 0.07, 6

SYNTHETIC_SQL = """
CREATE TEMP TABLE workers AS
    SELECT i, 'w' || lpad(i::VARCHAR, 9, '0') AS person_id, cities[1 + i % len(cities)] AS city,
           1 + (i * 5) % 7 AS first_paid      -- claimants are paid from a month in 1..7, six months
    FROM range({workers}) t(i), (SELECT {cities}::VARCHAR[] AS cities);
INSERT INTO p.claims SELECT 'c' || i, person_id, '职工' || i, city, NULL, NULL, DATE '2002-12-20',
        CASE WHEN i % 100 = 7 THEN '11' ELSE '01' END, make_date(2003, first_paid, 1) - INTERVAL 10 DAY,
        240, 12, NULL, NULL, 1
    FROM workers WHERE i < {claims};
INSERT INTO p.payments SELECT 'c' || i, make_date(2003, first_paid + j, 1), make_date(2003, first_paid + j, 10),
        make_date(2003, first_paid + j, 10), 240, 240, NULL, 1
    FROM workers, range({paid_months}) k(j) WHERE i < {claims};
INSERT INTO p.wages SELECT person_id, 'e' || (i % 5000), make_date(2003, m, 1),
        CASE WHEN i >= {claims} OR m NOT BETWEEN first_paid AND first_paid + {paid_months} - 1 THEN 1500 + i % 1000
             WHEN i % 50 = 0 THEN 400                                         -- every paid month: a finding
             WHEN i % 50 = 1 AND m < first_paid + 2 THEN 400                  -- two months: none
             ELSE 200 END, NULL, 1
    FROM workers, range(1, 13) t(m);
INSERT INTO p.registrations SELECT person_id, 'licence', DATE '2002-11-05', NULL, 1
    FROM workers WHERE i < {claims} AND i % 200 = 3;
"""


def synthetic(folder: Path, wage_rows: int, cities: list[str]):
    """The person-records file; how many findings were planted."""
    import duckdb

    from scorecard.microdata.store import PersonStore

    workers = wage_rows // 12
    claims = int(workers * CLAIMANT_SHARE)
    store = PersonStore(folder / "scorecard.persons.duckdb")
    con = duckdb.connect()
    store.attach(con, write=True)
    con.execute(SYNTHETIC_SQL.format(workers=workers, claims=claims, paid_months=PAID_MONTHS,
                                     cities="[" + ", ".join(f"'{c}'" for c in cities) + "]"))
    counts = {t: con.execute(f"SELECT count(*) FROM p.{t}").fetchone()[0] for t in ("claims", "payments", "wages")}
    con.close()
    planted = len(range(0, claims, 50)) + len(range(3, claims, 200))
    return store, counts, planted


def jvm():
    from pyspark import SparkContext

    return SparkContext._gateway.proc.pid


def timed(work, spark: bool = False):
    wall, cpu = time.perf_counter(), time.process_time() + (probe.cpu_seconds(jvm()) if spark else 0)
    result = work()
    return result, time.perf_counter() - wall, time.process_time() + (probe.cpu_seconds(jvm()) if spark else 0) - cpu


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wage-rows", type=int, default=5_000_000, help="wage rows (default 5 M; §6: 50 M)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of the check on each engine, the best counts")
    parser.add_argument("--engines", nargs="+", choices=("duckdb", "spark"), default=["duckdb", "spark"],
                        help="the engines to run (both: the ratio)")
    args = parser.parse_args(argv)

    from scorecard.config import load_config
    from scorecard.microdata.engines import _SPARK
    from scorecard.microdata.findings import findings
    from scorecard.microdata.settings import SparkSettings

    config = load_config(ROOT / "config")[0]
    folder = Path(tempfile.mkdtemp(prefix="records-engines-"))
    atexit.register(shutil.rmtree, folder, True)   # gigabytes at 50 M rows
    (store, counts, planted), made, _ = timed(lambda: synthetic(folder, args.wage_rows, [c.code for c in config.cities]))
    print(f"synthetic records: {counts['wages']:,} wage rows, {counts['claims']:,} claims, "
          f"{counts['payments']:,} payments, {planted:,} findings planted ({made:.1f} s)", flush=True)
    check = lambda engine: findings(store, config, 2003, ["hidden_employment"], engine)  # noqa: E731

    runs = {}
    for engine in args.engines:
        spark = engine == "spark"
        if spark:
            _, wall, _ = timed(lambda: _SPARK.session(store, SparkSettings()))
            print(f"spark: start and export to Parquet {wall:.1f} s", flush=True)
        best = None
        probe.reset_peak()   # the check's peak, not the synthetic file's making
        for _ in range(args.repeat):
            found, wall, cpu = timed(lambda: check(engine), spark)
            print(f"{engine:<7} check {wall:8.2f} s wall {cpu:8.2f} s cpu  {len(found):,} findings", flush=True)
            best = min(best or (wall, cpu), (wall, cpu))
        runs[engine] = best, found, probe.peak_mb() if not spark else probe.server_peak_mb(jvm())

    found = [f for _, f, _ in runs.values()]
    if any(f != found[0] for f in found) or len(found[0]) != planted:
        print("NOT THE SAME WORK: " + ", ".join(f"{e} {len(f)}" for e, (_, f, _) in runs.items())
              + f", planted {planted} findings")
        return 1
    duck_wall = runs["duckdb"][0][0] if "duckdb" in runs else None
    print("\n| engine | wage rows | wall s | CPU s | floor s | × floor | peak MB | target |\n|---|--:|--:|--:|--:|--:|--:|---|")
    for engine, ((wall, cpu), _, peak) in runs.items():
        if engine == "duckdb":
            target = "✓" if wall <= CHECK_TARGET_SECONDS else "✗"
            print(f"| DuckDB | {counts['wages']:,} | {wall:.2f} | {cpu:.2f} | — | — | {peak:,.0f} (process) | "
                  f"{target} ≤ {CHECK_TARGET_SECONDS:.0f} s |")
        else:
            ratio = f"{duck_wall:.2f} | {wall / duck_wall:.1f}×" if duck_wall else "— | —"
            print(f"| Spark local[2] | {counts['wages']:,} | {wall:.2f} | {cpu:.2f} | {ratio} | "
                  f"{peak:,.0f} (JVM) | |")
    print(f"\nthe same {len(found[0]):,} findings on {' and '.join(runs)}; load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
