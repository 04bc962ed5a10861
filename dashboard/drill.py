"""From a city on a page of every city (its bar on 全省排名, its area on a map) to its 市州进度 in the year and month
shown: `open_progress(city)`, or `follow_click(code)` with what a chart of dashboard/drawn.py reports clicked."""

from __future__ import annotations

import streamlit as st

from dashboard import frame

PROGRESS = "pages/progress.py"
HINT = "点击柱形可查看该市州的进度。"
MAP_HINT = "点击市州可查看该市州的进度。"


def open_progress(city: str, indicator: str | None = None) -> None:
    """Show 市州进度 of `city` (and the months of one of its indicators), in the year and month chosen now; the
    URL then carries them all (?year=&month=&city=&indicator=)."""
    frame.keep("city", city)
    if indicator is not None:
        frame.keep("indicator", indicator)
    st.switch_page(PROGRESS)


def follow_click(city: str | None) -> None:
    """Open the progress of the city clicked, if one was."""
    if city is not None:
        open_progress(city)
