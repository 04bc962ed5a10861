"""`scorecard history`: every value an import replaced, and the import log."""

from __future__ import annotations

from ..data import history
from ..formatting import text_table
from ..data.normalize import Names
from . import json_out
from . import CliError, year_arg


def register(subparsers) -> None:
    parser = subparsers.add_parser("history", help="查看数据修订记录（被替换的原值及来源）或导入记录")
    parser.add_argument("--city", help="只看一个市州（代码、名称或简称）")
    parser.add_argument("--measure", help="只看一个统计项（代码或中文名称）")
    parser.add_argument("--year", type=year_arg, help="只看一个年度")
    parser.add_argument("--imports", action="store_true", help="列出导入记录（第几次导入、时间、导入人、文件）")
    parser.add_argument("--format", choices=["table", "json"], default="table", help="输出格式（默认 table）")
    parser.set_defaults(run=run)


def number(value: float) -> str:
    """Exact, with thousands separators: a revision must show what was really stored."""
    return f"{value:,.12g}"


def _time(value) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M:%S}"


def _city_name(config, code: str) -> str:
    return next((c.name for c in config.units if c.code == code), code)  # a 县（市、区） too


def _measure_name(config, code: str) -> str:
    return config.measures[code].name if code in config.measures else code


def _resolve(names: Names, args) -> tuple[str | None, str | None]:
    city = measure = None
    if args.city:
        city = names.city(args.city)
        if city is None:
            raise CliError(f"未知的市州“{args.city}”{names.city_hint(args.city)}")
    if args.measure:
        measure = names.measure(args.measure)
        if measure is None:
            raise CliError(f"未知的统计项“{args.measure}”{names.measure_hint(args.measure)}")
    return city, measure


def run(context, args) -> int:
    config = context.config()
    store = context.existing_store()
    if args.imports:
        return _imports(store, args)
    city, measure = _resolve(Names(config), args)
    revisions = history.revisions(store, year=args.year, city=city, measure=measure)
    if args.format == "json":
        print(json_out({"revisions": [{
            "year": r.year, "month": r.month, "city": r.city, "name": _city_name(config, r.city),
            "measure": r.measure, "measure_name": _measure_name(config, r.measure),
            "old_value": r.old_value, "new_value": r.new_value,
            "old_import": {"id": r.old_import_id, "file": r.old_file, "imported_at": _time(r.old_imported_at)},
            "new_import": {"id": r.new_import_id, "file": r.new_file, "sha256": r.new_sha256,
                           "imported_at": _time(r.new_imported_at), "imported_by": r.new_imported_by},
        } for r in revisions]}))
        return 0
    scope = "、".join(x for x in (f"{args.year}年" if args.year else "", _city_name(config, city) if city else "",
                                  _measure_name(config, measure) if measure else "") if x)
    title = f"数据修订记录{f'（{scope}）' if scope else ''}：共{len(revisions)}条"
    if not revisions:
        print(title + "。没有任何数值被替换过。")
        return 0
    headers = ["导入", "导入时间", "导入人", "年月", "市州", "统计项", "原值", "新值", "增减", "单位", "原值来自",
               "文件"]
    rows = [[f"第{r.new_import_id}次", _time(r.new_imported_at), r.new_imported_by or "", f"{r.year}年{r.month}月",
             _city_name(config, r.city), _measure_name(config, r.measure), number(r.old_value), number(r.new_value),
             f"{r.new_value - r.old_value:+,.12g}",
             config.measures[r.measure].unit if r.measure in config.measures else "",
             f"第{r.old_import_id}次 {r.old_file or ''}".strip(), f"{r.new_file or ''}（{(r.new_sha256 or '')[:12]}）"]
            for r in revisions]
    print("\n".join([title, "", text_table(headers, rows, right={6, 7, 8})]))
    return 0


def _imports(store, args) -> int:
    log = history.imports(store)
    if args.format == "json":
        print(json_out({"imports": [{
            "id": r.import_id, "file": r.file_name, "sha256": r.sha256, "imported_at": _time(r.imported_at),
            "imported_by": r.imported_by, "rows": r.rows, "new": r.new, "replaced": r.replaced,
            "unchanged": r.unchanged, "original": str(r.original) if r.original else None} for r in log]}))
        return 0
    headers = ["导入", "导入时间", "导入人", "文件", "sha256", "条数", "新增", "替换", "未变", "原件"]
    rows = [[f"第{r.import_id}次", _time(r.imported_at), r.imported_by or "", r.file_name, r.sha256[:12],
             f"{r.rows:,}", f"{r.new:,}", f"{r.replaced:,}", f"{r.unchanged:,}",
             str(r.original) if r.original else "—"] for r in log]
    print("\n".join([f"导入记录：共{len(log)}次", "", text_table(headers, rows, right={5, 6, 7, 8})]))
    return 0
