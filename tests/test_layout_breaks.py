"""layout.units and layout.wrap against the rules written out piece by piece: punctuation joined to its neighbour
token by token, a line filled one piece at a time. The fast forms (one regular expression; running sums and a
bisection) must give the same pieces, the same lines and the same widths to the last bit: the PDF's justified
lines are spaced from those widths."""

from __future__ import annotations

import random
import re

from scorecard.exports import layout

TOKENS = re.compile(layout._UNIT, re.S)     # a number with its unit, or one character
ALPHABET = "考评得分合计万元个月人次（《“‘([，。、；：？！）》”’％,.;:!?)]%…—-+/0123456789AbZ \n\t"


def _units_one_by_one(text: str) -> tuple[str, ...]:
    pieces: list[str] = []
    for piece in TOKENS.findall(text):
        if pieces and (piece[0] in layout.CLOSING or pieces[-1][-1] in layout.OPENING):
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return tuple(pieces)


def _wrap_one_by_one(text, width, measure, first_width=None):
    lines = []
    for paragraph in text.split("\n"):
        pieces = _units_one_by_one(paragraph)
        start, used = 0, 0.0
        limit = first_width if first_width is not None and not lines else width
        for i, w in enumerate(map(measure, pieces)):
            if i > start and used + w > limit:
                lines.append(("".join(pieces[start:i]).rstrip(), used))
                start, used, limit = (i + 1, 0.0, width) if pieces[i].isspace() else (i, w, width)
            else:
                used += w
        lines.append(("".join(pieces[start:]), used))
    return lines


def _texts(count: int, seed: int):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 40)))


def test_units_are_the_tokens_joined_one_by_one():
    for text in _texts(20_000, 1):
        assert layout.units(text) == _units_one_by_one(text), repr(text)


def test_wrap_gives_the_lines_and_widths_of_filling_a_line_piece_by_piece():
    rng = random.Random(2)
    widths: dict[str, float] = {}

    def measure(text: str) -> float:
        if text not in widths:
            widths[text] = rng.choice((0.0, 0.1, 1 / 3, 2.7, 3.0, 9.925)) * len(text)
        return widths[text]

    for text in _texts(20_000, 3):
        width = rng.choice((0.5, 3.0, 10.0, 17.3, 40.0))
        first = rng.choice((None, width, width - 2.5, 1.0))
        assert layout.wrap(text, width, measure, first) == _wrap_one_by_one(text, width, measure, first), repr(text)
