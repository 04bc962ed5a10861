"""Every page for every role in AppTest: what each user sees, what they never see, and 无权访问.

Users are signed in through the real session check: a session of a test user is started in the access
database and its token handed to the app as the browser's cookie would be (conftest.open_app)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import session_token, writable_copy
from page_support import (downloads, everything, goto, metric, metric_labels, no_chart, page_text, shown, table_with,
                          tables)

from scorecard.records.store import Records
from scorecard.records import sessions
from scorecard.records import audit
from scorecard.roles import ADMIN, CITY, PROVINCE
from scorecard.config import AccessSettings
from scorecard.assessment.scoring import score_year
from scorecard.data.store import Store

PAGES = ("ranking", "progress", "assessment", "fund", "contracts", "data", "audit")
CHANGCHUN = (CITY, "220100")
OTHER_CITIES = ("吉林市", "四平市", "辽源市", "通化市", "白山市", "松原市", "白城市", "延边")


def denials(db) -> list[tuple]:
    return [(e.who, e.target, e.outcome) for e in audit.entries(Records.beside(db),
                                                                          action=audit.DENIED)]


@pytest.mark.parametrize("page", PAGES)
def test_nobody_signed_in_sees_only_the_way_in(demo_db, shipped_config_dir, open_app, page):
    app = open_app(shipped_config_dir, demo_db, as_=None)
    app.switch_page(f"pages/{page}.py").run()
    assert not app.exception
    assert [i.value for i in app.info] == ["请先登录。"]
    assert any("sc-signin" in m.value and "/signin" in m.value for m in app.markdown)
    assert not tables(app) and not app.metric and no_chart(app) and not app.selectbox


@pytest.mark.parametrize("role, line", [(PROVINCE, "test-province（省级）"), (ADMIN, "test-admin（数据管理员）"),
                                        (CHANGCHUN, "test-city-220100（市州·长春市）")])
def test_each_page_says_who_is_signed_in_with_the_way_out(demo_db, shipped_config_dir, open_app, role, line):
    app = open_app(shipped_config_dir, demo_db, as_=role)
    for page in ("ranking", "audit" if role != CHANGCHUN else "fund"):
        user_line = next(m.value for m in goto(app, page).html if 'class="sc-user"' in m.value)
        assert line in user_line and 'href="/signout"' in user_line


@pytest.mark.parametrize("role", [PROVINCE, ADMIN])
@pytest.mark.parametrize("page", PAGES)
def test_province_and_admin_see_every_city_on_every_page(demo_db, shipped_config_dir, open_app, role, page):
    app = goto(open_app(shipped_config_dir, demo_db, as_=role), page)
    assert not app.error
    shown = everything(app)
    if page == "audit":
        assert "审计日志只能查看" in shown and table_with(app, "操作") is not None
    elif page == "progress":
        assert all(name in shown for name in OTHER_CITIES)  # the city picker offers every city
    else:
        assert all(name in shown for name in OTHER_CITIES), page
    if page == "assessment":
        assert all(o.href for o in downloads(app).values())


@pytest.mark.parametrize("page", PAGES[1:-1])
def test_a_city_user_sees_their_own_city_only(config, demo_db, shipped_config_dir, open_app, page):
    app = goto(open_app(shipped_config_dir, demo_db, as_=CHANGCHUN), page)
    shown = everything(app)
    assert "长春市" in shown
    leaked = [name for name in OTHER_CITIES if name in shown]
    assert not leaked, f"{page} shows {leaked}"
    assert not app.error


def test_a_city_user_sees_the_circulated_ranking_at_year_end(config, demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db, as_=CHANGCHUN)
    result = score_year(config, Store(demo_db), 2003, 12)
    shown = table_with(app, "总分")
    assert list(shown.columns) == ["名次", "市州", "总分", "等次", "名次变化", "一票否决"]
    assert list(shown["市州"]) == [c.name for c in result.cities]
    assert shown.set_index("市州").loc["白山市", "一票否决"] == "拖欠失业保险金"
    assert shown.set_index("市州").loc["长春市", "一票否决"] == "—"
    assert metric(app, "本市年终名次") == f"第{result.city('220100').rank}名 / 9"
    assert no_chart(app)  # no indicator heatmap, no area points: those are other cities' details
    assert len(tables(app)) == 1 and "基金预警" not in metric_labels(app)


def test_a_city_user_of_a_national_roll_up_finds_every_unit_at_year_end(config, demo_db, shipped_config_dir, open_app,
                                                                        monkeypatch):
    from dashboard import widgets

    monkeypatch.setattr(widgets, "DETAIL_MAX", 4)
    app = open_app(shipped_config_dir, demo_db, as_=CHANGCHUN)
    result = score_year(config, Store(demo_db), 2003, 12)
    grid = app.dataframe[0].value
    assert list(grid.columns) == ["名次", "市州", "代码", "总分", "等次", "名次变化", "一票否决"]
    assert list(grid["市州"]) == [c.name for c in result.cities]
    assert no_chart(app) and metric(app, "本市年终名次") == f"第{result.city('220100').rank}名 / 9"


def test_before_december_a_city_user_sees_their_own_rank_only(config, demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db, {"month": "6"}, as_=CHANGCHUN)
    result = score_year(config, Store(demo_db), 2003, 6)
    shown = table_with(app, "总分")
    assert list(shown["市州"]) == ["长春市"] and list(shown["名次"]) == [result.city("220100").rank]
    assert "只显示本市的预估名次" in page_text(app)
    assert not [name for name in OTHER_CITIES if name in everything(app)]


@pytest.mark.parametrize("link", ["220200", "吉林"])
def test_a_link_to_another_city_is_refused_and_recorded(demo_db, shipped_config_dir, open_app, link):
    app = open_app(shipped_config_dir, demo_db, {"city": link}, as_=CHANGCHUN)  # any page: here the first one
    errors = [e.value for e in app.error]
    assert errors == ["无权访问：您的账号只能查看长春市的数据，不能查看吉林市的数据。"]
    assert not tables(app) and not app.metric and no_chart(app)
    assert ("test-city-220100", "吉林市（220200）", audit.REFUSED) in denials(demo_db)
    assert not [name for name in OTHER_CITIES if name in everything(goto(app, "progress"))]  # nor kept for later


def test_after_a_refusal_the_city_user_goes_back_to_their_city(demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db, {"city": "220200"}, as_=CHANGCHUN)
    app.button[0].click().run()
    assert not app.error and app.query_params == {"year": "2003", "month": "12"}
    assert table_with(app, "总分") is not None
    assert "长春市2003年目标责任书完成进度" in page_text(goto(app, "progress"))


def test_the_city_picker_offers_a_city_user_their_city_only(demo_db, shipped_config_dir, open_app):
    for page in ("progress", "assessment"):
        app = goto(open_app(shipped_config_dir, demo_db, as_=CHANGCHUN), page)
        assert app.selectbox(key="_pick_city").options == ["长春市"]


def test_a_city_user_cannot_export_the_province_documents(demo_db, shipped_config_dir, open_app):
    app = goto(open_app(shipped_config_dir, demo_db, as_=CHANGCHUN), "assessment")
    province = [o for label, o in downloads(app).items() if not label.endswith("单位考评卡（PDF）")]
    assert len(province) == 4  # the xlsx, the docx, the PDF and the meeting package
    assert all(o.href is None and o.reason == "无权访问：市州账号不能下载全省考评文件" for o in province)


def test_a_city_user_cannot_open_the_audit_log(demo_db, shipped_config_dir, open_app):
    app = goto(open_app(shipped_config_dir, demo_db, as_=CHANGCHUN), "audit")
    assert [e.value for e in app.error] == ["无权访问：市州账号不能查看审计日志。"]
    assert not tables(app)
    assert ("test-city-220100", "查看审计日志", audit.REFUSED) in denials(demo_db)


def test_the_audit_page_shows_what_happened(demo_db, shipped_config_dir, open_app):
    goto(open_app(shipped_config_dir, demo_db, as_=CHANGCHUN), "audit")  # a refusal to show
    app = goto(open_app(shipped_config_dir, demo_db, as_=PROVINCE), "audit")
    log = table_with(app, "操作")
    refused = log[(log["操作"] == audit.DENIED) & (log["用户"] == "test-city-220100")]
    assert not refused.empty and set(refused["市州"]) == {"长春市"}
    app.selectbox[0].select(audit.DENIED).run()
    assert set(table_with(app, "操作")["操作"]) == {audit.DENIED}
    assert not app.text_input[0].disabled and not any(b.label for b in app.button)  # nothing to edit or delete


def test_an_idle_session_ends_with_the_way_back_and_a_record(demo_db, shipped_config_dir, open_app, own_records):
    db = own_records(demo_db)
    from conftest import make_user

    principal = make_user(demo_db, PROVINCE)
    token = sessions.start_session(db, principal, AccessSettings(), now=dt.datetime.now() - dt.timedelta(minutes=31))
    app = open_app(shipped_config_dir, demo_db, as_=token)
    assert [i.value for i in app.info] == ["因长时间未操作，已自动退出登录，请重新登录。"]
    assert not tables(app)
    expired = audit.entries(db, action=audit.EXPIRED)
    assert expired and expired[0].who == "test-province" and expired[0].detail == "超过30分钟未操作"


def test_a_session_ended_elsewhere_ends_in_an_open_tab(demo_db, shipped_config_dir, open_app, own_records):
    from conftest import session_token

    own_records(demo_db)
    token = session_token(demo_db)
    app = open_app(shipped_config_dir, demo_db, as_=token)
    assert tables(app)
    sessions.end_session(Records.beside(demo_db), token)  # signed out in another tab
    app.run()
    assert [i.value for i in app.info] == ["已退出登录。"] and not tables(app)


# --- single sign-on: the user name from the gateway's header -------------------------------------------

@pytest.fixture
def header_config(config_dir):
    (config_dir / "access.yaml").write_text("""\
