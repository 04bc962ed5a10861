"""The file's scan (checksum, encoding, quotes, blank lines) in a thread beside DuckDB's check of a file whose first
bytes look plain: the same problems, values, messages and kept original as when the scan comes first — also when
the scan finds the rest of the file otherwise (the file is checked again), or fails, or the check fails. The one
difference: a file refused only for what the scan finds beyond its first bytes (an encoding neither UTF-8 nor
GB18030, a read error) has been said to be checked (“正在逐行检查……”) before it is refused."""

from __future__ import annotations

import errno
import hashlib
import os
import threading

import duckdb
import pytest
from intake_support import HEADER, table

from scorecard.actions.imports import import_file
from scorecard.data import intake, sheets
from scorecard.data.intake import prepare
from scorecard.data.store import Store
from scorecard.records import audit
from scorecard.records.store import Records

# well beyond the head plain_head reads, so that what follows is seen only by the scan; a key's repeats agree
PLAIN_ROWS = "".join(f"{2002 + n % 2},{n % 12 + 1},220{n % 8 + 1}00,fund_income,{n % 24}.5\n"
                     for n in range(4 * sheets.HEAD_BYTES // 30))
LATER = {
    "plain": b"2003,1,220100,fund_balance,7\n",
    "a bad row": b"2003,13,220100,fund_balance,7\n2003,1,220100,fund_balance,x\n",
    "quotes": b'2003,1,220100,fund_balance,"1,234.5"\n',
    "a blank line": b"\n2003,1,220100,fund_balance,7\n\n2003,2,220100,fund_balance,x\n",
    "GB18030": "2003,1,延边州,fund_balance,7\n2003,1,长沙市,fund_balance,7\n".encode("gb18030"),
    "GB18030 read": "2003,1,延边州,fund_balance,7\n".encode("gb18030"),
    "neither UTF-8 nor GB18030": b"2003,1,\xff\xff,fund_balance,7\n",  # refused: said to be checked first
    "UTF-8 cut short": b"2003,1,220100,fund_balance,7\n2003,1,\xe5\xbb",
}


def write(tmp_path, later: bytes):
    path = tmp_path / "actuals.csv"
    path.write_bytes((HEADER + PLAIN_ROWS).encode() + later)
    return path


def checked(config, store, path, serial: bool, monkeypatch):
    """What prepare says of a file, and the readings it checked the file with (serial: the scan first, as before)."""
    readings, said = [], []
    stage = intake._stage
    with monkeypatch.context() as patch:
        patch.setattr(intake, "_stage", lambda prepared, info, *rest: readings.append(info) or stage(prepared, info,
                                                                                                  *rest))
        if serial:
            patch.setattr(intake, "_looks_plain", lambda path: False)
        with prepare(config, store, path, on_progress=said.append) as prepared:
            found = {"problems": [str(p) for p in prepared.problems], "count": prepared.problem_count,
                     "summary": prepared.summary(), "rows": prepared.rows, "format": prepared.format,
                     "sha256": prepared.sha256, "counts": (prepared.new, prepared.replaced, prepared.unchanged),
                     "warnings": [str(p) for p in prepared.warnings], "progress": said,
                     "preview": prepared.preview(None).to_dict("split")}
    return found, readings


def no_scan_left():
    return not [t for t in threading.enumerate() if t.name == "scorecard-read-aside"]


@pytest.mark.parametrize("later", list(LATER))
def test_a_file_checked_beside_its_scan_is_said_and_staged_as_when_scanned_first(config, tmp_path, monkeypatch, later):
    path = write(tmp_path, LATER[later])
    store = Store(tmp_path / "x.duckdb")
    beside, readings = checked(config, store, path, False, monkeypatch)
    first, serial_readings = checked(config, store, path, True, monkeypatch)
    if later == "neither UTF-8 nor GB18030":
        assert beside.pop("progress") == first.pop("progress") + ["正在逐行检查……"]
        assert beside["problems"] == [f"{path}: 无法识别文件编码（既不是UTF-8也不是GB18030），请在Excel中另存为“CSV UTF-8”"]
    assert beside == first
    assert beside["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert readings[0] is sheets.PLAIN  # checked while scanned, and again only when the scan found otherwise
    assert readings[1:] == ([] if later in ("plain", "a bad row") else serial_readings)
    assert serial_readings == [sheets.scan(path)]
    assert no_scan_left()


def test_an_import_checked_beside_its_scan_stores_keeps_and_audits_what_one_scanned_first_does(config, tmp_path,
                                                                                                 monkeypatch):
    for later in ("plain", "quotes", "GB18030 read"):
        (tmp_path / later).mkdir()
        path = write(tmp_path / later, LATER[later])
        stored = []
        for serial in (False, True):
            db = tmp_path / later / str(serial) / "x.duckdb"
            with monkeypatch.context() as patch:
                if serial:
                    patch.setattr(intake, "_looks_plain", lambda path: False)
                result = import_file(Store(db), config, path)
            assert result.ok and result.original.read_bytes() == path.read_bytes()
            assert result.original.name == hashlib.sha256(path.read_bytes()).hexdigest()
            logged = table(db, "SELECT * EXCLUDE (imported_at) FROM imports")
            audited = [(e.who, e.action, e.target, e.detail, e.outcome)
                       for e in audit.entries(Records.beside(db), limit=100)]
            stored.append((table(db), logged, audited, result.sha256, result.rows, result.new, result.format))
        assert stored[0] == stored[1], later


def test_a_scan_failing_after_the_check_began_is_said_as_before_and_leaves_no_staged_copy(config, tmp_path,
                                                                                          monkeypatch):
    path = write(tmp_path, LATER["plain"])

    def failing(path):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(intake, "scan", failing)
    store = Store(tmp_path / "x.duckdb")
    beside, readings = checked(config, store, path, False, monkeypatch)
    first, _ = checked(config, store, path, True, monkeypatch)
    assert readings == [sheets.PLAIN]
    assert beside.pop("progress") == [f"正在读取 {path}……", "正在逐行检查……"] and first.pop("progress") == []
    assert beside == first and beside["problems"] == [f"{path}: 无法读取文件：Input/output error"]
    assert no_scan_left()


def test_a_missing_file_is_said_as_before(config, tmp_path, monkeypatch):
    store = Store(tmp_path / "x.duckdb")
    beside, readings = checked(config, store, tmp_path / "missing.csv", False, monkeypatch)
    assert readings == [] and beside["problems"] == [f"{tmp_path / 'missing.csv'}: 无法读取文件：No such file or directory"]
    assert no_scan_left()


def open_files() -> set[str]:
    return {os.path.realpath(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
            if os.path.exists(f"/proc/self/fd/{fd}")}


@pytest.mark.parametrize("error", [duckdb.IOException("IO Error: the disk went away"), KeyboardInterrupt("stop")])
def test_a_check_failing_while_the_file_is_scanned_waits_for_the_scan_and_leaves_no_thread_nor_open_file(
        config, tmp_path, monkeypatch, error):
    path = write(tmp_path, LATER["plain"])
    failed, scanned = threading.Event(), []
    scan = sheets.scan

    def slow_scan(path):
        failed.wait()  # still scanning when the check fails
        scanned.append(scan(path))
        return scanned[-1]

    def failing_stage(con, config, names, src, params, reading):
        reading()
        failed.set()
        raise error

    monkeypatch.setattr(intake, "scan", slow_scan)
    monkeypatch.setattr(intake.checking, "stage", failing_stage)
    with pytest.raises(type(error)) as raised:
        prepare(config, Store(tmp_path / "x.duckdb"), path)
    assert raised.value is error
    assert scanned and no_scan_left()
    assert str(path) not in open_files()


def test_the_check_is_not_tried_beside_the_scan_when_the_first_bytes_are_not_plain(config, tmp_path, monkeypatch):
    for name, raw in {"quoted.csv": f'{HEADER}2003,1,220100,fund_income,"1,234"\n'.encode(),
                      "blank.csv": f"\n{HEADER}2003,1,220100,fund_income,1\n".encode(),
                      "gb.csv": (HEADER + "2003,1,长春市,fund_income,1\n").encode("gb18030"),
                      "utf16.csv": (HEADER + "2003,1,220100,fund_income,1\n").encode("utf-16")}.items():
        (tmp_path / name).write_bytes(raw)
        assert not sheets.plain_head(tmp_path / name), name
        beside, readings = checked(config, Store(tmp_path / "x.duckdb"), tmp_path / name, False, monkeypatch)
        assert readings == [sheets.scan(tmp_path / name)]
    assert sheets.plain_head(write(tmp_path, LATER["quotes"]))
