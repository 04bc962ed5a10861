"""The widgets every page repeats: headings, KPI cards, badges for grades, statuses and warning levels in the
palette's colours, indicator cards and traffic lights, tinted tables, download links and the common look of the
charts. Every value from config, imports or users reaches the screen escaped (dashboard/text.py).
"""

from __future__ import annotations

import re
import tempfile
import threading
import weakref
from contextlib import contextmanager
from html import unescape
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st
from plotly.basedatatypes import BaseFigure

from dashboard import downloads
from dashboard.text import esc, md, svg
from scorecard import formatting as fmt
from scorecard.report import palette
from scorecard.report.capacity import episode_columns
from scorecard.report.columns import Column, cells, number_headers, numbers
from scorecard.report.notes import DEMO_LABEL, result_notes
from scorecard.assessment.explain import actual_and_target, completion_and_pace
from scorecard.assessment.fund import LEVEL_NAMES
from scorecard.assessment.warning_duty import Episode
from scorecard.assessment.formulas import STATUS_NAMES
from scorecard.assessment.results import IndicatorResult, YearResult

DETAIL_MAX = 30   # units up to which a page gives each its own table row, bar and heatmap column
EDGE_ROWS = 10    # the first and the last units a page lists for more units than that
NAMES_MAX = 20    # names written out in a sentence or a tooltip before "等N个"
TICK_MAX = 12     # characters of a name on a chart axis
SHORT_CELL = 8    # characters of a table cell kept on one line (延边朝鲜族自治州)
PHONE_CHART, Y_AXIS = 358, 80   # px a chart is wide on a phone (390 less the page's padding), and a y axis
TITLE_BAND, LEGEND_ROW = 36, 22   # px of a chart's title, and of each row of its legend, above the plot
LEGEND_SYMBOL, LEGEND_CHAR = 44, 13   # px of a legend item's symbol and gap, and of each character of its name
FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
INK = "#1f2933"
RULE = "rgba(47, 45, 43, 0.1)"  # Streamlit's own table rules


# --- headings, cards and badges ----------------------------------------------------------

def heading(text: str, result: YearResult | None = None, demo: bool = False) -> None:
    """A section heading with the 预估/年终 badge of a result and the 演示数据 badge."""
    badges = []
    if result is not None:
        color = palette.OCHRE if result.provisional else palette.BLUE
        badges.append(badge_html(result.label, color))
        if result.publication:
            badges.append(badge_html("已发布", palette.GREEN))
    if demo or (result is not None and result.demo):
        badges.append(badge_html(DEMO_LABEL, palette.GREY))
    st.html(f'<h3 class="sc-heading">{esc(text)} {" ".join(badges)}</h3>')


def badge_html(text: str, color: str) -> str:
    return (f'<span class="sc-badge" style="color:{color};background:{palette.light(color)};'
            f'border-color:{color}">{esc(text)}</span>')


def status_badge(status: str) -> str:
    return badge_html(STATUS_NAMES[status], palette.STATUS_COLORS[status])


def level_badge(level: str | None) -> str:
    return badge_html(LEVEL_NAMES[level], palette.LEVEL_COLORS[level])


def download_link(label: str, offer: downloads.Offer, wide: bool = False) -> None:
    """A document to take away: a link drawn as a button (served by our own route to this session only,
    pages/downloads.py), or a disabled button with the reason written beside it."""
    width = " sc-wide" if wide else ""
    if offer.href:
        body = (f'<a class="sc-download{width}" href="{esc(offer.href)}" target="_self">'
                f'{esc(label)}</a>')
    else:
        body = (f'<button type="button" class="sc-download{width}" disabled>{esc(label)}</button>'
                f'<span class="sc-reason">{esc(offer.reason or "")}</span>')
    st.html(f'<div class="sc-offer">{body}</div>')


def kpi(column, label: str, value: str, help: str | None = None) -> None:
    """A card; its label, value and help are plain text (st.metric draws each as Markdown)."""
    with column:
        st.metric(md(label), md(value), help=None if help is None else md(help), border=True)


def kpi_row(cards: list[tuple]) -> None:
    """(label, value[, help]) cards side by side."""
    for column, card in zip(st.columns(len(cards)), cards):
        kpi(column, *card)


