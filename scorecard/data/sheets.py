"""Spreadsheets as grids of text, every row with the row number a user sees in Excel.

A CSV is read by DuckDB, in parallel and without a Python loop per row. DuckDB
wants UTF-8 and skips blank lines, so a GB18030/GBK (or UTF-16) file is
transcoded and blank lines are padded, in chunks, into a copy. An xlsx sheet is read by
openpyxl. Either way a grid is a relation (line, c0, c1, …) of VARCHAR cells.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 24
# scan()'s pieces: it runs beside DuckDB's check of the file, and holds Python's lock only a piece's decoding long
SCAN_CHUNK = 1 << 20
SPARE_COLUMNS = 8  # room for fields beyond the header, e.g. an unquoted thousands comma: 1,234
HEAD_BYTES = 1 << 16
_BLANK_LINE = re.compile(rb"(?m)^(?=\r?\n)")


class SheetError(Exception):
    """A file that cannot be read as a table, said in Chinese."""


@dataclass(frozen=True)
class FileScan:
    sha256: str
    size: int
    encoding: str        # "utf-8", "gb18030" or "utf-16"
    blank_lines: bool
    quotes: bool

    @property
    def reading(self) -> tuple[str, bool, bool]:
        """What decides how the file is read: its copy (readable_csv), DuckDB's reader (csv_grid), its format."""
        return self.encoding, self.blank_lines, self.quotes


# What scan() finds in a file DuckDB reads as it is, serially or in parallel; its checksum is not known yet
PLAIN = FileScan("", 0, "utf-8", False, False)


def _blank(window: bytes, first: bool) -> bool:
    return first and window[:1] in (b"\n", b"\r") or bool(re.search(rb"\n\r?\n", window))


def plain_head(path: Path) -> bool:
    """Whether the first bytes of a file are as scan() finds a PLAIN file's: UTF-8 (not UTF-16, nor a zip), no
    quote, no blank line. A file that looks plain may yet not be (scan() reads it all); one that does not, is not."""
    with open(path, "rb") as stream:
        head = stream.read(HEAD_BYTES)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head)  # a character cut at the end is not an error
    except UnicodeDecodeError:
        return False
    return not (head.startswith(b"PK\x03\x04") or b'"' in head or _blank(head, True))


def scan(path: Path) -> FileScan:
    """One pass over the bytes: checksum, encoding, and whether DuckDB can read them as they are."""
    digest = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    is_utf8, blank, quotes, size, tail = True, False, False, 0, b""
    with open(path, "rb") as stream:
        while chunk := stream.read(SCAN_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if is_utf8:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    is_utf8 = False
            window = tail + chunk
            blank = blank or _blank(window, size == len(chunk))
            quotes = quotes or b'"' in chunk
            tail = chunk[-2:]
    if is_utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    with open(path, "rb") as stream:
        utf16 = stream.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # Excel's “Unicode 文本”
    encoding = "utf-16" if utf16 else "utf-8" if is_utf8 else "gb18030"
    return FileScan(digest.hexdigest(), size, encoding, blank, quotes)


def readable_csv(path: Path, info: FileScan, workdir: Path) -> Path:
    """The file itself when DuckDB can read it; else a UTF-8 copy whose blank lines hold a lone comma
    (so DuckDB counts them and row numbers stay those of the file)."""
    if info.encoding == "utf-8" and not info.blank_lines:
        return path
    target = workdir / "source-utf8.csv"
    decoder = codecs.getincrementaldecoder("utf-8-sig" if info.encoding == "utf-8" else info.encoding)()
    carry = b""
    try:
        with open(path, "rb") as source, open(target, "wb") as out:
            while chunk := source.read(CHUNK):
                data = carry + decoder.decode(chunk).encode("utf-8")
                cut = data.rfind(b"\n") + 1
                out.write(_BLANK_LINE.sub(b",", data[:cut]))
                carry = data[cut:]
            out.write(carry + decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError:
        raise SheetError("无法识别文件编码（既不是UTF-8也不是GB18030），请在Excel中另存为“CSV UTF-8”") from None
    return target


def csv_head(path: Path, rows: int = 30) -> tuple[str, list[list[str]]]:
    """The delimiter and the first rows of a UTF-8 CSV, for recognising its header."""
    with open(path, "rb") as stream:
        text = stream.read(HEAD_BYTES).decode("utf-8-sig", errors="ignore")
    lines = text.splitlines()
    if len(text.encode()) >= HEAD_BYTES - 4 and lines:
        lines = lines[:-1]  # the last line may be cut in the middle
    first = next((line for line in lines if line.strip()), "")
    delimiter = max(",\t;", key=first.count) if first else ","
    head = list(csv.reader(io.StringIO("\n".join(lines[:rows])), delimiter=delimiter))
    return delimiter, head


def csv_grid(path: Path, delimiter: str, width: int, quotes: bool) -> tuple[str, dict]:
    """SQL (and its parameters) of the grid of a UTF-8 CSV: line, c0 … c(width + spare − 1)."""
    columns = {f"c{i}": "VARCHAR" for i in range(width + SPARE_COLUMNS)}
    # DuckDB's parallel reader cannot pad rows once a quoted field spans lines; quotes are rare in big files.
    sql = f"""(SELECT ordinality AS line, * EXCLUDE (ordinality)
               FROM read_csv($csv_path, delim = $csv_delim, quote = '"', escape = '"', header = false,
                             columns = $csv_columns, auto_detect = false, null_padding = true,
                             strict_mode = false, parallel = {str(not quotes).lower()}) WITH ORDINALITY)"""
    return sql, {"csv_path": str(path), "csv_delim": delimiter, "csv_columns": columns}


def cell_text(value) -> str | None:
    """An xlsx cell as the text a CSV would hold: 2003 not 2003.0, the full precision of a float."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def open_workbook(raw: bytes):
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise SheetError(f"无法读取表格（文件损坏或不是xlsx）：{exc}") from None


def sheet_rows(sheet, limit: int | None = None) -> list[list[str | None]]:
    """The rows of a sheet as text, row 1 first (empty rows kept, so that index + 1 is the row number)."""
    try:
        return [[cell_text(v) for v in row] for row in sheet.iter_rows(max_row=limit, values_only=True)]
    except Exception as exc:  # read-only workbooks parse lazily: damage shows only here
        raise SheetError(f"无法读取工作表“{sheet.title}”（文件可能已损坏）：{exc}") from None


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
