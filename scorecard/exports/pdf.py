"""The circular and one report card per city as a single A4 PDF with the CJK font embedded.

Text is laid out here rather than by fpdf2's word wrap, which knows nothing of Chinese: lines
break between characters but never before closing punctuation or inside a number, body lines
are justified, and table columns are sized to their contents. Text is placed line by line
as `FPDF.text` places it (`_Pdf.place`), so it stays real, extractable text, and a card can be
measured before it is drawn (to fit it on one page).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import logging
import re
import zlib
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.drawing_primitives import convert_to_device_color
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.output import OutputProducer
from fpdf.syntax import Name
from fpdf.util import FloatTolerance

from ..frozen import collector_paused
from ..report import palette
from ..config import Config
from ..assessment.results import YearResult
from . import layout, subsets
from .blocks import ISSUED_DATE, NUMERALS, SIGNER, Figure, Heading, Pact, Paragraph, Table, red_head
from .cards import CARD_TITLE, Card, report_card, report_cards
from .blocks import Document as Official
from .circular import circular
from ..report.notes import page_mark
from .fonts import Face, Fonts, find_fonts

BODY, BOLD, HEI = "body", "bold", "hei"
PT = 25.4 / 72                         # millimetres per point
# GB/T 9704 公文 page: margins in mm; title 二号 (22pt), text 三号 (16pt)
CIRCULAR_MARGINS = (28, 37, 26, 35)    # left, top, right, bottom
CARD_MARGINS = (15, 18, 15, 14)
TEXT_SIZE, TITLE_SIZE, LEADING = 16, 22, 1.75
RED_HEAD, RED_HEAD_SIZE = "#FF0000", 36     # the 红头's organ and rule
TABLE_SIZE = 9.5
CARD_SCALES = (1.2, 1.1, 1.05, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5)
CELL_PADDING, CELL_LEADING = 1.0, 1.35
BORDER, HEADER_FILL = "#5f6670", "#eef0f3"
# zlib's fastest level for the pages' text: 2,800 report cards are 37 MB of content, deflated in 0.46 s at the
# default level (6) and in 0.24 s at 1, 15 % larger (9.5 → 11.0 MB; the file 11.3 → 12.7 MB); inflated, the same
PAGE_DEFLATE = 1
LAYOUT_TABLES = ("GDEF", "GSUB", "GPOS")    # OpenType layout, which fpdf2 drops from the fonts it embeds
# fontTools reports tables it drops while subsetting (e.g. the bitmaps of AR PL UMing); not the user's concern
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


class _Pdf(FPDF):
    def __init__(self, fonts: Fonts, mark: str | None):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.mark = mark
        self.role: dict[str, str] = {}     # role → registered family; one family per distinct face
        self.cut: dict[str, Face] = {}      # family → its CFF face, whose subset is cut by subsets.cut
        families: dict = {}
        for role, face in ((BODY, fonts.body), (BOLD, fonts.bold), (HEI, fonts.heading)):
            key = (face.path, face.index)
            if key not in families:
                families[key] = role
                self._add_face(role, face)
            self.role[role] = families[key]
        self.first_page = 1                 # the page numbered 1: each document of a bundle counts from its own
        self._measures: dict = {}           # (role, size) → a cached width function
        self._glyphs: dict = {}             # font number → its characters' glyph codes in the content stream
        self.broken: dict = {}              # a paragraph's lines: a card is measured, then drawn
        self.layouts: dict = {}
        self._current: tuple[str, float] | None = None
        self._tints: dict = {}              # (id(fill colour), id(text colour)) → how a text object is wrapped
        self.width: layout.Measure          # of a text in the current font: font() sets it
        self.set_line_width(0.2)
        self.set_draw_color(BORDER)

    def _add_face(self, family: str, face: Face) -> None:
        """FPDF.add_font with the face read once per process (`_parsed`): reading a CJK face's cmap and the metrics
        of its 65,535 glyphs was most of a small document's time. The document has its own copy of what fpdf2
        writes into (the subset map, the font descriptor). A CID-keyed CFF face gets the font fpdf2 embeds when
        the PDF is output (`output`, subsets.cut); any other its own opened font, which fpdf2 cuts down to the
        subset."""
        font = copy.copy(_parsed(face.path, face.index))
        font.i, font.fontkey = len(self.fonts) + 1, family
        font.subset, font.missing_glyphs, font.biggest_size_pt = SubsetMap(font), [], 0
        font.desc = copy.copy(font.desc)
        self.fonts[family] = font
        if font.is_cff and font.is_cid_keyed:
            self._set_min_pdf_version("1.6")
            self.cut[family] = face
            return
        font.ttfont = TTFont(face.path, fontNumber=face.index, lazy=True, recalcTimestamp=False)
        # saving a subset would recompute its bounding boxes from every glyph's outline; fpdf2 takes the font's
        # box from its head table
        font.ttfont.recalcBBoxes = False
        # fpdf2 leaves the layout tables out of the subset, but fontTools' subsetter decompiles them before it
        # drops them (a third of cutting a CJK face's subset): gone from the start, the subset is the same
        for tag in LAYOUT_TABLES:
            if tag in font.ttfont:
                del font.ttfont[tag]
        font.ttfont["cmap"] = _copied_cmap(_cmap(face.path, face.index))

    def output(self, name=""):
        return super().output(name, output_producer_class=_Output)

    def cut_subsets(self) -> None:
        """Each CFF face's subset of the glyphs the document shows, for fpdf2 to embed (subsets.cut): cut from the
        face's CFF table alone, or kept from a document with the same glyphs."""
        wanted = [(face.path, face.index, self.fonts[family].subset.get_all_glyph_names())
                  for family, face in self.cut.items()]
        for family, font in zip(self.cut, subsets.cut(wanted)):
            self.fonts[family].ttfont = font

    def font(self, role: str, size: float) -> None:
        if (role, size) != self._current:
            self._current = (role, size)
            self.width = self.measurer(role, size)
            self._select(self.role[role], size)

    def _select(self, family: str, size: float) -> None:
        """What FPDF.set_font(family, size=size) does for a family of the document's (registered by `_add_face`:
        lower case, no style; the documents never underline nor strike through), without its parsing of the family
        and style per call: the font made current unless it already is at that size (to fpdf2's tolerance)."""
        if (self.font_family != family or self.font_style or abs(self.font_size_pt - size) > FloatTolerance.TOLERANCE
                or self.current_font is None or self.current_font.fontkey != family):
            self.font_family, self.font_style, self.font_size_pt = family, "", size
            self.current_font = self.fonts[family]
            self.current_font_is_set_on_page = False

    def measurer(self, role: str, size: float):
        """Width of a text in a font, from the font's metrics as FPDF.get_string_width has them, without making it
        the current font; cached, since layout measures the same pieces again and again."""
        measure = self._measures.get((role, size))
        if measure is None:
            # a text measured before is a dictionary look-up, without a Python call (millions at 2,800 units)
            measure = self._measures[role, size] = _Widths(self.fonts[self.role[role]], size, self.k).__getitem__
        return measure

    def margins(self, left: float, top: float, right: float, bottom: float) -> None:
        self.set_margins(left, top, right)
        self.set_auto_page_break(False, bottom)

    def ensure(self, height: float) -> None:
        """A new page unless `height` still fits on this one."""
        if self.y + height > self.page_break_trigger:
            self.add_page()

    def put(self, x: float, y: float, w: float, h: float, text: str, align: str = "L") -> None:
        """One line of text in the box (x, y, w, h), vertically centred."""
        offset = 0.0 if align == "L" else (w - self.width(text)) / (2 if align == "C" else 1)
        self.place(x + offset, y + h / 2 + 0.3 * self.font_size, text)

    def place(self, x: float, y: float, text: str) -> None:
        """What FPDF.text writes for a text in the current font (the documents' fonts are TrueType, their text
        filled, never underlined), without its checks per call and with each text's glyph codes looked up once."""
        self._show(x, y, f"{self._codes(text)} Tj")

    def spread(self, x: float, y: float, h: float, pieces: list[str], gap: float) -> None:
        """A justified line in the box from (x, y), `h` high: its pieces `gap` mm apart, shown by one TJ (2,800
        report cards justify some 900,000 pieces, which were a text object each, placed at its own position
        rounded to 0.01 pt: each now stands within 0.005 pt of there). The displacement between pieces is the
        gap in thousandths of the size the glyphs are drawn at, the Tf size (0.01 pt); where that is not the
        size they were measured at (8.925 pt), each piece is also set back by what its width gains at it."""
        k, size = self.k, self.font_size_pt
        drawn = round(size, 2)              # as fpdf2's Tf writes it
        space = -gap * k * 1000 / drawn
        glyphs = self._glyph_codes()
        if abs(drawn - size) < 1e-9:
            between = "(" + f"){space:.3f}(".join(map(glyphs.__getitem__, pieces)) + ")"
        else:
            gain = k * 1000 / size * (drawn - size) / drawn     # per mm of width measured
            widths = list(map(self.width, pieces[:-1]))
            # a line's pieces have few widths (its CJK characters one): each displacement formatted once, with
            # the parentheses around it, and the line joined from the pieces' codes and them taken in turn
            shifts = {w: f"){space + w * gain:.3f}(" for w in set(widths)}
            pairs = zip(map(glyphs.__getitem__, pieces), map(shifts.__getitem__, widths))
            between = "(" + "".join(chain.from_iterable(pairs)) + glyphs[pieces[-1]] + ")"
        self._show(x, y + h / 2 + 0.3 * self.font_size, f"[{between}] TJ")

    def _show(self, x: float, y: float, shown: str) -> None:
        """A text object at (x, y) showing `shown` (a Tj or TJ) in the current font and text colour."""
        if not self.current_font_is_set_on_page:
            self._write(self._set_font_for_page(self.current_font, self.font_size_pt))
        before, after = self._tint(self.fill_color, self.text_color)
        self._write(f"{before}BT {x * self.k:.2f} {(self.h - y) * self.k:.2f} Td {shown} ET{after}")

    def _write(self, line: str) -> None:
        """A line of the open page's content stream, as FPDF._out appends it, without its checks per call (the
        documents write only while a page is open, before output)."""
        contents = self.pages[self.page].contents
        contents.extend(line.encode("latin1"))
        contents.append(0x0A)

    def _tint(self, fill, text) -> tuple[str, str]:
        """What wraps a text object shown in the colour `text` over `fill` (as FPDF.text wraps it: q, the text
        colour, …, Q where they differ), for a pair of colour objects: compared and serialised once, not per cell.
        The memo holds the objects it is keyed on by id, so no id is reused while it is there."""
        hit = self._tints.get((id(fill), id(text)))
        if hit is None:
            if len(self._tints) > 256:
                self._tints.clear()
            wrapped = (f"q {text.serialize().lower()} ", " Q") if fill != text else ("", "")
            hit = self._tints[id(fill), id(text)] = (fill, text, wrapped)
        return hit[2]

    def _codes(self, text: str) -> str:
        """A text's glyph codes in the current font as a PDF string, (…): each character's codes looked up once
        per font (fpdf2's encoding is character by character: a text's codes are its characters' one after the
        other), a character new to the font picked into its subset as encode_text picks it, in the same order."""
        return f"({self._glyph_codes()[text]})"

    def _glyph_codes(self) -> _Glyphs:
        font = self.current_font
        glyphs = self._glyphs.get(font.i)
        if glyphs is None:
            glyphs = self._glyphs[font.i] = _Glyphs(font)
        return glyphs

    def row(self, cells: list[list[str]], columns: list[tuple], line: float, height: float, align,
            fills: list[str | None], colors: list[str | None] | None) -> None:
        """A table row from (l_margin, y) in the table's `columns` (`_Pdf.columns`): each cell ruled (filled with its
        `fills`, #rrggbb), its lines centred vertically in its text colour (`colors`, black where none): what
        FPDF.rect, set_fill_color and `put` write, without their checks per call, the row written as one string
        (the tables of 2,800 report cards have some 265,000 cells). The colours are followed as objects (compared
        only where a cell changes one), the baselines formatted once per line count in the row."""
        k, top, size = self.k, self.h, self.font_size
        y = self.y
        glyphs, width_of = self._glyph_codes(), self.width
        edge, tall = f"{(top - y) * k:.2f}", f"{-height * k:.2f}"     # every cell's rectangle's
        fill, text = self.fill_color, self.text_color
        before, after = self._tint(fill, text)
        unset = not self.current_font_is_set_on_page
        baselines: dict[int, list[str]] = {}
        out: list[str] = []
        for lines, (x, inner, left, wide, start), paint, where, tinted in zip(
                cells, columns, fills, align, colors or repeat(None)):
            if paint:
                color, serialized = _paint(paint)
                if color is not fill:
                    if color != fill:               # set_fill_color
                        out.append(serialized)
                    fill = color
                    before, after = self._tint(fill, text)
            out.append(f"{left} {edge} {wide} {tall} re {'B' if paint else 'S'}")
            if tinted:
                text = _paint(tinted)[0]
                before, after = self._tint(fill, text)
            if unset:
                out.append(self._set_font_for_page(self.current_font, self.font_size_pt))
                unset = False
            count = len(lines)
            ys = baselines.get(count)
            if ys is None:
                middle = y + (height - count * line) / 2
                ys = baselines[count] = [f"{(top - (middle + n * line + line / 2 + 0.3 * size)) * k:.2f}"
                                         for n in range(count)]
            for piece, baseline in zip(lines, ys):
                if where == "L":
                    xs = start
                else:
                    offset = (inner - width_of(piece)) / (2 if where == "C" else 1)
                    xs = f"{(x + CELL_PADDING + offset) * k:.2f}"
                out.append(f"{before}BT {xs} {baseline} Td ({glyphs[piece]}) Tj ET{after}")
            if tinted:
                text = _BLACK
                before, after = self._tint(fill, text)
        self.fill_color, self.text_color = fill, text
        self._write("\n".join(out))
        self.y = y + height

    def columns(self, widths: list[float]) -> list[tuple]:
        """Per column of a table at the left margin: its x, inner width, its rectangle's x and width formatted, and
        a left-aligned line's x formatted: the same for every row of the table."""
        k, x, columns = self.k, self.l_margin, []
        for width in widths:
            columns.append((x, width - 2 * CELL_PADDING, f"{x * k:.2f}", f"{width * k:.2f}",
                            f"{(x + CELL_PADDING) * k:.2f}"))
            x += width
        return columns

    def _furniture(self, y: float, h: float, text: str, align: str, role: str, size: float) -> None:
        """Text outside the page body, measured and placed as the body's is (what get_string_width and FPDF.text
        give). fpdf2 restores the body's font after header() and footer(), so this sets the font itself and
        leaves the `font()` cache alone."""
        self._select(self.role[role], size)
        width = self.measurer(role, size)(text)
        em = size * PT
        x = self.l_margin + {"C": (self.epw - width) / 2, "R": self.epw - width, "outside-R": self.epw - width - em,
                             "outside-L": em}[align]
        self.place(x, y + h / 2 + 0.3 * self.font_size, text)

    def header(self):
        self.foot = min(self.h - self.b_margin + 7, self.h - 14)    # the page's own: margins change before a break
        if self.mark:
            self.set_text_color(_paint(palette.CRIMSON)[0])     # the same colour objects on every page
            self._furniture(max(6.0, self.t_margin - 12), 5, f"【{self.mark}】", "R", HEI, 9)
            self.set_text_color(_BLACK)
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self):
        number = self.page_no() - self.first_page + 1      # 四号, one character in from the outside edge
        self._furniture(self.foot, 6, f"— {number} —",
                        "outside-R" if number % 2 else "outside-L", BODY, 14)


