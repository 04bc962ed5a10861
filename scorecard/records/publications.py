"""Published results (发布): the result of a year as of a month (12: the year-end result, else a 进度通报) as the
JSON of `scorecard score --format json`, with the fingerprint of its inputs, a number per year (第1号, 第2号 …)
and its date. A publication is never changed: publishing again adds one (with its reason) and keeps the earlier."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from dataclasses import dataclass

from sqlalchemy import func, select

from . import audit
from .audit import Actor
from .store import Records, serialize
from .tables import publications as rows
from .. import clock
from ..errors import InputError


@dataclass(frozen=True)
class Publication:
    id: int
    year: int
    month: int
    number: int
    published_at: dt.datetime
    author: str
    reason: str
    result: str               # the JSON text, printed as stored
    inputs: str               # JSON: config digest, imports, decisions in force

    @property
    def title(self) -> str:
        what = "年终考评结果" if self.month == 12 else f"截至{self.month}月进度通报"
        return f"{self.year}年度第{self.number}号发布（{what}，{self.published_at:%Y-%m-%d}）"

    @property
    def fingerprint(self) -> dict:
        return json.loads(self.inputs)


_COLUMNS = [rows.c[name] for name in Publication.__dataclass_fields__]


def add(records: Records, year: int, month: int, result: str, inputs: dict, *, reason: str, actor: Actor,
        archive: str) -> Publication:
    """`result`: the JSON printed by `score --published`; `archive`: the whole result (report.archive)."""
    with records.write() as con:
        serialize(con, "publications")
        number = con.execute(select(func.coalesce(func.max(rows.c.number), 0) + 1)
                             .where(rows.c.year == year)).scalar()
        con.execute(rows.insert().values(year=year, month=month, number=number, published_at=clock.now(),
                                         author=actor.who[:80], reason=reason, result=result,
                                         inputs=json.dumps(inputs, ensure_ascii=False, sort_keys=True),
                                         archive=zlib.compress(archive.encode(), 6)))
        saved = Publication(*con.execute(select(*_COLUMNS).where(rows.c.year == year, rows.c.number == number))
                            .one())
        audit.insert(con, actor, audit.PUBLISH, target=saved.title, detail=f"已发布：{saved.title}；理由：{reason}。")
    return saved


def archive(records: Records, publication: Publication) -> str | None:
    """The whole result kept with a publication; None for one made before results were kept whole."""
    with records.read() as con:
        kept = con.execute(select(rows.c.archive).where(rows.c.id == publication.id)).scalar()
    return None if kept is None else zlib.decompress(kept).decode()


def listed(records: Records, year: int | None = None) -> list[Publication]:
    """Every publication, by year and number."""
    query = select(*_COLUMNS).order_by(rows.c.year, rows.c.number)
    if year is not None:
        query = query.where(rows.c.year == year)
    with records.read() as con:
        return [Publication(*row) for row in con.execute(query)]


def chosen(records: Records, year: int, *, month: int | None = None, number: int | None = None) -> Publication:
    """Publication 第`number`号 of a year, else the latest one of the year as of `month` (12 when not given)."""
    found = listed(records, year)
    if number is not None:
        match = [p for p in found if p.number == number]
        if not match:
            raise InputError(f"{year}年度没有第{number}号发布（scorecard publications --year {year} 可查看）")
        return match[0]
    month = month or 12
    match = [p for p in found if p.month == month]
    if not match:
        what = "年终考评结果" if month == 12 else f"截至{month}月的进度通报"
        raise InputError(f"{year}年度的{what}还没有发布（scorecard publish 可发布）")
    return match[-1]
