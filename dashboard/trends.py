"""An indicator's trend drawn: a sparkline of its gap to the schedule (进度差) month by month with the arrow and its
word under its card, and the chart of its months against the same months of the previous year."""

from __future__ import annotations

import base64

import plotly.graph_objects as go

from dashboard.text import esc, svg
from scorecard import formatting as fmt
from scorecard.assessment.trends import IndicatorSeries
from scorecard.report import palette
from scorecard.report.trends import trend_color, trend_label, trend_text

WIDTH, HEIGHT, PAD = 120, 30, 3  # the sparkline's drawing box, in its own units


def sparkline(gaps: list[float | None], color: str) -> str:
    """The gaps of months 1..m as a small SVG image: a line over a dashed zero (on schedule), broken at a month
    without one; the last month a dot."""
    known = [g for g in gaps if g is not None]
    low, high = min(known + [0.0]), max(known + [0.0])
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(gaps) - 1, 1)

    def y(value: float) -> float:
        return PAD + (high - value) / span * (HEIGHT - 2 * PAD)

    runs: list[list[tuple[float, float]]] = [[]]
    for k, value in enumerate(gaps):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((PAD + k * step, y(value)))
    lines = "".join(_run(run, color) for run in runs if run)
    last = "" if not known or gaps[-1] is None else _dot(runs[-1][-1], color, 2.6)
    zero = y(0.0)
    drawing = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
               f'height="{HEIGHT}"><line x1="0" x2="{WIDTH}" y1="{zero:.1f}" y2="{zero:.1f}" stroke="{palette.GREY}" '
               f'stroke-width="0.8" stroke-dasharray="3 2"/>{lines}{last}</svg>')
    # an image, not inline SVG: st.html's sanitizer removes <svg>
    source = "data:image/svg+xml;base64," + base64.b64encode(drawing.encode()).decode()
    return f'<img class="sc-spark" src="{source}" width="{WIDTH}" height="{HEIGHT}" alt="" title="各月进度差">'



def _run(points: list[tuple[float, float]], color: str) -> str:
    if len(points) == 1:  # a month between two without data: a dot, not nothing
        return _dot(points[0], color, 1.6)
    coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return f'<polyline points="{coordinates}" fill="none" stroke="{color}" stroke-width="1.6"/>'


def _dot(point: tuple[float, float], color: str, radius: float) -> str:
    return f'<circle cx="{point[0]:.1f}" cy="{point[1]:.1f}" r="{radius}" fill="{color}"/>'


def card_footer(series: IndicatorSeries) -> str:
    """Under an indicator's card: 趋势, the sparkline, ↑改善 in its colour, and what was compared."""
    color = trend_color(series.trend)
    spark = sparkline([p.gap for p in series.points], color)
    return (f'<div class="sc-trend" style="display:flex;align-items:center;gap:0.5rem;margin-top:0.45rem;'
            f'font-size:0.9rem"><span style="color:{palette.GREY}">趋势</span>{spark}'
            f'<b style="color:{color};white-space:nowrap">{esc(trend_label(series.trend))}</b></div>'
            f'<div class="sc-trend-note" style="color:{palette.GREY};font-size:0.8rem;line-height:1.35">'
            f'{esc(trend_text(series))}</div>')


def months_chart(series: IndicatorSeries) -> go.Figure:
    """A flow's monthly amounts as bars, this year's beside last year's; a stock's or a rate's months as lines,
    with the target."""
    figure = go.Figure()
    months = [f"{p.month}月" for p in series.points]
    unit = svg(series.unit)
    if series.kind == "flow":
        measure = series.measures[0]
        figure.add_bar(x=months, y=[p.previous for p in measure.points], name="上年同月",
                       marker={"color": palette.light(palette.GREY), "line": {"color": palette.GREY, "width": 1}},
                       hovertemplate=f"%{{x}} 上年同月 %{{y:,.2f}}{unit}<extra></extra>")
        figure.add_bar(x=months, y=[p.value for p in measure.points], name="本年当月",
                       marker={"color": palette.light(palette.BLUE), "line": {"color": palette.BLUE, "width": 1.5}},
                       hovertemplate=f"%{{x}} 本年当月 %{{y:,.2f}}{unit}<extra></extra>")
        figure.update_layout(barmode="group", title=f"{svg(series.name)}：各月当月数（{unit}）")
    else:
        scale = 100 if series.percent else 1
        shown = "%" if series.percent else unit
        for name, values, color, dash in (
                ("上年同月", [p.previous for p in series.points], palette.GREY, "dot"),
                ("本年", [p.actual for p in series.points], palette.BLUE, None)):
            figure.add_scatter(x=months, y=[None if v is None else v * scale for v in values], name=name,
                               mode="lines+markers", line={"color": color, "dash": dash, "width": 2.5},
                               hovertemplate=f"%{{x}} {name} %{{y:,.2f}}{shown}<extra></extra>")
        figure.add_hline(y=series.target * scale, line_dash="dash", line_color=palette.OCHRE, line_width=1.5,
                         annotation_text=f"目标 {svg(fmt.quantity(series.target, series.unit))}",
                         annotation_position="top right", annotation_font={"color": palette.OCHRE, "size": 12})
        figure.update_layout(title=f"{svg(series.name)}：各月实际（{shown}）")
    # amounts from zero; a rate's few points of difference would vanish on a scale from 0 to 100
    figure.update_layout(yaxis={"rangemode": "normal" if series.percent else "tozero",
                                "tickformat": ",.1f" if series.percent else ",.0f"})
    return figure
