"""The circular and one report card per city as a single A4 PDF with the CJK font embedded.

Text is laid out here rather than by fpdf2's word wrap, which knows nothing of Chinese: lines
break between characters but never before closing punctuation or inside a number, body lines
are justified, and table columns are sized to their contents. Text is placed line by line
with `FPDF.text`, so it stays real, extractable text, and a card can be measured before it is
drawn (to fit it on one page).
"""

from __future__ import annotations

import io
import re

from fpdf import FPDF

from .. import palette
from ..config import Config
from ..scoring import YearResult
from .blocks import Figure, Heading, Paragraph, Table
from .cards import CARD_TITLE, Card, report_cards
from .chart import totals_png
from .circular import NUMERALS, Circular, circular
from .fonts import Fonts, find_fonts

BODY, BOLD, HEI = "body", "bold", "hei"
PT = 25.4 / 72                         # millimetres per point
# GB/T 9704 公文 page: margins in mm; title 二号 (22pt), text 三号 (16pt)
CIRCULAR_MARGINS = (28, 37, 26, 35)    # left, top, right, bottom
CARD_MARGINS = (15, 18, 15, 14)
TEXT_SIZE, TITLE_SIZE, LEADING = 16, 22, 1.75
TABLE_SIZE = 9.5
CARD_SCALES = (1.2, 1.1, 1.05, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5)
CELL_PADDING, CELL_LEADING = 1.0, 1.35
BORDER, HEADER_FILL = "#5f6670", "#eef0f3"
UNBROKEN = 4                           # cell texts this short never wrap (等次, 名次, 不合格)
SHORT = 12                             # cell texts this short wrap only when the table cannot fit otherwise

_CLOSING = set("，。、；：？！）》」』”’％,.;:!?)]%…—")
_OPENING = set("（《「『“‘([")
_UNIT = re.compile(r"[0-9A-Za-z][0-9A-Za-z.,:/%+\-]*|.", re.S)


class _Pdf(FPDF):
    def __init__(self, fonts: Fonts, mark: str | None):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.mark = mark
        self.role: dict[str, str] = {}     # role → registered family; one family per distinct face
        families: dict = {}
        for role, face in ((BODY, fonts.body), (BOLD, fonts.bold), (HEI, fonts.heading)):
            key = (face.path, face.index)
            if key not in families:
                families[key] = role
                self.add_font(role, fname=str(face.path), collection_font_number=face.index)
            self.role[role] = families[key]
        self._widths: dict = {}
        self.set_line_width(0.2)
        self.set_draw_color(BORDER)

    def font(self, role: str, size: float) -> None:
        self.set_font(self.role[role], size=size)

    def width(self, text: str) -> float:
        key = (self.font_family, self.font_size_pt, text)
        if key not in self._widths:
            self._widths[key] = self.get_string_width(text)
        return self._widths[key]

    def margins(self, left: float, top: float, right: float, bottom: float) -> None:
        self.set_margins(left, top, right)
        self.set_auto_page_break(False, bottom)

    def ensure(self, height: float) -> None:
        """A new page unless `height` still fits on this one."""
        if self.y + height > self.page_break_trigger:
            self.add_page()

    def put(self, x: float, y: float, w: float, h: float, text: str, align: str = "L") -> None:
        """One line of text in the box (x, y, w, h), vertically centred."""
        offset = {"L": 0.0, "C": (w - self.width(text)) / 2, "R": w - self.width(text)}[align]
        self.text(x + offset, y + h / 2 + 0.3 * self.font_size, text)

    def header(self):
        if self.mark:
            self.font(HEI, 9)
            self.set_text_color(palette.CRIMSON)
            self.put(self.l_margin, max(6.0, self.t_margin - 12), self.epw, 5, f"【{self.mark}】", "R")
            self.set_text_color(0)
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self):
        self.font(BODY, 12)
        self.put(self.l_margin, self.h - self.b_margin / 2 - 3, self.epw, 6, f"— {self.page_no()} —", "C")


# --- text -------------------------------------------------------------------------------

