"""Reading a page drawn in Streamlit's AppTest: switching pages, finding tables, cards, texts and charts."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass


def goto(app, page: str):
    app.switch_page(f"pages/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def table_with(app, column: str):
    """The first table that has this column, as a DataFrame."""
    for table in app.table:
        if column in table.value.columns:
            return table.value
    raise AssertionError(f"no table with column {column}")


def metric(app, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def page_text(app) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "info", "warning", "error", "success", "subheader")
             for e in getattr(app, kind)]
    return "\n".join(str(p) for p in parts)


def charts(app) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def everything(app) -> str:
    """All a page shows, as text: texts, tables, cards, charts, pickers and the help of buttons."""
    parts = [page_text(app)]
    parts += [table.value.to_string() for table in app.table]
    parts += [frame.value.to_string() for frame in app.dataframe]
    parts += [f"{m.label} {m.value} {m.proto.help}" for m in app.metric]
    parts += [json.dumps(chart, ensure_ascii=False) for chart in charts(app)]
    parts += [" ".join(map(str, box.options)) for box in app.selectbox]
    parts += [f"{label} {offer.reason or ''}" for label, offer in downloads(app).items()]
    return "\n".join(parts)


@dataclass(frozen=True)
class Offered:
    href: str | None      # the link bound to the session (pages/_downloads.py), or None: a disabled button
    reason: str | None


_OFFER = re.compile(r'<(a|button)\b[^>]*? class="sc-download[^"]*"(?: href="([^"]*)")?[^>]*>([^<]*)</\1>'
                    r'(?:<span class="sc-reason">([^<]*)</span>)?')


def downloads(app) -> dict[str, Offered]:
    """What a page offers to take away (pages/_ui.py download_link): label → link or reason, in page order."""
    found = {}
    for element in app.get("html"):
        for _, href, label, reason in _OFFER.findall(element.value):
            found[html.unescape(label)] = Offered(html.unescape(href) or None, html.unescape(reason) or None)
    return found
