"""The demo database (演示数据): deterministic monthly actuals for every city and contract year.

Values are drawn around each city's contract targets, so that some cities run
ahead and some behind; for Jilin's shipped config one city misses two monthly
reports in 2003 and one city's fund falls below two months of capacity.
Cities not in the table below (another province's config) get a scale and a
performance derived from their code, so the demo works for any config.
Beside it `scorecard demo` imports the deterministic demo person records (microdata.demo, build_demo_records), so
that 规则核查, 公示 and the forecast have something to show from the README's first command.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from ..assessment.formulas import expected_share
from ..data.store import Store, StoreError, get_meta, has_schema, query
from ..records import audit
from ..records.audit import Actor
from ..records.legacy import SET_ASIDE, access_db_path
from ..records.store import Records
from ..records.warning_reports import add_report, forget_demo_reports, holds_real_reports
from ..microdata.store import PersonStore
from ..roles import CLI, AccessDenied, Principal

if TYPE_CHECKING:  # pandas and the importer are loaded when demo data is built, not by every command
    import pandas as pd

    from ..data.unit import ImportResult
    from ..microdata.importer import ImportSummary

DEMO_FILE = "演示数据（系统生成）"
DEMO_USER = "演示数据生成程序"  # who imported the demo data and filed its report, as pages show it
CORRECTION_FILE = "演示数据-更正（长春市3月报表重报）"
SEED = 2003
# The demo's person records: fewer claims than `scorecard records demo` makes (30000), so that the first command
# stays quick; each city still holds every case of the rule checks (tests/test_demo.py). Their 身份证号 are made
# up, so they are hashed with a key of the demo's own, and no key file need be made before the first command.
DEMO_CLAIMS = 5000
DEMO_KEY = hashlib.sha256("演示个人记录：身份证号为生成的，不是真实的".encode()).digest()


@dataclass(frozen=True)
class CityProfile:
    scale: float                          # size relative to 长春市
    performance: dict                     # year → typical completion of targets
    fund_months: float = 8.0              # months of capacity in January of the first year
    spending: float = 0.9                 # fund spending as a share of income
    spending_growth: float = 0.0          # monthly rise of that share in the last year (出中心人员增加)
    missing_months: dict = field(default_factory=dict)  # year → months never reported
    timely_rate: float = 1.0


PROFILES = {
    "220100": CityProfile(1.00, {2002: 1.00, 2003: 1.05}, fund_months=9.0),
    "220200": CityProfile(0.62, {2002: 1.03, 2003: 1.00}, fund_months=7.0),
    "220300": CityProfile(0.30, {2002: 0.95, 2003: 0.89}, fund_months=6.0, timely_rate=0.996),
    "220400": CityProfile(0.17, {2002: 0.98, 2003: 0.97}, fund_months=4.0, spending=1.0, spending_growth=0.035),
    "220500": CityProfile(0.26, {2002: 0.99, 2003: 1.02}, fund_months=7.5),
    "220600": CityProfile(0.18, {2002: 0.90, 2003: 0.80}, fund_months=5.0, timely_rate=0.985),
    "220700": CityProfile(0.24, {2002: 1.04, 2003: 1.08}, fund_months=10.0),
    "220800": CityProfile(0.19, {2002: 0.97, 2003: 0.95}, fund_months=6.0, missing_months={2003: (8, 9)}),
    "222400": CityProfile(0.40, {2002: 1.01, 2003: 0.97}, fund_months=3.2, spending=0.99, spending_growth=0.004),
}

# Annual magnitudes of 长春市 in the first demo year (persons, 万元).
BASE = {
    "new_insured_persons": 30000, "contributions_collected": 24000, "arrears_recovered": 1650,
    "subsidy_persons": 16500, "institution_staff": 120000, "insured_persons": 760000,
    "arrears_outstanding": 5600, "transition_eligible": 9000,
}
BENEFIT_PER_PERSON = 0.028    # 万元 a month (280元)


def _profile(code: str) -> CityProfile:
    if code in PROFILES:
        return PROFILES[code]
    digest = int(hashlib.sha256(code.encode()).hexdigest()[:8], 16)
    return CityProfile(scale=0.1 + (digest % 90) / 100, performance={"*": 0.85 + (digest % 25) / 100},
                       fund_months=3 + digest % 9)


class _CityYear:
    """Generates one city's twelve months of one year, carrying stocks over from the year before."""

    def __init__(self, config: Config, code: str, year: int, years: list[int], state: dict):
        self.config, self.code, self.year = config, code, year
        self.rng = random.Random(f"{SEED}:{code}:{year}")
        self.profile = _profile(code)
        self.perf = self.profile.performance.get(year, self.profile.performance.get("*", 1.0))
        self.growth = 1.06 ** (year - years[0]) * self.profile.scale
        contract = config.contracts.get((year, code))
        self.targets = {t.indicator: t.target for t in contract.targets} if contract else {}
        self.state = state
        self.last_year = year == years[-1]

    def jitter(self, spread: float = 0.04) -> float:
        return 1 + self.rng.uniform(-spread, spread)

    def monthly(self, annual: float, indicator: str | None = None) -> list[float]:
        """Split an annual flow over the months along the indicator's pace profile, with noise."""
        profile = self.config.indicators[indicator].profile if indicator in self.config.indicators else None
        shares = []
        previous = 0.0
        for month in range(1, 13):
            cumulative = expected_share(month, profile)
            shares.append((cumulative - previous) * self.jitter(0.12))
            previous = cumulative
        scale = annual / sum(shares)
        return [s * scale for s in shares]

    def annual_flow(self, measure: str) -> float:
        if measure in self.targets:
            return self.targets[measure] * self.perf * self.jitter()
        return BASE[measure] * self.growth * self.perf * self.jitter()

    def rate(self, indicator: str, default: float, ceiling: float = 0.995) -> float:
        goal = self.targets.get(indicator, default)
        return min(ceiling, goal * (1 + (self.perf - 1) * 0.6) * self.jitter(0.01))

    def spending_ratio(self, month: int) -> float:
        growth = self.profile.spending_growth if self.last_year else 0.0
        return self.profile.spending + growth * month

    def series(self) -> dict[str, list[float]]:
        s: dict[str, list[float]] = {}
        for measure in ("new_insured_persons", "contributions_collected", "arrears_recovered", "subsidy_persons"):
            s[measure] = self.monthly(self.annual_flow(measure), measure)
        collection = self.rate("collection_rate", 0.92)
        s["contributions_due"] = [v / collection * self.jitter(0.01) for v in s["contributions_collected"]]

        staff_start = self.state.setdefault("institution_staff", BASE["institution_staff"] * self.profile.scale)
        staff_end = staff_start * 1.01
        coverage_end = self.rate("institution_coverage_rate", 0.7, ceiling=0.98)
        coverage_start = self.state.get("coverage", coverage_end - 0.05)
        s["institution_staff"] = [staff_start + (staff_end - staff_start) * m / 12 for m in range(1, 13)]
        s["institution_insured"] = [staff * (coverage_start + (coverage_end - coverage_start) * m / 12)
                                    for m, staff in enumerate(s["institution_staff"], start=1)]
        self.state["institution_staff"], self.state["coverage"] = staff_end, coverage_end

        insured = self.state.setdefault("insured_persons", BASE["insured_persons"] * self.profile.scale)
        s["insured_persons"] = []
        for new in s["new_insured_persons"]:
            insured += new * 0.6  # some of the newly insured replace those who left
            s["insured_persons"].append(insured)
        self.state["insured_persons"] = insured

        outstanding = self.state.setdefault("arrears_outstanding", BASE["arrears_outstanding"] * self.profile.scale)
        goal = self.targets.get("arrears_outstanding", outstanding * 0.95) / self.perf
        s["arrears_outstanding"] = [outstanding + (goal - outstanding) * m / 12 * self.jitter(0.03)
                                    for m in range(1, 13)]
        self.state["arrears_outstanding"] = s["arrears_outstanding"][-1]

        # 2003: re-employment centres close and their workers move into unemployment insurance
        surge = 2.2 if self.year >= 2003 else 1.0
        s["transition_eligible"] = self.monthly(BASE["transition_eligible"] * self.growth * surge * self.jitter())
        enrolment = self.rate("transition_enrollment_rate", 0.92, ceiling=1.0)
        s["transition_enrolled"] = [v * enrolment for v in s["transition_eligible"]]

        s["fund_income"] = [v * 1.06 * self.jitter(0.02) for v in s["contributions_collected"]]
        s["fund_expenditure"] = [income * self.spending_ratio(month) * self.jitter(0.03)
                                 for month, income in enumerate(s["fund_income"], start=1)]
        s["recipients"] = [spent * 0.85 / BENEFIT_PER_PERSON for spent in s["fund_expenditure"]]
        s["benefits_payable"] = list(s["recipients"])
        timely = self.profile.timely_rate
        s["benefits_paid_on_time"] = [r if timely >= 1 else r * min(1.0, timely * self.jitter(0.004))
                                      for r in s["recipients"]]
        balance = self.state.setdefault("fund_balance", self.profile.fund_months * s["fund_expenditure"][0])
        s["fund_balance"] = []
        for income, spent in zip(s["fund_income"], s["fund_expenditure"]):
            balance += income - spent
            s["fund_balance"].append(balance)
        self.state["fund_balance"] = balance
        return s

    def rows(self):
        missing = set(self.profile.missing_months.get(self.year, ()))
        for measure, values in self.series().items():
            if measure not in self.config.measures:
                continue
            unit = self.config.measures[measure].unit
            for month, value in enumerate(values, start=1):
                if month in missing:
                    continue
                yield self.year, month, self.code, measure, round(value) if unit.startswith("人") else round(value, 2)


