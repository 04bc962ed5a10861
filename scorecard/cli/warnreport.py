"""`scorecard warn-report`: record warning reports and check the duty to report (预警报告)."""

from __future__ import annotations

import argparse
import datetime as dt
import re

from .. import formatting as fmt
from ..actions.warnings import correct_report, record_report
from ..records.warning_reports import current_reports, report_versions
from ..assessment.warning_duty import open_suggestions, red_episodes
from . import CliError, dated_in_range, month_arg, year_arg


def date_arg(text: str) -> dt.date | None:
    if text.strip().lower() in ("none", "无", ""):
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*", text)
    try:
        value = dt.date(*map(int, match.groups())) if match else dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效，请写成 2003-10-08") from None
    return dated_in_range(value, text)


def register(subparsers) -> None:
    parser = subparsers.add_parser("warn-report", help="登记基金预警报告，检查是否按规定报告")
    actions = parser.add_subparsers(dest="action", metavar="操作", required=True)
    add = actions.add_parser("add", help="登记一份预警报告")
    add.add_argument("--city", required=True, help="市州代码、全称或简称")
    add.add_argument("--year", type=year_arg, required=True, help="预警年度")
    add.add_argument("--month", type=month_arg, required=True, help="预警月份（可支付月数低于预警线的月份）")
    add.add_argument("--reported-local", type=date_arg, help="向属地政府报告的日期，如 2003-11-05")
    add.add_argument("--filed-province", type=date_arg, help="报省备案的日期")
    add.add_argument("--note", help="说明")
    add.set_defaults(run=run_add)
    edit = actions.add_parser("edit", help="更正一份预警报告（保留修改记录）")
    edit.add_argument("report_id", type=int, metavar="编号")
    edit.add_argument("--reported-local", type=date_arg)
    edit.add_argument("--filed-province", type=date_arg)
    edit.add_argument("--note")
    edit.add_argument("--withdraw", action="store_true", help="撤销这份记录")
    edit.set_defaults(run=run_edit)
    listing = actions.add_parser("list", help="列出预警报告（--history 含修改记录）")
    listing.add_argument("--city", help="只看一个市州")
    listing.add_argument("--history", action="store_true", help="列出每一次修改")
    listing.set_defaults(run=run_list)
    status = actions.add_parser("status", help="检查各市州是否按规定报告，给出考评建议")
    status.add_argument("--year", type=year_arg, required=True)
    status.add_argument("--month", type=month_arg, default=12)
    status.set_defaults(run=run_status)


def _city(config, text):
    if text is None:
        return None
    code = config.city_lookup.get(text.strip())
    if code is None:
        raise CliError(f"未知的市州“{text}”")
    return code


def _describe(config, report) -> list[str]:
    return [str(report.report_id), str(report.version), config.city(report.city).name,
            f"{report.year}年{report.month}月", f"{report.reported_local or '—'}", f"{report.filed_province or '—'}",
            "已撤销" if report.withdrawn else "", report.note or "", f"{report.entered_at:%Y-%m-%d %H:%M}",
            report.entered_by or ""]


HEADERS = ["编号", "版本", "市州", "预警月份", "向属地政府报告", "报省备案", "状态", "说明", "登记时间", "登记人"]


def run_add(context, args) -> int:
    config = context.config()
    report = record_report(context.existing_store(), context.principal(), config, args.city, args.year, args.month,
                           reported_local=args.reported_local, filed_province=args.filed_province, note=args.note)
    print(f"已登记预警报告（编号{report.report_id}）：{config.city(report.city).name}{report.year}年{report.month}月")
    return 0


def run_edit(context, args) -> int:
    config = context.config()
    changes = {k: getattr(args, k) for k in ("reported_local", "filed_province", "note") if getattr(args, k) is not None}
    if not changes and not args.withdraw:
        raise CliError("没有要修改的内容（--reported-local、--filed-province、--note 或 --withdraw）", code=2)
    report = correct_report(context.existing_store(), context.principal(), config, args.report_id, withdrawn=args.withdraw,
                            **changes)
    print(f"已更正预警报告（编号{report.report_id}，第{report.version}版）：{config.city(report.city).name}")
    return 0


def run_list(context, args) -> int:
    config = context.config()
    context.existing_store()
    city = _city(config, args.city)
    reports = (report_versions if args.history else current_reports)(context.records(), city)
    if not reports:
        print("没有预警报告记录")
        return 0
    print(fmt.text_table(HEADERS, [_describe(config, r) for r in reports], right={0, 1}))
    return 0


def run_status(context, args) -> int:
    config = context.config()
    store = context.existing_store()
    with store.reader() as con:
        episodes = red_episodes(config, con, store, args.year, args.month)
    if not episodes:
        print(f"{args.year}年1至{args.month}月没有市州的基金可支付月数低于预警线")
        return 0
    rows = [[e.name, "、".join(f"{m}月" if y == args.year else f"{y}年{m}月" for y, m in e.months),
             f"{e.lowest_capacity:.2f}", f"{e.deadline:%Y-%m-%d}",
             e.duty_name, e.problem or ""]
            for e in episodes]
    print(fmt.text_table(["市州", "低于预警线的月份", "最低可支付月数", "报告期限", "报告情况", "说明"], rows, right={2}))
    offered = open_suggestions(config, args.year, episodes, store)
    if offered:
        print("\n考评建议（不自动计分；如采纳，请写入考评决定文件 config/assessments/%d.yaml 的加减分部分 adjustments）：" % args.year)
        print("\n".join(s.as_yaml() for s in offered))
    return 0
