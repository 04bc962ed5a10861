"""The province on a map: the boundaries of the configured units, found by code in the GeoJSON shipped beside this
module (boundaries/README.md: Jilin's 2003 市州 and 县（市、区）, their source and licence), and what each unit is
coloured by — total, grade, an indicator's completion, months of payment capacity. Computed once here; the pages
draw it with plotly (dashboard/maps.py), the meeting package with matplotlib (exports/chart.py).

Nothing here needs a network: the boundaries are a file of the package.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from .. import formatting as fmt
from ..assessment.explain import completion_and_pace
from ..assessment.formulas import STATUS_NAMES
from ..assessment.fund import AMBER, LEVEL_NAMES, NORMAL, RED, FundStatus
from ..assessment.results import CityResult
from ..config import City, Config, WarningRules
from . import palette

BOUNDARIES = "jilin-2003.geojson"
SOURCE = "边界据高德地图的行政区边界，按2003年的行政区划重组并简化，仅为示意，不作为划界依据"
ASPECT = 1 / math.cos(math.radians(43.5))   # a degree of latitude against one of longitude at Jilin's middle
CROWDED = 12             # units on a map up to which each has its value written on it
CROWDED_AREA = 0.3       # square degrees of the smallest unit named on a crowded map (长春's districts are not)
INK = "#1f2933"
NO_VALUE = "#f0f1f3"     # palette.light(GREY): a unit on the map that has no value
NOT_ASSESSED = "不考核"
NAMED = 20               # units without an outline named in full before "等N个单位"
UNSCORED = "没有考评结果"
EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Shape:
    """One unit's outline, as the shipped file has it."""

    code: str
    name: str                       # its name in 2003
    geometry: dict                  # GeoJSON, outer rings clockwise
    label: tuple[float, float]      # (lon, lat) where its name is written
    area: float                     # square degrees
    change: str | None              # what has become of it since 2003


@dataclass(frozen=True)
class Boundaries:
    """The outlines of some configured units, by their configured code, and the units the file has none for."""

    shapes: dict[str, Shape]
    missing: tuple[City, ...]

    def missing_text(self) -> str | None:
        if not self.missing:
            return None
        if not self.shapes:
            return f"这{len(self.missing)}个单位都没有边界数据（随系统提供的是吉林省2003年的市州和县（市、区）边界），不画地图。"
        names = "、".join(f"{u.name}（{u.code}）" for u in self.missing[:NAMED])
        more = f"等{len(self.missing)}个单位" if len(self.missing) > NAMED else ""
        return f"{names}{more}没有边界数据，地图上未画出。"

    def geojson(self) -> dict:
        return {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": code, "geometry": s.geometry, "properties": {}} for code, s in self.shapes.items()]}


@cache
def _shipped() -> dict[str, Shape]:
    """Every outline of the file, by its 2003 code and by its code of today where that differs (九台区 220113 is
    九台市 220181), so that a config written with either finds it."""
    text = (files(__package__) / "boundaries" / BOUNDARIES).read_text(encoding="utf-8")
    shapes = {}
    for feature in json.loads(text)["features"]:
        p = feature["properties"]
        shape = Shape(p["code"], p["name"], feature["geometry"], tuple(p["label"]), p["area"], p.get("change"))
        shapes[p["code"]] = shape
        shapes.setdefault(p.get("source_code", p["code"]), shape)
    return shapes


def rings(shape: Shape) -> list:
    """A unit's rings (outer and holes, of each of its polygons), each a list of (lon, lat)."""
    polygons = shape.geometry["coordinates"] if shape.geometry["type"] == "MultiPolygon" else [shape.geometry["coordinates"]]
    return [ring for polygon in polygons for ring in polygon]


def outline(shape: Shape) -> tuple[list, list]:
    """A unit's rings as longitudes and latitudes, one None between two rings (how a plot draws them apart)."""
    lon, lat = [], []
    for ring in rings(shape):
        lon += [x for x, _ in ring] + [None]
        lat += [y for _, y in ring] + [None]
    return lon[:-1], lat[:-1]


def boundaries(units: Iterable[City]) -> Boundaries:
    shipped = _shipped()
    units = list(units)
    return Boundaries({u.code: shipped[u.code] for u in units if u.code in shipped},
                      tuple(u for u in units if u.code not in shipped))


def county_level(config: Config, scored: Iterable[str]) -> tuple[list[City], dict[str, str]]:
    """The units of the map of 县（市、区）: those of each 市州 in `scored` (the 市州 that scored theirs), every other
    市州 whole, drawn without a value, with why."""
    scored = set(scored)
    units, why = [], {}
    for city in config.cities:
        below = [u for u in config.counties if u.parent == city.code]
        if below and city.code in scored:
            units += below
        else:
            units.append(city)
            why[city.code] = "未分县（市、区）考评" if below else "未列下辖县（市、区）"
    return units, why


# --- what the map is coloured by -------------------------------------------------------------------

@dataclass(frozen=True)
class Area:
    """A unit on the map: its fill, the text written on it and the lines of its hover label."""

    code: str
    name: str        # as written on the map (the short name)
    color: str
    value: str       # written under the name ("" for none)
    hover: str       # lines joined by "\n"

    @property
    def ink(self) -> str:
        """The colour of the text written on the area: white on a dark fill, dark on a light one."""
        red, green, blue = (int(self.color[k:k + 2], 16) for k in (1, 3, 5))
        return "#ffffff" if 0.299 * red + 0.587 * green + 0.114 * blue < 150 else INK


@dataclass(frozen=True)
class ProvinceMap:
    title: str
    areas: tuple[Area, ...]
    legend: dict[str, str]      # what a colour means → the colour
    boundaries: Boundaries

    def drawn(self) -> tuple[Area, ...]:
        """The areas that have an outline, in the order given."""
        return tuple(a for a in self.areas if a.code in self.boundaries.shapes)

    def crowded(self) -> bool:
        """Too many units for each to have its value written on it (县（市、区）): the names of the larger only."""
        return len(self.drawn()) > CROWDED

    def labelled(self, area: Area) -> bool:
        """Whether the unit is named on the map (else in its hover label only)."""
        return not self.crowded() or self.boundaries.shapes[area.code].area >= CROWDED_AREA

    def label(self, area: Area) -> tuple[str, str]:
        """The name and the value written on a unit (the value only where there is room)."""
        return area.name, "" if self.crowded() else area.value


def short_name(unit) -> str:
    return getattr(unit, "short", None) or unit.name


def _blend(low: str, high: str, share: float) -> str:
    a, b = (tuple(int(c[k:k + 2], 16) for k in (1, 3, 5)) for c in (low, high))
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b))


