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
    """A Chinese official document (公文, GB/T 9704-2012): the circular (通报) and the warning letter (预警报告)."""

    number: str
    title_lines: tuple[str, ...]            # the title broken where a reader pauses, as 公文 titles are
    addressee: str
    blocks: tuple
    attachment: str | None
    signature: tuple[str, ...]
    mark: str | None                        # 预估 / 演示数据, printed in the header of every page
    copy_to: str | None = None              # 抄送：… / 抄报：…, the first line of the 版记
    organ: str | None = None                # the issuing organ: the 红头 says “<organ>文件”
    printer: str | None = None              # 印发机关, the last line of the 版记 (with the 印发日期 left to fill)
    upward: bool = False                    # 上行文 (a report to a higher organ): 发文字号 on the left, 签发人 right

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


ISSUED_DATE = "　　年　　月　　日印发"      # the 版记's 印发日期, written in when the document is printed
SIGNER = "签发人：　　　"                  # a 上行文's 签发人, signed in by hand


def red_head(organ: str) -> str:
    """The 发文机关标志 of the 红头: 吉林省劳动和社会保障厅文件."""
    return organ + "文件"
