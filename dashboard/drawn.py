"""Charts drawn by the server as HTML and SVG, not by plotly: the totals' bars, the indicators' grid and the map of
the province (全省排名, 基金预警), and for a national roll-up's many units the counts by total and by status.
Plotly's script is 4.7 MB that the browser fetches and evaluates before it draws the first chart (over a second of
a cold start); these are a few kilobytes of markup, laid out by the browser itself.

Each is shown by `show`: one small component (Streamlit's components v2, in the page, no frame) that writes the
chart's HTML, reports the unit clicked and saves the chart as a PNG, as drawn."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from dashboard.text import esc
from dashboard.widgets import FONT
from scorecard.formatting import display_width
from scorecard.report import geography, palette
from scorecard.report.geography import ProvinceMap

_SCRIPT = """
export default function ({ data, parentElement, setTriggerValue }) {
  let root = parentElement.querySelector(":scope > .sc-drawn");
  if (!root) {
    root = document.createElement("div");
    root.className = "sc-drawn";
    parentElement.appendChild(root);
  }
  if (root.drawnFrom !== data.html) {
    root.innerHTML = data.html + '<button class="sc-png" title="下载图片（PNG）">下载图片</button>';
    root.drawnFrom = data.html;
  }
  root.onclick = (event) => {
    if (event.target.closest(".sc-png")) {
      savePng(root.querySelector(".sc-chart"), data.file);
      return;
    }
    const unit = event.target.closest(".sc-clicks [data-unit]");
    if (unit) setTriggerValue("clicked", unit.dataset.unit);
  };
}

// The page's rules for these charts, which an image does not see.
function chartRules() {
  return [...document.styleSheets]
    .flatMap((sheet) => { try { return [...sheet.cssRules]; } catch { return []; } })
    .map((rule) => rule.cssText).filter((text) => text.includes(".sc-")).join("\\n");
}

// The chart as it is drawn, at twice its size: its HTML in an SVG image, onto a canvas.
function savePng(chart, name) {
  const pad = 12, scale = 2;
  const box = chart.getBoundingClientRect();
  const width = Math.ceil(box.width) + 2 * pad, height = Math.ceil(box.height) + 2 * pad;
  const copy = chart.cloneNode(true);
  copy.style.width = box.width + "px";
  const html = `<div xmlns="http://www.w3.org/1999/xhtml" style="padding:${pad}px;background:white;font-family:__FONT__">`
    + `<style>${chartRules()}</style>${new XMLSerializer().serializeToString(copy)}</div>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">`
    + `<foreignObject width="100%" height="100%">${html}</foreignObject></svg>`;
  const image = new Image();
  image.onload = () => {
    const canvas = document.createElement("canvas");
    canvas.width = width * scale;
    canvas.height = height * scale;
    const context = canvas.getContext("2d");
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    canvas.toBlob((blob) => {
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name + ".png";
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    }, "image/png");
  };
  image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
}
""".replace("__FONT__", FONT.replace('"', "'"))
_COMPONENT = st.components.v2.component("sc_drawn_chart", js=_SCRIPT, isolate_styles=False)


def show(html: str, key: str, file_name: str, codes: Sequence[str] = ()) -> str | None:
    """A chart of this module in the page, with a button saving it as a PNG named `file_name`; the code of the unit
    clicked (`data-unit` in a chart of class sc-clicks), if it is one of `codes` (the browser's word is checked: a
    code not drawn is no click)."""
    result = _COMPONENT(data={"html": html, "file": file_name}, key=key, on_clicked_change=lambda: None)
    code = getattr(result, "clicked", None)
    return code if isinstance(code, str) and code in codes else None


Part = tuple[str, int, str, str]   # (name, count, fill, ink) of one stacked segment: its colour, its count's


def count_bars(title: str, rows: list[tuple[str, list[Part]]], axis: str, unit: str = "个") -> str:
    """Horizontal bars stacked from counts, one per row: (label, parts), every row the same parts in the same
    order; each part in its colour, its count written inside where it has room (CSS: the bar's width, known only
    in the browser) and in the hover label; the legend under the title. For a national roll-up's many units."""
    most = max((sum(part[1] for part in parts) for _, parts in rows), default=0) or 1
    lines = []
    for label, parts in rows:
        segments = "".join(
            f'<span style="width:{100 * count / most:.3f}%;--w:{count / most:.4f};--n:{len(str(count))};'
            f'background:{fill};color:{ink}" title="{esc(label)}：{esc(name)}{count}{unit}">{count}</span>'
            for name, count, fill, ink in parts if count)
        lines.append(f'<div class="sc-hlabel" title="{esc(label)}">{esc(label)}</div><div class="sc-hbar">{segments}</div>')
    ticks = "".join(f'<span style="left:{100 * t / most:.3f}%">{t:,}</span>' for t in nice_ticks(most))
    return (f'<div class="sc-chart">{chart_head(title, rows[0][1] if rows else [])}<div class="sc-hgrid">{"".join(lines)}'
            f'<div></div><div class="sc-haxis">{ticks}</div><div></div><div class="sc-axis-title">{esc(axis)}</div>'
            '</div></div>')


