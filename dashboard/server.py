"""What the server's own routes (sign-in, sign-out, downloads) and the gate share: the paths under the app's base
URL, access.yaml as it is now, the records store and whether the data is demo data. Nothing here imports the
Streamlit script machinery; it runs in the server, outside any session."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from starlette.requests import HTTPConnection

from scorecard.config import ACCESS_FILE, AccessSettings, load_access
from scorecard.data.store import Store, StoreError, get_meta, resolve_db
from scorecard.records.store import Records

TITLE = "失业保险目标责任制考评系统"


def prefix() -> str:
    """The path the app is served under (Streamlit's server.baseUrlPath), "" at the root."""
    from streamlit import config

    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def signin_path(next_path: str | None = None, reason: str | None = None) -> str:
    query = []
    if next_path:
        query.append(f"next={quote(next_path, safe='')}")
    if reason:
        query.append(f"reason={reason}")
    return f"{prefix()}/signin" + (f"?{'&'.join(query)}" if query else "")


def signout_path() -> str:
    return f"{prefix()}/signout"


def download_path(link_id: str) -> str:
    return f"{prefix()}/download/{link_id}"


# --- where the settings and the databases are -------------------------------------------------------

def config_dir() -> Path:
    return Path(os.environ.get("SCORECARD_CONFIG") or "config").resolve()


@lru_cache(maxsize=4)
def _settings_at(directory: str, stamp) -> tuple[AccessSettings | None, list]:
    return load_access(directory)


def settings() -> tuple[AccessSettings | None, list]:
    """access.yaml as it is now (read again when the file changes)."""
    directory = config_dir()
    try:
        stat = (directory / ACCESS_FILE).stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        stamp = None
    return _settings_at(str(directory), stamp)


def records() -> Records:
    return Records.beside(resolve_db().resolve())


def demo_database() -> bool:
    store = Store(resolve_db().resolve())
    if not store.exists():
        return False
    try:
        with store.reader() as con:
            return get_meta(con, "demo") == "1"
    except StoreError:
        return False


def address_of(connection: HTTPConnection) -> str | None:
    return connection.client.host if connection.client else None
