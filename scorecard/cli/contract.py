"""`scorecard contract`: the 目标责任书 of a city, or of every city in one file, as Word or PDF."""

from __future__ import annotations

from ..exports import CONTRACT_FORMATS, FontError, contract_document, contract_file_name
from . import CliError, year_arg
from .export import target, write


def register(subparsers) -> None:
    parser = subparsers.add_parser("contract", help="生成目标责任书（Word或PDF）：一个市州的，或全省各市州的合订本")
    parser.add_argument("--year", type=year_arg, required=True, help="责任书年度")
    parser.add_argument("--city", help="市州代码、全称或简称（不写则生成该年度各市州责任书的合订本，每份另起一页）")
    parser.add_argument("--format", choices=list(CONTRACT_FORMATS), required=True, help="docx：Word；pdf：PDF")
    parser.add_argument("--out", required=True, metavar="FILE", help="输出文件（给出已有目录时使用默认文件名）")
    parser.set_defaults(run=run)


def run(context, args) -> int:
    config = context.config()
    try:
        data = contract_document(args.format, config, args.year, args.city)
    except FontError as exc:
        raise CliError(str(exc)) from None
    path = target(args.out, args.format, contract_file_name(args.format, config, args.year, args.city))
    write(path, data)
    count = 1 if args.city else len(config.contracts_for(args.year))
    print(f"已生成{CONTRACT_FORMATS[args.format].label}：{path}（{args.year}年度，{count}份，{len(data) / 1024:,.0f} KB）")
    return 0
