"""用户管理 — the accounts with their roles, city and state, and what 系统管理 does to them: add one (a one-time
password shown once), disable, enable, unlock, reset the password (a new one-time password shown once), give it
other roles and city. Every change goes through scorecard.actions.users (MANAGE_USERS checked there, the change
and its audit line one transaction); for users permitted to manage users."""

import streamlit as st

from dashboard import reads, router, widgets
from dashboard.text import md
from scorecard import roles as access
from scorecard.actions import users
from scorecard.errors import InputError
from scorecard.records.passwords import normalize_name
from scorecard.report import palette

DONE = "_users_done"          # what was done, shown once after the rerun
SECRET = "_users_password"    # (account, one-time password), shown once after the rerun
NO_CITY = ""


def _when(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "—"


def _city_name(config, code) -> str:
    if not code:
        return ""
    return config.city(code).name if config is not None and code in config.city_lookup else code


def _state(account) -> str:
    if account.state == "锁定":
        return f"锁定（至{account.locked_until:%H:%M}）"
    return account.state


def listing(config, accounts) -> None:
    widgets.table([{
        "用户名": a.name, "角色": a.role, "市州": _city_name(config, a.city), "状态": _state(a),
        "最近登录": _when(a.last_sign_in), "密码修改时间": _when(a.password_changed_at),
        "说明": "演示账号" if a.demo else "",
    } for a in accounts], colors={"状态": [None if a.state == "正常" else palette.CRIMSON for a in accounts]})
    st.caption(f"共{len(accounts)}个账号。市州角色（{access.CITY_REPORT}、{access.CITY_VIEW}）属于一个市州，"
               "不能与省级角色兼任；停用、重设密码或修改角色后，该账号已有的登录随即失效。")


def _grant_fields(config, prefix: str, roles=(), city=None):
    """The roles and the city of an account, as two pickers in a form."""
    left, right = st.columns(2)
    offered = list(access.SIX_ROLES) + [r for r in roles if r not in access.SIX_ROLES]
    chosen = left.multiselect("角色（可选多个）", offered, default=[r for r in roles if r in offered],
                              key=f"{prefix}_roles", placeholder="选择角色")
    codes = [NO_CITY] + [c.code for c in config.cities] if config is not None else [NO_CITY]
    where = right.selectbox("所属市州（仅市州角色）", codes, index=codes.index(city) if city in codes else 0,
                            format_func=lambda c: _city_name(config, c) or "（不属于市州）", key=f"{prefix}_city")
    return chosen, where or None


def _act(change, done: str) -> None:
    """A change through the actions layer, then a rerun that says so; a bad input is said here."""
    try:
        secret = change()
    except InputError as exc:
        st.error(f"未保存：{md(exc)}")
        return
    st.session_state[DONE] = done
    if secret:
        st.session_state[SECRET] = secret
    st.rerun()


def add_form(config, records, by) -> None:
    with st.form("user_add", clear_on_submit=True):
        name = st.text_input("用户名", placeholder="如 zhang.san（字母、数字、汉字或 . _ - @）")
        roles, city = _grant_fields(config, "add")
        submitted = st.form_submit_button("新增账号")
    if submitted:
        def add():
            account, password = users.add_user(records, by, name, roles, city, None, config=config)
            return account.name, password
        _act(add, f"已新增账号 {normalize_name(name)}。")


def manage_form(config, records, by, accounts) -> None:
    names = [a.name for a in accounts]
    if not names:
        return
    chosen = st.selectbox("选择账号", names, key="user_chosen",
                          format_func=lambda n: f"{n}（{next(a for a in accounts if a.name == n).role}）")
    account = next(a for a in accounts if a.name == chosen)
    st.markdown(f"当前状态：**{md(_state(account))}**")
    buttons = st.columns([1, 1, 1, 4])
    if account.disabled:
        if buttons[0].button("启用", key="user_enable"):
            _act(lambda: users.enable(records, by, chosen), f"已启用账号 {chosen}。")
    elif buttons[0].button("停用", key="user_disable"):
        _act(lambda: users.disable(records, by, chosen), f"已停用账号 {chosen}；该账号已有的登录已失效。")
    if buttons[1].button("解除锁定", key="user_unlock", disabled=account.locked_until is None):
        _act(lambda: users.unlock(records, by, chosen), f"已解除 {chosen} 的锁定。")
    if buttons[2].button("重设密码", key="user_reset"):
        _act(lambda: (chosen, users.reset_password(records, by, chosen)),
             f"已重设 {chosen} 的密码；该账号已有的登录已失效，锁定已解除。")
    with st.form("user_roles"):
        roles, city = _grant_fields(config, f"roles_{chosen}", sorted(account.roles), account.city)
        submitted = st.form_submit_button("保存角色和市州")
    if submitted:
        def change():
            users.set_roles(records, by, chosen, roles, city, config=config)
        _act(change, f"已修改 {chosen} 的角色；该账号已有的登录已失效。")


def render() -> None:
    source = reads.current_source()
    config, records, by = reads.config(source), reads.records(source), reads.principal()
    if done := st.session_state.pop(DONE, None):
        st.success(md(done))
    if secret := st.session_state.pop(SECRET, None):
        name, password = secret
        st.warning(f"{md(name)} 的一次性密码（只显示这一次，请当面或以其他安全方式交给本人）：")
        st.code(password, language=None)
    accounts = reads.accounts(source)
    listing(config, accounts)
    st.subheader("新增账号")
    add_form(config, records, by)
    st.subheader("管理账号")
    manage_form(config, records, by, accounts)


router.page(render, framed=False)
