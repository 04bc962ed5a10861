"""年终考评 — the assessors' full score sheet, any city's score in words, and how robust the ranking is."""

import plotly.graph_objects as go
import streamlit as st

from dashboard import frame, published, reads, router, suggested, widgets
from dashboard.text import md, svg
from scorecard import clock, exports
from scorecard import formatting as fmt
from scorecard.config import Adjustment, Veto
from scorecard.exports.package import PACKAGE_FORMAT
from scorecard.report import palette
from scorecard.report import robustness as robust
from scorecard.report.columns import CODE, VETO, cells, totals_columns
from scorecard.report.sheet import LINE_CODE, lines, sheet_columns
from scorecard.assessment.explain import (
    calculation_text,
    counting_text,
    day_text,
    none_of,
    not_yet_counted_text,
    total_text,
)


def counted(decision, result) -> dict:
    """When an adjustment or veto was decided, and whether the result shown counts it (scoring.md §4)."""
    return {"认定日期": day_text(decision), "计入": counting_text(decision, result.year, result.month)}


def _total_text(total, missing: str) -> str:
    return fmt.points(total) if total is not None else missing


def three_scores(view: frame.View, result) -> None:
    """自评分 / 核查分 / 审定分 of the cities that submitted a self-assessment, the differences marked."""
    submitted = [t for t in reads.three_scores(view.source, result.year) if t.claimed_total is not None]
    if not submitted:
        return
    st.subheader("自评、核查与审定")
    marks = [palette.OCHRE if t.differs else None for t in submitted]
    widgets.table([{"市州": t.city.name, "自评分": _total_text(t.claimed_total, "未提交"),
                    "核查分": _total_text(t.verified_total, "未核查"), "审定分": fmt.points(t.approved_total),
                    "差异": "有" if t.differs else "无"} for t in submitted],
                  colors={"自评分": marks, "核查分": marks, "审定分": marks}, right=("自评分", "核查分", "审定分"))
    st.caption("审定分为正式考评结果；各指标的自评数、核查数及理由见“自评核查”页。")


def rank_ranges(found) -> go.Figure:
    """Per city the ranks it takes across the scenarios (a box from the best to the worst), the base rank marked."""
    labels = [svg(robust.city_label(c)) for c in found.cities]
    moved = [palette.OCHRE if c.moves else palette.GREY for c in found.cities]
    figure = go.Figure(go.Bar(
        x=labels, base=[c.best_rank - 0.35 for c in found.cities], y=[c.worst_rank - c.best_rank + 0.7 for c in found.cities],
        width=0.5, marker={"color": [palette.light(m) for m in moved], "line": {"color": moved, "width": 2}},
        customdata=[[svg(c.name), c.base_rank, c.best_rank, c.worst_rank] for c in found.cities],
        hovertemplate="%{customdata[0]}：基准第%{customdata[1]}名，各情景第%{customdata[2]}至%{customdata[3]}名<extra></extra>"))
    figure.add_trace(go.Scatter(x=labels, y=[c.base_rank for c in found.cities], mode="markers", hoverinfo="skip",
                                marker={"symbol": "diamond", "size": 11, "color": palette.BLUE}))
    count = max((c.worst_rank for c in found.cities), default=1)
    figure.update_yaxes(autorange=False, range=[count + 0.6, 0.4], dtick=1, title="名次")
    figure.update_layout(title="各市州在各情景下的名次范围（◆为基准名次）", showlegend=False, bargap=0.5)
    return figure


def robustness(view: frame.View) -> None:
    """排名稳健性: the ranks under equal weights, ±20 % per area and each indicator left out, and who moves."""
    found = reads.robustness(view.source, view.year, view.month, view.publication_number)
    st.subheader(robust.TITLE)
    if not found.cities:
        st.caption("（无）")
        return
    widgets.summary_lines(robust.sentences(found))
    if len(found.cities) > widgets.DETAIL_MAX:  # a national roll-up: the units that move most, not every one
        moved = found.moved()[:widgets.EDGE_ROWS]
        if moved:
            st.caption(f"名次变动最大的{len(moved)}个单位：")
            widgets.table([{"市州": c.name, "基准名次": c.base_rank, "最好名次": c.best_rank, "最差名次": c.worst_rank,
                            "最大变动（位）": c.max_shift, "变动情景数": c.moves} for c in moved])
    else:
        names = [robust.city_label(c) for c in found.cities]
        widgets.table([{"情景": s.label, **{name: robust.rank_cell(c, k) for name, c in zip(names, found.cities)}}
                       for k, s in enumerate(found.scenarios)],
                      colors={name: [None if not shift else palette.GREEN if shift > 0 else palette.CRIMSON
                                     for shift in c.shifts] for name, c in zip(names, found.cities)},
                      right=tuple(names))
        st.caption("表中为各情景下的名次，↑上升、↓下降的位数与基准（责任书权重）名次相比；有变动的格着色。")
        if found.whole:  # one city's range is said by its column
            widgets.chart(rank_ranges(found), height=360)
    st.caption(robust.method_note())