def _units(text: str) -> list[str]:
    """Pieces a line may not break inside: a character, a number or word, punctuation kept with its neighbour."""
    units: list[str] = []
    for piece in _UNIT.findall(text):
        if units and (piece[0] in _CLOSING or units[-1][-1] in _OPENING):
            units[-1] += piece
        else:
            units.append(piece)
    return units


def wrap(pdf: _Pdf, text: str, width: float, first_width: float | None = None) -> list[tuple[str, float]]:
    """(line, its width) of `text` in the current font, fitting `width` (the first line `first_width`)."""
    lines: list[tuple[str, float]] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        limit = first_width if first_width is not None and not lines else width
        for unit in _units(paragraph):
            w = pdf.width(unit)
            if line and used + w > limit:
                lines.append((line.rstrip(), used))
                line, used, limit = ("", 0.0, width) if unit.isspace() else (unit, w, width)
            else:
                line, used = line + unit, used + w
        lines.append((line, used))
    return lines


def _text(pdf: _Pdf, text: str, role: str, size: float, *, indent_chars: float = 0, align: str = "J",
          leading: float = LEADING, right_chars: float = 0, draw: bool = True) -> float:
    """Write `text` as a paragraph (or only measure it); returns its height."""
    pdf.font(role, size)
    em = size * PT
    width = pdf.epw - right_chars * em
    indent = indent_chars * em
    height = size * PT * leading
    lines = wrap(pdf, text, width, width - indent)
    if not draw:
        return height * len(lines)
    for n, (line, used) in enumerate(lines):
        x = pdf.l_margin + (indent if n == 0 else 0)
        w = width - (indent if n == 0 else 0)
        spacing = 0.0
        if align == "J" and n < len(lines) - 1 and len(line) > 1:
            spacing = (w - used) * pdf.k / (len(line) - 1)
            spacing = spacing if 0 < spacing < size * 0.5 else 0.0
        pdf.ensure(height)
        pdf.set_char_spacing(spacing)
        pdf.put(x, pdf.y, w, height, line, "L" if align == "J" else align)
        pdf.y += height
    pdf.set_char_spacing(0)
    return height * len(lines)


def _balanced_title(pdf: _Pdf, lines: tuple[str, ...]) -> None:
    pdf.font(BOLD, TITLE_SIZE)
    height = TITLE_SIZE * PT * 1.5
    for line in lines:
        for part, _ in wrap(pdf, line, pdf.epw):
            pdf.put(pdf.l_margin, pdf.y, pdf.epw, height, part, "C")
            pdf.y += height


# --- tables -------------------------------------------------------------------------------

def _header_parts(text: str) -> list[str]:
    """A header breaks before its bracket first: 待遇发放 / （25分）."""
    head, bracket, rest = text.partition("（")
    return [head, bracket + rest] if bracket and head and len(text) > UNBROKEN else [text]


def _header_lines(pdf: _Pdf, text: str, width: float) -> list[str]:
    return [line for part in _header_parts(text) for line in _cell_lines(pdf, part, width)]


def _cell_lines(pdf: _Pdf, text: str, width: float) -> list[str]:
    if len(text) <= UNBROKEN:
        return [text]
    return [line for line, _ in wrap(pdf, text, width - 2 * CELL_PADDING)]


