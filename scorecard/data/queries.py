"""Every aggregation over the actuals, in DuckDB SQL with bound parameters.

Each function takes an open connection and the Store whose `values` relation
it reads (the current values, or the values as they stood after an import).
"""

from __future__ import annotations

import hashlib

from .store import Store, has_schema, query

FUND_INCOME, FUND_EXPENDITURE, FUND_BALANCE = "fund_income", "fund_expenditure", "fund_balance"


def measure_aggregates(con, store: Store, months: dict[int, int], measures) -> dict[int, dict[str, dict[str, tuple]]]:
    """Year → city → measure → over months 1..m of the year (`months`: year → m), all the years in one scan:
    (sum of the months that have a value — for flows, the value of the latest month that has one — for stocks,
    bitmask of the months present: bit m−1 for month m). The sum runs in month order so that a total never
    depends on storage order. By city, then measure: a unit's measures are looked up by name alone (no key made
    for each of 47,600 sums at 2,800 units, nor for each look-up)."""
    found: dict[int, dict] = {year: {} for year in months}
    if not months or not has_schema(con):
        return found
    until = " ".join(f"WHEN {int(year)} THEN {int(month)}" for year, month in months.items())
    years = ", ".join(str(int(year)) for year in sorted(months))  # a list of constants: a filter of the scan
    rows = query(con, f"""
        SELECT year, city, measure, sum(value ORDER BY month), arg_max(value, month), bit_or(1 << (month::INTEGER - 1))
        FROM {store.values}
        WHERE year IN ({years}) AND month BETWEEN 1 AND CASE year {until} END
          AND list_contains($measures, measure)
        GROUP BY year, city, measure""", store.params(measures=sorted(measures)))
    for year, city, measure, total, latest, mask in rows:
        of_year = found[year]
        sums = of_year.get(city)
        if sums is None:
            sums = of_year[city] = {}
        sums[measure] = (total, latest, mask)
    return found


def latest_month(con, store: Store, year: int) -> int | None:
    if not has_schema(con):
        return None
    rows = query(con, f"SELECT max(month) FROM {store.values} WHERE year = $year", store.params(year=year))
    return rows[0][0]


def years_with_data(con, store: Store) -> list[int]:
    if not has_schema(con):
        return []
    return [r[0] for r in query(con, f"SELECT DISTINCT year FROM {store.values} ORDER BY year", store.params())]


def has_data(con, store: Store, year: int) -> bool:
    return latest_month(con, store, year) is not None


def monthly_values(con, store: Store, year: int, cities=None, measures=None) -> list[tuple]:
    """(city, measure, month, value) rows of one year, optionally for some cities and measures."""
    if not has_schema(con):
        return []
    return query(con, f"""
        SELECT city, measure, month, value FROM {store.values}
        WHERE year = $year
          AND ($cities IS NULL OR list_contains($cities, city))
          AND ($measures IS NULL OR list_contains($measures, measure))
        ORDER BY city, measure, month""",
        store.params(year=year, cities=list(cities) if cities else None,
                     measures=list(measures) if measures else None))


def fund_rows(con, store: Store, t_from: int, t_to: int, lookback: int, cities=None) -> list[tuple]:
    """Per city and month index t = year·12 + month − 1 in [t_from, t_to]: income, expenditure, balance,
    and over the trailing `lookback` months the mean expenditure, the months that have one, and the
    mean net flow over the months that have both income and expenditure."""
    if not has_schema(con):
        return []
    return query(con, f"""
        WITH f AS (
            SELECT city, year * 12 + month - 1 AS t,
                   max(value) FILTER (WHERE measure = $income) AS income,
                   max(value) FILTER (WHERE measure = $expenditure) AS expenditure,
                   max(value) FILTER (WHERE measure = $balance) AS balance
            FROM {store.values}
            WHERE list_contains([$income, $expenditure, $balance], measure)
              AND year * 12 + month - 1 BETWEEN $t_from - $lookback + 1 AND $t_to
              AND ($cities IS NULL OR list_contains($cities, city))
            GROUP BY city, t
        )
        SELECT city, t, income, expenditure, balance,
               avg(expenditure) OVER w, count(expenditure) OVER w, avg(income - expenditure) OVER w
        FROM f
        WINDOW w AS (PARTITION BY city ORDER BY t RANGE BETWEEN $lookback - 1 PRECEDING AND CURRENT ROW)
        QUALIFY t BETWEEN $t_from AND $t_to
        ORDER BY city, t""",
        store.params(income=FUND_INCOME, expenditure=FUND_EXPENDITURE, balance=FUND_BALANCE,
                     t_from=t_from, t_to=t_to, lookback=lookback, cities=list(cities) if cities else None))


