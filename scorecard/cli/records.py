"""`scorecard records …`: person records (issue 17) — the hashing key, importing, demo records, derived
measures."""

from __future__ import annotations

import sys
from pathlib import Path

from . import EXIT_INVALID, CliError, year_arg


def register(subparsers) -> None:
    records = subparsers.add_parser("records", help="个人记录：申领、发放、缴费工资、登记、出中心计划（导入与由记录得出的统计）")
    commands = records.add_subparsers(dest="records_command", metavar="子命令")
    commands.required = True
    key = commands.add_parser("key", help="生成身份证号散列密钥文件（放在数据目录之外）")
    key.add_argument("--new", action="store_true", required=True, help="生成新的密钥（已有的密钥文件不会被覆盖）")
    key.add_argument("--out", required=True, metavar="FILE", help="密钥文件路径")
    key.set_defaults(run=run_key)
    load = commands.add_parser("import", help="导入个人记录文件（CSV 或 Parquet；所有文件全部成功或全部不导入）")
    load.add_argument("files", nargs="+", metavar="FILE", help="表头写列代码或中文列名，见 README“个人记录”一节")
    load.set_defaults(run=run_import)


def run_key(context, args) -> int:
    from ..microdata import personid

    path = personid.new_key(Path(args.out).expanduser(), context.db_path.parent)
    print(f"已生成密钥文件 {path}。请妥善保管、另行备份（丢失后已导入记录的散列无法再与新记录对应），"
          f"并设置环境变量 {personid.KEY_ENV}={path}，或在 records.yaml 中写 person_key_file: {path}")
    return 0


def run_import(context, args) -> int:
    from ..actions.person_records import import_records
    from ..microdata.importer import ImportRefused

    try:
        summary = import_records(context.store(), context.config(), args.files, context.principal())
    except ImportRefused as refused:
        for problem in refused.problems:
            print(problem, file=sys.stderr)
        raise CliError(str(refused), EXIT_INVALID) from None
    print(summary.said())
    return 0