def generate(config: Config) -> pd.DataFrame:
    """All demo rows for every city and contract year of the config."""
    import pandas as pd

    years = config.years()
    rows = []
    for city in config.cities:
        state: dict = {}
        for year in years:
            rows.extend(_CityYear(config, city.code, year, years, state).rows())
    return pd.DataFrame(rows, columns=["year", "month", "city", "measure", "value"])


def _correction(config: Config, frame: pd.DataFrame) -> pd.DataFrame:
    """A re-submitted report that corrects three values, so the history has something to show."""
    years = config.years()
    code = "220100" if "220100" in {c.code for c in config.cities} else config.cities[0].code
    chosen = frame[(frame.year == years[-1]) & (frame.month == 3) & (frame.city == code)].head(3).copy()
    chosen["value"] = (chosen["value"] * 1.02).round(2)
    return chosen


CHUNK = 1 << 16  # rows hashed at a time, so that the texts of millions of rows are never in memory at once


def _digest(rows: pd.DataFrame) -> str:
    """The sha256 of the generated rows, column by column (numbers as their bytes, texts one per line): what
    identifies the demo's import in its log as a file's sha256 does. Writing 10,000 units' rows as CSV to hash
    them took longer than generating them."""
    digest = hashlib.sha256()
    for name in rows.columns:
        column = rows[name]
        digest.update(name.encode())
        for start in range(0, len(column), CHUNK):
            part = column.iloc[start:start + CHUNK]
            digest.update(part.to_numpy().tobytes() if part.dtype.kind in "iuf"
                          else "".join(f"{text}\n" for text in part.astype(str).tolist()).encode())
    return digest.hexdigest()