def indicator_card(indicator: IndicatorResult, month: int, footer: str = "") -> None:
    """One indicator of a city's contract: target, actual to date, completion, schedule and status; `footer` is
    HTML drawn under them (its values escaped by the caller: the trend, dashboard/trends.py)."""
    i = indicator
    (actual, target), (completion, pace) = actual_and_target(i), completion_and_pace(i)
    rows = [("目标", target), (f"截至{month}月实际", actual), ("完成率", completion), ("序时进度", pace or "按全年目标考核")]
    if i.needed_per_month is not None:
        rows.append(("剩余月份月均需完成",
                     fmt.quantity(i.needed_per_month, i.unit) if i.needed_per_month > 0 else "已完成全年目标"))
    if i.missing_months:
        rows.append(("缺报月份", "、".join(f"{m}月" for m in i.missing_months)))
    cells = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    with st.container(border=True):
        st.html(f'<div class="sc-card"><div class="sc-card-title">{esc(i.name)}</div>'
                f'{status_badge(i.status)}<dl>{cells}</dl>{footer}</div>')


def lights(items: list[tuple[str, str, str | None, list[str]]]) -> None:
    """A traffic light per unit: (name, value, warning level, badges as HTML) as small tiles in the level's colour."""
    tiles = "".join(
        f'<div class="sc-light" style="border-color:{palette.LEVEL_COLORS[level]};'
        f'background:{palette.light(palette.LEVEL_COLORS[level])}">'
        f'<span class="sc-dot" style="background:{palette.LEVEL_COLORS[level]}"></span>'
        f'<b>{esc(name)}</b><span class="sc-light-value">{esc(value)}</span>'
        f'{level_badge(level)}{"".join(badges)}</div>'
        for name, value, level, badges in items)
    st.html(f'<div class="sc-lights">{tiles}</div>')


def episodes_table(episodes: list[Episode], details: bool = True) -> None:
    """Runs of red months and whether each was reported in time (按规定报告 / 未按规定报告 / 报告期限未到)."""
    columns_table(episode_columns(dates=details), episodes,
                  colors={"报告情况": [palette.DUTY_COLORS[e.duty] for e in episodes]})


def words(sentences: list[str], conclusion: str) -> None:
    """A calculation in words: one numbered sentence per step, then the conclusion."""
    items = "".join(f"<li>{esc(s)}</li>" for s in sentences)
    st.html(f'<ol class="sc-words">{items}</ol><p class="sc-conclusion">{esc(conclusion)}</p>')


def summary_lines(sentences: list[str]) -> None:
    """The sentences of report.summary that say what the result is as a whole, as paragraphs."""
    st.html('<div class="sc-summary">' + "".join(f"<p>{esc(s)}</p>" for s in sentences) + "</div>")


def as_of_note(result, as_of: int | None, what: str) -> None:
    """Says that `what` is drawn from the data the result shown was made of (reads.shown_as_of), when later
    imports exist."""
    if as_of is not None:
        st.caption(f"{what}按{'发布' if result.publication else '所选'}时的数据（截至第{as_of}次导入）计算，与本页的"
                   "结果一致；此后导入的数据不计入。")


def footnotes(result: YearResult) -> None:
    """The notes under a result (provisional, demo data: report.notes), one caption each."""
    for note in result_notes(result):
        st.caption("注：" + note)


def city_label(city) -> str:
    return city.short or city.name


# --- tables and charts ---------------------------------------------------------------------

def table(rows: list[dict], colors: dict[str, list] | None = None, right: tuple[str, ...] = ()) -> None:
    """A static, printable table, its cells plain text (st.html; st.table would draw them as Markdown).
    `colors` tints cells (column → a palette colour or None per row); `right` aligns columns of figures to the
    right, as are numbers."""
    if not rows:
        st.caption("（无）")
        return
    st.html(table_html(rows, colors, right))


def table_html(rows: list[dict], colors: dict[str, list] | None = None, right: tuple[str, ...] = ()) -> str:
    """The HTML of a `table` of `rows` (at least one)."""
    columns = list(dict.fromkeys(c for row in rows for c in row))
    shades = {c: (colors or {}).get(c) or [None] * len(rows) for c in columns}
    head = "".join(f"<th{_classes('sc-short' if _short(c) else '')}><div>{esc(c)}</div></th>" for c in columns)
    body = "".join("<tr>" + "".join(_cell(row.get(c), shades[c][k], c in right) for c in columns) + "</tr>"
                   for k, row in enumerate(rows))
    return f'<div class="sc-table"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _short(value) -> bool:
    """A cell of a few characters (a name, a grade, a figure) is never broken: on a phone the table scrolls
    sideways instead of writing 松原市 one character a line."""
    return value is not None and len(str(value)) <= SHORT_CELL


