"""widgets.kept: what is made of an owner (a page's chart of a result) is made once while the owner lives."""

from __future__ import annotations

import gc

from dashboard import widgets


class Owner:
    """Stands for a YearResult: an object the reads' caches keep, that can be referred to weakly."""


def test_made_once_per_owner_and_key():
    made = []

    def make(what):
        def build():
            made.append(what)
            return [what]
        return build

    first, second = Owner(), Owner()
    chart = widgets.kept(first, ("totals",), make("first totals"))
    assert widgets.kept(first, ("totals",), make("again")) is chart
    assert widgets.kept(first, ("heatmap",), make("first heatmap")) == ["first heatmap"]
    assert widgets.kept(second, ("totals",), make("second totals")) == ["second totals"]
    assert made == ["first totals", "first heatmap", "second totals"]


def test_gone_with_its_owner():
    owner = Owner()
    widgets.kept(owner, ("totals",), lambda: "chart")
    key = id(owner)
    assert key in widgets._KEPT
    del owner
    gc.collect()
    assert key not in widgets._KEPT
    fresh = Owner()  # whatever takes its place (its id may be the same) is made anew
    assert widgets.kept(fresh, ("totals",), lambda: "fresh chart") == "fresh chart"