class _Output(OutputProducer):
    """fpdf2's writer of the PDF, the CFF faces' subsets cut (`_Pdf.cut_subsets`) when their fonts are embedded:
    by then every glyph is known, the last page's footer and all. Once the bytes are written it lets go of the
    objects it wrote: the last of them, the trailer (PDFXrefAndTrailer), holds the writer, which holds the
    document — a cycle that kept the whole document (at 2,800 report cards some 800,000 containers, its layout
    caches most of them) for the cyclic collector, whose next run walked them all (1.5–1.9 s). Without it the
    document is freed by reference counting when its maker returns the bytes."""

    def bufferize(self) -> bytearray:
        try:
            return super().bufferize()
        finally:
            self.pdf_objs.clear()

    def _add_fonts(self, *args, **kwargs):
        self.fpdf.cut_subsets()
        return super()._add_fonts(*args, **kwargs)

    def _add_pages(self, *args, **kwargs):
        """The pages' content streams deflated at PAGE_DEFLATE, not zlib's default: fpdf2 writes them raw here (its
        `compress` off for the call) and each is then deflated in place, marked FlateDecode as fpdf2 marks it."""
        compress, self.fpdf.compress = self.fpdf.compress, False
        try:
            pages = super()._add_pages(*args, **kwargs)
        finally:
            self.fpdf.compress = compress
        if compress:
            for page in pages:
                stream = page.contents
                stream._contents = zlib.compress(stream._contents, PAGE_DEFLATE)
                stream.filter, stream.length = _FLATE, len(stream._contents)
        return pages


