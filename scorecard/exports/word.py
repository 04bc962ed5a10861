"""The circular as a Word document laid out as a Chinese official document (公文, GB/T 9704).

A4, 仿宋 三号 text at a fixed 28-point line pitch, 黑体 and 楷体 headings, the title in bold 宋体
二号, page numbers as `— n —`, and the provisional/demo mark in the header of every page.
Word has no embedded fonts: these are the font names every Chinese Windows has. Each kind of
text is a named paragraph style, so whoever edits the circular can restyle it in one place.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..report import palette
from ..config import Config
from ..assessment.results import YearResult
from . import layout
from .blocks import Document as Official
from .blocks import Figure, Heading, Pact, Paragraph, Table
from .circular import circular
from .fonts import Fonts, find_fonts

TEXT_SIZE, TABLE_SIZE = 16, 9.5
TEXT_WIDTH = Cm(21.0 - 2.8 - 2.6)
CELL_MARGIN = Cm(0.1)               # left and right, narrower than Word's 0.19 cm so that a ranking table fits
CELL_PADDING = Cm(0.05)             # above and below: a row of one line is not pressed against its rules
PARAGRAPH_ALIGN = {"L": WD_ALIGN_PARAGRAPH.LEFT, "C": WD_ALIGN_PARAGRAPH.CENTER, "R": WD_ALIGN_PARAGRAPH.RIGHT}
# name: (East Asian font, size in pt, bold, alignment, first-line indent in characters, outline level)
STYLES = {
    "公文正文": ("仿宋", TEXT_SIZE, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, None),
    "公文标题": ("宋体", 22, True, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "公文文号": ("仿宋", TEXT_SIZE, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "公文主送": ("仿宋", TEXT_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
    "公文落款": ("仿宋", TEXT_SIZE, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, None),
    "一级标题": ("黑体", TEXT_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 2, 0),
    "二级标题": ("楷体", TEXT_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 2, 1),
    "图题": ("仿宋", 12, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "表格文字": ("宋体", TABLE_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
    "表头": ("黑体", TABLE_SIZE, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "页眉标记": ("黑体", 9, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, None),
    "公文版记": ("仿宋", 14, False, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
    "页码": ("宋体", 14, False, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
}


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def _add_styles(document) -> None:
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
            layout.line_spacing = Pt(28 if size == TEXT_SIZE else 36)
        else:
            layout.line_spacing = 1.0
        if outline is not None:
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(outline))
            style.element.get_or_add_pPr().append(level)


def _page_setup(document, mark: str | None) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)         # TEXT_WIDTH between them
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    if mark:
        paragraph = section.header.paragraphs[0]
        paragraph.style = document.styles["页眉标记"]
        run = paragraph.add_run(f"【{mark}】")
        run.font.color.rgb = _rgb(palette.CRIMSON)
    footer = section.footer.paragraphs[0]
    footer.style = document.styles["页码"]
    footer.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    footer.add_run(" —")


def _set_cell_fill(cell, color: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), color.lstrip("#").upper())
    cell._tc.get_or_add_tcPr().insert_element_before(   # the schema fixes the order of a cell's properties
        shading, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def _cell_margins(grid) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side, width in (("top", CELL_PADDING), ("left", CELL_MARGIN), ("bottom", CELL_PADDING), ("right", CELL_MARGIN)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(width.twips)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    grid._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")


def _flag_row(row, *tags: str) -> None:
    """w:tblHeader (repeated after a page break), w:cantSplit (never broken across pages)."""
    properties = row._tr.get_or_add_trPr()
    for tag in tags:
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        properties.append(element)


def _set_style(paragraph, style) -> None:
    """`paragraph.style = style` without python-docx's lookup of the default style on every call,
    which makes a table of a few hundred rows take seconds."""
    paragraph._p.style = style.style_id


def _table(document, table: Table) -> None:
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _cell_margins(grid)
    widths = layout.column_widths(table, TEXT_WIDTH.pt, 2 * CELL_MARGIN.pt + 1, layout.em_measure(TABLE_SIZE),
                                  layout.em_measure(TABLE_SIZE))
    for column, width in zip(grid.columns, widths):
        column.width = Pt(width)
    header_style, text_style = document.styles["表头"], document.styles["表格文字"]
    rows = iter(grid.rows)
    header = next(rows)
    _flag_row(header, "w:tblHeader", "w:cantSplit")
    for cell, text, width in zip(header.cells, table.headers, widths):
        cell.width = Pt(width)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _set_style(cell.paragraphs[0], header_style)
        cell.paragraphs[0].add_run(text)
        _set_cell_fill(cell, "#eef0f3")
    for i, (row, values) in enumerate(zip(rows, table.rows)):
        for j, (cell, value) in enumerate(zip(row.cells, values)):
            cell.width = Pt(widths[j])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            _set_style(paragraph, text_style)
            paragraph.alignment = PARAGRAPH_ALIGN[table.align[j]]
            run = paragraph.add_run(value)
            if j == table.color_column and table.colors:
                run.font.color.rgb = _rgb(table.colors[i])
                _set_cell_fill(cell, palette.light(table.colors[i]))


def _paragraph(document, text: str, style: str):
    return document.add_paragraph(text, style=document.styles[style])


def _rule_above(paragraph) -> None:
    """The line that opens the 版记 (抄报 …) at the foot of a 公文."""
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "4"), ("w:color", "auto")):
        top.set(qn(key), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().append(borders)


def _blocks(document, blocks, fonts: Fonts):
    """The headings, paragraphs, tables and figures of a document; returns the last paragraph written."""
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
            _table(document, block)
        elif isinstance(block, Figure):
            picture = document.add_paragraph(style=document.styles["图题"])
            picture.paragraph_format.keep_with_next = True
            picture.add_run().add_picture(io.BytesIO(block.draw(fonts)), width=Cm(15))
            _paragraph(document, block.caption, "图题")
        previous = block
    return last


def _write(document, doc: Official, fonts: Fonts) -> None:
    _paragraph(document, doc.number, "公文文号")
    _paragraph(document, "", "公文文号")
    title = document.add_paragraph(style=document.styles["公文标题"])
    for n, line in enumerate(doc.title_lines):
        run = title.add_run(line)
        if n < len(doc.title_lines) - 1:
            run.add_break()
    _paragraph(document, "", "公文正文")
    _paragraph(document, doc.addressee, "公文主送")
    last = _blocks(document, doc.blocks, fonts)
    closing = [last] if doc.blocks and isinstance(doc.blocks[-1], Paragraph) else []   # a signature never stands alone
    if doc.attachment:
        closing.append(_paragraph(document, f"附件：{doc.attachment}", "公文正文"))
    closing.append(_paragraph(document, "", "公文正文"))
    for line in doc.signature:
        signature = _paragraph(document, line, "公文落款")
        signature.paragraph_format.right_indent = Pt(TEXT_SIZE * 4)
        closing.append(signature)
    for paragraph in closing[:-1]:
        paragraph.paragraph_format.keep_with_next = True
    if doc.copy_to:
        _paragraph(document, "", "公文正文")
        _rule_above(_paragraph(document, doc.copy_to, "公文版记"))


def _new_document(title: str, mark: str | None):
    document = Document()
    _add_styles(document)
    _page_setup(document, mark)
    document.core_properties.title = title
    document.core_properties.author = "失业保险目标责任制考评系统"
    document.core_properties.language = "zh-CN"
    return document


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def document_docx(doc: Official) -> bytes:
    """A 公文 (the circular, a warning letter) as .docx bytes."""
    fonts = find_fonts()
    document = _new_document(doc.title, doc.mark)
    _write(document, doc, fonts)
    return _saved(document)


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
            _set_style(paragraph, document.styles["公文主送"])
            paragraph.add_run(line)
            paragraph.paragraph_format.space_before = Pt(TEXT_SIZE) if n else None
            paragraph.paragraph_format.keep_with_next = n < len(lines) - 1
    _flag_row(grid.rows[0], "w:cantSplit")     # the blocks stay on one page


def _write_pact(document, pact: Pact, fonts: Fonts) -> None:
    _paragraph(document, "", "公文正文")
    _paragraph(document, pact.title, "公文标题")
    _paragraph(document, "", "公文正文")
    for party in pact.parties:
        _paragraph(document, party, "公文主送")
    _paragraph(document, "", "公文正文")
    last = _blocks(document, pact.blocks, fonts)
    if last is not None:
        last.paragraph_format.keep_with_next = True     # the signatures never stand alone on a page
    gap = _paragraph(document, "", "公文正文")
    gap.paragraph_format.keep_with_next = True
    _signatures(document, pact)


def pacts_docx(pacts: list[Pact], title: str) -> bytes:
    """目标责任书, one or a bundle (each from a new page, its pages numbered from 1), as .docx bytes."""
    fonts = find_fonts()
    document = _new_document(title, None)
    for n, pact in enumerate(pacts):
        if n:
            _restart_page_numbers(document.add_section(WD_SECTION.NEW_PAGE))
        _write_pact(document, pact, fonts)
    return _saved(document)


def circular_docx(result: YearResult, config: Config) -> bytes:
    """The circular (通报) as .docx bytes."""
    return document_docx(circular(result, config))
