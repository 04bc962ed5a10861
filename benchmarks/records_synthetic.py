"""Person records at scale (issue 17 §6) — run by hand, not a test:

    .venv/bin/python benchmarks/records_synthetic.py --claims 300000 [--seed 2003] [--keep DIR]

Generates demo records for the nine cities with the given number of claims (scorecard.microdata.demo: about six
payments and six wage rows a claim), writes them as Parquet, imports them in one unit through the actions layer
derives every measure of the year and runs every rule check on DuckDB, printing each step's wall and CPU seconds
beside its target, and the process's peak memory.
Targets (§6), for one province (~300k claims, 5M payments, 50M wage rows): derivations ≤ 30 s, checks ≤ 60 s, ≤ 4 GB.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DERIVE_TARGET_SECONDS, CHECK_TARGET_SECONDS, MEMORY_TARGET_GB = 30.0, 60.0, 4.0


def timed(label: str, work, floor: float | None = None):
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    against = f"  (floor {floor:.0f} s: {'ok' if wall <= floor else 'OVER'})" if floor else ""
    print(f"{label:<34} {wall:8.2f} s wall {cpu:8.2f} s cpu{against}", flush=True)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=2003)
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep the files and the database in")
    args = parser.parse_args(argv)

    from scorecard.actions.person_records import import_records
    from scorecard.config import load_config
    from scorecard.data.store import Store
    from scorecard.microdata import personid
    from scorecard.microdata.demo import generate
    from scorecard.microdata.findings import RULE_ORDER, findings
    from scorecard.microdata.measures import derived_frame
    from scorecard.microdata.store import PersonStore
    from scorecard.roles import operator

    config = load_config(ROOT / "config")[0]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="records-bench-"))
    data = folder / "data"
    key = personid.new_key(folder / "keys" / f"person-{time.time_ns()}.key", data)
    import os

    os.environ[personid.KEY_ENV] = str(key)
    frames = timed(f"generate {args.claims} claims", lambda: generate(config.cities, 2003, args.claims, args.seed))
    print("  " + ", ".join(f"{code} {len(frame):,}" for code, frame in frames.items()))
    files = folder / "files"
    files.mkdir(parents=True, exist_ok=True)

    def write():
        paths = []
        for code, frame in frames.items():
            path = files / f"{code}.parquet"
            frame.astype({c: "string" for c in frame.columns}).to_parquet(path, index=False)
            paths.append(path)
        return paths

    paths = timed("write Parquet", write)
    store = Store(data / "scorecard.duckdb")
    timed("import (one unit)", lambda: import_records(store, config, paths, operator("bench")))
    persons = PersonStore.beside(store.path)
    result = timed("derive year 2003 (DuckDB)", lambda: derived_frame(persons, config, 2003), DERIVE_TARGET_SECONDS)
    print(f"  {len(result):,} derived values")
    found = timed("rule checks 2003 (DuckDB)", lambda: findings(persons, config, 2003), CHECK_TARGET_SECONDS)
    print(f"  {len(found):,} findings: " + ", ".join(f"{rule} {sum(f.rule == rule for f in found):,}"
                                                     for rule in RULE_ORDER))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024   # KiB on Linux
    print(f"peak memory {peak:.2f} GB (target {MEMORY_TARGET_GB:.0f} GB: {'ok' if peak <= MEMORY_TARGET_GB else 'OVER'})"
          f"; files and database in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