@lru_cache(maxsize=8)
def _parsed(path: Path, index: int) -> TTFFont:
    """A face as fpdf2 reads it (its cmap, widths and descriptor), without the font itself (each document opens
    its own)."""
    holder = FPDF()
    holder.add_font("face", fname=str(path), collection_font_number=index)
    font = holder.fonts["face"]
    font.close()
    font.ttfont = None
    return font


_BLACK = convert_to_device_color(0)
_FLATE = Name("FlateDecode")


@lru_cache(maxsize=64)
def _paint(color: str):
    """#rrggbb → fpdf2's colour and what sets it as the fill colour (set_fill_color's operator)."""
    device = convert_to_device_color(color)
    return device, device.serialize().lower()


class _Glyphs(dict):
    """A font's texts → their glyph codes as they stand in a PDF string: a character's are fpdf2's encode_text of
    it (picked into the font's subset the first time it is asked for), a text's its characters' one after the
    other, as encode_text has them."""

    def __init__(self, font):
        super().__init__()
        self.font = font

    def __missing__(self, text: str) -> str:
        if len(text) == 1:
            codes = self.font.encode_text(text)[1:-len(") Tj")]
        else:
            codes = "".join(map(self.__getitem__, text))
        self[text] = codes
        return codes


class _Widths(dict):
    """Texts → their widths in mm in a font at a size, as FPDF.get_string_width has them."""

    def __init__(self, font, size: float, k: float):
        super().__init__()
        font.biggest_size_pt = max(font.biggest_size_pt, size)     # as get_text_width keeps it
        self.font, self.widths, self.size, self.k = font, font.cw, size, k

    def __missing__(self, text: str) -> float:
        # get_text_width's arithmetic (its glyphs' widths are integers: their sum is exact)
        shown = self.font._map_symbol_text(text)
        width = self[text] = sum(map(self.widths.__getitem__, map(ord, shown))) * self.size * 0.001 / self.k
        return width


