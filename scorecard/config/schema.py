"""The schema of the files officials write, as pydantic models: each field's type, bounds and Chinese
description are the documentation of the file, and checking an entry is validating it. What is wrong is
said by translate.py; checks that need the rest of the folder (the cities, the measures, the year of the
folder) read it from the validation context.

scoring.yaml's models are in schedule.py, each scoring method's and bonus rule's in scorecard/rules.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictFloat, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from .. import clock, years
from ..formatting import PERCENT
from ..rules import refuse
from .model import PLAUSIBLE_MAX
from .translate import nearest, suggestion

MAX_LIMIT = 1e15  # a measure's `max`: doubles still count whole numbers exactly, so no sum can overflow
POINTS_MAX = 1000  # a full score, an adjustment: at most 1000 points
UNQUOTED = ("{what}的代码“{key}: {written}”没有加引号，请写成 {key}: \"{written}\""
            "（不加引号时会被读成数字，前导0会被当作八进制）")


def _code(value):
    if not isinstance(value, str):
        raise refuse(UNQUOTED)
    if not value.strip():
        raise refuse("{what}的“{key}”不能为空")
    return value.strip()


def words(value):
    """Words, not empty, stripped (the type `Text`)."""
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "")
    if not value.strip():
        raise refuse("{what}缺少“{key}”（不能为空）")
    return value.strip()


def _whole(value):
    if isinstance(value, (bool, str)):
        raise PydanticCustomError("int_type", "")
    return value


Code = Annotated[str, BeforeValidator(_code)]   # a code written in quotes: "220100"
Text = Annotated[str, BeforeValidator(words)]   # words, not empty
Whole = Annotated[int, BeforeValidator(_whole)]  # 12 or 12.0, not 12.5, "12" or true
NOT_EMPTY = {"missing": "{what}缺少“{key}”（不能为空）"}


def quiet() -> PydanticCustomError:
    """A value already found wrong elsewhere (e.g. a measure defined but broken): nothing more is said."""
    return PydanticCustomError("quiet", "")


class Schema(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


# --- cities.yaml -------------------------------------------------------------------------------

class CityEntry(Schema):
    code: Code = Field(description="市州代码，加引号，如 \"220100\"")
    name: Text = Field(description="全称，如 长春市", json_schema_extra=NOT_EMPTY)
    short: Text | None = Field(None, description="简称，如 延边；页面和排名表用它")
    parent: Code | None = Field(None, description="上级单位的代码：市州不必写（即 province 的代码）")


class CountyEntry(CityEntry):
    """A unit below a 市州 (县（市、区）or other pooling area); whether its parent exists is checked by the
    reader of cities.yaml (catalogue.py), which knows every unit."""

    parent: Code = Field(description="所属市州（或上级单位）的代码，加引号，如 \"220100\"",
                         json_schema_extra={"missing": "{what}缺少所属市州的代码“parent”，如 parent: \"220100\""})


# --- indicators.yaml ---------------------------------------------------------------------------

class MeasureEntry(Schema):
    name: Text = Field(description="统计项名称，如 实缴失业保险费", json_schema_extra=NOT_EMPTY)
    kind: str = Field(description="flow：当月发生额（按月累计）；stock：月末存量（取最近一个月）",
                      json_schema_extra={"missing": "{what}的“kind”应当是 flow（当月发生额）或 stock（月末存量），现在是“None”"})
    unit: Text = Field(description="单位，如 万元、人", json_schema_extra=NOT_EMPTY)
    min: StrictFloat | None = Field(None, description="最小值，如 0 表示不能为负数")
    max: StrictFloat = Field(PLAUSIBLE_MAX, gt=0, le=MAX_LIMIT, description="数值绝对值的上限，缺省一万亿")
    basis: Text | None = Field(None, description="填报口径：在线填报时显示在该项旁边，如 “当月新增，不含转入”")
    source: Literal["reporting", "records"] | None = Field(
        None, description="reporting：不由市州填报，由报送记录得出（报表及时率的分子和分母）；"
                          "records：市州照常填报，评分用由个人记录得出的数")

    @field_validator("source", mode="before")
    @classmethod
    def _source(cls, source):
        if source is not None and source not in ("reporting", "records"):
            raise refuse("{what}的“source”只能写 reporting（由报送记录得出）或 records（评分用由个人记录得出的数），"
                         "现在是“{written}”")
        return source

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, kind):
        if kind not in ("flow", "stock"):
            raise refuse("{what}的“kind”应当是 flow（当月发生额）或 stock（月末存量），现在是“{written}”")
        return kind

    @field_validator("max")
    @classmethod
    def _not_below_min(cls, maximum, info: ValidationInfo):
        minimum = info.data.get("min")
        if minimum is not None and minimum > maximum:
            raise refuse(f"{{what}}的“min”（{minimum:g}）不能大于“max”（{maximum:g}）")
        return maximum


def _profile(profile):
    ok = (isinstance(profile, (list, tuple)) and len(profile) == 4
          and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in profile))
    if ok:
        values = [float(v) for v in profile]
        ok = values[0] > 0 and all(a <= b for a, b in zip(values, values[1:])) and abs(values[3] - 1) < 1e-9
    if not ok:
        raise refuse("{what}的序时进度“profile”应当是四个季度末的累计比例，如 [0.15, 0.5, 0.75, 1.0]：大于0、逐季不减、第四季度为1")
    return tuple(values)


class IndicatorEntry(Schema):
    name: Text = Field(description="指标名称", json_schema_extra=NOT_EMPTY)
    area: Text = Field(description="考核方面：扩面、征缴、待遇发放、促进就业、基金", json_schema_extra=NOT_EMPTY)
    measure: Any = Field(None, description="单一统计项的指标：该统计项")
    numerator: Any = Field(None, description="比率指标：分子的统计项")
    denominator: Any = Field(None, description="比率指标：分母的统计项")
    direction: Literal["higher", "lower"] = Field("higher", description="higher：越高越好；lower：越低越好")
    profile: Annotated[tuple[float, float, float, float], BeforeValidator(_profile)] | None = Field(
        None, description="序时进度：四个季度末应完成的累计比例，缺省为按月平均（m/12）")
    scoring: Any = Field(None, description="默认计分方法，目标责任书未写 method 时使用（见 scorecard/rules）")
    unit: Any = Field(None, description="不必写：单位取自统计项，比率指标为 %")

    @field_validator("direction", mode="before")
    @classmethod
    def _direction(cls, direction):
        if direction not in ("higher", "lower"):
            raise refuse("{what}的“direction”应当是 higher（越高越好）或 lower（越低越好），现在是“{written}”")
        return direction

    @field_validator("measure", "numerator", "denominator")
    @classmethod
    def _defined(cls, ref, info: ValidationInfo):
        measures, written = info.context["measures"], info.context["written"]
        if ref is None or ref in measures:
            return ref
        if ref in written:  # defined but broken: said there
            raise quiet()
        raise refuse(f"{{what}}引用了未定义的统计项“{ref}”{suggestion(ref, measures)}")

    def references(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in ("measure", "numerator", "denominator") if getattr(self, k)}


# --- indicators.yaml: 审核公式 (checks) -------------------------------------------------------------

RULE_NAMES = {"not_above": "不大于另一项", "range": "数值范围", "month_change": "环比变动", "year_ratio": "同比倍数"}
RULE_FIELDS = {"not_above": ("limit",), "range": ("min", "max"), "month_change": ("percent",),
               "year_ratio": ("factor",)}
MESSAGE_FIELDS = ("value", "other")  # what a message may say: {value} the value checked, {other} the one compared


def _reported(ref, info: ValidationInfo):
    measures = info.context["measures"]
    if ref in info.context["written"] and ref not in measures:
        raise quiet()
    if ref not in measures:
        raise refuse(f"{{what}}引用了未定义的统计项“{ref}”{suggestion(str(ref), measures)}")
    if not measures[ref].reported:
        raise refuse(f"{{what}}引用的统计项“{ref}”不由市州填报（由报送记录或个人记录得出），不能设审核公式")
    return ref


class CheckEntry(Schema):
    """One 审核公式: `rule` and its parameters, `message` said to the one who reports (with {value}, {other})."""

    rule: str = Field(description="not_above：不大于另一项（如分子不大于分母）；range：数值范围；"
                                  "month_change：存量环比变动超过 percent%；year_ratio：流量超过上年同月的 factor 倍",
                      json_schema_extra={"missing": "{what}缺少“rule”（not_above、range、month_change 或 year_ratio）"})
    measure: Annotated[str, BeforeValidator(_reported)] = Field(description="所审核的统计项")
    limit: Annotated[str, BeforeValidator(_reported)] | None = Field(None, description="not_above：不能超过的统计项")
    min: StrictFloat | None = Field(None, description="range：最小值")
    max: StrictFloat | None = Field(None, description="range：最大值")
    percent: StrictFloat | None = Field(None, gt=0, le=10000, description="month_change：环比变动的百分数上限，如 20")
    factor: StrictFloat | None = Field(None, gt=0, le=10000, description="year_ratio：上年同月的倍数上限，如 3")
    severity: Literal["hard", "soft"] | None = Field(
        None, description="hard：不通过则拒绝；soft：提示并须填写说明。缺省：not_above、range 为 hard，其余为 soft")
    message: Text = Field(description="不通过时显示的中文说明，可写 {value}（本项的数）和 {other}（比较的数）",
                          json_schema_extra=NOT_EMPTY)

    @field_validator("rule", mode="before")
    @classmethod
    def _rule(cls, rule):
        if rule not in RULE_NAMES:
            raise refuse("{what}的“rule”应当是 not_above（不大于另一项）、range（数值范围）、month_change（环比变动）"
                          "或 year_ratio（同比倍数），现在是“{written}”" + suggestion(str(rule), RULE_NAMES))
        return rule

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, severity):
        if severity is not None and severity not in ("hard", "soft"):
            raise refuse("{what}的“severity”应当是 hard（拒绝）或 soft（提示并填写说明），现在是“{written}”")
        return severity

    @field_validator("message")
    @classmethod
    def _complete(cls, message, info: ValidationInfo):
        rule, measures = info.data.get("rule"), info.context["measures"]
        if rule is None or "measure" not in info.data:
            return message
        given_fields = [k for k in RULE_FIELDS[rule] if info.data.get(k) is not None]
        if not given_fields:
            wanted = "和".join(f"“{k}”" for k in RULE_FIELDS[rule])
            raise refuse(f"{{what}}是{RULE_NAMES[rule]}（{rule}），须写{wanted}" if rule != "range"
                         else "{what}是数值范围（range），须写“min”或“max”（或两者）")
        unused = [k for k in ("limit", "min", "max", "percent", "factor")
                  if k not in RULE_FIELDS[rule] and info.data.get(k) is not None]
        if unused:
            raise refuse(f"{{what}}是{RULE_NAMES[rule]}（{rule}），不用写“{unused[0]}”")
        low, high = info.data.get("min"), info.data.get("max")
        if low is not None and high is not None and low > high:
            raise refuse(f"{{what}}的“min”（{low:g}）不能大于“max”（{high:g}）")
        kind = measures[info.data["measure"]].kind
        if rule == "month_change" and kind != "stock":
            raise refuse("{what}：环比变动（month_change）只用于存量统计项（kind: stock）")
        if rule == "year_ratio" and kind != "flow":
            raise refuse("{what}：同比倍数（year_ratio）只用于流量统计项（kind: flow）")
        for name in re.findall(r"\{([^{}]*)\}", message):
            if name not in MESSAGE_FIELDS:
                raise refuse(f"{{what}}的“message”中的“{{{name}}}”无法填写：只能写 {{value}}（本项的数）"
                             "和 {other}（比较的数）")
        return message

    def hard(self) -> bool:
        return self.severity == "hard" if self.severity else self.rule in ("not_above", "range")


# --- contracts/<year>/*.yaml ------------------------------------------------------------------------

def _day(value):
    if not isinstance(value, dt.date):
        raise refuse("签订日期“signed_on”应写成 2003-03-10 的形式，现在是“{written}”")
    if not years.valid(value.year):
        raise refuse(f"签订日期“signed_on”的{years.refused(value.year)}")
    return value


def _amendment_day(value):
    if not isinstance(value, dt.date):
        raise refuse("生效日期“date”应写成 2003-07-01 的形式，现在是“{written}”")
    return value


class AmendmentHead(Schema):
    """One 目标调整: from `date` on, the targets it writes replace those before it; its targets are checked as the
    contract's are (TargetTerms and scorecard/rules)."""

    date: Annotated[dt.date, BeforeValidator(_amendment_day)] = Field(
        description="调整生效日期，如 2003-07-01", json_schema_extra={"missing": "目标调整缺少生效日期“date”"})
    reason: Text = Field(description="调整理由，如 国家政策调整、统筹地区合并",
                         json_schema_extra={**NOT_EMPTY, "missing": "目标调整须写明理由“reason”"})
    targets: dict = Field(default_factory=dict, description="调整后的指标，写法与 targets 相同；未写的指标不变")
    removed: list[str] = Field(default_factory=list, description="调整后不再考核的指标代码")

    @field_validator("date")
    @classmethod
    def _in_the_year(cls, day, info: ValidationInfo):
        year, signed_on = info.context["year"], info.context["signed_on"]
        if day.year != year:
            raise refuse(f"目标调整的生效日期{day:%Y-%m-%d}不在{year}年内：调整只能在合同年度之内")
        if signed_on is not None and day <= signed_on:
            raise refuse(f"目标调整的生效日期{day:%Y-%m-%d}应晚于签订日期{signed_on:%Y-%m-%d}")
        return day


