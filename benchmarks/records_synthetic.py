"""Person records at scale (issue 17 §6) — run by hand, not a test:

    .venv/bin/python benchmarks/records_synthetic.py --claims 300000 [--seed 2003] [--keep DIR]
    .venv/bin/python benchmarks/records_synthetic.py --claims 300000 --wage-rows 50000000   # the province

Without `--wage-rows`: demo records for the nine cities with the given number of claims (scorecard.microdata.demo:
about six payments and six wage rows a claim), written as Parquet and imported in one unit through the actions
layer. With it: the province of scorecard.microdata.scale (about 17 payments a claim, and the wage rows of the
insured workers, most of them never claimants), streamed to Parquet and loaded straight into the person-records
file (`--load direct`: the ids keyed-hashed as an import does, the cells cast to the stored types; `--load import`
takes the import's way, with its row checks, at that size too). Then every measure of the year is derived and
every rule check run on DuckDB, each step's wall and CPU seconds printed beside its target, and its peak memory
(the process's resident high-water mark, reset before the step).
Targets (§6), for one province (~300k claims, 5M payments, 50M wage rows): derivations ≤ 30 s, checks ≤ 60 s, ≤ 4 GB.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import probe  # noqa: E402  (benchmarks/probe.py)

DERIVE_TARGET_SECONDS, CHECK_TARGET_SECONDS, MEMORY_TARGET_GB = 30.0, 60.0, 4.0


def timed(label: str, work, floor: float | None = None):
    probe.reset_peak()
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    against = f"  (floor {floor:.0f} s: {'ok' if wall <= floor else 'OVER'})" if floor else ""
    print(f"{label:<34} {wall:8.2f} s wall {cpu:8.2f} s cpu {probe.peak_mb() / 1024:6.2f} GB peak{against}",
          flush=True)
    return result


def load_direct(written: dict, persons, key: bytes) -> None:
    """The province's files into the person-records file as import 1: every id as its keyed hash (personid, as
    the import does), every cell cast to its stored type — without the import's row checks."""
    import duckdb
    import pyarrow as pa

    from scorecard.microdata import personid
    from scorecard.microdata.schemas import STORED, tables

    con = duckdb.connect()
    persons.attach(con, write=True)
    with_ids = [code for code in written if any(c.type == "person_id" for c in tables()[code].columns)]
    ids = con.execute(" UNION ".join(f"SELECT person_id FROM read_parquet('{written[c][0]}')" for c in with_ids)
                      ).fetchnumpy()["person_id"]
    con.register("id_hashes", pa.table({"person_id": pa.array(ids, pa.string()),
                                        "person_hash": [personid.keyed_hash(i, key) for i in ids]}))
    for code, (path, rows) in written.items():
        def cell(c):
            if c.type == "person_id":
                return "h.person_hash"
            if c.type == "month":
                return f"CAST(s.{c.code} || '-01' AS DATE)"
            return f"CAST(s.{c.code} AS {STORED[c.type]})"
        hashed = " LEFT JOIN id_hashes h USING (person_id)" if code in with_ids else ""
        con.execute(f"INSERT INTO p.{code} SELECT {', '.join(cell(c) for c in tables()[code].columns)}, "
                    f"s.file_row_number + 1, 1 FROM read_parquet('{path}', file_row_number = true) s{hashed}")
        con.execute("INSERT INTO p.person_import_files VALUES (1, ?, '', ?, ?)", [path.name, code, rows])
    con.execute("INSERT INTO p.person_imports VALUES (1, now(), 'bench', ?)",
                [sum(rows for _, rows in written.values())])
    con.close()


def make(args, config, folder: Path, store, persons) -> None:
    """Generate the records, write them as Parquet and load them (imported, or straight)."""
    from scorecard.actions.person_records import import_records
    from scorecard.microdata import personid
    from scorecard.microdata.demo import generate
    from scorecard.microdata.scale import province
    from scorecard.roles import operator

    data = folder / "data"
    load = args.load or ("direct" if args.wage_rows else "import")
    key = personid.new_key(folder / "keys" / f"person-{time.time_ns()}.key", data)
    os.environ[personid.KEY_ENV] = str(key)
    files = folder / "files"
    files.mkdir(parents=True, exist_ok=True)
    if args.wage_rows:
        written = timed(f"province {args.claims} claims, {args.wage_rows} wage rows → Parquet",
                        lambda: province(config.cities, files, 2003, args.claims, args.wage_rows, args.seed))
    else:
        frames = timed(f"generate {args.claims} claims", lambda: generate(config.cities, 2003, args.claims, args.seed))

        def write():
            paths = {}
            for code, frame in frames.items():
                paths[code] = files / f"{code}.parquet", len(frame)
                frame.astype({c: "string" for c in frame.columns}).to_parquet(paths[code][0], index=False)
            return paths

        written = timed("write Parquet", write)
        del frames
    print("  " + ", ".join(f"{code} {rows:,}" for code, (_, rows) in written.items()), flush=True)
    if load == "import":
        timed("import (one unit)", lambda: import_records(store, config, [p for p, _ in written.values()],
                                                          operator("bench")))
    else:
        timed("load straight (keyed hash, cast)", lambda: load_direct(written, persons,
                                                                      personid.load_key(key, data)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=300_000)
    parser.add_argument("--wage-rows", type=int, default=None,
                        help="the province generator with this many wage rows (§6: 50000000)")
    parser.add_argument("--load", choices=("import", "direct"), default=None,
                        help="how the files go in (default: import, direct with --wage-rows)")
    parser.add_argument("--seed", type=int, default=2003)
    parser.add_argument("--keep", type=Path, default=None,
                        help="folder to keep the files and the database in (run again: measured again as they are)")
    args = parser.parse_args(argv)

    from scorecard.config import load_config
    from scorecard.data.store import Store
    from scorecard.microdata.findings import RULE_ORDER, findings
    from scorecard.microdata.measures import derived_frame
    from scorecard.microdata.store import PersonStore

    config = load_config(ROOT / "config")[0]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="records-bench-"))
    data = folder / "data"
    store = Store(data / "scorecard.duckdb")
    persons = PersonStore.beside(store.path)
    if persons.exists():
        print(f"the records kept in {folder} measured again (nothing generated or loaded)")
    else:
        make(args, config, folder, store, persons)
    with persons.reader() as con:
        counts = con.execute("SELECT (SELECT count(*) FROM claims), (SELECT count(*) FROM payments), "
                             "(SELECT count(*) FROM payments WHERE year(period) = 2003), "
                             "(SELECT count(*) FROM wages)").fetchone()
    print("  stored: {:,} claims, {:,} payments ({:,} of 2003), {:,} wage rows".format(*counts), flush=True)
    result = timed("derive year 2003 (DuckDB)", lambda: derived_frame(persons, config, 2003), DERIVE_TARGET_SECONDS)
    print(f"  {len(result):,} derived values")
    found = timed("rule checks 2003 (DuckDB)", lambda: findings(persons, config, 2003), CHECK_TARGET_SECONDS)
    print(f"  {len(found):,} findings: " + ", ".join(f"{rule} {sum(f.rule == rule for f in found):,}"
                                                     for rule in RULE_ORDER))
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores); files and database in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
