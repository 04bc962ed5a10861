"""违规领取金额占比 as an indicator the scorer scores (issue 17 §3): put into a contract of the test's own config,
scored from the person records and the caseworkers' outcomes (核查) in the records store — the same figure the
规则核查 page, `records check` and its workbook show; an outcome recorded changes the score, the previous year's
ranks, the result's fingerprint and what a publication says has changed since; a city without person records
has the indicator 数据缺失 (0 points), as any measure with no data.

On the caseworker's cases of tests/microdata/checks/ (长春市 only: 42 payments of 240元 = 10,080元; findings
赵自愿 1,440 + 王三月 720 + 李执照 960 = 3,120元 → 30.95%; 李执照 不属实 → 2,160元 → 21.43%). The contracts of
长春市 and 吉林市 (no person records) have the indicator in place of 职业介绍和培训补贴人次 (10 points, target 10%,
越低越好, 按完成比例: 10 × 10% ÷ actual)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scorecard.actions.finding_checks import record_outcome
from scorecard.actions.publish import publish
from scorecard.assessment import scoring
from scorecard.assessment.fingerprint import input_fingerprint
from scorecard.assessment.formulas import MISSING
from scorecard.assessment.person_findings import by_city, checked, paid_amounts
from scorecard.assessment.trends import city_series
from scorecard.config import load_config
from scorecard.data.completeness import required_measures
from scorecard.data.store import Store
from scorecard.exports.findings import findings_workbook
from scorecard.records.store import RECORDS_URL_ENV
from scorecard.report.publication import changes_since
from scorecard.roles import ASSESSOR, PROVINCE_REVIEW, Principal
from tests.cli_support import scorecard
from tests.microdata_support import CASES, case_files, place

CHANGCHUN, JILIN = "220100", "220200"
CODE = "improper_payment_share"
REVIEWER = Principal("wang.hc", PROVINCE_REVIEW)
LINE = '  improper_payment_share:     {target: "10%", weight: 10}  # 待遇发放：违规领取金额占比，越低越好\n'


def _with_the_indicator(config_dir: Path) -> None:
    for city in (CHANGCHUN, JILIN):
        [path] = (config_dir / "contracts" / "2003").glob(f"{city}-*.yaml")
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(LINE if line.startswith("  subsidy_persons:") else line for line in lines),
                        encoding="utf-8")


@pytest.fixture
def scene(tmp_path, config_dir, cli, records_url, monkeypatch):
    """Person records of 长春市, one month of reported totals, the indicator in two contracts; the records store
    (SQLite, and PostgreSQL when the tests have a server) in SCORECARD_RECORDS_URL."""
    monkeypatch.setenv(RECORDS_URL_ENV, records_url)
    where = place(tmp_path)
    where.imported(*case_files("checks"))
    done = cli("--db", where.db, "import", CASES / "reconcile" / "月报.csv")
    assert done.code == 0, done.err
    _with_the_indicator(config_dir)
    return where, config_dir


def _config(config_dir):
    config, problems = load_config(config_dir)
    assert not problems, problems
    return config


def _indicator(result, city: str):
    return next(i for i in result.city(city).indicators if i.code == CODE)


def _key(store, config, name: str) -> str:
    return next(r.finding.key for r in checked(store, config, 2003, REVIEWER) if r.finding.person_name == name)


def test_the_indicator_is_in_the_shipped_catalogue_but_in_no_shipped_contract(config):
    indicator = config.indicators[CODE]
    assert (indicator.name, indicator.direction, indicator.unit, indicator.area) == ("违规领取金额占比", "lower", "%",
                                                                                      "待遇发放")
    assert not any(m.reported for m in map(config.measures.get, indicator.measures))   # no city reports them
    assert not any(t.indicator == CODE for c in config.contracts.values() for t in c.targets)


def test_its_measures_are_neither_required_of_a_city_nor_imported(scene, cli):
    where, config_dir = scene
    config = _config(config_dir)
    required = required_measures(config, 2003, CHANGCHUN)
    assert "benefits_payable" in required and not {"improper_amount_paid", "benefits_amount_paid"} & set(required)
    (where.root / "月报.csv").write_text("year,month,city,measure,value\n2003,3,220100,improper_amount_paid,5\n",
                                        encoding="utf-8")
    refused = cli("--config", config_dir, "--db", where.db, "import", where.root / "月报.csv")
    assert refused.code != 0 and "违规领取金额只由个人记录得出" in refused.err, refused.err


def test_scored_from_the_records_as_the_page_the_command_and_the_workbook_show_it(scene):
    where, config_dir = scene
    config, store = _config(config_dir), Store(where.db)
    result = scoring.score_year(config, store, 2003, 12)
    scored = _indicator(result, CHANGCHUN)
    assert (scored.numerator, scored.denominator) == (3120.0, 10080.0)
    assert scored.actual == pytest.approx(3120 / 10080, abs=1e-12)
    assert scored.points == pytest.approx(10 * 0.1 / (3120 / 10080), abs=1e-9)

    rows = checked(store, config, 2003, REVIEWER)
    shown = by_city(config, rows, paid_amounts(store, config, 2003), REVIEWER)
    page = next(c for c in shown if c.city == CHANGCHUN)
    assert (page.improper_amount, page.paid_amount, page.improper_share) == (
        scored.numerator, scored.denominator, scored.actual)                    # one figure, not two alike
    sheet = load_workbook(io.BytesIO(findings_workbook(rows, shown, 2003)))["汇总"]
    line = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "长春市")
    assert line[7] == pytest.approx(scored.actual, rel=1e-15)              # a number of 16 digits in the file
    done = scorecard("--config", config_dir, "--db", where.db, "--user", "wang.hc", "records", "check",
                     "--year", 2003, "--format", "json", env={"SCORECARD_PERSON_KEY": str(where.key)})
    assert done.returncode == 0, done.stderr
    command = next(c for c in json.loads(done.stdout)["cities"] if c["city"] == CHANGCHUN)
    assert command["improper_share"] == scored.actual


def test_a_city_without_person_records_has_the_indicator_missing(scene):
    where, config_dir = scene
    result = scoring.score_year(_config(config_dir), Store(where.db), 2003, 12)
    missing = _indicator(result, JILIN)
    assert (missing.actual, missing.points, missing.status) == (None, 0.0, MISSING)
    assert missing.missing_months == tuple(range(1, 13))


def test_the_months_are_those_paid_for(scene):
    """As of March: the payments of January to March — 赵自愿 3 × 240, 王三月 2 × 240 (February, March), 李执照 1 ×
    240 (March) of 7 claims × 3 × 240 = 5,040元 — and no month missing."""
    where, config_dir = scene
    march = _indicator(scoring.score_year(_config(config_dir), Store(where.db), 2003, 3), CHANGCHUN)
    assert (march.numerator, march.denominator, march.missing_months) == (1440.0, 5040.0, ())


def test_an_outcome_recorded_changes_the_score_and_the_fingerprint_at_once(scene):
    where, config_dir = scene
    config, store = _config(config_dir), Store(where.db)
    before = scoring.score_year(config, store, 2003, 12)
    printed = input_fingerprint(config, store, before)
    assert printed.records and _indicator(before, CHANGCHUN).numerator == 3120.0

    record_outcome(store, REVIEWER, config, 2003, _key(store, config, "李执照"), "不属实", "营业执照2月已注销，未经营")
    after = scoring.score_year(config, store, 2003, 12)          # the same process: nothing kept is reused
    scored = _indicator(after, CHANGCHUN)
    assert (scored.numerator, scored.actual) == (2160.0, 2160 / 10080)
    assert scored.points > _indicator(before, CHANGCHUN).points
    assert after.city(CHANGCHUN).total > before.city(CHANGCHUN).total
    now = input_fingerprint(config, store, after)
    assert (now.records, now.combined) != (printed.records, printed.combined)
    assert (now.config, now.data) == (printed.config, printed.data)

    record_outcome(store, REVIEWER, config, 2003, _key(store, config, "王三月"), "属实")   # still counted
    assert _indicator(scoring.score_year(config, store, 2003, 12), CHANGCHUN).numerator == 2160.0
    assert input_fingerprint(config, store, after).records != now.records    # but an input of the result


def test_a_result_not_scoring_from_the_records_keeps_its_fingerprint(scene):
    where, config_dir = scene
    config, store = _config(config_dir), Store(where.db)
    shipped = load_config(Path("config"))[0]
    result = scoring.score_year(shipped, store, 2003, 12)
    assert input_fingerprint(shipped, store, result).records == ""
    assert input_fingerprint(config, store, scoring.score_year(config, store, 2003, 12)).records != ""


def test_the_previous_years_ranks_follow_the_outcomes(scene):
    """2004 scored beside 2003's final ranks: 吉林市 +4 points (an adjustment), 长春市 10 × 10% ÷ 30.95% = 3.23
    points second; 李执照 不属实: 10 × 10% ÷ 21.43% = 4.67 points, first — the ranks kept are not reused."""
    where, config_dir = scene
    for path in (config_dir / "contracts" / "2003").glob("*.yaml"):
        text = path.read_text(encoding="utf-8").replace("year: 2003", "year: 2004").replace("2003-", "2004-")
        (config_dir / "contracts" / "2004").mkdir(exist_ok=True)
        (config_dir / "contracts" / "2004" / path.name).write_text(text, encoding="utf-8")
    assessments = config_dir / "assessments" / "2003.yaml"
    assessments.write_text(assessments.read_text(encoding="utf-8").replace(
        "adjustments:\n", "adjustments:\n  - {city: \"220200\", points: 4, reason: 经验推广, date: 2003-06-01}\n"),
        encoding="utf-8")
    config, store = _config(config_dir), Store(where.db)
    assert scoring.score_year(config, store, 2004, 12).city(CHANGCHUN).previous_rank == 2
    assert scoring.score_year(config, store, 2004, 12).city(CHANGCHUN).previous_rank == 2   # kept, and right
    kept = dict(scoring._FINAL_RANKS)

    record_outcome(store, REVIEWER, config, 2003, _key(store, config, "李执照"), "不属实", "营业执照2月已注销，未经营")
    again = scoring.score_year(config, store, 2004, 12)
    assert (again.city(CHANGCHUN).previous_rank, again.city(JILIN).previous_rank) == (1, 2)
    assert set(scoring._FINAL_RANKS) - set(kept)                 # computed again under a key of its own


def test_a_publication_says_the_outcome_changed_it(scene):
    where, config_dir = scene
    config, store = _config(config_dir), Store(where.db)
    published = publish(store, Principal("zhao", ASSESSOR), config, 2003, 12, reason="年终考评会议审定")
    assert "finding_checks" in published.fingerprint
    assert not changes_since(config, store, published).figures

    record_outcome(store, REVIEWER, config, 2003, _key(store, config, "李执照"), "不属实", "营业执照2月已注销，未经营")
    changes = changes_since(config, store, published)
    changed = {(c.city, c.figure) for c in changes.figures}
    assert (CHANGCHUN, "违规领取金额占比完成值") in changed and (CHANGCHUN, "总分") in changed
    assert any("规则核查结果" in r and "长春市" in r and "不属实" in r for r in changes.reasons), changes.reasons
    assert not any("hidden_employment" in r for r in changes.reasons)   # said in Chinese


def test_the_progress_page_follows_it_month_by_month(scene):
    """The 市州进度 series: each month as the score as of that month gives it (March: 1,440 ÷ 5,040元)."""
    where, config_dir = scene
    config, store = _config(config_dir), Store(where.db)
    [line] = [s for s in city_series(config, store, 2003, 6, CHANGCHUN) if s.code == CODE]
    assert [round(p.actual, 6) for p in line.points] == [
        round(_indicator(scoring.score_year(config, store, 2003, m), CHANGCHUN).actual, 6) for m in range(1, 7)]
    assert line.points[2].actual == pytest.approx(1440 / 5040, abs=1e-12)


def test_a_deduction_and_a_bonus_on_it_are_said_as_being_above_and_below_the_target(scene):
    """Lower is better: a contract's words for its shortfall are 每高于目标 and for doing better 每低于目标 — in the
    score's explanation (评分明细), the 目标责任书 and the contract as written back (deduct said 每低于 before)."""
    from scorecard.assessment.explain import calculation_text
    from scorecard.config.writer import _rule_words
    from scorecard.exports.responsibility import target_rows
    from scorecard.report.sheet import method_words

    where, config_dir = scene
    [path] = (config_dir / "contracts" / "2003").glob(f"{CHANGCHUN}-*.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace(
        LINE, '  improper_payment_share:     {target: "10%", weight: 10, method: deduct, per: 0.2, bonus: {per: 0.1}}\n'),
        encoding="utf-8")
    config = _config(config_dir)
    scored = _indicator(scoring.score_year(config, Store(where.db), 2003, 12), CHANGCHUN)
    assert scored.points == pytest.approx(10 - 0.2 * (3120 / 10080 - 0.1) * 100, abs=1e-9)
    # the bonus without its own maximum is capped by scoring.yaml's bonus_cap: 评分明细 says so, as the contract does
    rule = "每高于目标1个百分点扣0.2分（不足一档按比例）；每低于目标1个百分点加0.1分，最多加5分"
    assert method_words(scored) == rule
    assert "目标不超过10.0%，高于目标21.0个百分点，每个百分点扣0.2分，扣4.19分" in calculation_text(scored, 12)
    contract = config.contract(2003, CHANGCHUN)
    row = next(r for r in target_rows(config, contract) if r[2] == "违规领取金额占比")
    assert row[5:] == ("每高于目标1个百分点扣0.2分（不足一档按比例）", "每低于目标1个百分点加0.1分，最多加5分")
    target = next(t for t in contract.targets if t.indicator == CODE)
    assert _rule_words(config, 2003, target) == f"待遇发放：{rule}"