def _classes(*names: str) -> str:
    names = [name for name in names if name]
    return f' class="{" ".join(names)}"' if names else ""


def _cell(value, color: str | None, right: bool) -> str:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    classes = _classes("sc-right" if right or number else "", "sc-short" if _short(value) else "")
    tint = f' style="background-color:{palette.light(color)};color:{color};font-weight:600"' if color else ""
    return f"<td{classes}{tint}><div>{'' if value is None else esc(value)}</div></td>"


def columns_table(columns: list[Column], items, colors: dict[str, list] | None = None) -> None:
    """A `table` of report columns (scorecard/report/columns.py): their headers, their texts, figures to the right."""
    table([cells(columns, item) for item in items], colors=colors,
          right=tuple(column.header for column in columns if column.align == "R"))


def columns_tables_html(parts: list[tuple[str, list, dict[str, list] | None]], columns: list[Column]) -> str:
    """`columns_table`s side by side, each under its title — (title, items, colors) —, as one fragment (st.html): on
    a phone one under another, as st.columns stack (one element to draw instead of a row of columns, headings and
    tables)."""
    right = tuple(column.header for column in columns if column.align == "R")
    return ('<div class="sc-side">' + "".join(
        f'<div><h3 class="sc-subheading">{esc(title)}</h3>'
        f'{table_html([cells(columns, item) for item in items], colors, right)}</div>'
        for title, items, colors in parts) + "</div>")


def columns_grid(columns: list[Column], items, key: str, search: tuple[str, ...], of: tuple = ()) -> list[dict]:
    """A `long_table` of report columns, points kept as numbers so that they sort as numbers; with `of` (as `chart`
    takes it: the owner of the items and the columns) the rows, and the table st.dataframe sends of them all, are
    made once for as long as the owner lives."""
    def make() -> list[dict]:
        return [numbers(columns, item) for item in items]

    def make_with_table() -> tuple[list[dict], object]:
        rows = make()
        return rows, arrow_table(rows)

    rows, whole = kept(of[0], of[1:], make_with_table) if of else (make(), None)
    return long_table(rows, key=key, search=search, points=number_headers(columns), whole=whole)


def long_table(rows: list[dict], key: str, search: tuple[str, ...], points: tuple[str, ...] = (),
               height: int = 420, whole=None) -> list[dict]:
    """Rows too many to print, e.g. every unit of a national roll-up: a search box over the `search` columns
    and the rows found in a scrolling, sortable grid (st.dataframe draws only the rows in view). `points`
    columns hold numbers, shown with two decimals and sorted as numbers; `whole`, the `arrow_table` of all the
    rows if made already (drawn while nothing is searched). Returns the rows found."""
    query = st.text_input("查找", key=f"_find_{key}", placeholder=f"按{'或'.join(search)}查找，输入其中一部分即可")
    words = query.split()
    found = [r for r in rows if all(any(w in str(r[c]) for c in search) for w in words)] if words else rows
    if not found:
        st.caption(f"没有找到“{md(query.strip())}”。")
        return found
    st.dataframe(whole if whole is not None and not words else arrow_table(found), hide_index=True,
                 height=grid_height(len(found), height),
                 column_config={c: st.column_config.NumberColumn(format="%.2f") for c in points})
    st.caption(f"找到{len(found)}个，共{len(rows)}个。点列名可排序。" if words else f"共{len(rows)}个。点列名可排序。")
    return found


def arrow_table(rows: list[dict]):
    """`rows` as the Arrow table st.dataframe sends (Streamlit's own conversion of their DataFrame): made once, it
    is sent as it is on each run; pandas is imported only for a page with a grid."""
    import pandas as pd
    from streamlit.dataframe_util import convert_pandas_df_to_arrow_table

    return convert_pandas_df_to_arrow_table(pd.DataFrame(rows))


def grid_height(rows: int, most: int) -> int:
    """The height of an st.dataframe of `rows` rows: as tall as they are (no blank rows under them), at most `most`."""
    return min(most, 38 + 35 * max(rows, 1))


