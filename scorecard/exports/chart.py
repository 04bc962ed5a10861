"""The bar chart of totals for the circular (Word and PDF), as a PNG drawn with the documents' CJK font."""

from __future__ import annotations

import io

from .. import formatting as fmt
from .. import palette
from ..config import Config
from ..scoring import YearResult
from .fonts import Fonts

LABELLED = 40       # up to this many units every bar carries its name and total
DPI = 200


def totals_png(result: YearResult, config: Config, fonts: Fonts, width_inches: float = 6.2) -> bytes:
    """Horizontal bars by rank, coloured by grade, with the grade thresholds as dashed lines."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontPath, FontProperties

    font = FontProperties(fname=FontPath(str(fonts.body.path), fonts.body.index), size=8)
    cities = result.cities
    labelled = len(cities) <= LABELLED
    height = 0.7 + 0.26 * len(cities) if labelled else 6.0
    figure = Figure(figsize=(width_inches, height), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = range(len(cities))
    colors = [palette.grade_color(c.grade, config.rules.grades) for c in cities]
    totals = [c.total_rounded for c in cities]
    axes.barh(positions, totals, color=colors, height=0.65 if labelled else 1.0)
    axes.invert_yaxis()
    top = max(totals + [config.rules.total_points]) * 1.1
    axes.set_xlim(0, top)
    for name, minimum in config.rules.grades[:-1]:
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
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