def is_demo(store: Store) -> bool:
    with store.reader() as con:
        return get_meta(con, "demo") == "1"


def holds_user_data(store: Store) -> bool:
    """Whether replacing the file could lose anything: actuals or warning reports that are not demo data."""
    with store.reader() as con:
        if get_meta(con, "demo") != "1" and has_schema(con, "actuals") and \
                query(con, "SELECT count(*) FROM actuals")[0][0] > 0:
            return True
    return holds_real_reports(Records.beside(store.path))


def traces_of_data(store: Store) -> list[Path]:
    """What shows that a database has been at this place: the file or its write-ahead log, its records file
    (accounts, audit log, warning reports; or the access database of an older version, kept or taken over) and
    its folder of kept originals. `scorecard demo --if-new` builds only where there is none of them — a checkout
    that never held data — so a database that went missing is never replaced."""
    from ..data.history import originals_dir
    from ..records.store import records_path

    legacy = access_db_path(store.path)
    places = (store.path, store.path.with_name(store.path.name + ".wal"), records_path(store.path), legacy,
              legacy.with_name(legacy.name + SET_ASIDE), originals_dir(store), *_files(PersonStore.beside(store.path)))
    return [place for place in places if place.exists()]


def _files(persons: PersonStore) -> tuple[Path, Path]:
    return persons.path, persons.path.with_name(persons.path.name + ".wal")


def refuse_real_records(store: Store) -> None:
    """Refused, saying why, when the person records beside the database hold an import that is not the demo's."""
    persons = PersonStore.beside(store.path)
    if any(by != DEMO_USER for _, _, by, _ in persons.imports()):
        raise StoreError(f"{persons.path} 中是导入的个人记录，不是演示记录；为避免丢失数据，未做任何改动。"
                         "如确要用演示数据覆盖，请加 --force，或用 --db 指定另一个文件")