mode: header
header:
  name: X-Remote-User
  logout_url: https://sso.example.gov.cn/logout
  users:
    zhangsan: {role: 省级}
    lisi: {role: 市州, city: "220100"}
""", encoding="utf-8")
    return config_dir


def open_as(open_app, monkeypatch, config_dir, db, headers: dict, page="ranking"):
    from dashboard import session

    monkeypatch.setattr(session, "request_headers", lambda: headers)
    return goto(open_app(config_dir, db, as_=None), page)


def test_a_header_user_gets_the_role_and_city_of_the_config(header_config, demo_db, open_app, monkeypatch):
    app = open_as(open_app, monkeypatch, header_config, demo_db, {"X-Remote-User": "LiSi"}, "fund")
    assert "lisi（市州·长春市）" in page_text(app)
    assert list(table_with(app, "可支付月数")["市州"]) == ["长春市"]
    assert any("https://sso.example.gov.cn/logout" in m.value for m in app.html)
    app = open_as(open_app, monkeypatch, header_config, demo_db, {"X-Remote-User": "zhangsan"}, "fund")
    assert len(table_with(app, "可支付月数")) == 9
    signed_in = audit.entries(Records.beside(demo_db), action=audit.SIGN_IN)
    assert [(e.who, e.channel) for e in signed_in] == [("zhangsan", "统一认证"), ("lisi", "统一认证")]


@pytest.mark.parametrize("headers, message", [
    ({}, "没有收到单位统一认证传来的用户名（请求头 X-Remote-User）"),
    ({"X-Remote-User": "stranger"}, "您的账号“stranger”还没有开通本系统的权限"),
])
def test_a_header_without_a_known_user_gets_nothing(header_config, demo_db, open_app, monkeypatch, headers, message):
    app = open_as(open_app, monkeypatch, header_config, demo_db, headers)
    assert message in shown(app.error[0].value)
    assert not tables(app) and not app.metric


def test_a_header_cookie_signs_nobody_in_and_passwords_are_not_used(header_config, demo_db, open_app, monkeypatch,
                                                                    own_records):
    from conftest import session_token

    own_records(demo_db)
    monkeypatch.setattr("dashboard.session.request_headers", lambda: {})
    app = open_app(header_config, demo_db, as_=session_token(demo_db))  # a password-mode session: not in header mode
    assert app.error and not tables(app)


def test_a_broken_access_yaml_lets_nobody_in(config_dir, demo_db, open_app):
    (config_dir / "access.yaml").write_text("mode: ldap\n", encoding="utf-8")
    app = open_app(config_dir, demo_db)
    assert "登录配置有1处问题" in shown(app.error[0].value) and "access.yaml:1" in shown(app.error[0].value)
    assert not tables(app)


# --- every read of the pages is filtered -----------------------------------------------------------------

def test_every_read_of_the_pages_is_filtered_or_says_why_not():
    import inspect

    from dashboard import reads as module

    reads = [name for name, value in vars(module).items()
             if callable(value) and not isinstance(value, type) and not name.startswith("_")
             and (getattr(value, "__module__", None) == module.__name__)]
    assert set(module.PUBLIC) | set(module.GUARDED) <= set(reads)
    unfiltered = [name for name in reads if name not in module.PUBLIC + module.GUARDED
                  and not getattr(vars(module)[name], "scoped", False)]
    assert not unfiltered
    assert {"config", "year_result", "ranking", "pace", "completeness", "imports", "store"} <= {
        name for name in reads if getattr(vars(module)[name], "scoped", False)}
    assert "access.require" in inspect.getsource(module.audit_entries.__wrapped__ if hasattr(
        module.audit_entries, "__wrapped__") else module.audit_entries)


def _imports_a_file():
    import streamlit as st

    from dashboard import reads
    from scorecard.actions.imports import commit_import
    from scorecard.roles import AccessDenied
    from scorecard.data.intake import prepare
    from scorecard.data.store import Store
    from scorecard.config import load_config

    source = reads.current_source()
    prepared = prepare(load_config(source.config_dir)[0], Store(source.db_path), b"year,month,city,measure,value\n"
                       b"2003,12,220100,fund_income,2468\n", file_name="12.csv")
    try:
        commit_import(prepared, reads.principal())
        st.success("imported")
    except AccessDenied as exc:
        st.error(str(exc))


@pytest.mark.parametrize("role, shown", [(ADMIN, "imported"), (PROVINCE, "无权访问：省级账号不能导入数据。"),
                                         (CITY, "无权访问：市州账号不能导入数据。")])
def test_a_page_imports_only_for_a_data_administrator(demo_db, shipped_config_dir, tmp_path, monkeypatch, role,
                                                      shown):
    from streamlit.testing.v1 import AppTest

    from scorecard.roles import Principal

    db = writable_copy(demo_db, tmp_path)
    monkeypatch.setenv("SCORECARD_CONFIG", str(shipped_config_dir))
    monkeypatch.setenv("SCORECARD_DB", str(db))
    app = AppTest.from_function(_imports_a_file, default_timeout=60)
    app.session_state["_principal"] = Principal(f"import-{len(role)}", role, "220100" if role == CITY else None)
    app.run()
    assert [m.value for m in [*app.success, *app.error]] == [shown]
    imports = audit.entries(Records.beside(db), action=audit.IMPORT)
    assert [e.who for e in imports] == ([f"import-{len(role)}"] if role == ADMIN else [])


def test_an_offered_document_is_bound_to_the_session_that_saw_it(demo_db, shipped_config_dir, open_app,
                                                                  own_records):
    """The page holds no file: its link names a document kept in the server for this session's holder only
    (the route, tests/test_download_links.py, checks the request against it)."""
    from dashboard import downloads as registry

    own_records(demo_db)
    token = session_token(demo_db)
    app = goto(open_app(shipped_config_dir, demo_db, as_=token), "assessment")
    link = downloads(app)["下载Excel考评表"].href.rsplit("/", 1)[1]
    document, _ = registry.find(link, registry.session_holder(token))
    assert document.file_name.endswith(".xlsx") and document.build()[:2] == b"PK"
    assert registry.find(link, registry.session_holder(session_token(demo_db))) == (None, registry.OTHERS)


def test_a_city_user_takes_away_its_own_report_card(demo_db, shipped_config_dir, open_app):
    app = open_app(shipped_config_dir, demo_db, as_=CHANGCHUN)
    goto(app, "assessment")
    offered = downloads(app)
    assert offered["下载长春市单位考评卡（PDF）"].href
    assert all(o.href is None for label, o in offered.items() if not label.endswith("单位考评卡（PDF）"))
