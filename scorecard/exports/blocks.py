"""The pieces a document is written in, independent of Word or PDF: word.py and pdf.py lay them out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

NUMERALS = "一二三四五六七八九十"


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
    unbroken: tuple[int, ...] = ()          # columns whose cells never wrap (a target: 不超过3,220.00万元)


@dataclass(frozen=True)
class Figure:
    caption: str
    draw: Callable[..., bytes] = field(compare=False)   # fonts.Fonts → the chart as PNG, in the documents' font


@dataclass(frozen=True)
class Document:
    """A Chinese official document (公文): the circular (通报) and the warning letter (预警报告)."""

    number: str
    title_lines: tuple[str, ...]            # the title broken where a reader pauses, as 公文 titles are
    addressee: str
    blocks: tuple
    attachment: str | None
    signature: tuple[str, ...]
    mark: str | None                        # 预估 / 演示数据, printed in the header of every page
    copy_to: str | None = None              # 抄报：… under the signature

    @property
    def title(self) -> str:
        return "".join(self.title_lines)


@dataclass(frozen=True)
class Pact:
    """A document both sides sign (the 目标责任书): title, the parties, the articles, and a signature block per
    party side by side, each its lines (who seals, who signs, the date)."""

    title: str
    parties: tuple[str, ...]                # 甲方：吉林省人民政府 / 乙方：长春市人民政府
    blocks: tuple
    signatures: tuple[tuple[str, ...], ...]
    bookmark: str                           # its name in a bundle's outline (the city)


def numbered(sections: Iterable[tuple[str, Iterable]]) -> list:
    """Each section's heading numbered 一、二、… (a 公文's first level), followed by its blocks."""
    blocks = []
    for n, (heading, body) in enumerate(sections):
        blocks.append(Heading(f"{NUMERALS[n]}、{heading}"))
        blocks.extend(body)
    return blocks
