"""目标责任书 — each city's contract in words, the province-wide targets, and the config's problems."""

import streamlit as st

from pages import _ui
from scorecard import formatting as fmt
from scorecard.contracts import province_totals
from scorecard.explain import bonus_text, method_text, target_phrase

view = _ui.open_page("目标责任书", month=False, needs_data=False)
config = view.config  # a 市州 user's holds their own contract only
if view.principal.all_cities:
    st.success(f"配置检查通过：{len(config.files)}个配置文件，{len(config.cities)}个市州，"
               f"{len(config.contracts_for(view.year))}份{view.year}年目标责任书。")

    st.subheader(f"{view.year}年全省目标合计")
    _ui.table([{
        "指标": t.name, "领域": t.area,
        "全省合计": fmt.quantity(t.total, t.unit) if t.total is not None else "—（比率不合计）",
        "各市州范围": f"{fmt.quantity(t.lowest, t.unit)} ～ {fmt.quantity(t.highest, t.unit)}",
        "签订市州数": t.cities,
    } for t in province_totals(config, view.year)], right=("全省合计",))

for contract in config.contracts_for(view.year):
    city = config.city(contract.city)
    signed = f"（{contract.signed_on:%Y年%-m月%-d日}签订）" if contract.signed_on else ""
    st.subheader(f"{city.name}{signed}")
    _ui.table([{
        "指标": config.indicators[t.indicator].name,
        "领域": config.indicators[t.indicator].area,
        "目标": target_phrase(t.target, config.unit_of(t.indicator), config.indicators[t.indicator].direction),
        "权重": f"{t.weight:g}分",
        "计分方法": method_text(t.method, t.weight, config.unit_of(t.indicator) == "%"),
        "超额加分": bonus_text(t.bonus, config.rules.bonus_cap),
    } for t in contract.targets], right=("目标", "权重"))
st.caption(f"各市州加分合计最多{config.rules.bonus_cap:g}分。")
