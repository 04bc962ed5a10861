"""What a principal may see of a result, and the ranking as a circular publishes it.

`scope(principal, value)` is the one filter: the app passes every result through it before a page sees
it. It knows the core's result types and drops what belongs to another city; on anything else it fails
closed for a 市州 user (AccessDenied), so a read added later cannot leak by being forgotten.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace

from ..assessment.results import CityResult, YearResult
from ..assessment.robustness import Robustness
from ..config import Assessment, Config
from ..roles import AccessDenied, Principal, own_city_name


def speaks_of(principal: Principal | None, config: Config | None) -> str | None:
    """Whom a sentence about data scoped for `principal` (see `scope`) speaks of: None when that data covers every
    city, else the name of the user's own city (explain.none_of words it)."""
    return None if principal is not None and principal.all_cities else own_city_name(principal, config)



# --- the ranking as circulated ----------------------------------------------------------------

@dataclass(frozen=True)
class RankingRow:
    city: str
    name: str
    rank: int
    total: float
    grade: str
    rank_change: int | None
    veto_items: tuple[str, ...]  # what the grade is vetoed for (一票否决), as the circular names it; not the reasons

    @property
    def vetoed(self) -> bool:
        return bool(self.veto_items)

    @property
    def code(self) -> str:
        return self.city


@dataclass(frozen=True)
class Ranking:
    """Rank, total and grade of every city: what a circular (通报) publishes."""

    year: int
    month: int
    provisional: bool
    demo: bool
    rows: tuple[RankingRow, ...]
    city_count: int

    @property
    def label(self) -> str:
        return "预估" if self.provisional else "年终"


def ranking(result: YearResult) -> Ranking:
    rows = tuple(RankingRow(c.code, c.name, c.rank, c.total, c.grade, c.rank_change, c.veto_items)
                 for c in result.cities)
    return Ranking(result.year, result.month, result.provisional, result.demo, rows, len(rows))


# --- the filter ------------------------------------------------------------------------------

def scope(principal: Principal | None, value):
    """`value` as `principal` may see it: unchanged for a principal who may see every city (ALL_CITIES); for any
    other, only what is their city's (see the module's docstring); for one who has no city (e.g. 系统管理 alone)
    the config's city names and nothing else. Raises AccessDenied for what it cannot tell is theirs."""
    if principal is not None and principal.all_cities:
        return value
    if principal is None:
        raise AccessDenied("无权访问：请先登录。")
    if not principal.city:
        if isinstance(value, Config):
            return _scoped_config(value, None)
        raise AccessDenied(f"无权访问：{principal.role or '该'}账号不能查看市州的数据。", "市州的数据")
    return _scoped(principal, value)


def _scoped(principal: Principal, value):
    own = principal.city
    if value is None:
        return None
    if isinstance(value, YearResult) and value.parent is not None:  # a ranking of the 县（市、区） below a unit
        if principal.may_see_below(value.ancestors):
            return value
        raise AccessDenied("无权访问：这是其他市州下辖县（市、区）的数据。", value.parent)
    if isinstance(value, YearResult):
        return replace(value, cities=tuple(c for c in value.cities if c.code == own),
                       fund=tuple(f for f in value.fund if f.city == own))
    if isinstance(value, Robustness):  # the city's own ranks; who else comes first or is 优秀 is not theirs
        return replace(value, cities=tuple(c for c in value.cities if c.city == own), whole=False,
                       scenarios=tuple(replace(s, top=None, excellent=None) for s in value.scenarios))
    if isinstance(value, Ranking):
        rows = value.rows if not value.provisional else tuple(r for r in value.rows if r.city == own)
        return replace(value, rows=rows)
    if isinstance(value, Config):
        return _scoped_config(value, own)
    if isinstance(value, (list, tuple)):
        return type(value)(item for item in value if _owned(principal, item))
    if _owned(principal, value):
        return value
    raise AccessDenied("无权访问：这是其他市州的数据。")


def _owned(principal: Principal, item) -> bool:
    """Whether an item of a result is the principal's city's; fails closed on items that do not say."""
    if isinstance(item, CityResult):
        return item.code == principal.city
    if not (dataclasses.is_dataclass(item) and "city" in {f.name for f in dataclasses.fields(item)}):
        raise AccessDenied("无权访问：市州账号不能查看全省汇总数据。", type(item).__name__)
    return item.city == principal.city


def _scoped_config(config: Config, own: str | None) -> Config:
    """City names stay (the circulated ranking names them); contracts and assessment findings are the city's,
    and the contracts it signed with its 县（市、区）."""
    return replace(
        config,
        contracts={key: c for key, c in config.contracts.items() if own is not None and config.within(key[1], own)},
        assessments={year: Assessment(a.year, tuple(x for x in a.adjustments if x.city == own),
                                      tuple(v for v in a.vetoes if v.city == own), a.source)
                     for year, a in config.assessments.items()})
