"""排名稳健性 (issue 14 §5): the ranks under equal weights, ±20 % on each area and each indicator left out.

The case tests/cases/robustness_swap.yaml (an assessor can read it) has two cities whose ranks swap when 扩面
weighs 20 % more; test_cases.py checks its base ranks, this module its scenarios. The rest runs on the demo."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml
from cli_support import scorecard
from page_support import charts, goto, page_text, tables
from test_cases import build

from scorecard.assessment import formulas
from scorecard.assessment.robustness import (AREA, EQUAL, LEFT_OUT, Scenario, points_at, ranked, robustness,
                                             scenario_weights, scenarios_of)
from scorecard.assessment.scoring import score_year
from scorecard.data.store import Store
from scorecard.report import robustness as words
from scorecard.report.scope import scope
from scorecard.roles import CITY, AccessDenied, Principal
from scorecard.rules import METHODS

CASE = Path(__file__).parent / "cases" / "robustness_swap.yaml"
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def swap(tmp_path_factory):
    case = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    config, store = build(case, tmp_path_factory.mktemp("robustness"))
    return case, score_year(config, store, 2003, 12)


@pytest.fixture(scope="module")
def demo_result(config, demo_db):
    return score_year(config, Store(demo_db), 2003)


# --- the case: one weight change swaps two ranks ------------------------------------------------

def test_a_weight_change_swaps_two_ranks(swap):
    case, result = swap
    found = robustness(result)
    keys = [s.key for s in found.scenarios]
    assert set(case["robustness"]) <= set(keys)
    for key, expected in case["robustness"].items():
        k = keys.index(key)
        for city in found.cities:
            rank, total, grade = expected[city.city]
            placing = city.placings[k]
            assert (placing.rank, placing.grade) == (rank, grade), f"{key} {city.city}"
            assert math.isclose(placing.total, total, abs_tol=1e-6), f"{key} {city.city}: {placing.total}"
    assert [s.key for s in found.changing_top()] == case["changes_top"]
    plus = found.scenarios[keys.index("area:扩面:+20%")]
    assert plus.top == ("A",) and found.scenarios[0].top == ("B",)
    a = next(c for c in found.cities if c.city == "A")
    assert a.base_rank == 2 and a.best_rank == 1 and a.shifts[keys.index("area:扩面:+20%")] == 1
    assert a.max_shift == 1 and a.moves == len(case["changes_top"])


def test_the_case_in_words(swap):
    _, result = swap
    lines = words.sentences(robustness(result))
    assert lines[0].startswith("在7种情景下（等权重、2个领域权重各±20%、逐一不计2项指标），2个市州名次有变")
    assert "改变第一名的情景：扩面权重+20%（第一名为A市）" in lines[2]
    assert "扩面权重-20%（优秀减少A市）" in lines[3]


# --- the base, equal weights, areas, leave-one-out ------------------------------------------------

def test_the_base_scenario_is_score_years_ranking(demo_result, swap):
    for result in (demo_result, swap[1]):
        found = robustness(result)
        assert found.scenarios[0].key == "base"
        assert [c.city for c in found.cities] == [c.code for c in result.cities]
        assert [c.ranks[0] for c in found.cities] == [c.rank for c in result.cities]
        assert [c.base_rank for c in found.cities] == [c.rank for c in result.cities]
        assert [c.placings[0].total for c in found.cities] == [c.total for c in result.cities]
        assert [c.placings[0].grade for c in found.cities] == [c.grade for c in result.cities]
        assert all(c.shifts[0] == 0 for c in found.cities)


def test_scenarios_of_the_demo(demo_result):
    keys = [s.key for s in scenarios_of(demo_result)]
    areas = [f"area:{a}:{sign}" for a in ("扩面", "征缴", "待遇发放", "促进就业") for sign in ("+20%", "-20%")]
    indicators = list(dict.fromkeys(i.code for c in demo_result.cities for i in c.indicators))
    assert keys == ["base", "equal", *areas, *(f"left_out:{code}" for code in indicators)]


def test_equal_weights_keep_the_total_and_each_indicators_share(demo_result):
    equal = Scenario(EQUAL, EQUAL, "等权重")
    for city in demo_result.cities:
        weights = scenario_weights(equal, city.indicators)
        assert len(set(weights)) == 1 and math.isclose(sum(weights), 100)
    by_code = {c.code: c for c in ranked(demo_result, equal)}
    for before in demo_result.cities:
        share = sum(i.points / i.weight for i in before.indicators) * 100 / len(before.indicators)
        expected = max(0.0, share + min(demo_result.rules.bonus_cap, before.bonus_uncapped) + before.adjustment)
        assert math.isclose(by_code[before.code].total, expected, abs_tol=1e-9)


def test_an_area_weighs_twenty_percent_more_then_all_add_up_again(demo_result):
    city = demo_result.cities[0]
    up = Scenario("area:征缴:+20%", AREA, "征缴权重+20%", area="征缴", factor=1.2)
    weights = scenario_weights(up, city.indicators)
    assert math.isclose(sum(weights), 100)
    pairs = list(zip(city.indicators, weights))
    inside = [w / i.weight for i, w in pairs if i.area == "征缴"]
    outside = [w / i.weight for i, w in pairs if i.area != "征缴"]
    assert inside and outside
    assert all(math.isclose(r / outside[0], 1.2) for r in inside)
    assert all(math.isclose(r, outside[0]) for r in outside)


def test_leaving_an_indicator_out_shares_its_weight_pro_rata(demo_result):
    city = demo_result.cities[0]
    left = city.indicators[0]
    scenario = Scenario(f"left_out:{left.code}", LEFT_OUT, "", indicator=left.code)
    weights = scenario_weights(scenario, city.indicators)
    assert weights[0] == 0 and math.isclose(sum(weights), 100)
    rest = 100 - left.weight
    assert all(math.isclose(w, i.weight * 100 / rest) for i, w in zip(city.indicators[1:], weights[1:]))
    after = next(c for c in ranked(demo_result, scenario) if c.code == city.code)
    expected = sum(i.points * 100 / rest for i in city.indicators[1:])
    assert math.isclose(after.points, expected, abs_tol=1e-9)
    assert after.bonus_uncapped == city.bonus_uncapped and after.adjustment == city.adjustment  # unchanged


# --- how points follow a weight: through the rule objects ----------------------------------------

def test_points_follow_the_weight_through_each_rule(demo_result):
    """按完成比例, 分档, 完成得分: the rule at the new weight as written; 按差距扣分: the same share of the weight,
    its per and max scaled with it (the same rule and the old cap would leave a larger weight never below
    the difference)."""
    indicators = [i for c in demo_result.cities for i in c.indicators if i.scored_completion is not None]
    assert {i.method.name for i in indicators} >= {"proportional", "tiered", "deduct", "pass_fail"}
    for indicator in indicators:
        assert points_at(indicator, indicator.weight) == indicator.points
        for weight in (indicator.weight * 1.2, indicator.weight * 0.8, 7.0):
            points = points_at(indicator, weight)
            assert math.isclose(points, indicator.points * weight / indicator.weight, abs_tol=1e-9)
            if indicator.method.name != "deduct":
                assert points == formulas.base_points(indicator.method, weight, indicator.scored_completion,
                                                      indicator.shortfall)
    assert points_at(indicators[0], 0.0) == 0.0


def test_deduct_scales_its_points_parameters():
    deduct = METHODS["deduct"].checked({"per": 2.0, "max": 10.0}, context={"weight": 10.0})
    scaled = deduct.scaled(1.2)
    assert (scaled.per, scaled.max) == pytest.approx((2.4, 12.0))
    assert deduct.points(12.0, 0.0, 100.0) == 2.0   # as written, a weight of 12 could never fall below 2
    assert scaled.points(12.0, 0.0, 100.0) == 0.0
    assert scaled.points(12.0, 0.0, 3.0) == pytest.approx(1.2 * deduct.points(10.0, 0.0, 3.0))
    proportional = METHODS["proportional"]()
    assert proportional.scaled(1.2) is proportional


# --- access: a 市州 user sees their own city's ranks only ------------------------------------------

def test_a_city_user_sees_their_own_ranks_only(demo_result):
    found = robustness(demo_result)
    own = scope(Principal("city", CITY, "220600"), found)
    assert [c.city for c in own.cities] == ["220600"] and not own.whole
    assert own.cities[0] == next(c for c in found.cities if c.city == "220600")
    assert all(s.top is None and s.excellent is None for s in own.scenarios)
    assert own.changing_top() == [] and own.changing_excellent() == []
    text = "".join(words.sentences(own)) + json.dumps(words.robustness_dict(own), ensure_ascii=False)
    assert "白山市" in text
    assert not any(c.name in text for c in demo_result.cities if c.code != "220600")
    with pytest.raises(AccessDenied):
        scope(None, found)


# --- the command line -----------------------------------------------------------------------------

def test_cli_table(shipped_config_dir, demo_db, demo_result):
    run = scorecard("--config", shipped_config_dir, "--db", demo_db, "robustness", "--year", "2003")
    assert run.returncode == 0, run.stderr
    found = robustness(demo_result)
    lines = run.stdout.splitlines()
    assert lines[0].startswith("2003年度各市州考评排名稳健性（截至12月，年终")
    for k, scenario in enumerate(found.scenarios):
        row = next(line for line in lines if line.split()[:2] == [str(k), scenario.label])
        assert row.split()[2:] == [words.rank_cell(c, k) for c in found.cities]
    for line in words.sentences(found):
        assert line in run.stdout
    moved = found.moved()[0]
    row = next(line for line in lines if line.startswith(moved.name + " "))
    assert row.split()[1:] == [str(moved.base_rank), str(moved.best_rank), str(moved.worst_rank),
                               str(moved.max_shift), str(moved.moves)]


def test_cli_json(shipped_config_dir, demo_db, demo_result):
    run = scorecard("--config", shipped_config_dir, "--db", demo_db, "robustness", "--year", "2003", "--format", "json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert list(data) == ["year", "month", "provisional", "scenarios", "cities", "summary"]
    assert (data["year"], data["month"], data["provisional"]) == (2003, 12, False)
    assert list(data["scenarios"][0]) == ["key", "kind", "label", "area", "factor", "indicator", "top", "excellent",
                                          "changes_top", "changes_excellent", "mean_abs_shift"]
    assert list(data["cities"][0]) == ["city", "name", "base_rank", "ranks", "shifts", "totals", "grades",
                                       "max_abs_shift", "scenarios_moved", "best_rank", "worst_rank"]
    score = json.loads(scorecard("--config", shipped_config_dir, "--db", demo_db, "score", "--year", "2003",
                                 "--format", "json").stdout)
    assert {c["city"]: c["base_rank"] for c in data["cities"]} == {c["city"]: c["rank"] for c in score["cities"]}
    assert all(c["ranks"]["base"] == c["base_rank"] and c["shifts"]["base"] == 0 for c in data["cities"])
    found = robustness(demo_result)
    for city in data["cities"]:
        mine = next(c for c in found.cities if c.city == city["city"])
        assert list(city["ranks"].values()) == list(mine.ranks)
        assert city["max_abs_shift"] == mine.max_shift and city["scenarios_moved"] == mine.moves
    assert data["summary"] == words.sentences(found)


def test_cli_month_and_refusals(shipped_config_dir, demo_db, demo_result):
    june = scorecard("--config", shipped_config_dir, "--db", demo_db, "robustness", "--year", "2003", "--month", "6",
                     "--format", "json")
    assert json.loads(june.stdout)["provisional"] is True and json.loads(june.stdout)["month"] == 6
    missing = scorecard("--config", shipped_config_dir, "--db", demo_db, "robustness", "--year", "1999")
    assert missing.returncode == 1 and "1999年没有目标责任书" in missing.stderr and "Traceback" not in missing.stderr
    misuse = scorecard("--config", shipped_config_dir, "--db", demo_db, "robustness")
    assert misuse.returncode == 2 and "缺少必需的参数" in misuse.stderr


def test_cli_on_a_publication(shipped_config_dir, demo_db, tmp_path):
    from conftest import writable_copy

    db = writable_copy(demo_db, tmp_path)
    base = ("--config", shipped_config_dir, "--db", db)
    done = scorecard(*base, "publish", "--year", "2003", "--reason", "年终考评会议审定")
    assert done.returncode == 0, done.stderr
    table = scorecard(*base, "robustness", "--year", "2003", "--publication", "1")
    assert table.returncode == 0 and table.stdout.splitlines()[1].startswith("按2003年度第1号发布")
    data = json.loads(scorecard(*base, "robustness", "--year", "2003", "--publication", "1", "--format", "json").stdout)
    published = json.loads(scorecard(*base, "score", "--year", "2003", "--publication", "1").stdout)
    assert {c["city"]: c["base_rank"] for c in data["cities"]} == {c["city"]: c["rank"] for c in published["cities"]}
    missing = scorecard(*base, "robustness", "--year", "2003", "--publication", "2")
    assert missing.returncode == 1 and "没有第2号发布" in missing.stderr
    both = scorecard(*base, "robustness", "--year", "2003", "--publication", "1", "--as-of-import", "1")
    assert both.returncode == 1 and "不能同时使用" in both.stderr


# --- the page: 年终考评 -----------------------------------------------------------------------------

def _section(app):
    return next(t for t in tables(app) if "情景" in t.columns)


def test_assessment_page_shows_the_section(config, demo_db, shipped_config_dir, open_app, demo_result):
    app = goto(open_app(shipped_config_dir, demo_db, {"year": "2003", "month": "12"}), "assessment")
    found = robustness(demo_result)
    assert words.TITLE in [s.value for s in app.subheader]
    text = page_text(app)
    for line in words.sentences(found):
        assert line in text
    table = _section(app)
    assert list(table["情景"]) == [s.label for s in found.scenarios]
    for city in found.cities:
        assert list(table[words.city_label(city)].astype(str)) == [words.rank_cell(city, k)
                                                                   for k in range(len(found.scenarios))]
    fragment = next(f.value for f in app.html if "情景" in f.value and 'class="sc-table"' in f.value)
    assert fragment.count("font-weight:600") == sum(c.moves for c in found.cities)  # the changed cells, tinted
    ranges = next(c for c in charts(app) if "名次范围" in c["layout"]["title"]["text"])
    bars = ranges["data"][0]
    assert bars["x"] == [words.city_label(c) for c in found.cities]
    assert [b + h for b, h in zip(bars["base"], bars["y"])] == pytest.approx([c.worst_rank + 0.35
                                                                              for c in found.cities])


def test_a_city_users_page_shows_their_own_ranks(config, demo_db, shipped_config_dir, open_app, demo_result):
    app = goto(open_app(shipped_config_dir, demo_db, {"year": "2003", "month": "12"}, as_=(CITY, "220600")),
               "assessment")
    table = _section(app)
    assert list(table.columns) == ["情景", "白山市"]
    own = scope(Principal("city", CITY, "220600"), robustness(demo_result))
    assert list(table["白山市"].astype(str)) == [words.rank_cell(own.cities[0], k) for k in range(len(own.scenarios))]
    assert words.sentences(own)[0] in page_text(app)
    assert "第一名" not in page_text(app)
    assert not any("名次范围" in c["layout"].get("title", {}).get("text", "") for c in charts(app))



def test_many_units_list_the_movers_only(config, demo_db, shipped_config_dir, open_app, demo_result, monkeypatch):
    from dashboard import widgets

    monkeypatch.setattr(widgets, "DETAIL_MAX", 4)   # the nine demo cities as if a national roll-up
    monkeypatch.setattr(widgets, "EDGE_ROWS", 2)
    app = goto(open_app(shipped_config_dir, demo_db, {"year": "2003", "month": "12"}), "assessment")
    movers = next(t for t in tables(app) if "最大变动（位）" in t.columns)
    moved = robustness(demo_result).moved()[:2]
    assert list(movers["市州"]) == [c.name for c in moved]
    assert list(movers["最大变动（位）"]) == [c.max_shift for c in moved]
    assert not any("情景" in t.columns for t in tables(app))
    assert not any("名次范围" in c["layout"]["title"]["text"] for c in charts(app) if "title" in c["layout"])

# --- in the browser -------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("width, height", [(1440, 900), (390, 844)])
def test_the_section_in_the_browser(browser, shipped_config_dir, demo_db, tmp_path, width, height):
    from conftest import session_token, writable_copy
    from live_server import Visit, streamlit_server

    db = writable_copy(demo_db, tmp_path)
    with streamlit_server(shipped_config_dir, db) as url:
        visit = Visit(browser, f"{url}/assessment?year=2003&month=12", session_token(db))
        try:
            visit.page.set_viewport_size({"width": width, "height": height})
            visit.settle("年终考评")
            heading = visit.page.get_by_role("heading", name=words.TITLE)
            heading.evaluate("e => e.scrollIntoView({block: 'start'})")
            visit.page.wait_for_timeout(500)
            visit.page.screenshot(path=str(ARTIFACTS / f"robustness-{width}x{height}.png"))
            visit.page.locator('[data-testid="stPlotlyChart"]').last.evaluate(
                "e => e.scrollIntoView({block: 'center'})")
            visit.page.wait_for_timeout(1000)
            visit.page.screenshot(path=str(ARTIFACTS / f"robustness-chart-{width}x{height}.png"))
            assert "排名变化最大的是" in visit.text()
            assert visit.page.locator('[data-testid="stException"]').count() == 0
            assert not visit.errors
        finally:
            visit.close()
