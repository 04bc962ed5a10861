"""Every read the pages make, through the core, cached, and filtered for the signed-in user.

Pages get their data only from the functions here. Each cached function is keyed by a `Source`: the
config folder with the size and mtime of each of its files, and the database file with
`Store.version()`, so an edited contract or a new import shows on the next rerun without a restart. The
database is opened read-only and briefly (`Store.reader`) for each question.

Access: every public function of this module passes its result through `scorecard.report.scope.scope` for
the user signed in (`principal()`, set by dashboard/session.py) — a 市州 user gets their own city's part
and nothing else — except those named in PUBLIC (nothing of any one city in them) and GUARDED (they
check a permission themselves). This is done at the bottom of the module for every function defined
here, so a read added later is filtered too, and fails closed (无权访问) for a 市州 user when scope
cannot tell what in it is theirs.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from dashboard import downloads, server
from scorecard import clock, exports
from scorecard import roles as access
from scorecard.report import scope as scoping
from scorecard.records import accounts as accounts_of, audit
from scorecard.data import history
from scorecard.roles import Principal
from scorecard.report.scope import Ranking
from scorecard.data.completeness import MonthReport, completeness_grid
from scorecard.config import AccessSettings, Config
from scorecard.assessment.fund import FundStatus, fund_series
from scorecard.assessment.forecast import CityForecast, forecast as forecast_of
from scorecard.microdata.store import PersonStore
from scorecard.assessment.progress import PaceSeries, pace_series
from scorecard.assessment.trends import IndicatorSeries, city_series
from scorecard.data.queries import latest_months
from scorecard.assessment.results import YearResult
from scorecard.assessment.robustness import Robustness, robustness as robustness_of
from scorecard.assessment.decisions import Listed, listing as decision_listing
from scorecard.assessment.decisions import records_of
from scorecard.records import publications as published
from scorecard.records.publications import Publication
from scorecard.assessment.self_assessment import CityThree, three_scores as three
from scorecard.records.self_assessment import Entry, entries as claim_entries, in_force as claims_in_force
from scorecard.report.publication import Changes, changes_since, in_force, official_result
from scorecard.report.publication import shown_as_of as publication_as_of


from scorecard.assessment.scoring import score_year
from scorecard.assessment.rectification import Finding, findings_in, overdue_plans as overdue_of, plans_for
from scorecard.records.rectification import Plan
from scorecard.data.store import Store, get_meta, resolve_db
from scorecard.config import ACCESS_FILE, config_stamp, load_access, load_config
from scorecard.assessment.warning_duty import Episode, Offer, offers, offers_of, red_episodes
from scorecard.microdata import settings as record_settings
from scorecard.records.store import Records
from scorecard.assessment import reporting
from scorecard.records import reporting as reported
from scorecard.records.reporting import ReportVersion
from scorecard.records.warning_reports import WarningReport, report_versions
from scorecard.config.yamlsource import Problem
from scorecard.assessment.drafting import Draft, draft_targets
from scorecard.config.targets import load_targets

if TYPE_CHECKING:  # the reads of person records, the 公示 lists, the documents and the report template import their
    # libraries (ibis, pandas, fpdf, …) when one of them runs: the first page after a start needs none of them
    from scorecard.assessment import person_findings as person_checks
    from scorecard.assessment import posting as posting_coverage_of
    from scorecard.microdata.posting import CommunityList

PUBLIC = ("current_source", "config_problems", "access_settings", "holdings", "records", "publications",
          "person_records_present", "warm")
GUARDED = ("principal", "download", "package_download", "letter_download", "report_card", "contract_download", "template",
           "writable_store", "audit_entries", "decisions", "changes", "three_scores", "self_assessment_entries", "accounts",
           "report_cells", "report_form", "report_version", "report_findings", "target_draft",
           "person_findings_download", "posting_list_download")


class Source(NamedTuple):
    config_dir: str
    config_stamp: str        # a digest: every cached read hashes the Source, and a national config has thousands of files
    db_path: str
    db_stamp: tuple
    records_stamp: str | None  # raised by every change of the records, in this process or another (audit.generation)


@dataclass(frozen=True)
class Holdings:
    """What the database holds: the latest month of each year with data, and whether it is demo data."""

    latest: dict
    demo: bool

    @property
    def empty(self) -> bool:
        return not self.latest

    def opening_year(self, years: list[int]) -> int:
        """The year a page opens on, of the config's `years`: the latest with data, else the latest."""
        return max([y for y in years if self.latest.get(y)] or years)


