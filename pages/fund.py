"""基金预警 — months of payment capacity per city against the 2-month warning line (吉政办发〔2003〕4号),
the cities that must report, whether they reported in time, and each city's trend, projection and letter."""

import datetime as dt
import math

import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from dashboard import frame, maps, reads, router, suggested, widgets
from dashboard.text import md, svg
from scorecard import clock, exports
from scorecard import roles as access
from scorecard import formatting as fmt
from scorecard.report import duty, palette
from scorecard.report.capacity import (
    BALANCE,
    CAPACITY,
    FORWARD,
    FUND_CITY,
    FUND_CODE,
    LEVEL,
    REASON,
    balance_text,
    capacity_columns,
    expenditure,
)
from scorecard.errors import InputError
from scorecard.assessment.explain import none_of
from scorecard.exports.content import months_text
from scorecard.assessment.fund import (
    AMBER,
    FORWARD_MONTHS,
    LEVEL_NAMES,
    MIN_EXPENDITURE_MONTHS,
    NORMAL,
    RED,
    month_index,
)
from scorecard.data.store import StoreError
from scorecard.actions.warnings import correct_report, record_report
from scorecard.assessment.warning_duty import duty_reason, must_report
from scorecard.assessment.forecast import limits

TREND_MONTHS = 24          # the city's charts: up to two years back, across the year boundary
TABLE_MONTHS = 12
HISTOGRAM_MONTHS = 24      # a national roll-up's distribution of capacity: one bar a month up to here, then the rest
SAVED = "_warning_report_saved"
FORECAST_INPUTS = (("take_up", "领取率（0至1）", 0.05, "%.2f"), ("monthly_benefit", "平均月失业保险金（元）", 10.0, "%.2f"),
                   ("duration_months", "平均领取月数", 0.5, "%.1f"), ("months", "向后预测月数（6至12）", 1, "%d"))


