"""Every data file the system makes is its owner's alone — 0600 files in 0700 folders — whatever the umask of
the person or service running it: the database and its .wal, the kept originals, the access database and its
folder, the config cache and the staging files of an import."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
from pathlib import Path

from cli_support import SCORECARD, scorecard
from conftest import copy_config

PASSWORD = "Plum-Blossom-Road-88"


def modes(root: Path) -> dict[str, str]:
    """The permission bits of everything under `root` (a folder the test made), by path relative to it."""
    found = {}
    for folder, folders, files in os.walk(root):
        for path in [Path(folder) / name for name in folders + files]:
            found[str(path.relative_to(root))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def public(found: dict[str, str], root: Path) -> dict[str, str]:
    """What is not owner-only: a folder not 0700, a file not 0600."""
    return {path: mode for path, mode in found.items() if mode != ("0o700" if (root / path).is_dir() else "0o600")}


def report_rows(count: int) -> str:
    rows = [f"{1990 + k // 10000},{k // 1000 % 12 + 1},220100,new_insured_persons,{k}" for k in range(count)]
    return "year,month,city,measure,value\n" + "\n".join(rows) + "\n"


def test_the_files_of_every_command_are_private_under_umask_000(tmp_path):
    site = tmp_path / "site"   # everything below it is made by scorecard
    site.mkdir()
    config = copy_config(tmp_path / "config")
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {"SCORECARD_CONFIG": str(config), "SCORECARD_DB": str(site / "data" / "scorecard.duckdb"),
           "SCORECARD_CACHE": str(site / "cache"), "TMPDIR": str(temp)}
    report = tmp_path / "长春市12月.csv"
    report.write_text("year,month,city,measure,value\n2003,12,220100,fund_income,2500\n", encoding="utf-8")
    steps = [("demo",), ("import", report), ("warn-report", "add", "--city", "220400", "--year", "2003",
                                              "--month", "11"),
             ("user", "add", "li.si", "--role", "省级"), ("history", "--imports")]
    for step in steps:
        done = scorecard(*step, env=env, umask=0o000, stdin=PASSWORD + "\n")
        assert done.returncode == 0, (step, done.stderr)
    found = modes(site)
    assert {"data/scorecard.duckdb", "data/scorecard-records.sqlite", "data/scorecard.originals"} <= set(found)
    assert len([path for path in found if path.startswith("data/scorecard.originals/")]) == 1, found
    assert public(found, site) == {}
    assert list(temp.iterdir()) == []


def test_the_staging_files_of_an_import_are_private_under_umask_000(tmp_path, shipped_config_dir):
    temp = tmp_path / "temp"
    temp.mkdir()
    big = tmp_path / "历年.csv"
    big.write_text(report_rows(400_000), encoding="utf-8")
    importer = subprocess.Popen([SCORECARD, "--config", shipped_config_dir, "--db", tmp_path / "x.duckdb", "import",
                                 big], env=dict(os.environ, TMPDIR=str(temp)), umask=0o000)
    try:
        deadline = time.monotonic() + 120
        while not list(temp.glob("scorecard-import-*/staging.duckdb")):
            assert importer.poll() is None and time.monotonic() < deadline, "the import ended before it staged"
            time.sleep(0.01)
        importer.send_signal(signal.SIGSTOP)  # held mid-import: its staging folder as it is
        found = modes(temp)
        assert any(path.endswith("/staging.duckdb") for path in found)
        assert public(found, temp) == {}
    finally:
        importer.kill()
        importer.wait()
