"""Who is posted publicly (公示, 2003 notice point 8): the recipients in payment at a month's end (derive.in_payment),
per city and street or community, as a posting list shows them — the name (masked when records.yaml says so),
county, monthly benefit, months of benefit and the month it started. No id: only its keyed hash is kept, and a
list shows not even that."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import ibis
import pandas as pd

from ..config import Config
from ..errors import InputError
from . import settings as record_settings
from .derive import in_force, in_payment, month_ends
from .engines import connected
from .masking import masked_name
from .store import PersonStore

UNFILLED = "未填街道社区"     # the list of the recipients whose claim names no street or community
NO_NAME = "（未填姓名）"


def with_community(con, year: int, as_of: int | None = None):
    """The claims in payment at each month's end of `year` (a row per claim and such month), with `community` as
    posted: a blank one under UNFILLED."""
    rows = in_force(con, "claims", as_of).cross_join(month_ends(year))
    rows = rows.filter(in_payment(rows))
    return rows.mutate(community=ibis.coalesce(rows.community.strip().nullif(""), ibis.literal(UNFILLED)))


def recipients_by_community(con, year: int, as_of: int | None = None):
    """Recipients at each month's end per city and community: what a community's list of the month holds."""
    rows = with_community(con, year, as_of)
    return rows.group_by("city", "month", "community").aggregate(recipients=rows.claim_id.nunique())


def listed(con, year: int, month: int, city: str, as_of: int | None = None):
    rows = with_community(con, year, as_of)
    rows = rows.filter((rows.month == month) & (rows.city == city))
    return rows.select("community", "claim_id", "person_name", "county", "monthly_benefit", "entitled_months",
                       "approval_date").order_by("community", "county", "approval_date", "claim_id")


@dataclass(frozen=True)
class Recipient:
    name: str                   # as posted: masked when records.yaml says so
    county: str
    monthly_benefit: float      # 元
    entitled_months: int
    since: dt.date              # the approval: the month benefit starts


@dataclass(frozen=True)
class CommunityList:
    city: str
    community: str
    year: int
    month: int
    recipients: tuple[Recipient, ...]


def city_code(config: Config, city: str) -> str:
    code = config.city_lookup.get(str(city).strip())
    if code is None:
        raise InputError(f"未知的市州“{city}”（可写代码、全称或简称）")
    return code


def community_lists(store: PersonStore, config: Config, year: int, month: int, city: str,
                    as_of: int | None = None, engine: str = "duckdb") -> list[CommunityList]:
    """The lists of a city's month, one per community in the order of their names; none when nobody drew
    benefit at the month's end."""
    if not 1 <= month <= 12:
        raise InputError(f"月份应为1至12，现在是{month}")
    code = city_code(config, city)
    posting = record_settings.load(config.directory).posting
    with connected(engine, store) as con:
        frame = listed(con, year, month, code, as_of).to_pandas()

    def shown(name) -> str:
        if not isinstance(name, str) or not name.strip():
            return NO_NAME
        return masked_name(name) if posting.mask_names else name.strip()

    return [CommunityList(code, community, year, month, tuple(
        Recipient(shown(r.person_name), r.county if isinstance(r.county, str) else "", float(r.monthly_benefit),
                  int(r.entitled_months), pd.Timestamp(r.approval_date).date()) for r in group.itertuples()))
        for community, group in frame.groupby("community", sort=True)]
