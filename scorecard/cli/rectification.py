"""`scorecard rectification list`: what of a year calls for corrective action (整改) and the cities' plans, with
their state, milestones and the milestones overdue today (the injected clock)."""

from __future__ import annotations

from .. import clock
from .. import formatting as fmt
from ..assessment.rectification import findings, plans_for
from ..records.rectification import DONE
from . import json_out
from . import year_arg


def register(subparsers) -> None:
    parser = subparsers.add_parser("rectification", help="整改：需要整改的事项与各市州的整改方案")
    actions = parser.add_subparsers(dest="action", metavar="操作", required=True)
    listed = actions.add_parser("list", help="列出一个年度需要整改的事项和整改方案（含逾期节点）")
    listed.add_argument("--year", type=year_arg, required=True, help="考评年度")
    listed.add_argument("--format", choices=["table", "json"], default="table", help="输出格式（默认 table）")
    listed.set_defaults(run=run_list)


def _day(value) -> str | None:
    return f"{value:%Y-%m-%d}" if value else None


def plan_dict(plan, today) -> dict:
    return {
        "id": plan.plan_id, "year": plan.year, "city": plan.city, "finding": plan.finding,
        "finding_text": plan.finding_text, "state": plan.state, "version": plan.current.version,
        "measures": plan.current.measures, "owner": plan.current.owner, "overdue": len(plan.overdue(today)),
        "milestones": [{"position": m.position, "due_on": _day(m.due_on), "description": m.description,
                        "status": m.status, "completed_on": _day(m.completed_on), "note": m.note,
                        "overdue": m.overdue(today)} for m in plan.milestones],
        "versions": [{"version": v.version, "author": v.author, "at": f"{v.at:%Y-%m-%dT%H:%M:%S}", "state": v.state,
                      "reviewer": v.review and v.review.author, "reason": v.review and v.review.reason}
                     for v in plan.versions],
    }


def run_list(context, args) -> int:
    config, store = context.config(), context.existing_store()
    today = clock.today()
    found, plans = findings(config, store, args.year), plans_for(store, args.year)
    by_finding = {(p.city, p.finding): p for p in plans}
    if args.format == "json":
        print(json_out({"year": args.year, "today": _day(today), "findings": [
            {"city": f.city, "name": f.city_name, "finding": f.key, "text": f.text,
             "plan": by_finding[f.city, f.key].plan_id if (f.city, f.key) in by_finding else None} for f in found],
            "plans": [plan_dict(p, today) for p in plans]}))
        return 0
    print(f"{args.year}年度需要整改的事项")
    print(fmt.text_table(["市州", "事项", "整改方案"], [
        [f.city_name, f.text, (f"编号{by_finding[f.city, f.key].plan_id}，{by_finding[f.city, f.key].state}"
                               if (f.city, f.key) in by_finding else "未报送")] for f in found])
          if found else "（没有需要整改的事项）")
    print(f"\n{args.year}年度整改方案（截至{today:%Y年%-m月%-d日}）")
    print(fmt.text_table(["编号", "市州", "事项", "状态", "版本", "责任人", "节点", "已完成", "逾期节点"], [
        [str(p.plan_id), config.city(p.city).name, p.finding_text, p.state, f"第{p.current.version}版",
         p.current.owner, str(len(p.milestones)), str(sum(m.status == DONE for m in p.milestones)),
         str(len(p.overdue(today)))] for p in plans]) if plans else "（没有整改方案）")
    return 0
