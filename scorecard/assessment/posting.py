"""A city's 公示 coverage in a month: the recipients at the month's end in the streets and communities whose list for
that month was posted (records.postings), as a share of all the city's recipients that month (microdata.posting).
Defined here once; the command line and any page only show it."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from ..microdata.engines import connected
from ..microdata.posting import recipients_by_community
from ..microdata.store import PersonStore
from ..records import postings
from ..records.store import Records


@dataclass(frozen=True)
class Coverage:
    city: str
    month: int
    recipients: int             # at the month's end
    posted: int                 # of them, in a community whose list of the month was posted
    communities: int
    posted_communities: int

    @property
    def rate(self) -> float:
        return self.posted / self.recipients


def coverage(store: PersonStore, records: Records | None, config: Config, year: int, city: str | None = None,
             as_of: int | None = None, engine: str = "duckdb") -> list[Coverage]:
    """Per city and month with recipients, in the order of the cities and months; `records` None: nothing
    posted yet (no records store)."""
    with connected(engine, store) as con:
        frame = recipients_by_community(con, year, as_of).to_pandas()
    if city is not None:
        frame = frame[frame.city == city]
    posted = set() if records is None else {(p.city, p.month, p.community)
                                            for p in postings.posted(records, year, city)}
    frame = frame.assign(posted=[(r.city, r.month, r.community) in posted for r in frame.itertuples()])
    order = {c.code: k for k, c in enumerate(config.cities)}
    found = [Coverage(c, int(m), int(g.recipients.sum()), int(g.recipients[g.posted].sum()), len(g),
                      int(g.posted.sum())) for (c, m), g in frame.groupby(["city", "month"])]
    return sorted(found, key=lambda x: (order.get(x.city, len(order)), x.city, x.month))
