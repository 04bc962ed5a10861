"""Documents handed out by our own route, each only to the session that asked for it.

Streamlit's `st.download_button` serves its bytes at /media/<id> to anybody who has the address. Instead, a
page asks `offer()` for a link to a document: an unguessable id, held here in the server's memory with the
holder it was made for (the sha256 of the session token, or the single sign-on user name), what it builds
and an expiry. `GET /download/<id>` (pages/gateway.py) serves it after checking the request's holder
against the link's and the permission again for the principal it finds; anything else is refused there.

Nothing here touches Streamlit: the script runs (pages/reads.py) offer, the server (pages/gateway.py) finds.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from scorecard.roles import Principal

LIFETIME_SECONDS = 2 * 3600   # since the page last offered it; the session's own end ends it sooner
PER_HOLDER = 64               # links kept per holder: the ones offered most recently


@dataclass(frozen=True)
class Document:
    file_name: str
    mime: str
    build: Callable[[], bytes]                 # runs when the link is followed
    permitted: Callable[[Principal], None]     # the core's check (scorecard.roles): raises AccessDenied
    detail: str                                # what the export's line in the audit log says


@dataclass(frozen=True)
class Offer:
    """What a page draws: a link, or a disabled button with the reason written next to it."""

    href: str | None = None
    reason: str | None = None


@dataclass
class _Link:
    holder: str
    key: tuple
    document: Document
    expires: float


_links: dict[str, _Link] = {}
_ids: dict[tuple[str, tuple], str] = {}      # (holder, key) → id: the same document keeps its link across reruns
_guard = threading.Lock()

UNKNOWN, OTHERS = "链接无效或已过期", "链接属于另一次登录"


def session_holder(token: str) -> str:
    return "session:" + hashlib.sha256(token.encode()).hexdigest()


def user_holder(user: str) -> str:
    """A single sign-on user (header mode), who has no session token of ours."""
    return "user:" + user.strip().lower()


def offer(holder: str, key: tuple, document: Document) -> str:
    """The id of a link to `document` for `holder` (the same id while the same document is offered again)."""
    now = time.monotonic()
    with _guard:
        _drop([i for i, link in _links.items() if link.expires <= now])
        link_id = _ids.get((holder, key))
        if link_id is None:
            link_id = secrets.token_urlsafe(24)
            _ids[(holder, key)] = link_id
        _links[link_id] = _Link(holder, key, document, now + LIFETIME_SECONDS)
        mine = sorted((link.expires, i) for i, link in _links.items() if link.holder == holder)
        _drop([i for _, i in mine[:-PER_HOLDER]])
    return link_id


def find(link_id: str, holder: str) -> tuple[Document | None, str | None]:
    """The document behind a link for the holder of a request, or None and why not."""
    with _guard:
        link = _links.get(link_id)
        if link is None or link.expires <= time.monotonic():
            return None, UNKNOWN
        if not secrets.compare_digest(link.holder, holder):
            return None, OTHERS
        return link.document, None


def _drop(link_ids: list[str]) -> None:
    for link_id in link_ids:
        link = _links.pop(link_id)
        _ids.pop((link.holder, link.key), None)
