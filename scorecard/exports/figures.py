"""The charts of the meeting package (会议材料包) as PNGs, drawn with matplotlib in the documents' CJK font: each
indicator's completion of each city coloured by status, each city's months of payment capacity against the
warning line, and a map of the province (scorecard.report.geography computes what it shows). The bar chart of
totals is the circular's (chart.totals_png)."""

from __future__ import annotations

from ..assessment.explain import completion_and_pace
from ..assessment.formulas import STATUS_NAMES
from ..assessment.fund import AMBER, LEVEL_NAMES, NORMAL, RED
from ..assessment.results import YearResult
from ..report import geography, palette
from ..report.geography import ProvinceMap
from .chart import bars, body_font as _font, new_figure as _canvas, png_bytes as _png
from .fonts import Fonts

GRID_MAX = 40      # cities up to which the status grid has a column each (a national roll-up has none)


def _legend(axes, items: dict[str, str], font, below: float = 0.0) -> None:
    """The colours' meanings in a row under the axes, `below` (a share of their height) lower still."""
    from matplotlib.patches import Patch

    axes.legend(handles=[Patch(facecolor=color, edgecolor=color, label=name) for name, color in items.items()],
                prop=font, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -below),
                ncol=len(items), handlelength=1.0, columnspacing=1.2)


def status_png(result: YearResult, fonts: Fonts, width_inches: float = 9.0) -> bytes | None:
    """Indicators (rows) of cities (columns): each cell's completion on its status colour; None for more than
    GRID_MAX cities."""
    from matplotlib.patches import Rectangle

    cities = result.cities
    if not cities or len(cities) > GRID_MAX:
        return None
    indicators = list({i.code: i.name for c in cities for i in c.indicators}.items())
    font, small = _font(fonts, 7.5), _font(fonts, 6.5)
    figure = _canvas(width_inches, 1.3 + 0.32 * len(indicators))
    axes = figure.add_subplot()
    for x, city in enumerate(cities):
        by_code = {i.code: i for i in city.indicators}
        for y, (code, _) in enumerate(indicators):
            i = by_code.get(code)
            color = "#ffffff" if i is None else palette.STATUS_COLORS[i.status]
            axes.add_patch(Rectangle((x, y), 0.94, 0.9, facecolor=color, edgecolor=palette.GREY if i is None else color,
                                     linewidth=0.4))
            axes.text(x + 0.47, y + 0.45, geography.NOT_ASSESSED if i is None else completion_and_pace(i)[0],
                      ha="center", va="center", fontproperties=small, color=palette.GREY if i is None else "white")
    axes.set_xlim(0, len(cities))
    axes.set_ylim(len(indicators), 0)
    axes.set_xticks([x + 0.47 for x in range(len(cities))], [geography.short_name(c) for c in cities],
                    fontproperties=font)
    axes.xaxis.tick_top()
    axes.set_yticks([y + 0.45 for y in range(len(indicators))], [name for _, name in indicators], fontproperties=font)
    axes.tick_params(length=0)
    for side in axes.spines.values():
        side.set_visible(False)
    _legend(axes, {label: palette.STATUS_COLORS[s] for s, label in STATUS_NAMES.items()}, font)
    figure.tight_layout()
    return _png(figure)


def capacity_bars_png(result: YearResult, fonts: Fonts, width_inches: float = 9.0) -> bytes:
    """Each city's months of payment capacity, coloured by warning level, with the warning and watch lines."""
    rules = result.rules.warning
    statuses = result.fund
    font = _font(fonts, 7.5)
    figure = _canvas(width_inches, 3.6)
    axes = figure.add_subplot()
    values = [s.capacity or 0.0 for s in statuses]
    bars(axes, values, [palette.LEVEL_COLORS[s.level] for s in statuses], thickness=0.6, upright=True)
    if len(statuses) <= GRID_MAX:
        names = {c.code: geography.short_name(c) for c in result.cities}
        axes.set_xticks(list(range(len(statuses))), [names.get(s.city, s.name) for s in statuses], fontproperties=font,
                        rotation=0 if len(statuses) <= 12 else 90)
        for x, s in enumerate(statuses):
            axes.text(x, values[x], "—" if s.capacity is None else f"{s.capacity:.2f}", ha="center", va="bottom",
                      fontproperties=font)
    else:
        axes.set_xticks([])
    for months, text, color in ((rules.threshold_months, f"预警线{rules.threshold_months:g}个月", palette.CRIMSON),
                                (rules.watch_months, f"关注线{rules.watch_months:g}个月", palette.AMBER_COLOR)):
        axes.axhline(months, color=color, linestyle="--", linewidth=0.9)
        axes.text(1.005, months, text, transform=axes.get_yaxis_transform(), fontproperties=font, color=color,
                  va="center")
    axes.set_ylabel("可支付月数（个月）", fontproperties=font)
    for label in axes.get_yticklabels():
        label.set_fontproperties(font)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    _legend(axes, {LEVEL_NAMES[level]: palette.LEVEL_COLORS[level] for level in (RED, AMBER, NORMAL)}, font, 0.1)
    axes.set_title(f"{result.year}年{result.month}月各市州失业保险基金可支付月数", fontproperties=_font(fonts, 10))
    figure.tight_layout()
    return _png(figure)


def map_png(province: ProvinceMap, title: str, fonts: Fonts, width_inches: float = 8.0) -> bytes | None:
    """The units filled in their colours, named as on the page, the legend below; None when no unit has an
    outline."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    drawn = province.drawn()
    if not drawn:
        return None
    font = _font(fonts, 7.5)
    figure = _canvas(width_inches, width_inches * 0.72)
    axes = figure.add_subplot()
    shapes = province.boundaries.shapes
    for area in drawn:
        lon, lat = geography.outline(shapes[area.code])
        vertices, codes, start = [], [], True
        for x, y in zip(lon + [None], lat + [None]):
            if x is None:
                codes[-1], start = Path.CLOSEPOLY, True
                continue
            vertices.append((x, y))
            codes.append(Path.MOVETO if start else Path.LINETO)
            start = False
        axes.add_patch(PathPatch(Path(vertices, codes), facecolor=area.color, edgecolor="white", linewidth=0.8))
        if province.labelled(area):
            x, y = shapes[area.code].label
            name, value = province.label(area)
            axes.text(x, y, name + (f"\n{value}" if value else ""), ha="center", va="center",
                      fontproperties=font, color=area.ink, linespacing=1.2)
    axes.autoscale_view()
    axes.set_aspect(geography.ASPECT)
    axes.set_axis_off()
    axes.set_title(title, fontproperties=_font(fonts, 10))
    _legend(axes, province.legend, font)
    figure.text(0.01, 0.01, geography.SOURCE, fontproperties=_font(fonts, 5.5), color=palette.GREY)
    figure.tight_layout()
    return _png(figure)

