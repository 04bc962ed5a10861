"""The 目标责任书 of a city and year as the province and the city sign it, written once as blocks that word.py
and pdf.py lay out.

吉政办发〔2003〕4号 第二条: the province signs a contract (责任状) with each 市州 government every year. It states
the targets with their weights and how each is scored — in the words of the assessment's explanation
(assessment/explain.py, each rule's own `rule_text`) — the bonus, the adjustments and the veto findings
(scoring.yaml's `documents.veto_items`), the duty to report monthly (`report_deadline_day`) and the duty to report a
fund below the warning line (report/duty.py), and a signature block for each government with its date.
"""

from __future__ import annotations

from ..assessment.explain import bonus_text, method_text, target_phrase
from ..assessment.reporting import deadline_text
from ..config import Config, Contract
from ..errors import InputError
from ..formatting import PERCENT
from ..report import duty
from ..report.targets import amendment_texts
from .blocks import NUMERALS, Pact, Paragraph, Table, numbered
from .circular import DATE_PLACEHOLDER
from .content import grades_rule_text, number, total_rule_text

TARGET_HEADERS = ("序号", "考评领域", "考核指标", "年度目标", "权重", "计分方法", "超额加分")
TARGET_ALIGN = ("C", "C", "L", "R", "R", "L", "L")


def title(year: int) -> str:
    return f"{year}年度失业保险工作目标责任书"


def chosen_contracts(config: Config, year: int, city: str | None = None) -> list[Contract]:
    """The year's contracts (of one city, by code, name or short name), or InputError saying what is missing."""
    contracts = config.contracts_for(year)
    if not contracts:
        years = "、".join(map(str, config.years())) or "无"
        raise InputError(f"{year}年度没有目标责任书（配置目录 contracts/{year}/ 中没有文件；已有年度：{years}）")
    if city is None:
        return contracts
    code = config.city_lookup.get(str(city).strip())
    if code is None:
        raise InputError(f"未知的市州“{city}”（可写代码、全称或简称）")
    found = [c for c in contracts if c.city == code]
    if not found:
        raise InputError(f"{config.city(code).name}没有{year}年度目标责任书")
    return found


def government(name: str) -> str:
    return f"{name}人民政府"


def _date(contract: Contract) -> str:
    day = contract.signed_on
    return f"{day.year}年{day.month}月{day.day}日" if day else DATE_PLACEHOLDER


def pact(config: Config, contract: Contract) -> Pact:
    rules = config.rules_for(contract.year)
    first, second = rules.documents.issuer, government(config.city(contract.city).name)
    sections = [("目标任务", _targets(config, contract)),
                ("考评办法", _assessment(config, contract)),
                ("一票否决", _vetoes(config, contract)),
                ("统计报表报送", _reporting(config, contract)),
                ("基金预警报告", _warning(config, contract)),
                *([("目标调整", _amendments(config, contract))] if contract.amendments else []),
                ("其他", _other(contract))]
    return Pact(title=title(contract.year), parties=(f"甲方：{first}", f"乙方：{second}"),
                blocks=(*_opening(contract), *numbered(sections)),
                signatures=tuple((f"{side}（盖章）：", party, "代表（签字）：", f"签订日期：{_date(contract)}")
                                 for side, party in (("甲方", first), ("乙方", second))),
                bookmark=config.city(contract.city).name)


def pacts(config: Config, year: int, city: str | None = None) -> list[Pact]:
    return [pact(config, c) for c in chosen_contracts(config, year, city)]


def _opening(contract: Contract):
    yield Paragraph(f"为贯彻落实《吉林省失业保险办法》和{duty.NOTICE}文件精神，进一步完善失业保险工作目标责任制，"
                    f"明确{contract.year}年度失业保险工作的目标和责任，甲乙双方签订本责任书。")


def target_rows(config: Config, contract: Contract) -> tuple[tuple[str, ...], ...]:
    """One row per target: 序号, 领域, 指标, 目标 in its unit, 权重, 计分方法 and 超额加分 in the explanation's words."""
    cap = config.rules_for(contract.year).bonus_cap
    rows = []
    for n, t in enumerate(contract.targets, start=1):
        indicator = config.indicators[t.indicator]
        rows.append((str(n), indicator.area, indicator.name,
                     target_phrase(t.target, indicator.unit, indicator.direction), f"{number(t.weight)}分",
                     method_text(t.method, t.weight, indicator.unit == PERCENT, indicator.lower_rate),
                     bonus_text(t.bonus, cap, indicator.lower_rate)))
    return tuple(rows)


