"""市州进度 — a city official's view of the year so far: each indicator against the pro-rata schedule."""

import plotly.graph_objects as go
import streamlit as st

from dashboard import frame, reads, router, widgets
from dashboard.text import md, svg
from dashboard.trends import card_footer, months_chart
from scorecard import clock, formatting as fmt
from scorecard.report import palette
from scorecard.report.columns import county_columns
from scorecard.report.notes import missing_text
from scorecard.report.trends import indicator_rows, measure_rows, reading, trend_label, trend_text
from scorecard.assessment.formulas import STATUS_NAMES

def overdue_rectification(view: frame.View, code: str) -> None:
    """The city's milestones of corrective action (整改, any year) past their date and not completed."""
    today = clock.today()
    late = [(p, m) for p in reads.overdue_plans(view.source, code) for m in p.overdue(today)]
    if late:
        st.warning("\n".join(
            f"- 整改节点逾期：{p.year}年度{md(p.finding_text)}的整改方案（编号{p.plan_id}）第{m.position}个节点"
            f"“{md(m.description)}”应于{m.due_on:%Y年%-m月%-d日}完成，现在{m.status}。" for p, m in late))


def counties(view: frame.View, city, month: int) -> None:
    """The city's 县（市、区）, ranked by the contracts it signed with them, and the indicators of one of them."""
    result = reads.county_result(view.source, view.year, month, city.code)
    if result is None:
        return
    grades = result.rules.grades
    st.subheader(f"下辖县（市、区）（{len(result.cities)}个，按{city.name}与其签订的{result.year}年目标责任书）")
    widgets.columns_table(county_columns(), result.cities,
                          colors={"等次": [palette.grade_color(c.grade, grades) for c in result.cities]})
    names = {c.code: c.name for c in result.cities}
    chosen = st.selectbox("查看县（市、区）的指标", list(names), format_func=names.get, key="_county")
    county = result.city(chosen)
    for row in range(0, len(county.indicators), 4):
        for column, indicator in zip(st.columns(4), county.indicators[row:row + 4]):
            with column:
                widgets.indicator_card(indicator, result.month)


def indicator_months(lines, city) -> None:
    """The months of one indicator the user picks (kept in the URL as ?indicator=): its figures against the same
    month of the previous year (同比) and the month before (环比), and its measures'."""
    names = {line.code: line.name for line in lines}
    codes = {name: code for code, name in names.items()}
    chosen = frame.pick("indicator", "指标", list(names), names.get, parse=lambda raw: codes.get(raw, raw),
                        placeholder="选择一项指标，查看各月数据、同比和环比", column=st.columns([2, 3])[0])
    if chosen is None:
        return
    line = next(line for line in lines if line.code == chosen)
    st.markdown(f"**趋势：{md(trend_label(line.trend))}**　{md(trend_text(line))}")
    widgets.chart(months_chart(line), height=320)
    rows = indicator_rows(line)
    widgets.table(rows, right=tuple(k for k in rows[0] if k != "月份"))
    for measure in line.measures:
        st.markdown(f"**{md(measure.name)}**")
        rows = measure_rows(measure)
        widgets.table(rows, right=tuple(k for k in rows[0] if k != "月份"))
    st.caption(("" if line.has_previous_year else f"{md(city.name)}上一年度没有数据，没有同比。") + md(reading(line)))


def render(view: frame.View) -> None:
    result = view.result()
    city = result.city(view.city)
    fund = next(f for f in result.fund if f.city == city.code)
    widgets.heading(f"{city.name}{result.year}年目标责任书完成进度（截至{result.month}月）", result)

    widgets.kpi_row([
        (f"{result.label}总分", fmt.points(city.total), f"{result.label}得分，详见“年终考评”页"),
        ("全省名次", f"第{city.rank}名 / {reads.ranking(view.source, result.year, result.month).city_count}"),
        ("等次", city.grade),
        ("达到序时进度", f"{sum(i.status == 'met' for i in city.indicators)} / {len(city.indicators)}项"),
        ("基金可支付月数", fmt.months(fund.capacity), fund.missing_reason or f"{fund.level_name}（预警线"
         f"{result.rules.warning.threshold_months:g}个月，关注线{result.rules.warning.watch_months:g}个月）"),
    ])
    if missing_text(city):
        st.warning(f"{md(city.name)}{missing_text(city)}：缺报月份不按0计算，实际数只累计已报送的月份。")
    widgets.footnotes(result)
    overdue_rectification(view, city.code)

    st.subheader("各指标完成情况")
    as_of = reads.shown_as_of(view.source, result)
    widgets.as_of_note(result, as_of, "各月数据和序时进度")
    lines = {line.code: line for line in reads.trends(view.source, result.year, city.code, result.month, as_of)}
    for row in range(0, len(city.indicators), 4):
        for column, indicator in zip(st.columns(4), city.indicators[row:row + 4]):
            with column:
                line = lines.get(indicator.code)
                widgets.indicator_card(indicator, result.month, card_footer(line) if line else "")
    if lines:
        st.subheader("各月数据、同比和环比")
        indicator_months(list(lines.values()), city)

    series = reads.pace(view.source, result.year, city.code, result.month, as_of)
    if series:
        st.subheader("累计完成与序时进度")
        by_code = {i.code: i for i in city.indicators}
        for row in range(0, len(series), 2):
            for column, line in zip(st.columns(2), series[row:row + 2]):
                status = by_code[line.indicator].status
                months = [f"{p.month}月" for p in line.points]
                figure = go.Figure()
                figure.add_scatter(x=months, y=[p.pace for p in line.points], name="序时进度", mode="lines",
                                   line={"color": palette.GREY, "dash": "dash"},
                                   hovertemplate="%{x} 序时进度 %{y:,.2f}<extra></extra>")
                # the line breaks at an unreported month: a flat segment would read as a month of zero
                figure.add_scatter(x=months, y=[None if p.missing else p.actual for p in line.points], name="累计完成",
                                   mode="lines+markers",
                                   line={"color": palette.STATUS_COLORS[status], "width": 3},
                                   hovertemplate="%{x} 累计完成 %{y:,.2f}<extra></extra>")
                gaps = [p for p in line.points if p.missing]
                if gaps:
                    figure.add_scatter(x=[f"{p.month}月" for p in gaps], y=[p.actual or 0 for p in gaps],
                                       name="数据缺失", mode="markers",
                                       marker={"symbol": "x", "size": 11, "color": palette.GREY},
                                       hovertemplate="%{x} 数据缺失（累计只含已报送月份）<extra></extra>")
                figure.update_layout(title=f"{svg(line.name)}（{svg(line.unit)}）　{STATUS_NAMES[status]}",
                                     yaxis={"rangemode": "tozero", "tickformat": ",.0f"})
                with column:
                    widgets.chart(figure, height=320)
    counties(view, city, result.month)


router.page(render, city=True)
