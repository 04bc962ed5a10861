"""`scorecard warn-letter`: a city's warning letter (预警报告) as Word or PDF."""

from __future__ import annotations

from ..exports import LETTER_FORMATS, FontError, letter_file_name, warning_letter
from ..data.store import get_meta
from . import CliError, month_arg, year_arg
from .export import target, write


def register(subparsers) -> None:
    parser = subparsers.add_parser("warn-letter", help="生成一个市州的基金预警报告（Word或PDF）")
    parser.add_argument("--city", required=True, help="市州代码、全称或简称")
    parser.add_argument("--year", type=year_arg, required=True, help="年度")
    parser.add_argument("--month", type=month_arg, required=True, help="月份")
    parser.add_argument("--format", choices=list(LETTER_FORMATS), required=True, help="docx：Word；pdf：PDF")
    parser.add_argument("--out", required=True, metavar="FILE", help="输出文件（给出已有目录时使用默认文件名）")
    parser.set_defaults(run=run)


def run(context, args) -> int:
    config = context.config()
    store = context.existing_store()
    code = config.city_lookup.get(args.city.strip())
    if code is None:
        raise CliError(f"未知的市州“{args.city}”（可写代码、全称或简称）")
    with store.reader() as con:
        demo = get_meta(con, "demo") == "1"
    path = target(args.out, args.format, letter_file_name(args.format, config, code, args.year, args.month, demo))
    try:
        data = warning_letter(args.format, config, store, code, args.year, args.month)
    except FontError as exc:
        raise CliError(str(exc)) from None
    write(path, data)
    print(f"已生成{LETTER_FORMATS[args.format].label}：{path}（{config.city(code).name}{args.year}年{args.month}月"
          f"{'，演示数据' if demo else ''}，{len(data) / 1024:,.0f} KB）")
    return 0
