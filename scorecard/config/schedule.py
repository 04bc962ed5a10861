"""scoring.yaml: the rules of scoring.md that a province sets (full score, bonus cap, grades, quota,
tolerance, the fund warning), each value written plain or dated.

A dated value is a list of the values in force from a day on, earliest first; the first may leave out
`from:` (the value before every dated one):

    grades:
      - value: [[优秀, 90], [良好, 80], [合格, 60], [不合格, 0]]
      - from: 2004-01-01
        value: [[优秀, 85], [良好, 75], [合格, 60], [不合格, 0]]

A year is scored with the rules in force on 1 January of that year (a value from 2004-07-01 first counts
for 2005); before a value's first date, what applies is what applies when it is not written at all. The
pydantic models below are the schema of one such state of the rules, and its documentation.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from pydantic import Field, StrictFloat, ValidationInfo, field_validator

from .. import years
from ..rules import refuse
from ..rules.base import finite
from ..rules.checking import Points
from .checks import read
from .model import DocumentRules, Rules, TrendRules, WarningRules
from .schema import POINTS_MAX, Schema, Text, Whole
from .translate import NOTE_KEYS
from .yamlsource import YList, YMap

GRADES = "等次“grades”应当写成从高到低的列表，如 [[优秀, 90], [良好, 80], [合格, 60], [不合格, 0]]"


class WarningFile(Schema):
    what: ClassVar[str] = "warning"
    threshold_months: StrictFloat = Field(2.0, gt=0, description="预警线：基金可支付月数低于此数即进入预警")
    watch_months: StrictFloat = Field(3.0, gt=0, description="关注线：可支付月数低于此数即列为关注，不低于预警线")
    lookback_months: Whole = Field(12, ge=3, le=120, description="月均支出按最近几个月计算")
    report_days: Whole = Field(10, ge=0, le=366, description="进入预警的当月结束后几日内应报告并报省备案")
    report_penalty: Points = Field(2.0, ge=0, description="未按规定报告时向考评组建议扣减的分数（不自动扣分）")

    @field_validator("watch_months")
    @classmethod
    def _not_below_threshold(cls, watch, info: ValidationInfo):
        threshold = info.data.get("threshold_months")
        if threshold is not None and watch < threshold:
            raise refuse(f"关注线 watch_months（{watch:g}个月）不能低于预警线 threshold_months（{threshold:g}个月）")
        return watch

    def rules(self) -> WarningRules:
        return WarningRules(self.threshold_months, self.watch_months, self.lookback_months, self.report_days,
                            self.report_penalty)


def _pattern(text: str, names: tuple[str, ...]) -> str:
    """A 发文字号 or organ written with {年} / {市州}: any other brace is refused, in words."""
    try:
        text.format(**{name: "" for name in names})
    except (KeyError, IndexError, ValueError):
        allowed = "、".join(f"{{{name}}}" for name in names)
        raise refuse(f"“{text}”中只能写 {allowed}（花括号须成对）") from None
    return text


_DEFAULT = DocumentRules()


class DocumentsFile(Schema):
    what: ClassVar[str] = "documents"
    issuer: Text = Field(_DEFAULT.issuer, description="目标责任书的甲方（与各市州签订责任书的省级政府）")
    veto_items: tuple[Text, ...] = Field(_DEFAULT.veto_items,
                                         description="一票否决事项，写入目标责任书，如 [挤占挪用失业保险基金, 拖欠失业保险金]")
    organ: Text = Field(_DEFAULT.organ, description="考评通报的发文机关（红头写“…文件”，落款和版记的印发机关同此）")
    number: Text = Field(_DEFAULT.number, description="通报的发文字号，{年} 为发文年度，如 吉劳社失字〔{年}〕××号")
    addressee: Text = Field(_DEFAULT.addressee, description="通报的主送机关，如 各市（州）劳动和社会保障局")
    copy_to: tuple[Text, ...] = Field(_DEFAULT.copy_to, description="通报版记的抄送机关，如 [吉林省人民政府办公厅]；空列表为不抄送")
    printer: Text = Field(_DEFAULT.printer, description="通报版记的印发机关，如 吉林省劳动和社会保障厅办公室")
    letter_organ: Text = Field(_DEFAULT.letter_organ, description="预警报告的发文机关，{市州} 为市州名称")
    letter_number: Text = Field(_DEFAULT.letter_number, description="预警报告的发文字号，可写 {市州} 和 {年}")

    @field_validator("number")
    @classmethod
    def _number(cls, text: str) -> str:
        return _pattern(text, ("年",))

    @field_validator("letter_organ")
    @classmethod
    def _letter_organ(cls, text: str) -> str:
        return _pattern(text, ("市州",))

    @field_validator("letter_number")
    @classmethod
    def _letter_number(cls, text: str) -> str:
        return _pattern(text, ("市州", "年"))

    def rules(self) -> DocumentRules:
        return DocumentRules(**{name: getattr(self, name) for name in DocumentRules.__dataclass_fields__})


class TrendFile(Schema):
    what: ClassVar[str] = "trend"
    window: Whole = Field(TrendRules().window, ge=1, le=11,
                          description="趋势比较的月数：截至当月的进度差与几个月以前的相比")
    flat_band: StrictFloat = Field(TrendRules().flat_band, ge=0, le=100,
                                   description="进度差的变化在正负几个百分点以内为“持平”，超过为“改善”或“退步”")

    def rules(self) -> TrendRules:
        return TrendRules(self.window, self.flat_band)


NESTED = {"warning": WarningFile, "documents": DocumentsFile, "trend": TrendFile}   # blocks whose values are each dated on their own


class RulesFile(Schema):
    what: ClassVar[str] = "scoring.yaml"
    total_points: StrictFloat = Field(100.0, gt=0, le=POINTS_MAX, description="满分：各目标责任书的权重合计")
    bonus_cap: Points = Field(5.0, ge=0, description="每个市州加分合计的上限，不超过满分")
    grades: tuple[tuple[str, float], ...] = Field(Rules().grades, description="等次：[[名称, 最低分], …]，从高到低，最低为0")
    excellent_quota: StrictFloat | None = Field(None, gt=0, le=1, description="优秀名额比例，如 0.3；不写为不限")
    progress_tolerance: StrictFloat = Field(0.10, ge=0, le=1, description="低于序时进度多少以内为“落后”，超过为“严重滞后”")
    warning: WarningFile = Field(WarningFile(), description="基金预警")
    report_deadline_day: Whole = Field(10, ge=1, le=28, description="月报截止日：每月数据应于次月几日前报送（在线填报）")
    documents: DocumentsFile = Field(DocumentsFile(), description="目标责任书的甲方和一票否决事项，通报和预警报告的发文机关、字号、主送、抄送和印发机关")
    trend: TrendFile = Field(TrendFile(), description="各指标的趋势（改善、持平、退步）怎样判断")

    @field_validator("grades", mode="before")
    @classmethod
    def _grades(cls, raw):
        if not isinstance(raw, (list, tuple)) or not raw or not all(
                isinstance(g, (list, tuple)) and len(g) == 2 and isinstance(g[0], str) and finite(g[1]) for g in raw):
            raise refuse(GRADES)
        grades = tuple((name.strip(), float(minimum)) for name, minimum in raw)
        if any(a[1] <= b[1] for a, b in zip(grades, grades[1:])) or len({g[0] for g in grades}) != len(grades):
            raise refuse(GRADES + "（分数线必须逐级降低，名称不能重复）")
        if grades[-1][1] > 0:
            raise refuse(f"最低等次“{grades[-1][0]}”的分数线应为0，否则低分的市州没有等次")
        return grades

    def rules(self) -> Rules:
        return Rules(total_points=self.total_points, bonus_cap=self.bonus_cap, grades=self.grades,
                     excellent_quota=self.excellent_quota, progress_tolerance=self.progress_tolerance,
                     warning=self.warning.rules(), report_deadline_day=self.report_deadline_day,
                     documents=self.documents.rules(), trend=self.trend.rules())


# --- dated values ---------------------------------------------------------------------------------

def _dated(value) -> bool:
    """A list of mappings: no value of scoring.yaml is written so, except a dated one."""
    return isinstance(value, YList) and bool(value) and all(isinstance(item, YMap) for item in value)


def calendar_day(entry: YMap, key: str, what: str, example: str, error) -> dt.date | None:
    """A day of the calendar written as 2004-01-01 without quotes (YAML reads it as a date), or None with the
    problem said: `what` names it (e.g. 指标的认定日期), `example` is a day to write instead."""
    day, line, written = entry.get(key), entry.line_of(key), entry.text_of(key)
    if isinstance(day, dt.datetime):
        day = day.date()
    if isinstance(day, dt.date):
        return day
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", written) and _is_day(written):
        error(line, f"{what}“{written}”加了引号，被当成了文字，请去掉引号：{key}: {written}")
    else:
        error(line, f"{what}“{written}”无法识别，请写成年-月-日，如 {key}: {example}")
    return None


def _is_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _day(entry: YMap, what: str, error) -> dt.date | None:
    day = calendar_day(entry, "from", f"{what}的生效日期", "2004-01-01", error)
    if day is not None and not years.valid(day.year):
        error(entry.line_of("from"), f"{what}的生效日期{day:%Y-%m-%d}的{years.refused(day.year)}")
        return None
    return day


def timeline(raw, key: str, what: str, error) -> list[tuple[dt.date | None, object, int, str]] | None:
    """A value of scoring.yaml as (from, value, line, text as written), earliest first; None when wrong."""
    if not _dated(raw[key]):
        return [(None, raw[key], raw.line_of(key), raw.text_of(key))]
    entries, seen, ok = [], {}, True
    for index, entry in enumerate(raw[key]):
        for extra in sorted(set(entry) - {"from", "value"} - NOTE_KEYS):
            error(entry.line_of(extra), f"{what}的分期写法中有无法识别的字段“{extra}”（每期写 from: 生效日期 和 value: 值）")
            ok = False
        if "value" not in entry:
            error(entry.line, f"{what}的第{index + 1}期缺少“value”（该日起执行的值）")
            ok = False
            continue
        if "from" not in entry and index:
            error(entry.line, f"{what}的第{index + 1}期缺少生效日期“from”（只有第一期可以不写，表示最初的值）")
            ok = False
            continue
        day = _day(entry, what, error) if "from" in entry else None
        if "from" in entry and day is None:
            ok = False
            continue
        if day is not None and day in seen:
            error(entry.line_of("from"), f"{what}的生效日期{day:%Y-%m-%d}重复（第{seen[day]}行已写）")
            ok = False
            continue
        if day is not None and entries and entries[-1][0] is not None and day < entries[-1][0]:
            error(entry.line_of("from"), f"{what}的生效日期应从早到晚排列：{day:%Y-%m-%d}写在"
                                         f"{entries[-1][0]:%Y-%m-%d}之后")
            ok = False
            continue
        if day is not None:
            seen[day] = entry.line_of("from")
        entries.append((day, entry["value"], entry.line_of("value"), entry.text_of("value")))
    return entries if ok else None


def in_force(entries, start: dt.date | None):
    """The entry in force from `start` (None: before every dated value), or None."""
    chosen = None
    for entry in entries:
        if entry[0] is None or (start is not None and entry[0] <= start):
            chosen = entry
    return chosen


def as_of(raw: YMap, lines: dict, start: dt.date | None) -> YMap:
    """The mapping `raw` as it reads from `start` on: each dated value replaced by the one then in force."""
    state = YMap()
    state.line, state.key_lines, state.texts = raw.line, {}, {}
    for key, entries in lines.items():
        if isinstance(entries, dict):
            nested = as_of(raw[key], entries, start)
            if nested:
                state[key], state.key_lines[key] = nested, raw.line_of(key)
            continue
        chosen = in_force(entries, start)
        if chosen is not None and chosen[1] is not None:
            state[key], state.key_lines[key], state.texts[key] = chosen[1], chosen[2], chosen[3]
    return state


def starts(lines: dict) -> list[dt.date]:
    days = set()
    for entries in lines.values():
        days |= set(starts(entries)) if isinstance(entries, dict) else {e[0] for e in entries if e[0] is not None}
    return sorted(days)


def schedule_of(check, doc: YMap) -> tuple[tuple[dt.date | None, Rules], ...]:
    """The rules of scoring.yaml, from each day on that one of its values changes (None: from the start)."""
    check.known_keys(doc, set(RulesFile.model_fields), "scoring.yaml")
    lines: dict = {}
    for key in RulesFile.model_fields:
        if key not in doc:
            continue
        if key in NESTED and isinstance(doc[key], YMap):
            fields = NESTED[key].model_fields
            check.known_keys(doc[key], set(fields), key)
            nested = {k: timeline(doc[key], k, f"{key} 的“{k}”", check.error) for k in fields if k in doc[key]}
            lines[key] = {k: v for k, v in nested.items() if v is not None}
        elif (found := timeline(doc, key, f"“{key}”", check.error)) is not None:
            lines[key] = found
    schedule = []
    for start in [None, *starts(lines)]:
        state = as_of(doc, lines, start)
        total = state.get("total_points")
        points = float(total) if finite(total) and 0 < total <= POINTS_MAX else Rules().total_points
        checked = check.validated(RulesFile, state, "scoring.yaml", {"points": points})
        schedule.append((start, checked.rules() if checked else Rules()))
    return tuple(schedule)


def load_rules(directory, problems) -> tuple[tuple[dt.date | None, Rules], ...]:
    """scoring.yaml (optional: without it, the defaults of scoring.md)."""
    doc, check = read(directory, "scoring.yaml", problems, required=False)
    if doc is None or check.mapping(doc, 1, "scoring.yaml") is None:
        return ((None, Rules()),)
    return schedule_of(check, doc)