def count_columns(title: str, start: float, size: float, series: list[tuple[str, list[float], str]],
                  marks: list[tuple[float, str]], axis: str, counts_axis: str, unit: str = "个") -> str | None:
    """A histogram drawn as HTML: values counted in bins of `size` from `start`, one column per bin stacked by
    series — (name, values, colour): tinted, outlined in the colour, each segment's bin and count in its hover
    label —, dashed vertical lines at `marks` (x, text), the legend under the title; None without any value."""
    values = [v for _, vs, _ in series for v in vs]
    if not values:
        return None
    lines_at = [x for x, _ in marks]
    first = int((min(values + lines_at) - start) // size)  # the lines stay in view, as plotly draws them
    end = max(int((max(values) - start) // size) + 1, -int(-(max(lines_at, default=start) - start) // size))
    bins = range(first, end)
    low, high = start + first * size, start + end * size
    counts = [[sum(1 for v in vs if int((v - start) // size) == b) for b in bins] for _, vs, _ in series]
    most = max(sum(column) for column in zip(*counts)) or 1
    width = 100 / len(bins)
    columns = []
    for k, b in enumerate(bins):
        lo = start + b * size
        segments = "".join(
            f'<span style="height:{100 * counts[s][k] / most:.3f}%;background:{palette.light(color)};'
            f'border-color:{color}" title="{esc(name)}：{lo:g}—{lo + size:g}分，{counts[s][k]}{unit}"></span>'
            for s, (name, _, color) in enumerate(series) if counts[s][k])
        columns.append(f'<div class="sc-vcol" style="width:{width:.3f}%">{segments}</div>')
    span = high - low
    lines = "".join(f'<div class="sc-vmark" style="left:{100 * (x - low) / span:.3f}%"><span>{esc(text)}</span></div>'
                    for x, text in marks)
    x_ticks = "".join(f'<span style="left:{100 * (t - low) / span:.3f}%">{t:g}</span>'
                      for t in range(int(-(-low // 10) * 10), int(high) + 1, 10))
    y_ticks = "".join(f'<span style="bottom:{100 * t / most:.3f}%">{t:,}</span>' for t in nice_ticks(most))
    legend = [(f"{name}（{len(vs)}{unit}）", len(vs), palette.light(color), color) for name, vs, color in series]
    return (f'<div class="sc-chart">{chart_head(title, legend)}'
            f'<div class="sc-vplot"><div class="sc-vaxis"><b>{esc(counts_axis)}</b>{y_ticks}</div>'
            f'<div class="sc-vbars">{"".join(columns)}{lines}</div></div>'
            f'<div class="sc-vplot"><div class="sc-vaxis"></div><div class="sc-haxis">{x_ticks}</div></div>'
            f'<div class="sc-axis-title">{esc(axis)}</div></div>')


def chart_head(title: str, parts: list[Part]) -> str:
    """The title, and under it the legend: a square in each part's colour and its name."""
    keys = "".join(f'<span><i style="background:{fill};border-color:{ink if fill == palette.light(ink) else fill}">'
                   f'</i>{esc(name)}</span>' for name, _, fill, ink in parts)
    return f'<div class="sc-chart-title">{esc(title)}</div><div class="sc-legend">{keys}</div>'


def nice_ticks(most: float) -> list[int]:
    """0 and a few round steps up to `most` (1, 2 or 5 times a power of ten), as an axis has them."""
    raw = max(most / 5, 1)
    power = 10 ** (len(str(int(raw))) - 1)
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return list(range(0, int(most) + 1, int(step)))


CROWDED = 12   # columns (bars, a grid's units) beyond which their names are written downwards


def _crowded(columns: int) -> str:
    return " sc-crowded" if columns > CROWDED else ""


@dataclass(frozen=True)
class Bar:
    code: str        # data-unit: what a click reports
    label: str       # under the bar
    value: float
    color: str       # outline; the bar is tinted with it
    text: str        # above the bar, lines joined by "\n"
    hover: str


def bars(title: str, shown: list[Bar], marks: list[tuple[float, str, str]], top: float, axis: str) -> str:
    """Vertical bars from 0 to `top`, tinted and outlined in their colour (a printout saves ink), labelled above,
    dashed lines at `marks` — (value, text, colour) — labelled in the right margin; a bar's text where it fits
    (CSS), the names vertical where there are many (or on a phone)."""
    columns = "".join(
        f'<div class="sc-bar" data-unit="{esc(b.code)}" title="{esc(b.hover)}">'
        f'<span style="--n:{max(map(display_width, b.text.split(chr(10))))}">{esc(b.text).replace(chr(10), "<br>")}</span>'
        f'<i style="height:{100 * max(b.value, 0) / top:.3f}%;background:{palette.light(b.color)};border-color:{b.color}"></i>'
        '</div>' for b in shown)
    lines = "".join(f'<div class="sc-mark" style="bottom:{100 * value / top:.3f}%;border-color:{color}">'
                    f'<span style="color:{color}">{esc(text)}</span></div>' for value, text, color in marks)
    ticks = "".join(f'<span style="bottom:{100 * t / top:.3f}%">{t:g}</span>' for t in nice_ticks(top))
    names = "".join(f'<span title="{esc(b.label)}">{esc(b.label)}</span>' for b in shown)
    return (f'<div class="sc-chart sc-bars sc-clicks{_crowded(len(shown))}"><div class="sc-chart-title">{esc(title)}</div>'
            f'<div class="sc-vplot"><div class="sc-vaxis"><b>{esc(axis)}</b>{ticks}</div>'
            f'<div class="sc-bar-plot">{columns}{lines}</div></div>'
            f'<div class="sc-vplot"><div class="sc-vaxis"></div><div class="sc-bar-names">{names}</div></div></div>')


@dataclass(frozen=True)
class Cell:
    text: str
    fill: str
    ink: str
    hover: str       # lines joined by "\n"


def grid(title: str, legend: list[Part], columns: list[str], rows: list[tuple[str, list[Cell]]]) -> str:
    """A grid of coloured cells: `rows` of (name, a cell per column), the columns named on top; each cell's text
    written where it fits (CSS: its width, known only in the browser), else its colour alone (its hover has it)."""
    head = '<div></div>' + "".join(f'<div class="sc-grid-x" title="{esc(name)}">{esc(name)}</div>' for name in columns)
    body = "".join(
        f'<div class="sc-grid-y" title="{esc(name)}">{esc(name)}</div>' + "".join(
            f'<div class="sc-cell" style="background:{c.fill};color:{c.ink};--n:{display_width(c.text)}" title="{esc(c.hover)}">'
            f'<span>{esc(c.text)}</span></div>' for c in cells) for name, cells in rows)
    return (f'<div class="sc-chart sc-grid{_crowded(len(columns))}">{chart_head(title, legend)}'
            f'<div class="sc-grid-cells" style="grid-template-columns:minmax(0,max-content) repeat({len(columns)},minmax(0,1fr))">'
            f'{head}{body}</div></div>')


MAP_WIDTH = 600          # the map's SVG units across; its height follows the province's shape


def province_map(province: ProvinceMap, clicks: bool) -> str:
    """Each unit an outline filled in its colour, named (the small ones in the hover label only), under the title and
    the legend. With `clicks`, a click on a unit reports its code."""
    shapes = province.boundaries.shapes
    drawn = province.drawn()
    rings = {a.code: geography.rings(shapes[a.code]) for a in drawn}
    every = [ring for of_unit in rings.values() for ring in of_unit]
    west, east = min(x for ring in every for x, _ in ring), max(x for ring in every for x, _ in ring)
    south, north = min(y for ring in every for _, y in ring), max(y for ring in every for _, y in ring)
    scale = MAP_WIDTH / (east - west)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) * scale, (north - lat) * geography.ASPECT * scale

    areas, names = [], []
    for a in drawn:
        unit = f'data-unit="{esc(a.code)}"'
        path = " ".join("M" + " L".join("{:.1f},{:.1f}".format(*xy(lon, lat)) for lon, lat in ring) + "Z"
                        for ring in rings[a.code])
        areas.append(f'<path {unit} d="{path}" fill="{a.color}"><title>{esc(a.hover)}</title></path>')
        if province.labelled(a):
            name, value = province.label(a)
            x, y = xy(*shapes[a.code].label)
            under = f'<tspan x="{x:.1f}" dy="1.25em">{esc(value)}</tspan>' if value else ""
            names.append(f'<text {unit} x="{x:.1f}" y="{y:.1f}" fill="{a.ink}"><title>{esc(a.hover)}</title>'
                         f'<tspan font-weight="bold">{esc(name)}</tspan>{under}</text>')
    height = (north - south) * geography.ASPECT * scale
    head = chart_head(province.title, [(name, 0, color, color) for name, color in province.legend.items()])
    return (f'<div class="sc-chart sc-map{" sc-clicks" if clicks else ""}">{head}'
            f'<svg viewBox="0 0 {MAP_WIDTH} {height:.0f}" preserveAspectRatio="xMinYMin meet" role="img" '
            f'aria-label="{esc(province.title)}"><g stroke="white" stroke-width="1.2" fill-rule="evenodd">'
            f'{"".join(areas)}</g><g text-anchor="middle" dominant-baseline="middle" font-size="11">{"".join(names)}'
            '</g></svg></div>')

