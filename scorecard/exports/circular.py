"""The circular (通报) on a year's assessment, written once as blocks that word.py and pdf.py lay out.

Every sentence is built here from the core's YearResult, with the numbers of
scorecard.formatting, so the Word file and the PDF say exactly the same thing.
"""

from __future__ import annotations

from .. import formatting as fmt
from ..report import palette
from ..config import Config
from ..assessment.explain import (
    actual_and_target,
    completion_and_pace,
    decision_text,
    not_yet_counted_text,
    veto_text,
)
from ..assessment.fund import AMBER, RED
from ..assessment.formulas import BEHIND, FAR_BEHIND
from ..assessment.results import YearResult
from .blocks import NUMERALS, Document, Figure, Heading, Paragraph, Table, numbered
from .chart import totals_png
from ..report import duty
from ..report.columns import GRADE, ranking_columns, weights_text
from ..report.notes import page_mark, result_notes
from ..report.summary import names as city_list
from ..report.summary import summarize
from .content import capacity_text, grades_rule_text, months_text, number, total_rule_text

DATE_PLACEHOLDER = "　　年　　月　　日"


def circular(result: YearResult, config: Config, attachment: str | None = None) -> Document:
    sections = [("总体情况", _overview(result, config)),
                ("考评得分和排名", _ranking(result, config)),
                ("考评等次", _grades(result, config)),
                ("加减分和一票否决情况", _adjustments_and_vetoes(result, config)),
                ("存在的主要问题", _problems(result, config)),
                ("工作要求", _requirements(result, config))]
    blocks = [*_opening(result), *numbered(sections)]
    rules = result.rules.documents
    copy_to = f"抄送：{'，'.join(rules.copy_to)}。" if rules.copy_to else None
    return Document(number=rules.circular_number(result.year if result.provisional else result.year + 1),
                    title_lines=title_lines(result), addressee=f"{rules.addressee}：", blocks=tuple(blocks),
                    attachment=attachment, signature=(rules.organ, DATE_PLACEHOLDER), mark=page_mark(result),
                    copy_to=copy_to, organ=rules.organ, printer=rules.printer)


def title_lines(result: YearResult) -> tuple[str, ...]:
    if result.provisional:
        return (f"关于{result.year}年{months_text(result.month)}全省失业保险工作",
                "目标责任制考评情况（预估）的通报")
    return f"关于{result.year}年度全省失业保险工作", "目标责任制考评结果的通报"


def _opening(result: YearResult):
    basis = (f"根据{result.year}年度各市（州）失业保险工作目标责任书，依据各市（州）报送的"
             f"{months_text(result.month)}统计报表，")
    if result.provisional:
        text = basis + f"对各市（州）{result.year}年失业保险工作目标完成情况进行了预估考评。现将有关情况通报如下："
    else:
        text = basis + f"对各市（州）{result.year}年度失业保险工作目标完成情况进行了考评。现将考评结果通报如下："
    yield Paragraph(text)
    for note in result_notes(result):        # 预估 and 演示数据, as every view says them
        yield Paragraph(f"（{note}）")


def _overview(result: YearResult, config: Config):
    summary = summarize(result)
    sentences = summary.sentences()
    yield Paragraph(sentences[0] + _area_rates(result))
    yield from (Paragraph(sentence) for sentence in sentences[1:])


def _area_rates(result: YearResult) -> str:
    rates = []
    for area in result.areas:
        points = weight = 0.0
        for c in result.cities:
            p, w = c.area_points().get(area, (0.0, 0.0))
            points, weight = points + p, weight + w
        if weight:
            rates.append(f"{area}{fmt.percent(points / weight)}")
    return f"各考评领域得分率（实得指标分占满分的比例）：{'，'.join(rates)}。" if rates else ""


def ranking_table(result: YearResult, config: Config) -> Table:
    columns = ranking_columns(result)
    return Table(headers=tuple(col.document_header for col in columns),
                 rows=tuple(tuple(col.text(c) for col in columns) for c in result.cities),
                 align=tuple("C" if col is GRADE else col.align for col in columns),
                 colors=tuple(palette.grade_color(c.grade, result.rules.grades) for c in result.cities),
                 color_column=columns.index(GRADE))


