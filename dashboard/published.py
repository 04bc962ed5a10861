"""The publication of the result a page shows (发布): which publication it is, the earlier versions to open, what has
changed since (发布后变动), and — for assessors — the form that publishes it. Drawn on 全省排名 and 年终考评."""

from __future__ import annotations

import streamlit as st

from dashboard import reads, widgets
from dashboard.frame import PUBLICATION as CHOSEN
from dashboard.text import md
from scorecard import roles as access
from scorecard.actions.publish import publish
from scorecard.data.store import StoreError
from scorecard.errors import InputError

SAVED = "_publication_saved"


def panel(view) -> None:
    """What an assessor or a provincial user needs about the publication of the year and month shown."""
    who = view.principal
    saved = st.session_state.pop(SAVED, None)
    if saved:
        st.success(md(saved))
    if who is None or not who.may(access.ALL_CITIES):
        return
    found = [p for p in reads.publications(view.source, view.year) if p.month == view.month]
    what = "年终考评结果" if view.month == 12 else f"截至{view.month}月的进度通报"
    with st.expander(f"发布记录与发布后变动（{what}已发布{len(found)}次）" if found else f"发布（{what}尚未发布）",
                     expanded=False):
        if found:
            widgets.table([{"编号": f"第{p.number}号", "发布时间": f"{p.published_at:%Y-%m-%d %H:%M}", "发布人": p.author,
                            "理由": p.reason} for p in found])
            numbers = [p.number for p in found][::-1]
            picked = st.selectbox("本页显示的版本", numbers, 
                                  index=numbers.index(st.session_state.get(CHOSEN, {}).get((view.year, view.month))
                                                      or numbers[0]),
                                  format_func=lambda n: f"第{n}号" + ("（现行）" if n == numbers[0] else "（已被替代）"),
                                  key=f"publication_{view.year}_{view.month}_{numbers[0]}")  # anew after each
            memory = st.session_state.setdefault(CHOSEN, {})
            if memory.get((view.year, view.month), numbers[0]) != picked:
                memory[(view.year, view.month)] = picked
                st.rerun()
            _changes(view)
        else:
            st.caption("发布后，本页、考评文件和命令行 `scorecard score --published` 显示发布的结果，"
                       "此后的导入和考评决定列入发布后变动，不改变发布的结果。")
        if who.may(access.PUBLISH):
            _publish_form(view, again=bool(found))


def _changes(view) -> None:
    changes = reads.changes(view.source, view.year, view.month)
    st.markdown(f"**发布后变动**（与{md(changes.publication.title)}相比）")
    if not changes.figures:
        st.caption("无：按现在的数据和考评决定计算，结果与发布的相同。")
        return
    widgets.table([{"市州": f.name, "项目": f.figure, **dict(zip(("发布时", "现在"), f.texts))} for f in changes.figures])
    if changes.reasons:
        st.caption("原因：" + md("；".join(changes.reasons)))
    st.caption("发布的结果不变；如需按现在的结果更正，请写明理由后再次发布，原发布的各版本仍保留、可查看和导出。")


def _publish_form(view, *, again: bool) -> None:
    with st.form(f"publish_{view.year}_{view.month}"):
        reason = st.text_input("再次发布的理由（写明更正的内容）" if again else "发布理由（如 年终考评会议审定）")
        submitted = st.form_submit_button("再次发布" if again else "发布")
    if not submitted:
        return
    try:
        saved = publish(reads.writable_store(view.source, access.PUBLISH), view.principal, view.config, view.year,
                        view.month, reason=reason)
    except (InputError, StoreError, access.AccessDenied) as exc:
        st.error(f"未发布：{md(exc)}")
        return
    st.session_state.setdefault(CHOSEN, {}).pop((view.year, view.month), None)
    st.session_state[SAVED] = f"已发布：{saved.title}。"
    st.rerun()