def current_source() -> Source:
    directory = Path(os.environ.get("SCORECARD_CONFIG") or "config").resolve()
    db = resolve_db().resolve()
    return Source(str(directory), config_stamp(directory), str(db), Store(db).version(), _records_stamp(db))


def _records_stamp(db: Path) -> str | None:
    if not db.exists():   # no records read (nor made) beside a database that is not there
        return None
    try:
        return audit.generation(Records.beside(db))
    except SQLAlchemyError:  # records that cannot be read are reported where they are used
        return None


def _store(source: Source) -> Store:
    return Store(source.db_path)


def store(source: Source) -> Store:
    """The database itself: only for users who may see every city (a 市州 user is refused by scope)."""
    return _store(source)


def records(source: Source) -> Records:
    """Accounts, sessions, the audit log and warning reports (scorecard.records.store)."""
    return Records.beside(source.db_path)


def principal() -> Principal | None:
    """The user signed in for this run (dashboard/session.py puts them here before any page runs)."""
    return st.session_state.get("_principal")


@st.cache_resource(max_entries=4, show_spinner=False)
def _load(config_dir: str, stamp: tuple) -> tuple[Config | None, list[Problem]]:
    return load_config(config_dir, cache=True)


def _full_config(source: Source) -> Config | None:
    return _load(source.config_dir, source.config_stamp)[0]


def config(source: Source) -> Config | None:
    """The checked config (shared, immutable), None when it has problems; a 市州 user's holds their own
    contracts and assessment findings only."""
    return _full_config(source)


def config_problems(source: Source) -> list[Problem]:
    return _load(source.config_dir, source.config_stamp)[1]


@st.cache_resource(max_entries=4, show_spinner=False)
def _load_access(config_dir: str, stamp) -> tuple[AccessSettings | None, list[Problem]]:
    return load_access(config_dir)


def access_settings(source: Source) -> tuple[AccessSettings | None, list[Problem]]:
    """How people sign in (config/access.yaml), or its problems."""
    path = Path(source.config_dir) / ACCESS_FILE
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        stamp = None
    return _load_access(source.config_dir, stamp)


@st.cache_data(max_entries=8, show_spinner=False)
def holdings(source: Source) -> Holdings:
    db = _store(source)
    with db.reader() as con:
        return Holdings(latest_months(con, db), get_meta(con, "demo") == "1")


@st.cache_resource(max_entries=16, show_spinner="正在计算得分……")
def _year_result(source: Source, year: int, month: int, number: int | None = None) -> YearResult:
    """The result shown (report.publication.official_result: the publication in force, else computed now). Shared
    by every session, not copied for each (st.cache_data would unpickle thousands of units' results on every
    read): a YearResult is immutable, and scope() builds a new one for a 市州 user."""
    return official_result(_full_config(source), _store(source), year, month, number)


def year_result(source: Source, year: int, month: int, number: int | None = None) -> YearResult:
    return _year_result(source, year, month, number)


def warm(source: Source) -> None:
    """Make what the first page after a start reads, into the shared caches, under the keys the page reads them
    with: the config checked, what the database holds, the result of the year and latest month a page opens on.
    For nobody in particular, so nothing is returned (dashboard/warmup.py)."""
    config, problems = _load(source.config_dir, source.config_stamp)
    if problems or config is None or not config.years() or not Path(source.db_path).is_file():
        return
    held = holdings(source)
    year = held.opening_year(config.years())
    if held.latest.get(year):
        _year_result(source, year, held.latest[year], None)


