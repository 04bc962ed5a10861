"""Chinese line breaking and table column widths, shared by the PDF and the Word document.

Lines break between characters, but never before closing punctuation, after opening punctuation,
or inside a number with its unit. Table columns are sized to their contents. Widths come from a
`measure(text) -> width` function: real font metrics in the PDF, an em-based estimate in Word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

from .blocks import Table

Measure = Callable[[str], float]

CLOSING = set("，。、；：？！）》」』”’％,.;:!?)]%…—")
OPENING = set("（《「『“‘([")
# a number keeps its sign and unit (6,682.20万元, -25.95万元, 2个月, 12月); any other character stands alone
_UNIT = r"(?:-(?=\d))?[0-9A-Za-z][0-9A-Za-z.,:/%+\-]*(?:万人次|万元|万人|人次|个月|万|元|人|分|个|户|年|月|日|天|名)?|."


def _one_of(characters: set[str]) -> str:
    return f"[{''.join(map(re.escape, sorted(characters)))}]"


# a unit with the opening punctuation before it and the closing after it
_PIECE = re.compile(rf"{_one_of(OPENING)}*(?:{_UNIT}){_one_of(CLOSING)}*", re.S)
UNBROKEN = 4          # cell texts this short never wrap (等次, 名次, 不合格)
SHORT = 10            # cell texts this short wrap only when the table cannot fit otherwise


@lru_cache(maxsize=1 << 16)     # the cells of thousands of rows repeat (合格, 25.00)
def units(text: str) -> tuple[str, ...]:
    """Pieces a line may not break inside: a character, a number or word, punctuation kept with its neighbour."""
    return tuple(_PIECE.findall(text))


def wrap(text: str, width: float, measure: Measure, first_width: float | None = None) -> list[tuple[str, float]]:
    """(line, its width) of `text` fitting `width` (the first line `first_width`); newlines are kept."""
    lines: list[tuple[str, float]] = []
    for paragraph in text.split("\n"):
        pieces = units(paragraph)
        widths = list(map(measure, pieces))
        start = 0
        limit = first_width if first_width is not None and not lines else width
        while True:
            # the line's width piece by piece, added from its first as the line is filled; a line takes at least
            # one piece, and breaks before the first that would go past the limit
            used = list(accumulate(widths[start:]))
            end = start + bisect_right(used, limit, lo=1)
            if end >= len(pieces):
                lines.append(("".join(pieces[start:]), used[-1] if used else 0.0))
                break
            lines.append(("".join(pieces[start:end]).rstrip(), used[end - start - 1]))
            start, limit = (end + 1 if pieces[end].isspace() else end), width
    return lines


def header_parts(text: str) -> list[str]:
    """A long header breaks before its bracket first: 待遇发放 / （25分）."""
    head, bracket, rest = text.partition("（")
    return [head, bracket + rest] if bracket and head and len(text) > UNBROKEN else [text]


def cell_lines(text: str, width: float, measure: Measure) -> list[str]:
    # a text that fits, measured whole, is the one line wrap would give: its pieces' widths add up to the whole's
    # (to within rounding, far inside the margin kept); most cells of thousands of rows fit
    if len(text) <= UNBROKEN or ("\n" not in text and measure(text) < width * (1 - 1e-9)):
        return [text]
    return [line for line, _ in wrap(text, width, measure)]


def unbreakable(table: Table, column: int, text: str) -> bool:
    """A cell text kept on one line: short (a name, a status), one number with its unit, or in an `unbroken`
    column."""
    return len(text) <= SHORT or column in table.unbroken or len(units(text)) <= 1


def fits_unbroken(table: Table, room: float, padding: float, header: Measure, body: Measure) -> bool:
    """Whether `room` holds the table with every short text and number on one line, its headers on two."""
    return sum(short for _, short, _ in _levels(table, padding, header, body, header_lines=2)) <= room


def _levels(table: Table, padding: float, header: Measure, body: Measure,
            header_lines: int = 1) -> list[tuple[float, float, float]]:
    """Per column: the width of its longest unbreakable piece, of its longest short text, of its longest line
    (a header taking up to `header_lines` lines)."""
    levels: list[tuple[float, float, float]] = []
    for j, title in enumerate(table.headers):
        least = short = whole = _header_width(title, header, header_lines)
        # each distinct text once (合格, 20.00, —), each of its lines
        lines = [line for cell in {row[j]: None for row in table.rows} for line in cell.split("\n")]
        if lines:
            widths = list(map(body, lines))
            unbroken = widths if j in table.unbroken else [
                width if len(line) <= UNBROKEN else _longest_piece(line, body) for line, width in zip(lines, widths)]
            least = max(least, *unbroken)
            short = max(short, *[width if len(line) <= SHORT else piece
                                 for line, width, piece in zip(lines, widths, unbroken)])
            whole = max(whole, *widths)
        levels.append((least + padding, short + padding, whole + padding))
    return levels


@lru_cache(maxsize=1 << 10)     # a table's headers are the same on every report card
def _header_width(title: str, header: Measure, header_lines: int) -> float:
    """What a column's header needs: its longest part (header_parts), a long one over `header_lines` lines but
    never narrower than its longest unbreakable piece."""
    return max(header(part) if len(part) <= UNBROKEN else
               max(header(part) / header_lines, max(header(u) for u in units(part)))
               for part in header_parts(title))


@lru_cache(maxsize=1 << 14)     # 2,800 report cards: the same method words, targets and statuses on every card
def _longest_piece(line: str, measure: Measure) -> float:
    return max(map(measure, units(line)), default=0)


def column_widths(table: Table, room: float, padding: float, header: Measure, body: Measure,
                  header_lines: int = 1) -> list[float]:
    """Widths filling `room`, in three steps: every column gets at least its longest unbreakable piece (a whole
    line in the table's `unbroken` columns);
    then short texts (names, statuses, numbers with units) are kept on one line; what is left goes to
    the columns of long text, in proportion to what they would need on one line."""
    levels = _levels(table, padding, header, body, header_lines)
    for low, high in ((1, 2), (0, 1)):
        floor = [level[low] for level in levels]
        if sum(floor) <= room:
            need = [level[high] - level[low] for level in levels]
            if sum(need) <= room - sum(floor):          # everything fits on one line: widen in proportion
                ceiling = [level[high] for level in levels]
                return [w * room / sum(ceiling) for w in ceiling]
            spare = room - sum(floor)
            return [f + spare * n / sum(need) for f, n in zip(floor, need)]
    least = [level[0] for level in levels]
    return [w * room / sum(least) for w in least]


HALF_WIDTH = 0.65   # em: Times New Roman's digits take 0.5; a machine without it substitutes wider ones (DejaVu)


def em_measure(size: float) -> Measure:
    """Width estimate for fonts without metrics at hand (Word's 宋体/仿宋): CJK one em, the rest HALF_WIDTH, so
    that 103.53 stays on one line in LibreOffice and WPS too."""
    def measure(text: str) -> float:
        return size * _ems(text)
    return measure


@lru_cache(maxsize=1 << 16)     # a table is measured at each size it is tried at, its cells again and again
def _ems(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else HALF_WIDTH for ch in text)
