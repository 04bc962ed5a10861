"""整改 — what of a year calls for corrective action (指标严重滞后, 年终不合格 or 一票否决), the cities' plans with their
versions and milestones; a 市州 user files and revises their own city's plans and reports the milestones, the
province accepts or returns them and sees every plan with its overdue milestones. Writes go through the actions."""

import datetime as dt

import streamlit as st

from dashboard import frame, reads, router, widgets
from dashboard.text import md
from scorecard import clock
from scorecard import roles as access
from scorecard.actions.rectification import file_plan, report_milestone, review_plan, revise_plan
from scorecard.assessment.rectification import milestone_lines
from scorecard.data.store import StoreError
from scorecard.errors import InputError
from scorecard.records.rectification import ACCEPTED, DONE, MILESTONE_STATES, PENDING

SAVED = "_rectification_saved"
LINES_HELP = "每行一个节点，先写完成日期，再写内容，如：2004-03-31 完成未参保单位摸底"


def _lines(milestones) -> str:
    return "\n".join(f"{due:%Y-%m-%d} {description}" for due, description in milestones)


def findings_table(view: frame.View, found, plans) -> None:
    by_finding = {(p.city, p.finding): p for p in plans}
    if not found:
        st.info(f"{view.year}年度没有需要整改的事项（指标严重滞后、年终不合格或被一票否决）。")
        return
    widgets.table([{
        "市州": f.city_name, "事项": f.text,
        "整改方案": (f"编号{by_finding[f.city, f.key].plan_id}，{by_finding[f.city, f.key].state}"
                 if (f.city, f.key) in by_finding else "未报送"),
    } for f in found])


def plans_table(view: frame.View, plans, today) -> None:
    widgets.table([{
        "编号": str(p.plan_id), "市州": view.config.city(p.city).name, "事项": p.finding_text, "状态": p.state,
        "版本": f"第{p.current.version}版", "责任人": p.current.owner, "节点": len(p.milestones),
        "已完成": sum(m.status == DONE for m in p.milestones), "逾期节点": len(p.overdue(today)),
        "报送时间": f"{p.current.at:%Y-%m-%d %H:%M}",
    } for p in plans], right=("节点", "已完成", "逾期节点"))


def _version_text(v) -> str:
    said = f"第{v.version}版 {v.author} {v.at:%Y-%m-%d %H:%M}报送"
    if v.review is None:
        return said + "，待审核"
    why = f"（理由：{v.review.reason}）" if v.review.reason else ""
    return said + f"，{v.review.author} {v.review.at:%Y-%m-%d %H:%M}{'通过' if v.review.accepted else '退回'}{why}"


def plan_detail(view: frame.View, plan, today) -> None:
    with st.expander(md(f"编号{plan.plan_id}：{view.config.city(plan.city).name}，{plan.finding_text}（{plan.state}）")):
        st.markdown(f"**整改措施**：{md(plan.current.measures)}")
        st.markdown(f"**责任人**：{md(plan.current.owner)}")
        widgets.table([{
            "序号": str(m.position), "完成日期": f"{m.due_on:%Y-%m-%d}", "节点": m.description, "进展": m.status,
            "实际完成": f"{m.completed_on:%Y-%m-%d}" if m.completed_on else "—", "说明": m.note or "—",
            "逾期": "逾期" if m.overdue(today) else "",
        } for m in plan.milestones])
        st.caption(md("版本记录：" + "；".join(_version_text(v) for v in plan.versions)))


def _save(view: frame.View, permission: str, write, done: str) -> None:
    store = reads.writable_store(view.source, permission)
    try:
        saved = write(store)
    except (InputError, StoreError) as exc:
        st.error(f"未保存：{md(exc)}")
        return
    st.session_state[SAVED] = f"{done}（编号{saved.plan_id}，第{saved.current.version}版，{saved.state}）。"
    st.rerun()


