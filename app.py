"""失业保险目标责任制考评系统 — the Streamlit router: `streamlit run app.py`.

Each page is a file in pages/ that only draws (the list is pages/_ui.py PAGES);
pages/_reads.py reads through the core, cached; pages/_ui.py holds the shared widgets.
"""

import streamlit as st

from pages import _ui
from scorecard.scoring import ScoringError
from scorecard.store import StoreError

st.set_page_config(page_title="失业保险目标责任制考评", layout="wide")
_ui.install_style()
page = _ui.navigation()
try:
    page.run()
except (StoreError, ScoringError) as exc:  # e.g. the database locked by a long import: say so, no traceback
    st.error(str(exc))
