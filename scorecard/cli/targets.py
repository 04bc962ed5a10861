"""`scorecard targets draft --from-year Y --out DIR`: next year's contracts (Y+1) drafted from the final result of
Y, one YAML file a city as in config/contracts/<Y>/, with the proposal in words (说明.md) and the change against
this year's contracts (对比.txt). The files are checked by loading them back before they are written; nothing is
written into the config folder (the 目标制定 page saves there)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..assessment.drafting import draft_targets
from ..config.targets import load_targets
from ..errors import cannot_write
from ..report.drafting import COMPARISON, EXPLANATION, checked_contract_files, comparison_text, explanation_text
from . import CliError, year_arg


def register(subparsers) -> None:
    parser = subparsers.add_parser("targets", help="目标制定：依据本年度考评结果起草下一年度目标责任书")
    actions = parser.add_subparsers(dest="action", metavar="操作", required=True)
    draft = actions.add_parser("draft", help="起草下一年度各市州的目标责任书（YAML）、建议说明和对比")
    draft.add_argument("--from-year", type=year_arg, required=True, help="据以起草的考评年度（起草其下一年度）")
    draft.add_argument("--out", required=True, metavar="DIR", help="输出文件夹（不存在时新建）")
    draft.set_defaults(run=run_draft)


def run_draft(context, args) -> int:
    config, store = context.config(), context.existing_store()
    rules, problems = load_targets(config)
    if rules is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        raise CliError(f"targets.yaml 有{len(problems)}处问题，请先修正")
    draft = draft_targets(config, store, args.from_year, rules)
    files = checked_contract_files(config, draft)
    files |= {EXPLANATION: explanation_text(draft), COMPARISON: comparison_text(draft)}
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (out / name).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CliError(cannot_write(exc, out) or f"无法写入 {out}：{exc}") from exc
    print(f"已起草{draft.year}年度目标责任书{len(draft.cities)}份（依据{draft.from_year}年度考评结果），写入 {out}/：")
    for name in files:
        print(f"  {name}")
    falling = [c for c in draft.cities if c.falling]
    if falling:
        print("目标下降的市州：" + "；".join(f"{c.name}（{'、'.join(p.name for p in c.falling)}）" for c in falling))
    print(f"检查后放入配置目录 contracts/{draft.year}/ 即可生效（或在网页“目标制定”页修改后保存）。")
    return 0
