"""`scorecard score` and `scorecard warn`: the ranking and the fund early warning."""

from __future__ import annotations

import sys

from .. import formatting as fmt
from ..data import history
from ..report.notes import DEMO_LABEL
from ..assessment.explain import grade_counts_text, missing_text, provisional_note
from ..assessment.fund import fund_statuses
from ..assessment.results import YearResult
from ..assessment.scoring import score_year
from ..report.serialize import score_csv, score_dict, to_json, warn_dict
from ..data.store import get_meta
from ..assessment.warning_duty import must_report
from . import CliError, date_arg, month_arg, positive_int, year_arg
from .publish import published_json


def add_as_of(parser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--as-of-import", type=positive_int, metavar="N",
                       help="按第N次导入之后的数据计算，重现当时的结果（scorecard history --imports 可查看）")
    group.add_argument("--as-of", type=date_arg, metavar="DATE",
                       help="按该日期（含当天）最后一次导入之后的数据计算，如 2003-12-31")


def as_of_store(context, config, args):
    return history.as_of(context.existing_store(), import_id=args.as_of_import, when=args.as_of)


def as_of_note(store) -> str | None:
    if store.as_of_import is None:
        return None
    record = next(r for r in history.imports(store) if r.import_id == store.as_of_import)
    return (f"数据版本：第{record.import_id}次导入（{record.imported_at:%Y-%m-%d %H:%M}，{record.file_name}）"
            "之后的数据，其后的导入未计入")


def register(subparsers) -> None:
    score = subparsers.add_parser("score", help="为每个市州评分、评定等次并排名")
    score.add_argument("--year", type=year_arg, required=True, help="考评年度")
    score.add_argument("--month", type=month_arg, help="截至月份（默认该年度有数据的最近月份；12月为年终考评）")
    score.add_argument("--format", choices=["table", "json", "csv"], default="table", help="输出格式（默认 table）")
    add_as_of(score)
    published = score.add_mutually_exclusive_group()
    published.add_argument("--published", action="store_true",
                           help="输出该年度（该月）最新发布的结果（JSON，与 --format json 相同的格式）")
    published.add_argument("--publication", type=positive_int, metavar="N", help="输出该年度第N号发布的结果")
    score.set_defaults(run=run_score)
    warn = subparsers.add_parser("warn", help="失业保险基金支付能力预警")
    warn.add_argument("--year", type=year_arg, required=True, help="年度")
    warn.add_argument("--month", type=month_arg, required=True, help="月份")
    warn.add_argument("--format", choices=["table", "json"], default="table", help="输出格式（默认 table）")
    add_as_of(warn)
    warn.set_defaults(run=run_warn)


def _heading(result: YearResult) -> str:
    demo = f"【{DEMO_LABEL}】" if result.demo else ""
    return f"{result.year}年度失业保险工作目标责任制考评结果（截至{result.month}月，{result.label}）{demo}"


def score_table(result: YearResult, grades, note: str | None = None) -> str:
    headers = ["名次", "市州", "总分", "等次", "指标得分", "加分", "加减分", "名次变化", "备注"]
    rows = []
    for c in result.cities:
        notes = []
        if c.vetoes:
            notes.append("一票否决：" + "、".join(v.item for v in c.vetoes))
        if c.quota_demoted:
            notes.append(f"受优秀名额限制（{result.quota_places}名）")
        if missing_text(c):
            notes.append(missing_text(c))
        rows.append([str(c.rank), c.name, fmt.points(c.total), c.grade, fmt.points(c.points), fmt.points(c.bonus),
                     fmt.points(c.adjustment), fmt.rank_change(c.rank_change), "；".join(notes)])
    lines = [_heading(result)] + ([note] if note else []) + ["", fmt.text_table(headers, rows, right={0, 2, 4, 5, 6})]
    lines += ["", f"全省平均分：{fmt.points(result.mean_total)}分；评定等次：{grade_counts_text(result, grades)}。"]
    if result.provisional:
        lines.append("注：" + provisional_note(result.month))
    return "\n".join(lines)


def run_score(context, args) -> int:
    if args.published or args.publication:
        if args.as_of_import or args.as_of:
            raise CliError("--published 与 --as-of、--as-of-import 不能同时使用：发布的结果就是发布时的数据")
        print(published_json(context, args.year, args.month, args.publication))
        return 0
    config = context.config()
    store = as_of_store(context, config, args)
    result = score_year(config, store, args.year, args.month)
    if args.format == "json":
        print(to_json(score_dict(result)))
    elif args.format == "csv":
        sys.stdout.write(score_csv(result))
    else:
        print(score_table(result, config.rules.grades, as_of_note(store)))
    return 0


def warn_table(year: int, month: int, statuses, rules, demo: bool, note: str | None = None) -> str:
    headers = ["市州", "可支付月数", "等级", "提前预警", "须报告", "累计结余", f"近{rules.lookback_months}个月月均支出",
               "说明"]
    reporting = {s.city for s in must_report(statuses)}
    rows = []
    for s in statuses:
        rows.append([s.name, "—" if s.capacity is None else f"{s.capacity:.2f}", s.level_name, s.forward_text or "",
                     "须报告" if s.city in reporting else "", fmt.quantity(s.balance, "万元"),
                     fmt.quantity(s.mean_expenditure, "万元"), s.missing_reason or ""])
    title = (f"{year}年{month}月 失业保险基金支付能力（预警线{rules.threshold_months:g}个月，"
             f"关注线{rules.watch_months:g}个月）{f'【{DEMO_LABEL}】' if demo else ''}")
    return "\n".join([title] + ([note] if note else []) + ["", fmt.text_table(headers, rows, right={1, 5, 6})])


def run_warn(context, args) -> int:
    config = context.config()
    store = as_of_store(context, config, args)
    with store.reader() as con:
        statuses = fund_statuses(config, con, store, args.year, args.month, args.month)
        demo = get_meta(con, "demo") == "1"
    if args.format == "json":
        print(to_json(warn_dict(args.year, args.month, statuses)))
    else:
        print(warn_table(args.year, args.month, statuses, config.rules.warning, demo, as_of_note(store)))
    return 0
