"""The 数据管理 page's upload: check without writing, preview, confirm, and the history it leaves."""

from __future__ import annotations

import duckdb
from conftest import writable_copy
from page_support import downloads, table_with, tables

from scorecard.actions.demo import CORRECTION_FILE

ADMIN = "数据管理员"
GOOD = "year,month,city,measure,value\n2003,1,长春市,fund_income,1200.5\n2003,1,220100,fund_balance,9000\n"
BAD = "year,month,city,measure,value\n2003,13,长春市,fund_income,1\n2003,1,长沙市,fund_income,abc\n"


def goto_data(app):
    app.switch_page("pages/data.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def upload(app, name: str, text: str):
    app.file_uploader[0].set_value((name, text.encode("utf-8"), "text/csv")).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def actuals(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT year, month, city, measure, value FROM actuals ORDER BY ALL").fetchall()
    finally:
        con.close()


def texts(app, kind: str) -> str:
    return "\n".join(e.value for e in getattr(app, kind))


def confirm_button(app):
    return next((b for b in app.button if b.label.startswith("确认导入")), None)


def test_an_empty_database_offers_the_upload(empty_db, shipped_config_dir, tmp_path, open_app):
    db = writable_copy(empty_db, tmp_path)
    app = goto_data(open_app(shipped_config_dir, db, as_=ADMIN))
    assert len(app.file_uploader) == 1 and "还没有任何月度数据" in texts(app, "info")
    upload(app, "一月.csv", GOOD)
    assert "共2条数据，导入后新增2条，替换0条，未变0条" in texts(app, "info")
    preview = app.dataframe[0].value
    assert list(preview["市州"]) == ["长春市", "长春市"] and list(preview["变化"]) == ["新增", "新增"]
    assert actuals(db) == []  # nothing is written before confirmation
    confirm_button(app).click().run()
    assert not app.exception
    assert "已导入（第1次导入，CSV 长格式），新增2条" in texts(app, "success")
    assert actuals(db) == [(2003, 1, "220100", "fund_balance", 9000.0), (2003, 1, "220100", "fund_income", 1200.5)]
    assert list(table_with(app, "导入编号")["文件"]) == ["一月.csv"]


def test_a_bad_file_lists_every_problem_and_changes_nothing(demo_db, shipped_config_dir, tmp_path, open_app):
    db = writable_copy(demo_db, tmp_path)
    before = actuals(db)
    app = upload(goto_data(open_app(shipped_config_dir, db, as_=ADMIN)), "错误.csv", BAD)
    assert "发现3处问题" in texts(app, "error")
    problems = tables(app)[0]
    assert list(problems["行"]) == [2, 3, 3]
    assert any("是否指“长春市”" in m for m in problems["问题"])
    assert confirm_button(app) is None
    assert actuals(db) == before


def test_a_file_identical_to_the_database_needs_no_import(small_db, shipped_config_dir, tmp_path, open_app):
    db = writable_copy(small_db, tmp_path)
    app = goto_data(open_app(shipped_config_dir, db, as_=ADMIN))
    upload(app, "一月.csv", GOOD)
    confirm_button(app).click().run()
    upload(app, "一月-再次.csv", GOOD)
    assert "完全相同，无需导入" in texts(app, "success") and confirm_button(app) is None


def test_replacing_values_shows_old_and_new_and_keeps_the_revision(demo_db, shipped_config_dir, tmp_path, open_app):
    db = writable_copy(demo_db, tmp_path)
    app = goto_data(open_app(shipped_config_dir, db, as_=ADMIN))
    revisions = table_with(app, "原值来源")
    assert len(revisions) == 3 and all(CORRECTION_FILE in s for s in revisions["修订"])
    upload(app, "更正.csv", "year,month,city,measure,value\n2003,1,220100,fund_income,1\n")
    preview = app.dataframe[0].value
    assert list(preview["变化"]) == ["替换"] and preview["原值"][0] != 1
    confirm_button(app).click().run()
    revisions = table_with(app, "原值来源")
    assert len(revisions) == 4 and "更正.csv" in revisions["修订"].iloc[0]


def test_the_template_can_be_downloaded(demo_db, shipped_config_dir, open_app):
    app = goto_data(open_app(shipped_config_dir, demo_db))
    assert downloads(app)["下载月报表"].href


def test_only_data_administrators_may_upload(demo_db, shipped_config_dir, open_app):
    for role in ("省级", ("市州", "220100")):
        app = goto_data(open_app(shipped_config_dir, demo_db, as_=role))
        assert len(app.file_uploader) == 0
        assert "导入数据需要省级审核角色（或数据管理员账号）" in texts(app, "caption")


def test_a_city_user_gets_the_template_of_its_own_city_only(demo_db, shipped_config_dir, open_app):
    app = goto_data(open_app(shipped_config_dir, demo_db, as_=("市州", "220100")))
    assert app.multiselect[0].options == ["长春市"]
    assert "导入记录" not in texts(app, "subheader")
    revisions = table_with(app, "原值来源")
    assert set(revisions["市州"]) == {"长春市"}


def test_the_preview_shows_figures_in_their_units_without_blank_rows(demo_db, shipped_config_dir, tmp_path, open_app):
    """Head counts as whole persons (3,100人, not 3100.00), money in 万元, the figure now in the database beside it,
    in a grid as tall as its rows (tests/test_browser_phone.py measures it)."""
    db = writable_copy(demo_db, tmp_path)
    rows = "year,month,city,measure,value\n2003,1,长春市,new_insured_persons,3100\n2003,1,长春市,fund_income,1200.5\n"
    app = upload(goto_data(open_app(shipped_config_dir, db, as_=ADMIN)), "更正.csv", rows)
    (grid,) = app.dataframe
    preview = grid.value
    with duckdb.connect(str(db), read_only=True) as con:
        before = dict(con.execute("SELECT measure, value FROM actuals WHERE year = 2003 AND month = 1 AND city = '220100' "
                                  "AND measure IN ('new_insured_persons', 'fund_income')").fetchall())
    assert list(preview["数值"]) == ["3,100人", "1,200.50万元"]
    assert list(preview["原值"]) == [f"{before['new_insured_persons']:,.0f}人", f"{before['fund_income']:,.2f}万元"]