def _ranking(result: YearResult, config: Config):
    rules = result.rules
    yield Paragraph(f"各市（州）{'预估' if result.provisional else ''}考评得分和名次见下表。{total_rule_text(rules)}，"
                    "保留两位小数；总分相同的名次并列。" + weights_text(result))
    yield ranking_table(result, config)
    yield Figure(f"图　各市（州）{'预估' if result.provisional else ''}考评总分",
                 lambda fonts: totals_png(result, config, fonts))


def _grades(result: YearResult, config: Config):
    rules = result.rules
    yield Paragraph(grades_rule_text(rules))
    for name, _ in rules.grades:
        members = [c.name + ("（一票否决）" if c.vetoed else "") for c in result.cities if c.grade == name]
        yield Paragraph(f"{name}（{len(members)}个）：{city_list(members, 40) if members else '无'}。")
    if result.quota_places is not None:
        demoted = [c for c in result.cities if c.quota_demoted]
        text = (f"按优秀等次不超过{fmt.percent(rules.excellent_quota, 0)}的比例，"
                f"优秀名额为{result.quota_places}个。")
        if demoted:
            text += f"{city_list(demoted)}得分达到{rules.grades[0][0]}标准，因名额限制评为{rules.grades[1][0]}。"
        yield Paragraph(text)


def _adjustments_and_vetoes(result: YearResult, config: Config):
    adjusted = [(c, a) for c in result.cities for a in c.adjustments]
    if adjusted:
        items = [c.name + decision_text(a) for c, a in adjusted]
        yield Paragraph("考评组核定的加减分：" + "；".join(items) + "。")
    else:
        yield Paragraph("本年度没有加减分事项。" if not result.provisional else
                        f"截至{result.month}月没有计入加减分事项。")
    vetoed = [c for c in result.cities if c.vetoed]
    for c in vetoed:
        reasons = "；".join(veto_text(v) for v in c.vetoes)
        yield Paragraph(f"{c.name}因{reasons}被一票否决。该市（州）考评得分{fmt.points(c.total)}分、"
                        f"名次第{c.rank}名予以保留，等次定为{result.rules.failing_grade}。")
    if not vetoed:
        yield Paragraph("本年度没有市（州）被一票否决。" if not result.provisional else
                        f"截至{result.month}月没有市（州）被一票否决。")
    later = not_yet_counted_text(result.cities, result.year, result.month, named=True)
    if later:
        yield Paragraph(later + "。")


# --- 存在的主要问题 ----------------------------------------------------------------------

def _lagging_item(result: YearResult, city, i, pace_digits: int) -> str:
    if result.provisional and i.kind == "flow":
        return f"{city.name}（完成全年目标的{fmt.percent(i.completion, pace_digits)}）"
    if i.percent or i.direction == "lower":
        return f"{city.name}（实际{actual_and_target(i)[0]}）"
    return f"{city.name}（完成{completion_and_pace(i)[0]}）"


def _indicator_problems(result: YearResult, config: Config) -> list[str]:
    by_indicator: dict[str, dict] = {}
    for c in result.cities:
        for i in c.indicators:
            if i.status in (FAR_BEHIND, BEHIND):
                by_indicator.setdefault(i.code, {FAR_BEHIND: [], BEHIND: []})[i.status].append((c, i))
    catalogue = list(config.indicators)
    sentences = []
    for _, entry in sorted(by_indicator.items(), key=lambda item: catalogue.index(item[0])):
        lagging = entry[FAR_BEHIND] + entry[BEHIND]
        i = lagging[0][1]
        # one pace for every city named: with the decimals at which none of them prints equal to it
        digits = max(fmt.telling_digits(x.completion, x.expected, x.falls_short) for _, x in lagging)
        if result.provisional and i.kind == "flow":
            lead = f"{i.name}截至{result.month}月应完成全年目标的{fmt.percent(i.expected, digits)}，"
            phrases = {FAR_BEHIND: "严重滞后于序时进度", BEHIND: "落后于序时进度"}
        else:
            lead = f"{i.name}：" if not result.provisional else f"{i.name}（截至{result.month}月）："
            phrases = {FAR_BEHIND: "与目标差距较大", BEHIND: "未达到目标"}
        parts = [city_list([_lagging_item(result, c, x, digits) for c, x in entry[s]], 8) + phrases[s]
                 for s in (FAR_BEHIND, BEHIND) if entry[s]]
        sentences.append(lead + "；".join(parts) + "。")
    return sentences


