"""The 审核公式 of the catalogue (indicators.yaml `checks:`), checked in DuckDB on the values as they would be:
the same SQL for a file being imported (`in_import`) and for a month entered in the app (`in_entry`).

A hard rule's finding refuses the value (an import's row is listed with the other row errors); a soft rule's asks
for a 说明 — typed beside the field in the entry form; an import is accepted and its warnings are written into its
audit line (the province imports on its own responsibility, and saw them in the preview first)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from .. import formatting as fmt
from ..config import Config
from ..config.model import CheckRule
from .store import Store, has_schema

# The value of a rule's measure compared with another: the columns are (year, month, city, value, other, pos).
_SQL = {
    "not_above": """
        SELECT a.year, a.month, a.city, a.value, b.value,
               coalesce(min(k.pos) FILTER (WHERE k.measure = $measure), min(k.pos))  -- the numerator's row
        FROM {values} a JOIN {values} b ON b.year = a.year AND b.month = a.month AND b.city = a.city
        JOIN {keys} k ON k.year = a.year AND k.month = a.month AND k.city = a.city
        WHERE a.measure = $measure AND b.measure = $limit AND k.measure IN ($measure, $limit) AND a.value > b.value
        GROUP BY a.year, a.month, a.city, a.value, b.value""",
    "range": """
        SELECT k.year, k.month, k.city, k.value, NULL::DOUBLE, k.pos FROM {keys} k
        WHERE k.measure = $measure AND (k.value < coalesce($min, -'inf'::DOUBLE)
                                        OR k.value > coalesce($max, 'inf'::DOUBLE))""",
    "month_change": """
        SELECT k.year, k.month, k.city, k.value, p.value, k.pos FROM {keys} k
        JOIN {values} p ON p.city = k.city AND p.measure = k.measure
                       AND p.year * 12 + p.month = k.year * 12 + k.month - 1
        WHERE k.measure = $measure AND p.value <> 0 AND abs(k.value - p.value) > $percent / 100 * abs(p.value)""",
    "year_ratio": """
        SELECT k.year, k.month, k.city, k.value, p.value, k.pos FROM {keys} k
        JOIN {values} p ON p.city = k.city AND p.measure = k.measure AND p.year = k.year - 1 AND p.month = k.month
        WHERE k.measure = $measure AND p.value > 0 AND k.value > $factor * p.value""",
}
_PARAMS = {"not_above": ("limit",), "range": ("min", "max"), "month_change": ("percent",), "year_ratio": ("factor",)}
_EMPTY = ("(SELECT NULL::SMALLINT AS year, NULL::TINYINT AS month, NULL::VARCHAR AS city, NULL::VARCHAR AS measure, "
          "NULL::DOUBLE AS value WHERE false)")


@dataclass(frozen=True)
class Finding:
    rule: CheckRule
    year: int
    month: int
    city: str
    value: float
    other: float | None
    pos: int | None = None      # an import: the staged row it is said at

    @property
    def hard(self) -> bool:
        return self.rule.hard

    @property
    def measure(self) -> str:
        return self.rule.measure

    def message(self, config: Config) -> str:
        unit = config.measures[self.rule.measure].unit
        other_unit = config.measures[self.rule.limit].unit if self.rule.limit else unit
        return (self.rule.message.replace("{value}", fmt.quantity(self.value, unit))
                .replace("{other}", fmt.quantity(self.other, other_unit) if self.other is not None else "—"))

    def said(self, config: Config) -> str:
        """长春市2003年5月：… (审核公式第3条)"""
        return f"{config.city(self.city).name}{self.year}年{self.month}月：{self.message(config)}"


def findings(con, config: Config, values: str, keys: str, params: dict | None = None) -> list[Finding]:
    """Every rule's findings on the rows of `keys` (year, month, city, measure, value, pos), compared with
    `values` (year, month, city, measure, value): all values as they would stand."""
    found = []
    for rule in config.checks:
        bound = {"measure": rule.measure} | {name: getattr(rule, name) for name in _PARAMS[rule.rule]}
        sql = _SQL[rule.rule].format(values=values, keys=keys) + " ORDER BY 6, 1, 2, 3"
        found += [Finding(rule, int(y), int(m), c, v, o, p)
                  for y, m, c, v, o, p in con.execute(sql, (params or {}) | bound).fetchall()]
    return found


def in_import(con, config: Config, incoming: str, actuals: str) -> list[Finding]:
    """The findings on a staged file (`incoming`, with its row positions) against the database (`actuals`)."""
    if not config.checks:
        return []
    values = f"""(SELECT year, month, city, measure, value FROM {incoming}
                  UNION ALL SELECT a.year, a.month, a.city, a.measure, a.value FROM {actuals} a
                  ANTI JOIN {incoming} i USING (year, month, city, measure))"""
    return findings(con, config, values, incoming)


def in_entry(config: Config, store: Store, city: str, year: int, month: int,
             entered: dict[str, float]) -> list[Finding]:
    """The findings on one month of one city as entered, against the accepted values of the other months."""
    if not config.checks or not entered:
        return []
    frame = pd.DataFrame({"year": year, "month": month, "city": city, "measure": list(entered),
                          "value": [float(v) for v in entered.values()], "pos": 0})
    keys = ("(SELECT year::SMALLINT AS year, month::TINYINT AS month, city::VARCHAR AS city, "
            "measure::VARCHAR AS measure, value::DOUBLE AS value, pos::BIGINT AS pos FROM entry_frame)")
    with (store.reader() if store.exists() else duckdb.connect()) as con:
        con.register("entry_frame", frame)
        try:
            actuals = store.values if has_schema(con) else _EMPTY
            con.execute(f"""CREATE OR REPLACE TEMP TABLE entry_values AS
                            SELECT year, month, city, measure, value FROM {keys}
                            UNION ALL SELECT year, month, city, measure, value FROM {actuals}
                            WHERE NOT (city = $city AND year = $year AND month = $month)""",
                        store.params(city=city, year=year, month=month) if actuals != _EMPTY
                        else {"city": city, "year": year, "month": month})
            return findings(con, config, "entry_values", keys)
        finally:
            con.unregister("entry_frame")
