"""The warning letter (预警报告) of one city and month, written once as blocks that word.py and pdf.py lay out.

吉政办发〔2003〕4号 第六条: where the fund can pay benefits for less than two months, the city's agency
reports to the local government in advance and files with the province (省社会保险公司), and takes
measures. The letter is addressed to the city government with the province copied, and says the
figures (balance, mean expenditure, capacity, level), the trend with a chart, the 6-month
projection, the reporting deadline and what was recorded, and the actions required; the
省级调剂金 and 地方财政补贴 of 第四条 are named where the fund is, or will be, below the line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import formatting as fmt
from ..report import palette
from ..config import City, Config, WarningRules
from ..report import duty
from ..report.capacity import DUTY_STATE, RUN, episode_columns, run_text
from ..report.duty import NOTICE, PROVINCE
from ..report.notes import DEMO_LABEL, DEMO_MARK, DEMO_NOTE
from ..errors import InputError
from ..assessment.fund import AMBER, FORWARD_MONTHS, LEVEL_NAMES, NORMAL, RED, FundStatus, fund_series, month_index
from ..data.store import Store, get_meta
from ..assessment.warning_duty import Episode, must_report_now, red_episodes
from .blocks import NUMERALS, Document, Figure, Paragraph, Table, numbered
from .chart import capacity_png
from .circular import DATE_PLACEHOLDER
from .content import capacity_text, number

TREND_MONTHS = 24           # the chart: up to two years before the month
TABLE_MONTHS = 12           # the table of monthly figures


@dataclass(frozen=True)
class LetterFacts:
    """What the letter of one city and month is written from."""

    city: City
    year: int
    month: int
    trend: tuple[FundStatus, ...]       # the months up to and including the month, oldest first
    episodes: tuple[Episode, ...]       # the city's runs of red months in the year, up to the month
    demo: bool

    @property
    def status(self) -> FundStatus:
        return self.trend[-1]


def letter_facts(config: Config, store: Store, city: str, year: int, month: int,
                 today: dt.date | None = None) -> LetterFacts:
    code = config.city_lookup.get(str(city).strip())
    if code is None:
        raise InputError(f"未知的市州“{city}”（可写代码、全称或简称）")
    if not 1 <= month <= 12:
        raise InputError(f"月份应为1至12，现在是{month}")
    with store.reader() as con:
        trend = fund_series(config, con, store, year, month, TREND_MONTHS, [code])
        episodes = red_episodes(config, con, store, year, month, cities=[code], today=today)
        demo = get_meta(con, "demo") == "1"
    name = config.city(code).name
    if not any(s.reported for s in trend):
        raise InputError(f"{name}{year}年{month}月及此前{TREND_MONTHS}个月没有基金收支数据，无法生成预警报告")
    first = next((k for k, s in enumerate(trend) if s.capacity is not None), len(trend) - 1)
    return LetterFacts(config.city(code), year, month, tuple(trend[first:]), tuple(episodes), demo)


def _month(year: int, month: int) -> str:
    return f"{year}年{month}月"


def _ahead(s: FundStatus, k: int) -> tuple[int, int]:
    t = month_index(s.year, s.month) + k
    return t // 12, t % 12 + 1


def _amount(value: float | None) -> str:
    return fmt.MISSING_TEXT if value is None else f"{value:,.2f}"


def title_lines(facts: LetterFacts) -> tuple[str, str]:
    s = facts.status
    if s.level == RED:
        what = "支付能力低于预警线的报告"
    elif must_report_now(s):
        what = "支付能力将低于预警线的报告"
    else:
        what = "支付能力情况的报告"
    return f"关于{facts.city.name}失业保险基金", what


def warning_letter(facts: LetterFacts, config: Config) -> Document:
    sections = [("基金收支和支付能力", _figures(facts, config)),
                ("近期变化趋势", _trend(facts, config)),
                (f"未来{FORWARD_MONTHS}个月预测", _projection(facts, config)),
                ("报告期限和报告情况", _reporting(facts, config)),
                ("需要采取的措施", _actions(facts, config))]
    blocks = [*_opening(facts), *numbered(sections)]
    blocks.append(Paragraph("特此报告。"))
    rules = config.rules_for(facts.year).documents
    organ = rules.letter_organ_of(facts.city.name)
    return Document(number=rules.letter_number_of(facts.city.name, facts.year), title_lines=title_lines(facts),
                    addressee=f"{facts.city.name}人民政府：", blocks=tuple(blocks), attachment=None,
                    signature=(organ, DATE_PLACEHOLDER), mark=DEMO_MARK if facts.demo else None,
                    copy_to=f"抄报：{PROVINCE}（备案）。", organ=organ, printer=organ, upward=True)


def _opening(facts: LetterFacts):
    yield Paragraph(f"根据{NOTICE}文件第六条关于建立和完善失业保险预警制度的规定，现将{facts.city.name}"
                    f"失业保险基金截至{_month(facts.year, facts.month)}的支付能力情况报告如下：")
    if facts.demo:
        yield Paragraph(f"（{DEMO_NOTE}）")


# --- 一、基金收支和支付能力 ------------------------------------------------------------------

def _level_sentence(s: FundStatus, rules: WarningRules) -> str:
    if s.balance < 0:
        return (f"月末累计结余已为负数，基金出现支付缺口，可支付月数为{capacity_text(s.capacity)}，"
                f"低于{number(rules.threshold_months)}个月的预警线")
    text = f"按月末累计结余除以月均支出计算，基金可支付{capacity_text(s.capacity)}，"
    if s.level == RED:
        return text + f"低于{number(rules.threshold_months)}个月的预警线"
    if s.level == AMBER:
        return text + (f"低于{number(rules.watch_months)}个月的关注线，"
                       f"尚高于{number(rules.threshold_months)}个月的预警线")
    return text + f"高于{number(rules.watch_months)}个月的关注线，支付能力正常"


def _figures(facts: LetterFacts, config: Config):
    rules = config.rules_for(facts.year).warning
    s = facts.status
    since = _ahead(s, 1 - rules.lookback_months)
    text = (f"{_month(s.year, s.month)}，基金收入{fmt.quantity(s.income, '万元')}，"
            f"支出{fmt.quantity(s.expenditure, '万元')}，月末累计结余{fmt.quantity(s.balance, '万元')}。")
    if s.expenditure_months:
        text += (f"近{rules.lookback_months}个月（{run_text((since, (s.year, s.month)))}）中有"
                 f"{s.expenditure_months}个月报送了基金支出，月均支出{fmt.quantity(s.mean_expenditure, '万元')}。")
    if s.capacity is None:
        text += f"{s.missing_reason}，请尽快补报有关数据。"
    else:
        text += f"{_level_sentence(s, rules)}。"
    yield Paragraph(text)
    headers = (f"{s.month}月基金收入", f"{s.month}月基金支出", "月末累计结余", f"近{rules.lookback_months}个月月均支出",
               "可支付月数", "等级")
    row = (fmt.quantity(s.income, "万元"), fmt.quantity(s.expenditure, "万元"), fmt.quantity(s.balance, "万元"),
           fmt.quantity(s.mean_expenditure, "万元"), fmt.months(s.capacity), s.level_name)
    yield Table(headers=headers, rows=(row,), align=("R",) * 5 + ("C",), colors=(palette.LEVEL_COLORS[s.level],),
                color_column=5)


# --- 二、近期变化趋势 --------------------------------------------------------------------------

def _trend(facts: LetterFacts, config: Config):
    rules = config.rules_for(facts.year).warning
    s = facts.status
    known = [m for m in facts.trend if m.capacity is not None]
    if len(known) >= 2 and s.capacity is not None:
        start = known[0]
        change = s.capacity - start.capacity
        direction = f"下降{change * -1:.2f}个月" if change < 0 else (f"上升{change:.2f}个月" if change > 0 else "持平")
        text = (f"{_month(start.year, start.month)}基金可支付{capacity_text(start.capacity)}，"
                f"{_month(s.year, s.month)}为{capacity_text(s.capacity)}，{direction}")
        crossings = [f"{_month(*e.start)}起低于预警线" for e in facts.episodes]
        text += ("；" + "，".join(crossings) if crossings else "") + "。变化情况见下图和下表。"
        yield Paragraph(text)
    recent = facts.trend[-TABLE_MONTHS:]
    if known:
        first, last = facts.trend[0], facts.trend[-1]
        yield Figure(f"图　{facts.city.name}失业保险基金可支付月数（{_month(first.year, first.month)}至"
                     f"{_month(last.year, last.month)}，虚线为预测）",
                     lambda fonts: capacity_png(list(facts.trend), rules, fonts))
    rows = tuple((_month(m.year, m.month), _amount(m.income), _amount(m.expenditure), _amount(m.balance),
                  "—" if m.capacity is None else f"{m.capacity:.2f}", m.level_name) for m in recent)
    yield Table(headers=("月份", "基金收入（万元）", "基金支出（万元）", "累计结余（万元）", "可支付月数", "等级"),
                rows=rows, align=("L", "R", "R", "R", "R", "C"),
                colors=tuple(palette.LEVEL_COLORS[m.level] for m in recent), color_column=5)
    missing = [m for m in recent if m.capacity is None]
    if missing:
        yield Paragraph("表中无法计算可支付月数的月份：" +
                        "；".join(f"{_month(m.year, m.month)}，{m.missing_reason}" for m in missing) + "。")


# --- 三、未来6个月预测 -------------------------------------------------------------------------

def _projection(facts: LetterFacts, config: Config):
    rules = config.rules_for(facts.year).warning
    s = facts.status
    if s.capacity is None:
        yield Paragraph("本月无法计算可支付月数，不作预测。")
        return
    if not s.projection:
        yield Paragraph(f"近{rules.lookback_months}个月没有同时报送基金收入和支出的月份，无法推算今后的基金收支。")
        return
    flow = (f"月均支出超过收入{fmt.quantity(-s.mean_net, '万元')}" if s.mean_net < 0
            else f"月均收入超过支出{fmt.quantity(s.mean_net, '万元')}")
    yield Paragraph(f"近{rules.lookback_months}个月基金{flow}。按此推算"
                    f"（月均支出按{fmt.quantity(s.mean_expenditure, '万元')}不变），"
                    f"未来{FORWARD_MONTHS}个月基金累计结余和可支付月数如下表。")
    levels = [RED if c < rules.threshold_months else AMBER if c < rules.watch_months else NORMAL
              for _, _, c in s.projection]
    yield Table(headers=("月份", "预计累计结余（万元）", "预计可支付月数", "等级"),
                rows=tuple((_month(*_ahead(s, k)), _amount(balance), f"{c:.2f}", LEVEL_NAMES[level])
                           for (k, balance, c), level in zip(s.projection, levels)),
                align=("L", "R", "R", "C"), colors=tuple(palette.LEVEL_COLORS[level] for level in levels),
                color_column=3)
    k_last, _, c_last = s.projection[-1]
    empty = next((k for k, balance, _ in s.projection if balance < 0), None)
    if s.level == RED:
        text = f"如不采取措施，到{_month(*_ahead(s, k_last))}基金可支付月数将为{capacity_text(c_last)}"
        if empty and s.balance >= 0:
            text += f"，预计{empty}个月后（{_month(*_ahead(s, empty))}）累计结余耗尽"
        yield Paragraph(text + "。")
    elif s.foreseen_in:
        k = s.foreseen_in
        text = (f"预计{k}个月后，即{_month(*_ahead(s, k))}，基金可支付月数将降至"
                f"{capacity_text(s.projection[k - 1][2])}，低于预警线")
        yield Paragraph(text + ("，按规定须提前报告。" if must_report_now(s) else "。"))
    else:
        yield Paragraph(f"未来{FORWARD_MONTHS}个月基金可支付月数预计保持在预警线以上"
                        f"（{_month(*_ahead(s, k_last))}约{capacity_text(c_last)}）。")


# --- 四、报告期限和报告情况 ----------------------------------------------------------------------

def _reporting(facts: LetterFacts, config: Config):
    rules = config.rules_for(facts.year).warning
    s = facts.status
    yield Paragraph(duty.rule_text(rules))
    if facts.episodes:
        columns = episode_columns(named=False, explained=False)   # the problems follow, one paragraph each
        yield Table(headers=tuple(c.header for c in columns),
                    rows=tuple(tuple(c.text(e) for c in columns) for e in facts.episodes),
                    align=tuple("L" if c is RUN else "R" if c.align == "R" else "C" for c in columns),
                    colors=tuple(palette.DUTY_COLORS[e.duty] for e in facts.episodes),
                    color_column=columns.index(DUTY_STATE))
        for e in facts.episodes:
            if e.problem:
                yield Paragraph(f"{e.duty_name}：{e.problem}。")
    if s.foreseen_in and must_report_now(s):
        yield Paragraph(f"基金{s.forward_text}，按规定应提前报告。请将本报告报送"
                        f"{facts.city.name}人民政府，并报{PROVINCE}备案。")
    elif not facts.episodes:
        yield Paragraph(f"{facts.year}年1—{facts.month}月基金可支付月数未低于预警线，目前没有须报告的情形。")


# --- 五、需要采取的措施 --------------------------------------------------------------------------

def _actions(facts: LetterFacts, config: Config):
    rules = config.rules_for(facts.year).warning
    s = facts.status
    name = facts.city.name
    collect = ("依法足额征缴失业保险费，认真核实缴费基数，加大清欠力度；对拒不缴费和长期欠费的单位，"
               "采取行政、法律和社会监督等手段予以追缴（第四条）。")
    monitor = ("加强对基金收入、支出、结余和领取人数的综合分析，及时掌握国有企业下岗职工出中心进入失业保险的动态，"
               "按月测算基金支付能力（第六条）。")
    if s.capacity is None:
        items = [f"尽快补报基金收支和结余数据（{s.missing_reason}），以便测算基金支付能力。", monitor]
    elif must_report_now(s):
        items = [f"立即将本报告报送{name}人民政府，并报{PROVINCE}备案（第六条）。", collect,
                 "适时调整基金支出结构，严格审核失业保险金领取资格，优先保证失业保险金按时足额发放（第四条、第八条）。",
                 "按规定申请使用省级失业保险调剂金；基金不敷使用时，提请地方财政予以补贴（第四条）。", monitor]
    elif s.level == AMBER:
        items = [collect, monitor + duty.watch_text(rules)]
    else:
        items = [monitor]
    for n, item in enumerate(items):
        yield Paragraph(f"（{NUMERALS[n]}）{item}")


def file_name(name: str, year: int, month: int, demo: bool, extension: str) -> str:
    return f"{year}年{month}月{name}失业保险基金预警报告{f'（{DEMO_LABEL}）' if demo else ''}.{extension}"
