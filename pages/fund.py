"""基金预警 — months of payment capacity per city against the 2-month warning line (吉政办发〔2003〕4号)."""

import streamlit as st

from pages import _ui
from scorecard import formatting as fmt
from scorecard import palette
from scorecard.fund import AMBER, FORWARD_MONTHS, LEVEL_NAMES, MIN_EXPENDITURE_MONTHS, NORMAL, RED

view = _ui.open_page("基金预警")
result = view.result()
rules = view.config.rules.warning
statuses = result.fund
_ui.heading(f"{result.year}年{result.month}月失业保险基金支付能力", demo=result.demo)

_ui.kpi_row([(LEVEL_NAMES[level], f"{sum(s.level == level for s in statuses)}个",
              "、".join(s.name for s in statuses if s.level == level) or "无")
             for level in (RED, AMBER, NORMAL, None)])

labels = [_ui.city_label(view.config.city(s.city)) for s in statuses]
figure = _ui.bars(labels, [s.capacity for s in statuses], [palette.LEVEL_COLORS[s.level] for s in statuses],
                  [fmt.months(s.capacity) if s.capacity is not None else "无法计算" for s in statuses],
                  "%{x}：%{text}<extra></extra>", solid=[s.level in (RED, AMBER) for s in statuses])
_ui.line_at(figure, rules.threshold_months, f"预警线{rules.threshold_months:g}个月", palette.CRIMSON)
_ui.line_at(figure, rules.watch_months, f"关注线{rules.watch_months:g}个月", palette.AMBER_COLOR)
top = max([s.capacity for s in statuses if s.capacity is not None] + [rules.watch_months])
figure.update_layout(title="可支付月数　" + _ui.legend_text(
    {LEVEL_NAMES[level]: palette.LEVEL_COLORS[level] for level in (RED, AMBER, NORMAL)}),
    yaxis_title="个月", showlegend=False, yaxis_range=[0, top * 1.2])
_ui.chart(figure, height=420)

st.subheader("各市州支付能力")
explained = any(s.missing_reason for s in statuses)
_ui.table([{
    "市州": s.name, "可支付月数": fmt.months(s.capacity), "等级": s.level_name,
    "提前预警": f"预计{s.months_to_threshold}个月后低于预警线" if s.months_to_threshold else "—",
    "累计结余": fmt.quantity(s.balance, "万元"),
    f"近{rules.lookback_months}个月月均支出": fmt.quantity(s.mean_expenditure, "万元"),
    **({"说明": s.missing_reason or ""} if explained else {}),
} for s in statuses], colors={"等级": [palette.LEVEL_COLORS[s.level] for s in statuses]},
    right=("可支付月数", "累计结余", f"近{rules.lookback_months}个月月均支出"))
st.caption(f"可支付月数 = 当月累计结余 ÷ 近{rules.lookback_months}个月月均支出"
           f"（至少{MIN_EXPENDITURE_MONTHS}个月有数据）。低于"
           f"{rules.threshold_months:g}个月为预警，应在{rules.report_days}日内报告并报省备案；低于"
           f"{rules.watch_months:g}个月为关注。提前预警按近期月均收支差推算未来{FORWARD_MONTHS}个月。")
