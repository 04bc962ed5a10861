"""The 基金预警 page and the duty to report on the 年终考评 page, in Streamlit's AppTest.

What the page shows is compared with the core (fund_series, must_report, red_episodes, suggestions);
the form writes through the actions layer (scorecard.actions.warnings) into the records of a copy of the demo
database.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from conftest import writable_copy
from page_support import downloads, drawn_charts, metric, shown, tables
from test_pages import charts, goto, page_text, table_with

from scorecard import formatting as fmt
from scorecard.assessment.fund import fund_series, fund_statuses
from scorecard.actions.imports import import_file
from scorecard.actions.publish import publish
from scorecard.assessment.scoring import score_year
from scorecard.report.publication import official_result
from scorecard.roles import PROVINCE, Principal
from scorecard.data.store import Store
from scorecard.assessment.warning_duty import duty_reason, must_report, open_suggestions, red_episodes, suggestions
from scorecard.records import audit
from scorecard.records.store import Records
from scorecard.records.decisions import versions
from scorecard.records.warning_reports import report_versions

LIAOYUAN = "220400"


@pytest.fixture
def writable_db(demo_db, tmp_path):
    return writable_copy(demo_db, tmp_path)


def fund_page(open_app, config_dir, db, month=12, city=LIAOYUAN, as_="省级"):
    app = open_app(config_dir, db, {"year": "2003", "month": str(month), "city": city}, as_=as_)
    return goto(app, "fund")


def duty_table(app):
    """The runs of red months with 报告情况 (fund page: all of the year; assessment page: the flagged ones)."""
    return table_with(app, "低于预警线的月份")


def must_report_table(app):
    return next((t for t in tables(app) if "须报告原因" in t.columns), None)


@pytest.mark.parametrize("month", [8, 9, 10])
def test_a_city_crossing_the_line_must_report_from_the_right_month(config, demo_db, shipped_config_dir, open_app,
                                                                   month):
    app = fund_page(open_app, shipped_config_dir, demo_db, month)
    store = Store(demo_db)
    with store.reader() as con:
        due = must_report(fund_statuses(config, con, store, 2003, month, month))
    shown = must_report_table(app)
    if month == 8:          # 辽源市 is amber and projected to stay above the line for more than 3 months
        assert not due and shown is None
        assert "2003年8月没有市州低于预警线" in page_text(app)
        return
    assert list(shown["市州"]) == [s.name for s in due] == ["辽源市"]
    assert list(shown["须报告原因"]) == [duty_reason(s) for s in due]
    row = shown.iloc[0]
    if month == 9:          # not red yet: projected below the line within three months, report in advance
        assert row["等级"] == "关注" and row["须报告原因"].startswith("预计") and row["报告期限"] == "提前报告"
    else:                   # red since October: deadline 10 November, filed with the province on the 14th
        assert row["等级"] == "预警" and row["报告期限"] == "2003-11-10"
        assert row["报告情况"] == ("报告期限未到" if month == 10 and dt.date.today() <= dt.date(2003, 11, 10)
                                   else "未按规定报告")
    assert metric(app, "须报告") == "1个"


def test_fund_page_flags_the_late_report_and_offers_the_suggestion(config, demo_db, shipped_config_dir, open_app):
    app = fund_page(open_app, shipped_config_dir, demo_db)
    store = Store(demo_db)
    with store.reader() as con:
        episodes = red_episodes(config, con, store, 2003, 12)
    shown = duty_table(app).set_index("市州")
    assert shown.loc["辽源市", "报告情况"] == "未按规定报告" == episodes[0].duty_name
    assert shown.loc["辽源市", "报省备案"] == "2003-11-14"
    [offer] = suggestions(config, 2003, episodes)
    assert [c.value for c in app.code] == [offer.as_yaml()]
    assert "不自动计分" in page_text(app)
    lights = next(m.value for m in app.html if 'class="sc-lights"' in m.value)
    assert lights.count("未按规定报告") == 1 and "须报告" in lights


def test_assessment_page_offers_the_suggestion_without_applying_it(config, demo_db, config_dir, open_app):
    app = open_app(config_dir, demo_db, {"year": "2003"})
    goto(app, "assessment")
    store = Store(demo_db)
    with store.reader() as con:
        [offer] = suggestions(config, 2003, red_episodes(config, con, store, 2003, 12))
    flagged = duty_table(app)
    assert list(flagged["市州"]) == ["辽源市"] and list(flagged["报告情况"]) == ["未按规定报告"]
    assert [c.value for c in app.code] == [offer.as_yaml()]
    assert any("只是建议，尚未计入得分" in w.value for w in app.warning)
    result = score_year(config, store, 2003)
    totals = table_with(app, "指标得分").set_index("市州")
    assert totals.loc["辽源市", "总分"] == fmt.points(result.city(LIAOYUAN).total)        # not applied
    # the assessor adopts it: it is scored, and no longer offered
    path = config_dir / "assessments" / "2003.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["adjustments"].append(yaml.safe_load(offer.as_yaml())[0])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    app.run()
    assert not app.code and "已写入考评配置" in page_text(app)
    totals = table_with(app, "指标得分").set_index("市州")
    assert totals.loc["辽源市", "总分"] == fmt.points(result.city(LIAOYUAN).total + offer.points)


def test_city_trend_crosses_the_year_with_the_projection(config, demo_db, shipped_config_dir, open_app):
    app = fund_page(open_app, shipped_config_dir, demo_db, month=2)
    store = Store(demo_db)
    with store.reader() as con:
        trend = fund_series(config, con, store, 2003, 2, 24, [LIAOYUAN])
    trend = trend[next(k for k, s in enumerate(trend) if s.reported):]
    capacity, flows = charts(app)[1:3]      # after the all-cities bars (the map is drawn as SVG)
    lines = {trace["name"]: trace for trace in capacity["data"]}
    actual = lines["可支付月数"]
    assert actual["x"][0].startswith("2002-") and actual["x"][-1].startswith("2003-02")
    assert actual["y"] == pytest.approx([s.capacity for s in trend])
    now = trend[-1]
    assert lines["未来6个月预测"]["y"][1:] == pytest.approx([c for _, _, c in now.projection])
    assert {shape["y0"] for shape in capacity["layout"]["shapes"]} == {2, 3}
    bars = {trace["name"]: trace for trace in flows["data"]}
    assert bars["基金支出"]["y"] == pytest.approx([s.expenditure for s in trend])
    assert bars["累计结余（右轴）"]["y"] == pytest.approx([s.balance for s in trend])
    assert list(downloads(app)) == ["下载Word预警报告", "下载PDF预警报告"]


def test_city_without_fund_figures_says_so_and_offers_no_letter(small_db, shipped_config_dir, open_app):
    app = fund_page(open_app, shipped_config_dir, small_db, month=4, city="220200")
    assert any("吉林市截至2003年4月的近24个月没有报送基金收入、支出和结余" in i.value for i in app.info)
    assert not downloads(app) and len(charts(app)) == 1 and len(drawn_charts(app)) == 1  # the all-cities bars, the map


def _button(app, label):
    return next(b for b in app.button if b.label == label)


def test_form_records_a_report_and_a_correction(config, writable_db, shipped_config_dir, open_app):
    app = fund_page(open_app, shipped_config_dir, writable_db, as_="数据管理员")
    assert app.selectbox(key="_report_city_new").value == LIAOYUAN
    app.selectbox(key="_report_month_new").set_value(11)
    app.date_input(key="_report_local_new").set_value(dt.date(2003, 12, 1))
    app.date_input(key="_report_province_new").set_value(dt.date(2003, 12, 2))
    app.text_input(key="_report_note_new").set_value("补报11月")
    _button(app, "登记").click().run()
    assert not app.exception and not app.error
    assert any("已登记预警报告（编号2）" in s.value for s in app.success)
    history = table_with(app, "版本")
    assert list(zip(history["编号"], history["版本"], history["状态"])) == [(1, 1, "现行"), (2, 1, "现行")]
    assert history.iloc[1]["报省备案"] == "2003-12-02" and history.iloc[1]["说明"] == "补报11月"

    # the province's filing date of report 1 was mistyped: correct it, the first version stays
    app.selectbox(key="_report_choice").set_value(1).run()
    assert app.date_input(key="_report_province_1").value == dt.date(2003, 11, 14)
    app.date_input(key="_report_province_1").set_value(dt.date(2003, 11, 9))
    _button(app, "保存更正").click().run()
    assert any("已更正预警报告（编号1，第2版）" in s.value for s in app.success)
    history = table_with(app, "版本")
    assert list(zip(history["编号"], history["版本"], history["状态"], history["报省备案"])) == [
        (1, 1, "已更正", "2003-11-14"), (1, 2, "现行", "2003-11-09"), (2, 1, "现行", "2003-12-02")]
    duty = duty_table(app).set_index("市州")
    assert duty.loc["辽源市", "报告情况"] == "按规定报告"
    assert not app.code                                             # nothing left to suggest
    assert [(v.report_id, v.version) for v in report_versions(Records.beside(writable_db))] == [(1, 1), (1, 2), (2, 1)]
    assert [(e.who, e.detail) for e in audit.entries(Records.beside(writable_db), action=audit.WARN_REPORT)][::-1] == [
        ("test-admin", "已登记预警报告（编号2）：辽源市2003年11月。"), ("test-admin", "已更正预警报告（编号1，第2版）。")]


def test_invalid_form_input_is_refused_in_chinese(writable_db, shipped_config_dir, open_app):
    app = fund_page(open_app, shipped_config_dir, writable_db, as_="数据管理员")
    app.selectbox(key="_report_month_new").set_value(10)
    app.date_input(key="_report_local_new").set_value(dt.date(2003, 9, 20))
    _button(app, "登记").click().run()
    assert not app.exception and not app.success
    assert [shown(e.value) for e in app.error] == ["未保存：向属地政府报告日期2003-09-20早于预警月份2003年10月，请核对"]
    assert len(report_versions(Records.beside(writable_db))) == 1     # nothing written
    assert audit.entries(Records.beside(writable_db), action=audit.WARN_REPORT) == []


@pytest.mark.parametrize("role", ["省级", ("市州", LIAOYUAN)])
def test_only_data_administrators_get_the_form(open_app, shipped_config_dir, demo_db, role):
    app = fund_page(open_app, shipped_config_dir, demo_db, as_=role)
    assert not [b for b in app.button if b.label in ("登记", "保存更正")]
    assert "登记或更正预警报告需要省级审核角色（或数据管理员账号）" in "\n".join(c.value for c in app.caption)


def test_a_suggestion_is_recorded_as_a_decision_with_one_click(config, writable_db, config_dir, open_app):
    store = Store(writable_db)
    before = score_year(config, store, 2003).city(LIAOYUAN).total
    app = open_app(config_dir, writable_db, {"year": "2003"})
    goto(app, "assessment")
    with store.reader() as con:
        [offer] = suggestions(config, 2003, red_episodes(config, con, store, 2003, 12))
    [button] = [b for b in app.button if b.label == "记为考评决定"]
    button.click().run()
    assert not app.exception and not app.error
    [saved] = versions(Records.beside(writable_db), 2003)
    assert (saved.city, saved.points, saved.decided_on, saved.author) == (LIAOYUAN, offer.points, offer.date,
                                                                            "test-province")
    assert saved.reason.startswith(offer.reason) and "报告期限：" in saved.reason and "2003年10月" in saved.reason
    totals = table_with(app, "指标得分").set_index("市州")
    assert totals.loc["辽源市", "总分"] == fmt.points(before + offer.points)
    assert not [b for b in app.button if b.label == "记为考评决定"] and not app.code
    assert f"已记为考评决定（第{saved.decision_id}号）" in page_text(app)
    with store.reader() as con:
        assert open_suggestions(config, 2003, red_episodes(config, con, store, 2003, 12), store) == []
    fund = fund_page(open_app, config_dir, writable_db)                # and on the 基金预警 page
    assert not [b for b in fund.button if b.label == "记为考评决定"] and "已记为考评决定（第1号）" in page_text(fund)


def test_a_city_user_sees_no_button(config_dir, writable_db, open_app):
    app = fund_page(open_app, config_dir, writable_db, as_=("市州", LIAOYUAN))
    assert not app.exception
    assert "未按规定报告" in page_text(app) and not [b for b in app.button if b.label == "记为考评决定"]


def test_a_published_result_shows_the_capacity_it_was_published_with(config, writable_db, shipped_config_dir,
                                                                    open_app, own_records, tmp_path):
    """辽源市 reports its December balance again after publication, a tenth as high: the page shows the publication,
    so the city's capacity chart ends at the published capacity, not at today's."""
    own_records(writable_db)
    publish(Store(writable_db), Principal("wang", PROVINCE), config, 2003, 12, reason="年终考评会议审定")
    published = next(f for f in official_result(config, Store(writable_db), 2003, 12).fund if f.city == LIAOYUAN)
    source = tmp_path / "辽源市12月重报.csv"
    source.write_text(f"year,month,city,measure,value\n2003,12,{LIAOYUAN},fund_balance,{published.balance / 10}\n",
                      encoding="utf-8")
    assert import_file(Store(writable_db), config, source).ok
    now = next(f for f in score_year(config, Store(writable_db), 2003, 12).fund if f.city == LIAOYUAN)
    assert now.capacity != pytest.approx(published.capacity)
    app = fund_page(open_app, shipped_config_dir, writable_db)
    assert not app.exception
    capacity = next(c for c in charts(app) if any(t.get("name") == "可支付月数" for t in c["data"]))
    actual = next(t for t in capacity["data"] if t["name"] == "可支付月数")
    assert actual["y"][-1] == pytest.approx(published.capacity)
