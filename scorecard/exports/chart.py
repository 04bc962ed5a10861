"""The charts of the documents (Word and PDF), as PNGs drawn with the documents' CJK font: the bar chart of
totals for the circular, and a city's months of payment capacity for its warning letter."""

from __future__ import annotations

import io
import math

from .. import formatting as fmt
from ..report import palette
from ..config import Config, WarningRules
from ..assessment.fund import FundStatus, month_index
from ..assessment.results import YearResult
from .fonts import Fonts

LABELLED = 40       # up to this many units every bar carries its name and total
DPI = 200
INK_LINE = "#1f2933"


def new_figure(width: float, height: float):
    """A matplotlib figure of `width` × `height` inches at DPI, drawn off screen."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def body_font(fonts: Fonts, size: float):
    """The documents' CJK body font at `size` points, for matplotlib."""
    from matplotlib.font_manager import FontPath, FontProperties

    return FontProperties(fname=FontPath(str(fonts.body.path), fonts.body.index), size=size)


def png_bytes(figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def totals_png(result: YearResult, config: Config, fonts: Fonts, width_inches: float = 6.2) -> bytes:
    """Horizontal bars by rank, coloured by grade, with the grade thresholds as dashed lines."""
    font = body_font(fonts, 8)
    cities = result.cities
    labelled = len(cities) <= LABELLED
    height = 0.7 + 0.26 * len(cities) if labelled else 6.0
    figure = new_figure(width_inches, height)
    axes = figure.add_subplot()
    positions = range(len(cities))
    colors = [palette.grade_color(c.grade, result.rules.grades) for c in cities]
    totals = [c.total_rounded for c in cities]
    bars(axes, totals, colors, thickness=0.65 if labelled else 1.0)
    axes.invert_yaxis()
    top = max(totals + [result.rules.total_points]) * 1.1
    axes.set_xlim(0, top)
    for name, minimum in result.rules.grades[:-1]:
        axes.axvline(minimum, color=palette.GREY, linestyle="--", linewidth=0.6, zorder=0)
        axes.text(minimum, -0.02, f"{name}≥{minimum:g}", transform=axes.get_xaxis_transform(), ha="center",
                  va="top", fontproperties=font, color=palette.GREY, size=6.5)
    if labelled:
        axes.set_yticks(list(positions), [c.name for c in cities], fontproperties=font)
        for y, total in zip(positions, totals):
            axes.text(total + top * 0.01, y, fmt.points(total), va="center", fontproperties=font)
    else:
        axes.set_yticks([])
        axes.set_ylabel(f"按名次排列的{len(cities)}个单位", fontproperties=font)
    axes.set_xticks([])
    axes.tick_params(left=False)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    return png_bytes(figure)


def bars(axes, lengths: list[float], colors: list[str], thickness: float, upright: bool = False) -> None:
    """Bars from 0, the n-th centred on n — across, or upright (`upright`) — as one collection: what `barh` and
    `bar` draw, without their 2,800 patches (each one added and measured on its own was most of a large chart)."""
    from matplotlib.collections import PolyCollection

    half = thickness / 2
    corners = [((0, n - half), (length, n - half), (length, n + half), (0, n + half))
               for n, length in enumerate(lengths)]
    if upright:
        corners = [[(y, x) for x, y in bar] for bar in corners]
    collection = PolyCollection(corners, facecolors=colors, edgecolors="none")
    (collection.sticky_edges.y if upright else collection.sticky_edges.x).append(0)  # as `bar` keeps 0 at the edge
    axes.add_collection(collection)


def month_label(year: int, month: int, with_year: bool) -> str:
    return f"{month}月\n{year}年" if with_year else f"{month}月"


def capacity_png(trend: list[FundStatus], rules: WarningRules, fonts: Fonts, width_inches: float = 6.2) -> bytes:
    """One city's months of payment capacity over `trend` (oldest first), the 6-month projection from its last
    month dashed, and the warning and watch lines; a month without capacity leaves a gap in the line."""
    font = body_font(fonts, 7)
    last = trend[-1]
    months = [(s.year, s.month) for s in trend]
    t = month_index(last.year, last.month)
    months += [((t + k) // 12, (t + k) % 12 + 1) for k, _, _ in last.projection]
    figure = new_figure(width_inches, 2.9)
    axes = figure.add_subplot()
    actual = [math.nan if s.capacity is None else s.capacity for s in trend]
    axes.plot(range(len(trend)), actual, color=palette.BLUE, linewidth=1.4, zorder=3)
    for x, s in enumerate(trend):
        if s.capacity is not None:
            axes.plot(x, s.capacity, "o", markersize=3.2, color=palette.LEVEL_COLORS[s.level], zorder=4)
    projected = [c for _, _, c in last.projection]
    if projected:
        xs = range(len(trend) - 1, len(months))
        axes.plot(xs, [last.capacity] + projected, color=palette.GREY, linewidth=1.2, linestyle="--", zorder=3)
        middle = len(projected) // 2
        axes.annotate("预测", (len(trend) + middle - 1, projected[middle - 1]), xytext=(4, 4),
                      textcoords="offset points", fontproperties=font, color=palette.GREY, ha="left", va="bottom")
    if last.capacity is not None:
        axes.annotate(f"{last.capacity:.2f}", (len(trend) - 1, last.capacity), xytext=(-4, -4),
                      textcoords="offset points", fontproperties=font, color=palette.LEVEL_COLORS[last.level],
                      ha="right", va="top")
        axes.axvline(len(trend) - 1, color=palette.GREY, linewidth=0.6, linestyle=":", zorder=1)
    known = [c for c in actual + projected if not math.isnan(c)]
    low = min(known + [0.0])
    high = max(known + [rules.watch_months]) * 1.15
    axes.set_ylim(low - (high - low) * 0.05 if low < 0 else 0, high)
    axes.axhspan(axes.get_ylim()[0], rules.threshold_months, color=palette.light(palette.CRIMSON), zorder=0)
    for y, text, color in ((rules.threshold_months, f"预警线{rules.threshold_months:g}个月", palette.CRIMSON),
                           (rules.watch_months, f"关注线{rules.watch_months:g}个月", palette.AMBER_COLOR)):
        axes.axhline(y, color=color, linestyle="--", linewidth=0.9, zorder=2)
        axes.text(1.005, y, text, transform=axes.get_yaxis_transform(), fontproperties=font, color=color,
                  va="center")
    if low < 0:
        axes.axhline(0, color=INK_LINE, linewidth=0.6, zorder=2)
    step = 1 if len(months) <= 15 else 3
    ticks = list(range(len(months) - 1 - (len(months) - 1) // step * step, len(months), step))
    axes.set_xticks(ticks, [month_label(*months[x], x == ticks[0] or months[x][1] <= step) for x in ticks],
                    fontproperties=font)
    axes.set_xlim(-0.5, len(months) - 0.5)
    for label in axes.get_yticklabels():
        label.set_fontproperties(font)
    axes.set_ylabel("可支付月数（个月）", fontproperties=font)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    return png_bytes(figure)
