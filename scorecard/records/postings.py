"""The log of 公示 lists posted (table `postings`): for a city's month, each street or community's list, when it was
posted, by whom, how many recipients it named and the SHA-256 of its PDF. Entries are only added; posting a list
again adds an entry beside the first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from .. import clock
from ..errors import InputError
from .store import Records
from .tables import postings


@dataclass(frozen=True)
class Posting:
    year: int
    month: int
    city: str
    community: str
    recipients: int
    digest: str
    posted_on: dt.date
    author: str


_COLUMNS = [postings.c[name] for name in Posting.__dataclass_fields__]


def checked_day(year: int, month: int, posted_on: dt.date) -> None:
    """A list of a month is posted in that month or after, and not after today."""
    if posted_on < dt.date(year, month, 1):
        raise InputError(f"公示日期{posted_on:%Y-%m-%d}早于名单月份{year}年{month}月，请核对")
    if posted_on > clock.today():
        raise InputError(f"公示日期{posted_on:%Y-%m-%d}晚于今天，请核对")


def add(con, entries: Iterable[Posting]) -> None:
    """Log the lists on an open connection of the records store (in the caller's transaction, with its audit
    line)."""
    now = clock.now()
    con.execute(postings.insert(), [
        {name: getattr(e, name) for name in Posting.__dataclass_fields__} | {"created_at": now} for e in entries])


def posted(records: Records, year: int, city: str | None = None) -> list[Posting]:
    """Every list logged for the year (of one city), oldest entry first; nothing when there is no records store."""
    if records.path is not None and not records.path.exists():
        return []
    query = select(*_COLUMNS).where(postings.c.year == year).order_by(postings.c.id)
    if city is not None:
        query = query.where(postings.c.city == city)
    with records.read() as con:
        return [Posting(*row) for row in con.execute(query)]
