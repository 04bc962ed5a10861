"""The map of the province: the shipped boundaries hold every configured unit (scorecard.report.geography), a unit
without one is named, and 全省排名 and 基金预警 draw the map (AppTest) in the colours the core computes."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

from page_support import charts, drawn_charts, goto

from scorecard.assessment.fund import RED
from scorecard.assessment.scoring import score_year
from scorecard.config import City
from scorecard.data.store import Store
from scorecard.report import geography, palette

LIAOYUAN = "220400"


def maps(app) -> list[str]:
    """The maps drawn (dashboard/drawn.py), as their HTML."""
    return [chart for chart in drawn_charts(app) if 'class="sc-chart sc-map' in chart]


def units_drawn(app) -> dict[str, dict]:
    """The map's units by code: each an outline filled in its colour, with its hover label."""
    [chart] = maps(app)
    return {code: {"fill": fill, "hover": unescape(hover)} for code, fill, hover in
            re.findall(r'<path data-unit="([^"]+)" d="[^"]*" fill="([^"]+)"><title>([^<]*)</title>', chart)}


def test_every_configured_unit_has_its_boundary(config):
    found = geography.boundaries(config.cities + config.counties)
    assert set(found.shapes) == {u.code for u in config.cities + config.counties}
    assert found.missing == () and found.missing_text() is None
    for shape in found.shapes.values():   # a closed ring of (lon, lat) inside Jilin
        ring = shape.geometry["coordinates"][0] if shape.geometry["type"] == "Polygon" else \
            shape.geometry["coordinates"][0][0]
        assert ring[0] == ring[-1] and all(121 < x < 132 and 40 < y < 47 for x, y in ring)


def test_the_shipped_file_holds_the_2003_units_and_is_small():
    path = Path(geography.__file__).parent / "boundaries" / geography.BOUNDARIES
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    cities = {f["id"] for f in features if f["properties"]["level"] == "市州"}
    assert cities == {"220100", "220200", "220300", "220400", "220500", "220600", "220700", "220800", "222400"}
    names = {f["id"]: f["properties"]["name"] for f in features}
    # 2003's units, not today's: 九台市, 公主岭市 under 四平市, 江源县, 扶余县, 八道江区
    assert names["220181"] == "九台市" and names["220381"] == "公主岭市" and names["220625"] == "江源县"
    assert names["220724"] == "扶余县" and names["220602"] == "八道江区"
    assert {"220113", "220184", "220605", "220781"}.isdisjoint(names)
    assert path.stat().st_size < 400_000


def test_a_unit_without_boundary_is_named_and_a_later_code_is_found():
    found = geography.boundaries([City("229901", "新城市"), City("220113", "九台区"), City("220100", "长春市")])
    assert set(found.shapes) == {"220113", "220100"}
    assert found.shapes["220113"].name == "九台市"
    assert found.missing_text() == "新城市（229901）没有边界数据，地图上未画出。"
    nothing = geography.boundaries([City("110000", "北京市")])
    assert "都没有边界数据" in nothing.missing_text() and not nothing.shapes


def test_the_counties_map_shows_the_scored_counties_and_the_other_cities_whole(config):
    units, why = geography.county_level(config, ["220100"])
    codes = [u.code for u in units]
    assert [c for c in codes if c.startswith("2201")] == [u.code for u in config.counties if u.parent == "220100"]
    assert "222400" in codes and why["222400"] == "未分县（市、区）考评" and why["220200"] == "未列下辖县（市、区）"


def test_ranking_page_draws_the_map_by_total_grade_and_indicator(config, demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db)
    assert not app.exception
    result = score_year(config, Store(demo_db), 2003)
    assert list(units_drawn(app)) == [c.code for c in result.cities]
    assert not charts(app)    # no plotly: its geo maps fetch a world map from a network
    app.selectbox(key="_map_ranking_colour_市州").select("等次").run()
    grades = [palette.grade_color(c.grade, result.rules.grades) for c in result.cities]
    assert [unit["fill"] for unit in units_drawn(app).values()] == grades
    name = result.cities[0].indicators[0].name
    app.selectbox(key="_map_ranking_colour_市州").select(f"{name}完成率").run()
    first = units_drawn(app)[result.cities[0].code]
    assert f"{name}完成" in first["hover"]
    app.button_group(key="_map_ranking_level").set_value("县（市、区）").run()
    drawn = units_drawn(app)
    assert {u.code for u in config.counties} <= set(drawn)   # the 市州 that scored none drawn whole, without a value
    assert "220200" in drawn and "220100" not in drawn
    assert drawn["220200"]["fill"] == geography.NO_VALUE and "未列下辖县（市、区）" in drawn["220200"]["hover"]


def test_fund_page_draws_the_map_with_the_warning_line(config, demo_db, shipped_config_dir, open_app):
    app = goto(open_app(shipped_config_dir, demo_db, {"year": "2003", "month": "12", "city": LIAOYUAN}), "fund")
    assert not app.exception
    result = score_year(config, Store(demo_db), 2003, 12)
    colours = {code: unit["fill"] for code, unit in units_drawn(app).items()}
    red = {s.city for s in result.fund if s.level == RED}
    assert LIAOYUAN in red and {c for c, colour in colours.items() if colour == palette.LEVEL_COLORS[RED]} == red
    [chart] = maps(app)
    assert f"预警线{result.rules.warning.threshold_months:g}个月" in unescape(chart)
