"""`exports.chart.bars`: the charts' bars drawn as one collection are the picture matplotlib's own `bar` and `barh`
draw with a patch per bar — the same pixels, axes and margins (the capacity chart of 2,800 units in 0.3 s, not 5.5)."""

from __future__ import annotations

import pytest

from scorecard.exports.chart import bars, new_figure, png_bytes

LENGTHS = [3.2, 0.0, 7.5, 1.25, 12.0, 5.0, 0.4]
COLORS = ["#c0392b", "#e6a23c", "#3a7d44", "#3a7d44", "#c0392b", "#e6a23c", "#3a7d44"]


def _drawn(draw) -> bytes:
    figure = new_figure(4.0, 3.0)
    axes = figure.add_subplot()
    draw(axes)
    axes.axhline(2.0, linestyle="--")
    return png_bytes(figure)


@pytest.mark.parametrize("upright", [True, False], ids=["upright", "across"])
def test_bars_draw_the_picture_of_matplotlibs_own_bars(upright):
    positions = range(len(LENGTHS))
    if upright:
        theirs = _drawn(lambda axes: axes.bar(positions, LENGTHS, color=COLORS, width=0.6))
    else:
        theirs = _drawn(lambda axes: axes.barh(positions, LENGTHS, color=COLORS, height=0.6))
    ours = _drawn(lambda axes: bars(axes, LENGTHS, COLORS, thickness=0.6, upright=upright))
    assert ours == theirs