@lru_cache(maxsize=8)
def _cmap(path: Path, index: int):
    """A face's cmap table as fontTools reads it, every subtable decompiled: the subsetter needs it for every
    document, and decompiling a CJK face's 30,000-odd mappings was an eighth of a small PDF."""
    font = TTFont(path, fontNumber=index, lazy=True)
    table = font["cmap"]
    table.ensureDecompiled()
    font.close()
    return table


def _copied_cmap(table):
    """A document's own cmap: the subsetter gives each subtable new mappings (and sorts and filters the list of
    subtables), never changing those it was given, so shallow copies keep the process's table as read."""
    copied = copy.copy(table)
    copied.tables = [copy.copy(subtable) for subtable in table.tables]
    return copied


# --- text -------------------------------------------------------------------------------

def wrap(pdf: _Pdf, text: str, width: float, first_width: float | None = None) -> list[tuple[str, float]]:
    """(line, its width) of `text` in the current font, broken once: a card's paragraphs are measured before the
    card is drawn."""
    key = (pdf._current, text, width, first_width)
    lines = pdf.broken.get(key)
    if lines is None:
        lines = pdf.broken[key] = layout.wrap(text, width, pdf.width, first_width)
    return lines


_PIECES = re.compile(r"[!-~]+|.")    # a justified line is spread between these: a run of digits, Latin or signs stays


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
        pdf.ensure(height)
        gap = 0.0
        if align == "J" and n < len(lines) - 1:     # a paragraph's last line is not justified, nor other alignments
            pieces = _PIECES.findall(line)
            if len(pieces) > 1:
                gap = (w - used) / (len(pieces) - 1)
        if 0 < gap * pdf.k < size * 0.5:     # the space goes between characters, never inside a number or a word
            pdf.spread(x, pdf.y, height, pieces, gap)
        else:
            pdf.put(x, pdf.y, w, height, line, "L" if align == "J" else align)
        pdf.y += height
    return height * len(lines)


