"""The previous year's final ranks (名次变化) are kept between results of one process (scoring._FINAL_RANKS), keyed by
what they depend on: a decision recorded for that year, or a changed value of it, gives the ranks the year's own
final result has — never the ranks kept from before. They are also kept on disk for the next process (a command
line run), by the same key and the code's version; an entry damaged or not of its key is computed again."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import writable_copy

from scorecard.actions.decisions import add_decision
from scorecard.assessment import scoring
from scorecard.assessment.scoring import score_year
from scorecard.config import cache as on_disk, load_config
from scorecard.data.store import Store
from scorecard.roles import operator


def final_ranks(config, store, year: int) -> dict[str, int]:
    return {c.code: c.rank for c in score_year(config, store, year, 12).cities}


def previous_ranks(config, store) -> dict[str, int]:
    return {c.code: c.previous_rank for c in score_year(config, store, 2003, 6).cities}


def test_the_kept_ranks_follow_a_decision_and_the_data_of_that_year(config, demo_db, tmp_path):
    store = Store(writable_copy(demo_db, tmp_path))
    before = previous_ranks(config, store)
    assert before == final_ranks(config, store, 2002)
    first = min(before, key=before.get)

    add_decision(store, operator("测试"), config, 2002, first, points=-40.0, reason="测试：年终扣分",
                 decided_on=dt.date(2002, 12, 20))
    after_decision = previous_ranks(config, store)
    assert after_decision == final_ranks(config, store, 2002) != before
    assert after_decision[first] > before[first]

    now_first = min(after_decision, key=after_decision.get)
    with store.writer() as con:  # its 2002 figures withdrawn: every indicator missing, no points
        con.execute("DELETE FROM actuals WHERE year = 2002 AND city = $city", {"city": now_first})
    after_data = previous_ranks(config, store)
    assert after_data == final_ranks(config, store, 2002) != after_decision
    assert after_data[now_first] > after_decision[now_first]


# --- kept on disk for the next process (a `scorecard score` is a process of its own) ---------------------------

@pytest.fixture
def next_process(tmp_path, monkeypatch):
    """A cache folder of this test's own; `new()` forgets what this process kept (as a new process would) and
    returns how often the previous year was computed since."""
    monkeypatch.setenv(on_disk.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(on_disk, "RACY_SECONDS", 0)  # the copy was just written: no need to wait for the clock
    monkeypatch.setattr(scoring, "DISK_UNITS", 1)  # the demo's nine cities are kept on disk too
    computed = []
    compute = scoring._final_ranks

    def counted(*args):
        computed.append(args[-1])
        return compute(*args)

    monkeypatch.setattr(scoring, "_final_ranks", counted)

    def new() -> list:
        scoring._FINAL_RANKS.clear()
        computed.clear()
        return computed

    return new


def kept_entries(tmp_path) -> list:
    folder = tmp_path / "cache" / scoring.RANKS
    return sorted(folder.glob("*.json")) if folder.exists() else []


def test_a_next_process_takes_the_ranks_kept_on_disk(config, demo_db, tmp_path, next_process, monkeypatch):
    store = Store(writable_copy(demo_db, tmp_path))
    computed = next_process()
    first = score_year(config, store, 2003, 6)
    assert computed == [2002] and len(kept_entries(tmp_path)) == 1
    computed = next_process()
    again = score_year(config, store, 2003, 6)
    assert computed == [] and repr(again) == repr(first)
    monkeypatch.setattr(scoring, "DISK_UNITS", 10)  # fewer units than that: computed, not read
    computed = next_process()
    assert repr(score_year(config, store, 2003, 6)) == repr(first) and computed == [2002]


def test_the_ranks_kept_on_disk_follow_the_data_the_config_and_the_decisions(config_dir, demo_db, tmp_path,
                                                                           next_process):
    config, problems = load_config(config_dir)
    assert not problems
    store = Store(writable_copy(demo_db, tmp_path))
    next_process()
    before = previous_ranks(config, store)
    first = min(before, key=before.get)

    computed = next_process()  # a decision recorded for 2002
    add_decision(store, operator("测试"), config, 2002, first, points=-40.0, reason="测试：年终扣分",
                 decided_on=dt.date(2002, 12, 20))
    after_decision = previous_ranks(config, store)
    assert computed == [2002] and after_decision != before
    next_process()
    assert after_decision == final_ranks(config, store, 2002)

    computed = next_process()  # a value of 2002 changed
    now_first = min(after_decision, key=after_decision.get)
    with store.writer() as con:
        con.execute("DELETE FROM actuals WHERE year = 2002 AND city = $city", {"city": now_first})
    after_data = previous_ranks(config, store)
    assert computed == [2002] and after_data[now_first] > after_decision[now_first]
    next_process()
    assert after_data == final_ranks(config, store, 2002)

    computed = next_process()  # a contract of 2002 edited: its weights and targets as before, another file
    contract = next((config_dir / "contracts" / "2002").glob(f"{first}-*.yaml"))
    contract.write_text(contract.read_text(encoding="utf-8") + "\n# 复核\n", encoding="utf-8")
    edited, problems = load_config(config_dir)
    assert not problems and edited.fingerprint != config.fingerprint
    assert previous_ranks(edited, store) == after_data and computed == [2002]


@pytest.mark.parametrize("damage", [b"\x00\xff not json", b"[" * 100_000, b'{"key": 1, "ranks": {}}',
                                    "{}", "ranks: other key", "ranks: not numbers"])
def test_a_damaged_or_foreign_entry_is_computed_again_not_an_error(config, demo_db, tmp_path, next_process,
                                                                     damage):
    store = Store(writable_copy(demo_db, tmp_path))
    next_process()
    first = score_year(config, store, 2003, 6)
    entry, = kept_entries(tmp_path)
    kept = json.loads(entry.read_text(encoding="utf-8"))
    if damage == "ranks: other key":
        damage = json.dumps({"key": kept["key"] + " ", "ranks": {code: 1 for code in kept["ranks"]}})
    elif damage == "ranks: not numbers":
        damage = json.dumps({"key": kept["key"], "ranks": {code: True for code in kept["ranks"]}})
    entry.write_bytes(damage if isinstance(damage, bytes) else damage.encode())
    computed = next_process()
    assert repr(score_year(config, store, 2003, 6)) == repr(first) and computed == [2002]
