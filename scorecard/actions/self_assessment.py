"""Self-assessment (自评) submitted by a city and verification (核查) recorded by the province: permission checked
here (roles.REPORT for the city's own, roles.REVIEW), refusals audited; the lines, the evidence kept by its hash and
the audit line written as one unit."""

from __future__ import annotations

from .decisions import permitted_for_city, with_evidence
from ..assessment import self_assessment as core
from ..config import Config
from ..data.store import Store
from ..errors import InputError
from ..records import self_assessment as recorded
from ..records.audit import Actor
from ..records.self_assessment import CLAIMED, VERIFIED, Entry
from ..roles import REPORT, REVIEW, Principal


def _known(config: Config, city: str) -> None:
    if city not in config.city_lookup.values():
        raise InputError(f"未知的市州代码“{city}”")


def submit(store: Store, by: Principal, config: Config, year: int, city: str, typed: dict, *, evidence=(),
           address: str | None = None) -> list[Entry]:
    """A city's self-assessment: indicator → (figure claimed, note)."""
    _known(config, city)
    records = permitted_for_city(store, by, REPORT, config, city, "提交自评", address)
    core.open_for(year)
    lines = core.checked_lines(config, year, city, typed, stage=CLAIMED)
    name = config.city(city).name
    return with_evidence(store, evidence, lambda kept: recorded.add(
        records, year, city, CLAIMED, lines, kept, actor=Actor.of(by, address),
        detail=f"{name}{year}年度自评：{len(lines)}项指标，辅证材料{len(kept)}份。"))


def verify(store: Store, by: Principal, config: Config, year: int, city: str, typed: dict, *, evidence=(),
           address: str | None = None) -> list[Entry]:
    """The province's verification of a city: indicator → (figure verified, reason of a difference)."""
    _known(config, city)
    records = permitted_for_city(store, by, REVIEW, config, city, "核查自评", address)
    core.open_for(year)
    claims = {e.indicator: e.figure for (c, _, stage), e in recorded.in_force(records, year).items()
              if c == city and stage == CLAIMED}
    lines = core.checked_lines(config, year, city, typed, stage=VERIFIED, claims=claims)
    name = config.city(city).name
    changed = sum(1 for line in lines if line.indicator in claims and line.figure != claims[line.indicator])
    return with_evidence(store, evidence, lambda kept: recorded.add(
        records, year, city, VERIFIED, lines, kept, actor=Actor.of(by, address),
        detail=f"{name}{year}年度核查：{len(lines)}项指标，其中{changed}项与自评不同。"))
