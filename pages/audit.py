"""审计日志 — who did what and when, for those permitted (roles.AUDIT_LOG: 系统管理, 省级, 数据管理员); read-only (nothing here edits it)."""

import datetime as dt

import streamlit as st

from dashboard import frame, reads, router, widgets
from scorecard import clock
from scorecard.report import palette
from scorecard.records.audit import ACTIONS, DENIED, LOCKED, SIGN_IN, SIGN_IN_FAILED


def _city_name(config, code: str | None) -> str:
    if code is None:
        return ""
    return config.city(code).name if config is not None and code in config.city_lookup else code


def render() -> None:
    source = reads.current_source()
    frame.database_missing(source)  # the log is beside it, and still shown
    config = reads.config(source)
    columns = st.columns([2, 2, 3, 1])
    who = columns[0].text_input("用户", placeholder="全部用户").strip() or None
    action = columns[1].selectbox("操作", ["全部操作", *ACTIONS])
    today = clock.today()
    days = columns[2].date_input("日期", value=(today - dt.timedelta(days=30), today), max_value=today,
                                 format="YYYY-MM-DD")
    limit = columns[3].selectbox("最多显示", [200, 1000, 5000])
    since, until = (days if isinstance(days, tuple) and len(days) == 2 else (days[0] if days else None, None))
    entries = reads.audit_entries(source, limit=limit, who=who, action=None if action == "全部操作" else action,
                                   since=since, until=until)

    widgets.kpi_row([(name, f"{sum(e.action == name for e in entries)}次") for name in (SIGN_IN, SIGN_IN_FAILED, LOCKED, DENIED)])
    widgets.table([{
        "时间": f"{e.at:%Y-%m-%d %H:%M:%S}", "用户": e.who, "角色": e.role or "—", "市州": _city_name(config, e.user_city),
        "来源": e.channel, "操作": e.action, "结果": e.outcome, "对象": e.target or "", "说明": e.detail or "",
        "地址": e.address or "",
    } for e in entries], colors={"结果": [None if e.outcome == "成功" else palette.CRIMSON for e in entries]})
    st.caption(f"共{len(entries)}条（最新的在前）。审计日志只能查看，网页上不能修改或删除；命令行 `scorecard audit` 也可查看。"
               "不记录任何密码；不存在的用户名只记录前两个字符。")


router.page(render, framed=False)
