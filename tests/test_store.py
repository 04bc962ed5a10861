"""The database file under concurrent use: readers and a writer wait for each other, never crash."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

from scorecard.data import store as store_module
from scorecard.data.store import Store, StoreError


def _hold(context, opened: threading.Event, release: threading.Event):
    with context:
        opened.set()
        assert release.wait(timeout=120), "the second opener never waited"


@pytest.mark.parametrize("first, second", [("writer", "reader"), ("reader", "writer")])
def test_in_one_process_the_second_opener_waits_for_the_first(tmp_path, monkeypatch, first, second):
    """Streamlit serves every session from one process: a reader arriving during an import waits. The first
    holds the file until the second has been refused once and is waiting to try again — no clock involved."""
    store = Store(tmp_path / "x.duckdb")
    with store.writer():
        pass
    opened, refused = threading.Event(), threading.Event()

    def pause(seconds: float) -> None:          # the store's wait between two tries
        refused.set()
        time.sleep(seconds)

    monkeypatch.setattr(store_module, "time", SimpleNamespace(monotonic=time.monotonic, sleep=pause))
    holder = threading.Thread(target=_hold, args=(getattr(store, first)(), opened, refused))
    holder.start()
    assert opened.wait(timeout=120)
    waits = []
    kwargs = {"on_wait": waits.append} if second == "writer" else {}
    with getattr(store, second)(wait_seconds=120, **kwargs) as con:
        assert con.execute("SELECT count(*) FROM actuals").fetchone() == (0,)
    holder.join()
    assert refused.is_set()
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
    from scorecard.actions.demo import build_demo
    from scorecard.assessment.scoring import score_year
    from scorecard.report.serialize import score_dict

    store = Store(tmp_path / "demo.duckdb")
    build_demo(store, config)
    latest = score_dict(score_year(config, store.at_import(2), 2003))
    assert latest == score_dict(score_year(config, store, 2003))


def test_two_imports_in_one_process_take_turns(tmp_path):
    """Two app sessions confirming an upload at the same moment: both imports land, one after the other."""
    import pandas as pd

    from scorecard.data.unit import apply_rows

    store = Store(tmp_path / "x.duckdb")
    frames = [pd.DataFrame({"year": 2003, "month": range(1, 13), "city": city, "measure": "fund_income",
                            "value": 1.0}) for city in ("220100", "220200")]
    start, results, errors = threading.Barrier(2), [], []

    def run(frame, name):
        start.wait()
        try:
            results.append(apply_rows(store, frame, name, name * 8))
        except Exception as exc:  # noqa: BLE001 - the test reports whatever escaped
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(frame, name)) for frame, name in zip(frames, "ab")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(r.import_id for r in results) == [1, 2]
    with store.reader() as con:
        assert con.execute("SELECT count(*), count(DISTINCT (month, city)) FROM actuals").fetchone() == (24, 24)


def test_a_reader_holds_the_file_only_while_it_is_open(tmp_path):
    """Every reader of the process is a cursor of one in-memory database the file is attached to: attached while
    any reader of it is open (two at once share it), detached when the last closes — then a writer of another
    process gets the file at once, and the next reader reads what it wrote."""
    import subprocess
    import sys

    import duckdb

    from scorecard.data.store import has_schema, query

    path = tmp_path / "x.duckdb"
    duckdb.connect(str(path)).close()  # a database file without the tables yet
    store = Store(path)
    with store.reader() as outer:
        assert not has_schema(outer)
        with store.reader() as inner:
            assert not has_schema(inner)
        with pytest.raises(duckdb.Error):  # still attached for the outer reader
            duckdb.connect(str(path))
    write = ("import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
             "con.execute('CREATE TABLE actuals (year SMALLINT, month TINYINT, city VARCHAR, measure VARCHAR, "
             "value DOUBLE, import_id INTEGER)'); con.execute(\"INSERT INTO actuals VALUES (2003, 1, 'c', 'm', 2.5, 1)\")")
    subprocess.run([sys.executable, "-c", write, str(path)], check=True, timeout=120)
    with store.reader() as con:
        assert has_schema(con)
        assert query(con, "SELECT sum(value) FROM actuals") == [(2.5,)]
        assert con.execute("SELECT count(*) FROM actuals").fetchone() == (1,)


def test_readers_of_two_files_in_many_threads_each_read_their_own(tmp_path):
    """The app's sessions read at once, of one file or another: each reader reads the file of its store, and when
    they are done no file is left attached."""
    import duckdb

    from scorecard.data.store import query

    stores = []
    for value in (1.5, 4.0):
        path = tmp_path / f"{value}.duckdb"
        with duckdb.connect(str(path)) as con:
            con.execute("CREATE TABLE actuals AS SELECT 2003 AS year, range AS month, 'c' AS city, 'm' AS measure, "
                        f"{value} AS value FROM range(1, 13)")
        stores.append((Store(path), 12 * value))
    wrong = []

    def read(store, total):
        for _ in range(25):
            with store.reader() as con:
                found = query(con, "SELECT sum(value) FROM actuals")[0][0]
                if found != total:
                    wrong.append(found)

    threads = [threading.Thread(target=read, args=stores[i % 2]) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not wrong
    assert not store_module._READERS.files


def _asides() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "scorecard-read-aside"]


def test_a_read_aside_gives_its_value_or_its_error_and_lets_go_of_the_file(tmp_path):
    """Store.read_aside runs a query in a thread of its own while the caller goes on: its result is the query's,
    an error in it is raised where the result is asked, and the file is detached when it is done."""
    import duckdb

    from scorecard.data.store import query

    path = tmp_path / "x.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE actuals AS SELECT 2003 AS year, range AS month FROM range(1, 13)")
    store = Store(path)
    with store.read_aside(lambda con: query(con, "SELECT sum(month) FROM actuals")) as total:
        assert total.result() == [(78,)]
    failing = store.read_aside(lambda con: query(con, "SELECT nothing FROM actuals"))
    with pytest.raises(duckdb.Error):
        failing.result()
    assert not _asides() and not store_module._READERS.files
    duckdb.connect(str(path)).close()  # no reader holds it: a writer of another process would get it


def test_a_read_aside_started_within_a_reader_reads_the_file_as_that_reader_does(tmp_path):
    """Opened in the caller's thread: when the caller's reader closes before the thread has begun, the file stays
    attached for the read aside, so no writer can come between the two."""
    import duckdb

    from scorecard.data.store import query

    path = tmp_path / "x.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE actuals AS SELECT 1.5 AS value")
    store = Store(path)
    go = threading.Event()

    def later(con):
        assert go.wait(timeout=120)
        return query(con, "SELECT value FROM actuals")

    with store.reader():
        aside = store.read_aside(later)
    with pytest.raises(duckdb.Error):  # still attached for the read aside
        duckdb.connect(str(path))
    go.set()
    assert aside.result() == [(1.5,)]
    assert not store_module._READERS.files


def test_scoring_leaves_no_read_aside_behind_also_when_it_fails_midway(config, demo_db, monkeypatch):
    """score_year runs its sums and the fund's query aside; they have ended when it returns — or raises after
    they began (an interpreter that ends with a thread inside DuckDB aborts; `scorecard score` ends its process
    at once only when no other thread is alive)."""
    from scorecard.assessment import scoring

    store = Store(demo_db)
    assert scoring.score_year(config, store, 2003).cities and not _asides()

    def broken(*args, **kwargs):
        raise RuntimeError("latest months")

    def slow_sums(*args, **kwargs):  # still running when the error is raised
        time.sleep(0.5)
        return sums(*args, **kwargs)

    sums = scoring.measure_aggregates
    monkeypatch.setattr(scoring, "measure_aggregates", slow_sums)
    monkeypatch.setattr(scoring, "latest_months", broken)
    with pytest.raises(RuntimeError, match="latest months"):
        scoring.score_year(config, store, 2003)
    assert not _asides() and not store_module._READERS.files


def test_a_read_aside_whose_thread_cannot_start_lets_go_of_the_file(tmp_path, monkeypatch):
    import duckdb

    path = tmp_path / "x.duckdb"
    duckdb.connect(str(path)).close()

    def refused(self):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(store_module.Aside, "start", refused)
    with pytest.raises(RuntimeError, match="new thread") as refusal:
        Store(path).read_aside(lambda con: None)
    assert refusal.tb is not None  # the traceback (and its frames) still held: the reader closed all the same
    assert not store_module._READERS.files
