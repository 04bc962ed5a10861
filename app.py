"""失业保险目标责任制考评系统 — `streamlit run app.py`.

This file is read twice. `streamlit run` finds the `st.App` below and serves it (uvicorn): the app with
the sign-in page, sign-out and the gate in front of every request (pages/_gateway.py). Streamlit then runs
this same file as the script of every browser session (`__name__ == "__main__"`, as in AppTest): the
router. It lets nobody further than the sign-in check (pages/_session.py); each page is a file in pages/
that only draws (the list is pages/_ui.py PAGES); pages/_reads.py reads through the core, cached and
filtered for the user signed in; pages/_ui.py holds the shared widgets.
"""

import streamlit as st

if __name__ == "__main__":
    from pages import _router

    _router.route()
else:
    from pages import _gateway

    app = st.App(__file__, routes=_gateway.routes(), middleware=_gateway.middleware(), lifespan=_gateway.lifespan)