def data_digest(con, store: Store, t_from: int, t_to: int) -> tuple[int, str]:
    """(rows, sha256) of every value with month index t = year·12 + month − 1 in [t_from, t_to]: one line
    `year|month|city|measure|value` per value, in key order, so equal data gives an equal digest."""
    if not has_schema(con):
        return 0, hashlib.sha256(b"").hexdigest()
    # Sorted by one integer, not by (year, month, city, measure): the city's and measure's places among the
    # window's distinct ones (up to 2^20 each) packed below the month, the same order at a third of the cost.
    rows = query(con, f"""
        WITH v AS (SELECT year, month, city, measure, value FROM {store.values}
                   WHERE year * 12 + month - 1 BETWEEN $t_from AND $t_to),
             c AS (SELECT city, row_number() OVER (ORDER BY city) AS k FROM (SELECT DISTINCT city FROM v)),
             m AS (SELECT measure, row_number() OVER (ORDER BY measure) AS k FROM (SELECT DISTINCT measure FROM v))
        SELECT count(*),
               sha256(coalesce(string_agg(concat_ws('|', year, month, city, measure, value), chr(10)
                                          ORDER BY ((year * 12 + month)::BIGINT << 40) + (c.k << 20) + m.k), ''))
        FROM v JOIN c USING (city) JOIN m USING (measure)""", store.params(t_from=t_from, t_to=t_to))
    return rows[0]


def completeness(con, store: Store, year: int) -> list[tuple]:
    """(city, month, measures present as a list) for every city and month with any value."""
    if not has_schema(con):
        return []
    return query(con, f"""
        SELECT city, month, list(measure ORDER BY measure) FROM {store.values}
        WHERE year = $year GROUP BY city, month ORDER BY city, month""", store.params(year=year))


def recent_imports(con, limit: int | None = 20) -> list[tuple]:
    """The import log, newest first (all of it with `limit=None`)."""
    if not has_schema(con):
        return []
    return query(con, """
        SELECT import_id, file_name, sha256, imported_at, imported_by, rows_total, rows_new, rows_replaced,
               rows_unchanged
        FROM imports ORDER BY import_id DESC LIMIT $limit""", {"limit": limit})


def last_import_until(con, until) -> int | None:
    """The last import made at or before a time: the data as it stood then."""
    if not has_schema(con):
        return None
    return query(con, "SELECT max(import_id) FROM imports WHERE imported_at <= $until", {"until": until})[0][0]


def revisions(con, year: int | None = None, city: str | None = None, measure: str | None = None) -> list[tuple]:
    """Every replaced value, newest import first: key, old and new value, and both imports' file and time."""
    if not has_schema(con):
        return []
    return query(con, """
        SELECT h.year, h.month, h.city, h.measure, h.old_value, h.new_value,
               h.old_import_id, o.file_name, o.imported_at,
               h.new_import_id, n.file_name, n.sha256, n.imported_at, n.imported_by
        FROM actuals_history h
        LEFT JOIN imports o ON o.import_id = h.old_import_id
        LEFT JOIN imports n ON n.import_id = h.new_import_id
        WHERE ($year IS NULL OR h.year = $year) AND ($city IS NULL OR h.city = $city)
          AND ($measure IS NULL OR h.measure = $measure)
        ORDER BY h.new_import_id DESC, h.year, h.month, h.city, h.measure""",
        {"year": year, "city": city, "measure": measure})


def latest_months(con, store: Store, years=None) -> dict[int, int]:
    """Year → the latest month of that year with any value (of the given years only, when given)."""
    if not has_schema(con):
        return {}
    rows = query(con, f"""
        SELECT year, max(month) FROM {store.values} WHERE $years IS NULL OR list_contains($years, year)
        GROUP BY year ORDER BY year""", store.params(years=None if years is None else sorted(years)))
    return dict(rows)


def cumulative_flows(con, store: Store, year: int, city: str, measures, month: int) -> list[tuple]:
    """(measure, month, cumulative sum over the months 1..month that have a value) for one city's flows."""
    if not has_schema(con) or not measures:
        return []
    return query(con, f"""
        SELECT measure, month, sum(value) OVER (PARTITION BY measure ORDER BY month) FROM {store.values}
        WHERE year = $year AND city = $city AND month BETWEEN 1 AND $month AND list_contains($measures, measure)
        ORDER BY measure, month""", store.params(year=year, city=city, month=month, measures=sorted(measures)))
