"""frozen.py: the makers of frozen values, the collector's pause and what is remembered per object."""

from __future__ import annotations

import gc
import weakref
from dataclasses import dataclass

from scorecard.assessment import explain
from scorecard.exports import workbook
from scorecard.exports.cards import report_cards
from scorecard.frozen import collector_paused, per_object


@dataclass(frozen=True)
class _Value:
    n: int


def test_a_value_is_remembered_per_object_while_it_lives_and_with_its_arguments():
    asked = []
    twice = per_object(lambda value, times: asked.append((value, times)) or value.n * times)
    one, equal = _Value(1), _Value(1)
    assert [twice(one, 2), twice(one, 2), twice(equal, 2)] == [2, 2, 2]
    assert asked == [(one, 2), (equal, 2)]      # the same object once; an equal one is another object
    assert twice(one, 3) == 3 and twice(one, 3) == 3 and len(asked) == 3
    assert len(twice.memo) == 2
    del asked[:], one, equal
    gc.collect()
    assert twice.memo == {}                     # freed objects leave nothing that an object at their address meets


def test_the_pdfs_cards_word_what_the_workbook_worded_again_without_making_it_again(demo, monkeypatch):
    result = demo.result()
    workbook(result, demo.config, demo.store)
    worded = []
    actual_text = explain._actual_text
    monkeypatch.setattr(explain, "_actual_text", lambda *a: worded.append(a) or actual_text(*a))
    cards = report_cards(result, demo.config)
    assert worded == [] and len(cards) == len(result.cities)
    texts = [line for card in cards for title, lines in card.sections if title == "计分说明" for line in lines[:-1]]
    assert texts == [f"{n}. {explain.calculation_text.__wrapped__(i, result.month)}。"
                     for city in result.cities for n, i in enumerate(city.indicators, start=1)]
    assert worded                               # and worded as ever when asked afresh


def test_a_citys_area_points_are_made_once(demo):
    city = demo.result().cities[0]
    assert city.area_points() is city.area_points()
    assert city.area_points() == type(city).area_points.__wrapped__(city)


class _Node:
    """An object the collector tracks (it may hold a cycle)."""


def test_what_a_pause_leaves_alive_joins_the_oldest_generation_unscanned_and_a_garbage_cycle_is_still_freed():
    gc.collect()
    with collector_paused():
        kept = [_Node() for _ in range(5000)]
        cycle = _Node()
        cycle.me = cycle
        freed = weakref.ref(cycle)
        del cycle
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.get_count()[0] < 700  # no young pass due: the 5,000 made are not counted as young
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(o) in oldest for o in kept)
    assert freed() is not None  # left for the next full collection…
    gc.collect()
    assert freed() is None      # …which frees it


def test_a_pause_leaves_objects_frozen_elsewhere_frozen():
    kept_frozen = _Node()
    gc.freeze()
    try:
        with collector_paused():
            made = [_Node() for _ in range(100)]
        assert gc.isenabled() and gc.get_freeze_count() > 0
        assert not any(o is kept_frozen for o in gc.get_objects())  # still in the permanent generation
        assert any(o is made[0] for o in gc.get_objects())          # those made in the pause: not frozen
    finally:
        gc.unfreeze()


def test_a_pause_within_a_pause_leaves_the_collector_off_until_the_outer_one_ends():
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
