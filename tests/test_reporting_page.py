"""The 在线填报 page in AppTest: a 市州 user gets their own city's form (unit, 口径, last month, last year) and grid
only; the province gets every city's grid, 及时率 and the 催报 list; a draft is saved through the actions layer."""

from __future__ import annotations

from conftest import writable_copy
from page_support import goto, page_text
from scorecard.records.reporting import versions
from scorecard.records.store import Records


def test_a_city_user_sees_its_own_form_and_grid_and_saves_a_draft(open_app, shipped_config_dir, demo_db, tmp_path):
    db = writable_copy(demo_db, tmp_path)
    app = goto(open_app(shipped_config_dir, db, {"year": "2003"}, as_=("市州", "220100")), "reporting")
    text = page_text(app)
    assert "长春市2003年12月数据填报" in text and "口径：月末在册参保职工人数" in text and "上年同月：" in text
    assert "吉林市" not in text and "催报" not in text and "审核报送" not in text
    field = next(t for t in app.text_input if t.label == "领取失业保险金人数（人）")
    field.set_value("70000")
    next(b for b in app.button if b.label == "保存草稿").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "已保存草稿" in page_text(app)
    saved = versions(Records.beside(db), 2003, "220100")
    assert [(v.state, v.figures) for v in saved] == [("草稿", {"recipients": 70000.0})]


def test_the_province_sees_every_city_and_the_reminders(open_app, shipped_config_dir, demo_db, tmp_path):
    db = writable_copy(demo_db, tmp_path)
    app = goto(open_app(shipped_config_dir, db, {"year": "2003"}), "reporting")
    text = page_text(app)
    assert all(name in text for name in ("长春市", "吉林市", "延边朝鲜族自治州"))
    assert "报表及时率" in text and "催报" in text and "没有待审核的报送" in text
    assert "数据填报" not in text
