"""A sentence computed from a user's scoped data speaks of that user's own city, never of all cities.

On the demo data 辽源市 (220400) falls below the warning line in October 2003 and reports late. A 市州 user of
长春市 sees only 长春市's data: "没有市州…" would be false for the province, so their pages say 长春市没有…; the
省级 user's sentences are about every city, and true."""

from __future__ import annotations

import pytest
from page_support import goto, page_text

from scorecard.roles import CITY, PROVINCE

CHANGCHUN = (CITY, "220100")
NO_CITY = "没有市州"


def sentences(app) -> str:
    return page_text(app)


@pytest.mark.parametrize("page, month", [("assessment", 12), ("fund", 12), ("fund", 9), ("data", 12),
                                         ("progress", 12), ("ranking", 12), ("contracts", 12),
                                         ("assessment", 6), ("fund", 6)])
def test_a_city_user_never_reads_a_sentence_about_all_cities(demo_db, shipped_config_dir, open_app, page, month):
    app = goto(open_app(shipped_config_dir, demo_db, {"year": "2003", "month": str(month)}, as_=CHANGCHUN), page)
    assert NO_CITY not in sentences(app), page


def test_the_city_users_sentences_name_their_own_city(demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db, {"year": "2003", "month": "12"}, as_=CHANGCHUN)
    assert "2003年截至12月，长春市没有被认定为基金预警未按规定报告。" in sentences(goto(app, "assessment"))
    fund = sentences(goto(app, "fund"))
    assert "2003年12月长春市没有低于预警线，也没有预计3个月内低于预警线。" in fund
    assert "2003年1—12月长春市没有出现基金可支付月数低于预警线的情况。" in fund


def test_the_province_users_sentences_are_about_every_city_and_true(demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db, {"year": "2003", "month": "9"}, as_=PROVINCE)
    assert "2003年截至9月，没有市州被认定为基金预警未按规定报告。" in sentences(goto(app, "assessment"))
    fund = sentences(goto(app, "fund"))
    assert "2003年1—9月没有市州出现基金可支付月数低于预警线的情况。" in fund
    app = open_app(shipped_config_dir, demo_db, {"year": "2003", "month": "12"}, as_=PROVINCE)
    assessment = sentences(goto(app, "assessment"))
    assert NO_CITY not in assessment            # 辽源市 did not report in time: the table lists it
    assert NO_CITY not in sentences(goto(app, "fund"))


def test_national_completeness_speaks_of_the_units_it_counts(demo_db, shipped_config_dir, open_app, monkeypatch):
    """A roll-up too large to draw one by one: the sentence counts the units in the data the user may see."""
    from dashboard import widgets

    monkeypatch.setattr(widgets, "DETAIL_MAX", 0)
    app = goto(open_app(shipped_config_dir, demo_db, {"year": "2003"}, as_=CHANGCHUN), "data")
    text = sentences(app)
    assert "9个单位" not in text and "其余8个单位" not in text, text


def test_the_fund_figures_of_a_city_user_are_their_own(demo_db, shipped_config_dir, open_app):
    """Counts of one city (预警 0个) would read as the province's: a 市州 user sees their city's figures."""
    app = goto(open_app(shipped_config_dir, demo_db, {"year": "2003", "month": "12"}, as_=CHANGCHUN), "fund")
    labels = {m.label: m.value for m in app.metric}
    assert "预警" not in labels and labels["须报告"] == "否" and "长春市可支付月数" in labels
    liaoyuan = goto(open_app(shipped_config_dir, demo_db, {"year": "2003", "month": "12"}, as_=(CITY, "220400")),
                    "fund")
    labels = {m.label: m.value for m in liaoyuan.metric}
    assert labels["等级"] == "预警" and labels["须报告"] == "是"
    text = sentences(liaoyuan)
    assert NO_CITY not in text and "辽源市没有" not in text     # 辽源市 was below the line: nothing denies it
    assert "辽源市没有" not in sentences(goto(liaoyuan, "assessment"))
