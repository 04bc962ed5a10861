"""Text from config, imports and users on screen, always as plain text.

Streamlit draws Markdown, and its extensions (`:red[…]`, `:material/…:`, emoji shortcodes, `$…$` LaTeX, bare
links and e-mail addresses), in nearly every text element: titles, subheaders, captions, alerts, st.metric
labels, values and help, widget labels, st.table cells. Plotly draws a subset of HTML (`<a href>`, `<b>`, `<br>`,
`<span style>`) in texts, hover labels, titles, legends and axis labels. A name or a reason written into either
as it is would be drawn as code: an image every viewer's browser fetches, a link that looks like the app's own.
So every value a page shows goes through one of these:

- `md(value)` for Streamlit's Markdown elements: the value is literal, the page's own wording around it may
  still use **bold** or `code`; `code(value)` there shows a value (a file name) as literal inline code;
- `esc(value)` inside HTML drawn by st.html, which does no Markdown at all (pages/widgets.py draws its tables,
  cards and headings so);
- `svg(value)` for plotly.

Selectbox and multiselect options are drawn as plain text by Streamlit: their format_func needs none of these.
"""

from __future__ import annotations

import html as _html
import re

JOINER = "\u2060"  # WORD JOINER: draws nothing, does not allow a line break
# ASCII punctuation: CommonMark makes each literal when a backslash precedes it
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
# Streamlit and remark rewrite some patterns in the text itself, after backslashes are gone: emoji and icon
# shortcodes (:smile:, :material/home:, :streamlit:) and bare links (http://…, www.…, a@b.c). A joiner after
# each ':' and '@' and before the '.' of 'www.' leaves the text as it reads and matches none of them.
_SHORTCODE_OR_LINK = re.compile(r"[:@]")
_WWW = re.compile(r"(?<=[wW]{3})\.")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")  # a line break could start a list, a heading or a code block
_BACKTICKS = re.compile(r"`+")


def md(value) -> str:
    """`value` as literal text inside a Streamlit Markdown element, on one line."""
    text = _LINE_BREAKS.sub(" ", str(value))
    text = _WWW.sub(JOINER + ".", _SHORTCODE_OR_LINK.sub(lambda m: m.group() + JOINER, text))
    return _PUNCTUATION.sub(r"\\\g<0>", text)


def code(value) -> str:
    """`value` as inline code inside a Streamlit Markdown element: a code span is literal, but for a backtick
    (a longer fence) and Streamlit's :material/ icons, which it replaces before reading the Markdown."""
    text = _LINE_BREAKS.sub(" ", str(value)).replace(":material/", ":" + JOINER + "material/")
    fence = "`" * (max(map(len, _BACKTICKS.findall(text)), default=0) + 1)
    if text.startswith("`") or text.endswith("`") or not text.strip():
        text = f" {text} "  # one space each side is dropped again
    return f"{fence}{text}{fence}"


# A run of ASCII naming something in a file (a key, a code, a file name, `code: "220100"`): set as code in prose
_ASCII_TERM = re.compile(r'[*&]?[\w./<>-]*[A-Za-z][\w./<>-]*(?::\s*"?[\w.-]+"?)?', re.ASCII)  # *l3: an alias


def plain_words(value) -> str:
    """`value` (a message of the core) as `md` does, with the keys, codes and file names in it set as code."""
    text, pieces, last = str(value), [], 0
    for match in _ASCII_TERM.finditer(text):
        pieces += [md(text[last:match.start()]), code(match.group())]
        last = match.end()
    return "".join(pieces) + md(text[last:])


def esc(value) -> str:
    """`value` as text inside HTML drawn by st.html."""
    return _html.escape(str(value))


def svg(value) -> str:
    """`value` as text in a plotly figure: no tags, and no `%{…}` a hover template would fill in."""
    return esc(value).replace("%", "&#37;")
