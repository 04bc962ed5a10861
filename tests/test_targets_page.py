"""The 目标制定 page in Streamlit's AppTest on the demo: the proposal as an editable table, the province-wide sums
against the province's target, the change from this year with the falling targets, the 整改 plan beside a city's
draft; an assessor saves (files and an audit line), a user without the permission sees no save button."""

from __future__ import annotations

import pytest

from conftest import writable_copy
from page_support import goto, page_text, table_with
from scorecard.actions.rectification import file_plan
from scorecard.assessment.rectification import findings
from scorecard.config import load_config
from scorecard.data.store import Store
from scorecard.records import audit
from scorecard.roles import ADMIN, CITY, PROVINCE_VIEW, Principal


@pytest.fixture
def page(demo_db, config_dir, tmp_path, open_app, own_records):
    db = writable_copy(demo_db, tmp_path)
    records = own_records(db)  # the records the app writes to (and a plan is filed in)

    def open_(as_=ADMIN):
        return goto(open_app(config_dir, db, {"year": "2003"}, as_=as_), "targets")

    return open_, db, config_dir, records


def _save_button(app):
    return [b for b in app.button if b.label.startswith("保存") and "目标责任书" in b.label]


def test_the_page_shows_the_proposal_the_sums_and_the_changes(page):
    open_, *_ = page
    app = open_()
    (editor,) = app.dataframe  # st.data_editor, as AppTest has it
    rows = editor.value
    assert list(rows.columns) == ["市州", "指标", "2004年目标", "单位", "建议", "2003年目标", "2003年实际"]
    changchun = rows[(rows["市州"] == "长春市") & (rows["指标"] == "征缴率")].iloc[0]
    assert changchun["2003年目标"] == pytest.approx(93.0) and changchun["2004年目标"] == changchun["建议"]
    text = page_text(app)
    assert "2004年度建议目标（可直接修改）" in text
    sums = table_with(app, "对照全省目标")
    insured = sums[sums["指标"] == "新增参保人数"].iloc[0]
    assert insured["全省目标"] == "115,000人" and insured["对照全省目标"].startswith(("超出", "不足"))
    assert "征缴率" not in set(sums["指标"])
    changes = table_with(app, "新增参保人数")
    assert list(changes["市州"])[:2] == ["长春市", "吉林市"]
    assert "目标下降的市州（表中红色）：吉林市（欠费余额）" in text
    assert "2004年全省目标115,000人 × 2003年实际占全省的比例" in text


def test_the_rectification_plan_of_a_city_is_shown_beside_its_draft(page):
    open_, db, config_dir, records = page
    config, _ = load_config(config_dir)
    store = Store(db)
    finding = next(f for f in findings(config, store, 2003) if f.city == "220600")  # 白山市: vetoed in the demo
    file_plan(store, Principal("test-city", CITY, "220600"), config, 2003, "220600", finding.key,
              measures="逐户核查未参保单位", owner="李明", milestones=[("2004-03-31", "完成摸底")])
    app = open_()
    assert any(e.label == "白山市（整改方案1份）" for e in app.expander)
    assert any(e.label == "长春市" for e in app.expander)
    assert "逐户核查未参保单位；责任人李明" in page_text(app)


def test_an_assessor_edits_and_saves_next_years_contracts_with_an_audit_line(page):
    open_, db, config_dir, records = page
    app = open_()
    assert len(app.dataframe) == 1
    (button,) = _save_button(app)
    button.click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "已保存9份2004年目标责任书到" in page_text(app)
    assert any("2004年度目标（草案）与2003年度目标责任书的对比" in c.value for c in app.code)
    loaded, problems = load_config(config_dir)
    assert not problems and len(loaded.contracts_for(2004)) == 9
    last = audit.entries(records, limit=1)[0]
    assert (last.action, last.outcome, last.target) == ("目标制定", "成功", "2004年目标责任书")

    app = open_()  # a second save must be confirmed
    assert any(c.label.startswith("覆盖已有的2004年目标责任书（长春市、") for c in app.checkbox)
    _save_button(app)[0].click().run()
    assert "未保存：2004年已有长春市" in page_text(app)


def test_a_user_without_the_permission_sees_no_save_button(page):
    open_, _, config_dir, _ = page
    app = open_((PROVINCE_VIEW, None))
    assert table_with(app, "对照全省目标") is not None
    assert _save_button(app) == []
    assert "只有考评人员（作出考评决定的权限）可以保存。" in page_text(app)
    assert not (config_dir / "contracts" / "2004").exists()


def test_a_city_user_cannot_open_the_page(page):
    open_, *_ = page
    app = open_(("市州", "220100"))
    assert "无权访问" in page_text(app)
    assert not app.dataframe