def _title(pdf: _Pdf, lines: tuple[str, ...]) -> None:
    pdf.font(BOLD, TITLE_SIZE)
    height = TITLE_SIZE * PT * 1.5
    for line in lines:
        for part, _ in wrap(pdf, line, pdf.epw):
            pdf.put(pdf.l_margin, pdf.y, pdf.epw, height, part, "C")
            pdf.y += height


# --- tables -------------------------------------------------------------------------------

def _table_layout(pdf: _Pdf, table: Table, size: float):
    """The columns (their widths and positions, `_Pdf.columns`), the lines of every cell, the height of the header and
    of each row, and of them all; a card's tables are measured and then drawn."""
    key = (id(table), size, pdf.epw, pdf.l_margin)
    laid = pdf.layouts.get(key)
    if laid is None:
        head, body = pdf.measurer(HEI, size), pdf.measurer(BODY, size)
        widths = layout.column_widths(table, pdf.epw, 2 * CELL_PADDING + 0.4, head, body)
        header = [[text for part in layout.header_parts(h)
                   for text in layout.cell_lines(part, w - 2 * CELL_PADDING, head)]
                  for h, w in zip(table.headers, widths)]
        rows = [[layout.cell_lines(v, w - 2 * CELL_PADDING, body) for v, w in zip(values, widths)]
                for values in table.rows]
        line = size * PT * CELL_LEADING
        heights = [max(map(len, cells)) * line + 2 * CELL_PADDING for cells in [header] + rows]
        # the table is kept so that its id stays unique
        laid = pdf.layouts[key] = (table, pdf.columns(widths), header, rows, heights, sum(heights))
    return laid[1:]