def _targets(config: Config, contract: Contract):
    weights = sum(t.weight for t in contract.targets)
    yield Paragraph(f"{contract.year}年度乙方完成下列失业保险工作目标。各项指标的权重合计{number(weights)}分，"
                    "每项指标按所列计分方法计分，最高得该项权重分。")
    rows = target_rows(config, contract)
    yield Table(headers=TARGET_HEADERS, rows=(*rows, ("", "合计", "", "", f"{number(weights)}分", "", "")),
                align=TARGET_ALIGN, unbroken=(TARGET_HEADERS.index("年度目标"), TARGET_HEADERS.index("权重")))
    yield Paragraph("完成率为实际完成数占目标的比例。“每低于（超过）目标1个百分点”，比率指标指实际比率与目标比率之差，"
                    "其他指标指完成率与100%之差。流量指标按1—12月累计数考核，存量指标按截至12月最近一个月的数考核。")


def _assessment(config: Config, contract: Contract):
    rules = config.rules_for(contract.year)
    yield Paragraph(f"甲方依据乙方按月报送的统计报表，于次年初对乙方{contract.year}年度目标完成情况进行考评，"
                    f"年内按月通报进度。{total_rule_text(rules)}，满分{number(rules.total_points)}分。")
    yield Paragraph(f"超额完成目标的，按上表所列办法加分，各项加分合计不超过{number(rules.bonus_cap)}分。"
                    "考评组可根据乙方工作情况核定加减分，并写明理由和认定日期。")
    yield Paragraph(grades_rule_text(rules))
    if rules.excellent_quota is not None:
        yield Paragraph(f"优秀等次不超过参加考评市（州）数的{number(rules.excellent_quota * 100)}%。")


def _vetoes(config: Config, contract: Contract):
    items = config.rules_for(contract.year).documents.veto_items
    failing = config.rules_for(contract.year).failing_grade
    if not items:
        yield Paragraph("本年度不设一票否决事项。")
        return
    yield Paragraph(f"乙方有下列情形之一的，实行一票否决，年度考评等次定为{failing}（考评得分和名次予以保留）：")
    for n, item in enumerate(items):
        yield Paragraph(f"（{NUMERALS[n]}）{item}。")


def _reporting(config: Config, contract: Contract):
    yield Paragraph(f"乙方按月向甲方报送失业保险统计报表，{deadline_text(config, contract.year)}"
                    "报送的数据应真实、准确、完整，作为考评的依据。")


def _warning(config: Config, contract: Contract):
    rules = config.rules_for(contract.year).warning
    yield Paragraph(duty.rule_text(rules))
    yield Paragraph(duty.levels_text(rules))
    yield Paragraph(f"未按规定报告的，考评组可扣减{number(rules.report_penalty)}分。")


def _amendments(config: Config, contract: Contract):
    """The changes within the year (目标调整), each from its date, in the words the 目标责任书 page shows."""
    yield Paragraph("本责任书签订后，经甲乙双方同意，年度内对目标作如下调整，自生效日期起按调整后的目标考评：")
    for n, amendment in enumerate(amendment_texts(config, contract)):
        edits = "；".join(f"新增{e.name}，目标{e.after}" if e.before == "—" else
                         f"{e.name}（原目标{e.before}）不再考核" if e.after == "取消考核" else
                         f"{e.name}由{e.before}调整为{e.after}，权重{e.weight}" for e in amendment.edits)
        yield Paragraph(f"（{NUMERALS[n]}）{amendment.title}（理由：{amendment.reason}）：{edits}。")


def _other(contract: Contract):
    yield Paragraph(f"本责任书自签订之日起生效，有效期至{contract.year}年12月31日。本责任书一式两份，甲乙双方各执一份。")


def document_title(config: Config, year: int, city: str | None = None) -> str:
    """2003年度长春市失业保险工作目标责任书; all cities: 2003年度各市（州）失业保险工作目标责任书."""
    if city is None:
        return f"{year}年度各市（州）失业保险工作目标责任书"
    return f"{year}年度{config.city(config.city_lookup[city.strip()]).name}失业保险工作目标责任书"
