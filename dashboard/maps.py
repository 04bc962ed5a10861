"""The map of the province on 全省排名 and 基金预警: the units coloured by what scorecard.report.geography computes,
drawn as SVG (dashboard/drawn.py) from the shipped boundaries, with no base map (nothing is fetched from a network).
Where cities.yaml lists 县（市、区） that their 市州 scored, a switch shows them instead of the 市州."""

from __future__ import annotations

import streamlit as st

from dashboard import drawn, drill, frame, reads, widgets
from dashboard.text import md
from scorecard.report import geography
from scorecard.report.geography import ProvinceMap

CITIES, COUNTIES = "市州", "县（市、区）"
TOTAL, GRADE = "总分", "等次"


def show(province: ProvinceMap, file_name: str, key: str, clicks: bool = False, of: tuple = ()) -> None:
    """The map (its PNG named `file_name`) and, under it, the units that have no outline and where the outlines
    come from. With `clicks`, a click on a unit opens its 市州进度. With `of` (as widgets.kept takes it), the
    map is drawn once for as long as its owner lives."""
    if province.drawn():
        html = (widgets.kept(of[0], (*of[1:], clicks), lambda: drawn.province_map(province, clicks)) if of
                else drawn.province_map(province, clicks))
        clicked = drawn.show(html, key, file_name, [a.code for a in province.drawn()] if clicks else ())
        if clicks:
            st.caption(drill.MAP_HINT)
            drill.follow_click(clicked)
    missing = province.boundaries.missing_text()
    if missing:
        st.warning(md(missing))
    st.caption(geography.SOURCE + "。")


def _unmapped(view: frame.View) -> bool:
    """No 市州 has an outline (e.g. a national roll-up): the section says so and draws nothing else."""
    found = geography.boundaries(view.config.cities)
    if found.shapes:
        return False
    st.caption(md(found.missing_text()))
    return True


def _level(scored: list, key: str) -> str:
    """市州 or 县（市、区）: a switch, where some 市州 scored their 县（市、区）."""
    if not scored:
        return CITIES
    return st.segmented_control("地图单位", [CITIES, COUNTIES], default=CITIES, key=key,
                                label_visibility="collapsed") or CITIES


def _county_results(view: frame.View, result) -> list:
    parents = {u.parent for u in view.config.counties}
    found = [reads.county_result(view.source, result.year, result.month, c.code)
             for c in view.config.cities if c.code in parents]
    return [r for r in found if r is not None]


def _section(view: frame.View, result, heading: str, key: str):
    """The section's heading and switch: (level, the county results, the units drawn, why some have no value), or
    None where no unit has an outline."""
    st.subheader(heading)
    if _unmapped(view):
        return None
    below = _county_results(view, result)
    level = _level(below, key)
    if level == CITIES:
        return level, below, view.config.cities, geography.EMPTY
    return (level, below, *geography.county_level(view.config, [r.parent for r in below]))


def ranking_section(view: frame.View, result) -> None:
    """全省排名: every unit coloured by total, grade or one indicator's completion."""
    chosen = _section(view, result, "全省地图", "_map_ranking_level")
    if chosen is None:
        return
    level, below, units, why = chosen
    cities = result.cities if level == CITIES else [c for r in below for c in r.cities]
    indicators = widgets.kept(result, ("map indicators", level), lambda: geography.indicator_names(cities))
    choices = [TOTAL, GRADE] + [f"{name}完成率" for name in indicators.values()]
    choice = st.selectbox("地图颜色", choices, key=f"_map_ranking_colour_{level}")

    def colored() -> ProvinceMap:
        if choice == TOTAL:
            return geography.totals_map(cities, units, why)
        if choice == GRADE:
            return geography.grades_map(cities, units, result.rules.grades, why)
        return geography.completion_map(cities, units, list(indicators)[choices.index(choice) - 2], why)

    # the county results and the units are those of the result's source, as the result is (dashboard/reads.py)
    province = widgets.kept(result, ("map", level, choice), colored)
    show(province, f"{result.year}年{result.month}月{level}{choice}地图", "map", clicks=level == CITIES,
         of=(result, "map", level, choice))


def fund_section(view: frame.View, statuses) -> None:
    """基金预警: every unit coloured by its months of payment capacity against the warning and watch lines (for a
    市州 user, who sees their own city's figures only, none)."""
    if view.subject is not None:
        return
    result = view.result()
    chosen = _section(view, result, "基金支付能力地图", "_map_fund_level")
    if chosen is None:
        return
    level, below, units, why = chosen
    if level == COUNTIES:
        statuses = [s for r in below for s in r.fund]
    province = geography.fund_map(statuses, units, result.rules.warning, why)
    show(province, f"{result.year}年{result.month}月{level}基金可支付月数地图", "fund_map")
