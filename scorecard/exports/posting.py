"""The 公示 of a street or community (2003 notice point 8): one PDF per community's list of recipients
(microdata.posting) — the heading with city, community and month, the table, how long it is posted and where
objections go, the issuing office and date. The same list on the same date gives the same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from ..actions.postings import ListFile
from ..config import Config
from ..microdata.posting import UNFILLED, CommunityList
from ..microdata.settings import PostingSettings
from ..report.duty import NOTICE
from .blocks import Document, Paragraph, Table
from .pdf import document_pdf

TITLE = "失业保险金领取人员公示"
HEADERS = ("序号", "姓名", "县（市、区）", "月失业保险金（元）", "领取月数", "起始月份")
# what a file name may not hold on the systems a list is copied to, and how long it may be
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
NAME_CHARS = 80


def written_day(day: dt.date) -> str:
    """2003年7月1日, as a 公文 writes a date."""
    return f"{day.year}年{day.month}月{day.day}日"


def _terms(posting: PostingSettings, posted_on: dt.date | None, city: str) -> str:
    """How long the list is up, and where objections go: short enough to stay on the page of a short list."""
    if posted_on is None:
        period = f"公示期{posting.days}天（自张贴之日起）"
    else:
        last = posted_on + dt.timedelta(days=posting.days - 1)
        period = f"公示期{posting.days}天（{written_day(posted_on)}至{written_day(last)}）"
    return f"{period}。对名单有异议或知道名单中人员已就业的，请在公示期内向{posting.objections_of(city)}反映。"


def posting_document(listing: CommunityList, config: Config, posting: PostingSettings,
                     posted_on: dt.date | None, issued_on: dt.date) -> Document:
    city = config.city(listing.city).name
    month = f"{listing.year}年{listing.month}月"
    who = (f"{city}{month}末领取失业保险金、申领记录未填写街道社区的人员" if listing.community == UNFILLED
           else f"{city}{listing.community}{month}末领取失业保险金人员")
    rows = tuple((str(n), r.name, r.county or "—", f"{r.monthly_benefit:,.2f}", str(r.entitled_months),
                  f"{r.since.year}年{r.since.month}月") for n, r in enumerate(listing.recipients, 1))
    organ = config.rules_for(listing.year).documents.letter_organ_of(city)
    blocks = (
        Paragraph(f"根据{NOTICE}文件第八条关于领取失业保险金人员在街道、社区公示的规定，现将{who}名单"
                  f"公示如下（共{len(rows)}人）："),
        Table(HEADERS, rows, ("C", "C", "L", "R", "C", "C")),
        Paragraph(_terms(posting, posted_on, city)),
    )
    return Document(number="", title_lines=(TITLE, f"（{city}　{listing.community}　{month}）"), addressee="",
                    blocks=blocks, attachment=None, signature=(organ, written_day(issued_on)), mark=None)


def file_name(community: str, taken: set[str]) -> str:
    """`<community>.pdf`, with what a file name may not hold replaced, and a number added when two communities
    come out the same."""
    base = UNSAFE.sub("_", community).strip().strip(".")[:NAME_CHARS] or UNFILLED
    name, n = f"{base}.pdf", 1
    while name in taken:
        n += 1
        name = f"{base}_{n}.pdf"
    taken.add(name)
    return name


def posting_files(lists: list[CommunityList], config: Config, posting: PostingSettings,
                  posted_on: dt.date | None, issued_on: dt.date) -> list[ListFile]:
    taken: set[str] = set()
    files = []
    for listing in lists:
        doc = posting_document(listing, config, posting, posted_on, issued_on)
        data = document_pdf(doc, listing.community, dated=issued_on)
        files.append(ListFile(listing.community, len(listing.recipients), file_name(listing.community, taken),
                              data, hashlib.sha256(data).hexdigest()))
    return files
