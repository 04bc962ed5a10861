"""A full disk — where the database is, or the temporary folder — is said in Chinese (磁盘空间不足, and which folder),
leaves nothing behind and the database as it was; the staging folder of an import killed midway is removed by the
next import, never one whose import is still running."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from conftest import reported
from cli_support import SCORECARD, audit_lines, command, on_small_disks, scorecard
from intake_support import snapshot


@pytest.fixture
def history(tmp_path, config):
    """A report of twelve years of every city (by name) and measure: 22,032 values, 1.2 MB of CSV."""
    keys = [(y, m, c.name, measure) for y in range(1990, 2002) for m in range(1, 13) for c in config.cities
            for measure in reported(config)]
    path = tmp_path / "历年数据.csv"
    path.write_text("year,month,city,measure,value\n" + "".join(
        f"{y},{m},{c},{measure},{k * 7919 % 100_003}.37\n" for k, (y, m, c, measure) in enumerate(keys)),
        encoding="utf-8")
    return path


def full_import(tmp_path, seed_db, config_dir, report, small: str, size: str):
    """`scorecard import` with site/scorecard.duckdb a copy of `seed_db`, the folder `small` (below tmp_path) a
    disk of `size`; returns (exit code, stderr, out) where out/site and out/<small> are those folders after."""
    site, out = tmp_path / "site", tmp_path / "out"
    out.mkdir()
    run = command("--config", config_dir, "--db", site / "scorecard.duckdb", "import", report)
    script = (f"mkdir -p {site} && cp {seed_db} {site}/scorecard.duckdb\n"
              f"{run} > {out}/stdout 2> {out}/stderr; echo $? > {out}/rc\n"
              f"for f in site {small}; do mkdir -p {out}/$f && cp -a {tmp_path}/$f/. {out}/$f/; done")
    env = {"SCORECARD_RECORDS_URL": f"sqlite:///{tmp_path / 'records.sqlite'}", "TMPDIR": str(tmp_path / "temp")}
    (tmp_path / "temp").mkdir(exist_ok=True)
    done = on_small_disks({tmp_path / small: size}, script, env)
    assert done.returncode == 0, done.stderr
    return int((out / "rc").read_text()), (out / "stderr").read_text(), out


def said_disk_full(code: int, err: str, folder) -> None:
    assert code == 1, err
    assert "磁盘空间不足" in err and str(folder) in err and "整个文件未导入" in err, err
    assert "Traceback" not in err and "内部错误" not in err and "Error" not in err, err


def test_the_disk_of_the_database_full(tmp_path, demo_db, unchecked_config_dir, history):
    room = (demo_db.stat().st_size // 4096 + 64) * 4  # the database's copy and 256 KiB: not the report's copy
    code, err, out = full_import(tmp_path, demo_db, unchecked_config_dir, history, "site", f"{room}k")
    said_disk_full(code, err, tmp_path / "site")
    assert snapshot(out / "site" / "scorecard.duckdb") == snapshot(demo_db)
    left = sorted(str(p.relative_to(out / "site")) for p in (out / "site").rglob("*"))
    assert left in (["scorecard.duckdb"], ["scorecard.duckdb", "scorecard.originals"]), left
    assert [line for line in audit_lines(tmp_path / "records.sqlite") if line[2] == "导入"] == []


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])  # read as it is by DuckDB, or transcoded first
def test_the_temporary_folder_full(tmp_path, demo_db, unchecked_config_dir, history, encoding):
    history.write_bytes(history.read_text(encoding="utf-8").encode(encoding))
    code, err, out = full_import(tmp_path, demo_db, unchecked_config_dir, history, "temp", "256k")
    said_disk_full(code, err, tmp_path / "temp")
    assert "TMPDIR" in err  # where to point it instead
    assert snapshot(out / "site" / "scorecard.duckdb") == snapshot(demo_db)
    assert list((out / "temp").iterdir()) == []
    assert sorted(p.name for p in (out / "site").iterdir()) == ["scorecard.duckdb"]


def staging_of(importer: subprocess.Popen, temp, others=()):
    """Wait until the import has its staging folder (and is checking the file in it), besides `others`."""
    deadline = time.monotonic() + 120
    while True:
        found = [p.parent for p in temp.glob("scorecard-import-*/staging.duckdb") if p.parent not in others]
        if found:
            return found[0]
        assert importer.poll() is None and time.monotonic() < deadline, "the import ended before it staged"
        time.sleep(0.01)


def test_the_staging_folder_of_a_killed_import_is_removed_by_the_next(tmp_path, demo_db, unchecked_config_dir,
                                                                     config, history):
    temp = tmp_path / "temp"
    temp.mkdir()
    db = tmp_path / "scorecard.duckdb"
    db.write_bytes(demo_db.read_bytes())
    big = tmp_path / "十倍.csv"  # long enough to be caught while it checks
    lines = history.read_text(encoding="utf-8").splitlines(keepends=True)
    big.write_text(lines[0] + "".join(lines[1:]) * 10, encoding="utf-8")
    env = dict(os.environ, TMPDIR=str(temp))
    start = [str(SCORECARD), "--config", str(unchecked_config_dir), "--db", str(db), "import", str(big)]
    killed = subprocess.Popen(start, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dead = staging_of(killed, temp)
    killed.kill()
    killed.wait()
    held = subprocess.Popen(start, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        alive = staging_of(held, temp, others=[dead])
        held.send_signal(signal.SIGSTOP)  # still running, only paused
        small = tmp_path / "一月.csv"
        small.write_text("year,month,city,measure,value\n2003,1,220100,fund_income,1234.5\n", encoding="utf-8")
        done = scorecard("--config", unchecked_config_dir, "--db", db, "import", small, env={"TMPDIR": str(temp)})
        assert done.returncode == 0, done.stderr
        assert not dead.exists() and alive.exists()
    finally:
        held.kill()
        held.wait()
    done = scorecard("--config", unchecked_config_dir, "--db", db, "import", small, env={"TMPDIR": str(temp)})
    assert done.returncode == 0 and list(temp.iterdir()) == []
