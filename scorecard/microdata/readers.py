"""A records file as a table of text with the line each row came from: CSV in UTF-8 (with or without BOM) or
GB18030, told apart by trying UTF-8 on the file's start; Parquet as it is. Nothing is interpreted here — the
cells are checked in DuckDB (importer.py) against the table the header names (schemas.py)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..errors import InputError

SNIFF_BYTES = 1 << 20
ENCODING_NAMES = {"utf-8-sig": "UTF-8", "gb18030": "GB18030"}


def encoding_of(path: Path) -> str:
    with path.open("rb") as file:
        head = file.read(SNIFF_BYTES)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < SNIFF_BYTES)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=len(head) < SNIFF_BYTES)
        return "gb18030"
    except UnicodeDecodeError:
        raise InputError(f"{path.name}：无法识别文件编码，请另存为UTF-8或GB18030编码的CSV") from None


def read_table(path: Path) -> tuple[pa.Table, str, str]:
    """The file's cells as text, a column source_line (the line in a CSV, the row in Parquet), and how the
    file was read (e.g. CSV（GB18030）) and the word for where a row is (行 or 条)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            table = pq.read_table(path)
            table = pa.table({name: pc.cast(table[name], pa.string()) for name in table.column_names})
            return _numbered(table, first=1), "Parquet", "条"
        if suffix in (".csv", ".txt"):
            encoding = encoding_of(path)
            header = _header(path, encoding)
            table = pacsv.read_csv(
                path, read_options=pacsv.ReadOptions(encoding=encoding, block_size=1 << 24),
                convert_options=pacsv.ConvertOptions(column_types={name: pa.string() for name in header},
                                                     strings_can_be_null=False))
            return _numbered(table, first=2), f"CSV（{ENCODING_NAMES[encoding]}）", "行"
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"{path.name}：无法读取（{_said(exc)}）") from None
    raise InputError(f"{path.name}：只接受 .csv 或 .parquet 文件")


def _header(path: Path, encoding: str) -> list[str]:
    with path.open(encoding=encoding, newline="") as file:
        line = file.readline()
    return [name.strip().strip('"') for name in line.rstrip("\r\n").split(",")]


def _numbered(table: pa.Table, first: int) -> pa.Table:
    renamed = table.rename_columns([name.strip().lstrip("\ufeff") for name in table.column_names])
    return renamed.append_column("source_line", pa.array(range(first, first + len(renamed)), pa.int32()))


def _said(exc: Exception) -> str:
    text = str(exc)
    if "Expected" in text and "columns" in text:
        return "某一行的列数与表头不一致"
    if "Empty CSV" in text:
        return "文件是空的"
    return "文件格式不正确"
