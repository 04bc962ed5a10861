"""The web shell: the ASGI gateway in front of Streamlit (sign-in, downloads, the gate), who is signed in, the
router, the cached and scoped reads, the page frame and the shared widgets. It may import Streamlit; the core
(`scorecard`) never does. Pages (pages/) import from here; nothing here imports a page."""
