"""Helpers shared by the intake tests: reading tables back, a database snapshot."""

from __future__ import annotations

import duckdb

HEADER = "year,month,city,measure,value\n"
TABLES = ("actuals", "actuals_history", "imports", "meta")


def table(db, sql="SELECT year, month, city, measure, value FROM actuals ORDER BY ALL"):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def snapshot(db):
    """Every row of every table, or None when there is no database file."""
    if not db.exists():
        return None
    return {name: table(db, f"SELECT * FROM {name} ORDER BY ALL") for name in TABLES}


def values(db) -> dict:
    return {(y, m, c, me): v for y, m, c, me, v in table(db)}
