"""Import of large long-format CSV files beside their floor: wall time, peak memory, write-lock time, DuckDB vs Python.

    .venv/bin/python benchmarks/bench_import.py                 # 1 M and 10 M rows
    .venv/bin/python benchmarks/bench_import.py --rows 1000000 --units 2800 --encoding gb18030

Files are generated deterministically in a temporary folder. By default they use the shipped
config's nine cities and its measures; nine cities hold only 9 × measures × 12 months × years
distinct values, so a large file repeats each value many times (identical repeats are allowed and
stored once). With `--units N` the config gets N units (the nine shipped cities plus generated
ones) and every row of the file is a distinct value — the national case, where the merge writes
every row. Half the rows name their city by name, half by code.

The import is `import_file` (what `scorecard import` does for a file) into a database and records store that exist
already, empty (made beforehand, in another process: creating the records store is not the import's work). Each
import runs in a fresh child process; peak memory is that child's maximum resident set size (getrusage at its end,
which includes DuckDB's native memory). "DuckDB" is the share of the wall time spent inside calls on DuckDB
connections and cursors (probe.duckdb_timer; cProfile cannot see into duckdb's native methods), "Python" the rest
(reading and hashing the file, resolving spellings, copying the original, the audit line).
"lock s" is how long the import held the database's write lock. Wall, lock and CPU are medians of `RUNS` runs.

Floor (`FLOOR_SQL`, utf-8 files; DuckDB reads no GB18030): the same work written by hand in DuckDB, in a fresh child
process of its own, run in turn with the imports — `read_csv` of the file with typed columns, city spellings and
measure codes mapped through small mapping tables, the rows grouped by key with unknown names and conflicting
duplicates counted (both must be none), the values inserted into an `actuals` table of the database's own shape
(store.SCHEMA) in a fresh database file. Before a ratio is given, the floor's table must equal what the import
stored: the same rows, the same checksum of their keys and values (`same_table`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
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
from scorecard.data.store import SCHEMA, Store
from scorecard.records.store import Records

RUNS = 3

CHILD = r"""
import json, resource, sys, time
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


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


store_module.Store.writer = lambda self, *args, **kwargs: TimedWriter(writer(self, *args, **kwargs))
with probe.duckdb_timer() as spent:
    start, used = time.perf_counter(), cpu()
    result = import_file(Store(db), config, csv, operator("benchmark"))
    wall, used = time.perf_counter() - start, cpu() - used
assert result.ok, [str(p) for p in result.problems[:5]]
print(json.dumps({"wall": wall, "cpu": used, "locked": sum(locked), "duckdb": spent[0] / wall, "rows": result.rows,
                  "new": result.new, "import_id": result.import_id, "peak_mb": probe.peak_mb()}))
"""

# The floor: the import's work written by hand. The joins as written (the file's rows probe the small mapping
# tables), as the import has them: DuckDB's join ordering, not knowing the file's size, would build on its rows.
FLOOR_SQL = ("SET disabled_optimizers = 'join_order'",
             "CREATE TEMP TABLE city_spellings AS SELECT unnest($spellings) AS spelling, unnest($codes) AS city",
             "CREATE TEMP TABLE measure_codes AS SELECT unnest($measures) AS measure",
             """CREATE TEMP TABLE incoming AS
                SELECT f.year, f.month, c.city, m.measure, min(f.value) AS value, max(f.value) AS high
                FROM read_csv($path, header = true, auto_detect = false,
                              columns = {'year': 'SMALLINT', 'month': 'TINYINT', 'city': 'VARCHAR',
                                         'measure': 'VARCHAR', 'value': 'DOUBLE'}) f
                LEFT JOIN city_spellings c ON c.spelling = f.city LEFT JOIN measure_codes m ON m.measure = f.measure
                GROUP BY ALL""")
FLOOR_REFUSED = """SELECT count(*) FILTER (WHERE city IS NULL OR measure IS NULL OR month NOT BETWEEN 1 AND 12),
                          count(*) FILTER (WHERE value <> high) FROM incoming"""
FLOOR_INSERT = "INSERT INTO actuals SELECT year, month, city, measure, value, 1 FROM incoming"
# Rows and a checksum of every row's key and value: two tables of the same values give the same pair.
CHECKSUM = "SELECT count(*), sum(hash(year, month, city, measure, value))::VARCHAR FROM actuals"


def floor(config_dir: Path, db: Path, csv: Path) -> dict:
    """The floor, in this process (a fresh one: `--floor`): seconds from connecting to the closed database."""
    config, problems = load_config(config_dir)
    assert not problems, problems
    spellings = config.unit_lookup
    params = {"spellings": list(spellings), "codes": list(spellings.values()), "measures": list(config.measures),
              "path": str(csv)}
    start = time.perf_counter()
    con = duckdb.connect(str(db))
    con.execute(SCHEMA)
    for statement in FLOOR_SQL:
        con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})
    unknown, conflicts = con.execute(FLOOR_REFUSED).fetchone()
    assert unknown == conflicts == 0, f"the floor found {unknown} rows of unknown names and {conflicts} conflicts"
    con.execute(FLOOR_INSERT)
    con.close()
    return {"wall": time.perf_counter() - start}


def same_table(imported: Path, floor_db: Path) -> int:
    """How many rows the import stored, once they are found equal to the floor's (else AssertionError)."""
    found = []
    for db in (imported, floor_db):
        with duckdb.connect(str(db), read_only=True) as con:
            found.append(con.execute(CHECKSUM).fetchone())
    assert found[0] == found[1], f"the import stored {found[0]} (rows, checksum), the floor {found[1]}"
    return found[0][0]


