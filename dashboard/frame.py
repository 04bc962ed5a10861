"""The frame of every page: the title, the problems of an invalid config, a missing or empty database, and
the year / month / city pickers kept in the URL (`?year=2003&month=6&city=220100`). `open_page` draws it and
gives the page its `View`: what it draws from. A page's own choice kept in the URL beside them (市州进度's
`?indicator=`) is picked with `pick`; `keep` sets a choice for the next page (dashboard/drill.py).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard import reads
from dashboard.text import code, md, plain_words
from scorecard import roles
from scorecard.assessment.results import YearResult
from scorecard.config import Config
from scorecard.data.store import StoreError, missing_text
from scorecard.report.scope import speaks_of
from scorecard.roles import Principal


def import_help(db_path: str) -> str:
    db_path = shlex.quote(db_path)
    return f"""\
1. 把各市州的月度实际数整理成长格式表格（CSV或xlsx），每行一个数，列为 `year,month,city,measure,value`，
   如 `2003,1,220100,contributions_collected,1523.4`；`city`（市州）一列可写代码、全称或简称。
2. 在命令行导入：`scorecard --db {db_path} import 文件名.csv`。每个文件全部成功或全部不导入，有错会逐行说明。
3. 导入后刷新本页。

只想先看看效果：运行 `scorecard --db {db_path} demo` 生成演示数据。"""


PUBLICATION = "_publication"  # session state: (year, month) → the publication number picked on the page
IN_URL = ("year", "month", "city", "indicator")  # the choices a link carries


@dataclass(frozen=True)
class View:
    """What a page draws from: the source, the checked config, what the database holds, the selection."""

    source: reads.Source
    config: Config            # as the user may see it (a 市州 user's: their own contracts and findings)
    holdings: reads.Holdings
    year: int
    month: int | None
    city: str | None
    principal: Principal

    def result(self) -> YearResult:
        """The result shown: the publication picked on the page (published.panel), else the one in force, else
        the result computed now (report.publication.official_result)."""
        return reads.year_result(self.source, self.year, self.month, self.publication_number)

    @property
    def publication_number(self) -> int | None:
        """The publication picked on the page (published.panel), None for the one in force or none."""
        return st.session_state.get(PUBLICATION, {}).get((self.year, self.month))

    @property
    def subject(self) -> str | None:
        """Whom the page's sentences about its (scoped) data speak of: every city (None), or the user's own."""
        return speaks_of(self.principal, self.config)


# --- the page frame ------------------------------------------------------------------

def open_page(title: str, source: reads.Source, *, month: bool = True, city: bool = False,
              needs_data: bool = True) -> View:
    """Draw the title and the pickers, or the reason the page cannot be shown (then stop the run); `source`: the
    run's (reads.current_source, taken once by the router)."""
    st.title(title)
    problems = reads.config_problems(source)
    if problems:
        problems_banner(problems)
        st.stop()
    config = reads.config(source)
    if not config.years():
        st.info("配置中还没有任何年度的目标责任书。请在 config/contracts/<年度>/ 下为每个市州建立目标责任书。")
        st.stop()
    if database_missing(source):
        st.stop()
    try:
        holdings = reads.holdings(source)
    except (StoreError, OSError) as exc:  # e.g. a damaged file
        st.error(md(exc) if isinstance(exc, StoreError) else f"无法读取数据库 {md(source.db_path)}：{md(exc.strerror or exc)}")
        if needs_data:
            st.stop()
        holdings = reads.Holdings({}, False)
    if needs_data and holdings.empty:
        empty_state(source)
    year, chosen_month, chosen_city = _selection(config, holdings, month=month and not holdings.empty, city=city)
    if needs_data and not holdings.latest.get(year):
        st.info(f"{year}年还没有任何月度数据。{_years_with_data(config, holdings)}")
        st.stop()
    return View(source, config, holdings, year, chosen_month, chosen_city, reads.principal())


def database_missing(source: reads.Source) -> bool:
    """Say so when the database file is not there (moved or deleted while the app runs): it is never replaced."""
    if Path(source.db_path).is_file():
        return False
    st.error(f"{md(missing_text(source.db_path))}恢复或导入后刷新本页即可。")
    return True


def problems_banner(problems, what: str = "配置") -> None:
    lines = "\n".join(f"- {code(f'{p.file}:{p.line}' if p.line else p.file)}：{plain_words(p.message)}" for p in problems)
    consequence = "在此之前无法登录。" if what != "配置" else "在此之前无法评分。"
    st.error(f"**{what}有{len(problems)}处问题，修正后刷新本页即可。** {consequence}\n\n{lines}\n\n"
             "命令行 `scorecard validate` 可单独检查配置。")


