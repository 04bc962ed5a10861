"""目标制定 — next year's targets drafted from the chosen year's final result (scorecard.assessment.drafting): the
proposal as an editable table (city × indicator), the province-wide sum of each additive target against the
province's own target, the change from this year per city with the falling targets marked, and each city's
proposal in words beside the 整改 plans it filed. An assessor (roles.DECIDE) saves it as next year's contracts
(scorecard.actions.targets); others see no save button."""

import pandas as pd
import streamlit as st

from dashboard import frame, reads, router, widgets
from dashboard.text import md
from scorecard import formatting as fmt
from scorecard import roles as access
from scorecard.actions.targets import existing_contracts, save_draft
from scorecard.data.store import StoreError
from scorecard.errors import InputError
from scorecard.report.drafting import change_text
from scorecard.report.palette import CRIMSON, GREEN

SAVED = "_targets_saved"


def _typed(p, value: float | None, digits: int = 6) -> float | None:
    """A target as typed in the table: a rate in per cent (95.8), a number in its unit; `digits`: decimals kept."""
    return None if value is None else round(value * 100, digits) if not p.additive else round(value, digits)


def proposal_editor(draft):
    """The proposal as an editable table, a row per city and indicator (next year's target early, where a phone
    shows it without scrolling sideways); returns the draft with what was typed, or
    None when it cannot be read."""
    last, new = f"{draft.from_year}年目标", f"{draft.year}年目标"
    rows = [{"市州": c.name, "指标": p.name, new: _typed(p, p.proposed), "单位": p.unit, "建议": _typed(p, p.suggested),
             last: _typed(p, p.last_target),
             f"{draft.from_year}年实际": _typed(p, p.last_actual, 1 if not p.additive else 2)}
            for c in draft.cities for p in c.proposals]
    fixed = {name: st.column_config.Column(name, disabled=True, width=width)
             for name, width in (("市州", 80), ("指标", 150), ("单位", 50))}
    figures = {name: st.column_config.NumberColumn(name, disabled=True, format="localized")
               for name in (last, f"{draft.from_year}年实际", "建议")}
    edited = st.data_editor(
        pd.DataFrame(rows), hide_index=True, num_rows="fixed", key=f"_targets_editor_{draft.year}", height=460,
        column_config={**fixed, **figures, new: st.column_config.NumberColumn(
            new, min_value=0.0, format="localized", help="可修改；比率指标写百分数，如 95.5 表示95.5%")})
    values = {}
    for row, (city, p) in zip(edited.to_dict("records"), [(c, p) for c in draft.cities for p in c.proposals]):
        typed = row[new]
        if pd.isna(typed):
            st.error(f"{md(city.name)}的“{md(p.name)}”没有填写{draft.year}年目标。")
            return None
        values[(city.city, p.indicator)] = float(typed) / 100 if not p.additive else float(typed)
    try:
        return draft.edited(values)
    except InputError as exc:
        st.error(md(exc))
        return None


def province_table(draft) -> None:
    totals = draft.totals()
    widgets.table([{
        "指标": t.name, f"{draft.year}年各市州合计": fmt.quantity(t.proposed, t.unit),
        "全省目标": fmt.quantity(t.province, t.unit) if t.province is not None else "—",
        "对照全省目标": t.verdict, f"{draft.from_year}年各市州目标合计": fmt.quantity(t.last, t.unit),
    } for t in totals], colors={"对照全省目标": [
        None if t.gap is None else CRIMSON if t.gap < -1e-9 else GREEN for t in totals]},
        right=(f"{draft.year}年各市州合计", "全省目标", f"{draft.from_year}年各市州目标合计"))
    st.caption("全省目标写在目标制定规则文件 `targets.yaml` 的 `province` 部分；比率指标不合计。")