def _table(pdf: _Pdf, table: Table, size: float, draw: bool = True) -> float:
    """Draw `table` across the text width, the header repeated after a page break (or only measure it)."""
    columns, header, rows, heights, total = _table_layout(pdf, table, size)
    if not draw:
        return total
    line = size * PT * CELL_LEADING
    tall = heights[0]
    centred, shaded = ["C"] * len(columns), [HEADER_FILL] * len(columns)
    pdf.ensure(tall + (heights[1] if rows else 0))
    _row(pdf, header, columns, line, tall, centred, HEI, size, shaded)
    align = table.align
    for i, (cells, height) in enumerate(zip(rows, heights[1:])):
        if pdf.y + height > pdf.page_break_trigger:
            pdf.add_page()
            _row(pdf, header, columns, line, tall, centred, HEI, size, shaded)
        fills = [None] * len(columns)
        colors = [None] * len(columns)
        if table.colors and table.color_column is not None:
            colors[table.color_column] = table.colors[i]
            fills[table.color_column] = palette.light(table.colors[i])
        _row(pdf, cells, columns, line, height, align, BODY, size, fills, colors)
    return total


def _row(pdf: _Pdf, cells, columns, line, height, align, role, size, fills, colors=None) -> None:
    pdf.font(role, size)
    pdf.row(cells, columns, line, height, align, fills, colors)


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


def _blocks(pdf: _Pdf, blocks, fonts: Fonts, closing: float) -> None:
    """The headings, paragraphs, tables and figures of a document; the last paragraph on the page of what closes
    the document (`closing` high: a signature never stands alone on a page), which then fits below it."""
    line = TEXT_SIZE * PT * LEADING
    last = blocks[-1] if blocks and isinstance(blocks[-1], Paragraph) else None
    end = closing + (_text(pdf, last.text, BODY, TEXT_SIZE, indent_chars=2, draw=False) if last else 0)
    for n, block in enumerate(blocks):
        if isinstance(block, Heading):
            pdf.ensure(line + end if last and n == len(blocks) - 2 else line * 3)   # nor a heading without its text
            _text(pdf, block.text, HEI if block.level == 1 else BOLD, TEXT_SIZE, indent_chars=2)
        elif isinstance(block, Paragraph):
            if n == len(blocks) - 1:
                pdf.ensure(end)
            _text(pdf, block.text, BODY, TEXT_SIZE, indent_chars=2)
        elif isinstance(block, Table):
            _table(pdf, block, TABLE_SIZE)
            pdf.y += line / 2
        elif isinstance(block, Figure):
            _figure(pdf, block.draw(fonts), block.caption)
    pdf.ensure(closing)


