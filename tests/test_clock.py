"""One clock (scorecard/clock.py) for the core, the web shell and the pages: tests set it, nothing else reads the
system's time."""

from __future__ import annotations

import ast
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scorecard import clock

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for folder in ("scorecard", "dashboard", "pages") for p in (ROOT / folder).rglob("*.py")] + [ROOT / "app.py"]
READS_THE_TIME = {("date", "today"), ("datetime", "now"), ("datetime", "today"), ("datetime", "utcnow"),
                  ("time", "time")}


def calls_of_the_system_clock(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
            if (name, node.func.attr) in READS_THE_TIME:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "now()" in node.value.lower():
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} (SQL now())")
    return found


def test_nothing_but_the_clock_reads_the_system_time():
    found = [hit for path in SOURCES if path.name != "clock.py" for hit in calls_of_the_system_clock(path)]
    assert not found, found


def test_fixed_sets_the_time_for_a_block_and_gives_it_back():
    with clock.fixed(dt.date(2004, 1, 20)) as moment:
        assert clock.today() == dt.date(2004, 1, 20) and clock.now() == moment == dt.datetime(2004, 1, 20)
    assert clock.today() != dt.date(2004, 1, 20)


def test_the_environment_sets_the_time_of_a_whole_process(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2004-01-20T09:30")
    assert clock.now() == dt.datetime(2004, 1, 20, 9, 30)
    monkeypatch.setenv(clock.ENV, "next tuesday")
    with pytest.raises(ValueError, match="SCORECARD_NOW"):
        clock.now()


def test_a_command_runs_on_the_time_it_is_given(tmp_path, shipped_config_dir, demo_db):
    """A warning report filed 'in the future' of a clock set to 2003-11-01 is refused; with the real clock it is not."""
    from conftest import writable_copy

    db = writable_copy(demo_db, tmp_path)
    command = [sys.executable, "-m", "scorecard", "--config", str(shipped_config_dir), "--db", str(db), "warn-report",
               "add", "--city", "辽源市", "--year", "2003", "--month", "10", "--reported-local", "2003-11-06"]
    before = subprocess.run(command, capture_output=True, text=True, cwd=ROOT,
                            env=dict(os.environ, **{clock.ENV: "2003-11-01"}))
    assert before.returncode == 1 and "晚于今天" in before.stderr, before.stderr
    after = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert after.returncode == 0, after.stderr
