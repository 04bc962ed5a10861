"""layouts.filled_sql: its shortcut on a cell's first character says what the pattern alone says."""

from __future__ import annotations

import random

import duckdb

from scorecard.data.layouts import blank_sql, filled_sql
from scorecard.data.normalize import BLANKS, FILLED


def test_filled_and_blank_say_of_every_cell_what_the_pattern_says():
    alphabet = list(BLANKS) + [chr(c) for c in range(0, 34)] + ["\x7f", "\u3000", "\u00a0", "\ufeff", "\u2003",
                                                                 "a", "2", ",", "长", "\U0001f600"]
    rng = random.Random(16)
    cells = [None, ""] + alphabet + ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4)))
                                     for _ in range(20_000)]
    pattern = "coalesce(regexp_matches(cell, $filled), false)"
    con = duckdb.connect()
    try:
        filled, blank, by_pattern = con.execute(f"""
            SELECT list({filled_sql('cell')} ORDER BY i), list({blank_sql('cell')} ORDER BY i), list({pattern} ORDER BY i)
            FROM (SELECT unnest($cells) AS cell, generate_subscripts($cells, 1) AS i)""",
                                                {"cells": cells, "filled": FILLED}).fetchone()
    finally:
        con.close()
    assert filled == by_pattern == [cell is not None and any(ch not in BLANKS for ch in cell) for cell in cells]
    assert blank == [not f for f in filled]
    assert 0 < sum(filled) < len(cells)