def change_table(draft) -> None:
    names = list(dict.fromkeys(p.name for p in draft.proposals))
    by_name = [{p.name: p for p in c.proposals} for c in draft.cities]
    rows = [{"市州": c.name, **{name: change_text(own[name]) if name in own else "—" for name in names}}
            for c, own in zip(draft.cities, by_name)]
    colors = {name: [CRIMSON if name in own and own[name].falls else None for own in by_name] for name in names}
    widgets.table(rows, colors=colors)
    falling = [c for c in draft.cities if c.falling]
    if falling:
        st.warning("目标下降的市州（表中红色）：" + "；".join(
            f"{md(c.name)}（{md('、'.join(p.name for p in c.falling))}）" for c in falling))
    else:
        st.success("没有市州的目标下降。")


def city_details(draft, plans) -> None:
    for city in draft.cities:
        own = [p for p in plans if p.city == city.city]
        label = f"{city.name}" + (f"（整改方案{len(own)}份）" if own else "")
        with st.expander(md(label)):
            words, beside = st.columns([3, 2])
            words.markdown("\n".join(f"- **{md(p.name)}**（{md(p.rule)}）：{md(p.words)}" for p in city.proposals))
            if own:
                beside.markdown("\n".join([f"**{draft.from_year}年度整改方案**"] + [
                    f"- 编号{p.plan_id}　{md(p.finding_text)}（{p.state}）：{md(p.current.measures)}；"
                    f"责任人{md(p.current.owner)}" for p in own]))
            else:
                beside.caption(f"{draft.from_year}年度没有报送整改方案。")


def save_panel(view: frame.View, draft) -> None:
    st.subheader(f"保存为{draft.year}年度目标责任书")
    if not view.principal.may(access.DECIDE):
        st.caption(f"只有考评人员（{access.PERMISSION_NAMES[access.DECIDE]}的权限）可以保存。")
        return
    existing = existing_contracts(view.config, draft)
    overwrite = False
    if existing:
        overwrite = st.checkbox(f"覆盖已有的{draft.year}年目标责任书（{'、'.join(existing)}）",
                                key=f"_targets_overwrite_{draft.year}")
    st.caption(f"写入目标责任书文件夹 `contracts/{draft.year}/`，每个市州一个文件；先逐个检查，全部通过才写入。")
    if st.button(f"保存{len(draft.cities)}份{draft.year}年目标责任书", type="primary", key="_targets_save"):
        try:
            saved = save_draft(reads.writable_store(view.source, access.DECIDE), view.principal, view.config, draft,
                               overwrite=overwrite)
        except (InputError, StoreError) as exc:
            st.error(f"未保存：{md(exc)}")
            return
        st.session_state[SAVED] = (f"已保存{len(saved.files)}份{draft.year}年目标责任书到 {saved.folder}"
                                   + (f"（覆盖{'、'.join(saved.replaced)}）" if saved.replaced else "") + "。",
                                   saved.comparison)
    if SAVED in st.session_state:
        said, comparison = st.session_state[SAVED]
        st.success(md(said))
        st.code(comparison, language=None)


def render(view: frame.View) -> None:
    draft, problems = reads.target_draft(view.source, view.year)
    if draft is None:
        st.error("**targets.yaml 有问题，修正后刷新本页即可。**\n\n" + "\n".join(
            f"- `{p.file}:{p.line}`：{md(p.message)}" if p.line else f"- `{p.file}`：{md(p.message)}" for p in problems))
        return
    demo = "（演示数据）" if draft.demo else ""
    st.caption(f"依据{draft.from_year}年度年终考评（12月）的实际数和近三年的趋势，按 targets.yaml 的建议规则起草"
               f"{draft.year}年度目标{demo}。计分方法、权重和加分与{draft.from_year}年相同，只改目标值。")
    for note in draft.notes:
        st.info(note)
    st.subheader(f"{draft.year}年度建议目标（可直接修改）")
    edited = proposal_editor(draft)
    if edited is None:
        return
    st.subheader("全省合计与全省目标")
    province_table(edited)
    st.subheader(f"与{draft.from_year}年目标相比")
    change_table(edited)
    st.subheader("建议的由来和整改方案")
    city_details(edited, reads.rectification_plans(view.source, draft.from_year))
    save_panel(view, edited)


router.page(render, month=False)
