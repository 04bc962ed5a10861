"""What a write makes stale: the web shell registers its cache clears here (dashboard/reads.py), and each action
says what it changed. The core never imports Streamlit; at the command line nothing is registered."""

from __future__ import annotations

from collections.abc import Callable

ACTUALS, WARNING_REPORTS, ACCOUNTS = "actuals", "warning_reports", "accounts"
DECISIONS, PUBLICATIONS = "decisions", "publications"
RECTIFICATION = "rectification"
REPORTS = "reports"  # monthly figures reported online (在线填报)

_clears: dict[str, list[Callable[[], None]]] = {topic: [] for topic in (ACTUALS, WARNING_REPORTS, ACCOUNTS, DECISIONS,
                                                                        PUBLICATIONS, RECTIFICATION, REPORTS)}


def on_change(what: str, clear: Callable[[], None]) -> None:
    """Call `clear` after every write that changes `what` (registered once, however often this is called)."""
    if clear not in _clears[what]:
        _clears[what].append(clear)


def changed(*what: str) -> None:
    for topic in what:
        for clear in list(_clears[topic]):
            clear()
