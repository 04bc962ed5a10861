"""`scorecard export`: the documents of the year-end assessment meeting (xlsx, docx, pdf)."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from ..report.notes import DEMO_LABEL
from ..exports import FORMATS, FontError, export, export_file_name
from ..report.publication import official_result
from . import CliError, month_arg, positive_int, year_arg


def register(subparsers) -> None:
    parser = subparsers.add_parser("export", help="生成年终考评会文件：Excel考评表、Word通报、PDF通报和单位考评卡")
    parser.add_argument("--year", type=year_arg, required=True, help="考评年度")
    parser.add_argument("--month", type=month_arg,
                        help="截至月份（默认该年度有数据的最近月份；12月以前为预估）")
    parser.add_argument("--format", choices=list(FORMATS), required=True,
                        help="xlsx：Excel考评表；docx：Word通报；pdf：PDF通报和单位考评卡")
    parser.add_argument("--out", required=True, metavar="FILE", help="输出文件（给出已有目录时使用默认文件名）")
    parser.add_argument("--publication", type=positive_int, metavar="N",
                        help="导出该年度第N号发布的结果（默认：已发布时为现行发布的结果，未发布时按现在的数据计算）")
    parser.set_defaults(run=run)


def target(out: str, kind: str, default_name: str) -> Path:
    """The file to write: `out`, or `default_name` inside it when it is a folder."""
    path = Path(out)
    if path.is_dir():
        return path / default_name
    if not path.parent.is_dir():
        raise CliError(f"输出目录不存在：{path.parent}")
    if path.suffix.lower() != f".{kind}":
        print(f"提示：文件名“{path.name}”的扩展名不是 .{kind}，打开时可能需要手动选择程序", file=sys.stderr)
    return path


def write(path: Path, data: bytes) -> None:
    """Whole or not at all: a reader never sees half a file, and a failed export leaves the old one."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as exc:
        with contextlib.suppress(OSError):     # a read-only folder refuses even to remove what is not there
            partial.unlink(missing_ok=True)
        raise CliError(f"无法写入 {path}：{exc.strerror or exc}（文件是否正被其他程序打开？）") from None


def run(context, args) -> int:
    config = context.config()
    store = context.existing_store()
    result = official_result(config, store, args.year, args.month, args.publication)
    path = target(args.out, args.format, export_file_name(args.format, result))
    try:
        data = export(args.format, result, config, store)
    except FontError as exc:
        raise CliError(str(exc)) from None
    write(path, data)
    notes = ([result.publication.title] if result.publication else []) + [f"截至{result.month}月", result.label] \
        + ([DEMO_LABEL] if result.demo else [])
    print(f"已生成{FORMATS[args.format].label}：{path}（{result.year}年度，{'，'.join(notes)}，"
          f"{len(result.cities)}个市州，{len(data) / 1024:,.0f} KB）")
    return 0