@st.cache_resource(max_entries=8, show_spinner="正在计算排名稳健性……")
def _robustness(source: Source, year: int, month: int | None, number: int | None) -> Robustness:
    return robustness_of(_year_result(source, year, month, number))


def robustness(source: Source, year: int, month: int | None, number: int | None = None) -> Robustness:
    """The ranks of the result shown (as `year_result`) under other weights (排名稳健性); a 市州 user's: their own
    city's (scope)."""
    return _robustness(source, year, month, number)


@st.cache_resource(max_entries=16, show_spinner="正在计算得分……")
def _county_result(source: Source, year: int, month: int, parent: str) -> YearResult | None:
    config = _full_config(source)
    if not config.contracts_for(year, parent):
        return None
    return score_year(config, _store(source), year, month, parent)


def county_result(source: Source, year: int, month: int, parent: str) -> YearResult | None:
    """The 县（市、区） of a 市州 scored, graded and ranked by the contracts it signed with them (None: it signed none
    for the year); a 市州 user may see their own city's only (scope)."""
    return _county_result(source, year, month, parent)


def publications(source: Source, year: int) -> list[Publication]:
    """The year's publications, oldest first (numbers, dates, authors and reasons: nothing of any one city)."""
    kept = records_of(_store(source))
    return [] if kept is None else published.listed(kept, year)


@st.cache_resource(max_entries=8, show_spinner="正在比较发布后的变动……")
def _changes(source: Source, year: int, month: int) -> Changes | None:
    publication = in_force(_store(source), year, month)
    return None if publication is None else changes_since(_full_config(source), _store(source), publication)


def changes(source: Source, year: int, month: int) -> Changes | None:
    """发布后变动 of the publication in force for the month: for users who see every city (the reasons name
    every city's imports)."""
    access.require(principal(), access.ALL_CITIES)
    return _changes(source, year, month)


def ranking(source: Source, year: int, month: int) -> Ranking:
    """Rank, total and grade of every city, as a circular publishes them."""
    return scoping.ranking(_year_result(source, year, month))


def shown_as_of(source: Source, result: YearResult) -> int | None:
    """The last import behind the result shown, when later imports exist (report.publication.shown_as_of)."""
    return publication_as_of(_store(source), result)


@st.cache_data(max_entries=64, show_spinner=False)
def pace(source: Source, year: int, city: str, month: int, as_of: int | None = None) -> list[PaceSeries]:
    db = Store(source.db_path, as_of)
    with db.reader() as con:
        return pace_series(_full_config(source), con, db, year, city, month)


@st.cache_data(max_entries=64, show_spinner=False)
def trends(source: Source, year: int, city: str, month: int, as_of: int | None = None) -> tuple[IndicatorSeries, ...]:
    """Each indicator of a city's contract month by month, with 同比, 环比 and its trend (assessment/trends.py), from
    the data as of import `as_of` (None: as it stands)."""
    return city_series(_full_config(source), Store(source.db_path, as_of), year, month, city)


@st.cache_data(max_entries=16, show_spinner=False)
def completeness(source: Source, year: int, through_month: int) -> list[MonthReport]:
    db = _store(source)
    with db.reader() as con:
        return completeness_grid(_full_config(source), con, db, year, through_month)


@st.cache_data(max_entries=8, show_spinner=False)
def imports(source: Source, limit: int = 20) -> list[history.ImportRecord]:
    return history.imports(_store(source), limit)


@st.cache_data(max_entries=8, show_spinner=False)
def revisions(source: Source, year: int) -> list[history.Revision]:
    return history.revisions(_store(source), year=year)


@st.cache_data(max_entries=32, show_spinner=False)
def fund_trend(source: Source, year: int, month: int, months: int, as_of: int | None = None) -> list[FundStatus]:
    """Every city's capacity over the `months` months ending at (year, month), across the year boundary, from
    the data as of import `as_of` (None: as it stands)."""
    db = Store(source.db_path, as_of)
    with db.reader() as con:
        return fund_series(_full_config(source), con, db, year, month, months)


