"""The installed `scorecard` command in a subprocess, as a user runs it, and small disks of its own for it:
tmpfs mounts in a private mount namespace (`unshare`), gone when the command ends."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

SCORECARD = Path(sys.executable).with_name("scorecard")


def scorecard(*args, env: dict | None = None, umask: int = -1, stdin: str | None = None,
              timeout: float = 300) -> subprocess.CompletedProcess:
    """`scorecard ARGS…` (the console script pip installed), with extra environment variables."""
    return subprocess.run([str(SCORECARD), *map(str, args)], env=dict(os.environ, **(env or {})), umask=umask,
                          input=stdin, capture_output=True, text=True, timeout=timeout, check=False)


def command(*args) -> str:
    """The installed command as one line of shell."""
    return shlex.join([str(SCORECARD), *map(str, args)])


def on_small_disks(mounts: dict[Path, str], script: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a shell script with each folder of `mounts` an empty tmpfs of its own ("256k"; "ro" for a read-only
    one), made in order. The mounts vanish when the script ends: it copies out whatever is to be looked at."""
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True,
                           check=False)
    if probe.returncode != 0:
        pytest.skip(f"no mount namespace here: {probe.stderr.decode(errors='replace')}")
    setup = []
    for folder, size in mounts.items():  # in order: a folder may be inside one mounted before it
        options = "ro" if size == "ro" else f"size={size}"
        where = shlex.quote(str(folder))
        setup.append(f"mkdir -p {where} && mount -t tmpfs -o {options} none {where}")
    return subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                           " && ".join(setup + ["{ " + script + "\n}"])],
                          env=dict(os.environ, **(env or {})), capture_output=True, text=True, timeout=600,
                          check=False)


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def audit_lines(records_file: Path) -> list[tuple]:
    """Every line of the audit log in a SQLite records file, oldest first (none when there is no such file)."""
    import sqlite3

    if not records_file.exists():
        return []
    con = sqlite3.connect(f"file:{records_file}?mode=ro", uri=True)
    try:
        return con.execute("SELECT id, who, action, target, detail, outcome FROM audit ORDER BY id").fetchall()
    finally:
        con.close()
