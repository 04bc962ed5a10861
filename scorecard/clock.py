"""The one clock: everything in the core, the web shell and the pages that asks what day or time it is asks
here, so that tests — and a demonstration of a past year — can set it.

`SCORECARD_NOW` (an ISO date or date and time, e.g. 2004-01-20 or 2004-01-20T09:30) fixes it for a whole
process: a server or a command a test starts. `fixed()` fixes it for a block of code within one process.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager

ENV = "SCORECARD_NOW"
_fixed: dt.datetime | None = None


def _from_environment() -> dt.datetime | None:
    text = os.environ.get(ENV, "").strip()
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"环境变量 {ENV} 应写成 2004-01-20 或 2004-01-20T09:30，现在是“{text}”") from None
    return moment.replace(tzinfo=None)


def now() -> dt.datetime:
    """The local time, without a time zone (as every time the system stores)."""
    return _fixed or _from_environment() or dt.datetime.now()


def today() -> dt.date:
    return now().date()


@contextmanager
def fixed(moment: dt.datetime | dt.date):
    """Within the block, `now()` is `moment` (a date means its midnight)."""
    global _fixed
    before = _fixed
    _fixed = moment if isinstance(moment, dt.datetime) else dt.datetime.combine(moment, dt.time())
    try:
        yield _fixed
    finally:
        _fixed = before
