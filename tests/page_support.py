"""Reading a page drawn in Streamlit's AppTest: switching pages, finding tables, cards, texts and charts.

Texts are read as a person sees them: a Markdown source without the escapes that keep names literal
(pages/text.py md), an HTML fragment (st.html) without its tags."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pandas as pd

from dashboard.text import JOINER

MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
INTEGER = re.compile(r"-?\d+")


def shown(markdown: str) -> str:
    """What a Markdown source written with dashboard.text.md reads as."""
    return MARKDOWN_ESCAPE.sub(r"\1", markdown).replace(JOINER, "")


class _Html(HTMLParser):
    """The text of an HTML fragment, and the cells of its tables."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None
        elif tag in ("li", "p", "dd", "tr", "h3", "div"):
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)
        if self._cell is not None:
            self._cell.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def html_text(markup: str) -> str:
    return _Html(markup).text


def _frame(rows: list[list[str]]) -> pd.DataFrame:
    """A table as st.table had it: the header, then the rows; columns of whole numbers as numbers."""
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    for column in frame.columns:
        if len(frame) and all(INTEGER.fullmatch(v) for v in frame[column]):
            frame[column] = frame[column].astype(int)
    return frame


def tables(app) -> list[pd.DataFrame]:
    """The tables a page drew with widgets.table, in order."""
    return [_frame(rows) for fragment in app.html if 'class="sc-table"' in fragment.value
            for rows in _Html(fragment.value).tables]


def goto(app, page: str):
    app.switch_page(f"pages/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def table_with(app, column: str):
    """The first table that has this column, as a DataFrame."""
    for table in tables(app):
        if column in table.columns:
            return table
    raise AssertionError(f"no table with column {column}")


def metric(app, label: str) -> str:
    return next(shown(m.value) for m in app.metric if shown(m.label) == label)


def metric_labels(app) -> list[str]:
    return [shown(m.label) for m in app.metric]


def page_text(app) -> str:
    parts = [shown(str(e.value)) for kind in ("title", "markdown", "caption", "info", "warning", "error", "success",
                                              "subheader") for e in getattr(app, kind)]
    parts += [html_text(fragment.value) for fragment in app.html]
    return "\n".join(parts)


def charts(app) -> list[dict]:
    """The plotly charts, as their figures."""
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def drawn_charts(app) -> list[str]:
    """The charts drawn by dashboard/drawn.py, as their HTML."""
    return [json.loads(chart.proto.json)["html"] for chart in app.get("bidi_component")]


def no_chart(app) -> bool:
    return not app.get("plotly_chart") and not app.get("bidi_component")


def bars_drawn(markup: str) -> list[tuple[str, str]]:
    """A bar chart of dashboard/drawn.py: each bar's (code, hover label)."""
    return [(code, html.unescape(hover)) for code, hover in
            re.findall(r'<div class="sc-bar" data-unit="([^"]*)" title="([^"]*)">', markup)]


def cells_drawn(markup: str) -> dict[str, str]:
    """A grid of dashboard/drawn.py: each cell's text, by its hover label."""
    return {html.unescape(hover): html.unescape(text) for hover, text in
            re.findall(r'<div class="sc-cell" [^>]*title="([^"]*)"><span>([^<]*)</span>', markup)}


def grid_columns(markup: str) -> list[str]:
    return [html.unescape(name) for name in re.findall(r'<div class="sc-grid-x" title="([^"]*)">', markup)]


def everything(app) -> str:
    """All a page shows, as text: texts, tables, cards, charts, pickers and the help of buttons."""
    parts = [page_text(app)]
    parts += [table.to_string() for table in tables(app)]
    parts += [frame.value.to_string() for frame in app.dataframe]
    parts += [shown(f"{m.label} {m.value} {m.proto.help}") for m in app.metric]
    parts += [json.dumps(chart, ensure_ascii=False) for chart in charts(app)]
    parts += [html_text(chart) for chart in drawn_charts(app)]
    parts += [" ".join(map(str, box.options)) for box in app.selectbox]
    parts += [f"{label} {offer.reason or ''}" for label, offer in downloads(app).items()]
    return "\n".join(parts)


@dataclass(frozen=True)
class Offered:
    href: str | None      # the link bound to the session (pages/downloads.py), or None: a disabled button
    reason: str | None


_OFFER = re.compile(r'<(a|button)\b[^>]*? class="sc-download[^"]*"(?: href="([^"]*)")?[^>]*>([^<]*)</\1>'
                    r'(?:<span class="sc-reason">([^<]*)</span>)?')


def downloads(app) -> dict[str, Offered]:
    """What a page offers to take away (pages/widgets.py download_link): label → link or reason, in page order."""
    found = {}
    for element in app.get("html"):
        for _, href, label, reason in _OFFER.findall(element.value):
            found[html.unescape(label)] = Offered(html.unescape(href) or None, html.unescape(reason) or None)
    return found
