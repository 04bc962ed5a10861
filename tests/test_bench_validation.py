"""benchmarks/bench_validation.py still runs (once, at the shipped nine units); no timing is asserted."""

from __future__ import annotations

import os
import subprocess
import sys

from export_support import ROOT


def test_the_validation_benchmark_prints_each_step_beside_the_floor(tmp_path):
    env = dict(os.environ, SCORECARD_BENCH_CACHE=str(tmp_path / "bench-cache"))
    done = subprocess.run([sys.executable, "benchmarks/bench_validation.py", "--scales", "9", "--runs", "1"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line.split("|")[1].strip() for line in done.stdout.splitlines() if line.startswith("| ")]
    assert rows == ["step", "floor: C YAML", "YAML with lines", "check", "cache hit", "CLI score, no cache",
                    "CLI score, cached"], done.stdout
    assert "9 units: " in done.stdout and "files" in done.stdout
