"""Worker processes that build documents side by side (the meeting package's PDF, workbook, Word and charts).

Building a document is pure Python and holds the interpreter's lock, so threads cannot share it out; processes
can. The workers are started once, from a fork server (never a fork of the web server, whose threads a fork
would copy in whatever state they were), with the document libraries imported there once, and kept: at most
one per core, shared by every session of the process, shut down when the interpreter exits (concurrent.futures
joins its workers then; the fork server leaves when this process does). As with any start but a fork, each
worker runs the main script again (multiprocessing's rule: its work under `if __name__ == "__main__":`) — under
`streamlit run`, Streamlit's launcher, which imports Streamlit (1 s, 64 MB once per worker).

A job's arguments are pickled once (the year's result and config of 2,800 units: some 10 MB, 0.3 s of CPU)
and unpickled once per worker and set of arguments (0.3 s with the collector paused, 1 s without). A job runs
with this process's clock and font setting (the time `clock` gives and SCORECARD_FONT, as they are when it is
sent), so a document made in a worker is the document made here. An error of the job (FontError, InputError, … in Chinese)
is raised here as it was there; a worker that dies or takes longer than `TIMEOUT` gives BuildError (in Chinese),
and the next build starts new workers.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import threading
import time
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Callable, NamedTuple

from .. import clock
from ..frozen import collector_paused
from .fonts import FONT_ENV

TIMEOUT = 600.0     # seconds for all the jobs of one build: 2,800 units take some 30 s of CPU one after the other
PRELOAD = ["scorecard.exports.package", "scorecard.exports.excel", "scorecard.exports.word",
           "scorecard.exports.pdf", "scorecard.exports.figures"]


class BuildError(Exception):
    """A worker process died or took too long; the message says so in Chinese."""


class Built(NamedTuple):
    kind: str
    members: dict[str, bytes]   # file name → bytes
    pid: int                    # the process that built it
    cpu: float                  # its CPU seconds (user + system), unpickling the arguments included


_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_arguments: tuple[str, tuple] | None = None   # in a worker: the last arguments unpickled, by their digest


def here(function: Callable[..., dict[str, bytes]], kinds, arguments: tuple) -> list[Built]:
    """Each kind's `function(kind, *arguments)`, one after the other in this process."""
    built = []
    for kind in kinds:
        cpu = time.process_time()
        members = function(kind, *arguments)
        built.append(Built(kind, members, os.getpid(), time.process_time() - cpu))
    return built


def run(function: Callable[..., dict[str, bytes]], kinds, arguments: tuple, timeout: float | None = None) -> list[Built]:
    """Each kind's `function(kind, *arguments)` in the workers, side by side (`kinds` longest first: the next
    free worker takes the next kind), in the order of `kinds`. `function` must be importable by its module and
    name (a module's function, not a lambda)."""
    payload = pickle.dumps(arguments, protocol=pickle.HIGHEST_PROTOCOL)
    digest = hashlib.sha256(payload).hexdigest()
    setting = (clock.now(), os.environ.get(FONT_ENV))
    deadline = time.monotonic() + (TIMEOUT if timeout is None else timeout)
    pool = _executor()
    try:
        try:
            futures = [pool.submit(_job, function, kind, digest, payload, setting) for kind in kinds]
        except RuntimeError as exc:   # BrokenProcessPool, or a pool that another build's timeout has shut down
            raise BrokenProcessPool(str(exc)) from None
        return [future.result(timeout=max(0.0, deadline - time.monotonic())) for future in futures]
    except TimeoutError:
        _discard(pool, kill=True)
        raise BuildError(f"生成文件超时（超过{TIMEOUT if timeout is None else timeout:.0f}秒），已停止本次生成，"
                         "请稍后重试") from None
    except (BrokenProcessPool, CancelledError):   # cancelled: by another build's timeout
        _discard(pool, kill=False)
        raise BuildError("生成文件的后台进程意外退出，本次未能生成，请重试") from None


def workers() -> list[int]:
    """The process ids of the workers running now (none before the first build or after `shutdown`)."""
    with _lock:
        return [] if _pool is None else sorted(_pool._processes)


def shutdown() -> None:
    """Stop the workers (and wait for them); the next build starts new ones."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)   # imported once in the fork server, before any worker
            _pool = ProcessPoolExecutor(max_workers=os.cpu_count() or 1, mp_context=context)
        return _pool


def _discard(pool: ProcessPoolExecutor, kill: bool) -> None:
    """Drop a pool that failed, so that the next build starts anew; `kill`: stop its workers, which may be stuck."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    if kill:
        for process in list((pool._processes or {}).values()):   # 3.14's pool.kill_workers(); 3.11 has only this
            process.kill()
    pool.shutdown(wait=kill, cancel_futures=True)


def _job(function, kind: str, digest: str, payload: bytes, setting) -> Built:
    global _arguments
    cpu = time.process_time()
    if _arguments is None or _arguments[0] != digest:
        _arguments = None   # the previous arguments freed before the next are built
        with collector_paused():
            _arguments = (digest, pickle.loads(payload))
    moment, font = setting
    with clock.fixed(moment), _font(font):
        members = function(kind, *_arguments[1])
    return Built(kind, members, os.getpid(), time.process_time() - cpu)


@contextmanager
def _font(font: str | None):
    """SCORECARD_FONT as the process that sent the job had it."""
    before = os.environ.get(FONT_ENV)
    _set(font)
    try:
        yield
    finally:
        _set(before)


def _set(font: str | None) -> None:
    if font is None:
        os.environ.pop(FONT_ENV, None)
    else:
        os.environ[FONT_ENV] = font