def forecast(source: Source, year: int, month: int, **given) -> list[CityForecast] | None:
    """The forecast of the notice's point 6 for every city after (year, month), with the assumptions given (months,
    take_up, monthly_benefit, duration_months; None: as records.yaml or the records have them); None when no
    person records have been imported. Computed again when the person records change."""
    if not person_records_present(source):
        return None
    return _forecast(source, _persons_stamp(source), year, month, tuple(sorted(given.items())))


@st.cache_data(max_entries=16, show_spinner="正在预测……")
def _forecast(source: Source, persons_stamp: tuple, year: int, month: int, given: tuple) -> list[CityForecast]:
    return forecast_of(_full_config(source), _store(source), year, month, **dict(given))


@st.cache_data(max_entries=16, show_spinner=False)
def episodes(source: Source, year: int, month: int, today: dt.date) -> list[Episode]:
    """The runs of red months of a year up to a month, each with its duty to report checked."""
    db = _store(source)
    with db.reader() as con:
        return red_episodes(_full_config(source), con, db, year, month, today=today)


@st.cache_data(max_entries=16, show_spinner=False)
def warning_reports(source: Source) -> list[WarningReport]:
    """Every version of every warning report."""
    return report_versions(records(source))


def audit_entries(source: Source, **filters) -> list[audit.AuditEntry]:
    """The audit log, newest first: for users with the audit permission only."""
    access.require(principal(), access.AUDIT_LOG)
    return audit.entries(records(source), **filters)


def accounts(source: Source) -> list[accounts_of.Account]:
    """Every account, for user administration: for users permitted to manage users only (never cached: a change
    shows at once)."""
    access.require(principal(), access.MANAGE_USERS)
    return accounts_of.accounts(records(source))


def _link(source: Source, key: tuple, arguments: dict, permitted, detail: str) -> downloads.Offer:
    """A link, bound to this browser session, to a document described as `exports.download` does; or the reason
    there is none (a missing font). The route checks the session and `permitted` again when it is followed,
    builds the document and records the export in the audit log."""
    if arguments.get("disabled"):
        return downloads.Offer(reason=arguments["help"])
    holder = st.session_state.get("_holder")
    if holder is None:
        return downloads.Offer(reason="无权访问：请先登录。")
    document = downloads.Document(arguments["file_name"], arguments["mime"], arguments["data"], permitted, detail)
    return downloads.Offer(href=server.download_path(downloads.offer(holder, (source, *key), document)))


def _of_cities(codes, config: Config):
    def permitted(who: Principal) -> None:
        for code in codes:
            access.require_city(who, code, config)

    return permitted


def download(source: Source, kind: str, year: int, month: int) -> downloads.Offer:
    """A meeting document (`exports.download`) for the user signed in: with the export permission, a link;
    without, the reason 无权访问."""
    return _meeting_document(source, year, month, ("export", kind), exports.FORMATS[kind].label,
                             lambda result, config, store: exports.download(kind, result, config, store))


def package_download(source: Source, year: int, month: int) -> downloads.Offer:
    """The meeting package (会议材料包: the documents and the charts in one zip), as `download`."""
    from scorecard.exports import package

    return _meeting_document(source, year, month, ("package",), package.PACKAGE_FORMAT.label, package.package_download)


def _meeting_document(source: Source, year: int, month: int, key: tuple, label: str, describe) -> downloads.Offer:
    who = principal()
    if who is None or not who.may(access.EXPORT):
        return downloads.Offer(reason=f"无权访问：{who.role if who else '未登录'}账号不能下载全省考评文件")
    result = _year_result(source, year, month)
    arguments = describe(result, _full_config(source), _store(source))
    return _link(source, (*key, year, month), arguments, lambda p: access.require(p, access.EXPORT),
                 f"{label}，{result.year}年截至{result.month}月（{result.label}）")


def letter_download(source: Source, kind: str, city: str, year: int, month: int, demo: bool) -> downloads.Offer:
    """A city's warning letter (预警报告): for users who may see that city."""
    who = principal()
    if who is None or not who.may_see(city):
        return downloads.Offer(reason="无权访问：只能下载本市州的预警报告")
    config = _full_config(source)
    arguments = exports.letter_download(kind, config, _store(source), city, year, month, demo)
    return _link(source, ("letter", kind, city, year, month), arguments, _of_cities([city], config),
                 f"{config.city(city).name}{year}年{month}月预警报告")