def _official(pdf: _Pdf, doc: Official, fonts: Fonts, bookmark: str) -> None:
    """A 公文 from its first page: 文号, title, addressee, the blocks, signature and 抄报 line."""
    pdf.margins(*CIRCULAR_MARGINS)
    pdf.add_page()
    pdf.start_section(bookmark)
    line = TEXT_SIZE * PT * LEADING
    if doc.organ:
        _red_head(pdf, doc, line)
    elif doc.number:            # a notice posted up (公示) has neither 文号 nor addressee
        _text(pdf, doc.number, BODY, TEXT_SIZE, align="C")
    pdf.y += line / 2
    _title(pdf, doc.title_lines)
    pdf.y += line / 2
    if doc.addressee:
        _text(pdf, doc.addressee, BODY, TEXT_SIZE, align="L")
    # the attachment note, the signature and the 抄报 line stay together, and with the last paragraph:
    # a signature never stands alone on a page
    record = line + 2 * 14 * PT * LEADING + 3 if doc.copy_to or doc.printer else 0
    closing = line * (2 * bool(doc.attachment) + 2 + len(doc.signature)) + record
    _blocks(pdf, doc.blocks, fonts, closing)
    if doc.attachment:
        pdf.y += line
        _text(pdf, f"附件：{doc.attachment}", BODY, TEXT_SIZE, indent_chars=2)
    pdf.y += line * 2
    for text in doc.signature:
        _text(pdf, text, BODY, TEXT_SIZE, align="R", right_chars=4)
    if doc.copy_to or doc.printer:
        _record(pdf, doc, line)


def _red_head(pdf: _Pdf, doc: Official, line: float) -> None:
    """版头: the organ's name in red, as large as fits on one line, the 发文字号 and the red rule 4 mm under it."""
    mark = red_head(doc.organ)
    size = min(RED_HEAD_SIZE, pdf.epw / PT / len(mark))
    pdf.set_text_color(RED_HEAD)
    _text(pdf, mark, BOLD, size, align="C", leading=1.3)
    pdf.set_text_color(0)
    pdf.y += line
    if doc.upward:          # 发文字号 one character from the left, 签发人 one from the right
        _text(pdf, doc.number, BODY, TEXT_SIZE, align="L", indent_chars=1)
        pdf.y -= TEXT_SIZE * PT * LEADING
        _text(pdf, SIGNER, BODY, TEXT_SIZE, align="R", right_chars=1)
    else:
        _text(pdf, doc.number, BODY, TEXT_SIZE, align="C")
    pdf.y += 4
    pdf.set_draw_color(RED_HEAD)
    pdf.set_line_width(0.5)
    pdf.line(pdf.l_margin, pdf.y, pdf.l_margin + pdf.epw, pdf.y)
    pdf.set_draw_color(BORDER)
    pdf.set_line_width(0.2)
    pdf.y += line


def _record(pdf: _Pdf, doc: Official, line: float) -> None:
    """版记: 抄送 and 印发机关/印发日期 between rules, thick first and last (0.35 mm), thin between (0.25 mm)."""
    pdf.y += line
    texts = [t for t in (doc.copy_to, doc.printer) if t]
    for n, text in enumerate(texts):
        pdf.set_line_width(0.25 if n else 0.35)
        pdf.line(pdf.l_margin, pdf.y, pdf.l_margin + pdf.epw, pdf.y)
        pdf.y += 1
        if n == len(texts) - 1 and doc.printer:
            _text(pdf, text, BODY, 14, align="L", indent_chars=1)
            pdf.y -= 14 * PT * LEADING
            _text(pdf, ISSUED_DATE, BODY, 14, align="R", right_chars=1)
        else:
            _text(pdf, text, BODY, 14, align="L", indent_chars=1)
    pdf.set_line_width(0.35)
    pdf.line(pdf.l_margin, pdf.y, pdf.l_margin + pdf.epw, pdf.y)
    pdf.set_line_width(0.2)


