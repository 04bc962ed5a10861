"""`scorecard demo` and `scorecard import`: what goes into the database."""

from __future__ import annotations

import sys

from ..demo import build_demo
from ..intake import import_file
from . import EXIT_INVALID


def register(subparsers) -> None:
    demo = subparsers.add_parser("demo", help="用内置生成器重建演示数据库（演示数据）")
    demo.add_argument("--force", action="store_true", help="即使数据库中是导入的正式数据也覆盖")
    demo.set_defaults(run=run_demo)
    load = subparsers.add_parser("import", help="导入各市州月度实际数（CSV或xlsx，每个文件全部成功或全部不导入）")
    load.add_argument("files", nargs="+", metavar="FILE", help="长格式CSV或xlsx：year,month,city,measure,value")
    load.set_defaults(run=run_import)


def run_demo(context, args) -> int:
    config = context.config()
    results = build_demo(context.store(), config, force=args.force)
    rows = sum(r.rows for r in results)
    print(f"已生成演示数据库 {context.db_path}：{len(config.cities)}个市州，"
          f"{'、'.join(str(y) for y in config.years())}年，共{rows}条月度数据（演示数据，非正式数据）")
    return 0


def run_import(context, args) -> int:
    config = context.config()
    store = context.store()
    failed = 0
    for path in args.files:
        result = import_file(store, config, path, user=context.operator,
                             on_wait=lambda message: print(message, file=sys.stderr))
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(result.summary(), file=sys.stderr if result.problems else sys.stdout)
        failed += not result.ok
    return EXIT_INVALID if failed else 0
