"""Checking a config folder, beside what reading its YAML costs at least (run by hand, not a test).

    .venv/bin/python benchmarks/bench_validation.py [--scales 9,2800] [--runs 3]

For each scale (9: the shipped config/; more: synthetic.py's units, two years of contracts each), the
median of a few runs, in one process after a first run that warms the operating system's file cache:
- floor: every file parsed by PyYAML's C loader (yaml.CSafeLoader), nothing checked;
- lines: every file read by yamlsource.load_yaml, which keeps each value's line (pure Python, guarded
  against hostile files) — what checking must read in any case;
- check: `load_config` without cache: reading with lines, the pydantic models, cross-references;
- cache hit: `load_config(cache=True)` with the entry the first call stored (hashing the files, loading it);
and `scorecard score --year 2003` as a whole process with the cache off, and with it filled. Each figure is
printed with its ratio to the floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402

import probe  # noqa: E402
import synthetic  # noqa: E402
from scorecard.config import config_files, load_config  # noqa: E402
from scorecard.config.yamlsource import load_yaml  # noqa: E402

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def median_time(work, runs: int) -> float:
    work()  # the file cache warm, the imports done
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli_wall(config_dir: Path, db: Path, env: dict) -> float:
    run = probe.run_child([sys.executable, "-m", "scorecard", "--config", str(config_dir), "--db", str(db),
                           "score", "--year", "2003"], env=env)
    if run["code"]:
        raise SystemExit(run["err"])
    return run["wall"]


def measure(units: int, runs: int) -> list[tuple[str, float]]:
    config_dir, db = synthetic.prepared(units)
    files = config_files(config_dir)

    def floor():
        for path in files:
            yaml.load(path.read_bytes(), Loader=Loader)

    def lines():
        for path in files:
            load_yaml(path, str(path))

    def check():
        config, problems = load_config(config_dir)
        assert config is not None, problems

    figures = [("floor: C YAML", median_time(floor, runs)), ("YAML with lines", median_time(lines, runs)),
               ("check", median_time(check, runs))]
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
        os.environ["SCORECARD_CACHE"] = cache
        load_config(config_dir, cache=True)
        figures.append(("cache hit", median_time(lambda: load_config(config_dir, cache=True), runs)))
        cached = dict(os.environ)
        del os.environ["SCORECARD_CACHE"]
        figures.append(("CLI score, no cache", cli_wall(config_dir, db, dict(os.environ, SCORECARD_CACHE="off"))))
        figures.append(("CLI score, cached", cli_wall(config_dir, db, cached)))
    print(f"\n{units} units: {len(files):,} files, {sum(p.stat().st_size for p in files) / 1e6:.2f} MB")
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="9,2800")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    for units in (int(s) for s in args.scales.split(",")):
        figures = measure(units, args.runs)
        floor = figures[0][1]
        print(f"| {'step':<22} | {'s':>8} | {'× floor':>8} |")
        print(f"|{'-' * 24}|{'-' * 10}|{'-' * 10}|")
        for name, seconds in figures:
            print(f"| {name:<22} | {seconds:8.3f} | {seconds / floor:8.1f} |")
    print(f"\nload average at end: {probe.load():.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