class ContractHead(Schema):
    """A contract's own fields; its targets are checked one by one (TargetTerms and scorecard/rules)."""

    year: Whole = Field(description="年度，与所在文件夹一致", json_schema_extra={"missing": "目标责任书缺少“year”"})
    city: Code = Field(description="市州代码（见市州名单文件 cities.yaml），加引号")
    signed_on: Annotated[dt.date, BeforeValidator(_day)] | None = Field(None, description="签订日期，如 2003-03-10")
    targets: dict = Field(description="各指标的目标、权重和计分方法", json_schema_extra={"missing": "目标责任书缺少字段“targets”"})
    name: Any = Field(None, description="文件的标题，仅供阅读")
    amendments: list = Field(default_factory=list, description="年度内的目标调整，按生效日期先后")

    @field_validator("year")
    @classmethod
    def _in_its_folder(cls, year, info: ValidationInfo):
        folder = info.context["year"]
        if year != folder:
            raise refuse(f"year 写的是{year}，但文件放在{folder}年的文件夹里，两者必须一致")
        return year

    @field_validator("city")
    @classmethod
    def _known(cls, city, info: ValidationInfo):
        cities = info.context["cities"]
        if city in cities:
            return city
        lookup = {c.name: c.code for c in cities.values()} | {c.short: c.code for c in cities.values() if c.short}
        if city in lookup:
            hint = f"，请写代码 \"{lookup[city]}\"（{city}）"
        else:
            guess = nearest(city, list(cities) + list(lookup))
            guess = lookup.get(guess, guess)
            hint = f"，是否指 \"{guess}\"（{cities[guess].name}）？" if guess else ""
        raise refuse(f"未知的市州代码“{city}”{hint}（见市州名单文件 cities.yaml）")


