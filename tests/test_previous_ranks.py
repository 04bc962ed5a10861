"""The previous year's final ranks (名次变化) are kept between results of one process (scoring._FINAL_RANKS), keyed by
what they depend on: a decision recorded for that year, or a changed value of it, gives the ranks the year's own
final result has — never the ranks kept from before."""

from __future__ import annotations

import datetime as dt

from conftest import writable_copy

from scorecard.actions.decisions import add_decision
from scorecard.assessment.scoring import score_year
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