def _missing_data(result: YearResult) -> list[str]:
    items = []
    for c in result.cities:
        absent = [i.name for i in c.indicators if i.actual is None]
        months = sorted({m for i in c.indicators if i.actual is not None for m in i.missing_months})
        parts = ([f"缺报{'、'.join(map(str, months))}月数据"] if months else []) + \
                ([f"{'、'.join(absent)}没有数据，按0分计"] if absent else [])
        if parts:
            items.append(c.name + "，".join(parts))
    if not items:
        return []
    return [city_list(items, 20, "；") + "。缺报月份的流量指标按已报月份累计，存量指标取截至当月最近一个月的数。"]


def _fund_problems(result: YearResult, config: Config) -> list[str]:
    rules = result.rules.warning
    fund = result.fund
    if fund and all(s.capacity is None for s in fund):
        return ["各市（州）基金收支和结余数据不全，无法测算基金支付能力。"]
    sentences = []
    red = [s for s in fund if s.level == RED]
    if red:
        items = [f"{s.name}{s.month}月末基金累计结余{fmt.quantity(s.balance, '万元')}，按近{rules.lookback_months}"
                 f"个月月均支出{fmt.quantity(s.mean_expenditure, '万元')}计算仅可支付{capacity_text(s.capacity)}"
                 for s in red]
        sentences.append(city_list(items, 10, "；") + f"，低于{number(rules.threshold_months)}个月的预警线。")
    amber = [s for s in fund if s.level == AMBER]
    if amber:
        sentences.append(city_list([f"{s.name}（{capacity_text(s.capacity)}）" for s in amber], 10)
                         + f"基金可支付月数低于{number(rules.watch_months)}个月的关注线。")
    ahead = [s for s in fund if s.foreseen_in]
    if ahead:
        sentences.append(f"按近{rules.lookback_months}个月收支趋势测算，"
                         + city_list([f"{s.name}预计{s.foreseen_in}个月后" for s in ahead], 10)
                         + "基金支付能力将低于预警线。")
    unknown = [s for s in fund if s.capacity is None]
    if unknown:
        sentences.append(city_list(unknown) + "基金数据不全，无法测算支付能力。")
    return sentences


def _problems(result: YearResult, config: Config):
    groups = [("部分指标进度滞后" if result.provisional else "部分指标未完成目标", _indicator_problems(result, config)),
              ("部分地区基金支付能力不足", _fund_problems(result, config)),
              ("统计报表报送不完整", _missing_data(result))]
    groups = [(heading, sentences) for heading, sentences in groups if sentences]
    if not groups:
        yield Paragraph("各项考核指标均达到" + ("序时进度" if result.provisional else "目标") +
                        "，基金运行平稳，统计报表报送完整。")
    for n, (heading, sentences) in enumerate(groups):
        yield Heading(f"（{NUMERALS[n]}）{heading}", level=2)
        for sentence in sentences:
            yield Paragraph(sentence)


def _requirements(result: YearResult, config: Config):
    goal = "全年目标任务" if result.provisional else f"{result.year + 1}年失业保险各项目标任务"
    lagging = "进度滞后" if result.provisional else "未完成目标"
    yield Paragraph(f"各市（州）要对照考评结果，认真总结经验，查找差距，分析原因，制定整改措施，确保{goal}全面完成。"
                    f"对{lagging}的指标，要逐项明确责任和完成时限。")
    if any(s.months_to_threshold is not None for s in result.fund):  # below the line, or foreseen below it
        yield Paragraph(duty.requirement(result.rules.warning))
    if any(c.vetoed for c in result.cities):
        yield Paragraph("被一票否决的市（州）要深刻查找原因，限期整改，并将整改情况书面报告。")