def _target(raw, info: ValidationInfo):
    """A target in the indicator's unit: 0.95 or "95%" for a percentage, at most what its measure allows."""
    indicator, measures = info.context["indicator"], info.context["measures"]
    percent = indicator.unit == PERCENT
    if isinstance(raw, str):
        text = raw.strip()
        match = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)\s*[%％]", text)
        if not match:
            raise refuse(f"{{what}}的目标值应当是数字，现在是“{text}”")
        if not percent:
            raise refuse(f"{{what}}不是百分比指标（单位：{indicator.unit}），目标值不能写成“{text}”")
        value = float(match.group(1)) / 100
    elif isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise refuse("{what}的目标值应当是数字，现在是“{written}”")
    else:
        value = float(raw)
        if percent and value > 1:
            raise refuse(f"{{what}}是百分比指标，目标值{raw:g}大于1：请写成 {value / 100:g} 或 \"{raw:g}%\"")
    if value <= 0:
        raise refuse(f"{{what}}的目标值必须大于0，现在是{value:g}")
    if not percent:
        measure = measures[indicator.measure]
        limit, why = ((measure.max * 12, f"统计项“{measure.name}”的 max 的12倍：全年12个月之和") if measure.kind == "flow"
                      else (measure.max, f"统计项“{measure.name}”的 max"))
        if value > limit:
            raise refuse(f"{{what}}的目标值{value:g}超出合理范围：不能大于{limit:,.15g}（{why}）")
    return value


