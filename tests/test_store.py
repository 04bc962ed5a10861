"""The database file under concurrent use: readers and a writer wait for each other, never crash."""

from __future__ import annotations

import threading
import time

import pytest

from scorecard.store import Store, StoreError


def _hold(context, seconds: float, opened: threading.Event):
    with context:
        opened.set()
        time.sleep(seconds)


@pytest.mark.parametrize("first, second", [("writer", "reader"), ("reader", "writer")])
def test_in_one_process_the_second_opener_waits_for_the_first(tmp_path, first, second):
    """Streamlit serves every session from one process: a reader arriving during an import waits."""
    store = Store(tmp_path / "x.duckdb")
    with store.writer():
        pass
    opened = threading.Event()
    holder = threading.Thread(target=_hold, args=(getattr(store, first)(), 0.6, opened))
    holder.start()
    opened.wait()
    waits = []
    start = time.monotonic()
    kwargs = {"on_wait": waits.append} if second == "writer" else {}
    with getattr(store, second)(wait_seconds=10, **kwargs) as con:
        assert con.execute("SELECT count(*) FROM actuals").fetchone() == (0,)
    holder.join()
    assert time.monotonic() - start >= 0.3
    if second == "writer":
        assert waits and "等待" in waits[0]


def test_a_reader_that_cannot_wait_longer_gets_a_clear_error(tmp_path):
    store = Store(tmp_path / "x.duckdb")
    with store.writer():
        with pytest.raises(StoreError, match="正被其他程序占用"):
            with store.reader(wait_seconds=0.3):
                pass


def test_the_values_as_of_the_latest_import_score_to_the_last_bit(config, tmp_path):
    """A flow's sum must not depend on the order rows come in (the as-of relation regroups them),
    or a reproduced score differs from the circulated one in the last digit."""
    from scorecard.demo import build_demo
    from scorecard.scoring import score_year
    from scorecard.serialize import score_dict

    store = Store(tmp_path / "demo.duckdb")
    build_demo(store, config)
    latest = score_dict(score_year(config, store.at_import(2), 2003))
    assert latest == score_dict(score_year(config, store, 2003))