def build_demo_records(store: Store, config: Config, *, force: bool = False) -> ImportSummary:
    """(Re)build the demo person records beside the database, through the importer of `scorecard records import`
    (the demo's audit line covers them, as it covers the monthly data). Records imported by anyone else are only
    replaced with `force`."""
    import tempfile
    from contextlib import nullcontext

    from ..microdata.demo import generate as generate_records, write_csv
    from ..microdata.importer import import_files

    if not force:
        refuse_real_records(store)
    if not config.years():
        raise StoreError("配置中没有任何年度的目标责任书，无法生成演示数据")
    persons = PersonStore.beside(store.path)
    for path in _files(persons):
        path.unlink(missing_ok=True)
    frames = generate_records(config.cities, config.years()[-1], DEMO_CLAIMS, SEED)
    with tempfile.TemporaryDirectory(prefix="scorecard-demo-records-") as folder:
        return import_files(persons, config, write_csv(frames, folder), DEMO_KEY, DEMO_USER,
                            lambda detail: nullcontext())


def build_demo(store: Store, config: Config, *, force: bool = False) -> list[ImportResult]:
    """(Re)build the demo database. A database holding imported data is only replaced with `force`."""
    import pandas as pd

    from ..data.unit import apply_rows
    from .demo_counties import county_rows

    if store.exists() and not force and holds_user_data(store):
        raise StoreError(f"{store.path} 中是导入的正式数据，不是演示数据；为避免丢失数据，未做任何改动。"
                         "如确要用演示数据覆盖，请加 --force，或用 --db 指定另一个文件")
    for path in (store.path, store.path.with_name(store.path.name + ".wal")):
        path.unlink(missing_ok=True)
    if not config.years():
        raise StoreError("配置中没有任何年度的目标责任书，无法生成演示数据")
    years = config.years()
    frame = generate(config)
    correction = _correction(config, frame)
    corrected = frame.copy()  # the 县（市、区） report once, adding up to their 市州's corrected figures
    corrected.loc[correction.index, "value"] = correction["value"]
    results = []
    for name, rows in ((DEMO_FILE, pd.concat([frame, county_rows(config, corrected)], ignore_index=True)),
                       (CORRECTION_FILE, correction)):
        results.append(apply_rows(store, rows, name, _digest(rows), user=DEMO_USER))
    with store.writer() as con:
        con.execute("INSERT OR REPLACE INTO meta VALUES ('demo', '1')")
    records = Records.beside(store.path)
    with records.write() as con:
        forget_demo_reports(con)
    if "220400" in {c.code for c in config.cities} and years[-1] == 2003:
        # 辽源市 falls below the line in October 2003 and files with the province late
        add_report(records, config, "220400", 2003, 10, reported_local=dt.date(2003, 11, 6),
                   filed_province=dt.date(2003, 11, 14), note="已报市政府，申请省级调剂金",
                   actor=Actor(DEMO_USER, channel=CLI), demo=True)
    return results


@dataclass(frozen=True)
class Built:
    results: list[ImportResult]          # the monthly data, as imported
    records: ImportSummary               # the person records beside them


def build(store: Store, config: Config, by: Principal, *, force: bool = False) -> Built:
    """`scorecard demo`: the demo database and its person records built, with one line in the audit log (refused
    ones too). What could be lost is looked for in both before either is replaced."""
    records, actor = Records.beside(store.path), Actor.of(by)
    if by.channel != CLI:
        refused = AccessDenied("无权访问：演示数据只能在服务器上用 scorecard demo 命令生成。", "演示数据")
        audit.record(records, actor, audit.DENIED, outcome=audit.REFUSED, target=refused.target, detail=str(refused))
        raise refused
    try:
        if not force:
            refuse_real_records(store)             # before the monthly data are touched
        built = Built(build_demo(store, config, force=force), build_demo_records(store, config, force=force))
    except StoreError as exc:
        audit.record(records, actor, audit.DEMO, outcome=audit.FAILED, target=str(store.path), detail=str(exc))
        raise
    audit.record(records, actor, audit.DEMO, target=str(store.path),
                 detail=f"生成演示数据（{sum(r.rows for r in built.results)}条月度数据，"
                        f"{sum(built.records.rows.values())}条演示个人记录）" + ("，覆盖原有数据" if force else ""))
    return built