def report_card(source: Source, year: int, month: int, city: str) -> downloads.Offer:
    """A city's 单位考评卡 (PDF): for users who may see that city."""
    who = principal()
    if who is None or not who.may_see(city):
        return downloads.Offer(reason="无权访问：只能下载本市州的单位考评卡")
    result = _year_result(source, year, month)
    arguments = exports.report_card_download(result, _full_config(source), city)
    return _link(source, ("card", city, year, month), arguments, _of_cities([city], _full_config(source)),
                 f"{result.city(city).name}单位考评卡，{result.year}年截至{result.month}月（{result.label}）")


def contract_download(source: Source, kind: str, year: int, city: str | None) -> downloads.Offer:
    """A city's 目标责任书, for users who may see that city; the bundle of every city (`city` None), for users who
    see all cities."""
    who = principal()
    if who is None or not (who.may_see(city) if city else who.all_cities):
        return downloads.Offer(reason="无权访问：只能下载本市州的目标责任书" if city else
                               "无权访问：只有能查看全省数据的账号可以下载各市州目标责任书合订本")
    config = _full_config(source)
    codes = [city] if city else [c.city for c in config.contracts_for(year)]
    arguments = exports.contract_download(kind, config, year, city)
    return _link(source, ("contract", kind, year, city), arguments, _of_cities(codes, config),
                 f"{config.city(city).name if city else '各市州'}{year}年度目标责任书")


