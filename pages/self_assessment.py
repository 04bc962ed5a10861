"""自评核查 — after the year a city claims its year-end figure per indicator (自评, with notes and evidence), province
verifiers record the figure they verified (核查, with the reason of every difference), and the approved result (审定)
is the official one; the three scores side by side, the differences marked. Writes through the actions layer."""


import streamlit as st

from dashboard import frame, reads, router, widgets
from dashboard.text import md
from scorecard import formatting as fmt
from scorecard import roles as access
from scorecard.actions.self_assessment import submit, verify
from scorecard.data.store import StoreError
from scorecard.errors import InputError
from scorecard.formatting import PERCENT
from scorecard.records.evidence import MAX_BYTES
from scorecard.records.self_assessment import CLAIMED, VERIFIED
from scorecard.report import palette

SAVED = "_self_assessment_saved"


def _figure(value, unit: str) -> str:
    return fmt.quantity(value, unit) if value is not None else "—"


def _shown(value, unit: str) -> float:
    """A figure as typed in the form: a percentage as 95.0, not 0.95."""
    return round(value * 100, 4) if unit == PERCENT else float(value)


def _typed(value: float, unit: str) -> float:
    return value / 100 if unit == PERCENT else value


def comparison(three) -> None:
    rows, marks = [], []
    for line in three.indicators:
        i = line.indicator
        rows.append({"考核指标": i.name, "目标": _figure(i.target, i.unit),
                     "自评数": _figure(line.claimed.figure if line.claimed else None, i.unit),
                     "自评分": fmt.points(line.claimed_points),
                     "核查数": _figure(line.verified.figure if line.verified else None, i.unit),
                     "核查分": fmt.points(line.verified_points),
                     "数据实际数": _figure(i.actual, i.unit), "审定分": fmt.points(line.approved_points),
                     "说明与核查理由": "；".join(t for t in (line.claimed and line.claimed.note,
                                                     line.verified and line.verified.note) if t) or "—"})
        marks.append(palette.OCHRE if line.differs else None)
    rows.append({"考核指标": "总分（含加分、加减分）", "目标": "",
                 "自评数": "", "自评分": fmt.points(three.claimed_total) if three.claimed_total is not None else "未提交",
                 "核查数": "", "核查分": fmt.points(three.verified_total) if three.verified_total is not None else "未核查",
                 "数据实际数": "", "审定分": fmt.points(three.approved_total), "说明与核查理由": ""})
    marks.append(palette.OCHRE if three.differs else None)
    widgets.table(rows, colors={name: marks for name in ("自评分", "核查分", "审定分")},
                  right=("目标", "自评数", "自评分", "核查数", "核查分", "数据实际数", "审定分"))
    st.caption("标色的行：自评分、核查分、审定分不一致。自评分按市州自评数计算，核查分按核查数计算（未核查的指标按自评数），"
               "审定分为正式考评结果（已发布时为发布的结果）；三者的加减分相同。")


def _form(view, three, stage: str) -> None:
    verifying = stage == VERIFIED
    with st.form(f"self_assessment_{stage}"):
        typed = {}
        for line in three.indicators:
            i = line.indicator
            start = (line.verified or line.claimed) if verifying else line.claimed
            value = start.figure if start else (i.actual or 0.0)
            left, right = st.columns([1, 2])
            unit = "%" if i.unit == PERCENT else i.unit
            whole = i.unit in ("人", "人次", "户")
            figure = left.number_input(f"{i.name}（{unit}）", min_value=0.0, value=_shown(value, i.unit),
                                       step=1.0 if whole else 0.01, format="%.0f" if whole else "%.2f",
                                       key=f"{stage}_{i.code}")
            note = right.text_input("与自评数不同的理由" if verifying else "说明", key=f"{stage}_{i.code}_note",
                                    value=(line.verified.note or "") if verifying and line.verified else "")
            typed[i.code] = (_typed(figure, i.unit), note)
        files = st.file_uploader(f"辅证材料（PDF、PNG/JPEG图片或xlsx，每个不超过{MAX_BYTES // 1024 // 1024}MB）",
                                 accept_multiple_files=True, key=f"{stage}_files")
        sent = st.form_submit_button("保存核查结果" if verifying else "提交自评")
    if sent:
        _save(view, verify if verifying else submit, typed, files or [], stage)


def _save(view, write, typed, uploads, stage) -> None:
    store = reads.writable_store(view.source, access.REVIEW if stage == VERIFIED else access.REPORT)
    try:
        with widgets.evidence_files(uploads) as evidence:
            saved = write(store, view.principal, view.config, view.year, view.city, typed, evidence=evidence)
    except (InputError, StoreError, access.AccessDenied) as exc:
        st.error(f"未保存：{md(exc)}")
        return
    st.session_state[SAVED] = f"已保存{stage}：{len(saved)}项指标。"
    st.rerun()


def render(view: frame.View) -> None:
    saved = st.session_state.pop(SAVED, None)
    if saved:
        st.success(md(saved))
    three = next(t for t in reads.three_scores(view.source, view.year) if t.city.code == view.city)
    widgets.heading(f"{three.city.name}{view.year}年度自评、核查与审定", view.result())
    comparison(three)
    who = view.principal
    if who.may(access.REPORT) and who.city == view.city:
        st.subheader("提交自评")
        st.caption("按全年实际完成情况填写各指标的自评数，可附辅证材料；提交后由省级核查，可再次提交（保留每一版）。")
        _form(view, three, CLAIMED)
    if who.may(access.REVIEW):
        st.subheader("核查")
        st.caption("核查数与市州自评数不同的，须写明理由；保存后保留每一版。")
        _form(view, three, VERIFIED)
    history = reads.self_assessment_entries(view.source, view.year, view.city)
    if history:
        with st.expander(f"填报与核查记录（{len(history)}条）"):
            names = {i.code: i.name for i in three.city.indicators}
            units = {i.code: i.unit for i in three.city.indicators}
            widgets.table([{"时间": f"{e.created_at:%Y-%m-%d %H:%M}", "环节": e.stage, "填报人": e.author,
                            "指标": names.get(e.indicator, e.indicator),
                            "数": _figure(e.figure, units.get(e.indicator, "")), "说明或理由": e.note or "—",
                            "辅证材料": "、".join(f.file_name for f in e.evidence) or "—"} for e in history[::-1]])


router.page(render, month=False, city=True)
