"""Import of large long-format CSV files: wall time, peak memory, write-lock time, DuckDB vs Python.

    .venv/bin/python benchmarks/bench_import.py                 # 1 M and 10 M rows
    .venv/bin/python benchmarks/bench_import.py --rows 1000000 --units 2800 --encoding gb18030

Files are generated deterministically in a temporary folder. By default they use the shipped
config's nine cities and its measures; nine cities hold only 9 × measures × 12 months × years
distinct values, so a large file repeats each value many times (identical repeats are allowed and
stored once). With `--units N` the config gets N units (the nine shipped cities plus generated
ones) and every row of the file is a distinct value — the national case, where the merge writes
every row.

Each import runs in a fresh child process. Peak memory is that child's maximum resident set size
(resource.getrusage(RUSAGE_SELF).ru_maxrss at its end, which includes DuckDB's native memory).
"DuckDB" is the share of the wall time spent inside calls on DuckDB connections and cursors
(probe.duckdb_timer; cProfile cannot see into duckdb 2's native methods), "Python" the rest (reading
and hashing the file, resolving spellings, copying the original).
"lock s" is how long the import held the database's write lock.
Floor: DuckDB's own CSV reader loading the same file into a table of a fresh database, timed beside the import;
it must load as many rows as the import read (utf-8 files; DuckDB reads no GB18030).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scorecard import years as year_range
from scorecard.config import load_config

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[4])
import probe
from scorecard.data import store as store_module
from scorecard.roles import operator
from scorecard.actions.imports import import_file
from scorecard.data.store import Store
from scorecard.config import load_config

config_dir, db, csv = sys.argv[1:4]
config, problems = load_config(config_dir)
assert not problems, problems
locked = []
writer = store_module.Store.writer


class TimedWriter:
    def __init__(self, context):
        self.context = context
    def __enter__(self):
        self.start = time.perf_counter()
        return self.context.__enter__()
    def __exit__(self, *exc):
        result = self.context.__exit__(*exc)
        locked.append(time.perf_counter() - self.start)
        return result


store_module.Store.writer = lambda self, *args, **kwargs: TimedWriter(writer(self, *args, **kwargs))
with probe.duckdb_timer() as spent:
    start = time.perf_counter()
    result = import_file(Store(db), config, csv, operator("benchmark"))
    wall = time.perf_counter() - start
assert result.ok, [str(p) for p in result.problems[:5]]
floor = floor_rows = None
if sys.argv[5] == "utf-8":
    import duckdb
    start = time.perf_counter()
    con = duckdb.connect(db + ".floor")
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv($path, header = true)", {"path": csv})
    floor_rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
    con.close()
    floor = time.perf_counter() - start
    assert floor_rows == result.rows, f"the floor loaded {floor_rows} rows, the import read {result.rows}"
print(json.dumps({"wall": wall, "locked": sum(locked), "duckdb": spent[0] / wall, "rows": result.rows,
                  "new": result.new, "import_id": result.import_id, "peak_mb": probe.peak_mb(),
                  "floor": floor, "checked": floor_rows}))
"""


