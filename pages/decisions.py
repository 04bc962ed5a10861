"""考评决定 — the year's adjustments and vetoes of both sources (the YAML file's, marked 来自配置文件, and those on
record), and forms to record one (with evidence) or withdraw one, through the actions layer; for 省级 users."""

import datetime as dt

import streamlit as st

from dashboard import frame, reads, router, widgets
from dashboard.text import md
from scorecard import clock
from scorecard import formatting as fmt
from scorecard import roles as access
from scorecard.actions.decisions import add_decision, withdraw_decision
from scorecard.data.store import StoreError
from scorecard.errors import InputError
from scorecard.records.decisions import ADJUSTMENT, VETO
from scorecard.records.evidence import MAX_BYTES

SAVED = "_decision_saved"


def _what(row) -> str:
    return f"{fmt.points(row.points)}分" if row.kind == ADJUSTMENT else f"一票否决：{row.item}"


def listing(view: frame.View, rows) -> None:
    widgets.table([{
        "编号": str(r.decision_id or "—"), "来源": r.source, "市州": r.name, "决定": _what(r), "理由": r.reason,
        "认定日期": f"{r.decided_on:%Y-%m-%d}" if r.decided_on else "未写（只计入年终结果）", "状态": r.status,
        "登记人": r.author or "—", "登记时间": f"{r.created_at:%Y-%m-%d %H:%M}" if r.created_at else "—",
        "辅证材料": "、".join(e.file_name for e in r.evidence) or "—",
    } for r in rows])
    st.caption("来自配置文件的决定写在考评决定文件夹 `config/assessments/` 中，只能修改该文件；系统中登记的决定撤销后保留原记录。")


def add_form(view: frame.View) -> None:
    with st.form("decision_add"):
        left, right = st.columns(2)
        codes = [c.code for c in view.config.cities]
        city = left.selectbox("市州", codes, format_func=lambda c: view.config.city(c).name)
        kind = right.radio("决定", [ADJUSTMENT, VETO], horizontal=True)
        points = left.number_input("加减分分值（扣分写负数）", min_value=-1000.0, max_value=1000.0, value=0.0, step=0.5)
        item = right.text_input("一票否决事项（如 挤占挪用基金）")
        reason = st.text_input("理由")
        day = st.date_input("认定日期（不填：只计入12月的年终结果）", value=None, min_value=dt.date(1990, 1, 1),
                            max_value=clock.today(), format="YYYY-MM-DD")
        files = st.file_uploader(f"辅证材料（PDF、PNG/JPEG图片或xlsx，每个不超过{MAX_BYTES // 1024 // 1024}MB）",
                                 accept_multiple_files=True)
        submitted = st.form_submit_button("登记")
    if submitted:
        _save(view, lambda store, evidence: add_decision(
            store, view.principal, view.config, view.year, city, reason=reason,
            points=points if kind == ADJUSTMENT else None, item=item if kind == VETO else None, decided_on=day,
            evidence=evidence), files or [])


def withdraw_form(view: frame.View, rows) -> None:
    editable = {r.decision_id: r for r in rows if r.editable}
    if not editable:
        return
    with st.form("decision_withdraw"):
        chosen = st.selectbox("撤销考评决定", list(editable),
                              format_func=lambda k: f"编号{k}：{editable[k].name}{_what(editable[k])}")
        why = st.text_input("撤销理由")
        submitted = st.form_submit_button("撤销")
    if submitted:
        _save(view, lambda store, _: withdraw_decision(store, view.principal, view.config, chosen,
                                                       change_reason=why), [])


def _save(view: frame.View, write, uploads) -> None:
    """The write through the actions layer, with the uploaded evidence (widgets.evidence_files), then a rerun."""
    store = reads.writable_store(view.source, access.DECIDE)
    try:
        with widgets.evidence_files(uploads) as evidence:
            saved = write(store, evidence)
    except (InputError, StoreError) as exc:
        st.error(f"未保存：{md(exc)}")
        return
    done = "已撤销" if saved.withdrawn else "已登记"
    st.session_state[SAVED] = f"{done}考评决定（编号{saved.decision_id}，第{saved.version}版）。"
    st.rerun()


def render(view: frame.View) -> None:
    saved = st.session_state.pop(SAVED, None)
    if saved:
        st.success(md(saved))
    widgets.heading(f"{view.year}年度考评决定（加减分与一票否决）")
    rows = reads.decisions(view.source, view.year)
    listing(view, rows)
    st.subheader("登记考评决定")
    add_form(view)
    withdraw_form(view, rows)


router.page(render, month=False)