def _new_pdf(fonts: Fonts, title: str, mark: str | None) -> _Pdf:
    pdf = _Pdf(fonts, mark)
    pdf.set_title(title)
    pdf.set_creator("失业保险目标责任制考评系统")
    pdf.set_lang("zh-CN")
    return pdf


def document_pdf(doc: Official, bookmark: str, dated: dt.date | None = None) -> bytes:
    """A 公文 on its own (e.g. a warning letter) as PDF bytes; `dated`: its creation date instead of the moment
    it is made (the same bytes for the same document)."""
    fonts = find_fonts()
    pdf = _new_pdf(fonts, doc.title, doc.mark)
    if dated is not None:
        pdf.set_creation_date(dt.datetime.combine(dated, dt.time(), dt.timezone.utc))
    _official(pdf, doc, fonts, bookmark)
    return bytes(pdf.output())


# --- 目标责任书 ---------------------------------------------------------------------------

def _pact(pdf: _Pdf, pact: Pact, fonts: Fonts, bookmark: bool) -> None:
    """A 目标责任书 from a new page numbered 1: title, parties, the articles, the signature blocks side by side."""
    pdf.margins(*CIRCULAR_MARGINS)
    pdf.add_page()
    pdf.first_page = pdf.page_no()
    if bookmark:
        pdf.start_section(pact.bookmark)
    line = TEXT_SIZE * PT * LEADING
    pdf.y += line
    _title(pdf, (pact.title,))
    pdf.y += line
    for party in pact.parties:
        _text(pdf, party, BODY, TEXT_SIZE, align="L")
    pdf.y += line / 2
    rows = max(len(lines) for lines in pact.signatures)
    _blocks(pdf, pact.blocks, fonts, closing=line * (1 + 1.5 * rows))
    pdf.y += line
    pdf.font(BODY, TEXT_SIZE)
    width = pdf.epw / len(pact.signatures)
    for k in range(rows):
        for j, lines in enumerate(pact.signatures):
            if k < len(lines):
                pdf.put(pdf.l_margin + j * width, pdf.y, width, line, lines[k])
        pdf.y += line * 1.5


def pacts_pdf(pacts: list[Pact], title: str) -> bytes:
    """目标责任书, one or a bundle (each from a new page, its pages numbered from 1, a bookmark each), as PDF bytes."""
    fonts = find_fonts()
    pdf = _new_pdf(fonts, title, None)
    for pact in pacts:
        _pact(pdf, pact, fonts, bookmark=len(pacts) > 1)
    return bytes(pdf.output())


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
    scales = iter(CARD_SCALES)
    scale = next(scales)
    for n, card in enumerate(cards):        # each card only needs checking at the smallest scale so far
        while _card_body(pdf, card, scale, n == 0, draw=False) > room and scale != CARD_SCALES[-1]:
            scale = next(scales)
    return scale


@collector_paused()     # 2,800 cards make some 800,000 containers: 3-4 full collections of the whole process
def circular_pdf(result: YearResult, config: Config) -> bytes:
    """The circular, then one 单位考评卡 page per city, as PDF bytes."""
    fonts = find_fonts()
    doc = circular(result, config, attachment=f"各市（州）{CARD_TITLE}")
    pdf = _new_pdf(fonts, doc.title, doc.mark)
    _official(pdf, doc, fonts, "通报")
    cards = report_cards(result, config)
    scale = _card_scale(pdf, cards)
    for n, card in enumerate(cards):
        pdf.add_page()
        if n == 0:
            pdf.start_section(f"附件：各市（州）{CARD_TITLE}")
        pdf.start_section(card.city, level=1)          # a bookmark per city: 330 pages stay navigable
        _card_body(pdf, card, scale, first=n == 0)
    return bytes(pdf.output())


def report_card_pdf(result: YearResult, config: Config, code: str) -> bytes:
    """One city's 单位考评卡 on its own (what a 市州 official may take away), as PDF bytes."""
    fonts = find_fonts()
    city = result.city(code)
    card = report_card(result, config, city, next((s for s in result.fund if s.city == code), None))
    pdf = _new_pdf(fonts, f"{city.name}{card.heading}", page_mark(result))
    scale = _card_scale(pdf, [card])
    pdf.add_page()
    _card_body(pdf, card, scale, first=False)
    return bytes(pdf.output())
