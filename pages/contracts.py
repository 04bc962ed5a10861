"""目标责任书 — each city's contract in words, the province-wide targets, and the config's problems.
For more units than `widgets.DETAIL_MAX` (a national roll-up) the contracts are found by a search, not all drawn."""

import streamlit as st

from dashboard import frame, reads, router, widgets
from dashboard.text import md
from scorecard import clock, exports, formatting as fmt
from scorecard.records.rectification import DONE
from scorecard.report.targets import amendment_texts, province_totals
from scorecard.assessment.explain import bonus_text, method_text, target_phrase
from scorecard.config.cascade import sum_text, target_sums


def contract_table(config, contract) -> None:
    city = config.city(contract.city)
    signed = f"（{contract.signed_on:%Y年%-m月%-d日}签订）" if contract.signed_on else ""
    if contract.amendments:
        signed += f"（年内调整{len(contract.amendments)}次，下表为签订时的目标）"
    st.subheader(f"{md(city.name)}{signed}")
    cap = config.rules_for(contract.year).bonus_cap
    widgets.table([{
        "指标": indicator.name,
        "领域": indicator.area,
        "目标": target_phrase(t.target, indicator.unit, indicator.direction),
        "权重": f"{t.weight:g}分",
        "计分方法": method_text(t.method, t.weight, indicator.unit == "%", indicator.lower_rate),
        "超额加分": bonus_text(t.bonus, cap, indicator.lower_rate),
    } for t in contract.targets for indicator in [config.indicators[t.indicator]]], right=("目标", "权重"))
    for amendment in amendment_texts(config, contract):
        st.markdown(f"**目标调整：{amendment.title}**　理由：{md(amendment.reason)}")
        widgets.table([{"指标": e.name, "原目标": e.before, "调整后": e.after, "权重": e.weight}
                       for e in amendment.edits], right=("原目标", "调整后", "权重"))


def handed_down(config, contract) -> None:
    """The contracts a 市州 signed with its 县（市、区）: their targets summed against its own (a warning when short)."""
    below = config.contracts_for(contract.year, contract.city)
    if not below:
        return
    sums = target_sums(config, contract.year, contract.city)
    for s in sums:
        if s.short:
            st.warning(f"警告：{md(sum_text(config, s))}。")
    with st.expander(f"下辖县（市、区）的目标责任书（{len(below)}份）"):
        widgets.table([{
            "指标": config.indicators[s.indicator].name,
            "本级目标": fmt.quantity(s.own, config.unit_of(s.indicator)),
            "县（市、区）合计": fmt.quantity(s.total, config.unit_of(s.indicator)),
            "签订单位数": s.units,
            "核对": "低于本级目标" if s.short and s.higher else "高于本级目标" if s.short else "足以完成",
        } for s in sums], right=("本级目标", "县（市、区）合计"))
        st.caption("只核对可以相加的指标（单一统计项的流量和存量）；比率指标（征缴率、参保率、发放率等）不相加。")
        if st.toggle("逐份显示", key=f"_handed_down_{contract.city}"):
            for county in below:
                contract_table(config, county)


def contract_downloads(view: frame.View, city: str | None, what: str) -> None:
    """下载目标责任书（Word/PDF）: a city's, or the bundle of the year (`city` None)."""
    for column, kind in zip(st.columns(len(exports.CONTRACT_FORMATS)), exports.CONTRACT_FORMATS):
        with column:
            widgets.download_link(f"下载{what}（{'Word' if kind == 'docx' else 'PDF'}）",
                                  reads.contract_download(view.source, kind, view.year, city), wide=True)


def previous_plans(view: frame.View, plans) -> None:
    """The city's corrective action plans of the year before, shown again beside this year's contract."""
    if not plans:
        return
    today = clock.today()
    st.info("\n".join([f"{view.year - 1}年度整改方案："] + [
        f"- 编号{p.plan_id}　{md(p.finding_text)}（{p.state}）：{md(p.current.measures)}；责任人{md(p.current.owner)}；"
        f"{len(p.milestones)}个节点，已完成{sum(m.status == DONE for m in p.milestones)}个"
        + (f"，逾期{len(p.overdue(today))}个" if p.overdue(today) else "") for p in plans]))


def render(view: frame.View) -> None:
    config = view.config  # a 市州 user's holds their own contract only
    if view.principal.all_cities:
        st.success(f"配置检查通过：{len(config.files)}个配置文件，{len(config.cities)}个市州，"
                   f"{len(config.contracts_for(view.year))}份{view.year}年目标责任书。")

        st.subheader(f"{view.year}年全省目标合计")
        widgets.table([{
            "指标": t.name, "领域": t.area,
            "全省合计": fmt.quantity(t.total, t.unit) if t.total is not None else "—（比率不合计）",
            "各市州范围": f"{fmt.quantity(t.lowest, t.unit)} ～ {fmt.quantity(t.highest, t.unit)}",
            "签订市州数": t.cities,
        } for t in province_totals(config, view.year)], right=("全省合计",))
        if config.contracts_for(view.year):
            contract_downloads(view, None, f"各市州{view.year}年度目标责任书合订本")

    contracts = config.contracts_for(view.year)
    if len(contracts) > widgets.DETAIL_MAX:  # a national roll-up: find the contracts to read
        st.subheader(f"各单位目标责任书（{len(contracts)}份）")
        found = widgets.long_table([{
            "市州": config.city(c.city).name, "代码": c.city,
            "签订日期": f"{c.signed_on:%Y-%m-%d}" if c.signed_on else "—", "指标数": len(c.targets),
        } for c in contracts], key="contracts", search=("市州", "代码"), height=300)
        chosen = {row["代码"] for row in found}
        contracts = [c for c in contracts if c.city in chosen] if len(found) <= widgets.DETAIL_MAX else []
        if not contracts:
            st.caption(f"输入单位名称或代码查找，找到{widgets.DETAIL_MAX}份以内时在下面列出其目标责任书。")
    earlier = reads.rectification_plans(view.source, view.year - 1) if contracts else []
    for contract in contracts:
        contract_table(config, contract)
        contract_downloads(view, contract.city, "目标责任书")
        handed_down(config, contract)
        previous_plans(view, [p for p in earlier if p.city == contract.city])
    st.caption(f"各市州加分合计最多{config.rules_for(view.year).bonus_cap:g}分。")


router.page(render, month=False, needs_data=False)
