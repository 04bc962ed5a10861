"""exports/worksheet.Sheet writes the same sheet XML as xlsxwriter's own Worksheet for the same cells."""

import datetime as dt
import io
import zipfile

import xlsxwriter

from scorecard.exports.worksheet import Sheet


def _book(sheet_class, through_cells: bool) -> dict:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": dt.datetime(2026, 1, 1)})
    sheet = book.add_worksheet("表", sheet_class)
    bold, number = book.add_format({"bold": True}), book.add_format({"num_format": "0.00"})
    sheet.merge_range(0, 0, 0, 3, None, bold)
    rows = [["标题", None, None, None], ["甲", 1.5, -0.0, ""], ["=1+1", 2, float("inf"), dt.datetime(2003, 12, 1)]]
    looks = [[bold] * 4, [bold, number, number, bold], [None, number, bold, number]]
    for r, (values, row_looks) in enumerate(zip(rows, looks)):
        if through_cells:
            sheet.cells(r, 0, values, row_looks)
        else:
            for c, (value, look) in enumerate(zip(values, row_looks)):
                if value is None or value == "":
                    sheet.write_blank(r, c, None, look)
                elif isinstance(value, dt.datetime):
                    sheet.write_datetime(r, c, value, look)
                elif isinstance(value, str):
                    sheet.write_string(r, c, "'" + value if value.startswith("=") else value, look)
                elif value == float("inf"):
                    sheet.write_string(r, c, "∞", look)
                else:
                    sheet.write_number(r, c, value, look)
    for r in range(20, 40, 3):
        sheet.set_row(r, 30)
    # rows of each look (height, format, hidden, outline), some alike, some in another block of spans
    for r, height, look, options in ((21, 30, None, {}), (22, 30, None, {"hidden": True}), (24, 30, None, {}),
                                     (25, 18, bold, {"level": 2}), (26, None, None, {"collapsed": True}), (27, 30, None, {"collapsed": True}),
                                     (28, 30, None, {"level": 1}),
                                     (33, 30, None, {}), (34, 30, number, {})):
        sheet.set_row(r, height, look, options)
        values = ["乙", r * 1.5, 0.0, -0.0, r, 1 / 3, 1e20]
        if through_cells:
            sheet.cells(r, r % 3, values, [None, number, None, number, bold, None, number])
        else:
            sheet.write_string(r, r % 3, values[0], None)
            for c, (value, cell_look) in enumerate(zip(values[1:], [number, None, number, bold, None, number])):
                sheet.write_number(r, r % 3 + c + 1, value, cell_look)
    sheet.write_formula(40, 5, "=1+1", number)       # a cell kind Sheet leaves to xlsxwriter's own writer
    sheet.write_formula(41, 0, '="甲"', None, "甲")    # … one with a text value of its own
    book.close()
    parts = zipfile.ZipFile(buffer)
    return {n: parts.read(n) for n in parts.namelist() if n != "docProps/core.xml"}


def test_sheet_writes_what_xlsxwriter_writes():
    ours, theirs = _book(Sheet, True), _book(None, False)
    assert ours == theirs
    assert b'<c r="C3" s="1" t="s">' in ours["xl/worksheets/sheet1.xml"]      # the ∞ as a text
