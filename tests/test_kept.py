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


def test_a_kept_chart_is_sent_as_built_without_a_copy_on_each_run(monkeypatch):
    """widgets.chart(of=…): the figure's dict is made once (widgets.Spec); a later run sends the same JSON as a
    figure built afresh, and no plotly figure is copied into a dict for it (st.plotly_chart did, on every run)."""
    import plotly.graph_objects as go
    import plotly.io as pio
    from streamlit.testing.v1 import AppTest

    def script():
        import plotly.graph_objects as go
        import streamlit as st

        from dashboard import widgets

        class Owner:
            pass

        owner = st.session_state.setdefault("owner", Owner())
        build = lambda: go.Figure(go.Bar(x=["长春市", "吉林市"], y=[91.5, 88.25]), layout={"title": "总分"})
        widgets.chart(build, height=300, of=(owner, "bars"))
        widgets.chart(build(), height=300, file_name="柱形图")  # another PNG name: another element

    copies = []
    to_dict = go.Figure.to_dict
    monkeypatch.setattr(go.Figure, "to_dict", lambda self: copies.append(self) or to_dict(self))
    app = AppTest.from_function(script).run()
    assert not app.exception
    copies.clear()
    app.run()
    kept, fresh = (chart.proto.spec for chart in app.get("plotly_chart"))
    assert kept == fresh
    assert len(copies) == 1  # the figure built afresh; the kept one is not copied again
    expected = widgets._look(go.Figure(go.Bar(x=["长春市", "吉林市"], y=[91.5, 88.25]), layout={"title": "总分"}), 300)
    assert kept == pio.to_json(expected, validate=False)