def empty_store(db: Path) -> None:
    """A database and records store as a first import finds them once the system is set up (in a child process,
    so that the import's own process opens them as `scorecard import` would)."""
    subprocess.run([sys.executable, __file__, "--empty-store", str(db)], check=True, cwd=ROOT)


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
    measures = [code for code, measure in config.measures.items() if measure.reported]  # not those only derived
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


def run_case(rows: int, units: int | None, encoding: str, workdir: Path, runs: int = RUNS) -> dict:
    case = workdir / f"case-{rows}-{units or 'shipped'}-{encoding}"
    case.mkdir()
    config_dir = make_config(case / "config", units)
    csv_path = case / "actuals.csv"
    start = time.perf_counter()
    distinct = make_csv(csv_path, config_dir, rows, encoding)
    generated = time.perf_counter() - start
    imports, floors, checked = [], [], None
    for run in range(runs):  # the import and its floor in turn, so that both see the same machine
        folder = case / f"run-{run}"
        folder.mkdir()
        empty_store(folder / "db.duckdb")
        imports.append(child([sys.executable, "-c", CHILD, str(config_dir), str(folder / "db.duckdb"), str(csv_path),
                              str(Path(__file__).resolve().parent)]))
        if encoding == "utf-8":
            floors.append(child([sys.executable, __file__, "--floor", str(config_dir), str(folder / "floor.duckdb"),
                                 str(csv_path)]))
            checked = same_table(folder / "db.duckdb", folder / "floor.duckdb")
        shutil.rmtree(folder)
    figures = {key: statistics.median(f[key] for f in imports) for key in ("wall", "cpu", "locked", "duckdb")}
    figures.update(rows=imports[0]["rows"], new=imports[0]["new"], peak_mb=max(f["peak_mb"] for f in imports),
                   floor=statistics.median(f["wall"] for f in floors) if floors else None,
                   floor_cpu=statistics.median(f["cpu"] for f in floors) if floors else None, checked=checked,
                   runs=runs, rows_in_file=rows, distinct=distinct, units=units or 9, encoding=encoding,
                   file_mb=csv_path.stat().st_size / 2**20, generate=generated)
    shutil.rmtree(case)
    return figures


def child(command: list[str]) -> dict:
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def import_case(rows: int, units: int | None, encoding: str = "utf-8", runs: int = RUNS) -> dict:
    """Imports of a generated file beside their floor, in a temporary folder (run.py's import case)."""
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        return run_case(rows, units, encoding, Path(tmp), runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--units", type=int, default=None, help="units in the config (default: the shipped nine)")
    parser.add_argument("--encoding", choices=["utf-8", "gb18030"], default="utf-8")
    parser.add_argument("--runs", type=int, default=RUNS, help="imports (and floors) per file; medians are shown")
    parser.add_argument("--floor", nargs=3, type=Path, metavar=("CONFIG", "DB", "CSV"), help=argparse.SUPPRESS)
    parser.add_argument("--empty-store", type=Path, metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        used = time.process_time()  # DuckDB's threads are this process's: its CPU time counts them
        figures = floor(*args.floor)
        print(json.dumps(figures | {"cpu": time.process_time() - used}))
        return
    if args.empty_store:
        store = Store(args.empty_store)
        Records.beside(store.path).engine  # made and brought up to date
        with store.writer():
            pass  # the schema
        return
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start; medians of {args.runs}")
    print(f"{'rows':>11} {'units':>6} {'encoding':>8} {'file MB':>8} {'distinct':>10} {'wall s':>7} {'floor s':>7} "
          f"{'× floor':>7} {'CPU ×':>6} {'lock s':>7} {'peak MB':>8} {'DuckDB':>7} {'Python':>7} {'load':>5}")
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        for rows in args.rows:
            f = run_case(rows, args.units, args.encoding, Path(tmp), args.runs)
            ratio, cpu_ratio = ((f"{f['wall'] / f['floor']:.2f}×", f"{f['cpu'] / f['floor_cpu']:.2f}×") if f["floor"]
                                else ("—", "—"))
            floor_s = f"{f['floor']:.2f}" if f["floor"] else "—"
            print(f"{f['rows_in_file']:>11,} {f['units']:>6} {f['encoding']:>8} {f['file_mb']:>8.0f} "
                  f"{f['distinct']:>10,} {f['wall']:>7.2f} {floor_s:>7} {ratio:>7} {cpu_ratio:>6} "
                  f"{f['locked']:>7.2f} {f['peak_mb']:>8.0f} {f['duckdb']:>7.0%} {1 - f['duckdb']:>7.0%} "
                  f"{os.getloadavg()[0]:>5.1f}", flush=True)


if __name__ == "__main__":
    main()