def _column_widths(pdf: _Pdf, table: Table, size: float) -> list[float]:
    """Auto layout in three steps: every column gets at least its longest unbreakable piece; then
    short texts (names, statuses, numbers with units) are kept on one line; what is left goes to
    the columns of long text, in proportion to what they would need on one line."""
    pad = 2 * CELL_PADDING + 0.4
    levels: list[tuple[float, float, float]] = []
    for j, header in enumerate(table.headers):
        pdf.font(HEI, size)
        head_width = max(pdf.width(part) for part in _header_parts(header))
        pdf.font(BODY, size)
        least, short, whole = head_width, head_width, head_width
        for cell in (row[j] for row in table.rows):
            for line in cell.split("\n"):
                width = pdf.width(line)
                unbroken = width if len(line) <= UNBROKEN else max((pdf.width(u) for u in _units(line)), default=0)
                least = max(least, unbroken)
                short = max(short, width if len(line) <= SHORT else unbroken)
                whole = max(whole, width)
        levels.append((least + pad, short + pad, whole + pad))
    room = pdf.epw
    for low, high in ((1, 2), (0, 1)):
        floor = [level[low] for level in levels]
        if sum(floor) <= room:
            need = [level[high] - level[low] for level in levels]
            if sum(need) <= room - sum(floor):   # everything fits on one line: widen in proportion
                ceiling = [level[high] for level in levels]
                return [w * room / sum(ceiling) for w in ceiling]
            spare = room - sum(floor)
            return [f + spare * n / sum(need) for f, n in zip(floor, need)]
    least = [level[0] for level in levels]
    return [w * room / sum(least) for w in least]


def _table(pdf: _Pdf, table: Table, size: float, draw: bool = True) -> float:
    """Draw `table` across the text width, the header repeated after a page break (or only measure it)."""
    widths = _column_widths(pdf, table, size)
    line = size * PT * CELL_LEADING
    pdf.font(HEI, size)
    header = [_header_lines(pdf, h, w) for h, w in zip(table.headers, widths)]
    pdf.font(BODY, size)
    rows = [[_cell_lines(pdf, v, w) for v, w in zip(values, widths)] for values in table.rows]

    def height(cells) -> float:
        return max(len(c) for c in cells) * line + 2 * CELL_PADDING

    total = sum(height(r) for r in [header] + rows)
    if not draw:
        return total
    pdf.ensure(height(header) + (height(rows[0]) if rows else 0))
    _row(pdf, header, widths, line, height(header), ["C"] * len(widths), HEI, size, [HEADER_FILL] * len(widths))
    align = table.align
    for i, cells in enumerate(rows):
        if pdf.y + height(cells) > pdf.page_break_trigger:
            pdf.add_page()
            _row(pdf, header, widths, line, height(header), ["C"] * len(widths), HEI, size,
                 [HEADER_FILL] * len(widths))
        fills = [None] * len(widths)
        colors = [None] * len(widths)
        if table.colors and table.color_column is not None:
            colors[table.color_column] = table.colors[i]
            fills[table.color_column] = palette.light(table.colors[i])
        _row(pdf, cells, widths, line, height(cells), align, BODY, size, fills, colors)
    return total


def _row(pdf: _Pdf, cells, widths, line, height, align, role, size, fills, colors=None) -> None:
    pdf.font(role, size)
    x, y = pdf.l_margin, pdf.y
    for j, (lines, width) in enumerate(zip(cells, widths)):
        if fills[j]:
            pdf.set_fill_color(fills[j])
            pdf.rect(x, y, width, height, style="DF")
        else:
            pdf.rect(x, y, width, height)
        if colors and colors[j]:
            pdf.set_text_color(colors[j])
        top = y + (height - len(lines) * line) / 2
        for k, text in enumerate(lines):
            pdf.put(x + CELL_PADDING, top + k * line, width - 2 * CELL_PADDING, line, text, align[j])
        if colors and colors[j]:
            pdf.set_text_color(0)
        x += width
    pdf.y = y + height


# --- the circular -------------------------------------------------------------------------

def _figure(pdf: _Pdf, png: bytes, caption: str) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        ratio = image.height / image.width
    width = pdf.epw * 0.95
    pdf.ensure(width * ratio + 12 * PT * 2)
    pdf.image(io.BytesIO(png), x=pdf.l_margin + (pdf.epw - width) / 2, y=pdf.y, w=width)
    pdf.y += width * ratio
    _text(pdf, caption, BODY, 12, align="C", leading=2)