def file_form(view: frame.View, found, plans) -> None:
    filed = {(p.city, p.finding) for p in plans}
    open_ = [f for f in found if (f.city, f.key) not in filed]
    if not open_:
        return
    st.subheader("报送整改方案")
    with st.form("rectification_file"):
        chosen = st.selectbox("需要整改的事项", range(len(open_)), format_func=lambda k: open_[k].text)
        measures = st.text_area("整改措施")
        owner = st.text_input("责任人（姓名和职务）")
        lines = st.text_area("整改节点", help=LINES_HELP, placeholder=LINES_HELP)
        submitted = st.form_submit_button("报送")
    if submitted:
        finding = open_[chosen]
        _save(view, access.REPORT, lambda store: file_plan(
            store, view.principal, view.config, view.year, finding.city, finding.key, measures=measures,
            owner=owner, milestones=milestone_lines(lines)), "已报送整改方案")


def revise_form(view: frame.View, plan) -> None:
    with st.form(f"rectification_revise_{plan.plan_id}"):
        st.markdown(f"**修改编号{plan.plan_id}的整改方案**（{plan.state}）")
        measures = st.text_area("整改措施", value=plan.current.measures)
        owner = st.text_input("责任人（姓名和职务）", value=plan.current.owner)
        lines = st.text_area("整改节点", value=_lines(plan.current.milestones), help=LINES_HELP)
        submitted = st.form_submit_button("修改后重新报送")
    if submitted:
        _save(view, access.REPORT, lambda store: revise_plan(
            store, view.principal, view.config, plan.plan_id, measures=measures, owner=owner,
            milestones=milestone_lines(lines)), "已重新报送整改方案")


def milestone_form(view: frame.View, plan) -> None:
    with st.form(f"rectification_progress_{plan.plan_id}"):
        st.markdown(f"**填报编号{plan.plan_id}的节点进展**")
        position = st.selectbox("节点", [m.position for m in plan.milestones],
                                format_func=lambda k: f"{k}. {plan.milestones[k - 1].description}")
        status = st.radio("进展", MILESTONE_STATES, horizontal=True)
        done_on = st.date_input("实际完成日期（已完成时填写）", value=None, min_value=dt.date(plan.year, 1, 1),
                                max_value=max(clock.today(), dt.date(plan.year, 1, 1)),
                                format="YYYY-MM-DD")
        note = st.text_input("说明")
        submitted = st.form_submit_button("保存进展")
    if submitted:
        _save(view, access.REPORT, lambda store: report_milestone(
            store, view.principal, view.config, plan.plan_id, position, status=status, completed_on=done_on,
            note=note), "已保存节点进展")


def review_form(view: frame.View, plans) -> None:
    waiting = {p.plan_id: p for p in plans if p.state == PENDING}
    st.subheader("审核整改方案")
    if not waiting:
        st.caption("没有待审核的整改方案。")
        return
    with st.form("rectification_review"):
        chosen = st.selectbox("待审核的方案", list(waiting), format_func=lambda k: (
            f"编号{k}：{view.config.city(waiting[k].city).name}，{waiting[k].finding_text}"))
        verdict = st.radio("审核意见", ["通过", "退回"], horizontal=True)
        reason = st.text_input("退回理由（退回时必填）")
        submitted = st.form_submit_button("提交审核意见")
    if submitted:
        _save(view, access.REVIEW, lambda store: review_plan(
            store, view.principal, view.config, chosen, accepted=verdict == "通过", reason=reason),
            f"整改方案已{verdict}")


def render(view: frame.View) -> None:
    saved = st.session_state.pop(SAVED, None)
    if saved:
        st.success(md(saved))
    today = clock.today()
    widgets.heading(f"{view.year}年度整改")
    found = reads.rectification_findings(view.source, view.year)
    plans = reads.rectification_plans(view.source, view.year)
    st.subheader("需要整改的事项")
    findings_table(view, found, plans)
    st.caption("需要整改的事项：截至本年度最近月份严重滞后于序时进度的指标，以及年终考评不合格或被一票否决的市州。")
    reporter = view.principal.may(access.REPORT)
    if reporter:
        file_form(view, found, plans)
    if plans:
        st.subheader("整改方案")
        overdue = sum(len(p.overdue(today)) for p in plans)
        if overdue:
            st.warning(f"截至{today:%Y年%-m月%-d日}，有{overdue}个整改节点逾期未完成。")
        plans_table(view, plans, today)
        for plan in plans:
            plan_detail(view, plan, today)
            if reporter:
                if plan.state == ACCEPTED:
                    milestone_form(view, plan)
                else:
                    revise_form(view, plan)
    if view.principal.may(access.REVIEW):
        review_form(view, plans)


router.page(render, month=False)
