"""`scorecard package`: the meeting package (会议材料包) — the xlsx, the docx, the PDF and the charts in one zip."""

from __future__ import annotations

from ..exports import BuildError, FontError
from ..exports.package import meeting_package, package_file_name
from ..report.notes import DEMO_LABEL
from ..report.publication import official_result
from . import CliError, month_arg, positive_int, year_arg
from .export import target, write


def register(subparsers) -> None:
    parser = subparsers.add_parser("package", help="生成会议材料包（zip）：Excel考评表、Word通报、PDF通报和单位考评卡及各图表（PNG）")
    parser.add_argument("--year", type=year_arg, required=True, help="考评年度")
    parser.add_argument("--month", type=month_arg,
                        help="截至月份（默认该年度有数据的最近月份；12月以前为预估）")
    parser.add_argument("--out", required=True, metavar="FILE", help="输出文件（给出已有目录时使用默认文件名）")
    parser.add_argument("--publication", type=positive_int, metavar="N",
                        help="使用该年度第N号发布的结果（默认：已发布时为现行发布的结果，未发布时按现在的数据计算）")
    parser.set_defaults(run=run)


def run(context, args) -> int:
    config = context.config()
    store = context.existing_store()
    result = official_result(config, store, args.year, args.month, args.publication)
    path = target(args.out, "zip", package_file_name(result))
    try:
        data = meeting_package(result, config, store)
    except (BuildError, FontError) as exc:
        raise CliError(str(exc)) from None
    write(path, data)
    notes = [f"截至{result.month}月", result.label] + ([DEMO_LABEL] if result.demo else [])
    print(f"已生成会议材料包：{path}（{result.year}年度，{'，'.join(notes)}，{len(data) / 1024:,.0f} KB）")
    return 0
