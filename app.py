"""失业保险目标责任制考评系统 — Streamlit entry point (the dashboard issue builds the pages)."""

import os

import pandas as pd
import streamlit as st

from scorecard import formatting as fmt
from scorecard.demo import build_demo
from scorecard.scoring import score_year
from scorecard.store import Store, resolve_db
from scorecard.validation import load_config

st.set_page_config(page_title="失业保险目标责任制考评", layout="wide")
config, problems = load_config(os.environ.get("SCORECARD_CONFIG", "config"))
if problems:
    st.error("配置有问题，请修正后刷新：\n\n" + "\n".join(f"- {p}" for p in problems))
    st.stop()
store = Store(resolve_db())
if not store.exists():
    build_demo(store, config)
year = st.selectbox("年度", config.years()[::-1])
result = score_year(config, store, year)
st.title(f"{year}年度全省失业保险工作目标责任制考评（截至{result.month}月，{result.label}）")
if result.demo:
    st.warning("演示数据")
st.dataframe(pd.DataFrame([{"名次": c.rank, "市州": c.name, "总分": fmt.points(c.total), "等次": c.grade,
                            "名次变化": fmt.rank_change(c.rank_change)} for c in result.cities]),
             hide_index=True)
