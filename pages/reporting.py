"""在线填报 — a 市州 reporter enters and submits their city's month (every measure with its unit and 填报口径, last
month's and the same month last year's accepted values beside it, a 说明 for each soft 审核公式); the province
reviews (通过 / 退回 with a reason) and sees the 报送 grid of every city, 报表及时率 and the 催报 list. Every write
goes through scorecard.actions.reporting."""

import streamlit as st

from dashboard import frame, reads, router, widgets
from dashboard.text import md
from scorecard import clock
from scorecard import formatting as fmt
from scorecard import roles as access
from scorecard.actions.reporting import accept_report, return_report, save_report
from scorecard.assessment import reporting
from scorecard.data.store import StoreError
from scorecard.errors import InputError
from scorecard.records.reporting import ACCEPTED, PENDING, RETURNED
from scorecard.report import palette

SAVED, REFUSED = "_report_saved", "_report_refused"
SHADES = {reporting.ACCEPTED: palette.GREEN, reporting.PENDING: palette.AMBER_COLOR,
          reporting.RETURNED: palette.AMBER_COLOR, reporting.OVERDUE: palette.CRIMSON}


def _number(value: float | None) -> str:
    return "" if value is None else format(value, ".15g")


def _quantity(value: float | None, unit: str) -> str:
    return fmt.quantity(value, unit) if value is not None else "—"


def grid_section(view: frame.View, cells) -> None:
    st.subheader("报送情况")
    today = clock.today()
    rates = {t.city: t for t in reporting.timeliness(cells, today)}
    rows, colors = [], {f"{m}月": [] for m in range(1, 13)}
    for city in dict.fromkeys(c.city for c in cells):
        row = {"市州": view.config.city(city).name}
        for cell in (c for c in cells if c.city == city):
            row[f"{cell.month}月"] = cell.state
            colors[f"{cell.month}月"].append(SHADES.get(cell.state))
        rate = rates[city]
        row["报表及时率"] = (f"{fmt.percent(rate.rate)}（{rate.on_time}/{rate.due}）" if rate.rate is not None
                        else "—（尚无应报月份）")
        rows.append(row)
    widgets.table(rows, colors)
    st.caption(f"{reporting.deadline_text(view.config, view.year)}报表及时率 = "
               "首次报送在截止日前的月数 / 应报送的月数（截止日已过或已报送的月份；退回后更正不影响及时性；"
               "“已导入”为省级直接导入、未经在线填报的月份，不计入）。")


def reminders_section(view: frame.View, cells) -> None:
    st.subheader("催报")
    due = reporting.reminders(cells)
    widgets.table([{"市州": view.config.city(c.city).name, "月份": f"{view.year}年{c.month}月",
                    "截止日": f"{c.deadline:%Y-%m-%d}", "状态": c.state} for c in due])
    st.caption(f"截止日已过或{reporting.SOON_DAYS}天内到期、尚未报送（或退回后尚未重新报送）的月份。")


def _write(view: frame.View, permission: str, write, done: str) -> None:
    store = reads.writable_store(view.source, permission)
    try:
        write(store)
    except (InputError, StoreError) as exc:  # said after a rerun: a draft may have been saved (its 说明 fields)
        st.session_state[REFUSED] = f"未完成：{md(exc)}"
    else:
        st.session_state[SAVED] = done
    st.rerun()


