"""`scorecard forecast`: the forecast of the notice's point 6 — new claimants, recipients, benefit expenditure
and the fund's months of capacity, per city, for the months ahead (assessment/forecast.py)."""

from __future__ import annotations

import argparse

from . import CliError, json_out, month_arg, year_arg


def _share(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为0至1之间的小数（如0.6），现在是“{text}”") from None


def register(subparsers) -> None:
    parser = subparsers.add_parser("forecast", help="预测（通知第六条）：由出中心计划和申领记录预测各市州今后各月新增申领、"
                                                    "月末领取人数、失业保险金支出和基金可支付月数")
    parser.add_argument("--year", type=year_arg, required=True, help="年度")
    parser.add_argument("--month", type=month_arg, required=True, help="从该月月末起向后预测")
    parser.add_argument("--months", type=int, default=None, metavar="N",
                        help="向后预测的月数（6至12，缺省按 records.yaml，未设定为12）")
    parser.add_argument("--take-up", type=_share, default=None, metavar="R",
                        help="出中心人员申领失业保险金的比例（0至1；缺省按 records.yaml，未设定则由记录估计）")
    parser.add_argument("--city", default=None, help="只预测一个市州（代码、全称或简称）")
    parser.add_argument("--format", choices=["table", "json"], default="table", help="输出格式（默认 table）")
    parser.set_defaults(run=run)


def run(context, args) -> int:
    from ..assessment.forecast import forecast

    config = context.config()
    cities = None
    if args.city is not None:
        code = config.city_lookup.get(args.city.strip())
        if code is None:
            raise CliError(f"未知的市州“{args.city}”（可写代码、全称或简称）")
        cities = [code]
    made = forecast(config, context.existing_store(), args.year, args.month, cities, months=args.months,
                    take_up=args.take_up)
    print(json_out(as_json(made, args.year, args.month)) if args.format == "json" else as_table(made))
    return 0


def as_json(made, year: int, month: int) -> dict:
    return {"year": year, "month": month, "cities": [{
        "city": f.city, "city_name": f.name, "recipients_now": f.recipients_now, "expenditure_now": f.expenditure_now,
        "assumptions": {name: {"value": getattr(f.assumptions, name).value, "source": getattr(f.assumptions, name).source}
                        for name in ("take_up", "monthly_benefit", "duration_months")},
        "capacity_now": f.fund.capacity, "months_to_threshold": f.months_to_threshold,
        "missing_reason": f.missing_reason, "capacity_reason": f.capacity_reason,
        "months": [{"year": m.year, "month": m.month, "ahead": m.ahead, "leavers": m.leavers,
                    "new_claimants": m.new_claimants, "recipients": m.recipients, "expenditure": m.expenditure,
                    "balance": m.balance, "capacity": m.capacity, "linear_capacity": m.linear_capacity}
                   for m in f.months]} for f in made]}


def as_table(made) -> str:
    from .. import formatting as fmt
    from ..assessment.fund import FORWARD_MONTHS

    first = made[0]
    lines = [f"{first.year}年{first.month}月末起的预测（通知第六条：及时预测掌握进入失业保险的人员数量，把握资金需求的变化趋势）", ""]
    rows = []
    for f in made:
        a = f.assumptions
        lines.append(f"{f.name}：{f.month}月末领取{f.recipients_now:,}人、月支出{fmt.quantity(f.expenditure_now / 10000, '万元')}；"
                     f"领取率{_value(a.take_up, fmt.percent)}（{a.take_up.source}），"
                     f"平均月失业保险金{_value(a.monthly_benefit, lambda v: f'{v:,.2f}元')}（{a.monthly_benefit.source}），"
                     f"平均领取月数{_value(a.duration_months, lambda v: f'{v:,.1f}个月')}（{a.duration_months.source}）"
                     + f"。{f.forward_text}")
        rows += [[f.name, f"{m.year}年{m.month}月", f"{m.leavers:,}", f"{m.new_claimants:,.0f}", f"{m.recipients:,.0f}",
                  fmt.quantity(m.expenditure / 10000, "万元"), fmt.quantity(m.balance, "万元"), fmt.months(m.capacity),
                  fmt.months(m.linear_capacity) if m.linear_capacity is not None else "—"] for m in f.months]
    table = fmt.text_table(["市州", "月份", "出中心人数", "新增申领", "月末领取人数", "失业保险金支出", "累计结余",
                            "可支付月数", "按近期收支推算"], rows, set(range(2, 9)))
    note = ("新增申领 = 出中心人数 × 领取率；平均领取月数由记录估计时按应领月数，已停发的按停发前领取的月数；"
            "可支付月数按近期收支推算，再扣除失业保险金支出比本月多出的部分；"
            f"“按近期收支推算”即基金预警原有的预测（{FORWARD_MONTHS}个月）。")
    return "\n".join(lines + ["", table, "", note])


def _value(assumption, shown) -> str:
    return "—" if assumption.value is None else shown(assumption.value)
