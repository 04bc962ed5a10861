"""The workbook's worksheets: xlsxwriter's, with a row of cells stored at once and the cells' XML written in one
pass — 400,000 cells at 2,800 units, where xlsxwriter's per-cell writers (a call, a check and an attribute list
each, on storing and again on saving) were most of the workbook.

The cells are stored where xlsxwriter keeps them (`table`, its own cell tuples), so that charts, merged ranges and
every other part of xlsxwriter read them as ever; the sheet's XML is the same, byte for byte, as xlsxwriter's own
(tests/test_excel_worksheet.py).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from functools import lru_cache

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellBlankTuple, CellDatetimeTuple, CellNumberTuple, CellStringTuple, Worksheet

from ..cells import inert

_inert = lru_cache(maxsize=1 << 16)(inert)   # the same texts (names, 合格, a method's words) on thousands of rows
_new = tuple.__new__
_SPAN = 16                                   # rows per block of the <row> spans attribute, as xlsxwriter counts


class Sheet(Worksheet):
    """A worksheet (`book.add_worksheet(name, Sheet)`) whose cells are written by `cells`."""

    def cells(self, row: int, col: int, values, looks) -> None:
        """Cells (row, col), (row, col + 1) … of `values`, each in its look (an xlsxwriter format): numbers as
        numbers, infinity as ∞, dates as dates, texts as texts that no spreadsheet runs (cells.inert), None and ""
        as blank cells."""
        kept = [j for j in (0, len(values) - 1) if values and _kept(values[j], looks[j])]
        for j in kept:                      # the sheet's dimensions, as each cell's writer would extend them
            self._check_dimensions(row, col + j)
        stored, strings = self.table[row], self.str_table
        index, texts = strings.string_table, 0   # the shared strings' indices, counted as _get_shared_string_index
        for j, value, look in zip(range(col, col + len(values)), values, looks):
            # the cell tuples made as their classes' own __new__ makes them (tuple.__new__), without its call
            kind = value.__class__
            if kind is float and -math.inf < value < math.inf:     # most cells: a finite number
                stored[j] = _new(CellNumberTuple, (value, look))
            elif kind is str and value:
                text = _inert(value)
                number = index.get(text)
                if number is None:
                    number = index[text] = strings.unique_count
                    strings.unique_count += 1
                texts += 1
                stored[j] = _new(CellStringTuple, (number, look))
            elif value is None or value == "":
                if look is not None:
                    stored[j] = _new(CellBlankTuple, (look,))
            elif isinstance(value, str):
                stored[j] = _new(CellStringTuple, (strings._get_shared_string_index(_inert(value)), look))
            elif isinstance(value, dt.datetime):
                stored[j] = CellDatetimeTuple(self._convert_date_time(value), look)
            elif math.isinf(value):         # completion of a "lower is better" indicator whose actual is 0
                stored[j] = CellStringTuple(strings._get_shared_string_index("∞"), look)
            else:
                stored[j] = _new(CellNumberTuple, (value, look))
        strings.count += texts

    def _write_rows(self) -> None:
        """The <row> and <c> elements of every row, as xlsxwriter's `_write_rows` writes them, each row one string:
        its <row> tag as xlsxwriter's `_write_row` writes it once per distinct look of a row (its spans and
        RowInfo), each cell's reference from the column's letters, the style index looked up once per format,
        a number's text made once per value (0 every time: -0 and 0 are equal keys, not equal texts)."""
        table, row_info, write = self.table, self.row_info, self.fh.write
        first, last = self.dim_rowmin, self.dim_rowmax
        comments = self.comments
        numbered = [r for r in range(first, last + 1) if table.get(r) or r in row_info or r in comments]
        spans = {}
        for r in numbered:
            columns = [*table.get(r, ()), *comments.get(r, ())]
            if columns:
                low, high = min(columns), max(columns)
                block = spans.get(r // _SPAN)
                spans[r // _SPAN] = (low, high) if block is None else (min(block[0], low), max(block[1], high))
        spans = {block: f"{low + 1}:{high + 1}" for block, (low, high) in spans.items()}
        letters, styles, tags, numbers = {}, {}, {}, {}
        for r in numbered:
            cells, info, span = table.get(r), row_info.get(r), spans.get(r // _SPAN)
            if not cells:
                self._write_empty_row(r, span, info)
                continue
            number = str(r + 1)
            shape = span, info and (info.height, info.row_format, info.hidden, info.level, info.collapsed)
            tag = tags.get(shape)
            if tag is None:
                tag = tags[shape] = self._row_tag(r, span, info)[len(f'<row r="{number}"'):]
            parts = [f'<row r="{number}"{tag}']
            for c in sorted(cells):
                cell = cells[c]
                kind, look = cell.__class__, cell.format or self._fallback_format(r, c)
                style = styles.get(look)
                if style is None:
                    style = styles[look] = f' s="{look._get_xf_index()}"' if look is not None else ""
                name = letters.get(c) or letters.setdefault(c, xl_col_to_name(c))
                if kind is CellNumberTuple or kind is CellDatetimeTuple:
                    value = cell[0]
                    text = numbers.get(value) if value else None
                    if text is None:
                        text = numbers[value] = f"{value:.16G}"
                    parts.append(f'<c r="{name}{number}"{style}><v>{text}</v></c>')
                elif kind is CellStringTuple:
                    parts.append(f'<c r="{name}{number}"{style} t="s"><v>{cell[0]}</v></c>')
                elif kind is CellBlankTuple:
                    parts.append(f'<c r="{name}{number}"{style}/>')
                else:                       # a formula, a rich string …: xlsxwriter's own writer
                    write("".join(parts))
                    parts = []
                    self._write_cell(r, c, cell)
            parts.append("</row>")
            write("".join(parts))

    def _row_tag(self, row: int, spans: str | None, info) -> str:
        """The <row> start tag xlsxwriter's `_write_row` writes."""
        fh, self.fh = self.fh, io.StringIO()
        try:
            self._write_row(row, spans, info)
            return self.fh.getvalue()
        finally:
            self.fh = fh

    def _fallback_format(self, row: int, col: int):
        """A cell without a format takes its row's, else its column's (as xlsxwriter's `_write_cell`)."""
        info = self.row_info.get(row)
        if info is not None and info.row_format:
            return info.row_format
        column = self.col_info.get(col)
        return column.column_format if column is not None else None


def _kept(value, look) -> bool:
    """Whether `cells` stores a cell for the value: a blank one only with a look, as xlsxwriter's write_blank."""
    return look is not None or not (value is None or value == "")
