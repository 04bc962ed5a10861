"""What every benchmark measures with: time inside DuckDB, peak memory, and the machine it ran on.

DuckDB share: cProfile and pyinstrument cannot see into duckdb's native methods, so every call on a
DuckDB connection, cursor or result is timed by a thin proxy installed over `duckdb.connect`
(`duckdb_timer()`); "Python" is the rest of the wall time.

Peak memory: the maximum resident set size of a process (getrusage, which includes DuckDB's native
memory), of this process (`peak_mb()`), of one child (`run_child`, by os.wait4) or of a running server
(`server_peak_mb`, /proc/<pid>/status VmHWM).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("duckdb", "streamlit", "pandas", "plotly", "pyyaml", "xlsxwriter", "python-docx", "fpdf2", "matplotlib",
            "playwright")


class _Timed:
    """A DuckDB connection (or cursor) whose every call adds its duration to `spent[0]`."""

    def __init__(self, target, spent: list[float]):
        self._target, self._spent = target, spent

    def __getattr__(self, name):
        attr = getattr(self._target, name)
        if not callable(attr):
            return attr

        def call(*args, **kwargs):
            start = time.perf_counter()
            try:
                out = attr(*args, **kwargs)
            finally:
                self._spent[0] += time.perf_counter() - start
            # a cursor, or the connection itself (execute returns it): time its calls too
            return _Timed(out, self._spent) if type(out).__name__ == "DuckDBPyConnection" else out

        return call

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@contextmanager
def duckdb_timer():
    """Seconds spent inside DuckDB while the block runs: `with duckdb_timer() as spent: …; spent[0]`. DuckDB's
    `connect` is timed in its engine module `_duckdb` (what the store imports, data/store.py) and in the `duckdb`
    package, which re-exports it when it is imported — now or within the block."""
    import _duckdb

    spent = [0.0]
    connect = _duckdb.connect

    def timed_connect(*args, **kwargs):
        start = time.perf_counter()
        try:
            return _Timed(connect(*args, **kwargs), spent)
        finally:
            spent[0] += time.perf_counter() - start

    _duckdb.connect = timed_connect
    if "duckdb" in sys.modules:
        sys.modules["duckdb"].connect = timed_connect
    # the store's readers are cursors of one in-memory database a process opens once (data/store.py _READERS):
    # opened before the block, it is timed by standing in for it while the block runs
    store = sys.modules.get("scorecard.data.store")
    readers = store and store._READERS._database
    if readers is not None:
        store._READERS._database = _Timed(readers, spent)
    try:
        yield spent
    finally:
        for module in (_duckdb, sys.modules.get("duckdb")):
            if getattr(module, "connect", None) is timed_connect:
                module.connect = connect
        if readers is not None:
            store._READERS._database = readers


def peak_mb() -> float:
    """This process's peak resident memory so far (Linux: ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """This process's peak resident memory counted again from its present size (Linux: clear_refs 5 resets
    VmHWM, which ru_maxrss reads), so that peak_mb() after a step is that step's."""
    Path("/proc/self/clear_refs").write_text("5")


def run_child(command: list[str], *, env: dict | None = None, cwd=ROOT) -> dict:
    """Run a command to its end: wall seconds, peak resident MB of that one process (os.wait4), exit code and
    output (through files, not pipes: the child must not block on a full pipe while it is waited for)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {"wall": wall, "peak_mb": usage.ru_maxrss / 1024, "code": process.returncode,
                "out": out.read().decode(errors="replace"), "err": err.read().decode(errors="replace")}


def last_json(text: str):
    """The figures a child printed as its last line of JSON."""
    return json.loads(text.strip().splitlines()[-1])


def server_peak_mb(pid: int) -> float | None:
    """A running process's peak resident memory (VmHWM), e.g. the Streamlit server before it is stopped."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds a running process has used (0 when it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """Every living process started, directly or not, by `pid` (e.g. the browser's, under Playwright's driver)."""
    children: dict[int, list[int]] = {}
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat_file.parent.name))
    found, pending = [], [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def load() -> float:
    return os.getloadavg()[0]


def machine() -> dict:
    """Where the figures came from: CPU model, cores, memory, Python and package versions, load."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    memory = next((int(line.split()[1]) / 2**20 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:")), 0.0)
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "—"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory, 1),
            "python": platform.python_version(), "system": f"{platform.system()} {platform.release()}",
            "packages": versions, "load": os.getloadavg()}
