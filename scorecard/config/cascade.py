"""Contracts handed down (市州 → 县（市、区）): whether the targets a 市州 set for the units below it add up to its
own. Only an indicator of a single measure adds up — a flow (新增参保人数, 征缴收入, 清欠金额, 补贴人次) or a stock
(欠费余额); a rate (征缴率, 参保率, 发放率) does not, and is not compared. A sum short of the 市州's target (for a
“lower is better” target such as 欠费余额: above it) is a warning, not a problem: the config still loads."""

from __future__ import annotations

from dataclasses import dataclass

from ..formatting import quantity
from .model import Config
from .yamlsource import Problem

WARNING = "警告"


@dataclass(frozen=True)
class TargetSum:
    """One indicator of a unit's contract against the targets of the units below it."""

    year: int
    parent: str
    indicator: str
    own: float            # the parent's own target
    total: float          # the sum of the targets of the units below it that have the indicator
    units: int            # how many have it
    higher: bool          # higher is better (the sum should reach `own`); else lower (it should not pass it)
    source: str           # the parent's contract file and the line of its target
    line: int

    @property
    def short(self) -> bool:
        return self.total < self.own - 1e-9 if self.higher else self.total > self.own + 1e-9


def additive(config: Config, indicator: str) -> bool:
    """Whether the targets of an indicator add up across units: a single measure, flow or stock (not a rate)."""
    return config.indicator_kinds[indicator] in ("flow", "stock")


def target_sums(config: Config, year: int, parent: str | None = None) -> list[TargetSum]:
    """Each additive target of each unit that signed contracts with the units below it (of `parent` only, when
    given) against their sum."""
    parents = [parent] if parent else sorted({config.city(code).parent for y, code in config.contracts
                                              if y == year and config.level(code) > 1})
    sums = []
    for code in parents:
        own = config.contracts.get((year, code))
        below = config.contracts_for(year, code)
        if own is None or not below:
            continue
        for target in own.targets:
            if not additive(config, target.indicator):
                continue
            values = [t.target for c in below for t in c.targets if t.indicator == target.indicator]
            if values:
                sums.append(TargetSum(year, code, target.indicator, target.target, sum(values), len(values),
                                      config.indicators[target.indicator].direction == "higher", own.source,
                                      target.line))
    return sums


def sum_text(config: Config, s: TargetSum) -> str:
    """下辖8个县（市、区）的新增参保人数目标合计12,500人，低于延边州的目标12,800人（差300人）."""
    unit, indicator = config.city(s.parent), config.indicators[s.indicator]
    name, gap = unit.label, abs(s.own - s.total)
    relation = ("低于" if s.higher else "高于") if s.short else ("不低于" if s.higher else "不高于")
    text = (f"{s.year}年{name}下辖{s.units}个县（市、区）的{indicator.name}目标合计"
            f"{quantity(s.total, indicator.unit)}，{relation}{name}的目标{quantity(s.own, indicator.unit)}")
    return text + (f"（差{quantity(gap, indicator.unit)}）" if s.short else "")


def cascade_warnings(config: Config, year: int | None = None) -> list[Problem]:
    """`警告：…` at the parent's target, for each sum that falls short (every year, or one)."""
    years = [year] if year is not None else config.years()
    return [Problem(s.source, s.line, f"{WARNING}：{sum_text(config, s)}，分解到县（市、区）的目标不足以完成本级目标")
            for y in years for s in target_sums(config, y) if s.short]
