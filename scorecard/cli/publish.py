"""`scorecard publish` and `scorecard publications`: publish a year's result (发布) and list what was published,
with what has changed since (发布后变动)."""

from __future__ import annotations

from .. import formatting as fmt
from ..actions.publish import publish
from ..assessment.decisions import records_of
from ..report.publication import changes_since
from ..records import publications
from . import json_out
from . import CliError, month_arg, year_arg


def register(subparsers) -> None:
    parser = subparsers.add_parser("publish", help="发布年度考评结果（或某月的进度通报），发布后不再随数据变化")
    parser.add_argument("--year", type=year_arg, required=True, help="考评年度")
    parser.add_argument("--month", type=month_arg, default=12, help="截至月份（默认12月，即年终考评结果）")
    parser.add_argument("--reason", required=True, help="发布理由（再次发布时写明更正的内容）")
    parser.set_defaults(run=run_publish)
    listed = subparsers.add_parser("publications", help="列出已发布的考评结果及发布后变动")
    listed.add_argument("--year", type=year_arg, help="只看一个年度")
    listed.add_argument("--format", choices=["table", "json"], default="table", help="输出格式（默认 table）")
    listed.set_defaults(run=run_publications)


def run_publish(context, args) -> int:
    config = context.config()
    saved = publish(context.existing_store(), context.principal(), config, args.year, args.month, reason=args.reason)
    print(f"已发布：{saved.title}")
    return 0


def run_publications(context, args) -> int:
    config = context.config()
    store = context.existing_store()
    records = records_of(store)
    found = [] if records is None else publications.listed(records, args.year)
    latest = {}
    for publication in found:
        latest[(publication.year, publication.month)] = publication
    changes = {key: changes_since(config, store, p) for key, p in latest.items()}
    if args.format == "json":
        print(json_out({"publications": [{
            "year": p.year, "month": p.month, "number": p.number,
            "published_at": p.published_at.isoformat(timespec="seconds"), "author": p.author, "reason": p.reason,
            "inputs": p.fingerprint} for p in found],
            "changes": [{"year": c.publication.year, "month": c.publication.month, "number": c.publication.number,
                         "figures": [{"city": f.city, "name": f.name, "figure": f.figure, "published": f.published,
                                      "now": f.now} for f in c.figures],
                         "reasons": list(c.reasons)} for c in changes.values()]}))
        return 0
    if not found:
        print("还没有发布过考评结果" + (f"（{args.year}年度）" if args.year else ""))
        return 0
    headers = ["年度", "编号", "内容", "发布日期", "发布人", "理由"]
    rows = [[str(p.year), f"第{p.number}号", "年终考评结果" if p.month == 12 else f"截至{p.month}月进度通报",
             f"{p.published_at:%Y-%m-%d %H:%M}", p.author, p.reason] for p in found]
    print(fmt.text_table(headers, rows))
    for change in changes.values():
        print("")
        print(f"发布后变动（与{change.publication.title}相比）：")
        if not change.figures:
            print("  无：按现在的数据和考评决定计算，结果与发布的相同")
            continue
        print(fmt.text_table(["市州", "项目", "发布时", "现在"],
                             [[f.name, f.figure, *f.texts] for f in change.figures]))
        if change.reasons:
            print("原因：" + "；".join(change.reasons))
    return 0


def published_json(context, year: int, month: int | None, number: int | None) -> str:
    """The stored JSON of a publication (`score --published` / `--publication N`)."""
    records = records_of(context.existing_store())
    if records is None:
        raise CliError(f"{year}年度还没有发布过考评结果（scorecard publish 可发布）")
    return publications.chosen(records, year, month=month, number=number).result
