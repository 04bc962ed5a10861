"""`scorecard demo`, `scorecard import` and `scorecard template`: what goes into the database."""

from __future__ import annotations

import sys

from ..data.normalize import Names
from . import EXIT_INVALID, CliError, month_arg, year_arg


def register(subparsers) -> None:
    demo = subparsers.add_parser("demo", help="用内置生成器重建演示数据库（演示数据）")
    when = demo.add_mutually_exclusive_group()
    when.add_argument("--force", action="store_true", help="即使数据库中是导入的正式数据也覆盖")
    when.add_argument("--if-new", action="store_true",
                      help="只在从未有过数据时生成（数据库、账号库 *-access.duckdb 和原文件目录 *.originals 都不存在），"
                           "否则不做任何改动")
    demo.set_defaults(run=run_demo)
    load = subparsers.add_parser(
        "import", help="导入各市州月度实际数（长格式或宽格式的CSV/xlsx、填好的月报表；每个文件全部成功或全部不导入）")
    load.add_argument("files", nargs="+", metavar="FILE",
                      help="长格式 year,month,city,measure,value；宽格式 年度,月份,市州,各统计项；"
                           "或 scorecard template 生成的月报表")
    load.set_defaults(run=run_import)
    sheet = subparsers.add_parser("template", help="生成月报表模板（xlsx），市州填好后用 scorecard import 导入")
    sheet.add_argument("--year", type=year_arg, required=True, help="报表年度")
    sheet.add_argument("--month", type=month_arg, required=True, help="报表月份")
    sheet.add_argument("--city", help="市州代码、名称或简称（默认全部市州，每个市州一个工作表）")
    sheet.add_argument("--out", required=True, metavar="FILE.xlsx", help="输出文件")
    sheet.set_defaults(run=run_template)


# The commands' libraries (pandas, openpyxl) are imported when one of them runs, not by every command.

def run_demo(context, args) -> int:
    from ..actions.demo import build, traces_of_data

    store = context.store()
    if args.if_new and store.exists():
        print(f"已有数据库 {store.path}，未重新生成演示数据（要重建演示数据请运行 scorecard demo）")
        return 0
    traces = traces_of_data(store) if args.if_new else []
    if traces:
        print(f"未找到数据库 {store.path}，但 {'、'.join(map(str, traces))} 还在：这里有过数据，数据库可能被移动或删除了。"
              "未生成演示数据。请从备份恢复数据库，或用 scorecard import 导入数据；确要演示数据，请运行 scorecard demo。",
              file=sys.stderr)
        return 0
    config = context.config()
    built = build(store, config, context.principal(), force=args.force)
    rows = sum(r.rows for r in built.results)
    print(f"已生成演示数据库 {context.db_path}：{len(config.cities)}个市州，"
          f"{'、'.join(str(y) for y in config.years())}年，共{rows}条月度数据（演示数据，非正式数据）")
    print(f"演示个人记录{built.records.said().removeprefix('已导入个人记录')}（演示数据，身份证号为生成的）")
    return 0


def run_import(context, args) -> int:
    """Each file is one unit with its audit line (written by the import itself)."""
    from ..actions.imports import import_file
    from ..data.unit import ImportFailed

    config = context.config()
    store = context.store()
    say = lambda message: print(message, file=sys.stderr)  # noqa: E731
    failed = 0
    for path in args.files:
        try:
            result = import_file(store, config, path, context.principal(), on_wait=say,
                                 on_progress=say if sys.stderr.isatty() else None)
        except ImportFailed as exc:
            print(f"错误：{exc}", file=sys.stderr)
            failed += 1
            continue
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(result.summary(), file=sys.stderr if result.problems else sys.stdout)
        failed += not result.ok
    return EXIT_INVALID if failed else 0


def run_template(context, args) -> int:
    from ..data.template import write_template

    config = context.config()
    if not args.out.lower().endswith(".xlsx"):
        raise CliError(f"--out 应为 .xlsx 文件，现在是“{args.out}”")
    cities = list(config.cities)
    if args.city:
        names = Names(config)
        code = names.city(args.city)
        if code is None:
            raise CliError(f"未知的市州“{args.city}”{names.city_hint(args.city)}"
                           "（可写代码、全称或简称，见市州名单文件 cities.yaml）")
        cities = [config.city(code)]
    store = context.store()
    out = write_template(config, store if store.exists() else None, args.year, args.month, cities, args.out)
    where = cities[0].name if len(cities) == 1 else f"{len(cities)}个市州，每个市州一个工作表"
    note = "" if store.exists() else f"；数据库 {store.path} 不存在，“上月数”一栏为空"
    print(f"已生成{args.year}年{args.month}月月报表模板 {out}（{where}{note}）")
    return 0