def _standing(c: CityResult) -> str:
    return f"第{c.rank}名，总分{fmt.points(c.total)}，{c.grade}"


def _unscored(units: Sequence, scored: set[str], why: Mapping[str, str], default: str = UNSCORED) -> list[Area]:
    """The units drawn without a value, each with why (by code; else `default`)."""
    return [Area(u.code, short_name(u), NO_VALUE, "", f"{u.name}\n{why.get(u.code, default)}")
            for u in units if u.code not in scored]


def totals_map(cities: Sequence[CityResult], units: Sequence, unscored: Mapping[str, str] = EMPTY) -> ProvinceMap:
    """Totals on a light-to-dark blue scale between the lowest and the highest (one colour for all when equal)."""
    totals = [c.total for c in cities]
    low, high = (min(totals), max(totals)) if totals else (0.0, 0.0)
    areas = [Area(c.code, short_name(c), _blend(palette.light(palette.BLUE), palette.BLUE,
                                                 0.5 if high == low else (c.total - low) / (high - low)),
                  fmt.points(c.total), f"{c.name}\n{_standing(c)}") for c in cities]
    areas += _unscored(units, {c.code for c in cities}, unscored)
    legend = {f"最低{fmt.points(low)}": palette.light(palette.BLUE), f"最高{fmt.points(high)}": palette.BLUE}
    return ProvinceMap("总分（颜色越深分数越高）", tuple(areas), legend, boundaries(units))


def grades_map(cities: Sequence[CityResult], units: Sequence, grades, unscored: Mapping[str, str] = EMPTY) -> ProvinceMap:
    areas = [Area(c.code, short_name(c), palette.grade_color(c.grade, grades), c.grade, f"{c.name}\n{_standing(c)}")
             for c in cities] + _unscored(units, {c.code for c in cities}, unscored)
    legend = {name: palette.grade_color(name, grades) for name, _ in grades}
    return ProvinceMap("等次", tuple(areas), legend, boundaries(units))


def indicator_names(cities: Sequence[CityResult]) -> dict[str, str]:
    """code → name of every indicator any of the units is assessed on, in the order of the contracts."""
    return {i.code: i.name for c in cities for i in c.indicators}


def completion_map(cities: Sequence[CityResult], units: Sequence, indicator: str,
                   unscored: Mapping[str, str] = EMPTY) -> ProvinceMap:
    """One indicator's completion, coloured by its progress status (达到序时进度, 落后, …)."""
    name = indicator_names(cities)[indicator]
    areas = []
    for c in cities:
        i = next((i for i in c.indicators if i.code == indicator), None)
        if i is None:
            areas.append(Area(c.code, short_name(c), "#ffffff", NOT_ASSESSED, f"{c.name}\n{name}：{NOT_ASSESSED}"))
            continue
        completion, pace = completion_and_pace(i)
        hover = f"{c.name}\n{name}完成{completion}" + (f"，序时进度{pace}" if pace else "") + f"\n{STATUS_NAMES[i.status]}"
        areas.append(Area(c.code, short_name(c), palette.STATUS_COLORS[i.status], completion, hover))
    areas += _unscored(units, {c.code for c in cities}, unscored)
    legend = {label: palette.STATUS_COLORS[status] for status, label in STATUS_NAMES.items()}
    return ProvinceMap(f"{name}完成率", tuple(areas), legend, boundaries(units))


def fund_map(statuses: Sequence[FundStatus], units: Sequence, rules: WarningRules,
             unscored: Mapping[str, str] = EMPTY) -> ProvinceMap:
    """Months of payment capacity, coloured by warning level: below the warning line, below the watch line, normal."""
    names = {u.code: short_name(u) for u in units}
    areas = [Area(s.city, names.get(s.city, s.name), palette.LEVEL_COLORS[s.level],
                  "—" if s.capacity is None else fmt.months(s.capacity),
                  f"{s.name}\n可支付{fmt.months(s.capacity)}，{s.level_name}" if s.capacity is not None
                  else f"{s.name}\n{s.missing_reason or s.level_name}") for s in statuses]
    areas += _unscored(units, {s.city for s in statuses}, unscored, "没有基金数据")
    legend = {LEVEL_NAMES[level]: palette.LEVEL_COLORS[level] for level in (RED, AMBER, NORMAL)}
    title = f"可支付月数（预警线{rules.threshold_months:g}个月、关注线{rules.watch_months:g}个月）"
    return ProvinceMap(title, tuple(areas), legend, boundaries(units))