def names_text(names: list[str]) -> str:
    """长春市、吉林市 — or, for many, the first NAMES_MAX and 等N个."""
    if len(names) <= NAMES_MAX:
        return "、".join(names)
    return "、".join(names[:NAMES_MAX]) + f"等{len(names)}个"


def kept(owner, key: tuple, make):
    """What `make()` makes of `owner` (e.g. a chart of a YearResult), made once and shared by every run and session
    for as long as `owner` lives — the reads' caches keep a result while its source is unchanged, and a new import,
    config or decision gives a new one. `key` says which of the things made of `owner` it is, with whatever else
    `make` depends on (a choice on the page): `make` must depend on nothing but `owner` and `key`."""
    with _KEPT_LOCK:
        entries = _KEPT.get(id(owner))
        if entries is not None and key in entries:
            return entries[key]
    made = make()
    with _KEPT_LOCK:
        entries = _KEPT.get(id(owner))
        if entries is None:
            entries = _KEPT[id(owner)] = {}
            weakref.finalize(owner, _KEPT.pop, id(owner), None)  # gone with its owner (before its id is reused)
        return entries.setdefault(key, made)


_KEPT: dict[int, dict[tuple, object]] = {}  # id of an owner that is alive → key → what was made of it
_KEPT_LOCK = threading.Lock()


def chart(figure, height: int = 380, file_name: str | None = None, of: tuple = ()) -> None:
    """Plotly with the sober, printable look: white background, CJK font, and of the tool bar only the button that
    saves the chart as a PNG (drawn in the browser, named `file_name` or the title); a legend under the title with
    room for the rows it takes on a phone, bar labels that would be too small there left out.
    `figure` is a figure, or with `of` — (owner, what of it) as `kept` takes them — a function making it: then it
    is made and given its look once for as long as the owner lives (building and styling a plotly figure costs
    tens of milliseconds; st.plotly_chart copies a figure into a dict on every run, a kept one hands over its dict
    made once: `Spec`)."""
    if of:
        figure, name = kept(of[0], (*of[1:], height), lambda: Spec.of(_look(figure(), height)))
    else:
        figure = _look(figure, height)
        name = image_name(figure)
    config = {"modeBarButtons": [["toImage"]], "displaylogo": False, "scrollZoom": False, "locale": "zh-CN",
              "toImageButtonOptions": {"format": "png", "scale": 2, "filename": file_name or name}}
    st.plotly_chart(figure, theme=None, config=config)


class Spec(BaseFigure):
    """A finished figure as its dict (what st.plotly_chart sends), made once: st.plotly_chart takes a plotly figure
    and asks it for its dict on each run — for a go.Figure a deep copy of every trace and of the template, arrays
    converted (the map's outlines: most of the page's run) —; this one hands over the dict it holds, shared by
    every run and session and never changed (st.plotly_chart only reads it, into JSON). Nothing is validated
    again: the figure was, when it was built."""

    def __init__(self, spec: dict):  # BaseFigure's own __init__ (validating a figure) is not wanted here
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec

    @classmethod
    def of(cls, figure: go.Figure) -> tuple[Spec, str]:
        """`figure` as a Spec, with the name of its PNG (`image_name`)."""
        return cls(figure.to_dict()), image_name(figure)


