"""Units in a hierarchy: the 县（市、区） below the 市州 in cities.yaml, the contracts a 市州 signs with them, their
sums against its own, their ranking by the same engine, who may see it, their actuals imported and demo data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import copy_config
from test_validation import assert_reported, edit, line_of

from scorecard.actions.demo import build_demo
from scorecard.actions.imports import import_file
from scorecard.assessment.scoring import ScoringError, score_year
from scorecard.config import load_config
from scorecard.config.cascade import additive, cascade_warnings, target_sums
from scorecard.config.plain import from_plain, to_plain
from scorecard.data.store import Store
from scorecard.report.scope import scope
from scorecard.report.serialize import score_dict
from scorecard.roles import CITY, CITY_VIEW, AccessDenied, Principal

CHANGCHUN, YANBIAN = "220100", "222400"
CHANGCHUN_COUNTIES = ["220102", "220103", "220104", "220105", "220106", "220112", "220122", "220181", "220182",
                      "220183"]
YANBIAN_COUNTIES = ["222401", "222402", "222403", "222404", "222405", "222406", "222424", "222426"]
YUSHU = "contracts/2003/220100/220182-榆树市.yaml"
CHANGCHUN_2003 = "contracts/2003/220100-长春市.yaml"


def loaded(folder):
    config, problems = load_config(folder)
    assert not problems, problems
    return config


def without_counties(folder):
    """The same config as officials had it before counties: no province, no counties, no contracts below."""
    cities = folder / "cities.yaml"
    text = cities.read_text(encoding="utf-8")
    head, rest = text.split("province:", 1)
    listed = rest.split("cities:", 1)[1].split("\n# 县级", 1)[0]
    cities.write_text(head + "cities:" + listed + "\n", encoding="utf-8")
    for year in (folder / "contracts").iterdir():
        for sub in year.iterdir():
            if sub.is_dir():
                shutil.rmtree(sub)
    return folder


# --- cities.yaml ----------------------------------------------------------------------------------

def test_the_counties_of_changchun_and_yanbian_are_read_with_their_parents(config):
    assert [c.code for c in config.children_of(CHANGCHUN)] == CHANGCHUN_COUNTIES
    assert [c.code for c in config.children_of(YANBIAN)] == YANBIAN_COUNTIES
    assert config.children_of() == config.cities == config.children_of("220000")
    assert len(config.cities) == 9 and config.province.name == "吉林省"
    assert config.city("220182").name == "榆树市" and config.city("220182").parent == CHANGCHUN
    assert config.ancestors("220182") == (CHANGCHUN,) and config.level("220182") == 2 and config.level(CHANGCHUN) == 1
    assert config.within("220182", CHANGCHUN) and not config.within("222401", CHANGCHUN)
    assert config.unit_lookup["延吉市"] == "222401" and "延吉市" not in config.city_lookup  # import spellings only
    assert config.children_of("220200") == ()


def test_the_shipped_codes_are_those_of_gb_t_2260_as_of_2003(shipped_config_dir):
    text = (shipped_config_dir / "cities.yaml").read_text(encoding="utf-8")
    assert "民政部" in text and "2003" in text
    config = loaded(shipped_config_dir)
    names = {c.code: c.name for c in config.counties}
    assert names == {"220102": "南关区", "220103": "宽城区", "220104": "朝阳区", "220105": "二道区", "220106": "绿园区",
                     "220112": "双阳区", "220122": "农安县", "220181": "九台市", "220182": "榆树市", "220183": "德惠市",
                     "222401": "延吉市", "222402": "图们市", "222403": "敦化市", "222404": "珲春市", "222405": "龙井市",
                     "222406": "和龙市", "222424": "汪清县", "222426": "安图县"}


def test_a_county_whose_parent_is_written_as_a_name_is_told_the_code(cli, config_dir):
    line = edit(config_dir, "cities.yaml", 'name: 榆树市, parent: "220100"', "name: 榆树市, parent: 长春市")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, "cities.yaml", line,
                    "榆树市的上级“长春市”不是 cities.yaml 中的单位", '请写代码 "220100"（长春市）')


def test_an_unknown_parent_is_refused_with_the_nearest_unit(cli, config_dir):
    line = edit(config_dir, "cities.yaml", 'name: 延吉市, parent: "222400"', 'name: 延吉市, parent: "延边朝鲜族自治"')
    assert_reported(cli("--config", config_dir, "validate"), config_dir, "cities.yaml", line,
                    "延吉市的上级“延边朝鲜族自治”不是 cities.yaml 中的单位", '是否指 "222400"（延边朝鲜族自治州）？')


def test_a_county_without_parent_is_refused(cli, config_dir):
    line = edit(config_dir, "cities.yaml", '{code: "220183", name: 德惠市, parent: "220100"}',
                '{code: "220183", name: 德惠市}')
    assert_reported(cli("--config", config_dir, "validate"), config_dir, "cities.yaml", line, "缺少所属市州的代码“parent”")


def test_a_duplicate_code_is_refused(cli, config_dir):
    line = edit(config_dir, "cities.yaml", 'code: "220183", name: 德惠市', 'code: "220182", name: 德惠市')
    assert_reported(cli("--config", config_dir, "validate"), config_dir, "cities.yaml", line,
                    f"“220182”重复（第{line - 1}行已使用）")


def test_a_county_code_equal_to_a_city_code_is_refused(cli, config_dir):
    line = edit(config_dir, "cities.yaml", 'code: "222426", name: 安图县', 'code: "220800", name: 安图县')
    assert_reported(cli("--config", config_dir, "validate"), config_dir, "cities.yaml", line, "“220800”重复")


def test_two_siblings_of_one_name_are_refused(cli, config_dir):
    edit(config_dir, "cities.yaml", "name: 安图县", "name: 汪清县")
    line = line_of(config_dir, "cities.yaml", 'code: "222426"')
    assert_reported(cli("--config", config_dir, "validate"), config_dir, "cities.yaml", line,
                    "同一上级下各单位的名称和简称必须唯一")


def test_parents_going_round_in_a_circle_are_refused(cli, config_dir):
    edit(config_dir, "cities.yaml", 'name: 图们市, parent: "222400"', 'name: 图们市, parent: "222403"')
    line = edit(config_dir, "cities.yaml", 'name: 敦化市, parent: "222400"', 'name: 敦化市, parent: "222402"')
    assert_reported(cli("--config", config_dir, "validate"), config_dir, "cities.yaml", line, "形成了循环")


def test_a_city_whose_parent_is_not_the_province_is_refused(cli, config_dir):
    line = edit(config_dir, "cities.yaml", '{code: "220200", name: 吉林市}', '{code: "220200", name: 吉林市, parent: "220100"}')
    assert_reported(cli("--config", config_dir, "validate"), config_dir, "cities.yaml", line,
                    '应当是本级（province）的代码 "220000"（吉林省）')


# --- county contracts -------------------------------------------------------------------------------

def test_county_contracts_are_read_from_the_folder_of_their_city(config):
    assert [c.city for c in config.contracts_for(2003, CHANGCHUN)] == CHANGCHUN_COUNTIES
    assert [c.city for c in config.contracts_for(2003, YANBIAN)] == YANBIAN_COUNTIES
    assert [c.city for c in config.contracts_for(2003)] == [c.code for c in config.cities]  # the province's: the 市州
    assert config.contracts_for(2002, CHANGCHUN) == []
    yushu = config.contracts[(2003, "220182")]
    assert yushu.source.endswith(YUSHU) and {t.indicator for t in yushu.targets} == {
        t.indicator for t in config.contracts[(2003, CHANGCHUN)].targets}


def test_a_county_contract_in_another_citys_folder_is_refused(cli, config_dir):
    source = config_dir / YUSHU
    target = config_dir / "contracts/2003/222400/220182-榆树市.yaml"
    source.rename(target)
    run = cli("--config", config_dir, "validate")
    assert run.code == 1 and f"{target}: 榆树市的上级是长春市（220100），它的目标责任书应放在 2003/220100/ 文件夹中" in run.err


def test_a_county_contract_in_the_year_folder_is_refused(cli, config_dir):
    source = config_dir / YUSHU
    target = config_dir / "contracts/2003/220182-榆树市.yaml"
    source.rename(target)
    run = cli("--config", config_dir, "validate")
    assert run.code == 1 and f"{target}: 榆树市的上级是长春市（220100）" in run.err


def test_a_folder_named_for_no_unit_is_refused(cli, config_dir):
    (config_dir / "contracts/2003/220199").mkdir()
    run = cli("--config", config_dir, "validate")
    assert run.code == 1 and "文件夹名“220199”应当是签订下级目标责任书的单位的代码" in run.err


def test_a_county_contract_is_checked_like_any_other(cli, config_dir):
    line = edit(config_dir, YUSHU, "weight: 15, bonus", "weight: 14, bonus")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, YUSHU, line - 1, "各指标权重合计为99分")


# --- the sums of the county targets ---------------------------------------------------------------

def test_the_shipped_county_targets_add_up_to_at_least_the_citys(config, cli, shipped_config_dir):
    sums = target_sums(config, 2003)
    assert {s.parent for s in sums} == {CHANGCHUN, YANBIAN}
    assert {s.indicator for s in sums if s.parent == CHANGCHUN} == {
        "new_insured_persons", "contributions_collected", "arrears_recovered", "subsidy_persons"}
    assert not any(s.short for s in sums) and cascade_warnings(config) == []
    run = cli("--config", shipped_config_dir, "validate")
    assert run.code == 0 and "警告" not in run.out + run.err
    assert "下辖县（市、区） 18 个" in run.out and "（另有县（市、区） 18 份）" in run.out


def test_only_single_measure_indicators_are_summed(config):
    assert [code for code in config.indicators if additive(config, code)] == [
        "new_insured_persons", "contributions_collected", "arrears_recovered", "arrears_outstanding", "subsidy_persons"]


def test_county_targets_short_of_the_citys_are_a_warning_not_an_error(cli, config_dir):
    edit(config_dir, YUSHU, "new_insured_persons:        {target: 3270", "new_insured_persons:        {target: 2270")
    config = loaded(config_dir)  # still loads
    short = [s for s in target_sums(config, 2003) if s.short]
    assert [(s.parent, s.indicator, s.total, s.own) for s in short] == [(CHANGCHUN, "new_insured_persons", 31710, 32000)]
    run = cli("--config", config_dir, "validate")
    assert run.code == 0, run.err
    line = line_of(config_dir, CHANGCHUN_2003, "new_insured_persons:")
    assert (f"{config_dir / CHANGCHUN_2003}:{line}: 警告：2003年长春市下辖10个县（市、区）的新增参保人数目标合计31,710人，"
            "低于长春市的目标32,000人（差290人）") in run.out
    assert "有1处警告" in run.out


def test_a_lower_is_better_target_warns_when_the_counties_sum_above_it(config_dir):
    edit(config_dir, CHANGCHUN_2003, "  subsidy_persons:            {target: 18000, weight: 10",
         "  arrears_outstanding:        {target: 5000, weight: 0}\n  subsidy_persons:            {target: 18000, weight: 10")
    edit(config_dir, YUSHU, "  subsidy_persons:", "  arrears_outstanding:        {target: 5200, weight: 0}\n  subsidy_persons:")
    short = [s for s in target_sums(loaded(config_dir), 2003) if s.short]
    assert [(s.indicator, s.higher) for s in short] == [("arrears_outstanding", False)]
    assert "高于长春市的目标" in cascade_warnings(loaded(config_dir))[0].message


# --- scoring, grading and ranking the counties ----------------------------------------------------

def test_the_counties_are_scored_by_the_same_engine_as_cities(tmp_path, config, demo_db):
    """Changchun's counties ranked below it equal the same counties ranked as if they were the province's 市州."""
    counties = score_year(config, Store(demo_db), 2003, 12, parent=CHANGCHUN)
    assert sorted(c.code for c in counties.cities) == CHANGCHUN_COUNTIES
    assert [c.rank for c in counties.cities] == sorted(c.rank for c in counties.cities)
    flat = copy_config(tmp_path / "flat")
    lines = ["cities:"] + [f'  - {{code: "{c.code}", name: {c.name}}}' for c in config.children_of(CHANGCHUN)]
    (flat / "cities.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for year in (flat / "contracts").iterdir():
        for path in year.glob("*.yaml"):
            path.unlink()
    for path in (flat / "contracts/2003/220100").iterdir():
        path.rename(flat / "contracts/2003" / path.name)
    (flat / "contracts/2003/220100").rmdir()
    shutil.rmtree(flat / "contracts/2003/222400")
    (flat / "assessments/2003.yaml").unlink()
    (flat / "assessments/2002.yaml").unlink(missing_ok=True)
    as_cities = score_year(loaded(flat), Store(demo_db), 2003, 12)
    assert score_dict(counties) == {"parent": CHANGCHUN, **score_dict(as_cities)}
    assert counties.parent == CHANGCHUN and counties.ancestors == (CHANGCHUN,)


def test_yanbians_counties_as_of_june_are_provisional(config, demo_db):
    result = score_year(config, Store(demo_db), 2003, 6, parent=YANBIAN)
    assert result.provisional and [c.code for c in sorted(result.cities, key=lambda c: c.code)] == YANBIAN_COUNTIES
    assert {f.city for f in result.fund} == set(YANBIAN_COUNTIES)


def test_a_city_without_county_contracts_is_said_so(config, demo_db):
    with pytest.raises(ScoringError, match="吉林市2003年没有与下辖县（市、区）签订的目标责任书"):
        score_year(config, Store(demo_db), 2003, 12, parent="220200")
    with pytest.raises(ScoringError, match="未知的单位代码"):
        score_year(config, Store(demo_db), 2003, 12, parent="229999")


def test_the_provincial_ranking_is_unchanged_by_the_counties(tmp_path, config):
    before = loaded(without_counties(copy_config(tmp_path / "before")))
    assert before.counties == () and before.province is None
    plain, full = Store(tmp_path / "plain.duckdb"), Store(tmp_path / "full.duckdb")
    build_demo(plain, before)
    build_demo(full, config)
    for year, month in ((2003, 12), (2003, 6), (2002, 12)):
        assert score_dict(score_year(config, full, year, month)) == score_dict(score_year(before, plain, year, month))
        assert score_year(config, full, year, month).fund == score_year(before, plain, year, month).fund


def test_score_ranks_a_citys_counties_on_the_command_line(cli, shipped_config_dir, demo_db):
    run = cli("--config", shipped_config_dir, "--db", demo_db, "score", "--year", "2003", "--parent", "长春市")
    assert run.code == 0, run.err
    assert run.out.startswith("2003年度长春市下辖县（市、区）失业保险工作目标责任制考评结果（截至12月，年终）")
    assert "县（市、区）" in run.out.splitlines()[2] and all(name in run.out for name in ("榆树市", "德惠市", "农安县"))
    assert "延吉市" not in run.out
    data = json.loads(cli("--config", shipped_config_dir, "--db", demo_db, "score", "--year", "2003", "--parent", YANBIAN,
                          "--format", "json").out)
    assert data["parent"] == YANBIAN and len(data["cities"]) == 8
    assert "parent" not in json.loads(cli("--config", shipped_config_dir, "--db", demo_db, "score", "--year", "2003",
                                          "--format", "json").out)
    wrong = cli("--config", shipped_config_dir, "--db", demo_db, "score", "--year", "2003", "--parent", "长沙市")
    assert wrong.code == 1 and "未知的市州“长沙市”" in wrong.err


# --- who may see them -----------------------------------------------------------------------------

def test_a_city_user_sees_their_own_counties_and_not_another_citys(config, demo_db):
    changchun = Principal("zhang", CITY_VIEW, CHANGCHUN)
    mine = score_year(config, Store(demo_db), 2003, 12, parent=CHANGCHUN)
    assert scope(changchun, mine) is mine  # every county of their own city, ranked
    yanbian = score_year(config, Store(demo_db), 2003, 12, parent=YANBIAN)
    with pytest.raises(AccessDenied, match="这是其他市州下辖县（市、区）的数据"):
        scope(changchun, yanbian)
    assert scope(Principal("li", CITY, YANBIAN), yanbian) is yanbian
    contracts = scope(changchun, config).contracts
    assert {code for _, code in contracts} == {CHANGCHUN, *CHANGCHUN_COUNTIES}  # its own, and those it signed


def test_the_progress_page_ranks_the_own_citys_counties(shipped_config_dir, demo_db, open_app):
    from page_support import everything, goto, table_with

    app = goto(open_app(shipped_config_dir, demo_db, as_=(CITY, CHANGCHUN)), "progress")
    assert not app.exception and not app.error
    shown = table_with(app, "县（市、区）")
    assert sorted(shown["县（市、区）"]) == sorted(c.name for c in loaded(shipped_config_dir).children_of(CHANGCHUN))
    assert "下辖县（市、区）（10个" in everything(app) and "延吉市" not in everything(app)
    assert [s.label for s in app.selectbox if s.label == "查看县（市、区）的指标"]


def test_the_contract_page_shows_the_county_contracts_and_their_shortfall(config_dir, demo_db, open_app):
    from page_support import everything, goto, shown

    edit(config_dir, YUSHU, "new_insured_persons:        {target: 3270", "new_insured_persons:        {target: 2270")
    app = goto(open_app(config_dir, demo_db), "contracts")
    assert not app.exception
    warnings = [shown(w.value) for w in app.warning]
    assert any("警告：2003年长春市下辖10个县（市、区）的新增参保人数目标合计31,710人，低于长春市的目标32,000人" in w
               for w in warnings)
    assert [e.label for e in app.expander] == ["下辖县（市、区）的目标责任书（10份）", "下辖县（市、区）的目标责任书（8份）"]
    assert "榆树市（2003年3月24日签订）" not in everything(app)
    app.toggle(key="_handed_down_220100").set_value(True).run()
    assert "榆树市（2003年3月24日签订）" in everything(app) and "延吉市（2003年3月28日签订）" not in everything(app)


# --- actuals ------------------------------------------------------------------------------------------

def test_county_rows_are_imported_like_city_rows(tmp_path, config):
    source = tmp_path / "县级.csv"
    source.write_text("year,month,city,measure,value\n2003,1,榆树市,new_insured_persons,300\n"
                      "2003,1,220183,new_insured_persons,310\n2003,1,延吉市,实缴失业保险费,12.5\n", encoding="utf-8")
    store = Store(tmp_path / "db.duckdb")
    result = import_file(store, config, source)
    assert result.ok, result.problems
    with duckdb.connect(str(store.path), read_only=True) as con:
        rows = con.execute("SELECT city, measure, value FROM actuals ORDER BY city").fetchall()
    assert rows == [("220182", "new_insured_persons", 300), ("220183", "new_insured_persons", 310),
                    ("222401", "contributions_collected", 12.5)]
    wrong = tmp_path / "错.csv"
    wrong.write_text("year,month,city,measure,value\n2003,1,榆树县,new_insured_persons,300\n", encoding="utf-8")
    refused = import_file(store, config, wrong)
    assert not refused.ok and any("未知的市州“榆树县”，是否指“榆树市”" in str(p) for p in refused.problems)


def test_the_demo_counties_add_up_to_their_city(config, demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        values = {(y, m, c, me): v for y, m, c, me, v in con.execute(
            "SELECT year, month, city, measure, value FROM actuals").fetchall()}
    checked = 0
    for city in (CHANGCHUN, YANBIAN):
        for (year, month, code, measure), value in values.items():
            if code != city:
                continue
            parts = [values[(year, month, c.code, measure)] for c in config.children_of(city)]
            assert sum(parts) == pytest.approx(value, abs=1e-6), (city, year, month, measure)
            checked += 1
    assert checked == 2 * 2 * 12 * sum(m.reported for m in config.measures.values())   # the demo reports what cities do
    for numerator, denominator in (("institution_insured", "institution_staff"),
                                   ("benefits_paid_on_time", "benefits_payable"),
                                   ("transition_enrolled", "transition_eligible")):
        for (year, month, code, measure), value in values.items():
            if measure == numerator and config.level(code) == 2:
                assert value <= values[(year, month, code, denominator)]


def test_counties_survive_the_config_cache(config):
    again = from_plain(to_plain(config), config.directory)
    assert again.counties == config.counties and again.province == config.province and again.cities == config.cities
    assert again.contracts_for(2003, YANBIAN) == config.contracts_for(2003, YANBIAN)


# --- national scale -------------------------------------------------------------------------------------

def test_a_ministrys_run_ranks_provinces_and_below_any_of_them_its_units(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from synthetic import PROVINCES, build

    config, store = build(150, tmp_path, years=[2003], hierarchy=True)
    assert len(config.cities) == PROVINCES and config.province.name == "全国" and len(config.units) == 150
    provinces = score_year(config, store, 2003, 12)
    assert sorted(c.code for c in provinces.cities) == [c.code for c in config.cities]
    province = config.cities[0].code
    cities = score_year(config, store, 2003, 12, parent=province)
    assert {c.code for c in cities.cities} == {c.code for c in config.children_of(province)} != set()
    city = cities.cities[0].code
    counties = score_year(config, store, 2003, 12, parent=city)
    assert {c.code for c in counties.cities} == {c.code for c in config.children_of(city)} != set()
    assert counties.ancestors == (city, province) and config.level(counties.cities[0].code) == 3
    assert scope(Principal("sheng", CITY_VIEW, province), counties) is counties  # below their own, at any depth
    with pytest.raises(AccessDenied):
        scope(Principal("other", CITY_VIEW, config.cities[1].code), counties)
    with duckdb.connect(str(store.path), read_only=True) as con:
        total, parts = con.execute(
            "SELECT sum(value) FILTER (WHERE city = $city), sum(value) FILTER (WHERE list_contains($below, city)) "
            "FROM actuals WHERE measure = 'contributions_collected'",
            {"city": city, "below": [c.code for c in config.children_of(city)]}).fetchone()
    assert parts == pytest.approx(total)
