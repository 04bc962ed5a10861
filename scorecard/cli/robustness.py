"""`scorecard robustness`: the ranks of a year's result under other weights (排名稳健性)."""

from __future__ import annotations

from .. import formatting as fmt
from ..assessment.robustness import robustness
from ..assessment.scoring import score_year
from ..report.publication import official_result
from ..report.notes import DEMO_LABEL
from ..report.robustness import city_label, heading, method_note, rank_cell, robustness_dict, sentences
from . import json_out
from . import CliError, month_arg, positive_int, year_arg
from .results import add_as_of, as_of_note, as_of_store

MATRIX_MAX = 30  # cities up to which the table of every scenario's ranks is printed (a column each)


def register(subparsers) -> None:
    command = subparsers.add_parser("robustness", help="排名稳健性：等权重、各领域权重±20%%、逐一不计一项指标时的名次变化")
    command.add_argument("--year", type=year_arg, required=True, help="考评年度")
    command.add_argument("--month", type=month_arg, help="截至月份（默认该年度有数据的最近月份；12月为年终考评）")
    command.add_argument("--format", choices=["table", "json"], default="table", help="输出格式（默认 table）")
    add_as_of(command)
    command.add_argument("--publication", type=positive_int, metavar="N",
                         help="分析该年度第N号发布的结果（默认按现在的数据计算）")
    command.set_defaults(run=run)


def table(found, note: str | None = None) -> str:
    lines = [heading(found) + (f"【{DEMO_LABEL}】" if found.demo else "")] + ([note] if note else [])
    cities = found.cities
    if len(cities) <= MATRIX_MAX:
        rows = [[str(k), s.label, *(rank_cell(c, k) for c in cities)] for k, s in enumerate(found.scenarios)]
        headers = ["序号", "情景", *(city_label(c) for c in cities)]
        lines += ["", "各情景下的名次（↑上升、↓下降的位数，与基准名次相比）",
                  fmt.text_table(headers, rows, set(range(2, len(headers))))]
    rows = [[c.name, str(c.base_rank), str(c.best_rank), str(c.worst_rank), str(c.max_shift), str(c.moves)]
            for c in cities]
    lines += ["", "各市州名次变动", fmt.text_table(["市州", "基准名次", "最好名次", "最差名次", "最大变动（位）", "变动情景数"],
                                                 rows, {1, 2, 3, 4, 5})]
    lines += ["", *sentences(found), f"注：{method_note()}"]
    return "\n".join(lines)


def run(context, args) -> int:
    config = context.config()
    if args.publication:
        if args.as_of_import or args.as_of:
            raise CliError("--publication 与 --as-of、--as-of-import 不能同时使用：发布的结果就是发布时的数据")
        result = official_result(config, context.existing_store(), args.year, args.month, args.publication)
        note = f"按{result.publication.title}" if result.publication else None
    else:
        store = as_of_store(context, config, args)
        result, note = score_year(config, store, args.year, args.month), as_of_note(store)
    found = robustness(result)
    print(json_out(robustness_dict(found)) if args.format == "json" else table(found, note))
    return 0