def _look(figure: go.Figure, height: int) -> go.Figure:
    """`figure` given the look `chart` describes, `height` px tall."""
    margin = {"l": 10, "r": 10, "t": 50, "b": 10}
    margin.update(figure.layout.margin.to_plotly_json())  # what the page set wins
    rows = _legend_rows(figure, margin)
    if rows:  # the title on top, the legend under it: room for the rows it takes on a phone
        margin["t"] = max(margin["t"], TITLE_BAND + LEGEND_ROW * rows)
        if figure.layout.title.y is None:
            figure.update_layout(title={"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 10}})
    figure.update_layout(template="simple_white", height=height, font={"family": FONT, "size": 13, "color": INK},
                         margin=margin, title={"font": {"size": 15}, "x": 0.01},
                         legend={"orientation": "h", "yref": "container", "y": 1 - TITLE_BAND / height,
                                 "yanchor": "top", "xanchor": "left", "x": 0},
                         hoverlabel={"font": {"family": FONT}},
                         uniformtext={"minsize": 10, "mode": "hide"})
    _short_ticks(figure)
    return figure


def image_name(figure: go.Figure) -> str:
    """A chart's PNG is named by its title's first line, without its markup: 总分（颜色为等次）."""
    title = figure.layout.title.text or "图表"
    return re.sub(r"<[^>]+>", "", unescape(title.split("<br>")[0])).strip() or "图表"


def _legend_rows(figure: go.Figure, margin: dict) -> int:
    """The rows a legend takes above the plot (as wide as the plot) on a phone, none without a legend: the server
    cannot know the width, so the top margin is made for the narrowest."""
    names = [unescape(trace.name) for trace in figure.data if trace.name and trace.showlegend is not False]
    if figure.layout.showlegend is False or (len(names) < 2 and not figure.layout.showlegend):
        return 0
    axes = 1 + any(getattr(trace, "yaxis", None) not in (None, "y") for trace in figure.data)
    plot = PHONE_CHART - margin["l"] - margin["r"] - Y_AXIS * axes
    rows, left = 1, plot
    for name in names:
        width = LEGEND_SYMBOL + LEGEND_CHAR * len(name)
        if width > left and left < plot:
            rows, left = rows + 1, plot
        left -= width
    return rows


def _short_ticks(figure: go.Figure) -> None:
    """Names longer than TICK_MAX (no real city's is) are cut on the axes, so that they leave room for the
    plot; the hover label has them in full."""
    for axis in ("x", "y"):
        names = list(dict.fromkeys(v for trace in figure.data for v in (getattr(trace, axis, None) or ())
                                   if isinstance(v, str)))
        cut = [_cut(name) for name in names]
        if cut != names:
            figure.update_layout({f"{axis}axis": {"tickvals": names, "ticktext": cut}})


def _cut(name: str) -> str:
    """A name escaped for plotly (svg), cut to TICK_MAX characters."""
    text = unescape(name)
    return name if len(text) <= TICK_MAX else svg(text[:TICK_MAX - 1] + "…")


def line_at(figure: go.Figure, y: float, text: str, color: str) -> None:
    """A reference line (warning line, grade threshold) above the bars, labelled in the right margin."""
    figure.add_hline(y=y, line_dash="dash", line_color=color, line_width=2, layer="above")
    figure.add_annotation(x=1, xref="paper", xanchor="left", y=y, yanchor="middle", text=text, showarrow=False,
                          font={"color": color, "size": 12})
    figure.update_layout(margin={"r": 90})


def bars(labels: list[str], values: list, colors: list[str], texts: list[str], hover: str,
         solid: list[bool] | None = None) -> go.Figure:
    """Bars tinted with their palette colour and outlined in it, labelled above, so a printout saves ink;
    `solid` fills the bars that need attention (e.g. cities below the warning line) in full colour.
    A missing value (None) draws no bar, only its text at the axis. In `hover`, %{customdata} is the label in
    full (the axis may cut it)."""
    fills = [c if solid and solid[k] else palette.light(c) for k, c in enumerate(colors)]
    shown = [svg(label) for label in labels]
    return go.Figure(go.Bar(x=shown, customdata=shown, y=[0 if v is None else v for v in values],
                            width=0.3 if len(labels) < 3 else None,  # one city's bar (a 市州 user) stays a bar
                            marker={"color": fills, "line": {"color": colors, "width": 2}},
                            text=texts, textposition="outside", cliponaxis=False, hovertemplate=hover))


def legend_text(items: dict[str, str]) -> str:
    """A legend written into a chart title: ■达到序时进度 ■落后 …, each square in its colour."""
    return "　".join(f'<span style="color:{color}">■</span>{svg(name)}' for name, color in items.items())


STYLE = f"""
<style>
/* st.html fragments: negative bottom margins where st.markdown's container had its -1rem */
.sc-badge {{display:inline-block; padding:0.05em 0.55em; margin:0 0.15em; border:1px solid; border-radius:0.3em;
            font-size:0.8rem; font-weight:600; line-height:1.5; vertical-align:middle; white-space:nowrap}}
h1 {{font-size:2rem !important; padding-top:0 !important}}
h3 {{font-size:1.2rem !important}}
.stMainBlockContainer {{padding-top:3.5rem !important}}
h3.sc-heading {{font-size:1.45rem !important; font-weight:600; line-height:1.2; letter-spacing:-0.005em;
               margin:0.6rem 0 -1rem; padding:0.75rem 0 1rem}}
.sc-card {{padding-bottom:0.6rem; margin-bottom:-1rem}}
.sc-card dl {{padding:0 !important; display:grid; grid-template-columns:auto 1fr; gap:0.15rem 0.6rem; margin:0.4rem 0 0; font-size:0.9rem}}
.sc-card dt {{color:{palette.GREY}; font-weight:400}}
.sc-card dd {{margin:0; text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap}}
[data-testid="stMetricValue"] {{font-size:1.6rem !important}}
.sc-card .sc-card-title {{font-weight:600; font-size:1.02rem}}
.sc-words {{padding-left:0 !important; margin:0 0 1rem}}
.sc-words li {{margin:0.2rem 0 0.35rem 1.15rem; padding-left:0.3rem}}
.sc-lights {{display:flex; flex-wrap:wrap; gap:0.5rem; margin:0.3rem 0 -0.2rem}}
.sc-light {{display:flex; align-items:center; gap:0.4rem; padding:0.35rem 0.7rem; border:1px solid;
            border-left-width:5px; border-radius:0.35rem; font-size:0.92rem; white-space:nowrap}}
.sc-dot {{display:inline-block; width:0.75rem; height:0.75rem; border-radius:50%}}
.sc-light-value {{font-variant-numeric:tabular-nums}}
.sc-conclusion {{font-weight:600; margin-bottom:0}}
.sc-summary {{margin:0.2rem 0 -0.6rem; line-height:1.6}}
.sc-summary p {{margin:0 0 0.3rem}}
.sc-side {{display:grid; grid-template-columns:repeat(auto-fit, minmax(min(100%, 20rem), 1fr)); gap:1rem}}
@media (max-width: 640px) {{.sc-side {{grid-template-columns:1fr}}}}
.sc-side > div {{min-width:0}}
h3.sc-subheading {{font-weight:600; line-height:1.2; margin:0; padding:0.75rem 0 1rem}}
.sc-table {{overflow:auto; border:1px solid {RULE}; border-radius:8px; font-size:14px; line-height:21px}}
.sc-table table {{width:100%; border-collapse:separate; border-spacing:0}}
.sc-table th, .sc-table td {{padding:4px 6px; white-space:nowrap; vertical-align:middle; text-align:start;
                            border-bottom:1px solid {RULE}; border-right:1px solid {RULE}}}
.sc-table th {{padding-left:8px; font-weight:400; color:rgba(47, 45, 43, 0.7)}}
.sc-table tr:last-child td {{border-bottom:0}}
.sc-table th:last-child, .sc-table td:last-child {{border-right:0}}
.sc-table td.sc-right {{text-align:right}}
.sc-table th > div, .sc-table td > div {{display:inline-block; max-width:25rem; white-space:normal; vertical-align:top}}
.sc-table .sc-short > div, .sc-table td.sc-right > div {{white-space:nowrap}}
.sc-user {{position:fixed; top:0.85rem; right:4rem; z-index:1000000; font-size:0.85rem; color:{palette.GREY};
           background:white; padding:0.1rem 0.4rem}}
.sc-user a {{margin-left:0.6rem; color:#244fb4}}  /* Streamlit's link colour */
.sc-who {{display:inline-block; max-width:60vw; overflow:hidden; text-overflow:ellipsis; white-space:nowrap;
          vertical-align:bottom}}
.sc-offer {{display:flex; flex-direction:column; align-items:flex-start; gap:0.25rem}}
.sc-download {{display:inline-flex; align-items:center; justify-content:center; min-height:2.5rem;
               padding:0.25rem 0.75rem; box-sizing:border-box; border:1px solid rgba(49,51,63,0.2);
               border-radius:0.5rem; background:white; color:{INK}; font:inherit; font-size:1rem; line-height:1.6;
               text-decoration:none !important}}
a.sc-download:hover {{border-color:{palette.BLUE}; color:{palette.BLUE}}}
button.sc-download:disabled {{color:rgba(49,51,63,0.4); background:rgba(240,242,246,0.6); cursor:not-allowed}}
.sc-download.sc-wide {{width:100%}}
.sc-offer:has(.sc-wide) {{align-items:stretch}}
.sc-reason {{font-size:0.85rem; color:#5f6b7a}}
.sc-chart {{font-size:13px; color:{INK}; line-height:1.3}}
.sc-chart-title {{font-size:15px; margin:0.2rem 0 0.3rem}}
.sc-legend {{display:flex; flex-wrap:wrap; gap:0.1rem 1rem; font-size:13px; margin:0 0 0.6rem 1rem}}
.sc-legend i {{display:inline-block; width:0.8rem; height:0.8rem; margin-right:0.35rem; vertical-align:-0.1rem;
              border:1px solid; box-sizing:border-box}}
.sc-hgrid {{display:grid; grid-template-columns:max-content 1fr; align-items:center; row-gap:4px}}
.sc-hlabel {{padding-right:0.4rem; text-align:right; white-space:nowrap}}
.sc-hbar {{display:flex; height:1.75rem; border-left:1px solid {INK}; container-type:inline-size}}
/* a segment's count is written where it fits (--w: its share of the bar, --n: its digits), else its size is 0 */
.sc-hbar span {{display:flex; align-items:center; justify-content:center; overflow:hidden; box-sizing:border-box;
               border-right:1px solid white; font-size:clamp(0px, calc((var(--w) * 100cqw - var(--n) * 7px - 6px) * 1000), 12px)}}
.sc-haxis {{position:relative; height:1.4rem; border-top:1px solid {INK}; font-size:12px}}
.sc-haxis span {{position:absolute; top:0.15rem; transform:translateX(-50%); white-space:nowrap}}
.sc-axis-title {{text-align:center; margin-top:0.2rem}}
.sc-vplot {{display:flex}}
.sc-vplot .sc-haxis {{flex:1}}
.sc-vaxis {{flex:0 0 3.2rem; position:relative; font-size:12px}}
.sc-vaxis b {{position:absolute; top:50%; left:0; font-weight:400; writing-mode:vertical-rl; transform:translateY(-50%)}}
.sc-vaxis span {{position:absolute; right:0.4rem; transform:translateY(50%)}}
.sc-vbars {{flex:1; position:relative; display:flex; align-items:flex-end; height:18rem; margin-top:1.4rem;
            border-left:1px solid {INK}}}
.sc-vcol {{display:flex; flex-direction:column-reverse; height:100%; padding:0 0.5px; box-sizing:border-box}}
.sc-vcol > span {{display:block; border:1px solid; box-sizing:border-box; min-height:1px}}
.sc-vmark {{position:absolute; top:-1.4rem; bottom:0; border-left:1px dashed {palette.GREY}; pointer-events:none}}
.sc-vmark span {{position:absolute; top:0; right:0.2rem; font-size:11px; color:{palette.GREY}; white-space:nowrap}}
/* dashboard/drawn.py: the totals' bars, the indicators' grid, the map */
.sc-bar-plot {{flex:1; position:relative; display:flex; height:20rem; margin-right:5.5rem;
               border-left:1px solid {INK}; border-bottom:1px solid {INK}}}
.sc-bar {{flex:1 1 0; min-width:0; display:flex; flex-direction:column; justify-content:flex-end; align-items:center;
          container-type:inline-size}}
/* a bar's text is written where it fits (--n: its longest line's width in half-width characters), else its size is 0 */
.sc-bar span {{font-size:clamp(0px, calc((100cqw - var(--n) * 6.5px - 2px) * 1000), 11px); line-height:1.2;
              text-align:center; white-space:nowrap; margin-bottom:2px}}
.sc-bar i {{display:block; width:60%; max-width:4rem; border:2px solid; border-bottom:0; box-sizing:border-box}}
.sc-bar:hover i {{filter:brightness(0.9)}}
.sc-mark {{position:absolute; left:0; right:0; border-top:2px dashed; pointer-events:none}}
.sc-mark span {{position:absolute; left:100%; padding-left:0.35rem; transform:translateY(-50%); font-size:12px;
               white-space:nowrap}}
.sc-bar-names {{flex:1; display:flex; margin-right:5.5rem; font-size:12px}}
.sc-bar-names span {{flex:1 1 0; min-width:0; padding-top:0.2rem; text-align:center; white-space:nowrap;
                     overflow:hidden; text-overflow:ellipsis}}
.sc-crowded .sc-bar-names span, .sc-crowded .sc-grid-x {{writing-mode:vertical-rl; text-overflow:clip;
                                                         display:flex; align-items:center; max-height:6rem}}
.sc-grid-cells {{display:grid; gap:2px}}
.sc-grid-x {{font-size:12px; text-align:center; white-space:nowrap; overflow:hidden; text-overflow:ellipsis;
             padding-bottom:0.15rem}}
.sc-grid-y {{display:flex; align-items:center; justify-content:flex-end; max-width:10rem; padding-right:0.4rem;
             font-size:12px; white-space:nowrap; overflow:hidden}}
.sc-cell {{display:flex; align-items:center; justify-content:center; height:1.9rem; min-width:0; overflow:hidden;
           container-type:inline-size; box-shadow:inset 0 0 0 1px {RULE}}}
/* a cell's text is written where it fits (--n: its width in half-width characters), else its size is 0 */
.sc-cell span {{white-space:nowrap; font-size:clamp(0px, calc((100cqw - var(--n) * 7px - 4px) * 1000), 12px)}}
.sc-drawn {{position:relative}}
.sc-drawn:has(.sc-map) {{max-width:38rem}}
.sc-map svg {{display:block; width:100%; height:auto; max-height:480px}}
.sc-clicks [data-unit] {{cursor:pointer}}
.sc-map.sc-clicks path:hover {{opacity:0.85}}
.sc-png {{position:absolute; top:0.1rem; right:0; padding:0.1rem 0.5rem; border:1px solid rgba(49,51,63,0.2);
          border-radius:0.4rem; background:white; color:{INK}; font:inherit; font-size:12px; cursor:pointer}}
.sc-png:hover {{border-color:{palette.BLUE}; color:{palette.BLUE}}}
/* Streamlit's own words are English and not configurable: the uploader's button and size line, the date
   inputs' yyyy/mm/dd placeholders; the text is hidden and Chinese drawn in its place (the labels give the limits) */
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span,
[data-testid="stDateInput"] [role="spinbutton"][data-placeholder="true"] {{font-size:0 !important}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{content:"选择文件"; font-size:14px}}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{content:"或将文件拖放到此处"; font-size:14px}}
[data-testid="stDateInput"] [role="spinbutton"][data-placeholder="true"]::after {{font-size:14px}}
[data-testid="stDateInput"] [data-type="year"][data-placeholder="true"]::after {{content:"年"}}
[data-testid="stDateInput"] [data-type="month"][data-placeholder="true"]::after {{content:"月"}}
[data-testid="stDateInput"] [data-type="day"][data-placeholder="true"]::after {{content:"日"}}
/* plotly's tool bar: only the button that saves a chart as a PNG, its English tooltip written over in Chinese */
.js-plotly-plot .plotly .modebar-btn[data-title]::after {{content:"下载图片（PNG）" !important}}
/* A phone (Streamlit stacks st.columns below 640 px): a column of text keeps a readable width and the table
   scrolls sideways in its box instead; a long table scrolls in a box of its own under its header; KPI cards
   two a row; the names under bars and over a grid's columns written downwards */
@media (max-width: 640px) {{
  .sc-table {{max-height:36rem}}
  .sc-table th > div, .sc-table td > div {{width:max-content; max-width:15rem}}
  .sc-table thead th {{position:sticky; top:0; z-index:1; background:white}}
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) > [data-testid="stColumn"] {{
    min-width:calc(50% - 0.5rem) !important}}
  [data-testid="stMetricValue"] {{font-size:1.35rem !important}}
  .sc-bar-names span, .sc-grid-x {{writing-mode:vertical-rl; text-overflow:clip; display:flex; align-items:center;
                                  max-height:6rem}}
  .sc-bar-plot, .sc-bar-names {{margin-right:4.5rem}}
  .sc-map svg g text {{font-size:14px}}
}}
@media print {{
  header, [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], .sc-user {{display:none !important}}
  .stMainBlockContainer {{padding-top:0 !important}}
  .sc-table {{max-height:none !important}}
}}
</style>
"""


def install_style() -> None:
    st.html(STYLE)


@contextmanager
def evidence_files(uploads):
    """Uploaded evidence as (path, file name as uploaded) pairs, written to a private temporary folder under
    made-up names (the name uploaded is data, never a path); the folder is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="scorecard-evidence-") as folder:
        evidence = []
        for index, upload in enumerate(uploads):
            path = Path(folder) / f"{index}.upload"
            path.write_bytes(upload.getvalue())
            evidence.append((path, upload.name))
        yield evidence
