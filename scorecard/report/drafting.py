"""A draft of next year's targets as the files it is handed out in: one contract YAML a city (config/writer.py),
the proposal in words (说明.md) and the change against this year's contracts (对比.txt)."""

from __future__ import annotations

from dataclasses import replace

from .. import formatting as fmt
from ..assessment.drafting import Draft, Proposal
from ..config import Config
from ..config.writer import checked_files, contract_yaml, file_name, same_terms
from ..errors import InputError

EXPLANATION, COMPARISON = "说明.md", "对比.txt"


def contract_files(config: Config, draft: Draft) -> dict[str, str]:
    """File name (as this year's: 220100-长春市.yaml) → next year's contract, for every city of the draft."""
    heading = (f"草案：依据{draft.from_year}年度考评结果起草（目标制定），签订后加上 signed_on: 签订日期",
               "每个指标上一行的注释是建议值的由来；计分方法、权重和加分与上一年度相同")
    files = {}
    for city in draft.cities:
        contract = config.contract(draft.from_year, city.city)  # as in force at the end of the year
        files[file_name(contract)] = contract_yaml(
            config, contract, draft.year, {p.indicator: p.proposed for p in city.proposals},
            {p.indicator: p.words for p in city.proposals}, heading)
    return files


def checked_contract_files(config: Config, draft: Draft, kept: dict[str, str] | None = None) -> dict[str, str]:
    """`contract_files`, loaded back (with `kept`: the files of next year's folder that stay) and compared: the
    same targets, weights and methods as drafted, or InputError with every problem (file:line: 说明)."""
    files = contract_files(config, draft)
    loaded, problems = checked_files(config, draft.year, {**(kept or {}), **files})
    if problems:
        raise InputError("起草的目标责任书未通过检查：\n" + "\n".join(str(p) for p in problems))
    for city in draft.cities:
        written = loaded.contracts[(draft.year, city.city)]
        drafted = config.contract(draft.from_year, city.city)  # as in force at the end of the year
        values = {p.indicator: p.proposed for p in city.proposals}
        if not same_terms(written, _with_targets(drafted, values)):
            raise InputError(f"{city.name}的目标责任书写出后读回与草案不一致，未保存")
    return files


def _with_targets(contract, values):
    return replace(contract, targets=tuple(replace(t, target=values[t.indicator]) for t in contract.targets))


def change_text(p: Proposal) -> str:
    """+4,562人，+14.3%; +1.5个百分点; 不变: a target against this year's."""
    if abs(p.change) < 1e-12:
        return "不变"
    rate = f"，{p.change_rate * 100:+.1f}%" if p.change_rate is not None and p.additive else ""
    sign = "+" if p.change > 0 else "-"
    amount = (f"{sign}{abs(p.change) * 100:.1f}个百分点" if not p.additive
              else f"{sign}{fmt.quantity(abs(p.change), p.unit)}")
    return amount + rate


def comparison_text(draft: Draft) -> str:
    """Each city's targets of next year against this year's, the falling ones marked."""
    lines = [f"{draft.year}年度目标（草案）与{draft.from_year}年度目标责任书的对比", ""]
    for city in draft.cities:
        lines.append(f"{city.name}")
        rows = [[p.name, fmt.quantity(p.last_target, p.unit), fmt.quantity(p.proposed, p.unit), change_text(p),
                 "目标下降" if p.falls else ""] for p in city.proposals]
        lines.append(fmt.text_table(["指标", f"{draft.from_year}年目标", f"{draft.year}年目标", "变化", "备注"], rows,
                                    right={1, 2, 3}))
        lines.append("")
    falling = [c for c in draft.cities if c.falling]
    lines.append("目标下降的市州：" + ("；".join(f"{c.name}（{'、'.join(p.name for p in c.falling)}）" for c in falling)
                                 if falling else "无"))
    return "\n".join(lines) + "\n"


def totals_lines(draft: Draft) -> list[str]:
    return [f"- {t.name}：各市州合计{fmt.quantity(t.proposed, t.unit)}"
            + (f"，全省目标{fmt.quantity(t.province, t.unit)}，{t.verdict}" if t.province is not None else "，未设全省目标")
            + f"（{draft.from_year}年各市州目标合计{fmt.quantity(t.last, t.unit)}）" for t in draft.totals()]


def explanation_text(draft: Draft) -> str:
    """The proposal in words (Markdown): each city's targets with the rule and the numbers behind them."""
    demo = "（演示数据）" if draft.demo else ""
    lines = [f"# {draft.year}年度目标责任书草案说明{demo}", "",
             f"依据{draft.from_year}年度年终考评的实际数（12月）和近三年的趋势，按 targets.yaml 的建议规则起草。", ""]
    lines += [f"> {n}" for n in draft.notes]
    lines += ["## 全省合计", "", *totals_lines(draft), ""]
    for city in draft.cities:
        lines += [f"## {city.name}", ""]
        lines += [f"- {p.name}（{p.rule}）：{p.words}" for p in city.proposals]
        lines.append("")
    return "\n".join(lines)