def template(source: Source, year: int, month: int, cities: list[str]) -> downloads.Offer:
    """The monthly report template of some cities (with last month's values for reference): only of cities the
    user signed in may see."""
    who = principal()
    if who is None or not all(who.may_see(code) for code in cities):
        return downloads.Offer(reason="无权访问：只能下载本市州的月报表")
    from scorecard.data.template import template_bytes

    config, db = _full_config(source), _store(source)
    chosen = [c for c in config.cities if c.code in cities]
    arguments = {"data": lambda: template_bytes(config, db if db.exists() else None, year, month, chosen),
                 "file_name": f"{year}年{month}月失业保险月报表.xlsx",
                 "mime": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    return _link(source, ("template", year, month, tuple(cities)), arguments, _of_cities(cities, config),
                 f"月报表模板，{year}年{month}月，{len(chosen)}个市州")


def decisions(source: Source, year: int) -> list[Listed]:
    """The year's decisions of both sources, for a user who may decide (not cached: read from the records)."""
    access.require(principal(), access.DECIDE)
    return decision_listing(_full_config(source), _store(source), year)


def three_scores(source: Source, year: int) -> list[CityThree]:
    """自评分 / 核查分 / 审定分 of the year-end result shown, of the cities the user signed in may see (scoped
    here: from the result as scope() gives it to the user)."""
    shown = scoping.scope(principal(), _year_result(source, year, 12))
    kept = records_of(_store(source))
    return three(_full_config(source), shown, {} if kept is None else claims_in_force(kept, year))


def self_assessment_entries(source: Source, year: int, city: str) -> list[Entry]:
    """Every version of a city's self-assessment and verification: for users who may see that city."""
    access.require_city(principal(), city, _full_config(source))
    kept = records_of(_store(source))
    return [] if kept is None else claim_entries(kept, year, city)


def rectification_findings(source: Source, year: int) -> list[Finding]:
    """What calls for a plan in the year (the result as of its latest month)."""
    return findings_in(_year_result(source, year, None))


def rectification_plans(source: Source, year: int) -> list[Plan]:
    """The plans of a year with every version (not cached: read from the records)."""
    return plans_for(_store(source), year)


def overdue_plans(source: Source, city: str) -> list[Plan]:
    """A city's plans, of any year, with a milestone overdue today (not cached: read from the records)."""
    return overdue_of(_store(source), city, clock.today())


def suggestion_offers(source: Source, year: int, episodes) -> list[Offer]:
    """The suggested deductions of `episodes`, each with the decision on record that took it up (not cached: read
    from the records)."""
    return offers(_full_config(source), year, episodes, _store(source))


def _persons(source: Source) -> PersonStore:
    return PersonStore.beside(Path(source.db_path))


def person_records_present(source: Source) -> bool:
    return _persons(source).exists()


def _persons_stamp(source: Source) -> tuple:
    """What a cached read of the person records is keyed by: the file, its time and size."""
    persons = _persons(source)
    stat = persons.path.stat()
    return str(persons.path), stat.st_mtime_ns, stat.st_size


@st.cache_resource(max_entries=4, show_spinner="正在按规则检查个人记录……")
def _rule_findings(config_dir: str, config_stamp: str, persons: tuple, year: int):
    """Every finding of the year (cached by the person-records file: a caseworker's outcome does not run the
    checks again)."""
    from scorecard.microdata.findings import findings as rule_findings

    return rule_findings(PersonStore(Path(persons[0])), _load(config_dir, config_stamp)[0], year)


@st.cache_resource(max_entries=4, show_spinner=False)
def _paid_amounts(config_dir: str, config_stamp: str, db_path: str, persons: tuple, year: int) -> dict:
    from scorecard.assessment import person_findings as person_checks

    return person_checks.paid_amounts(Store(db_path), _load(config_dir, config_stamp)[0], year)


def person_findings(source: Source, year: int) -> list[person_checks.CheckedFinding]:
    """The rule findings of the year the user may see, each with its 核查 outcome in force (read now)."""
    from scorecard.assessment import person_findings as person_checks

    found = _rule_findings(source.config_dir, source.config_stamp, _persons_stamp(source), year)
    return person_checks.with_outcomes(_store(source), year, found, principal())


def person_finding_cities(source: Source, year: int, rows) -> list[person_checks.CityFindings]:
    """Per city the user may see: findings, outcomes and 违规领取金额占比."""
    from scorecard.assessment import person_findings as person_checks

    paid = _paid_amounts(source.config_dir, source.config_stamp, source.db_path, _persons_stamp(source), year)
    return person_checks.by_city(_full_config(source), rows, paid, principal())


def person_finding_offers(source: Source, year: int, rows, cities) -> list[Offer]:
    """The deductions suggested for confirmed findings, each with the decision on record that took it up."""
    from scorecard.assessment import person_findings as person_checks

    config = _full_config(source)
    return offers_of(config, year, person_checks.suggestions(config, year, rows, cities), _store(source))


def person_findings_download(source: Source, year: int) -> downloads.Offer:
    """The findings as a workbook, as the user signed in may see them (their cities, names masked by role)."""
    from scorecard.assessment import person_findings as person_checks

    who = principal()
    if who is None or not who.sees_cities:
        return downloads.Offer(reason="无权访问：请先登录。")
    config, store = _full_config(source), _store(source)

    def build() -> bytes:   # run by the download route, outside the page's run: for `who` as offered to
        from scorecard.exports.findings import findings_workbook

        rows = person_checks.checked(store, config, year, who)
        return findings_workbook(rows, person_checks.by_city(config, rows, person_checks.paid_amounts(
            store, config, year), who), year)

    arguments = {"data": build, "file_name": f"{year}年个人记录规则检查.xlsx",
                 "mime": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    cities = [c.code for c in config.cities if who.may_see(c.code)]
    return _link(source, ("person_findings", year), arguments, _of_cities(cities, config),
                 f"个人记录规则检查结果，{year}年度，{len(cities)}个市州")


def posting_coverage(source: Source, year: int) -> list[posting_coverage_of.Coverage]:
    """公示 coverage per city and month (not cached: the postings are read from the records)."""
    from scorecard.assessment import posting as posting_coverage_of

    return posting_coverage_of.coverage(_persons(source), records_of(_store(source)),
                                        _full_config(source), year)


def posting_lists(source: Source, year: int, month: int, city: str) -> list[CommunityList]:
    """The 公示 lists of a city's month, one per community (names as records.yaml posts them)."""
    from scorecard.microdata.posting import community_lists

    access.require_city(principal(), city, _full_config(source))
    return community_lists(_persons(source), _full_config(source), year, month, city)


def posting_list_download(source: Source, listing: CommunityList) -> downloads.Offer:
    """A community's 公示 list as PDF, for users who may see its city and hand lists out (caseworkers, reviewers,
    exporters)."""
    who = principal()
    if who is None or not who.may_see(listing.city) or not any(
            who.may(p) for p in (access.REPORT, access.REVIEW, access.EXPORT)):
        return downloads.Offer(reason="无权访问：只有经办、审核或能下载文件的账号可以下载本市州的公示名单")
    from scorecard.exports.pdf import document_pdf
    from scorecard.exports.posting import file_name as posting_file_name, posting_document

    config = _full_config(source)

    def build() -> bytes:
        today = clock.today()
        posting = record_settings.load(config.directory).posting
        return document_pdf(posting_document(listing, config, posting, None, today), listing.community, dated=today)

    arguments = {"data": build, "file_name": posting_file_name(listing.community, set()), "mime": "application/pdf"}
    return _link(source, ("posting", listing), arguments, _of_cities([listing.city], config),
                 f"公示名单，{config.city(listing.city).name}{listing.community}，{listing.year}年{listing.month}月")


def _reporting_cities(source: Source, city: str | None = None) -> list[str] | None:
    """The cities whose reporting the user may read: all (None), or their own; `city` checked when given."""
    who = principal()
    if city is not None:
        access.require_city(who, city, _full_config(source))
    return None if who is not None and who.all_cities else [who.city] if who and who.city else []


def report_cells(source: Source, year: int) -> list[reporting.Cell]:
    """The 报送 grid of the cities the user may see (not cached: read from the records)."""
    return reporting.grid(_full_config(source), _store(source), year, _reporting_cities(source))


def report_form(source: Source, city: str, year: int, month: int) -> list[reporting.FormRow]:
    _reporting_cities(source, city)
    return reporting.form_rows(_full_config(source), _store(source), city, year, month)


def report_version(source: Source, city: str, year: int, month: int) -> ReportVersion | None:
    _reporting_cities(source, city)
    records = records_of(_store(source))
    return reported.latest(records, city, year, month) if records else None


def report_findings(source: Source, city: str, year: int, month: int, figures: dict) -> list:
    """The soft 审核公式 a month's figures do not meet."""
    from scorecard.actions import reporting as reporting_actions

    _reporting_cities(source, city)
    return reporting_actions.findings(_full_config(source), _store(source), city, year, month, figures)[1]


@st.cache_resource(max_entries=4, show_spinner="正在起草下一年度目标……")
def _target_draft(source: Source, year: int) -> tuple[Draft | None, list[Problem]]:
    config = _full_config(source)
    rules, problems = load_targets(config)
    return (None, problems) if rules is None else (draft_targets(config, _store(source), year, rules), [])


def target_draft(source: Source, year: int) -> tuple[Draft | None, list[Problem]]:
    """Next year's targets proposed from `year`'s final result (every city's: for users who see every city), or
    the problems of targets.yaml."""
    access.require(principal(), access.ALL_CITIES)
    return _target_draft(source, year)


def writable_store(source: Source, permission: str) -> Store:
    """The database, for a write the user signed in is permitted (access.IMPORT, access.WARN_REPORT); a write
    refuses to create the file when it has gone missing."""
    access.require(principal(), permission)
    return Store(source.db_path, create=False)


# --- every other read is filtered for the user signed in (see the module's docstring) ---------------

def _scoped(read):
    @functools.wraps(read)
    def scoped(*args, **kwargs):
        return scoping.scope(principal(), read(*args, **kwargs))

    scoped.scoped = True
    return scoped


for _name, _read in list(globals().items()):
    if (callable(_read) and not isinstance(_read, type) and not _name.startswith("_")
            and getattr(_read, "__module__", None) == __name__ and _name not in PUBLIC + GUARDED):
        globals()[_name] = _scoped(_read)

