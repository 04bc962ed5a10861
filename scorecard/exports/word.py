"""The circular, the warning letter and the 目标责任书 as Word documents laid out as Chinese official documents
(公文, GB/T 9704-2012).

A4 with the standard's 版心 (margins 37/35/28/26 mm, 22 lines of 28 characters), 正文 in 仿宋 三号 on a fixed
line pitch, 一、 headings in 黑体 and （一） in 楷体, the title in 二号 小标宋. A 公文 opens with the 红头 (the
issuing organ in red over a red rule under the 发文字号) and ends with the 成文日期 under the organ's name, where
the seal goes, and the 版记 (抄送, 印发机关 and 印发日期 between rules) at the foot of the last page. Page numbers
are “— 1 —” in 四号 宋体 on the outside edge: odd pages right, even pages left. The provisional/demo mark is in
the header of every page. Word has no embedded fonts: these are the font names of a Chinese Windows (方正小标宋
where an office has it, else Word's substitute); each kind of text is a named style, restyled in one place.
"""

from __future__ import annotations

import io
import re
from copy import deepcopy
from functools import lru_cache
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.oxml import serialize_part_xml
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from ..report import palette
from ..config import Config
from ..assessment.results import YearResult
from ..frozen import collector_paused
from . import layout
from .blocks import ISSUED_DATE, SIGNER, red_head
from .blocks import Document as Official
from .blocks import Figure, Heading, Pact, Paragraph, Table
from .circular import circular
from .fonts import Fonts, find_fonts

