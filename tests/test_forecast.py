"""The forecast of the notice's point 6 on a case a caseworker can read (tests/microdata/forecast/: 四平市, six months
after June 2003, every figure worked out by hand in 期望.yaml), through the installed `scorecard forecast`; the
assumptions set in records.yaml or on the command line; bad input said in Chinese; the section of the 基金预警 page."""

from __future__ import annotations

import json

import pytest
import yaml
from conftest import copy_config, writable_copy
from page_support import charts, goto, page_text, shown, table_with

from scorecard.assessment.forecast import cohort_recipients, fund_ahead
from scorecard.assessment.fund import assess
from scorecard.config import load_config
from tests.cli_support import scorecard
from tests.microdata_support import CASES, expected, place

SIPING = "220300"
CASE = CASES / "forecast"
PERSON_FILES = (CASE / "申领.csv", CASE / "出中心.csv")


def with_forecast(config_dir, **forecast):
    """records.yaml of the config folder with its forecast settings replaced."""
    path = config_dir / "records.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings["forecast"] = forecast
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return config_dir


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    root = tmp_path_factory.mktemp("forecast")
    where = place(root)
    config_dir = with_forecast(copy_config(root / "config"), months=6)
    done = scorecard("--config", config_dir, "--db", where.db, "import", CASE / "基金.csv")
    assert done.returncode == 0, done.stderr
    done = where.import_(*PERSON_FILES)
    assert done.returncode == 0, done.stderr
    return where, config_dir


def run(case, *args, config_dir=None):
    where, shipped_case = case
    return scorecard("--config", config_dir or shipped_case, "--db", where.db, "forecast", "--year", 2003,
                     "--month", 6, *args)


def siping(case, *args, config_dir=None) -> dict:
    done = run(case, "--format", "json", *args, config_dir=config_dir)
    assert done.returncode == 0, done.stderr
    return next(c for c in json.loads(done.stdout)["cities"] if c["city"] == SIPING)


def column(city: dict, key: str) -> list:
    return [m[key] for m in city["months"]]


def test_the_case_worked_by_hand(case):
    want = expected("forecast")
    city = siping(case)
    assert {k: city["assumptions"][k]["value"] for k in want["assumptions"]} == pytest.approx(want["assumptions"])
    assert city["recipients_now"] == want["recipients_now"]
    assert city["expenditure_now"] == pytest.approx(want["expenditure_now"])
    assert [(m["year"], m["month"]) for m in city["months"]] == [(2003, m) for m in range(7, 13)]
    for key, values in want["forecast"].items():
        assert column(city, key) == pytest.approx(values, abs=1e-6), key
    assert city["months_to_threshold"] == want["months_to_threshold"]
    assert city["capacity_now"] == pytest.approx(4.25)


def test_each_assumption_says_where_it_came_from(case):
    sources = {k: a["source"] for k, a in siping(case)["assumptions"].items()}
    assert sources["monthly_benefit"] == "由2003年1—6月申领记录估计（6条）"
    assert sources["duration_months"] == "由2003年1—6月申领记录估计（6条）"
    assert sources["take_up"] == "由2003年1月1日至2003年5月31日协议期满的出中心人员估计（4人中2人30天内纳入）"


def test_assumptions_set_in_records_yaml_and_on_the_command_line(case, tmp_path):
    set_in_yaml = with_forecast(copy_config(tmp_path / "config"), months=12, take_up=1, duration_months=2.5)
    city = siping(case, config_dir=set_in_yaml)
    assert city["assumptions"]["take_up"] == {"value": 1.0, "source": "records.yaml 设定"}
    assert city["assumptions"]["duration_months"] == {"value": 2.5, "source": "records.yaml 设定"}
    assert city["assumptions"]["monthly_benefit"]["source"].startswith("由2003年1—6月申领记录估计")
    assert len(city["months"]) == 12 and column(city, "leavers")[6] == 1      # 2004年1月 is within 12 months
    assert column(city, "new_claimants")[:6] == expected("forecast")["take_up_1"]["new_claimants"]

    given = siping(case, "--take-up", 1, "--months", 6)
    assert given["assumptions"]["take_up"] == {"value": 1.0, "source": "本次设定"}
    for key, values in expected("forecast")["take_up_1"].items():
        assert column(given, key) == pytest.approx(values), key


def test_a_cohort_draws_its_average_months_the_last_in_part():
    assert cohort_recipients([1, 0, 1, 0, 0, 1], 2.5) == pytest.approx(expected("forecast")["duration_2_5"]["joined"])
    assert cohort_recipients([3, 3], 0.5) == pytest.approx([1.5, 1.5])


def test_with_no_change_foreseen_the_capacity_is_the_forward_look():
    rules = load_config("config")[0].rules_for(2003).warning
    # income 80, expenditure 100 for twelve months, balance 290: the forward look of tests/test_fund.py
    status = assess(SIPING, "四平市", 2003 * 12 + 11, (80.0, 100.0, 290.0, 100.0, 12, -20.0), rules)
    assert [c for _, c in fund_ahead(status, [0.0] * 6)] == pytest.approx([c for _, _, c in status.projection])
    assert fund_ahead(status, [10.0, 10.0])[1] == pytest.approx((290 - 40 - 20, 230 / 110))


