"""The demo's 县（市、区）: each 市州's monthly values shared out among the units below it, so that they add up to
the 市州's exactly (per measure and month, in the unit each is stored in: whole persons, 0.01万元).

A unit's share of a measure its contract sets a target for follows that target and the unit's performance (some
run ahead of their targets, some behind); of a ratio's numerator and denominator it is tilted a little, so that
the units' rates differ around the 市州's, never a numerator above its denominator; of every other measure it is
the unit's size (SHARES, for Jilin's shipped counties; else one derived from its code).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from ..config import Config

if TYPE_CHECKING:
    import pandas as pd

# each unit's size within its 市州 (shares of the 市州's figures; they sum to 1 per 市州)
SHARES = {
    "220102": .13, "220103": .11, "220104": .15, "220105": .10, "220106": .10, "220112": .05,
    "220122": .08, "220181": .08, "220182": .10, "220183": .10,
    "222401": .30, "222402": .07, "222403": .17, "222404": .10, "222405": .09, "222406": .08,
    "222424": .10, "222426": .09,
}


def _hash(code: str, salt: str) -> float:
    """A number in [0, 1) drawn from a code: the same every time."""
    return int(hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()[:8], 16) / 2 ** 32


def _size(code: str) -> float:
    return SHARES.get(code, 0.05 + _hash(code, "size"))


def _performance(code: str) -> float:
    return 0.90 + 0.20 * _hash(code, "performance")


def _pairs(config: Config) -> dict[str, str]:
    """numerator → denominator of every ratio indicator and 审核公式 not_above: a numerator may not pass it."""
    pairs = {i.numerator: i.denominator for i in config.indicators.values() if i.is_ratio}
    pairs.update({c.measure: c.limit for c in config.checks if c.rule == "not_above"})
    return pairs


def _weights(config: Config, units, year: int) -> dict[str, list[float]]:
    """Each measure's shares of the units of one 市州 in one year (not yet normalised)."""
    targets = {u.code: {t.indicator: t.target for t in c.targets}
               for u in units if (c := config.contracts.get((year, u.code)))}
    weights = {}
    for measure in config.measures:
        targeted = [i.code for i in config.indicators.values() if i.measure == measure]
        weights[measure] = [
            (targets[u.code][targeted[0]] if targeted and targeted[0] in targets.get(u.code, {}) else _size(u.code))
            * (_performance(u.code) if targeted else 1.0) for u in units]
    for numerator, denominator in _pairs(config).items():
        tilt = [1 + 0.03 * (_hash(u.code, "rate") - 0.5) for u in units]  # a rate within ±1.5 % of the 市州's
        weights[denominator] = [w * t for w, t in zip(weights[numerator], tilt)]
    return weights


def _split(value: float, weights: list[float], scale: int) -> list[float]:
    """`value` shared out by `weights` in whole units of 1/scale (largest remainder): the parts add up to it."""
    units = round(abs(value) * scale)
    total = sum(weights)
    exact = [units * w / total for w in weights]
    parts = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: (parts[i] - exact[i], i))[:units - sum(parts)]:
        parts[i] += 1
    sign = -1 if value < 0 else 1
    return [sign * p / scale for p in parts]


def _scale(config: Config, measure: str, value: float) -> int:
    """Parts of a value in whole persons, or in hundredths (万元, and a person count corrected by a percentage)."""
    return 1 if config.measures[measure].unit.startswith("人") and float(value).is_integer() else 100


def county_rows(config: Config, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows (year, month, city, measure, value) of the units below each 市州 of `frame`, adding up to its rows, and
    of the units below those in turn (a ministry's run: provinces → cities → counties)."""
    import pandas as pd

    pairs = _pairs(config)
    found = []
    level = frame
    while not level.empty:
        rows = []
        for code, own in level.groupby("city", sort=True):
            units = config.children_of(code)
            if units and code != getattr(config.province, "code", None):
                rows.extend(_shared_out(config, pairs, units, own))
        level = pd.DataFrame(rows, columns=["year", "month", "city", "measure", "value"])
        found.append(level)
    return pd.concat(found, ignore_index=True)


def _shared_out(config: Config, pairs: dict[str, str], units, own: pd.DataFrame) -> list[tuple]:
    rows, by_year = [], {}
    for (year, month), group in own.groupby(["year", "month"], sort=True):
        weights = by_year.get(year) or by_year.setdefault(year, _weights(config, units, int(year)))
        values = dict(zip(group.measure, group.value))
        parts = {measure: _split(value, weights[measure], _scale(config, measure, value))
                 for measure, value in values.items()}
        for numerator, denominator in pairs.items():
            if numerator in parts and denominator in parts and any(
                    n > d for n, d in zip(parts[numerator], parts[denominator])):
                rest = _split(values[denominator] - values[numerator], weights[numerator],
                              _scale(config, denominator, values[denominator]))
                parts[denominator] = [round(n + r, 2) for n, r in zip(parts[numerator], rest)]  # the 市州's rate
        rows.extend((int(year), int(month), u.code, measure, share)
                    for measure, shares in parts.items() for u, share in zip(units, shares))
    return rows
