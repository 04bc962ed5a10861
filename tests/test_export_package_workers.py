"""The meeting package built in worker processes (scorecard/exports/workers.py): the same members as built here,
in other processes; a small package built here; an error of a worker's job raised here as it is here; a worker
that dies or sticks gives a Chinese error and the next build works; no worker is left behind."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from export_support import ROOT, need_fonts

from scorecard import clock
from scorecard.exports import BuildError, FontError, fonts, package, workers

MOMENT = dt.datetime(2004, 1, 20, 9, 30)
_UNDATED = re.compile(rb"/CreationDate \(D:[^)]*\)|/ID \[<[0-9A-F]*> ?<[0-9A-F]*>\]")


@pytest.fixture(scope="module", autouse=True)
def stopped_at_the_end():
    yield
    running = workers.workers()
    workers.shutdown()
    assert workers.workers() == [] and not [pid for pid in running if _alive(pid)]


@pytest.fixture(scope="module")
def arguments(demo):
    return demo.result(), demo.config, demo.store


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie waiting for its parent to read its end does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def _comparable(name: str, data: bytes) -> dict[str, bytes]:
    """A member as compared: the xlsx and docx by their parts less docProps/core.xml (the time they were made),
    the PDF less /CreationDate and /ID, a chart as it is."""
    if name.endswith((".xlsx", ".docx")):
        parts = zipfile.ZipFile(io.BytesIO(data))
        return {n: parts.read(n) for n in parts.namelist() if n != "docProps/core.xml"}
    if name.endswith(".pdf"):
        return {"": _UNDATED.sub(b"", data)}
    return {"": data}


def _members(built: list[workers.Built]) -> dict[str, dict[str, bytes]]:
    return {name: _comparable(name, data) for b in built for name, data in b.members.items()}


def test_the_members_built_in_workers_are_the_members_built_here(arguments):
    need_fonts()
    with clock.fixed(MOMENT):
        here = workers.here(package.part, package.PARTS, arguments)
        there = workers.run(package.part, package.PARTS, arguments)
    assert [b.kind for b in there] == list(package.PARTS)
    assert {b.pid for b in here} == {os.getpid()}
    assert os.getpid() not in {b.pid for b in there} and {b.pid for b in there} <= set(workers.workers())
    assert len(workers.workers()) <= (os.cpu_count() or 1)
    ours, theirs = _members(here), _members(there)
    assert list(ours) == list(theirs) and len(ours) == 3 + 5
    for name in ours:
        assert ours[name] == theirs[name], name
    assert all(b.cpu > 0 for b in there)


def test_the_package_is_built_in_workers_from_its_threshold_and_here_below_it(arguments, monkeypatch):
    need_fonts()
    result = arguments[0]
    monkeypatch.setattr(package, "PARALLEL_FROM", len(result.cities) + 1)
    assert {b.pid for b in package.parts(*arguments)} == {os.getpid()}
    with clock.fixed(MOMENT):
        small = package.meeting_package(*arguments)
        monkeypatch.setattr(package, "PARALLEL_FROM", len(result.cities))
        assert os.getpid() not in {b.pid for b in package.parts(*arguments)}
        large = package.meeting_package(*arguments)
    small_zip, large_zip = zipfile.ZipFile(io.BytesIO(small)), zipfile.ZipFile(io.BytesIO(large))
    assert small_zip.namelist() == large_zip.namelist()
    for name in small_zip.namelist():
        assert _comparable(name, small_zip.read(name)) == _comparable(name, large_zip.read(name)), name


def test_a_font_error_in_a_worker_is_the_chinese_error_raised_here(arguments, monkeypatch, tmp_path):
    need_fonts()
    workers.run(package.part, ["docx"], arguments)   # workers started with a font, then the setting changes
    monkeypatch.setenv(fonts.FONT_ENV, str(tmp_path / "没有这个字体.ttc"))
    with pytest.raises(FontError) as here:
        workers.here(package.part, ["pdf"], arguments)
    with pytest.raises(FontError) as there:
        workers.run(package.part, ["pdf"], arguments)
    assert type(there.value) is FontError and str(there.value) == str(here.value)
    assert "没有这个字体.ttc" in str(there.value) and "Traceback" not in str(there.value)
    monkeypatch.delenv(fonts.FONT_ENV)
    assert workers.run(package.part, ["pdf"], arguments)[0].members   # the same workers, with the font again


def test_sessions_at_once_share_the_same_workers(arguments):
    need_fonts()
    from concurrent.futures import ThreadPoolExecutor

    with clock.fixed(MOMENT), ThreadPoolExecutor(3) as sessions:
        built = list(sessions.map(lambda kinds: workers.run(package.part, kinds, arguments),
                                  [["docx", "图1"], ["docx"], ["图1", "xlsx"]]))
    pids = {b.pid for each in built for b in each}
    assert pids <= set(workers.workers()) and len(workers.workers()) <= (os.cpu_count() or 1)
    assert _members(built[0][:1]) == _members(built[1]) and _members(built[0][1:]) == _members(built[2][:1])


def _die(kind: str) -> dict[str, bytes]:
    os._exit(3)


def _stick(kind: str) -> dict[str, bytes]:
    time.sleep(120)
    return {}


def test_a_worker_that_dies_gives_a_chinese_error_and_the_next_build_works(arguments):
    need_fonts()
    before = workers.run(package.part, ["docx"], arguments)[0].pid
    with pytest.raises(BuildError, match="后台进程意外退出"):
        workers.run(_die, ["死"], ())
    deadline = time.monotonic() + 10
    while _alive(before) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(before)   # the pool that broke is gone, its other worker with it
    after = workers.run(package.part, ["docx"], arguments)[0]
    assert after.members and after.pid != before


def test_a_worker_that_sticks_is_stopped_at_the_timeout_and_the_next_build_works(arguments):
    need_fonts()
    start = time.monotonic()
    with pytest.raises(BuildError, match="生成文件超时") as stuck:
        workers.run(_stick, ["卡住"], (), timeout=2)
    assert time.monotonic() - start < 30 and "Traceback" not in str(stuck.value)
    stopped = workers.workers()
    assert stopped == []
    assert workers.run(package.part, ["docx"], arguments)[0].members


_BUILD_AND_EXIT = """
import sys
from scorecard.assessment.scoring import score_year
from scorecard.config import load_config
from scorecard.data.store import Store
from scorecard.exports import package, workers

