"""The data's digest (queries.data_digest) is its definition: sha256 of one line `year|month|city|measure|value` per
value of the window, in key order, joined by newlines — whatever order the rows were written in and however the
query sorts them (a digest printed in a workbook or kept with a publication must still be the same one)."""

from __future__ import annotations

import hashlib

import duckdb

from scorecard.data.queries import data_digest
from scorecard.data.store import SCHEMA, Store

# city codes and measures whose order as texts is not their order as numbers or their order of writing
ROWS = [(2003, 12, "10", "b_m", 1.5), (2003, 2, "9", "a_m", -2.0), (2002, 1, "长春", "b_m", 0.1),
        (2003, 2, "10", "a_m", 1e-7), (2003, 2, "A", "a_m", 123456789.25), (2003, 2, "a", "a_m", 3.0),
        (2002, 11, "9", "b_m", 0.0), (2003, 2, "10", "b_m", 2.0), (2004, 1, "10", "a_m", 9.0)]
T_FROM, T_TO = 2002 * 12, 2003 * 12 + 11


def _store(path, rows) -> Store:
    with duckdb.connect(str(path)) as con:
        con.execute(SCHEMA)
        con.executemany("INSERT INTO actuals VALUES (?, ?, ?, ?, ?, 1)", rows)
    return Store(path)


def _digest(store: Store) -> tuple[int, str]:
    with store.reader() as con:
        return data_digest(con, store, T_FROM, T_TO)


def _defined(path) -> tuple[int, str]:
    """The definition, one line per value as DuckDB writes it, sorted and hashed here."""
    with duckdb.connect(str(path), read_only=True) as con:
        found = con.execute("SELECT year, month, city, measure, concat_ws('|', year, month, city, measure, value) "
                            "FROM actuals WHERE year * 12 + month - 1 BETWEEN $f AND $t",
                            {"f": T_FROM, "t": T_TO}).fetchall()
    lines = [line for *_, line in sorted(found, key=lambda r: (r[0], r[1], r[2].encode(), r[3].encode()))]
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def test_the_digest_is_the_lines_in_key_order(tmp_path):
    store = _store(tmp_path / "a.duckdb", ROWS)
    assert _digest(store) == _defined(store.path)
    assert _digest(store)[0] == len(ROWS) - 1          # 2004 is outside the window


def test_equal_data_written_in_another_order_has_the_same_digest(tmp_path):
    assert _digest(_store(tmp_path / "a.duckdb", ROWS)) == _digest(_store(tmp_path / "b.duckdb", ROWS[::-1]))


def test_any_changed_value_changes_the_digest(tmp_path):
    first = _digest(_store(tmp_path / "a.duckdb", ROWS))
    for n, (year, month, city, measure, value) in enumerate(ROWS[:-1]):
        rows = ROWS[:n] + [(year, month, city, measure, value + 0.01)] + ROWS[n + 1:]
        assert _digest(_store(tmp_path / f"{n}.duckdb", rows)) != first


def test_an_empty_window_has_the_digest_of_nothing(tmp_path):
    assert _digest(_store(tmp_path / "a.duckdb", ROWS[-1:])) == (0, hashlib.sha256(b"").hexdigest())