def _circular(pdf: _Pdf, doc: Circular, chart_png: bytes) -> None:
    pdf.margins(*CIRCULAR_MARGINS)
    pdf.add_page()
    line = TEXT_SIZE * PT * LEADING
    _text(pdf, doc.number, BODY, TEXT_SIZE, align="C")
    pdf.y += line / 2
    _balanced_title(pdf, doc.title_lines)
    pdf.y += line / 2
    _text(pdf, doc.addressee, BODY, TEXT_SIZE, align="L")
    for block in doc.blocks:
        if isinstance(block, Heading):
            pdf.ensure(line * 3)
            _text(pdf, block.text, HEI if block.level == 1 else BOLD, TEXT_SIZE, indent_chars=2)
        elif isinstance(block, Paragraph):
            _text(pdf, block.text, BODY, TEXT_SIZE, indent_chars=2)
        elif isinstance(block, Table):
            _table(pdf, block, TABLE_SIZE)
            pdf.y += line / 2
        elif isinstance(block, Figure):
            _figure(pdf, chart_png, block.caption)
    pdf.ensure(line * (len(doc.signature) + 4))     # the attachment note and the signature stay together
    if doc.attachment:
        pdf.y += line
        _text(pdf, f"附件：{doc.attachment}", BODY, TEXT_SIZE, indent_chars=2)
    pdf.y += line * 2
    for text in doc.signature:
        _text(pdf, text, BODY, TEXT_SIZE, align="R", right_chars=4)


# --- report cards -------------------------------------------------------------------------

def _card_body(pdf: _Pdf, card: Card, scale: float, first: bool, draw: bool = True) -> float:
    """Write one card at `scale` (or only measure it); returns its height."""
    height = 0.0
    if first:
        height += _text(pdf, "附件", HEI, 14 * scale, align="L", leading=1.4, draw=draw)
    height += _text(pdf, card.heading, BOLD, 15 * scale, align="C", leading=1.6, draw=draw)
    line = 14 * scale * PT * 1.6
    if draw:
        pdf.font(HEI, 14 * scale)
        pdf.put(pdf.l_margin, pdf.y, pdf.epw, line, card.city, "L")
        pdf.font(BODY, 10.5 * scale)
        pdf.put(pdf.l_margin, pdf.y, pdf.epw, line, card.scope, "R")
        pdf.y += line
    height += line
    height += _table(pdf, card.summary, 10.5 * scale, draw=draw)
    height += _gap(pdf, 2 * scale, draw)
    height += _table(pdf, card.indicators, 8.5 * scale, draw=draw)
    for n, (heading, lines) in enumerate(card.sections):
        height += _gap(pdf, 1.2 * scale, draw)
        height += _text(pdf, f"{NUMERALS[n]}、{heading}", HEI, 9.5 * scale, align="L", leading=1.5, draw=draw)
        for text in lines:
            height += _text(pdf, text, BODY, 8.5 * scale, leading=1.45, draw=draw)
    return height


def _gap(pdf: _Pdf, height: float, draw: bool) -> float:
    if draw:
        pdf.y += height
    return height


def _card_scale(pdf: _Pdf, cards: list[Card]) -> float:
    """The largest scale at which every card fits on one page, so that all cards look alike."""
    pdf.margins(*CARD_MARGINS)
    room = pdf.page_break_trigger - pdf.t_margin
    fits = [next((s for s in CARD_SCALES if _card_body(pdf, card, s, n == 0, draw=False) <= room),
                 CARD_SCALES[-1]) for n, card in enumerate(cards)]
    return min(fits, default=1.0)


def circular_pdf(result: YearResult, config: Config) -> bytes:
    """The circular, then one 单位考评卡 page per city, as PDF bytes."""
    fonts = find_fonts()
    doc = circular(result, config, attachment=f"各市（州）{CARD_TITLE}")
    pdf = _Pdf(fonts, doc.mark)
    pdf.set_title(doc.title)
    pdf.set_creator("失业保险目标责任制考评系统")
    pdf.set_lang("zh-CN")
    _circular(pdf, doc, totals_png(result, config, fonts))
    cards = report_cards(result, config)
    scale = _card_scale(pdf, cards)
    for n, card in enumerate(cards):
        pdf.add_page()
        _card_body(pdf, card, scale, first=n == 0)
    return bytes(pdf.output())