def test_the_table_in_chinese(case):
    done = run(case)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("2003年6月末起的预测（通知第六条")
    intro = next(line for line in lines if line.startswith("四平市："))
    assert "6月末领取6人" in intro and "领取率50.0%" in intro and "平均月失业保险金250.00元" in intro
    assert "预计6个月后低于预警线" in intro
    september = next(line for line in lines if line.startswith("四平市") and "2003年9月" in line).split()
    assert september[2:] == ["2", "1", "6", "0.16万元", "0.55万元", "2.66个月", "2.75个月"]
    changchun = next(line for line in lines if line.startswith("长春市："))
    assert "没有申领记录" in changchun and "无法预测" in changchun      # no records of 长春市 in the case
    assert not any(c.isascii() and c.isalpha() for c in done.stdout.replace("records.yaml", "").replace("forecast", ""))


@pytest.mark.parametrize("args, said", [
    (("--month", 13), "月份应为1至12的整数"),
    (("--city", "火星市"), "未知的市州“火星市”"),
    (("--take-up", 1.5), "领取率应为数，不小于0、不大于1，现在是“1.5”"),
    (("--take-up", "六成"), "应为0至1之间的小数"),
    (("--months", 3), "预测月数应为整数，不小于6、不大于12，现在是“3”"),
])
def test_bad_input_is_said_in_chinese(case, args, said):
    done = run(case, *args)
    assert done.returncode in (1, 2) and said in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not done.stdout


def test_a_wrong_assumption_in_records_yaml_is_said_with_its_line(case, tmp_path):
    config_dir = copy_config(tmp_path / "config")
    (config_dir / "records.yaml").write_text("transition_enrol_days: 30\nforecast:\n  months: 12\n  take_up: 1.5\n",
                                             encoding="utf-8")
    done = run(case, config_dir=config_dir)
    assert done.returncode == 1 and "records.yaml:4: 预测设置的“take_up”不能大于1，现在是1.5" in done.stderr
    assert "Traceback" not in done.stderr


def test_one_city_only(case):
    done = run(case, "--city", "四平", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert [c["city"] for c in json.loads(done.stdout)["cities"]] == [SIPING]


def test_no_person_records_is_said_how_to_import(tmp_path):
    where = place(tmp_path)
    done = scorecard("--db", where.db, "import", CASE / "基金.csv")
    assert done.returncode == 0, done.stderr
    done = scorecard("--db", where.db, "forecast", "--year", 2003, "--month", 6)
    assert done.returncode == 1 and "请先导入个人记录（scorecard records import" in done.stderr
    assert "Traceback" not in done.stderr


# --- the 基金预警 page --------------------------------------------------------------------------------------------

@pytest.fixture
def demo_with_records(demo_db, tmp_path):
    where = place(tmp_path)
    where.db.parent.mkdir(parents=True, exist_ok=True)
    writable_copy(demo_db, where.db.parent)
    where.imported(*PERSON_FILES)
    return where.db


def forecast_row(app):
    table = table_with(app, "新增申领（合计）")
    return table.set_index("市州").loc["四平市"]


def capacity_chart(app) -> dict:
    return next(c for c in charts(app) if "可支付月数预测" in c["layout"]["title"]["text"])


def test_the_page_section_recomputes_when_an_assumption_changes(open_app, shipped_config_dir, demo_with_records):
    app = open_app(shipped_config_dir, demo_with_records, {"year": "2003", "month": "6", "city": SIPING})
    goto(app, "fund")
    assert "预测（通知第六条）" in page_text(app)
    assumptions = table_with(app, "领取率依据").set_index("市州").loc["四平市"]
    assert assumptions["领取率"] == "60.0%" and assumptions["领取率依据"] == "records.yaml 设定"
    assert assumptions["平均月失业保险金"] == "250.00元"
    before = forecast_row(app)
    assert before["新增申领（合计）"] == "4人"          # 7 persons due in the 12 months × 0.6 = 4.2
    chart_before = capacity_chart(app)["data"][0]["y"]

    app.number_input(key="_forecast_take_up").set_value(1.0).run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error
    assert forecast_row(app)["新增申领（合计）"] == "7人"
    assert table_with(app, "领取率依据").set_index("市州").loc["四平市", "领取率依据"] == "本次设定"
    assert capacity_chart(app)["data"][0]["y"] != chart_before
    assert "预警线2个月" in json.dumps(capacity_chart(app), ensure_ascii=False)

    app.number_input(key="_forecast_months").set_value(6).run()
    assert not app.exception and forecast_row(app)["新增申领（合计）"] == "6人"      # 2004年1月's leaver is out
    assert "6个月后领取人数" in table_with(app, "新增申领（合计）").columns

    app.number_input(key="_forecast_monthly_benefit").set_value(0.0).run()
    assert not app.exception
    assert [shown(e.value) for e in app.error] == ["无法预测：平均月失业保险金应为数，大于0，现在是“0.0”"]


def test_the_page_without_person_records_says_how_to_import(open_app, shipped_config_dir, demo_db, tmp_path):
    app = open_app(shipped_config_dir, writable_copy(demo_db, tmp_path), {"year": "2003", "month": "6"})
    goto(app, "fund")
    assert not app.exception
    assert "还没有导入个人记录，无法预测" in page_text(app)
    assert "scorecard records import" in page_text(app)


def test_a_city_user_sees_their_own_city_only(open_app, shipped_config_dir, demo_with_records):
    app = open_app(shipped_config_dir, demo_with_records, {"year": "2003", "month": "6"}, as_=("市州", SIPING))
    goto(app, "fund")
    assert list(table_with(app, "新增申领（合计）")["市州"]) == ["四平市"]
    assert list(table_with(app, "领取率依据")["市州"]) == ["四平市"]
