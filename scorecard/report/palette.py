"""The fixed colours of grades, statuses and warning levels, shared by every page and document.

Sober and print-friendly: each colour carries meaning, and text always says the same thing,
so a black-and-white printout loses nothing.
"""

from __future__ import annotations

from ..assessment.fund import AMBER, NORMAL, RED
from ..assessment.formulas import BEHIND, FAR_BEHIND, MET, MISSING
from ..assessment.warning_duty import FLAGGED, PENDING, REPORTED

GREEN, BLUE, OCHRE, CRIMSON, GREY = "#2e7d32", "#1f5f9e", "#b7791f", "#c62828", "#8a8f98"
AMBER_COLOR = "#e08e0b"

# By position in scoring.yaml's grade list, best first, so renamed grades keep their colours.
GRADE_SEQUENCE = (GREEN, BLUE, OCHRE, CRIMSON)

STATUS_COLORS = {MET: GREEN, BEHIND: AMBER_COLOR, FAR_BEHIND: CRIMSON, MISSING: GREY}
LEVEL_COLORS = {NORMAL: GREEN, AMBER: AMBER_COLOR, RED: CRIMSON, None: GREY}
DUTY_COLORS = {REPORTED: GREEN, PENDING: AMBER_COLOR, FLAGGED: CRIMSON}   # the duty to report (预警报告)
LIGHT = {GREEN: "#e6f4ea", BLUE: "#e3eef9", OCHRE: "#fbf0dc", CRIMSON: "#fde8e8", AMBER_COLOR: "#fff3dc",
         GREY: "#f0f1f3"}


def grade_color(grade: str, grades) -> str:
    """`grades` is the rules' list of (name, minimum), best first; the last grade is always crimson."""
    names = [name for name, _ in grades]
    if grade not in names:
        return GREY
    position = names.index(grade)
    if position == len(names) - 1:
        return CRIMSON
    return GRADE_SEQUENCE[min(position, len(GRADE_SEQUENCE) - 2)]


def light(color: str) -> str:
    """The pale tint of a colour, for table cell backgrounds."""
    return LIGHT.get(color, "#ffffff")
