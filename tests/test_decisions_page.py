"""The 考评决定 page in Streamlit's AppTest: both sources listed, a decision recorded with evidence and withdrawn
through the actions layer (into the records of this test's copy of the example), evidence of another type refused
in Chinese, and the page refused to a 市州 user."""

from __future__ import annotations

import pytest

from decisions_support import imported_example
from page_support import goto, page_text, table_with
from scorecard.records import audit
from scorecard.records.decisions import versions
from scorecard.records.store import Records

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def page(example_dir, cli, monkeypatch, tmp_path, open_app):
    folder, db = imported_example(cli, example_dir, f"sqlite:///{tmp_path / 'unused.sqlite'}", monkeypatch, tmp_path)
    monkeypatch.delenv("SCORECARD_RECORDS_URL")

    def open_(as_="省级"):
        app = open_app(folder / "config", db, {"year": "2003"}, as_=as_)
        return goto(app, "decisions")

    return open_, db


def _add(app, reason, points, files):
    app.text_input[1].set_value(reason)
    app.number_input[0].set_value(points)
    app.file_uploader[0].set_value(files)
    app.button[0].click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_decisions_of_both_sources_are_listed_and_one_is_recorded_and_withdrawn(page):
    open_, db = page
    app = open_()
    shown = table_with(app, "来源")
    assert list(shown["来源"]) == ["来自配置文件", "来自配置文件"]
    app = _add(app, "统计报表迟报", -0.5, [("核查记录.pdf", PDF, "application/pdf")])
    assert "已登记考评决定（编号1，第1版）" in page_text(app)
    records = Records.beside(db)
    [saved] = versions(records, 2003)
    assert (saved.city, saved.points, saved.reason, saved.evidence[0].file_name) == ("220100", -0.5, "统计报表迟报",
                                                                                      "核查记录.pdf")
    shown = table_with(app, "来源")
    assert list(shown["来源"]) == ["来自配置文件", "来自配置文件", "考评记录"]
    app.text_input[2].set_value("误录")
    app.button[1].click().run()
    assert "已撤销考评决定（编号1，第2版）" in page_text(app)
    assert [v.withdrawn for v in versions(records, 2003)] == [False, True]
    assert list(table_with(app, "来源")["状态"]) == ["有效", "有效", "已撤销"]


def test_evidence_of_another_type_is_refused_in_chinese(page):
    open_, db = page
    app = _add(open_(), "统计报表迟报", -1.0, [("通报.pdf", "只是文字".encode(), "application/pdf")])
    assert "未保存：辅证材料“通报.pdf”不是PDF文件" in page_text(app)
    assert versions(Records.beside(db), 2003) == []


def test_a_city_user_is_refused_the_page(page):
    open_, db = page
    app = open_(as_=("市州", "220100"))
    assert "无权访问" in page_text(app)
    assert [b.label for b in app.button] == ["返回本市的页面"] and not app.file_uploader
    [line] = [e for e in audit.entries(Records.beside(db)) if e.action == audit.DENIED]
    assert (line.who.startswith("test"), line.role, line.target) == (True, "市州", "作出考评决定")
