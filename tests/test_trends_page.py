"""市州进度's trends in AppTest: a sparkline and an arrow under every card, equal to the core's; the months of the
indicator chosen (?indicator=, checked like the other values of the URL) with 同比 and 环比."""

from __future__ import annotations

import pytest
from page_support import charts, goto, page_text, shown, tables

from conftest import writable_copy
from scorecard import formatting as fmt
from scorecard.actions.imports import import_file
from scorecard.actions.publish import publish
from scorecard.assessment.scoring import score_year
from scorecard.assessment.trends import city_series
from scorecard.data.store import Store
from scorecard.report.publication import official_result
from scorecard.roles import PROVINCE, Principal
from scorecard.report.trends import change_text, trend_label

QUERY = {"year": "2003", "month": "8", "city": "220800"}  # 白城市: no reports for August


def url_notices(app) -> list[str]:
    return [shown(w.value) for w in app.warning if "网址中" in w.value]


def progress(open_app, config_dir, db, **extra):
    app = open_app(config_dir, db, QUERY | extra)
    return goto(app, "progress")


@pytest.mark.parametrize("city, arrows", [("220100", {"↑改善", "→持平"}), ("220800", {"数据不足"})])
def test_every_card_has_the_sparkline_and_the_arrow_of_the_core(config, demo_db, shipped_config_dir, open_app,
                                                                 city, arrows):
    """长春市 has every month; 白城市 did not report August, so no indicator of it has a trend."""
    app = progress(open_app, shipped_config_dir, demo_db, city=city)
    lines = city_series(config, Store(demo_db), 2003, 8, city)
    cards = [m.value for m in app.html if 'class="sc-card"' in m.value][:len(lines)]  # then its 县（市、区）'s
    for card, line in zip(cards, lines):
        assert line.name in card and 'class="sc-spark"' in card and trend_label(line.trend) in card
    assert {trend_label(line.trend) for line in lines} == arrows
    assert app.selectbox(key="_pick_indicator").value is None and "indicator" not in app.query_params


def test_the_indicator_in_the_url_shows_its_months_with_year_on_year_and_month_on_month(
        config, demo_db, shipped_config_dir, open_app):
    app = progress(open_app, shipped_config_dir, demo_db, indicator="arrears_outstanding")
    assert not app.exception and not url_notices(app)
    assert app.selectbox(key="_pick_indicator").value == "arrears_outstanding"
    assert app.query_params == QUERY | {"indicator": "arrears_outstanding"}
    line = next(s for s in city_series(config, Store(demo_db), 2003, 8, "220800") if s.code == "arrears_outstanding")
    months = next(t for t in tables(app) if "进度差" in t.columns)
    assert list(months["月份"]) == [f"{m}月" for m in range(1, 9)]
    assert list(months["同比"]) == [change_text(p.year_on_year) for p in line.points]
    assert list(months["环比"]) == [change_text(p.month_on_month) for p in line.points]
    assert months["环比"][7] == "本月数据不全"  # August was not reported
    measure = next(t for t in tables(app) if "月末数（万元）" in t.columns)
    assert measure["月末数（万元）"][7] == "缺报" and {"同比", "环比", "上年同月（万元）"} <= set(measure.columns)
    assert "欠费余额：各月实际" in charts(app)[0]["layout"]["title"]["text"]
    assert f"趋势：{trend_label(line.trend)}" in page_text(app)


def test_choosing_an_indicator_puts_it_in_the_url(demo_db, shipped_config_dir, open_app):
    app = progress(open_app, shipped_config_dir, demo_db)
    app.selectbox(key="_pick_indicator").select("collection_rate").run()
    assert not app.exception
    assert app.query_params == QUERY | {"indicator": "collection_rate"}
    assert "同比与上年同月相比、环比与上月相比，都按百分点计算" in page_text(app)
    goto(app, "assessment")  # another page does not carry it
    assert "indicator" not in app.query_params


@pytest.mark.parametrize("raw", ["abc", "fund_balance", "<b>x</b>"])
def test_a_bad_indicator_in_the_url_falls_back_with_a_notice(demo_db, shipped_config_dir, open_app, raw):
    app = progress(open_app, shipped_config_dir, demo_db, indicator=raw)
    assert not app.exception
    assert url_notices(app) == [f"网址中的指标“{raw}”无效或没有数据，已忽略。"]
    assert app.selectbox(key="_pick_indicator").value is None
    assert app.query_params == QUERY
    assert not any("同比" in t.columns for t in tables(app))


def test_the_indicator_may_be_named_in_chinese(demo_db, shipped_config_dir, open_app):
    app = progress(open_app, shipped_config_dir, demo_db, indicator="征缴率")
    assert not url_notices(app) and app.query_params["indicator"] == "collection_rate"


def test_a_published_result_shows_the_months_it_was_published_on(config, demo_db, shipped_config_dir, open_app,
                                                                 own_records, tmp_path):
    """After publication 长春市 reports December again, ten times as high: the page shows the publication, so its
    months end at the published card's figure, not at the figure computed from today's data."""
    db = writable_copy(demo_db, tmp_path)
    own_records(db)
    publish(Store(db), Principal("wang", PROVINCE), config, 2003, 12, reason="年终考评会议审定")
    card = official_result(config, Store(db), 2003, 12).city("220100").indicators[0]
    source = tmp_path / "长春市12月重报.csv"
    source.write_text("year,month,city,measure,value\n2003,12,220100,new_insured_persons,65166\n", encoding="utf-8")
    assert import_file(Store(db), config, source).ok
    now = score_year(config, Store(db), 2003, 12).city("220100").indicators[0]
    assert card.code == "new_insured_persons" and now.actual != pytest.approx(card.actual)

    app = goto(open_app(shipped_config_dir, db, {"year": "2003", "month": "12", "city": "220100",
                                                 "indicator": "new_insured_persons"}), "progress")
    assert not app.exception
    months = next(t for t in tables(app) if "进度差" in t.columns)
    assert list(months["完成率"])[-1] == fmt.percent(card.completion) != fmt.percent(now.completion)
    assert "按发布时的数据" in page_text(app)