def empty_state(source: reads.Source) -> None:
    st.info(f"数据库 `{source.db_path}` 中还没有任何月度数据。\n\n{import_help(source.db_path)}")
    st.stop()


def _years_with_data(config: Config, holdings: reads.Holdings) -> str:
    years = [y for y in config.years() if holdings.latest.get(y)]
    return f"有数据的年度：{'、'.join(f'{y}年' for y in years)}。" if years else ""


# --- the selection, kept in the URL ------------------------------------------------------

def _selection(config: Config, holdings: reads.Holdings, *, month: bool, city: bool):
    """Year (and month, city) pickers in one row; the URL carries the choice so a link can be shared."""
    if "_url" not in st.session_state:  # first run of this browser session: the URL it was opened with
        st.session_state["_url"] = {k: st.query_params[k] for k in IN_URL if k in st.query_params}
    _refuse_other_city(config)
    state = st.session_state.setdefault("_selection", {})  # year, month, city: kept across pages
    columns = st.columns([1, 1, 2, 3])
    years = config.years()
    chosen = {"year": _pick(columns[0], state, "year", "年度", years[::-1], holdings.opening_year(years),
                            lambda y: f"{y}年", int)}
    year = chosen["year"]
    latest = holdings.latest.get(year)
    if month and latest:
        chosen["month"] = _pick(columns[1], state, "month", "截至月份", list(range(latest, 0, -1)), latest,
                                lambda m: f"{m}月", int)
    if city:
        codes = [c.code for c in config.cities if (year, c.code) in config.contracts]
        if not codes:
            st.info(f"{year}年没有{md(_own_city(config))}的目标责任书。")
            st.stop()
        chosen["city"] = _pick(columns[2], state, "city", "市州", codes, codes[0], lambda c: config.city(c).name,
                               config.city_lookup.get)
    st.query_params.from_dict({k: str(v) for k, v in chosen.items()})
    return year, chosen.get("month"), chosen.get("city")


def _refuse_other_city(config: Config) -> None:
    """A link naming a city the user may not see (?city=…) is refused, not quietly replaced."""
    raw = st.session_state["_url"].get("city")
    code = config.city_lookup.get(raw.strip()) if raw else None
    principal = reads.principal()
    if code is not None and not (principal and principal.may_see(code)):
        st.session_state["_url"].pop("city")
        roles.require_city(principal, code, config)


def _own_city(config: Config) -> str:
    principal = reads.principal()
    return config.city(principal.city).name if principal and principal.city in config.city_lookup else "本市"


def pick(name: str, label: str, options: list, show, parse=str, placeholder: str | None = None, column=None):
    """A page's own picker kept in the URL (`?name=…`) beside the frame's and checked as they are; nothing is
    chosen until the user picks (None; the placeholder says what to do). Drawn in `column`, else where it is."""
    chosen = _pick(column or st.container(), st.session_state.setdefault("_selection", {}), name, label, options,
                   None, show, parse, placeholder)
    if chosen is None:
        st.query_params.pop(name, None)
    else:
        st.query_params[name] = str(chosen)
    return chosen


def keep(name: str, value) -> None:
    """Choose `value` (e.g. a city) for the pages drawn next, as if picked there."""
    st.session_state.setdefault("_selection", {})[name] = value


def _pick(column, state: dict, name: str, label: str, options: list, default, show, parse, placeholder=None):
    """One picker. `state` holds the selection across pages (a widget's own state does not survive a page
    switch); a value from the URL is checked, and an invalid one falls back to the default with a notice."""
    pending = st.session_state["_url"]
    if name in pending:
        raw = pending.pop(name)
        state[name] = _parse(parse, raw)
        if state[name] not in options:
            instead = "已忽略" if default is None else f"已改为显示{md(show(default))}"
            st.warning(f"网址中的{label}“{md(raw)}”无效或没有数据，{instead}。")
    if state.get(name) not in options:
        state[name] = default
    widget = f"_pick_{name}"
    st.session_state[widget] = state[name]
    with column:
        return st.selectbox(label, options, key=widget, format_func=show, on_change=_remember, args=(name, widget),
                            placeholder=placeholder)


def _remember(name: str, widget: str) -> None:
    st.session_state["_selection"][name] = st.session_state[widget]


def _parse(parse, raw: str):
    try:
        return parse(raw.strip())
    except (ValueError, AttributeError):
        return None
