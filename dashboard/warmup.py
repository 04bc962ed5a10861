"""What the server does while the first browser loads Streamlit's scripts (a second or more): it imports the
script's modules and makes what the first page reads (reads.warm: the config checked into the cache, what the
database holds, the result of the year and month a page opens on), so that the first session's first run finds
them made. dashboard/gateway.py starts it after the start-up checks.

A session asking for one of them while it is still being made waits for it (Streamlit makes a cached value
once). A failure here is left for the page, which meets it again and says what is wrong.
"""

from __future__ import annotations

import logging
import threading

_NAME = "warm-up"


def prepare() -> None:
    from dashboard import drawn, drill, frame, maps, published, reads, router  # noqa: F401 — the first page's modules

    reads.warm(reads.current_source())


def _prepare_quietly() -> None:
    try:
        prepare()
    except Exception:  # noqa: BLE001 — only a head start: the first page meets the same failure and reports it
        pass


class _OutsideAnySession(logging.Filter):
    """Streamlit warns on the console, in English, whenever a cached function runs outside a session's script
    run (it would show its spinner there): the warm-up does that on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != _NAME


_QUIET = _OutsideAnySession()  # one filter, however often the server starts in a process (added once)


def start() -> threading.Thread:
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_QUIET)
    thread = threading.Thread(target=_prepare_quietly, name=_NAME, daemon=True)
    thread.start()
    return thread
