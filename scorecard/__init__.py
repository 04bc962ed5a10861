"""失业保险目标责任制考评系统 — the scoring core. Never imports Streamlit."""

__version__ = "0.1.0"
