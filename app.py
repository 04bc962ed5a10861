"""失业保险目标责任制考评系统 — `streamlit run app.py`.

This file is read twice. `streamlit run` finds the `st.App` below and serves it (uvicorn): the app with the
sign-in page, sign-out, the downloads and the gate in front of every request (dashboard/gateway.py). Streamlit
then runs this same file as the script of every browser session (`__name__ == "__main__"`, as in AppTest): the
router (dashboard/router.py), which lets nobody further than the sign-in check (dashboard/session.py) and then
runs the page asked for — a file in pages/ that only draws, from the reads of dashboard/reads.py (through the
core, cached, filtered for the user signed in) with the widgets of dashboard/widgets.py.
"""

import streamlit as st

if __name__ == "__main__":
    from dashboard import router

    router.route()
else:
    from dashboard import gateway

    app = st.App(__file__, routes=gateway.routes(), middleware=gateway.middleware(), lifespan=gateway.lifespan)
