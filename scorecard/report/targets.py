"""A year's target contracts taken together: the province-wide sum of each target; and a contract's changes
within the year (目标调整) in words, as pages and documents show them."""

from __future__ import annotations

from dataclasses import dataclass

from ..assessment.explain import target_phrase
from ..formatting import PERCENT
from ..config import Config, Contract


@dataclass(frozen=True)
class TargetTotal:
    indicator: str
    name: str
    area: str
    unit: str
    cities: int            # contracts that set this target
    total: float | None    # Σ targets; None for % indicators, whose rates do not add up
    lowest: float
    highest: float


def province_totals(config: Config, year: int) -> list[TargetTotal]:
    """One row per indicator used in the year's contracts, in catalogue order."""
    by_indicator: dict[str, list] = {}
    for contract in config.contracts_for(year, month=12):  # the targets in force at the end of the year
        for target in contract.targets:
            by_indicator.setdefault(target.indicator, []).append(target)
    totals = []
    for code, indicator in config.indicators.items():
        targets = by_indicator.get(code)
        if not targets:
            continue
        values = [t.target for t in targets]
        totals.append(TargetTotal(code, indicator.name, indicator.area, indicator.unit, len(targets),
                                  None if indicator.unit == PERCENT else sum(values), min(values), max(values)))
    return totals


@dataclass(frozen=True)
class TargetEdit:
    name: str
    before: str   # the target in force before the amendment, in words; "—" when the indicator is added
    after: str    # "取消考核" when it is removed
    weight: str   # e.g. "20分" or "20分→15分"


@dataclass(frozen=True)
class AmendmentText:
    title: str    # 2003年7月1日起调整
    reason: str
    edits: tuple[TargetEdit, ...]


def amendment_texts(config: Config, contract: Contract) -> list[AmendmentText]:
    """Each 目标调整 of a contract, every target it changes from what was in force before it to what it became."""
    texts = []
    before = {t.indicator: t for t in contract.signed_targets}
    for amendment in contract.amendments:
        after = {t.indicator: t for t in amendment.targets}
        edits = []
        for code in amendment.changed:
            indicator = config.indicators[code]
            old, new = before.get(code), after.get(code)

            def phrase(target):
                return target_phrase(target.target, indicator.unit, indicator.direction)

            weight = (f"{old.weight:g}分→{new.weight:g}分" if old and new and old.weight != new.weight
                      else f"{(new or old).weight:g}分")
            edits.append(TargetEdit(indicator.name, phrase(old) if old else "—", phrase(new) if new else "取消考核",
                                    weight))
        day = amendment.date
        texts.append(AmendmentText(f"{day.year}年{day.month}月{day.day}日起调整", amendment.reason, tuple(edits)))
        before = after
    return texts