class TargetTerms(Schema):
    """A target's value and weight; its method and bonus are rules of scorecard/rules."""

    model_config = ConfigDict(frozen=True, extra="ignore", allow_inf_nan=False)
    target: Annotated[float, BeforeValidator(_target)] = Field(
        description="目标值：比率指标写 0.95 或 \"95%\"", json_schema_extra={"missing": "{what}缺少目标值“target”"})
    weight: StrictFloat = Field(ge=0, description="权重（分），合计等于评分规则文件 scoring.yaml 的总分 total_points",
                                json_schema_extra={"missing": "{what}缺少权重“weight”"})


# --- assessments/<year>.yaml ----------------------------------------------------------------------

class AssessmentHead(Schema):
    year: Whole = Field(description="年度，与文件名一致", json_schema_extra={"missing": "考评记录缺少“year”"})
    adjustments: Any = Field(None, description="加减分的列表：每项写 city、points、reason，可写 date（AdjustmentEntry）")
    veto: Any = Field(None, description="一票否决的列表：每项写 city、item、reason，可写 date（VetoEntry）")

    @field_validator("year")
    @classmethod
    def _its_file(cls, year, info: ValidationInfo):
        if year != info.context["year"]:
            raise refuse(f"year 写的是{year}，但文件名是{info.context['name']}，两者必须一致")
        return year