TEXT_SIZE = 16                      # 三号
LINE_PITCH = 28.95                  # points: 22 lines in the 225 mm of the 版心
CHAR_SPACING = -0.25                # points: 28 characters of 三号 in the 156 mm of the 版心
TEXT_WIDTH = Mm(210 - 28 - 26)
TABLE_SIZES = (14, 12, 10.5, 9)     # 四号, 小四, 五号, 小五: a table takes the largest its numbers fit on one line in
CELL_MARGIN = Mm(1)                 # left and right, narrower than Word's 1.9 mm so that a ranking table fits
CELL_PADDING = Mm(0.5)              # above and below: a row of one line is not pressed against its rules
RED = "FF0000"                      # the 红头's organ and rule
TITLE_FONT = "方正小标宋简体"
JUSTIFY = {"L": "left", "C": "center", "R": "right"}    # a table column's alignment as w:jc
HEADER_FILL = "#eef0f3"
# name: (East Asian font, size in pt, bold, alignment, first-line indent in characters, outline level)
STYLES = {
    "公文正文": ("仿宋", TEXT_SIZE, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, None),
    "发文机关标志": (TITLE_FONT, 36, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "公文标题": (TITLE_FONT, 22, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "公文文号": ("仿宋", TEXT_SIZE, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "公文主送": ("仿宋", TEXT_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
    "公文落款": ("仿宋", TEXT_SIZE, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, None),
    "一级标题": ("黑体", TEXT_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 2, 0),
    "二级标题": ("楷体", TEXT_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 2, 1),
    "图题": ("仿宋", 12, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "表格文字": ("仿宋", 12, False, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
    "表头": ("黑体", 12, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "页眉标记": ("黑体", 9, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, None),
    "公文版记": ("仿宋", 14, False, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
    "页码": ("宋体", 14, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, None),
}


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(_hex(color))


@lru_cache(maxsize=1)
def _style_elements() -> dict:
    """Each of STYLES' w:style element, by name, as python-docx makes it in a new document — once: it depends on
    STYLES and python-docx's default template alone (its properties set one by one took 11 ms a document)."""
    document = Document()
    _make_styles(document)
    return {name: document.styles[name].element for name in STYLES}


def _add_styles(document) -> None:
    styles = document.styles.element
    for element in _style_elements().values():
        styles.append(deepcopy(element))


def _make_styles(document) -> None:
    for name, (font, size, bold, align, indent, outline) in STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(size)
        style.font.bold = bold
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        layout = style.paragraph_format
        layout.alignment = align
        layout.first_line_indent = Pt(size * indent) if indent else None
        layout.space_before = layout.space_after = Pt(0)
        if size >= TEXT_SIZE:
            layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            layout.line_spacing = Pt(LINE_PITCH if size == TEXT_SIZE else round(size * 1.4))
            _char_spacing(style.element.get_or_add_rPr(), CHAR_SPACING)
        else:
            layout.line_spacing = 1.0
        if outline is not None:
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(outline))
            style.element.get_or_add_pPr().append(level)


def _char_spacing(properties, points: float) -> None:
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(round(points * 20)))
    properties.insert_element_before(spacing, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
                                     "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
                                     "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


def _page_number(paragraph, style, outside: WD_ALIGN_PARAGRAPH) -> None:
    """“— n —” with a PAGE field, one character in from the outside edge."""
    paragraph.style = style
    paragraph.alignment = outside
    indent = Pt(STYLES["页码"][1])
    if outside == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = indent
    else:
        paragraph.paragraph_format.left_indent = indent
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def _page_setup(document, mark: str | None) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)          # TEXT_WIDTH between them
    section.header_distance = Mm(15)
    section.footer_distance = Mm(22)                                    # the numbers 7 mm under the 版心
    document.settings.odd_and_even_pages_header_footer = True
    for header in (section.header, section.even_page_header):
        if mark:
            paragraph = header.paragraphs[0]
            paragraph.style = document.styles["页眉标记"]
            run = paragraph.add_run(f"【{mark}】")
            run.font.color.rgb = _rgb(palette.CRIMSON)
    _page_number(section.footer.paragraphs[0], document.styles["页码"], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], document.styles["页码"], WD_ALIGN_PARAGRAPH.LEFT)


def _cell_margins(grid, side=CELL_MARGIN) -> None:
    margins = parse_xml(_cell_margins_xml(side, f" {nsdecls('w')}"))
    grid._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


def _cell_margins_xml(side, declarations: str = "") -> str:
    margins = "".join(f'<w:{name} w:w="{round(width.twips)}" w:type="dxa"/>'
                      for name, width in (("top", CELL_PADDING), ("left", side), ("bottom", CELL_PADDING),
                                          ("right", side)))
    return f"<w:tblCellMar{declarations}>{margins}</w:tblCellMar>"


def _flag_row(row, *tags: str) -> None:
    properties = row._tr.get_or_add_trPr()
    for element in parse_xml(f"<w:trPr {nsdecls('w')}>{_flags(tags)}</w:trPr>"):
        properties.append(element)


def _flags(tags) -> str:
    """w:tblHeader (repeated after a page break), w:cantSplit (never broken across pages)."""
    return "".join(f'<{tag} w:val="true"/>' for tag in tags)


def _style_id(name: str) -> str:
    """The id of one of STYLES, the same in every document (`_style_elements`)."""
    return _style_elements()[name].styleId


def _set_style(paragraph, name: str) -> None:
    """`paragraph.style = document.styles[name]` for one of STYLES, without python-docx's searches of the styles
    (by name, and for the default style on every call, which made a table of a few hundred rows take seconds):
    each of STYLES is a style of its own, never the default."""
    paragraph._p.style = _style_id(name)


def _table_size(table: Table) -> tuple[float, list[float], bool]:
    """The largest of TABLE_SIZES at which every number and short text of the table stays on one line (else the
    smallest), the column widths at that size, and whether they do stay on one line."""
    padding = 2 * CELL_MARGIN.pt + 1
    for size in TABLE_SIZES:
        measure = layout.em_measure(size)
        fits = layout.fits_unbroken(table, TEXT_WIDTH.pt, padding, measure, measure)
        if fits or size == TABLE_SIZES[-1]:
            return size, layout.column_widths(table, TEXT_WIDTH.pt, padding, measure, measure, 2), fits
    raise AssertionError("TABLE_SIZES is empty")


def _table(document, table: Table, tables: list[bytes]) -> None:
    """The table written as one piece of WordprocessingML, as python-docx would write it cell by cell (which for a
    ranking of 2,800 units took most of the document's time), kept in `tables` and marked where it stands in the
    body: `_saved` writes it there, never parsed into the document's tree (parsing 7 MB at 2,800 units, writing it
    out again and python-docx's search of it for a picture's id cost as much as making it)."""
    size, widths, fits = _table_size(table)
    twips = [Pt(width).twips for width in widths]
    half_points = f'<w:sz w:val="{int(Pt(size).pt * 2)}"/>'
    header_style, text_style = _style_id("表头"), _style_id("表格文字")
    measure = layout.em_measure(size)
    header = []
    for text, width, w in zip(table.headers, widths, twips):
        wraps = measure(text) + 2 * CELL_MARGIN.pt > width
        parts = layout.header_parts(text) if wraps else [text]      # 待遇发放 / （25分）: broken before the bracket
        runs = "".join(_run(part, half_points, "<w:br/>" if n < len(parts) - 1 else "") for n, part in enumerate(parts))
        header.append(_cell(w, _fill(HEADER_FILL), header_style, "", runs))
    rows = [_row_xml(header, "w:tblHeader", "w:cantSplit")]
    for i, values in enumerate(table.rows):
        cells = []
        for j, (value, w) in enumerate(zip(values, twips)):
            # a number always fits its column (the widths' first step); a short text only where the table fits
            keep = layout.unbreakable(table, j, value) if fits else len(layout.units(value)) <= 1
            properties, fill = half_points, ""
            if j == table.color_column and table.colors:
                properties = f'<w:color w:val="{_hex(table.colors[i])}"/>{half_points}'
                fill = _fill(palette.light(table.colors[i]))
            cells.append(_cell(w, fill + ("<w:noWrap/>" if keep else ""), text_style,
                               f'<w:jc w:val="{JUSTIFY[table.align[j]]}"/>', _run(value, properties)))
        rows.append(_row_xml(cells, "w:cantSplit"))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    tables.append(
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{document.styles["Table Grid"].style_id}"/>'
        '<w:tblW w:type="auto" w:w="0"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        f'{_cell_margins_xml(CELL_MARGIN)}<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" '
        'w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
        f'<w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'.encode())
    document.element.body.sectPr.addprevious(etree.Comment(f"{_TABLE_MARK}{len(tables) - 1}"))


def _hex(color: str) -> str:
    return color.lstrip("#").upper()


def _fill(color: str) -> str:
    return f'<w:shd w:val="clear" w:color="auto" w:fill="{_hex(color)}"/>'


def _row_xml(cells: list[str], *flags: str) -> str:
    return f"<w:tr><w:trPr>{_flags(flags)}</w:trPr>{''.join(cells)}</w:tr>"


def _cell(twips: int, properties: str, style: str, paragraph: str, runs: str) -> str:
    """A cell of one paragraph, vertically centred; `properties` between its width and its alignment (w:shd,
    w:noWrap), `paragraph` after its style (w:jc)."""
    return (f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips}"/>{properties}<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{paragraph}</w:pPr>{runs}</w:p></w:tc>')


_RUN_BREAKS = re.compile(r"([\t\r\n])")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _run(text: str, properties: str, end: str = "") -> str:
    """A run of `text` as python-docx writes one: a tab as w:tab, a line break as w:br, spaces kept. A text XML
    cannot hold is refused as python-docx refuses it in a paragraph (a table's text is never parsed)."""
    if _NOT_XML.search(text):
        raise ValueError(f"文字中有Word文档不能容纳的控制字符：{text!r}")
    content = []
    for piece in _RUN_BREAKS.split(text):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            content.append("<w:br/>")
        elif piece:
            keep = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            content.append(f"<w:t{keep}>{escape(piece)}</w:t>")
    return f"<w:r><w:rPr>{properties}</w:rPr>{''.join(content)}{end}</w:r>"


def _paragraph(document, text: str, style: str):
    paragraph = document.add_paragraph(text)
    _set_style(paragraph, style)
    return paragraph


def _border(parent, side: str, eighths: int, color: str = "auto", space: int = 0) -> None:
    """A rule of `eighths` of a point on one side of a paragraph (w:pBdr) or a table cell (w:tcBorders)."""
    rule = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", str(eighths)), ("w:space", str(space)), ("w:color", color)):
        rule.set(qn(key), value)
    parent.append(rule)


def _red_head(document, doc: Official) -> None:
    """版头: the organ's name in red (as large as fits the 版心's width on one line), two lines below it the
    发文字号, and 4 mm under that the red rule as wide as the 版心."""
    mark = red_head(doc.organ)
    size = min(STYLES["发文机关标志"][1], int(TEXT_WIDTH.pt / len(mark)))
    head = _paragraph(document, mark, "发文机关标志")
    for run in head.runs:
        run.font.size = Pt(size)
        run.font.color.rgb = RGBColor.from_string(RED)
    head.paragraph_format.line_spacing = Pt(round(size * 1.3))
    _paragraph(document, "", "公文文号")
    number = _paragraph(document, doc.number, "公文文号")
    if doc.upward:          # 发文字号 one character from the left, 签发人 one from the right (GB/T 9704 7.2.4);
        number.alignment = WD_ALIGN_PARAGRAPH.LEFT      # spaces, not indents, which would shorten the red rule
        number.runs[0].text = f"　{doc.number}"
        number.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - Pt(TEXT_SIZE), alignment=2)   # right
        number.add_run(f"\t{SIGNER}")
    borders = OxmlElement("w:pBdr")
    _border(borders, "bottom", 12, RED, space=11)                       # 1.5 pt, 4 mm below the 发文字号
    number._p.get_or_add_pPr().append(borders)
    _paragraph(document, "", "公文正文")


def _signature(document, lines: tuple[str, ...]) -> list:
    """发文机关署名 and 成文日期 (GB/T 9704 7.3.5.1): the date four characters from the right edge, the name
    centred over it — or, if the name is the longer, the name two characters from the edge and the date centred
    under it. Two lines above are left for the seal, which presses on both."""
    gaps = [_paragraph(document, "", "公文正文") for _ in range(2)]
    longest = max(len(line) for line in lines)
    edge = 4 if len(lines[-1]) >= longest else 2
    written = []
    for line in lines:
        paragraph = _paragraph(document, line, "公文落款")
        paragraph.paragraph_format.right_indent = Pt(TEXT_SIZE * (edge + (longest - len(line)) / 2))
        written.append(paragraph)
    return gaps + written


def _record(document, doc: Official) -> None:
    """版记: 抄送 and 印发机关/印发日期 between rules as wide as the 版心 (thick first and last, thin between), one
    character in from either side, in a table without side rules after the 成文日期 on the last page. (A table
    floating at the page's foot would be the standard's place, but LibreOffice lays it out inline anyway.)"""
    lines = [text for text in (doc.copy_to, doc.printer) if text]
    margin = Pt(STYLES["公文版记"][1])
    width = TEXT_WIDTH
    _paragraph(document, "", "公文正文").paragraph_format.keep_with_next = True
    grid = document.add_table(rows=len(lines), cols=1)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _cell_margins(grid, Pt(0))
    for n, (row, text) in enumerate(zip(grid.rows, lines)):
        cell = row.cells[0]
        cell.width = width
        borders = OxmlElement("w:tcBorders")
        _border(borders, "top", 6 if n else 8)                            # 0.25 mm between, 0.35 mm around
        if n == len(lines) - 1:
            _border(borders, "bottom", 8)
        cell._tc.get_or_add_tcPr().append(borders)
        _flag_row(row, "w:cantSplit")
        paragraph = cell.paragraphs[0]
        _set_style(paragraph, "公文版记")
        paragraph.paragraph_format.keep_with_next = n < len(lines) - 1
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = margin
        if n == len(lines) - 1 and doc.printer:      # 印发机关 on the left, 印发日期 on the right
            paragraph.paragraph_format.tab_stops.add_tab_stop(width - 2 * margin, alignment=2)   # right
            paragraph.add_run(f"{text}\t{ISSUED_DATE}")
        else:
            paragraph.add_run(text)
        paragraph.paragraph_format.line_spacing = Pt(LINE_PITCH)
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    grid.columns[0].width = width


def _blocks(document, blocks, fonts: Fonts, tables: list[bytes]):
    """The headings, paragraphs, tables (into `tables`, see `_table`) and figures of a document; returns the last
    paragraph written."""
    last = previous = None
    for block in blocks:
        if isinstance(block, Heading):
            _paragraph(document, block.text, "一级标题" if block.level == 1 else "二级标题").paragraph_format \
                .keep_with_next = True
        elif isinstance(block, Paragraph):
            last = _paragraph(document, block.text, "公文正文")
            if isinstance(previous, Table):         # half a line below a table, as in the PDF
                last.paragraph_format.space_before = Pt(TEXT_SIZE / 2)
        elif isinstance(block, Table):
            _table(document, block, tables)
        elif isinstance(block, Figure):
            picture = _paragraph(document, "", "图题")
            picture.paragraph_format.keep_with_next = True
            picture.add_run().add_picture(io.BytesIO(block.draw(fonts)), width=Mm(150))
            _paragraph(document, block.caption, "图题")
        previous = block
    return last


def _write(document, doc: Official, fonts: Fonts, tables: list[bytes]) -> None:
    if doc.organ:
        _red_head(document, doc)
    else:
        _paragraph(document, doc.number, "公文文号")
    _paragraph(document, "", "公文正文")
    title = _paragraph(document, "", "公文标题")
    for n, line in enumerate(doc.title_lines):
        run = title.add_run(line)
        if n < len(doc.title_lines) - 1:
            run.add_break()
    _paragraph(document, "", "公文正文")
    _paragraph(document, doc.addressee, "公文主送")
    last = _blocks(document, doc.blocks, fonts, tables)
    closing = [last] if doc.blocks and isinstance(doc.blocks[-1], Paragraph) else []   # a signature never stands alone
    if doc.attachment:
        closing.append(_paragraph(document, "", "公文正文"))
        closing.append(_paragraph(document, f"附件：{doc.attachment}", "公文正文"))
    closing += _signature(document, doc.signature)
    record = bool(doc.copy_to or doc.printer)
    for paragraph in closing if record else closing[:-1]:
        paragraph.paragraph_format.keep_with_next = True
    if record:
        _record(document, doc)
        end = _paragraph(document, "", "公文版记")       # a document does not end with a table: a line of 1 pt
        end.paragraph_format.line_spacing, end.paragraph_format.line_spacing_rule = Pt(1), WD_LINE_SPACING.EXACTLY


def _new_document(title: str, mark: str | None):
    document = Document()
    _add_styles(document)
    _page_setup(document, mark)
    document.core_properties.title = title
    document.core_properties.author = "失业保险目标责任制考评系统"
    document.core_properties.language = "zh-CN"
    return document


_TABLE_MARK = "scorecard table "      # a comment's text: the n-th of `_table`'s tables stands here
_MARKS = re.compile(f"<!--{_TABLE_MARK}([0-9]+)-->".encode())


class _WithTables:
    """The document part as `_saved` writes it: its XML with each table's mark replaced by the table (no text or
    attribute of a part's XML can hold "<!--": it is written &lt;!--)."""

    def __init__(self, part, tables: list[bytes]):
        self._part, self._tables = part, tables

    def __getattr__(self, name):
        return getattr(self._part, name)

    @property
    def blob(self) -> bytes:
        return _MARKS.sub(lambda mark: self._tables[int(mark[1])], serialize_part_xml(self._part.element))


def _saved(document, tables: list[bytes]) -> bytes:
    """The .docx bytes, as `document.save` writes them (python-docx's OpcPackage.save), `tables` in their places."""
    buffer = io.BytesIO()
    main, package = document.part, document.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    PackageWriter.write(buffer, package.rels, [_WithTables(part, tables) if part is main else part for part in parts])
    return buffer.getvalue()


def document_docx(doc: Official) -> bytes:
    """A 公文 (the circular, a warning letter) as .docx bytes."""
    fonts = find_fonts()
    document, tables = _new_document(doc.title, doc.mark), []
    _write(document, doc, fonts, tables)
    return _saved(document, tables)


def _restart_page_numbers(section) -> None:
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    section._sectPr.append(numbering)


def _signatures(document, pact: Pact) -> None:
    """The parties' signature blocks side by side, in a table without rules, kept on one page."""
    grid = document.add_table(rows=1, cols=len(pact.signatures))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    width = Pt(TEXT_WIDTH.pt / len(pact.signatures))
    for cell, lines in zip(grid.rows[0].cells, pact.signatures):
        cell.width = width
        for n, line in enumerate(lines):
            paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
            _set_style(paragraph, "公文主送")
            paragraph.add_run(line)
            paragraph.paragraph_format.space_before = Pt(TEXT_SIZE) if n else None
            paragraph.paragraph_format.keep_with_next = n < len(lines) - 1
    _flag_row(grid.rows[0], "w:cantSplit")     # the blocks stay on one page


def _write_pact(document, pact: Pact, fonts: Fonts, tables: list[bytes]) -> None:
    _paragraph(document, "", "公文正文")
    _paragraph(document, pact.title, "公文标题")
    _paragraph(document, "", "公文正文")
    for party in pact.parties:
        _paragraph(document, party, "公文主送")
    _paragraph(document, "", "公文正文")
    last = _blocks(document, pact.blocks, fonts, tables)
    if last is not None:
        last.paragraph_format.keep_with_next = True     # the signatures never stand alone on a page
    gap = _paragraph(document, "", "公文正文")
    gap.paragraph_format.keep_with_next = True
    _signatures(document, pact)


def pacts_docx(pacts: list[Pact], title: str) -> bytes:
    """目标责任书, one or a bundle (each from a new page, its pages numbered from 1), as .docx bytes."""
    fonts = find_fonts()
    document, tables = _new_document(title, None), []
    for n, pact in enumerate(pacts):
        if n:
            _restart_page_numbers(document.add_section(WD_SECTION.NEW_PAGE))
        _write_pact(document, pact, fonts, tables)
    return _saved(document, tables)


@collector_paused()     # a ranking and problem lists of 2,800 units: a full collection of the whole process now and then
def circular_docx(result: YearResult, config: Config) -> bytes:
    """The circular (通报) as .docx bytes."""
    return document_docx(circular(result, config))
