"""The router: the sign-in check, the navigation bar and the page (app.py runs it for every session)."""

import streamlit as st

from pages import _session, _ui
from pages._plain import md
from scorecard.roles import AccessDenied
from scorecard.assessment.scoring import ScoringError
from scorecard.data.store import StoreError


def route() -> None:
    st.set_page_config(page_title="失业保险目标责任制考评", layout="wide")
    _ui.install_style()
    principal = _session.gate()
    page = _ui.navigation(principal)
    try:
        _ui.require_page(page, principal)
        page.run()
    except AccessDenied as exc:  # another city's data, or a page the user's role does not open
        _session.denied(exc)
    except (StoreError, ScoringError) as exc:  # e.g. the database locked by a long import: say so, no traceback
        st.error(md(exc))
