"""The pieces a document is written in, independent of Word or PDF: word.py and pdf.py lay them out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1          # 1: 一、…（黑体）  2: （一）…


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...]                  # per column: L, C or R
    colors: tuple[str, ...] = ()            # per row: the palette colour of `color_column`
    color_column: int | None = None


@dataclass(frozen=True)
class Figure:
    caption: str                            # the bar chart of totals, drawn by chart.totals_png
