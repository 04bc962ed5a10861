"""`scorecard score` and `scorecard warn`: the ranking and the fund early warning."""

from __future__ import annotations

import sys

from .. import formatting as fmt
from ..frozen import collector_paused
from ..data import history
from ..report.columns import POINTS, RANK, county_columns, headers, notes_column, totals_columns
from ..report.notes import DEMO_LABEL
from ..report.summary import summarize
from ..assessment.fund import fund_statuses
from ..assessment.results import YearResult
from ..assessment.scoring import score_year
from ..report.serialize import score_csv, score_dict, warn_dict
from ..config import suggestion
from ..data.store import get_meta
from . import CliError, date_arg, json_out, month_arg, positive_int, year_arg


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
    score.add_argument("--headers", choices=["name", "code"], default="name",
                       help="CSV 的表头：name 为中文表头并带 BOM（Excel 直接打开，默认）；code 为英文代码、不带 BOM（供程序读取）")
    score.add_argument("--parent", metavar="CITY",
                       help="为该市州下辖的县（市、区）评分排名（按该市州与它们签订的目标责任书），如 长春市 或 220100")
    add_as_of(score)
    published = score.add_mutually_exclusive_group()
    published.add_argument("--published", action="store_true",
                           help="输出该年度（该月）最新发布的结果（JSON，与 --format json 相同的格式）")
    published.add_argument("--publication", type=positive_int, metavar="N", help="输出该年度第N号发布的结果")
    score.set_defaults(run=run_score, quick_exit=True)  # it reads and prints: cli._end_now
    warn = subparsers.add_parser("warn", help="失业保险基金支付能力预警")
    warn.add_argument("--year", type=year_arg, required=True, help="年度")
    warn.add_argument("--month", type=month_arg, required=True, help="月份")
    warn.add_argument("--format", choices=["table", "json"], default="table", help="输出格式（默认 table）")
    add_as_of(warn)
    warn.set_defaults(run=run_warn, quick_exit=True)


def _heading(result: YearResult, whose: str = "") -> str:
    demo = f"【{DEMO_LABEL}】" if result.demo else ""
    return f"{result.year}年度{whose}失业保险工作目标责任制考评结果（截至{result.month}月，{result.label}）{demo}"


def score_table(result: YearResult, grades, note: str | None = None, whose: str = "") -> str:
    columns = (county_columns() if result.parent else totals_columns()) + [notes_column(result)]
    rows = [[column.text(c) for column in columns] for c in result.cities]
    right = {j for j, column in enumerate(columns) if column.kind in (POINTS, RANK)}
    summary = summarize(result, grades)
    lines = [_heading(result, whose)] + ([note] if note else []) + ["", fmt.text_table(list(headers(columns)), rows, right)]
    lines += ["", f"{'' if whose else '全省'}平均分：{summary.average_text}分", *summary.sentences()]
    lines += [f"注：{text}" for text in summary.notes]
    return "\n".join(lines)


def run_score(context, args) -> int:
    """Python's cyclic collector paused for the whole command: each of its runs scanned every object built so far
    (the config, the results, their JSON's mappings) that the command holds until it ends anyway; what the
    command made is freed as it returns, before the collector is on again."""
    with collector_paused():
        return _score(context, args)


def _score(context, args) -> int:
    if args.published or args.publication:
        if args.as_of_import or args.as_of:
            raise CliError("--published 与 --as-of、--as-of-import 不能同时使用：发布的结果就是发布时的数据")
        from .publish import published_json  # publishing's libraries only for a published result

        print(published_json(context, args.year, args.month, args.publication))
        return 0
    config = context.config()
    store = as_of_store(context, config, args)
    parent = None
    if args.parent is not None:
        parent = config.unit_lookup.get(args.parent.strip())
        if parent is None:
            raise CliError(f"未知的市州“{args.parent}”{suggestion(args.parent.strip(), config.unit_lookup)}（见 cities.yaml）")
    result = score_year(config, store, args.year, args.month, parent)
    whose = f"{config.city(parent).name}下辖县（市、区）" if parent else ""
    if args.format == "json":
        print(json_out(score_dict(result)))
    elif args.format == "csv":
        sys.stdout.write(score_csv(result, args.headers))
    else:
        print(score_table(result, result.rules.grades, as_of_note(store), whose))
    return 0


def warn_table(year: int, month: int, statuses, rules, demo: bool, note: str | None = None) -> str:
    # the warning duty reads the warning reports on record (SQLAlchemy): imported by `warn` only, not by `score`
    from ..report import duty
    from ..report.capacity import BALANCE, CAPACITY, DUE, FORWARD, FUND_CITY, LEVEL, REASON, expenditure

    columns = [FUND_CITY, CAPACITY, LEVEL, FORWARD, DUE, BALANCE, expenditure(rules), REASON]
    rows = [[column.text(s) for column in columns] for s in statuses]
    right = {j for j, column in enumerate(columns) if column.align == "R"}
    title = (f"{year}年{month}月 失业保险基金支付能力（预警线{rules.threshold_months:g}个月，"
             f"关注线{rules.watch_months:g}个月）{f'【{DEMO_LABEL}】' if demo else ''}")
    return "\n".join([title] + ([note] if note else []) + ["", fmt.text_table(list(headers(columns)), rows, right), "",
                                                         f"须报告：{duty.due_text()}。{duty.rule_text(rules)}"])


def run_warn(context, args) -> int:
    config = context.config()
    store = as_of_store(context, config, args)
    with store.reader() as con:
        statuses = fund_statuses(config, con, store, args.year, args.month, args.month)
        demo = get_meta(con, "demo") == "1"
    if args.format == "json":
        print(json_out(warn_dict(args.year, args.month, statuses)))
    else:
        print(warn_table(args.year, args.month, statuses, config.rules_for(args.year).warning, demo, as_of_note(store)))
    return 0
