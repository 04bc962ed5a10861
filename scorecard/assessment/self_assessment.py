"""Self-assessment, verification, approval (自评 → 核查 → 审定) of a year's result.

After the year a city claims, per indicator of its contract, the year-end figure it reached (自评); province
verifiers record the figure they verified (核查), with a reason wherever it differs from the claim. Each is scored
by the contract's own rules (scoring.final_points) with the same adjustments as the official result:
- 自评分: every indicator from the figure claimed (the data's figure where none is claimed);
- 核查分: from the figure verified (the claim where none is verified yet);
- 审定分: the official result — computed from the data and decisions (score_year), or the publication in force.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from .. import clock
from ..frozen import maker
from ..config import Config, Rules, Target
from ..errors import InputError
from ..formatting import PERCENT, round2
from ..records.self_assessment import CLAIMED, VERIFIED, Entry, Line
from .results import CityResult, IndicatorResult, YearResult
from .scoring import city_total, final_points

RATIO_MAX = 10.0  # 1000 %: no ratio an official claims comes near it


@dataclass(frozen=True)
class IndicatorThree:
    indicator: IndicatorResult          # the official one (target, weight, the data's figure, its points)
    claimed: Entry | None
    verified: Entry | None
    claimed_points: float               # base points + bonus
    verified_points: float

    @property
    def approved_points(self) -> float:
        return self.indicator.points + self.indicator.bonus

    @property
    def differs(self) -> bool:
        """The three scores of the indicator are not all the same (to two decimals)."""
        return len({round2(self.claimed_points), round2(self.verified_points), round2(self.approved_points)}) > 1


_indicator_three = maker(IndicatorThree)   # one per indicator result of the year: 21,467 at 2,800 units


@dataclass(frozen=True)
class CityThree:
    city: CityResult
    indicators: tuple[IndicatorThree, ...]
    claimed_total: float | None         # None: no self-assessment submitted
    verified_total: float | None        # None: not verified yet

    @property
    def approved_total(self) -> float:
        return self.city.total

    @property
    def differs(self) -> bool:
        shown = {round2(t) for t in (self.claimed_total, self.verified_total, self.approved_total) if t is not None}
        return len(shown) > 1


def three_scores(config: Config, result: YearResult, entries: dict[tuple[str, str, str], Entry]) -> list[CityThree]:
    """自评分 / 核查分 / 审定分 of every city of a year-end result (in its order), from the entries in force. An
    indicator not verified keeps the points of its claim (or of the data's figure, when not claimed either)
    without being scored again."""
    rules = result.rules
    found = []
    for city in result.cities:
        targets = {t.indicator: t for t in config.contract(result.year, city.code).targets}
        indicators, claimed, verified = [], [], []
        for i in city.indicators:
            claim = entries.get((city.code, i.code, CLAIMED))
            check = entries.get((city.code, i.code, VERIFIED))
            points = _points(config, rules, targets[i.code], i.actual if claim is None else claim.figure)
            checked = points if check is None else _points(config, rules, targets[i.code], check.figure)
            claimed.append(points)
            verified.append(checked)
            indicators.append(_indicator_three(i, claim, check, points[0] + points[1], checked[0] + checked[1]))
        any_claim = any(t.claimed is not None for t in indicators)
        any_check = any(t.verified is not None for t in indicators)
        found.append(CityThree(city, tuple(indicators), _total(rules, city, claimed) if any_claim else None,
                               _total(rules, city, verified) if any_check else None))
    return found


def _total(rules: Rules, city: CityResult, points: list[tuple[float, float]]) -> float:
    return city_total(rules, sum(p for p, _ in points), sum(b for _, b in points), city.adjustment)


def _points(config: Config, rules: Rules, target: Target, figure: float | None) -> tuple[float, float]:
    """Base points and bonus of a figure (none: 0)."""
    return (0.0, 0.0) if figure is None else final_points(config, rules, target, figure)


# --- what is typed, checked ---------------------------------------------------------------

def open_for(year: int) -> None:
    """A self-assessment is of a finished year: from 1 January of the next."""
    if clock.today() <= dt.date(year, 12, 31):
        raise InputError(f"{year}年度的自评须在年度结束后提交（{year + 1}年1月1日起）")


def checked_lines(config: Config, year: int, city: str, typed: dict[str, tuple[object, str | None]], *,
                  stage: str, claims: dict[str, float] | None = None) -> list[Line]:
    """indicator code → (figure, note) as typed, checked against the city's contract; a verified figure that
    differs from the claim needs its reason."""
    if (year, city) not in config.contracts:
        raise InputError(f"{config.city(city).name}{year}年没有目标责任书，不能自评或核查")
    contract = {t.indicator: t for t in config.contract(year, city).targets}
    problems, lines = [], []
    for code, (figure, note) in typed.items():
        if code not in contract:
            problems.append(f"指标“{code}”不在{config.city(city).name}{year}年的目标责任书中")
            continue
        indicator = config.indicators[code]
        note = (str(note).strip() if note is not None else "")[:2000] or None
        value = _number(figure)
        limit = RATIO_MAX if indicator.is_ratio else 12 * max(config.measures[m].max for m in indicator.measures)
        if value is None or not 0 <= value <= limit:
            shown = "不是数字" if value is None else f"超出合理范围（0至{_limit_text(limit, indicator.unit)}）"
            problems.append(f"{indicator.name}的{stage}数{shown}，现在是“{figure}”")
            continue
        if stage == VERIFIED and claims and code in claims and not math.isclose(value, claims[code], abs_tol=1e-9) \
                and not note:
            problems.append(f"{indicator.name}核查数与市州自评数不同，须写明理由")
            continue
        lines.append(Line(code, value, note))
    if problems:
        raise InputError("；".join(problems))
    if not lines:
        raise InputError(f"没有填写任何指标的{stage}数")
    return lines


def _number(typed) -> float | None:
    if isinstance(typed, bool):
        return None
    try:
        value = float(typed)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _limit_text(limit: float, unit: str) -> str:
    return f"{limit * 100:g}%" if unit == PERCENT else f"{limit:g}{unit}"