def render(view: frame.View) -> None:
    result = view.result()
    grades = result.rules.grades
    many = len(result.cities) > widgets.DETAIL_MAX  # a national roll-up: searchable grids instead of printed tables
    widgets.heading(f"{result.year}年度失业保险目标责任制考评计分表（截至{result.month}月）", result)
    widgets.footnotes(result)
    published.panel(view)

    *documents, bundle = st.columns(len(exports.FORMATS) + 1)
    for column, kind in zip(documents, exports.FORMATS):
        with column:
            widgets.download_link(f"下载{exports.FORMATS[kind].label}", reads.download(view.source, kind, result.year,
                                                                                     result.month), wide=True)
    with bundle:
        widgets.download_link(f"下载{PACKAGE_FORMAT.label}", reads.package_download(view.source, result.year, result.month),
                              wide=True)

    st.subheader("总分、等次与名次")
    totals = totals_columns()
    if many:
        widgets.columns_grid(totals[:2] + [CODE] + totals[2:] + [VETO], result.cities, key="totals",
                             search=("市州", "代码"))
    else:
        widgets.columns_table(totals + [VETO], result.cities,
                              colors={"等次": [palette.grade_color(c.grade, grades) for c in result.cities]})
    if result.quota_places is not None:
        st.caption(f"优秀名额：{result.quota_places}个（参评市州的{result.rules.excellent_quota:.0%}，向下取整）。")

    if result.month == 12:
        three_scores(view, result)
    robustness(view)

    city = result.city(view.city)
    st.subheader(f"{md(city.name)}得分计算过程")
    later = not_yet_counted_text([city], result.year, result.month)
    widgets.words([calculation_text(i, result.month) for i in city.indicators],
              "合计：" + total_text(city, result.rules.bonus_cap) + (f"。{later}" if later else ""))
    widgets.download_link(f"下载{city.name}单位考评卡（PDF）", reads.report_card(view.source, result.year, result.month,
                                                                           city.code))

    decided = [(c, d) for c in result.cities for d in (*c.adjustments, *c.vetoes, *c.not_yet_counted)]
    left, right = st.columns(2)
    with left:
        st.subheader("加减分")
        widgets.table([{"市州": c.name, "加减分": fmt.points(a.points), "原因": a.reason, **counted(a, result)}
                       for c, a in decided if isinstance(a, Adjustment)])
    with right:
        st.subheader("一票否决")
        widgets.table([{"市州": c.name, "否决事项": v.item, "情况": v.reason, **counted(v, result)}
                       for c, v in decided if isinstance(v, Veto)])

    flagged = [e for e in reads.episodes(view.source, result.year, result.month, clock.today()) if e.flagged]
    st.subheader("基金预警未按规定报告")
    if flagged:
        widgets.episodes_table(flagged, details=False)
        offered = reads.suggestion_offers(view.source, result.year, flagged)
        still = [o.suggestion for o in offered if o.decision_id is None]
        if still:
            st.warning("**以下加减分只是建议，尚未计入得分。** 考评组如采纳，请点击“记为考评决定”，或将下列行粘贴到 "
                       f"`config/assessments/{result.year}.yaml` 的 `adjustments:` 之下，刷新本页后计入总分。")
        suggested.show(view, offered)
        if still:
            st.code("\n".join(s.as_yaml() for s in still), language="yaml")
        elif not offered:
            st.caption("上述情形的建议扣分已写入考评配置，已计入加减分。")
    else:
        st.caption(f"{result.year}年截至{result.month}月，{md(none_of(view.subject, '被认定为基金预警未按规定报告'))}。")

    st.subheader("计分表")
    columns, rows = sheet_columns(), lines(result)
    if many:  # one row per unit and indicator: every row names its unit, so that a search and a sort keep them
        widgets.columns_grid(columns[:2] + [LINE_CODE] + columns[2:], rows, key="sheet",
                             search=("市州", "代码", "考核指标"))
    else:   # printed: a city's rank and name on its first line only
        missing = [palette.GREY if line.indicator.actual is None else None for line in rows]
        widgets.table([{**cells(columns, line), **({} if line.first else {"名次": "", "市州": ""})} for line in rows],
                      colors={"实际": missing, "完成率": missing},
                      right=tuple(c.header for c in columns if c.align == "R"))


router.page(render, city=True)
