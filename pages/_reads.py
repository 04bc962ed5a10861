"""Every read the pages make, through the core and cached.

Pages get their data only from the functions here, so that sign-in and per-city
access can be slotted in at one place. Each cached function is keyed by a
`Source`: the config folder with the size and mtime of each of its files, and
the database file with `Store.version()`, so an edited contract or a new
import shows on the next rerun without a restart. The database is opened
read-only and briefly (`Store.reader`) for each question.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import streamlit as st

from scorecard.completeness import MonthReport, completeness_grid
from scorecard.config import Config
from scorecard.demo import build_demo
from scorecard.fund import FundStatus, fund_series
from scorecard.progress import PaceSeries, pace_series
from scorecard import history
from scorecard.queries import latest_months
from scorecard.scoring import YearResult, score_year
from scorecard.store import Store, get_meta, resolve_db
from scorecard.validation import config_files, load_config
from scorecard.warning_reports import Episode, WarningReport, red_episodes, report_versions
from scorecard.yamlsource import Problem


class Source(NamedTuple):
    config_dir: str
    config_stamp: tuple
    db_path: str
    db_stamp: tuple


@dataclass(frozen=True)
class Holdings:
    """What the database holds: the latest month of each year with data, and whether it is demo data."""

    latest: dict
    demo: bool

    @property
    def empty(self) -> bool:
        return not self.latest


def _config_stamp(directory: Path) -> tuple:
    stamps = []
    for path in config_files(directory):
        stat = path.stat()
        stamps.append((str(path.relative_to(directory)), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


def current_source() -> Source:
    directory = Path(os.environ.get("SCORECARD_CONFIG") or "config").resolve()
    db = resolve_db().resolve()
    return Source(str(directory), _config_stamp(directory), str(db), Store(db).version())


def store(source: Source) -> Store:
    return Store(source.db_path)


@st.cache_resource(max_entries=4, show_spinner=False)
def _load(config_dir: str, stamp: tuple) -> tuple[Config | None, list[Problem]]:
    return load_config(config_dir)


def config(source: Source) -> tuple[Config | None, list[Problem]]:
    """The checked config (shared, immutable) or the problems that prevent it."""
    return _load(source.config_dir, source.config_stamp)


_demo_lock = threading.Lock()


def ensure_database(source: Source, loaded: Config) -> str | None:
    """Build the demo database on first use when there is no database file at all (as `scorecard score` does).

    Returns a notice for the user, or None when the file was already there."""
    with _demo_lock:
        db = Store(source.db_path)
        if db.exists():
            return None
        build_demo(db, loaded)
    return f"未找到数据库 {source.db_path}，已用演示数据新建。导入正式数据后请改用正式数据库。"


@st.cache_data(max_entries=8, show_spinner=False)
def holdings(source: Source) -> Holdings:
    db = store(source)
    with db.reader() as con:
        return Holdings(latest_months(con, db), get_meta(con, "demo") == "1")


@st.cache_data(max_entries=64, show_spinner="正在计算得分……")
def year_result(source: Source, year: int, month: int) -> YearResult:
    loaded, _ = config(source)
    return score_year(loaded, store(source), year, month)


@st.cache_data(max_entries=64, show_spinner=False)
def pace(source: Source, year: int, city: str, month: int) -> list[PaceSeries]:
    loaded, _ = config(source)
    db = store(source)
    with db.reader() as con:
        return pace_series(loaded, con, db, year, city, month)


@st.cache_data(max_entries=16, show_spinner=False)
def completeness(source: Source, year: int, through_month: int) -> list[MonthReport]:
    loaded, _ = config(source)
    db = store(source)
    with db.reader() as con:
        return completeness_grid(loaded, con, db, year, through_month)


@st.cache_data(max_entries=8, show_spinner=False)
def imports(source: Source, limit: int = 20) -> list[history.ImportRecord]:
    return history.imports(store(source), limit)


@st.cache_data(max_entries=8, show_spinner=False)
def revisions(source: Source, year: int) -> list[history.Revision]:
    return history.revisions(store(source), year=year)


@st.cache_data(max_entries=32, show_spinner=False)
def fund_trend(source: Source, year: int, month: int, months: int) -> list[FundStatus]:
    """Every city's capacity over the `months` months ending at (year, month), across the year boundary."""
    loaded, _ = config(source)
    db = store(source)
    with db.reader() as con:
        return fund_series(loaded, con, db, year, month, months)


@dataclass(frozen=True)
class Reporting:
    """The duty to report (预警报告) of a year up to a month: runs of red months and every report version."""

    episodes: list[Episode]
    versions: list[WarningReport]


@st.cache_data(max_entries=16, show_spinner=False)
def reporting(source: Source, year: int, month: int, today: dt.date) -> Reporting:
    loaded, _ = config(source)
    db = store(source)
    with db.reader() as con:
        return Reporting(red_episodes(loaded, con, db, year, month, today=today), report_versions(con))


def after_write() -> None:
    """A page recorded or corrected a warning report: drop the cached reads of the reports."""
    reporting.clear()