def month_date(year: int, month: int, ahead: int = 0) -> dt.date:
    t = month_index(year, month) + ahead
    return dt.date(t // 12, t % 12 + 1, 1)


def overview(view: frame.View, statuses, due, flagged) -> None:
    if view.subject is None:
        widgets.kpi_row([(LEVEL_NAMES[level], f"{sum(s.level == level for s in statuses)}个",
                      widgets.names_text([s.name for s in statuses if s.level == level]) or "无")
                     for level in (RED, AMBER, NORMAL, None)]
                    + [("须报告", f"{len(due)}个", duty.due_text())])
    else:  # a 市州 user's own city: its figures, as counts of one city would read as the province's
        for s in statuses:
            widgets.kpi_row([(f"{s.name}可支付月数", fmt.months(s.capacity), s.missing_reason), ("等级", s.level_name),
                         ("须报告", "是" if s in due else "否", duty_reason(s) if s in due else None)])
    shown = statuses
    if len(statuses) > widgets.DETAIL_MAX:  # a national roll-up: a light for each unit that needs attention, the others in the table below
        shown = [s for s in statuses if s.level in (RED, None) or s in due or s.city in flagged]
        st.caption(f"以下为预警、须报告和无法计算的{len(shown)}个单位；全部{len(statuses)}个单位见“各市州支付能力”。")
    widgets.lights([(widgets.city_label(view.config.city(s.city)), fmt.months(s.capacity) if s.capacity is not None else "—",
                 s.level, ([widgets.badge_html("须报告", palette.CRIMSON)] if s in due else [])
                 + ([widgets.badge_html("未按规定报告", palette.CRIMSON)] if s.city in flagged else []))
                for s in shown])


def must_report_list(view: frame.View, due, episodes) -> None:
    result = view.result()
    rules = result.rules.warning
    st.subheader(f"{result.month}月须报告的市州")
    if not due:
        st.success(f"{result.year}年{result.month}月{md(none_of(view.subject, '低于预警线', duty.foreseen_text()))}。")
        return
    current = {e.city: e for e in episodes if e.months[-1] == (result.year, result.month)}
    rows = []
    for s in due:
        episode = current.get(s.city)
        rows.append({"市州": s.name, "等级": s.level_name, "须报告原因": duty_reason(s),
                     "报告期限": f"{episode.deadline:%Y-%m-%d}" if episode else "提前报告",
                     "报告情况": episode.duty_name if episode else "—"})
    widgets.table(rows, colors={"等级": [palette.LEVEL_COLORS[s.level] for s in due],
                            "报告情况": [palette.DUTY_COLORS[current[s.city].duty] if s.city in current else None
                                     for s in due]})
    st.caption(duty.rule_text(rules))


def all_cities(view: frame.View, statuses) -> None:
    rules = view.result().rules.warning
    st.subheader("各市州支付能力")
    if len(statuses) > widgets.DETAIL_MAX:
        national(statuses, rules)
        return
    labels = [widgets.city_label(view.config.city(s.city)) for s in statuses]
    figure = widgets.bars(labels, [s.capacity for s in statuses], [palette.LEVEL_COLORS[s.level] for s in statuses],
                      [fmt.months(s.capacity) if s.capacity is not None else "无法计算" for s in statuses],
                      "%{customdata}：%{text}<extra></extra>", solid=[s.level in (RED, AMBER) for s in statuses])
    widgets.line_at(figure, rules.threshold_months, f"预警线{rules.threshold_months:g}个月", palette.CRIMSON)
    widgets.line_at(figure, rules.watch_months, f"关注线{rules.watch_months:g}个月", palette.AMBER_COLOR)
    known = [s.capacity for s in statuses if s.capacity is not None]
    top, bottom = max(known + [rules.watch_months]), min(known + [0])
    figure.update_layout(title="可支付月数　" + widgets.legend_text(
        {LEVEL_NAMES[level]: palette.LEVEL_COLORS[level] for level in (RED, AMBER, NORMAL)}),
        yaxis_title="个月", showlegend=False, yaxis_range=[bottom * 1.2, top * 1.2])
    widgets.chart(figure, height=420)
    widgets.columns_table(capacity_columns(rules, statuses), statuses,
                          colors={"等级": [palette.LEVEL_COLORS[s.level] for s in statuses]})
    st.caption(f"可支付月数 = 当月累计结余 ÷ 近{rules.lookback_months}个月月均支出"
               f"（至少{MIN_EXPENDITURE_MONTHS}个月有数据，可跨年度）。{duty.levels_text(rules)}"
               f"提前预警按近期月均收支差推算未来{FORWARD_MONTHS}个月。")


def national(statuses, rules) -> None:
    """Hundreds or thousands of units: how many can pay how long, and every unit in a grid, the shortest first."""
    figure = go.Figure()
    top = HISTOGRAM_MONTHS
    for level in (RED, AMBER, NORMAL):
        counts = [0] * (top + 1)  # bar k: k to k+1 months (below 1 for k = 0), the last: top months or more
        for s in statuses:
            if s.level == level:
                counts[min(top, max(0, math.floor(s.capacity)))] += 1
        if any(counts):
            color = palette.LEVEL_COLORS[level]
            figure.add_bar(x=[k + 0.5 for k in range(top + 1)], y=counts, width=1, name=f"{LEVEL_NAMES[level]}（"
                           f"{sum(counts)}个）", customdata=[f"{k}～{k + 1}个月" for k in range(top)] + [f"{top}个月以上"],
                           hovertemplate=f"{LEVEL_NAMES[level]}：%{{customdata}}，%{{y}}个<extra></extra>",
                           marker={"color": palette.light(color), "line": {"color": color, "width": 1}})
    for months, text, color, side in ((rules.threshold_months, "预警线", palette.CRIMSON, "top left"),
                                      (rules.watch_months, "关注线", palette.AMBER_COLOR, "top right")):
        figure.add_vline(x=months, line_dash="dash", line_color=color, line_width=2, annotation_position=side,
                         annotation_text=f"{text}{months:g}个月", annotation_font={"color": color, "size": 12})
    figure.update_layout(barmode="stack", title="可支付月数分布（单位个数）", xaxis_title="可支付月数（个月）",
                         yaxis_title="单位个数", margin={"t": 80}, legend={"traceorder": "normal"},
                         xaxis={"tickvals": list(range(0, top + 1, 3)) + [top + 0.5],
                                "ticktext": [str(k) for k in range(0, top + 1, 3)] + [f"{top}+"]})
    widgets.chart(figure, height=400)
    ordered = sorted(statuses, key=lambda s: (s.capacity is not None, s.capacity or 0))
    widgets.columns_grid([FUND_CITY, FUND_CODE, CAPACITY, LEVEL, FORWARD, BALANCE, expenditure(rules), REASON], ordered,
                         key="fund", search=("市州", "代码"))
    st.caption(f"按可支付月数从少到多排列。可支付月数 = 当月累计结余 ÷ 近{rules.lookback_months}个月月均支出；低于"
               f"{rules.threshold_months:g}个月为预警，低于{rules.watch_months:g}个月为关注。")


def duty_of_the_year(view: frame.View, episodes) -> None:
    result = view.result()
    st.subheader(f"{result.year}年预警报告情况（截至{result.month}月）")
    if not episodes:
        st.caption(f"{result.year}年{months_text(result.month)}{md(none_of(view.subject, '出现基金可支付月数低于预警线的情况'))}。")
        return
    widgets.episodes_table(episodes)
    flagged = [e for e in episodes if e.flagged]
    offered = reads.suggestion_offers(view.source, result.year, flagged)
    still = [o.suggestion for o in offered if o.decision_id is None]
    if still:
        st.warning(f"未按规定报告：{'、'.join(md(e.name) for e in flagged)}。下列考评建议只是建议，不自动计分；"
                   f"考评组如采纳，请点击“记为考评决定”，或将其写入考评决定文件 `config/assessments/{result.year}.yaml` 的加减分部分。")
    suggested.show(view, offered)
    if still:
        st.code("\n".join(s.as_yaml() for s in still), language="yaml")
    elif flagged and not offered:
        st.caption(f"未按规定报告：{'、'.join(md(e.name) for e in flagged)}。建议扣分已写入考评配置，已计入年终考评的加减分。")


def city_trend(view: frame.View, code: str) -> None:
    result = view.result()
    rules = result.rules.warning
    city = view.config.city(code)
    as_of = reads.shown_as_of(view.source, result)  # a published result's months: from the data it was made of
    trend = [s for s in reads.fund_trend(view.source, result.year, result.month, TREND_MONTHS, as_of)
             if s.city == code]
    first = next((k for k, s in enumerate(trend) if s.reported), len(trend) - 1)
    trend = trend[first:]
    now = trend[-1]
    st.subheader(f"{md(city.name)}基金支付能力变化")
    widgets.as_of_note(result, as_of, "支付能力变化")
    if not any(s.reported for s in trend):
        st.info(f"{md(city.name)}截至{result.year}年{result.month}月的近{TREND_MONTHS}个月没有报送基金收入、支出和结余，"
                "无法测算支付能力，也无法生成预警报告。")
        return
    columns = st.columns(2)
    for column, kind in zip(columns, exports.LETTER_FORMATS):
        with column:
            widgets.download_link(f"下载{exports.LETTER_FORMATS[kind].label}",
                              reads.letter_download(view.source, kind, code, result.year, result.month,
                                                     view.holdings.demo), wide=True)
    _capacity_chart(trend, now, rules)
    _flows_chart(trend)
    recent = trend[-TABLE_MONTHS:]
    explained = any(s.missing_reason for s in recent)
    widgets.table([{
        "月份": f"{s.year}年{s.month}月", "基金收入": fmt.quantity(s.income, "万元"),
        "基金支出": fmt.quantity(s.expenditure, "万元"), "累计结余": balance_text(s.balance),
        f"近{rules.lookback_months}个月月均支出": fmt.quantity(s.mean_expenditure, "万元"),
        "可支付月数": fmt.months(s.capacity), "等级": s.level_name,
        **({"说明": s.missing_reason or ""} if explained else {}),
    } for s in recent], colors={"等级": [palette.LEVEL_COLORS[s.level] for s in recent]},
        right=("基金收入", "基金支出", "累计结余", f"近{rules.lookback_months}个月月均支出", "可支付月数"))


def _capacity_chart(trend, now, rules) -> None:
    figure = go.Figure()
    x = [month_date(s.year, s.month) for s in trend]
    figure.add_scatter(x=x, y=[s.capacity for s in trend], name="可支付月数", mode="lines+markers",
                       line={"color": palette.BLUE, "width": 2},
                       marker={"color": [palette.LEVEL_COLORS[s.level] for s in trend], "size": 8},
                       text=[svg(s.missing_reason) if s.missing_reason else f"{s.capacity:.2f}个月（{s.level_name}）"
                             for s in trend],
                       hovertemplate="%{x|%Y年%-m月}：%{text}<extra></extra>")
    if now.projection:
        figure.add_scatter(x=[x[-1]] + [month_date(now.year, now.month, k) for k, _, _ in now.projection],
                           y=[now.capacity] + [c for _, _, c in now.projection], name=f"未来{FORWARD_MONTHS}个月预测",
                           mode="lines+markers", line={"color": palette.GREY, "dash": "dash"},
                           marker={"color": palette.GREY, "size": 6, "symbol": "circle-open"},
                           hovertemplate="%{x|%Y年%-m月}（预测）：%{y:.2f}个月<extra></extra>")
    widgets.line_at(figure, rules.threshold_months, f"预警线{rules.threshold_months:g}个月", palette.CRIMSON)
    widgets.line_at(figure, rules.watch_months, f"关注线{rules.watch_months:g}个月", palette.AMBER_COLOR)
    values = [s.capacity for s in trend if s.capacity is not None] + [c for _, _, c in now.projection]
    low, high = min(values + [0]), max(values + [rules.watch_months]) * 1.15
    figure.update_layout(title=f"可支付月数（近{len(trend)}个月及未来{FORWARD_MONTHS}个月预测）", yaxis_title="个月",
                         yaxis_range=[low - (high - low) * 0.05 if low < 0 else 0, high],
                         xaxis={"tickformat": "%Y年%-m月", "dtick": "M3"})
    widgets.chart(figure, height=380)
    st.caption(_projection_text(now, rules))


def _projection_text(now, rules) -> str:
    if now.capacity is None:
        return f"{md(now.missing_reason)}。"
    if not now.projection:
        return f"近{rules.lookback_months}个月没有同时报送收入和支出的月份，无法预测。"
    flow = f"月均收不抵支{fmt.quantity(-now.mean_net, '万元')}" if now.mean_net < 0 else \
        f"月均收大于支{fmt.quantity(now.mean_net, '万元')}"
    k, balance, capacity = now.projection[-1]
    text = (f"预测：近{rules.lookback_months}个月{flow}，按此推算{k}个月后累计结余{fmt.quantity(balance, '万元')}，"
            f"可支付{fmt.months(capacity)}")
    if now.foreseen_in:
        text += f"；{now.forward_text}"
    return text + "。"


def _flows_chart(trend) -> None:
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    x = [month_date(s.year, s.month) for s in trend]
    for name, values, color in (("基金收入", [s.income for s in trend], palette.GREEN),
                                ("基金支出", [s.expenditure for s in trend], palette.CRIMSON)):
        figure.add_bar(x=x, y=values, name=name, marker={"color": palette.light(color), "line": {"color": color}},
                       hovertemplate=f"%{{x|%Y年%-m月}}{name}：%{{y:,.2f}}万元<extra></extra>")
    figure.add_scatter(x=x, y=[s.balance for s in trend], name="累计结余（右轴）", mode="lines+markers",
                       line={"color": palette.BLUE, "width": 2}, secondary_y=True,
                       hovertemplate="%{x|%Y年%-m月}累计结余：%{y:,.2f}万元<extra></extra>")
    figure.update_layout(title="基金收入、支出和累计结余（万元）", barmode="group",
                         xaxis={"tickformat": "%Y年%-m月", "dtick": "M3"})
    figure.update_yaxes(title_text="收入、支出（万元）", secondary_y=False, tickformat=",.0f", rangemode="tozero")
    figure.update_yaxes(title_text="累计结余（万元）", secondary_y=True, tickformat=",.0f", rangemode="tozero",
                        tickmode="auto", showgrid=False)
    widgets.chart(figure, height=340)


def forecast_section(view: frame.View, code: str) -> None:
    """The forecast of the notice's point 6 beside the forward look above; the assumptions typed here only recompute
    (nothing is written)."""
    result = view.result()
    st.subheader("预测（通知第六条）")
    st.caption("通知第六条：及时预测掌握进入失业保险的人员数量，把握资金需求的变化趋势。新增申领 = 出中心计划中各月协议期满"
               "的人数 × 领取率；现有领取人员按各自的应领月数和停发日期陆续领完，新增人员按平均领取月数（由记录估计时按应领月数，"
               "已停发的按停发前领取的月数）领取、按平均月失业保险金支出；可支付月数在“按近期收支推算”的基础上，扣除失业保险金支出比本月多出的部分。下面的假设不填时按 "
               "records.yaml 的设定，未设定的由记录估计；改动只重新计算，不保存。")
    given = {}
    for column, (name, label, step, shown) in zip(st.columns(len(FORECAST_INPUTS)), FORECAST_INPUTS):
        kind = type(step)
        bounds = {key: kind(value) for key, value in limits(name).items()}
        given[name] = column.number_input(label, value=None, step=step, format=shown, placeholder="按设定或记录估计",
                                          key=f"_forecast_{name}", **bounds)
    try:
        made = reads.forecast(view.source, result.year, result.month, **given)
    except InputError as exc:
        st.error(f"无法预测：{md(exc)}")
        return
    if made is None:
        st.info("还没有导入个人记录，无法预测。表头写列代码或中文列名，见使用说明“个人记录”一节。\n\n"
                "- 导入失业保险金申领记录和出再就业服务中心计划：\n  `scorecard records import 申领.csv 出中心.csv`\n"
                "- 只想先看看效果，生成并导入演示记录：\n  `scorecard records demo --out 目录 --import`")
        return
    _assumptions_table(made)
    _forecast_table(made, result.month)
    mine = next((f for f in made if f.city == code), None)
    if mine is not None:
        _forecast_charts(mine)


def _assumptions_table(made) -> None:
    rows = []
    for f in made:
        a = f.assumptions
        rows.append({"市州": f.name, "领取率": fmt.percent(a.take_up.value) if a.take_up.value is not None else "—",
                     "领取率依据": a.take_up.source,
                     "平均月失业保险金": f"{a.monthly_benefit.value:,.2f}元" if a.monthly_benefit.value is not None else "—",
                     "平均领取月数": f"{a.duration_months.value:,.1f}个月" if a.duration_months.value is not None else "—",
                     "金额和月数依据": a.monthly_benefit.source if a.monthly_benefit.source == a.duration_months.source
                     else f"{a.monthly_benefit.source}；{a.duration_months.source}"})
    st.markdown("**预测假设**")
    widgets.table(rows, right=("领取率", "平均月失业保险金", "平均领取月数"))


def _forecast_table(made, month: int) -> None:
    ahead = max((len(f.months) for f in made), default=0)
    rows = []
    for f in made:
        last = f.months[-1] if f.months else None
        rows.append({
            "市州": f.name, f"{month}月末领取人数": fmt.quantity(f.recipients_now, "人"),
            "新增申领（合计）": fmt.quantity(sum(m.new_claimants for m in f.months), "人") if last else "—",
            f"{ahead}个月后领取人数": fmt.quantity(last.recipients, "人") if last else "—",
            "失业保险金支出（合计）": fmt.quantity(sum(m.expenditure for m in f.months) / 10000, "万元") if last else "—",
            "现可支付月数": fmt.months(f.fund.capacity),
            f"{ahead}个月后可支付月数": fmt.months(last.capacity) if last and last.capacity is not None else "—",
            "预测": f.forward_text})
    st.markdown(f"**各市州未来{ahead}个月预测**")
    widgets.table(rows, colors={"预测": [palette.CRIMSON if f.months_to_threshold is not None else None for f in made]},
                  right=tuple(k for k in rows[0] if k not in ("市州", "预测")) if rows else ())


def _forecast_charts(f) -> None:
    if f.missing_reason:
        st.caption(f"{md(f.name)}：{md(f.missing_reason)}。")
        return
    rules_line = f.threshold_months
    x = [month_date(f.year, f.month)] + [month_date(m.year, m.month) for m in f.months]
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_bar(x=x, y=[f.recipients_now] + [round(m.recipients, 1) for m in f.months], name="月末领取人数",
                   marker={"color": palette.light(palette.BLUE), "line": {"color": palette.BLUE}},
                   hovertemplate="%{x|%Y年%-m月}月末领取：%{y:,.0f}人<extra></extra>")
    figure.add_scatter(x=x, y=[f.expenditure_now / 10000] + [m.expenditure / 10000 for m in f.months],
                       name="失业保险金支出（右轴）", mode="lines+markers", line={"color": palette.CRIMSON, "width": 2},
                       secondary_y=True, hovertemplate="%{x|%Y年%-m月}失业保险金支出：%{y:,.2f}万元<extra></extra>")
    figure.update_layout(title=f"{svg(f.name)}领取人数和失业保险金支出预测", xaxis={"tickformat": "%Y年%-m月"})
    figure.update_yaxes(title_text="领取人数（人）", secondary_y=False, rangemode="tozero", tickformat=",.0f")
    figure.update_yaxes(title_text="失业保险金支出（万元）", secondary_y=True, rangemode="tozero", showgrid=False)
    widgets.chart(figure, height=340)
    if f.capacity_reason:
        st.caption(f"可支付月数：{md(f.capacity_reason)}。")
        return
    capacity = go.Figure()
    capacity.add_scatter(x=x, y=[f.fund.capacity] + [m.capacity for m in f.months], name="按本预测",
                         mode="lines+markers", line={"color": palette.BLUE, "width": 2},
                         hovertemplate="%{x|%Y年%-m月}（按本预测）：%{y:.2f}个月<extra></extra>")
    linear = [(month_date(m.year, m.month), m.linear_capacity) for m in f.months if m.linear_capacity is not None]
    capacity.add_scatter(x=[x[0]] + [d for d, _ in linear], y=[f.fund.capacity] + [c for _, c in linear],
                         name=f"按近期收支推算（{FORWARD_MONTHS}个月）", mode="lines+markers",
                         line={"color": palette.GREY, "dash": "dash"},
                         hovertemplate="%{x|%Y年%-m月}（按近期收支）：%{y:.2f}个月<extra></extra>")
    widgets.line_at(capacity, rules_line, f"预警线{rules_line:g}个月", palette.CRIMSON)
    values = [f.fund.capacity] + [m.capacity for m in f.months if m.capacity is not None]
    capacity.update_layout(title=f"{svg(f.name)}可支付月数预测", yaxis_title="个月",
                           yaxis_range=[min(values + [0]), max(values + [rules_line]) * 1.15],
                           xaxis={"tickformat": "%Y年%-m月"})
    widgets.chart(capacity, height=340)
    st.caption(f"{md(f.name)}：按本预测{md(f.forward_text)}。")


def report_history(view: frame.View, code: str, versions) -> None:
    result = view.result()
    city = view.config.city(code)
    st.subheader(f"{md(city.name)}{result.year}年预警报告登记")
    mine = [r for r in versions if r.city == code and r.year == result.year]
    latest = {r.report_id: r.version for r in mine}
    widgets.table([{
        "编号": r.report_id, "版本": r.version, "预警月份": f"{r.year}年{r.month}月",
        "向属地政府报告": f"{r.reported_local:%Y-%m-%d}" if r.reported_local else "未登记",
        "报省备案": f"{r.filed_province:%Y-%m-%d}" if r.filed_province else "未登记", "说明": r.note or "",
        "状态": "已撤销" if r.withdrawn else ("现行" if r.version == latest[r.report_id] else "已更正"),
        "登记时间": f"{r.entered_at:%Y-%m-%d %H:%M}", "登记人": r.entered_by or "—",
    } for r in mine])
    st.caption("每次更正都保留原记录（版本），以最新版本为准。")


def report_form(view: frame.View, code: str, versions, episodes) -> None:
    """Record a warning report of the year, or correct one (a new version, the old one kept): for data
    administrators, recorded under their name and in the audit log."""
    if not view.principal.may(access.WARN_REPORT):
        st.caption("登记或更正预警报告需要省级审核角色（或数据管理员账号）。")
        return
    result = view.result()
    saved = st.session_state.pop(SAVED, None)
    if saved:
        st.success(md(saved))
    latest = {r.report_id: r for r in versions if r.city == code and r.year == result.year}   # oldest first
    current = {k: r for k, r in latest.items() if not r.withdrawn}
    choice = st.selectbox("登记或更正预警报告", [None] + list(current), key="_report_choice",
                          format_func=lambda k: "新登记一份预警报告" if k is None
                          else f"更正编号{k}（{current[k].year}年{current[k].month}月的预警报告）")
    report = current.get(choice)
    red_months = [m for e in episodes if e.city == code for y, m in e.months if y == result.year]
    suffix = f"_{choice or 'new'}"        # a widget per report, so that the fields show that report's values
    city = month = None
    withdraw = False
    with st.form("warning_report"):
        if report is None:
            left, right = st.columns(2)
            codes = [c.code for c in view.config.cities]
            city = left.selectbox("市州", codes, index=codes.index(code), key="_report_city" + suffix,
                                  format_func=lambda c: view.config.city(c).name)
            month = right.selectbox("预警月份（低于预警线的月份）", list(range(1, 13)), key="_report_month" + suffix,
                                    index=(red_months[0] if red_months else result.month) - 1,
                                    format_func=lambda m: f"{result.year}年{m}月")
        else:
            st.markdown(f"**{md(view.config.city(report.city).name)}{report.year}年{report.month}月的预警报告**"
                        f"（编号{report.report_id}，现为第{report.version}版）")
        left, right = st.columns(2)
        dates = {"min_value": dt.date(1990, 1, 1), "max_value": clock.today(), "format": "YYYY-MM-DD"}
        local = left.date_input("向属地政府报告日期", value=report.reported_local if report else None,
                                key="_report_local" + suffix, **dates)
        province = right.date_input("报省备案日期", value=report.filed_province if report else None,
                                    key="_report_province" + suffix, **dates)
        note = st.text_input("说明", value=report.note or "" if report else "", key="_report_note" + suffix)
        if report:
            withdraw = st.checkbox("撤销这份记录（登记错误时使用）", key="_report_withdraw" + suffix)
        submitted = st.form_submit_button("保存更正" if report else "登记")
    if submitted:
        _save(view, report, city, month, local, province, note.strip() or None, withdraw)


def _save(view: frame.View, report, city, month, local, province, note, withdraw) -> None:
    """A short write through the actions layer (permission, report and audit line, fresh reads), then a rerun."""
    result = view.result()
    db = reads.writable_store(view.source, access.WARN_REPORT)
    try:
        if report is None:
            saved = record_report(db, view.principal, view.config, city, result.year, month,
                                  reported_local=local, filed_province=province, note=note)
            message = f"已登记预警报告（编号{saved.report_id}）：{view.config.city(city).name}{result.year}年{month}月。"
        else:
            saved = correct_report(db, view.principal, view.config, report.report_id, reported_local=local,
                                   filed_province=province, note=note, withdrawn=withdraw)
            message = f"已{'撤销' if withdraw else '更正'}预警报告（编号{saved.report_id}，第{saved.version}版）。"
    except (InputError, StoreError) as exc:
        st.error(f"未保存：{md(exc)}")
        return
    st.session_state[SAVED] = message
    st.rerun()


def render(view: frame.View) -> None:
    result = view.result()
    statuses = result.fund
    episodes = reads.episodes(view.source, result.year, result.month, clock.today())
    versions = reads.warning_reports(view.source)
    due = must_report(statuses)
    widgets.heading(f"{result.year}年{result.month}月失业保险基金支付能力", demo=result.demo)
    overview(view, statuses, due, {e.city for e in episodes if e.flagged})
    must_report_list(view, due, episodes)
    all_cities(view, statuses)
    maps.fund_section(view, statuses)
    duty_of_the_year(view, episodes)
    city_trend(view, view.city)
    forecast_section(view, view.city)
    report_history(view, view.city, versions)
    report_form(view, view.city, versions, episodes)


router.page(render, city=True)