if __name__ == "__main__":
    config, _ = load_config(sys.argv[1])
    store = Store(sys.argv[2])
    built = workers.run(package.part, ["docx"], (score_year(config, store, 2003), config, store))
    pids = workers.workers()
    servers = {int(open(f"/proc/{pid}/stat").read().split(") ")[1].split()[1]) for pid in pids}
    print(" ".join(map(str, pids + sorted(servers))), built[0].pid in pids)
"""


def test_no_worker_or_fork_server_is_left_when_the_interpreter_exits(demo, tmp_path):
    need_fonts()
    script = tmp_path / "build_and_exit.py"
    script.write_text(textwrap.dedent(_BUILD_AND_EXIT), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(demo.config_dir), str(demo.db)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    *pids, in_a_worker = done.stdout.split()
    assert in_a_worker == "True" and len(pids) >= 2   # a worker or more, and the fork server they came from
    deadline = time.monotonic() + 10
    while any(_alive(int(pid)) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in pids if _alive(int(pid))]


def test_a_worker_that_died_is_said_in_chinese_on_the_download_page(monkeypatch, config_dir, demo_db, tmp_path):
    from conftest import writable_copy
    from starlette.applications import Starlette
    from test_gateway import call

    from dashboard import downloads, gateway, server
    from scorecard import roles as access

    monkeypatch.setenv("SCORECARD_CONFIG", str(config_dir))
    monkeypatch.setenv("SCORECARD_DB", str(writable_copy(demo_db, tmp_path)))
    (config_dir / "access.yaml").write_text("mode: header\nheader:\n  name: X-Remote-User\n  trusted_proxies: "
                                            "[127.0.0.1]\n  users:\n    zhangsan: {role: 省级}\n", encoding="utf-8")
    document = downloads.Document("会议材料包.zip", "application/zip", lambda: package.zipped(workers.run(_die, ["死"], ())),
                                  lambda who: access.require(who, access.EXPORT), "会议材料包")
    link = downloads.offer(downloads.user_holder("zhangsan"), ("a test",), document)
    answer = call(gateway.Gate(Starlette(routes=gateway.routes())), server.download_path(link),
                  extra={"x-remote-user": "zhangsan"})
    assert answer["status"] == 503
    assert "无法生成会议材料包.zip：生成文件的后台进程意外退出" in answer["body"] and "Traceback" not in answer["body"]