def _assessed(code, info: ValidationInfo):
    code = _code(code)
    cities, contracts, year = info.context["cities"], info.context["contracts"], info.context["year"]
    if code not in cities:
        raise refuse(f"未知的市州代码“{code}”{suggestion(code, cities)}（见市州名单文件 cities.yaml）")
    if (year, code) not in contracts:
        raise refuse(f"{cities[code].name}{year}年没有目标责任书，不能对其加减分或否决")
    return code


Assessed = Annotated[str, BeforeValidator(_assessed)]  # a city with a contract of the file's year


def _decided(day):
    """The day a decision was made: not later than today, of the scorecard's years. How it is written in the file
    (2003-11-20, no quotes) is said by the file's reader (assessments.py); a value no day is said there."""
    if isinstance(day, dt.datetime):
        day = day.date()
    if not isinstance(day, dt.date):
        raise quiet()
    if day > clock.today():
        raise refuse(f"{{what}}的认定日期{day:%Y-%m-%d}晚于今天，请核对")
    if not years.valid(day.year):
        raise refuse(f"{{what}}的认定日期{day:%Y-%m-%d}的{years.refused(day.year)}")
    return day


Decided = Annotated[dt.date, BeforeValidator(_decided)]


class AdjustmentEntry(Schema):
    what: ClassVar[str] = "加减分"
    city: Assessed = Field(description="市州代码，加引号")
    points: StrictFloat = Field(ge=-POINTS_MAX, le=POINTS_MAX, description="分值：加分写正数，扣分写负数",
                                json_schema_extra={"missing": "{what}缺少分值“points”（加分写正数，扣分写负数）"})
    reason: Text = Field(description="事由", json_schema_extra=NOT_EMPTY)
    date: Decided | None = Field(None, description="认定日期，如 2003-11-20：当月起计入（见 scoring.md §4）")


class VetoEntry(Schema):
    what: ClassVar[str] = "一票否决"
    city: Assessed = Field(description="市州代码，加引号")
    item: Text = Field(description="否决事项，如 拖欠失业保险金", json_schema_extra=NOT_EMPTY)
    reason: Text = Field(description="事实和依据", json_schema_extra=NOT_EMPTY)
    date: Decided | None = Field(None, description="认定日期，如 2003-11-24")
