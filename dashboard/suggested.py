"""The suggested deductions of the duty to report (warning_duty.offers) on the 基金预警 and 年终考评 pages: each
one already recorded names its decision; for a user who may decide, each open one has a button that records it
as a decision through the actions layer (points, reason with the facts behind it, and date as suggested)."""

from __future__ import annotations

import streamlit as st

from dashboard import frame, reads
from dashboard.text import md
from scorecard import roles as access
from scorecard.actions.decisions import add_decision
from scorecard.data.store import StoreError
from scorecard.errors import InputError

ADOPTED = "_suggestion_adopted"
ADOPT = "记为考评决定"


def show(view: frame.View, offered) -> None:
    """`offered`: warning_duty.Offer of the page's episodes."""
    done = st.session_state.pop(ADOPTED, None)
    if done:
        st.success(md(done))
    may = view.principal is not None and view.principal.may(access.DECIDE)
    for offer in offered:
        suggestion, taken = offer.suggestion, offer.decision_id
        text = f"{md(suggestion.name)}{suggestion.points:+g}分：{md(suggestion.reason)}"
        if taken is not None:
            st.caption(f"{text} —— 已记为考评决定（第{taken}号）")
        elif may:
            left, right = st.columns([4, 1])
            left.markdown(text)
            if right.button(ADOPT, key=f"adopt_{suggestion.city}_{suggestion.date:%Y%m%d}"):
                _adopt(view, suggestion)


def _adopt(view: frame.View, suggestion) -> None:
    try:
        saved = add_decision(reads.writable_store(view.source, access.DECIDE), view.principal, view.config,
                             view.year, suggestion.city, points=suggestion.points,
                             reason=suggestion.recorded_reason, decided_on=suggestion.date)
    except (InputError, StoreError) as exc:
        st.error(f"未保存：{md(exc)}")
        return
    st.session_state[ADOPTED] = f"已记为考评决定（第{saved.decision_id}号）。"
    st.rerun()
