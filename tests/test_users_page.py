"""The 用户管理 page in Streamlit's AppTest: a 系统管理 adds an account with two roles and a city (its one-time
password shown once, and good for signing in), disables, enables, unlocks it after five wrong passwords, resets
its password and gives it other roles — each change in the audit log; a user without MANAGE_USERS is refused
the page by its address, with an audit line."""

from __future__ import annotations

import pytest

from page_support import goto, page_text, table_with
from scorecard.records import audit, signin
from scorecard.records.store import Records
from scorecard.roles import CITY_REPORT, CITY_VIEW, PROVINCE_VIEW, SYSTEM_ADMIN

CHANGCHUN = "220100"


@pytest.fixture
def page(open_app, shipped_config_dir, demo_db):
    def open_(as_=(SYSTEM_ADMIN, None)):
        return goto(open_app(shipped_config_dir, demo_db, as_=as_), "users")

    return open_, lambda: Records.beside(demo_db)


def _widget(widgets, label):
    return next(w for w in widgets if w.label == label)


def _click(app, label):
    _widget(app.button, label).click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _row(app, name):
    shown = table_with(app, "用户名")
    return shown[shown["用户名"] == name].iloc[0]


def _shown_password(app):
    codes = [c.value for c in app.code]
    return codes[0] if codes else None


def _sign_in(records, password):
    return signin.authenticate(records, "wang.wu", password, demo_database=True)


def test_an_account_is_added_with_two_roles_and_a_city_and_its_one_time_password_shown_once(page):
    open_, records = page
    app = open_()
    _widget(app.text_input, "用户名").set_value("Wang.Wu")
    _widget(app.multiselect, "角色（可选多个）").set_value([CITY_REPORT, CITY_VIEW])
    _widget(app.selectbox, "所属市州（仅市州角色）").set_value(CHANGCHUN)
    app = _click(app, "新增账号")
    assert "已新增账号 wang.wu" in page_text(app) and "一次性密码（只显示这一次" in page_text(app)
    password = _shown_password(app)
    row = _row(app, "wang.wu")
    assert (row["角色"], row["市州"], row["状态"]) == ("市州填报、市州查看", "长春市", "正常")
    signed = _sign_in(records(), password).principal
    assert (signed.roles, signed.city) == ({CITY_REPORT, CITY_VIEW}, CHANGCHUN)
    app.run()
    assert _shown_password(app) is None and "一次性密码" not in page_text(app)  # once
    [line] = [e for e in audit.entries(records()) if e.target == "wang.wu" and e.action == audit.ACCOUNT]
    assert (line.who, line.role, line.detail) == ("test-系统管理", SYSTEM_ADMIN, "新增账号（市州填报、市州查看·220100）")


def test_a_bad_account_is_refused_in_chinese(page):
    open_, records = page
    app = open_()
    _widget(app.text_input, "用户名").set_value("zhao")
    _widget(app.multiselect, "角色（可选多个）").set_value([CITY_REPORT, PROVINCE_VIEW])
    _widget(app.selectbox, "所属市州（仅市州角色）").set_value(CHANGCHUN)
    app = _click(app, "新增账号")
    assert "未保存：市州角色（市州填报）只能看本市，不能与省级角色（省级查看）由同一账号兼任" in page_text(app)
    assert "zhao" not in list(table_with(app, "用户名")["用户名"])


def test_disable_enable_unlock_reset_and_roles(page):
    open_, records = page
    app = open_()
    _widget(app.text_input, "用户名").set_value("wang.wu")
    _widget(app.multiselect, "角色（可选多个）").set_value([PROVINCE_VIEW])
    app = _click(app, "新增账号")
    first = _shown_password(app)
    _widget(app.selectbox, "选择账号").set_value("wang.wu").run()

    app = _click(app, "停用")
    assert _row(app, "wang.wu")["状态"] == "停用" and _sign_in(records(), first).principal is None
    app = _click(app, "启用")
    assert _row(app, "wang.wu")["状态"] == "正常" and _sign_in(records(), first).principal is not None

    for _ in range(signin.MAX_FAILURES):
        assert _sign_in(records(), "wrong-password-1").principal is None
    app.run()
    assert _row(app, "wang.wu")["状态"].startswith("锁定") and _sign_in(records(), first).principal is None
    app = _click(app, "解除锁定")
    assert _row(app, "wang.wu")["状态"] == "正常" and _sign_in(records(), first).principal is not None

    app = _click(app, "重设密码")
    second = _shown_password(app)
    assert second and second != first and "已重设 wang.wu 的密码" in page_text(app)
    assert _sign_in(records(), first).principal is None and _sign_in(records(), second).principal is not None

    app.multiselect(key="roles_wang.wu_roles").set_value([CITY_VIEW])
    app.selectbox(key="roles_wang.wu_city").set_value(CHANGCHUN)
    app = _click(app, "保存角色和市州")
    assert (_row(app, "wang.wu")["角色"], _row(app, "wang.wu")["市州"]) == (CITY_VIEW, "长春市")

    details = [e.detail for e in reversed(audit.entries(records())) if e.target == "wang.wu" and e.action == audit.ACCOUNT]
    assert details == ["新增账号（省级查看）", "停用账号", "启用账号", "解除锁定", "重设密码（一次性密码）",
                       "修改角色：省级查看 → 市州查看·220100"]


@pytest.mark.parametrize("as_", [("省级", None), (PROVINCE_VIEW, None), ("市州", CHANGCHUN)])
def test_without_manage_users_the_page_is_refused_by_its_address(page, as_):
    open_, records = page
    app = open_(as_)
    assert "无权访问" in page_text(app) and "不能管理用户" in page_text(app)
    assert not app.multiselect and not any(b.label == "新增账号" for b in app.button)
    refused = [e for e in audit.entries(records()) if e.action == audit.DENIED]
    assert refused and (refused[0].target, refused[0].outcome) == ("管理用户", audit.REFUSED)


def test_system_admin_alone_opens_on_a_page_of_theirs_and_sees_no_city(open_app, shipped_config_dir, demo_db):
    app = open_app(shipped_config_dir, demo_db, as_=(SYSTEM_ADMIN, None))
    assert not app.exception and [t.value for t in app.title] == ["审计日志"]
    app = goto(app, "ranking")
    assert "无权访问：系统管理账号不能查看市州的数据" in page_text(app)
