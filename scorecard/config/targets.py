"""targets.yaml: the rules that propose next year's targets from this year's result (scorecard.assessment.drafting),
and the province's own targets handed down by the ministry, by year. Optional: without the file every indicator is
proposed by last year's actual × 1.05, never below last year's target.

The pydantic models below are the file's schema; its problems are said by the one translator (translate.py), as
`file:line: 说明`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from .. import years
from ..rules import refuse
from .checks import read
from .model import Config
from .schema import Schema
from .translate import suggestion
from .yamlsource import Problem, YMap

TARGETS_FILE = "targets.yaml"
RULES = {"growth": "按增长率", "add": "加百分点", "trend": "按近三年趋势", "share": "分解全省目标", "keep": "沿用上年目标"}


def _rate(value):
    """A growth rate written "5%" or 0.05 (as a fraction)."""
    if isinstance(value, str):
        match = re.fullmatch(r"\s*([+-]?[0-9]+(?:\.[0-9]+)?)\s*[%％]\s*", value)
        if not match:
            raise refuse("{what}的“{key}”应当写成百分数，如 \"5%\"，现在是“{written}”")
        value = float(match.group(1)) / 100
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise refuse("{what}的“{key}”应当写成百分数，如 \"5%\"，现在是“{written}”")
    if not -1 < value <= 10:
        raise refuse("{what}的“{key}”应在-100%与1000%之间，现在是“{written}”")
    return float(value)


Rate = Annotated[float, BeforeValidator(_rate)]


class RuleEntry(Schema):
    """How one indicator's target is proposed (or every indicator's, as `default`)."""

    what: ClassVar[str] = "建议规则"
    rule: Literal["growth", "add", "trend", "share", "keep"] = Field(
        "growth", description="growth 按增长率；add 加百分点；trend 按近三年趋势；share 分解全省目标；keep 沿用上年目标")
    growth: Rate | None = Field(None, description="增长率，如 \"5%\"（growth；trend 和 share 无法计算时也用它）")
    add: float | None = Field(None, ge=-100, le=100, description="比率指标加几个百分点，如 1（add）")
    min_growth: Rate | None = Field(None, description="trend：增长率的下限，如 \"0%\"")
    max_growth: Rate | None = Field(None, description="trend：增长率的上限，如 \"10%\"")
    not_below_last_target: bool | None = Field(None, description="不低于上年目标（越低越好的指标：不高于），缺省 true")
    step: float | None = Field(None, gt=0, description="取整单位：四舍五入到它的倍数")

    @field_validator("rule", mode="before")
    @classmethod
    def _rule(cls, rule):
        if rule not in RULES:
            choices = "、".join(f"{k}（{v}）" for k, v in RULES.items())
            raise refuse(f"{{what}}的“rule”无法识别：“{{written}}”{suggestion(str(rule), RULES)}（可用：{choices}）")
        return rule

    @model_validator(mode="after")
    def _bounds(self):
        if self.min_growth is not None and self.max_growth is not None and self.min_growth > self.max_growth:
            raise refuse("{what}的“min_growth”不能大于“max_growth”")
        if self.rule == "add" and self.add is None:
            raise refuse("{what}是 add（加百分点），须写“add”，如 add: 1")
        return self


class TargetsFile(Schema):
    what: ClassVar[str] = TARGETS_FILE
    default: RuleEntry = Field(RuleEntry(), description="未单独写规则的指标所用的规则")
    indicators: dict[str, RuleEntry] = Field(default_factory=dict, description="各指标的规则，键为指标代码")
    province: dict[int, dict[str, float]] = Field(default_factory=dict,
                                                   description="全省目标：年度 → 指标代码 → 部里下达的全省合计")

    @field_validator("indicators", mode="before")
    @classmethod
    def _known(cls, raw, info: ValidationInfo):
        return _indicators(raw, info, "indicators")

    @field_validator("province", mode="before")
    @classmethod
    def _province(cls, raw, info: ValidationInfo):
        if not isinstance(raw, dict):
            raise refuse("{what}的“province”应当写成 年度: {指标代码: 全省目标}")
        for year, totals in raw.items():
            if isinstance(year, bool) or not isinstance(year, int) or not years.valid(year):
                raise refuse(f"{{what}}的全省目标：{years.refused(year)}")
            _indicators(totals, info, f"{year}年全省目标")
            for code, value in totals.items():
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1e15:
                    raise refuse(f"{{what}}的{year}年全省目标“{code}”应当是大于0的数，现在是“{value}”")
                if info.context["indicators"][code].unit == "%":
                    raise refuse(f"{{what}}的{year}年全省目标“{code}”是比率指标，比率不能合计，不能写全省目标")
        return raw


def _indicators(raw, info: ValidationInfo, what: str):
    if not isinstance(raw, dict):
        raise refuse(f"{{what}}的“{what}”应当是“指标代码: …”形式的映射")
    catalogue = info.context["indicators"]
    for code in raw:
        if code not in catalogue:
            raise refuse(f"{{what}}的“{what}”中有未知的指标“{code}”{suggestion(str(code), catalogue)}（见 indicators.yaml）")
    return raw


@dataclass(frozen=True)
class ProposalRule:
    """The rule of one indicator: what targets.yaml says for it, the default filling what it does not."""

    rule: str = "growth"
    growth: float = 0.05
    add: float | None = None
    min_growth: float | None = None
    max_growth: float | None = None
    not_below_last_target: bool = True
    step: float | None = None

    @property
    def title(self) -> str:
        return RULES[self.rule]


@dataclass(frozen=True)
class TargetRules:
    default: ProposalRule = ProposalRule()
    indicators: dict[str, ProposalRule] = field(default_factory=dict)
    province: dict[int, dict[str, float]] = field(default_factory=dict)
    source: str | None = None

    def rule_for(self, indicator: str) -> ProposalRule:
        return self.indicators.get(indicator, self.default)

    def province_target(self, year: int, indicator: str) -> float | None:
        return self.province.get(year, {}).get(indicator)


def _merged(default: ProposalRule, entry: RuleEntry) -> ProposalRule:
    written = {k: v for k, v in entry.model_dump(exclude_unset=True).items() if v is not None}
    return ProposalRule(**{**default.__dict__, **written})


def parse_rule(raw: dict, default: ProposalRule = ProposalRule()) -> ProposalRule:
    """One rule as written in targets.yaml (a test case's): checked by the file's schema, the default filling it."""
    return _merged(default, RuleEntry.model_validate(raw))


def load_targets(config: Config) -> tuple[TargetRules | None, list[Problem]]:
    """The rules of `config`'s folder (its targets.yaml, when there is one), or None with the problems."""
    problems: list[Problem] = []
    doc, check = read(Path(config.directory), TARGETS_FILE, problems, required=False)
    if doc is None:
        return (None, problems) if problems else (TargetRules(), [])
    if check.mapping(doc, 1, TARGETS_FILE) is None:
        return None, problems
    checked = check.validated(TargetsFile, doc, TARGETS_FILE, {"indicators": config.indicators})
    if checked is None:
        return None, problems
    default = _merged(ProposalRule(), checked.default)
    return TargetRules(default, {code: _merged(default, entry) for code, entry in checked.indicators.items()},
                       {year: {k: float(v) for k, v in totals.items()} for year, totals in checked.province.items()},
                       check.display), []