def entry_section(view: frame.View, city: str, month: int) -> None:
    name = view.config.city(city).name
    st.subheader(f"{name}{view.year}年{month}月数据填报")
    current = reads.report_version(view.source, city, view.year, month)
    if current is not None:
        said = f"第{current.version}版：{current.state}"
        if current.state == RETURNED:
            said += f"（退回理由：{current.review_reason}）"
        st.info(said)
    locked = current is not None and current.state == PENDING
    rows = reads.report_form(view.source, city, view.year, month)
    figures = current.figures if current else {}
    soft = reads.report_findings(view.source, city, view.year, month, figures) if figures else []
    key = f"report_{city}_{view.year}_{month}_{current.version if current else 0}"
    with st.form(key):
        typed = {}
        for row in rows:
            left, right = st.columns([2, 3])
            typed[row.measure] = left.text_input(f"{row.name}（{row.unit}）", value=_number(figures.get(row.measure)),
                                                 key=f"{key}_{row.measure}", disabled=locked)
            right.caption(f"口径：{row.basis or '—'}  \n上月：{_quantity(row.last_month, row.unit)}　"
                          f"上年同月：{_quantity(row.last_year, row.unit)}")
        notes = {}
        for finding in soft:
            notes[finding.measure] = st.text_input(f"说明：{finding.message(view.config)}",
                                                   value=current.notes.get(finding.measure, ""),
                                                   key=f"{key}_note_{finding.measure}", disabled=locked)
        left, right = st.columns(2)
        draft = left.form_submit_button("保存草稿", disabled=locked)
        submit = right.form_submit_button("报送", type="primary", disabled=locked)
    if draft or submit:
        _write(view, access.REPORT, lambda store: save_report(store, view.principal, view.config, city, view.year, month,
                                                              typed, notes, submit=submit),
               f"{name}{view.year}年{month}月已{'报送，等待省级审核' if submit else '保存草稿'}。")
    st.caption("也可以下载月报表模板（数据管理页），填好后交省级导入。")


def review_section(view: frame.View, cells) -> None:
    st.subheader("审核报送")
    waiting = [c for c in cells if c.state == PENDING]
    if not waiting:
        st.caption("没有待审核的报送。")
        return
    labels = {(c.city, c.month): f"{view.config.city(c.city).name}{view.year}年{c.month}月（第{c.version.version}版，"
                                 f"{c.version.submitted_by}报送于{c.version.submitted_at:%Y-%m-%d %H:%M}）"
              for c in waiting}
    city, month = st.selectbox("待审核", list(labels), format_func=labels.get)
    version = next(c.version for c in waiting if (c.city, c.month) == (city, month))
    rows = reads.report_form(view.source, city, view.year, month)
    widgets.table([{"统计项": r.name, "报送数": _quantity(version.figures.get(r.measure), r.unit),
                    "上月": _quantity(r.last_month, r.unit), "上年同月": _quantity(r.last_year, r.unit),
                    "说明": version.notes.get(r.measure, "")} for r in rows], right=("报送数", "上月", "上年同月"))
    with st.form(f"review_{city}_{month}_{version.version}"):
        reason = st.text_input("退回理由（退回时必填）")
        left, right = st.columns(2)
        accept = left.form_submit_button("通过", type="primary")
        give_back = right.form_submit_button("退回")
    what = f"{view.config.city(city).name}{view.year}年{month}月"
    if accept:
        _write(view, access.REVIEW, lambda store: accept_report(store, view.principal, view.config, city, view.year,
                                                                month), f"{what}已审核通过，数据已写入数据库。")
    elif give_back:
        _write(view, access.REVIEW, lambda store: return_report(store, view.principal, view.config, city, view.year,
                                                                month, reason=reason), f"{what}已退回。")


def render(view: frame.View) -> None:
    saved = st.session_state.pop(SAVED, None)
    if saved:
        st.success(md(saved))
    refused = st.session_state.pop(REFUSED, None)
    if refused:
        st.error(refused)
    who = view.principal
    cells = reads.report_cells(view.source, view.year)
    if who.may(access.REPORT) and who.city:
        default = max((c.month for c in cells if c.state not in (ACCEPTED, reporting.IMPORTED)), default=12)
        month = st.selectbox("填报月份", range(1, 13), index=default - 1, format_func=lambda m: f"{view.year}年{m}月")
        entry_section(view, who.city, month)
    if who.may(access.REVIEW):
        review_section(view, cells)
    grid_section(view, cells)
    if who.may(access.REVIEW):
        reminders_section(view, cells)


router.page(render, month=False, needs_data=False)
