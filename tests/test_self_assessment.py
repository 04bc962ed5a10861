"""自评 → 核查 → 审定 (issue 13 §3): a city claims its year-end figures with notes and evidence, province verifiers
record verified figures (a reason for every difference), the three scores are computed by the contract's rules —
against hand-computed values of the worked example — and shown side by side on the page and in the xlsx with the
differences marked. Refused in the core with an audit line; on SQLite and PostgreSQL (`records_url`)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from decisions_support import imported_example
from page_support import goto, page_text, table_with
from scorecard import clock
from scorecard.actions.self_assessment import submit, verify
from scorecard.assessment.scoring import city_total, final_points, score_year
from scorecard.assessment.self_assessment import three_scores
from scorecard.config import load_config
from scorecard.data.store import Store
from scorecard.errors import InputError
from scorecard.exports.excel import workbook
from scorecard.records import audit
from scorecard.records.self_assessment import CLAIMED, VERIFIED, Entry, entries, in_force
from scorecard.records.store import Records
from scorecard.roles import CITY, PROVINCE, AccessDenied, Principal

CHANGCHUN = "220100"
REPORTER = Principal("li.si", CITY, CHANGCHUN)
VERIFIER = Principal("wang.wu", PROVINCE)
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def example(example_dir, records_url, monkeypatch, cli, tmp_path):
    folder, db = imported_example(cli, example_dir, records_url, monkeypatch, tmp_path)
    config, problems = load_config(folder / "config")
    assert not problems
    return config, Store(db), Records(records_url)


def _official(config, store):
    return score_year(config, store, 2003, 12).city(CHANGCHUN)


def test_claims_and_verified_figures_are_scored_by_the_contracts_rules(example, tmp_path):
    config, store, records = example
    official = _official(config, store)
    points = {i.code: i.points + i.bonus for i in official.indicators}
    evidence = tmp_path / "核查材料.pdf"
    evidence.write_bytes(PDF)
    # 新增参保人数 8,932 = 110 % of 8,120: 20 points and 10 steps × 0.1 bonus; 出中心纳入率 95 % ≥ 90 %: pass, 15 points
    submit(store, REPORTER, config, 2003, CHANGCHUN, {"new_insured_persons": (8932, "含12月补报"),
                                                      "transition_enrollment_rate": (0.95, None)},
           evidence=[evidence])
    # verified: 8,120 (100 %: 20 points, no bonus) and 85 % (below 90 %: 0 points)
    verify(store, VERIFIER, config, 2003, CHANGCHUN, {"new_insured_persons": (8120, "12月补报无凭证"),
                                                      "transition_enrollment_rate": (0.85, "抽查名册不符")})
    [three] = [t for t in three_scores(config, score_year(config, store, 2003, 12), in_force(records, 2003))
               if t.city.code == CHANGCHUN]
    others = sum(v for code, v in points.items() if code not in ("new_insured_persons", "transition_enrollment_rate"))
    bonus_others = sum(i.bonus for i in official.indicators
                       if i.code not in ("new_insured_persons", "transition_enrollment_rate"))
    assert three.claimed_total == pytest.approx(others + 20 + min(5.0, 1.0 + bonus_others) - bonus_others
                                                + 15 + official.adjustment)
    assert three.verified_total == pytest.approx(others + 20 + 0 + official.adjustment)
    assert three.approved_total == official.total
    line = next(i for i in three.indicators if i.indicator.code == "new_insured_persons")
    assert (line.claimed.figure, line.claimed.note, line.claimed_points) == (8932, "含12月补报", pytest.approx(21.0))
    assert (line.verified.figure, line.verified.note, line.verified_points) == (8120, "12月补报无凭证", 20.0)
    assert line.claimed.evidence[0].file_name == "核查材料.pdf" and three.differs
    lines = [e for e in audit.entries(records) if e.action == audit.SELF_ASSESSMENT]
    assert [(e.who, e.outcome) for e in lines] == [("wang.wu", audit.SUCCEEDED), ("li.si", audit.SUCCEEDED)]


def test_each_stage_is_scored_from_its_own_figure_or_the_one_before_it(example):
    """自评分 from the claim, else the data's figure; 核查分 from the verified figure, else the claim, else the data's:
    an indicator claimed only, one verified only, one both, the rest neither — and a city with no entries at all."""
    config, store, _ = example
    result = score_year(config, store, 2003, 12)
    city = result.city(CHANGCHUN)
    first, second, third = (i.code for i in city.indicators[:3])
    actual = {i.code: i.actual for i in city.indicators}
    at = dt.datetime(2004, 1, 10)
    typed = [(first, CLAIMED, 1.3), (second, VERIFIED, 0.7), (third, CLAIMED, 1.2), (third, VERIFIED, 0.8)]
    entries = {(CHANGCHUN, code, stage): Entry(n, 2003, CHANGCHUN, code, stage, actual[code] * share, None, (), "x", at)
               for n, (code, stage, share) in enumerate(typed)}
    threes = {t.city.code: t for t in three_scores(config, result, entries)}
    targets = {t.indicator: t for t in config.contract(2003, CHANGCHUN).targets}

    def points(code, figure):
        return (0.0, 0.0) if figure is None else final_points(config, result.rules, targets[code], figure)

    claimed, verified = [], []
    for line in threes[CHANGCHUN].indicators:
        code = line.indicator.code
        claim = entries[(CHANGCHUN, code, CLAIMED)].figure if (CHANGCHUN, code, CLAIMED) in entries else actual[code]
        check = entries[(CHANGCHUN, code, VERIFIED)].figure if (CHANGCHUN, code, VERIFIED) in entries else claim
        claimed.append(points(code, claim))
        verified.append(points(code, check))
        assert (line.claimed_points, line.verified_points) == (sum(claimed[-1]), sum(verified[-1])), code
    assert [round(sum(p), 2) for p in claimed[:3]] != [round(sum(p), 2) for p in verified[:3]]   # the case says something
    rules = result.rules
    assert threes[CHANGCHUN].claimed_total == city_total(rules, sum(p for p, _ in claimed), sum(b for _, b in claimed),
                                                         city.adjustment)
    assert threes[CHANGCHUN].verified_total == city_total(rules, sum(p for p, _ in verified),
                                                          sum(b for _, b in verified), city.adjustment)
    other = next(t for code, t in threes.items() if code != CHANGCHUN)
    assert (other.claimed_total, other.verified_total) == (None, None)
    assert all(line.claimed_points == line.verified_points == line.approved_points for line in other.indicators)


def test_every_version_is_kept_and_a_difference_needs_its_reason(example):
    config, store, records = example
    submit(store, REPORTER, config, 2003, CHANGCHUN, {"new_insured_persons": (9000, None)})
    submit(store, REPORTER, config, 2003, CHANGCHUN, {"new_insured_persons": (8500, "更正")})
    with pytest.raises(InputError, match="新增参保人数核查数与市州自评数不同，须写明理由"):
        verify(store, VERIFIER, config, 2003, CHANGCHUN, {"new_insured_persons": (8120, " ")})
    verify(store, VERIFIER, config, 2003, CHANGCHUN, {"new_insured_persons": (8500, None)})  # the same: no reason
    kept = entries(records, 2003, CHANGCHUN)
    assert [(e.stage, e.figure) for e in kept] == [(CLAIMED, 9000), (CLAIMED, 8500), (VERIFIED, 8500)]
    assert in_force(records, 2003)[(CHANGCHUN, "new_insured_persons", CLAIMED)].figure == 8500


@pytest.mark.parametrize("typed, message", [
    ({"new_insured_persons": ("很多", None)}, "新增参保人数的自评数不是数字"),
    ({"new_insured_persons": (-5, None)}, "超出合理范围"),
    ({"new_insured_persons": (float("nan"), None)}, "不是数字"),
    ({"collection_rate": (12.5, None)}, "征缴率的自评数超出合理范围（0至1000%）"),
    ({"subsidy_persons": (10, None)}, "不在长春市2003年的目标责任书中"),
    ({}, "没有填写任何指标的自评数"),
])
def test_bad_figures_are_refused_in_chinese_and_nothing_is_kept(example, typed, message):
    config, store, records = example
    with pytest.raises(InputError, match=message):
        submit(store, REPORTER, config, 2003, CHANGCHUN, typed)
    assert entries(records, 2003) == []


def test_a_self_assessment_waits_for_the_end_of_the_year(example):
    config, store, records = example
    with clock.fixed(dt.date(2003, 12, 20)), pytest.raises(InputError, match="2004年1月1日起"):
        submit(store, REPORTER, config, 2003, CHANGCHUN, {"new_insured_persons": (8120, None)})


def test_each_role_is_refused_in_the_core_with_an_audit_line(example):
    config, store, records = example
    with pytest.raises(AccessDenied):
        submit(store, Principal("li.si", CITY, "220400"), config, 2003, CHANGCHUN, {"new_insured_persons": (1, None)})
    with pytest.raises(AccessDenied):
        verify(store, REPORTER, config, 2003, CHANGCHUN, {"new_insured_persons": (1, None)})
    with pytest.raises(AccessDenied):
        submit(store, VERIFIER, config, 2003, CHANGCHUN, {"new_insured_persons": (1, None)})
    refused = [e for e in audit.entries(records) if e.action == audit.DENIED]
    assert len(refused) == 3 and all(e.outcome == audit.REFUSED for e in refused)
    assert entries(records, 2003) == []


def test_the_three_scores_and_their_differences_in_the_xlsx(example):
    config, store, records = example
    submit(store, REPORTER, config, 2003, CHANGCHUN, {"new_insured_persons": (8932, "含12月补报")})
    verify(store, VERIFIER, config, 2003, CHANGCHUN, {"new_insured_persons": (8120, "12月补报无凭证")})
    result = score_year(config, store, 2003, 12)
    book = openpyxl.load_workbook(io.BytesIO(workbook(result, config, store)))
    sheet = book["自评核查"]
    rows = [r for r in sheet.iter_rows(min_row=1) if r[0].value == "长春市"]
    by_name = {r[1].value: r for r in rows}
    line = by_name["新增参保人数"]
    assert [c.value for c in line[2:7]] == [8932, pytest.approx(21.0), 8120, 20, line[6].value]
    assert line[3].fill.fgColor.rgb.endswith(line[5].fill.fgColor.rgb[-6:]) and line[3].fill.fill_type == "solid"
    total = by_name["总分（含加分、加减分）"]
    assert total[6].value == pytest.approx(result.city(CHANGCHUN).total, abs=1e-9)
    same = by_name["征缴率"]
    assert same[3].fill.fill_type is None      # all three equal: not marked


def test_the_xlsx_scores_again_only_the_cities_that_claimed(example, monkeypatch):
    from scorecard.exports import excel

    config, store, records = example
    scored = []
    score = excel.three_scores
    monkeypatch.setattr(excel, "three_scores", lambda c, result, e: scored.append(result.cities) or score(c, result, e))
    result = score_year(config, store, 2003, 12)
    assert "自评核查" not in openpyxl.load_workbook(io.BytesIO(workbook(result, config, store))).sheetnames
    assert scored == []                     # no claim: nothing scored again
    submit(store, REPORTER, config, 2003, CHANGCHUN, {"new_insured_persons": (8932, None)})
    book = openpyxl.load_workbook(io.BytesIO(workbook(result, config, store)))
    assert [[c.code for c in cities] for cities in scored] == [[CHANGCHUN]] and len(result.cities) > 1
    names = {r[0].value for r in book["自评核查"].iter_rows(min_row=4) if r[0].value}
    assert names == {"长春市"}


@pytest.fixture
def page(example_dir, cli, monkeypatch, tmp_path, open_app):
    folder, db = imported_example(cli, example_dir, f"sqlite:///{tmp_path / 'unused.sqlite'}", monkeypatch, tmp_path)
    monkeypatch.delenv("SCORECARD_RECORDS_URL")

    def open_(name="self_assessment", as_=("市州", CHANGCHUN)):
        return goto(open_app(folder / "config", db, {"year": "2003", "month": "12", "city": CHANGCHUN}, as_=as_),
                    name)

    return open_


def test_the_page_takes_a_claim_and_a_verification_and_shows_the_three_side_by_side(page):
    app = page()
    assert not app.exception, [e.value for e in app.exception]
    [claim] = [n for n in app.number_input if n.key == "自评_new_insured_persons"]
    claim.set_value(8932.0)
    [note] = [t for t in app.text_input if t.key == "自评_new_insured_persons_note"]
    note.set_value("含12月补报")
    [sent] = [b for b in app.button if b.label == "提交自评"]
    sent.click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "已保存自评：5项指标" in page_text(app)
    assert not [b for b in app.button if b.label == "保存核查结果"]   # a city does not verify

    app = page(as_="省级")
    [checked] = [n for n in app.number_input if n.key == "核查_new_insured_persons"]
    checked.set_value(8120.0)
    [sent] = [b for b in app.button if b.label == "保存核查结果"]
    sent.click().run()
    assert "须写明理由" in page_text(app)
    [reason] = [t for t in app.text_input if t.key == "核查_new_insured_persons_note"]
    reason.set_value("12月补报无凭证")
    [sent] = [b for b in app.button if b.label == "保存核查结果"]
    sent.click().run()
    assert "已保存核查：5项指标" in page_text(app)
    shown = table_with(app, "自评分").set_index("考核指标")
    assert (shown.loc["新增参保人数", "自评分"], shown.loc["新增参保人数", "核查分"]) == ("21.00", "20.00")

    sheet = table_with(goto(app, "assessment"), "核查分")
    assert list(sheet["市州"]) == ["长春市"] and list(sheet["差异"]) == ["有"]
