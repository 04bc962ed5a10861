"""From a city on a page of every city (its bar on 全省排名, its area on a map) to its 市州进度 in the year and month
shown: `open_progress(city)`, or `follow_click(event, codes)` under a chart drawn with widgets.chart(clicks=…)."""

from __future__ import annotations

import streamlit as st

from dashboard import frame

PROGRESS = "pages/progress.py"
HINT = "点击柱形可查看该市州的进度。"
MAP_HINT = "点击市州名称可查看该市州的进度。"


def open_progress(city: str, indicator: str | None = None) -> None:
    """Show 市州进度 of `city` (and the months of one of its indicators), in the year and month chosen now; the
    URL then carries them all (?year=&month=&city=&indicator=)."""
    frame.keep("city", city)
    if indicator is not None:
        frame.keep("indicator", indicator)
    st.switch_page(PROGRESS)


def clicked(event, codes: list[str], trace: int | None = None) -> str | None:
    """The code of the city whose point was clicked, in a chart whose points (of its trace number `trace`, if
    given: the others' points are not cities) are `codes` in order (None: none)."""
    points = event.selection.points if event else []
    if not points or (trace is not None and points[0].get("curve_number") != trace):
        return None
    index = points[0].get("point_index")
    return codes[index] if isinstance(index, int) and 0 <= index < len(codes) else None


def follow_click(event, codes: list[str], trace: int | None = None) -> None:
    """Open the progress of the city clicked, if one was."""
    city = clicked(event, codes, trace)
    if city is not None:
        open_progress(city)
