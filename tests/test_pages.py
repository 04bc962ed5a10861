"""The dashboard pages in Streamlit's AppTest: what they show equals what the core computes.

Each test opens app.py against temporary copies of the config and temporary databases
(fixtures in conftest.py) and compares the tables, cards and charts with score_year and friends.
"""

from __future__ import annotations

import re
import shutil
from html import unescape

import pytest
from page_support import (bars_drawn, cells_drawn, charts, downloads, drawn_charts, goto, grid_columns, metric, no_chart,
                          page_text, shown, table_with, tables)

from scorecard import formatting as fmt
from scorecard.report.targets import province_totals
from scorecard.actions.demo import CORRECTION_FILE, DEMO_FILE
from scorecard.assessment.explain import actual_and_target, calculation_text, total_text
from scorecard.assessment.fund import RED
from scorecard.actions.imports import import_file
from scorecard.assessment.progress import flow_targets
from scorecard.assessment.formulas import STATUS_NAMES
from scorecard.formatting import round2
from scorecard.assessment.scoring import score_year
from scorecard.data.store import Store, missing_text

DATA_PAGES = ("ranking", "progress", "assessment", "fund", "data")
ALL_PAGES = DATA_PAGES + ("contracts",)


# --- 全省排名 ------------------------------------------------------------------------------

def test_ranking_shows_the_cores_ranking(config, demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db)
    assert not app.exception
    result = score_year(config, Store(demo_db), 2003)
    shown = table_with(app, "总分")
    assert list(shown["市州"]) == [c.name for c in result.cities]
    assert list(shown["名次"]) == [c.rank for c in result.cities]
    assert list(shown["总分"]) == [fmt.points(c.total) for c in result.cities]
    assert list(shown["等次"]) == [c.grade for c in result.cities]
    assert list(shown["名次变化"]) == [fmt.rank_change(c.rank_change) for c in result.cities]
    vetoed = result.city("220600")
    assert shown.set_index("市州").loc[vetoed.name, "一票否决"] == vetoed.vetoes[0].item
    assert shown.set_index("市州").loc["白城市", "数据不全"] == "缺8、9月数据"
    assert metric(app, "全省平均分") == fmt.points(sum(c.total for c in result.cities) / len(result.cities))
    bars = bars_drawn(drawn_charts(app)[0])
    assert bars == [(c.code, f"{c.name}：{fmt.points(c.total)}分，{c.grade}") for c in result.cities]
    assert not charts(app)   # no plotly on the first page: its script is most of a cold start
    assert "年终" in page_text(app) and "演示数据" in page_text(app)


def test_ranking_area_points_and_heatmap(config, demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db)
    result = score_year(config, Store(demo_db), 2003)
    areas = table_with(app, "扩面").set_index("市州")
    for city in result.cities:
        assert areas.loc[city.name, "征缴"] == fmt.points(city.area_points()["征缴"][0])
    # the contracts weigh 扩面 and 征缴 differently, 促进就业 alike
    assert "各领域满分：扩面20—25分，征缴40—45分，待遇发放25分，促进就业10分。" in page_text(app)
    heatmap = drawn_charts(app)[1]
    assert grid_columns(heatmap) == [c.short or c.name for c in result.cities]
    cells = cells_drawn(heatmap)
    for city in result.cities:
        for i in city.indicators:
            actual, target = actual_and_target(i)
            hover = f"{city.name} · {i.name}\n实际{actual}，目标{target}\n完成{fmt.percent(i.completion)}，{STATUS_NAMES[i.status]}"
            assert cells[hover] == fmt.percent(i.completion)
    unassessed = sum(len({i.code for c in result.cities for i in c.indicators}) - len(c.indicators)
                     for c in result.cities)
    assert unassessed and sum(text == "不考核" for text in cells.values()) == unassessed


