"""数据管理 — which monthly reports are in, which measures are missing, and the latest imports."""

import streamlit as st

from pages import _reads, _ui
from scorecard import palette

view = _ui.open_page("数据管理", month=False)
config = view.config
through = view.holdings.latest[view.year]
reports = _reads.completeness(view.source, view.year, through)
_ui.heading(f"{view.year}年1至{through}月报送情况", demo=view.holdings.demo)

complete = sum(r.complete for r in reports)
absent = [r for r in reports if not r.reported]
_ui.kpi_row([
    ("应报市州·月", f"{len(reports)}个"),
    ("完整", f"{complete}个"),
    ("部分缺项", f"{sum(r.reported and not r.complete for r in reports)}个"),
    ("未报送", f"{len(absent)}个"),
])

by_city: dict[str, dict] = {}
colors: dict[str, list] = {}
for r in reports:
    row = by_city.setdefault(r.city, {"市州": config.city(r.city).name})
    row[f"{r.month}月"] = "完整" if r.complete else (f"缺{len(r.missing)}项" if r.reported else "未报送")
    colors.setdefault(f"{r.month}月", []).append(  # only what needs chasing is coloured
        None if r.complete else (palette.AMBER_COLOR if r.reported else palette.CRIMSON))
_ui.table(list(by_city.values()), colors=colors)
st.caption("只列影响评分和基金预警的统计项：各市州目标责任书所用的统计项，以及基金收入、支出和累计结余。")

st.subheader("缺报明细")
_ui.table([{
    "市州": config.city(r.city).name, "月份": f"{r.month}月",
    "缺少的统计项": "全部未报送" if not r.reported else "、".join(config.measures[m].name for m in r.missing),
} for r in reports if not r.complete])

if not view.principal.all_cities:  # an import file holds every city's figures
    st.stop()
st.subheader("最近导入")
_ui.table([{
    "导入编号": import_id, "文件": file_name, "导入时间": f"{imported_at:%Y-%m-%d %H:%M}",
    "导入人": imported_by or "—", "行数": f"{total:,}", "新增": f"{new:,}", "替换": f"{replaced:,}",
    "未变": f"{unchanged:,}",
} for import_id, file_name, _sha, imported_at, imported_by, total, new, replaced, unchanged
    in _reads.imports(view.source)], right=("行数", "新增", "替换", "未变"))
