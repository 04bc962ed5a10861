"""The map of the province on 全省排名 and 基金预警: the units coloured by what scorecard.report.geography computes,
drawn with plotly from the shipped boundaries, with no base map (nothing is fetched from a network).
Where cities.yaml lists 县（市、区） that their 市州 scored, a switch shows them instead of the 市州."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboard import drill, frame, reads, widgets
from dashboard.text import md, svg
from scorecard.report import geography
from scorecard.report.geography import ProvinceMap

CITIES, COUNTIES = "市州", "县（市、区）"
HEIGHT = 480
TOTAL, GRADE = "总分", "等次"


def figure(province: ProvinceMap) -> go.Figure:
    """Each unit a filled outline in its colour, named (the small ones in the hover label only), the legend in the
    title. Plain x/y axes in longitude and latitude, not plotly's geo maps: those fetch a world map from a network
    for every choropleth, even one with its own GeoJSON and the globe hidden."""
    shapes = province.boundaries.shapes
    result = go.Figure()
    for area in province.drawn():
        lon, lat = geography.outline(shapes[area.code])
        result.add_scatter(x=lon, y=lat, fill="toself", fillcolor=area.color, mode="lines",
                           line={"color": "white", "width": 1.2}, hoveron="fills", hoverinfo="name",
                           name=svg(area.hover).replace("\n", "<br>"), meta=area.code)
    named = labelled(province)
    # the names are points of their own: a click on one is a click on its unit (dashboard/drill.py)
    result.add_scatter(x=[shapes[a.code].label[0] for a in named], y=[shapes[a.code].label[1] for a in named],
                       mode="text", text=[_label(*province.label(a)) for a in named],
                       textfont={"color": [a.ink for a in named], "size": 11},
                       hovertext=[svg(a.hover).replace("\n", "<br>") for a in named], hoverinfo="text")
    result.update_xaxes(visible=False, fixedrange=True)
    result.update_yaxes(visible=False, fixedrange=True, scaleanchor="x", scaleratio=geography.ASPECT)
    result.update_layout(title={"text": f"{svg(province.title)}<br>{widgets.legend_text(province.legend)}",
                                "y": 0.97, "yanchor": "top"},
                         margin={"t": 80, "l": 0, "r": 0}, dragmode=False, showlegend=False, hovermode="closest",
                         hoverlabel={"namelength": -1})
    return result


def labelled(province: ProvinceMap) -> list:
    """The units drawn whose names are written on the map, in the order of the names' trace (the last)."""
    return [a for a in province.drawn() if province.labelled(a)]


def _label(name: str, value: str) -> str:
    return f"<b>{svg(name)}</b>" + (f"<br>{svg(value)}" if value else "")


def show(province: ProvinceMap, file_name: str, clicks: str | None = None, of: tuple = ()) -> None:
    """The map and, under it, the units that have no outline and where the outlines come from. With `clicks` (a
    key), a click on a unit's name opens its 市州进度. With `of` (as widgets.chart takes it), the figure is made
    once for as long as its owner lives."""
    if province.drawn():
        event = widgets.chart((lambda: figure(province)) if of else figure(province), height=HEIGHT,
                              file_name=file_name, clicks=clicks, of=of)
        if clicks:
            st.caption(drill.MAP_HINT)
            drill.follow_click(event, [a.code for a in labelled(province)], trace=len(province.drawn()))
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
    show(province, f"{result.year}年{result.month}月{level}{choice}地图", clicks="map" if level == CITIES else None,
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
    show(province, f"{result.year}年{result.month}月{level}基金可支付月数地图")