def make_config(target: Path, units: int | None) -> Path:
    shutil.copytree(ROOT / "config", target)
    # the generated values are arbitrary: they meet no 审核公式 (the last section of the catalogue), so none is checked
    catalogue = target / "indicators.yaml"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.split("\nchecks:", 1)[0] + "\n", encoding="utf-8")
    if units:
        config, _ = load_config(ROOT / "config")
        lines = ["cities:"] + [f'  - {{code: "{c.code}", name: {c.name}}}' for c in config.cities]
        lines += [f'  - {{code: "U{n:05d}", name: 单位{n:05d}}}' for n in range(len(config.cities), units)]
        lines += ["counties:"] + [f'  - {{code: "{c.code}", name: {c.name}, parent: "{c.parent}"}}' for c in config.counties]
        (target / "cities.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def make_csv(path: Path, config_dir: Path, rows: int, encoding: str) -> int:
    """Rows i = 0 … rows−1 decode to (year, month, city, measure) of key k; returns the distinct keys."""
    config, problems = load_config(config_dir)
    assert not problems, problems
    cities = [c.code for c in config.cities]
    names = [c.name for c in config.cities]
    measures = list(config.measures)
    years = year_range.last() - year_range.FIRST + 1
    keys = len(cities) * len(measures) * 12 * years
    con = duckdb.connect()
    con.execute("CREATE TABLE units AS SELECT unnest($codes) AS code, unnest($names) AS name, "
                "generate_subscripts($codes, 1) - 1 AS u", {"codes": cities, "names": names})
    con.execute("CREATE TABLE measures AS SELECT unnest($m) AS code, generate_subscripts($m, 1) - 1 AS j",
                {"m": measures})
    target = path if encoding == "utf-8" else path.with_suffix(".utf8.csv")
    con.execute(f"""
        COPY (
            WITH r AS (SELECT i, i % {keys} AS k FROM range({rows}) t(i)),
            d AS (SELECT i, k, k % {len(measures)} AS j, (k // {len(measures)}) % {len(cities)} AS u,
                         (k // {len(measures) * len(cities)}) % 12 + 1 AS month,
                         {year_range.FIRST} + k // {len(measures) * len(cities) * 12} AS year FROM r)
            SELECT d.year, d.month, CASE WHEN d.k % 2 = 0 THEN units.name ELSE units.code END AS city,
                   measures.code AS measure, round((hash(d.k) % 1000000) / 100.0, 2) AS value
            FROM d JOIN units USING (u) JOIN measures USING (j) ORDER BY d.i
        ) TO '{target}' (HEADER, DELIMITER ',')""")
    if encoding != "utf-8":
        with open(target, encoding="utf-8") as source, open(path, "w", encoding=encoding, newline="") as out:
            while chunk := source.read(1 << 24):
                out.write(chunk)
        target.unlink()
    return min(rows, keys)


def run_case(rows: int, units: int | None, encoding: str, workdir: Path) -> dict:
    case = workdir / f"case-{rows}-{units or 'shipped'}-{encoding}"
    case.mkdir()
    config_dir = make_config(case / "config", units)
    csv_path = case / "actuals.csv"
    start = time.perf_counter()
    distinct = make_csv(csv_path, config_dir, rows, encoding)
    generated = time.perf_counter() - start
    child = subprocess.run([sys.executable, "-c", CHILD, str(config_dir), str(case / "db.duckdb"), str(csv_path),
                            str(Path(__file__).resolve().parent), encoding], capture_output=True, text=True, cwd=ROOT)
    if child.returncode:
        raise SystemExit(child.stderr)
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    figures.update(rows_in_file=rows, distinct=distinct, units=units or 9, encoding=encoding,
                   file_mb=csv_path.stat().st_size / 2**20, generate=generated)
    shutil.rmtree(case)
    return figures


def import_case(rows: int, units: int | None, encoding: str = "utf-8") -> dict:
    """One import of a generated file in a temporary folder (run.py's import case)."""
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        return run_case(rows, units, encoding, Path(tmp))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--units", type=int, default=None, help="units in the config (default: the shipped nine)")
    parser.add_argument("--encoding", choices=["utf-8", "gb18030"], default="utf-8")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    print(f"{'rows':>11} {'units':>6} {'encoding':>8} {'file MB':>8} {'distinct':>10} {'wall s':>7} "
          f"{'lock s':>7} {'peak MB':>8} {'DuckDB':>7} {'Python':>7} {'load':>5}")
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        for rows in args.rows:
            f = run_case(rows, args.units, args.encoding, Path(tmp))
            print(f"{f['rows_in_file']:>11,} {f['units']:>6} {f['encoding']:>8} {f['file_mb']:>8.0f} "
                  f"{f['distinct']:>10,} {f['wall']:>7.1f} {f['locked']:>7.1f} {f['peak_mb']:>8.0f} "
                  f"{f['duckdb']:>7.0%} {1 - f['duckdb']:>7.0%} {os.getloadavg()[0]:>5.1f}", flush=True)


if __name__ == "__main__":
    main()