def hovers(app, title: str) -> list[str]:
    """The hover labels of the chart titled `title` (dashboard/drawn.py)."""
    chart = next(html for html in drawn_charts(app) if f'<div class="sc-chart-title">{title}' in html)
    return [unescape(t) for t in re.findall(r'title="([^"]*)"', chart)]


@pytest.fixture
def as_if_national(monkeypatch):
    """The nine demo cities drawn as a national roll-up is: as if nine were too many to draw one by one."""
    from dashboard import widgets

    monkeypatch.setattr(widgets, "DETAIL_MAX", 4)
    monkeypatch.setattr(widgets, "EDGE_ROWS", 3)


def test_many_units_are_summed_up_not_drawn_one_by_one(config, demo_db, shipped_config_dir, open_app, as_if_national):
    app = open_app(shipped_config_dir, demo_db)
    assert not app.exception
    result = score_year(config, Store(demo_db), 2003)
    # the two charts are HTML (drawn.count_columns, count_bars): each segment's count is in its hover label
    distribution, statuses = (hovers(app, title) for title in ("总分分布", "各指标进度"))
    bins = {}
    for label in distribution:
        grade, low, high, count = re.fullmatch(r"(.+)：(\d+)—(\d+)分，(\d+)个", label).groups()
        bins[grade, int(low)] = int(count)
    expected = {}
    for c in result.cities:
        key = (c.grade, int(round2(c.total) // 2 * 2))
        expected[key] = expected.get(key, 0) + 1
    assert bins == expected and sum(bins.values()) == len(result.cities)
    first = result.cities[0].indicators[0]
    expected = sum(i.status == first.status for c in result.cities for i in c.indicators if i.code == first.code)
    assert f"{first.name}：{STATUS_NAMES[first.status]}{expected}个" in statuses
    assert len(drawn_charts(app)) == 3 and 'class="sc-chart sc-map' in drawn_charts(app)[2]  # and the map
    top, bottom = tables(app)
    assert list(top["名次"]) == [c.rank for c in result.cities[:3]]
    assert list(bottom["市州"]) == [c.name for c in result.cities[-3:]]
    grid = app.dataframe[0].value
    assert list(grid["市州"]) == [c.name for c in result.cities]
    assert list(grid["总分"]) == [round2(c.total) for c in result.cities]
    assert grid.set_index("市州").loc["白城市", "数据不全"] == "缺8、9月数据"


def test_a_search_finds_units_and_draws_them(config, demo_db, shipped_config_dir, open_app, as_if_national):
    app = open_app(shipped_config_dir, demo_db)
    result = score_year(config, Store(demo_db), 2003)
    app.text_input(key="_find_ranking").input("长春 220").run()  # every word must match: name or code
    assert list(app.dataframe[0].value["市州"]) == ["长春市"]
    bars, heatmap = drawn_charts(app)[2:4]   # after the counts by total and by status
    assert [code for code, _ in bars_drawn(bars)] == ["220100"]
    assert fmt.points(result.city("220100").total) in bars
    assert grid_columns(heatmap) == ["长春市"]
    app.text_input(key="_find_ranking").input("上海").run()
    assert not app.dataframe and "没有找到“上海”。" in page_text(app)


def test_changing_the_month_rescores_provisionally_and_updates_the_url(config, demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db)
    app.selectbox(key="_pick_month").select(6).run()
    assert not app.exception
    result = score_year(config, Store(demo_db), 2003, 6)
    assert list(table_with(app, "总分")["总分"]) == [fmt.points(c.total) for c in result.cities]
    assert "预估" in page_text(app) and "截至6月的预估得分" in page_text(app)
    assert app.query_params == {"year": "2003", "month": "6"}


# --- the URL carries the selection ---------------------------------------------------------

def test_url_selection_is_restored(config, demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db, {"year": "2002", "month": "7", "city": "延边州"})
    assert app.selectbox(key="_pick_year").value == 2002 and app.selectbox(key="_pick_month").value == 7
    result = score_year(config, Store(demo_db), 2002, 7)
    assert list(table_with(app, "总分")["总分"]) == [fmt.points(c.total) for c in result.cities]
    goto(app, "progress")  # the city from the URL waits for the first page that picks a city
    assert app.selectbox(key="_pick_city").value == "222400"
    assert app.query_params == {"year": "2002", "month": "7", "city": "222400"}
    assert not app.warning


@pytest.mark.parametrize("query, notice", [
    ({"year": "abc"}, "网址中的年度“abc”无效"),
    ({"year": "1999"}, "网址中的年度“1999”无效"),
    ({"month": "13"}, "网址中的截至月份“13”无效"),
    ({"month": "-1"}, "网址中的截至月份“-1”无效"),
])
def test_invalid_url_values_fall_back_with_a_notice(demo_db, shipped_config_dir, open_app, query, notice):
    app = open_app(shipped_config_dir, demo_db, query)
    assert not app.exception
    assert any(notice in shown(w.value) for w in app.warning)
    assert app.query_params == {"year": "2003", "month": "12"}


def test_invalid_city_in_url_falls_back_on_the_city_page(demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db, {"city": "999999"})
    goto(app, "assessment")
    assert any("网址中的市州“999999”无效" in w.value for w in app.warning)
    assert app.selectbox(key="_pick_city").value == "220100"


def test_month_beyond_the_data_falls_back_to_the_latest(config, small_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, small_db, {"year": "2003", "month": "12"})
    assert any("已改为显示4月" in w.value for w in app.warning)
    assert app.selectbox(key="_pick_month").options == ["4月", "3月", "2月", "1月"]


def test_a_contract_year_without_data_is_not_the_default(demo_db, config_dir, open_app):
    folder = config_dir / "contracts" / "2004"
    folder.mkdir()
    for contract in (config_dir / "contracts" / "2003").glob("*.yaml"):
        text = contract.read_text(encoding="utf-8").replace("year: 2003", "year: 2004").replace("2003-", "2004-")
        (folder / contract.name).write_text(text, encoding="utf-8")
    app = open_app(config_dir, demo_db)
    assert app.query_params == {"year": "2003", "month": "12"}
    app.selectbox(key="_pick_year").select(2004).run()
    assert not app.exception and not tables(app)
    assert "2004年还没有任何月度数据。有数据的年度：2002年、2003年。" in page_text(app)
    goto(app, "contracts")
    assert app.query_params == {"year": "2004"} and tables(app)


def test_default_is_the_latest_year_with_data(config, small_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, small_db)
    assert app.query_params == {"year": "2003", "month": "4"}
    goto(app, "progress")
    assert app.query_params["city"] == "220100"


# --- 市州进度 ------------------------------------------------------------------------------

def test_progress_cards_and_lines_equal_the_core(config, demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db, {"year": "2003", "month": "8", "city": "220800"})
    goto(app, "progress")
    result = score_year(config, Store(demo_db), 2003, 8)
    city = result.city("220800")
    assert metric(app, "预估总分") == fmt.points(city.total)
    assert metric(app, "全省名次") == f"第{city.rank}名 / 9"
    fund = next(f for f in result.fund if f.city == "220800")
    assert metric(app, "基金可支付月数") == fmt.months(fund.capacity)
    cards = [m.value for m in app.html if 'class="sc-card"' in m.value]
    assert len(cards) == len(city.indicators)
    for card, indicator in zip(cards, city.indicators):
        assert indicator.name in card and STATUS_NAMES[indicator.status] in card
        assert fmt.quantity(indicator.actual, indicator.unit) in card
        if indicator.needed_per_month is not None and indicator.needed_per_month > 0:
            assert fmt.quantity(indicator.needed_per_month, indicator.unit) in card
        assert "缺报月份" in card and "8月、9月" not in card  # August is missing, September is after the month
    assert "缺8月数据" in page_text(app)
    lines = charts(app)
    flows = flow_targets(config, 2003, "220800")
    assert len(lines) == len(flows)
    by_code = {i.code: i for i in city.indicators}
    for figure, target in zip(lines, flows):
        traces = {trace["name"]: trace for trace in figure["data"]}
        assert traces["累计完成"]["y"][6] is not None and traces["累计完成"]["y"][7] is None  # no August report
        missing = dict(zip(traces["数据缺失"]["x"], traces["数据缺失"]["y"]))
        assert missing["8月"] == pytest.approx(by_code[target.indicator].actual)


def test_city_without_reports_shows_missing_never_zero(small_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, small_db, {"city": "220200"})
    goto(app, "progress")
    cards = [m.value for m in app.html if 'class="sc-card"' in m.value]
    assert cards and all("数据缺失" in card for card in cards)
    assert not any(">0人<" in card or ">0.00万元<" in card for card in cards)


# --- 年终考评 ------------------------------------------------------------------------------

def test_assessment_sheet_and_words(config, demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db, {"city": "220300"})
    goto(app, "assessment")
    result = score_year(config, Store(demo_db), 2003)
    summary = table_with(app, "指标得分")
    assert list(summary["市州"]) == [c.name for c in result.cities]
    assert list(summary["总分"]) == [fmt.points(c.total) for c in result.cities]
    assert list(summary["加减分"]) == [fmt.points(c.adjustment) for c in result.cities]
    sheet = table_with(app, "计分方法")
    assert len(sheet) == sum(len(c.indicators) for c in result.cities)
    assert list(sheet["得分"]) == [fmt.points(i.points) for c in result.cities for i in c.indicators]
    city = result.city("220300")
    words = next(m.value for m in app.html if 'class="sc-words"' in m.value)
    for indicator in city.indicators:
        assert calculation_text(indicator, 12) in words
    assert total_text(city, config.rules.bonus_cap) in words
    assert "未按时报送12月统计报表" in set(table_with(app, "原因")["原因"])
    assert "拖欠失业保险金" in set(table_with(app, "否决事项")["否决事项"])
    offered = downloads(app)
    assert list(offered) == ["下载Excel考评表", "下载Word通报", "下载PDF通报和单位考评卡", "下载会议材料包（压缩包，含图表）",
                             "下载四平市单位考评卡（PDF）"]
    assert all(o.href and o.href.startswith("/download/") for o in offered.values())


# --- 基金预警 ------------------------------------------------------------------------------

def test_fund_capacity_and_levels(config, demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db)
    goto(app, "fund")
    statuses = score_year(config, Store(demo_db), 2003, 12).fund
    shown = table_with(app, "可支付月数")
    assert list(shown["可支付月数"]) == [fmt.months(s.capacity) for s in statuses]
    assert list(shown["等级"]) == [s.level_name for s in statuses]
    assert shown.set_index("市州").loc["辽源市", "等级"] == "预警"
    assert metric(app, "预警") == f"{sum(s.level == 'red' for s in statuses)}个"
    bars = charts(app)[0]
    assert bars["data"][0]["y"] == pytest.approx([s.capacity for s in statuses])
    assert {shape["y0"] for shape in bars["layout"]["shapes"]} == {2, 3}


def test_fund_without_capacity_says_why(small_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, small_db, {"month": "1"})
    goto(app, "fund")
    shown = table_with(app, "可支付月数").set_index("市州")
    assert shown.loc["长春市", "可支付月数"] == "数据缺失"
    assert shown.loc["长春市", "等级"] == "无法计算"
    assert "至少需要3个月" in shown.loc["长春市", "说明"]


# --- 目标责任书 ----------------------------------------------------------------------------

def test_contracts_in_words_and_province_totals(config, demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db)
    goto(app, "contracts")
    totals = table_with(app, "全省合计").set_index("指标")
    for total in province_totals(config, 2003):
        expected = fmt.quantity(total.total, total.unit) if total.total is not None else "—（比率不合计）"
        assert totals.loc[total.name, "全省合计"] == expected
    contracts = [t for t in tables(app) if "超额加分" in t.columns]
    assert len(contracts) == len(config.contracts_for(2003))
    changchun = contracts[0].set_index("指标")
    assert changchun.loc["征缴收入", "目标"] == "26,000.00万元"
    assert changchun.loc["征缴收入", "计分方法"].startswith("分档计分：完成100%以上得20分")
    assert changchun.loc["征缴率", "目标"] == "93.0%"


# --- 数据管理 ------------------------------------------------------------------------------

def test_completeness_and_imports(config, demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db)
    goto(app, "data")
    grid = table_with(app, "1月").set_index("市州")
    assert grid.loc["白城市", "8月"] == "未报送" and grid.loc["白城市", "10月"] == "完整"
    assert grid.loc["长春市", "12月"] == "完整"
    details = table_with(app, "缺少的统计项")
    assert len(details) == 2
    imports = table_with(app, "文件")
    assert list(imports["文件"]) == [CORRECTION_FILE, DEMO_FILE]


def test_completeness_names_missing_measures(config, small_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, small_db)
    goto(app, "data")
    details = table_with(app, "缺少的统计项")
    march = details[(details["市州"] == "长春市") & (details["月份"] == "3月")]["缺少的统计项"].iloc[0]
    assert config.measures["new_insured_persons"].name in march
    assert config.measures["contributions_collected"].name not in march


# --- a national roll-up: every page finds units instead of drawing each ---------------------------

def test_national_assessment_sheet_in_searchable_grids(config, demo_db, shipped_config_dir, open_app, as_if_national):
    app = goto(open_app(shipped_config_dir, demo_db, {"city": "220300"}), "assessment")
    result = score_year(config, Store(demo_db), 2003)
    totals, sheet = (frame.value for frame in app.dataframe)
    assert list(totals["市州"]) == [c.name for c in result.cities]
    assert list(totals["总分"]) == [round2(c.total) for c in result.cities]
    assert list(sheet["得分"]) == [round2(i.points) for c in result.cities for i in c.indicators]
    assert list(sheet["市州"]) == [c.name for c in result.cities for _ in c.indicators]  # every row names its unit
    app.text_input(key="_find_sheet").input("四平 征缴率").run()
    assert list(app.dataframe[1].value["考核指标"]) == ["征缴率"]
    assert total_text(result.city("220300"), config.rules.bonus_cap) in page_text(app) + "".join(
        m.value for m in app.html)


def test_national_fund_lights_the_units_that_need_attention(config, demo_db, shipped_config_dir, open_app,
                                                            as_if_national):
    app = goto(open_app(shipped_config_dir, demo_db, {"year": "2003", "month": "12"}), "fund")
    assert not app.exception
    statuses = score_year(config, Store(demo_db), 2003, 12).fund
    lights = next(m.value for m in app.html if 'class="sc-lights"' in m.value)
    red = [s for s in statuses if s.level == RED]
    assert red and all(config.city(s.city).label in lights for s in red)
    assert 1 <= lights.count('class="sc-light"') < len(statuses)  # the units in good standing: in the grid
    grid = app.dataframe[0].value
    assert list(grid["可支付月数（个月）"].dropna()) == sorted(s.capacity for s in statuses if s.capacity is not None)
    histogram = charts(app)[0]
    assert sum(sum(trace["y"]) for trace in histogram["data"]) == sum(s.capacity is not None for s in statuses)


def test_national_contracts_are_found_not_all_drawn(config, demo_db, shipped_config_dir, open_app, as_if_national):
    app = goto(open_app(shipped_config_dir, demo_db), "contracts")
    assert len(app.dataframe[0].value) == 9 and not [t for t in tables(app) if "计分方法" in t.columns]
    app.text_input(key="_find_contracts").input("长春").run()
    assert "长春市（2003年3月10日签订）" in [h.value for h in app.subheader]
    assert len([t for t in tables(app) if "计分方法" in t.columns]) == 1


def test_national_completeness_lists_the_units_to_chase(config, demo_db, shipped_config_dir, open_app,
                                                        as_if_national):
    app = goto(open_app(shipped_config_dir, demo_db), "data")
    matrix = table_with(app, "8月")
    assert list(matrix["市州"]) == ["白城市"] and list(matrix[["8月", "9月"]].iloc[0]) == ["未报送", "未报送"]
    assert "其余8个单位的报表完整" in page_text(app)


# --- states: invalid config, empty and missing database ---------------------------------------

@pytest.mark.parametrize("page", ALL_PAGES)
def test_invalid_config_shows_the_problems_on_every_page(invalid_config_dir, demo_db, open_app, page):
    app = open_app(invalid_config_dir, demo_db)
    goto(app, page)
    problems = "\n".join(shown(e.value) for e in app.error)
    assert "配置有" in problems and "处问题" in problems
    assert "cities.yaml:" in problems and "没有加引号" in problems
    assert "220200-吉林市.yaml" in problems
    assert not tables(app)


@pytest.mark.parametrize("page", DATA_PAGES)
def test_empty_database_explains_how_to_import(empty_db, shipped_config_dir, open_app, page):
    app = open_app(shipped_config_dir, empty_db)
    goto(app, page)
    text = page_text(app)
    assert "还没有任何月度数据" in text
    assert f"scorecard --db {empty_db} import" in text and f"scorecard --db {empty_db} demo" in text
    assert not tables(app) and no_chart(app)


def test_contracts_page_works_without_data(config, empty_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, empty_db)
    goto(app, "contracts")
    assert len([t for t in tables(app) if "超额加分" in t.columns]) == len(config.contracts_for(2003))


def test_a_missing_database_is_reported_not_built(shipped_config_dir, tmp_path, open_app):
    db = tmp_path / "missing.duckdb"
    app = open_app(shipped_config_dir, db)
    assert [shown(e.value) for e in app.error] == [f"{missing_text(db)}恢复或导入后刷新本页即可。"]
    assert not tables(app) and not db.exists()


def test_unreadable_database_is_said_in_chinese(shipped_config_dir, tmp_path, open_app):
    db = tmp_path / "broken.duckdb"
    db.write_bytes(b"not a database")
    app = open_app(shipped_config_dir, db)
    assert not app.exception
    assert any("无法打开数据库" in e.value for e in app.error)


# --- caches follow the files -----------------------------------------------------------------

def test_new_import_shows_without_restart(config, small_db, shipped_config_dir, tmp_path, open_app):
    db = tmp_path / "growing.duckdb"
    shutil.copy(small_db, db)
    app = open_app(shipped_config_dir, db)
    before = table_with(app, "总分").set_index("市州").loc["吉林市", "总分"]
    report = tmp_path / "吉林市.csv"
    report.write_text("year,month,city,measure,value\n" + "".join(
        f"2003,{m},220200,contributions_collected,3000\n" for m in range(1, 5)), encoding="utf-8")
    assert import_file(Store(db), config, report).ok
    app.run()
    result = score_year(config, Store(db), 2003, 4)
    after = table_with(app, "总分").set_index("市州").loc["吉林市", "总分"]
    assert after == fmt.points(result.city("220200").total) != before
    # the charts are kept per result (widgets.kept): the new result's, not the one drawn before
    assert bars_drawn(drawn_charts(app)[0]) == [(c.code, f"{c.name}：{fmt.points(c.total)}分，{c.grade}")
                                                 for c in result.cities]


def test_edited_contract_shows_without_restart(demo_db, config_dir, open_app):
    app = open_app(config_dir, demo_db)
    goto(app, "contracts")
    contract = config_dir / "contracts" / "2003" / "220100-长春市.yaml"
    contract.write_text(contract.read_text(encoding="utf-8").replace("target: 26000", "target: 27000"),
                        encoding="utf-8")
    app.run()
    changchun = next(t for t in tables(app) if "超额加分" in t.columns).set_index("指标")
    assert changchun.loc["征缴收入", "目标"] == "27,000.00万元"

