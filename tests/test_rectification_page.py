"""The 整改 page in Streamlit's AppTest on the worked example: a 市州 user sees their own city's findings only and
files a plan; the province sees every plan, returns it with a reason; the city revises it; the province accepts;
the city reports a milestone; a milestone overdue by the injected clock is flagged in the province's list and on
市州进度. Bad input is said in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest

from decisions_support import imported_example
from page_support import goto, page_text, shown, table_with
from scorecard import clock
from scorecard.records.rectification import plans
from scorecard.records.store import Records

CITY = ("市州", "220100")


@pytest.fixture
def page(example_dir, cli, monkeypatch, tmp_path, open_app):
    folder, db = imported_example(cli, example_dir, f"sqlite:///{tmp_path / 'unused.sqlite'}", monkeypatch, tmp_path)
    monkeypatch.delenv("SCORECARD_RECORDS_URL")
    monkeypatch.setenv(clock.ENV, "2004-02-10T09:00")

    def open_(as_="省级", where="rectification", query=None):
        app = open_app(folder / "config", db, {"year": "2003", **(query or {})}, as_=as_)
        return goto(app, where)

    return open_, db


def _submit(app, label):
    next(b for b in app.button if b.label == label).click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _file(app, measures, owner, lines):
    app.text_area[0].set_value(measures)
    app.text_input[0].set_value(owner)
    app.text_area[1].set_value(lines)
    return _submit(app, "报送")


def test_a_city_files_the_province_returns_the_city_revises_and_the_province_accepts(page):
    open_, db = page
    app = open_(CITY)
    findings = table_with(app, "事项")
    assert set(findings["市州"]) == {"长春市"} and len(findings) == 5  # not 辽源's veto
    assert list(findings["整改方案"]) == ["未报送"] * 5
    app = _file(app, "逐户核查", "李明", "2004-02-30 摸底")
    assert "未保存：第1个节点的完成日期应为日期，写成2004-03-31，现在是“2004-02-30”" in page_text(app)
    app = _file(app, "逐户核查未参保单位", "市社保局副局长 李明", "2004-01-31 完成摸底\n2004-06-30 扩面过半")
    assert "已报送整改方案（编号1，第1版，待审核）" in page_text(app)
    assert table_with(app, "事项")["整改方案"][0] == "编号1，待审核"

    app = open_()
    listed = table_with(app, "逾期节点")
    assert list(listed["市州"]) == ["长春市"] and list(listed["逾期节点"]) == [1]  # 2004-01-31 passed by 2004-02-10
    assert "有1个整改节点逾期未完成" in page_text(app)
    app.radio[0].set_value("退回")
    app = _submit(app, "提交审核意见")
    assert "未保存：退回整改方案须写明理由" in page_text(app)
    app.radio[0].set_value("退回")
    app.text_input[0].set_value("节点日期已过，请重排")
    app = _submit(app, "提交审核意见")
    assert "整改方案已退回（编号1，第1版，已退回）" in page_text(app)

    app = open_(CITY)
    assert "节点日期已过，请重排" in "\n".join(e.value for e in app.caption)
    app.text_area[1].set_value("2004-03-31 完成摸底\n2004-06-30 扩面过半")  # the revise form's (the file form's are 0, 1)
    app = _submit(app, "修改后重新报送")
    assert "已重新报送整改方案（编号1，第2版，待审核）" in page_text(app)

    app = open_()
    assert "节点日期已过，请重排" in page_text(app)  # the version record, to the province too
    app = _submit(app, "提交审核意见")
    assert "整改方案已通过（编号1，第2版，已通过）" in page_text(app)
    [plan] = plans(Records.beside(db), 2003)
    assert [(v.version, v.state) for v in plan.versions] == [(1, "已退回"), (2, "已通过")]

    app = open_(CITY)
    app.radio[0].set_value("进行中")
    app = _submit(app, "保存进展")
    assert "已保存节点进展（编号1，第2版，已通过）" in page_text(app)
    assert plans(Records.beside(db), 2003)[0].milestones[0].status == "进行中"


def test_an_overdue_milestone_is_flagged_on_the_citys_progress_page(page, monkeypatch):
    open_, db = page
    app = open_(CITY)
    _file(app, "**逐户核查** [通报](http://example.com)", "李明", "2004-03-31 完成*摸底*")
    app = open_(CITY)
    [measures] = [m.value for m in app.markdown if m.value.startswith("**整改措施**")]
    assert shown(measures) == "**整改措施**：**逐户核查** [通报](http://example.com)"  # shown as typed, escaped:
    assert "\\*\\*逐户核查\\*\\*" in measures and "](http" not in measures  # no bold, no link
    app = open_(CITY, "progress")
    assert "整改节点逾期" not in page_text(app)
    monkeypatch.setenv(clock.ENV, "2004-04-01")
    app = open_(CITY, "progress")
    assert "整改节点逾期：2003年度年终考评不合格的整改方案（编号1）第1个节点“完成*摸底*”应于2004年3月31日完成，现在未开始" \
        in page_text(app)
    app = open_("省级", "progress", {"city": "220400"})
    assert "整改节点逾期" not in page_text(app)  # another city's page


def test_the_plans_of_the_year_before_are_shown_beside_the_next_years_contract(page, example_dir):
    open_, db = page
    app = open_(CITY)
    _file(app, "逐户核查未参保单位", "李明", "2004-03-31 完成摸底")
    contracts = example_dir / "config" / "contracts"
    (contracts / "2004").mkdir()
    for source in (contracts / "2003").iterdir():
        (contracts / "2004" / source.name).write_text(source.read_text(encoding="utf-8").replace("2003", "2004"),
                                                      encoding="utf-8")
    app = open_("省级", "contracts", {"year": "2004"})
    shown = [e.value for e in app.info if "2003年度整改方案" in e.value]
    assert len(shown) == 1 and "编号1" in shown[0] and "年终考评不合格（待审核）" in shown[0] and "1个节点" in shown[0]
    app = open_("省级", "contracts", {"year": "2003"})
    assert not [e.value for e in app.info if "整改方案" in e.value]


def test_a_city_sees_its_own_plans_only_and_the_province_every_plan(page):
    open_, db = page
    _file(open_(("市州", "220400")), "整改挪用资金", "赵刚", "2004-03-31 追回挪用资金")  # 辽源's year-end finding
    _file(open_(CITY), "逐户核查", "李明", "2004-05-31 完成摸底")
    assert list(table_with(open_(CITY), "逾期节点")["市州"]) == ["长春市"]
    assert list(table_with(open_(("市州", "220400")), "逾期节点")["市州"]) == ["辽源市"]
    assert list(table_with(open_(), "逾期节点")["市州"]) == ["辽源市", "长春市"]
