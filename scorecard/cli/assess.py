"""`scorecard assess add | list | withdraw`: assessors' decisions (加减分, 一票否决) on record, beside the YAML
file's (来自配置文件, listed but changed only by editing the file)."""

from __future__ import annotations

import argparse
import math

from .. import formatting as fmt
from ..actions.decisions import add_decision, withdraw_decision
from ..assessment.decisions import listed_dict, listing
from ..records.decisions import ADJUSTMENT
from . import json_out
from . import date_arg, positive_int, year_arg


def points_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"分值应为数字（加分写正数，扣分写负数），现在是“{text}”")
    return value


def register(subparsers) -> None:
    parser = subparsers.add_parser("assess", help="考评决定：登记、列出、撤销加减分与一票否决")
    actions = parser.add_subparsers(dest="action", metavar="操作", required=True)
    add = actions.add_parser("add", help="登记一项考评决定（加减分或一票否决）")
    add.add_argument("--year", type=year_arg, required=True, help="考评年度")
    add.add_argument("--city", required=True, help="市州代码、全称或简称")
    what = add.add_mutually_exclusive_group(required=True)
    what.add_argument("--points", type=points_arg, help="加减分分值（加分写正数，扣分写负数）")
    what.add_argument("--veto", metavar="ITEM", help="一票否决事项，如 挤占挪用基金")
    add.add_argument("--reason", required=True, help="理由")
    add.add_argument("--date", type=date_arg, help="认定日期，如 2003-11-20（不写：只计入12月的年终结果）")
    add.add_argument("--evidence", nargs="+", default=[], metavar="FILE",
                     help="辅证材料：PDF、PNG/JPEG图片或xlsx，每个不超过10MB")
    add.set_defaults(run=run_add)
    listed = actions.add_parser("list", help="列出一个年度的考评决定（配置文件中的与系统中登记的）")
    listed.add_argument("--year", type=year_arg, required=True, help="考评年度")
    listed.add_argument("--format", choices=["table", "json"], default="table", help="输出格式（默认 table）")
    listed.set_defaults(run=run_list)
    withdraw = actions.add_parser("withdraw", help="撤销一项考评决定（保留原记录）")
    withdraw.add_argument("decision_id", type=positive_int, metavar="ID", help="考评决定编号（assess list 可查看）")
    withdraw.add_argument("--reason", required=True, help="撤销理由")
    withdraw.set_defaults(run=run_withdraw)


def _what(kind: str, points, item) -> str:
    return f"{fmt.points(points)}分" if kind == ADJUSTMENT else f"一票否决：{item}"


def run_add(context, args) -> int:
    config = context.config()
    day = args.date.date() if hasattr(args.date, "date") else args.date
    saved = add_decision(context.existing_store(), context.principal(), config, args.year, args.city,
                         reason=args.reason, points=args.points, item=args.veto, decided_on=day,
                         evidence=args.evidence)
    print(f"已登记考评决定（编号{saved.decision_id}）：{saved.year}年度{config.city(saved.city).name}"
          f"{_what(saved.kind, saved.points, saved.item)}，{saved.reason}"
          + (f"；辅证材料{len(saved.evidence)}份" if saved.evidence else ""))
    return 0


def run_list(context, args) -> int:
    config = context.config()
    rows = listing(config, context.existing_store(), args.year)
    if args.format == "json":
        print(json_out({"year": args.year, "decisions": [listed_dict(row) for row in rows]}))
        return 0
    headers = ["编号", "来源", "市州", "决定", "理由", "认定日期", "状态", "登记人", "登记时间", "辅证材料"]
    table = [[str(r.decision_id or "—"), r.source, r.name, _what(r.kind, r.points, r.item), r.reason,
              f"{r.decided_on:%Y-%m-%d}" if r.decided_on else "未写（只计入年终结果）", r.status, r.author or "—",
              f"{r.created_at:%Y-%m-%d %H:%M}" if r.created_at else "—",
              "、".join(e.file_name for e in r.evidence) or "—"] for r in rows]
    print(f"{args.year}年度考评决定（加减分与一票否决）")
    print(fmt.text_table(headers, table) if table else "（没有考评决定）")
    return 0


def run_withdraw(context, args) -> int:
    config = context.config()
    saved = withdraw_decision(context.existing_store(), context.principal(), config, args.decision_id,
                              change_reason=args.reason)
    print(f"已撤销考评决定（编号{saved.decision_id}，第{saved.version}版）；原记录保留")
    return 0
