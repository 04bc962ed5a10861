"""全省排名 — the provincial leadership's view: rank, total and grade of every city, with the indicators
behind them. A 市州 user sees the ranking as circulated instead (scorecard.access): every city's rank,
total and grade once the year-end result is final, their own row alone before that."""

import plotly.graph_objects as go
import streamlit as st

from pages import _reads, _ui
from scorecard import formatting as fmt
from scorecard import palette
from scorecard.explain import missing_text
from scorecard.fund import RED
from scorecard.rules import STATUS_NAMES


def circulated(view: _ui.View) -> None:
    ranking = _reads.ranking(view.source, view.year, view.month)
    grades = view.config.rules.grades
    _ui.heading(f"{ranking.year}年度各市州失业保险目标责任制考评排名（截至{ranking.month}月）",
                view.result())
    own = next((r for r in ranking.rows if r.city == view.principal.city), None)
    if own is not None:
        _ui.kpi_row([(f"本市{ranking.label}名次", f"第{own.rank}名 / {ranking.city_count}"),
                     (f"本市{ranking.label}总分", fmt.points(own.total)), ("本市等次", own.grade)])
    _ui.table([{"名次": r.rank, "市州": r.name, "总分": fmt.points(r.total), "等次": r.grade,
                "名次变化": fmt.rank_change(r.rank_change), "备注": "一票否决" if r.vetoed else ""}
               for r in ranking.rows],
              colors={"等次": [palette.grade_color(r.grade, grades) for r in ranking.rows],
                      "市州": [palette.BLUE if r.city == view.principal.city else None for r in ranking.rows]},
              right=("总分",))
    if ranking.provisional:
        st.info(f"12月以前为预估结果，只显示本市的预估名次。年终考评结果（12月）出来后，这里列出全省{ranking.city_count}个"
                "市州的名次、总分和等次。")
        st.caption(f"注：截至{ranking.month}月的预估得分，流量指标按序时进度推算全年；本市的指标明细见“市州进度”和“年终考评”页。")
    else:
        st.caption("按年终考评结果公布各市州的名次、总分和等次；其他市州的指标明细、基金和报送情况不向市州公开。"
                   "本市的得分计算见“年终考评”页。")


view = _ui.open_page("全省排名")
if not view.principal.all_cities:
    circulated(view)
    st.stop()
result = view.result()
grades = view.config.rules.grades
_ui.heading(f"{result.year}年度各市州失业保险目标责任制考评排名（截至{result.month}月）", result)

excellent = sum(c.grade == grades[0][0] for c in result.cities)
incomplete = [c.name for c in result.cities if c.incomplete]
warned = [f.name for f in result.fund if f.level == RED]
_ui.kpi_row([
    ("参评市州", f"{len(result.cities)}个"),
    ("全省平均分", fmt.points(sum(c.total for c in result.cities) / len(result.cities))),
    (f"{grades[0][0]}等次", f"{excellent}个"),
    ("基金预警", f"{len(warned)}个", "可支付月数低于预警线：" + ("、".join(warned) or "无")),
    ("数据不全", f"{len(incomplete)}个", "、".join(incomplete) or "各市州数据齐全"),
])

grade_colors = [palette.grade_color(c.grade, grades) for c in result.cities]
_ui.table([{
    "名次": c.rank,
    "市州": c.name,
    "总分": fmt.points(c.total),
    "等次": c.grade,
    "名次变化": fmt.rank_change(c.rank_change),
    "一票否决": "、".join(v.item for v in c.vetoes) or "—",
    "数据不全": missing_text(c) or "—",
} for c in result.cities], colors={"等次": grade_colors}, right=("总分",))
_ui.footnotes(result)

left, right = st.columns(2)
with left:
    figure = _ui.bars([_ui.city_label(c) for c in result.cities], [c.total for c in result.cities], grade_colors,
                      [f"{fmt.points(c.total)}<br>{c.grade}" for c in result.cities], "%{x}：%{y:.2f}分<extra></extra>")
    for name, minimum in grades[:-1]:
        _ui.line_at(figure, minimum, f"{name} {minimum:g}分", palette.GREY)
    figure.update_layout(title="总分（颜色为等次）", yaxis_title="分", showlegend=False,
                         yaxis_range=[0, max(110.0, max(c.total for c in result.cities) * 1.15)])
    _ui.chart(figure, height=460)
with right:
    indicators = list(dict.fromkeys((i.code, i.name) for c in result.cities for i in c.indicators))
    statuses = list(STATUS_NAMES)
    cells = [[{i.code: i for i in c.indicators}.get(code) for c in result.cities] for code, _ in indicators]
    figure = go.Figure(go.Heatmap(
        z=[[None if i is None else statuses.index(i.status) for i in row] for row in cells],
        x=[_ui.city_label(c) for c in result.cities], y=[name for _, name in indicators],
        text=[["" if i is None else fmt.percent(i.completion) for i in row] for row in cells],
        texttemplate="%{text}", textfont={"color": "white", "size": 12},
        hovertext=[["" if i is None else f"{c.name} · {i.name}<br>实际{fmt.quantity(i.actual, i.unit)}，"
                    f"目标{fmt.quantity(i.target, i.unit)}<br>完成{fmt.percent(i.completion)}，{STATUS_NAMES[i.status]}"
                    for c, i in zip(result.cities, row)] for row in cells],
        hoverinfo="text", zmin=-0.5, zmax=len(statuses) - 0.5, xgap=2, ygap=2, showscale=False,
        colorscale=_ui.steps([palette.STATUS_COLORS[s] for s in statuses])))
    for row, (_, name) in zip(cells, indicators):  # an empty cell: the city's contract has no such target
        for c, i in zip(result.cities, row):
            if i is None:
                figure.add_annotation(x=_ui.city_label(c), y=name, text="不考核", showarrow=False,
                                      font={"color": palette.GREY, "size": 11})
    figure.update_yaxes(autorange="reversed", showline=False, ticks="")
    figure.update_xaxes(side="top", showline=False, ticks="")
    figure.update_layout(title={"text": "各指标完成率　" + _ui.legend_text(
        {STATUS_NAMES[s]: palette.STATUS_COLORS[s] for s in statuses}), "y": 0.99}, margin={"t": 80})
    _ui.chart(figure, height=460)

st.subheader("分领域得分（得分 / 满分）")
_ui.table([{
    "名次": c.rank, "市州": c.name,
    **{area: _ui.points_of(c.area_points().get(area)) for area in result.areas},
    "加分": fmt.points(c.bonus), "加减分": fmt.points(c.adjustment), "总分": fmt.points(c.total),
} for c in result.cities], right=(*result.areas, "加分", "加减分", "总分"))
