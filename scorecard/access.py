"""Who may see and do what: the roles, the signed-in principal, and the filter every read passes.

- 省级 (provincial leadership, assessors): every page, every city, the meeting documents, the audit log.
- 数据管理员 (data administrator): what 省级 may, plus importing data and recording warning reports.
- 市州 (a city official, tied to one city code): their own city only — its scores and indicators, progress,
  fund capacity, report completeness, contract and assessment findings. Of the other cities they see only
  the ranking as circulated (通报): once the year-end result is final (December), every city's rank, name,
  total, grade and change of rank; before that, their own row and rank alone. Never another city's
  indicators, fund figures, completeness, contract, adjustments, vetoes or imports, and no exports.

`scope(principal, value)` is the one filter: the app passes every result through it before a page sees
it. It knows the core's result types and drops what belongs to another city; on anything else it fails
closed for a 市州 user (AccessDenied), so a read added later cannot leak by being forgotten.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace

from .config import ADMIN, CITY, PROVINCE, ROLE_ALIASES, ROLES, Assessment, Config
from .scoring import CityResult, YearResult

__all__ = ["ADMIN", "CITY", "PROVINCE", "ROLES", "AccessDenied", "Principal", "Ranking", "RankingRow", "ranking",
           "require", "role_of", "scope"]

ALL_CITIES, EXPORT, IMPORT, WARN_REPORT, AUDIT_LOG = "all_cities", "export", "import", "warn_report", "audit_log"
PERMISSION_NAMES = {
    ALL_CITIES: "查看其他市州的数据",
    EXPORT: "下载考评文件",
    IMPORT: "导入数据",
    WARN_REPORT: "登记预警报告",
    AUDIT_LOG: "查看审计日志",
}
ROLE_PERMISSIONS = {
    PROVINCE: frozenset({ALL_CITIES, EXPORT, AUDIT_LOG}),
    ADMIN: frozenset({ALL_CITIES, EXPORT, AUDIT_LOG, IMPORT, WARN_REPORT}),
    CITY: frozenset(),
}
WEB, SSO, CLI = "网页", "统一认证", "命令行"  # where an action came from


class AccessDenied(Exception):
    """无权访问: said politely, in Chinese; `target` names what was asked for (for the audit log)."""

    def __init__(self, message: str, target: str | None = None):
        super().__init__(message)
        self.target = target


def role_of(text: str) -> str | None:
    """A role as typed: 省级 / 市州 / 数据管理员, or province / city / admin."""
    text = str(text).strip()
    return text if text in ROLES else ROLE_ALIASES.get(text.lower())


@dataclass(frozen=True)
class Principal:
    user: str
    role: str
    city: str | None = None      # 市州 only
    channel: str = WEB

    @property
    def all_cities(self) -> bool:
        return self.may(ALL_CITIES)

    def may(self, permission: str) -> bool:
        return permission in ROLE_PERMISSIONS.get(self.role, ())

    def may_see(self, city: str) -> bool:
        return self.all_cities or city == self.city

    def describe(self, config: Config | None = None) -> str:
        """li.si（市州·长春市）"""
        where = self.role
        if self.city:
            name = config.city(self.city).name if config and self.city in config.city_lookup else self.city
            where += f"·{name}"
        return f"{self.user}（{where}）"


def require(principal: Principal | None, permission: str) -> None:
    if principal is None or not principal.may(permission):
        role = f"{principal.role}账号" if principal else "未登录时"
        raise AccessDenied(f"无权访问：{role}不能{PERMISSION_NAMES[permission]}。", PERMISSION_NAMES[permission])


def require_city(principal: Principal | None, city: str, config: Config | None = None) -> None:
    if principal is None or not principal.may_see(city):
        name = config.city(city).name if config and city in config.city_lookup else city
        raise AccessDenied(f"无权访问：您的账号只能查看{_own(principal, config)}的数据，不能查看{name}的数据。",
                           f"{name}（{city}）" if name != city else city)


def speaks_of(principal: Principal | None, config: Config | None) -> str | None:
    """Whom a sentence about data scoped for `principal` (see `scope`) speaks of: None when that data covers every
    city, else the name of the user's own city (explain.none_of words it)."""
    return None if principal is not None and principal.all_cities else _own(principal, config)


def _own(principal: Principal | None, config: Config | None) -> str:
    if principal is None or principal.city is None:
        return "本市"
    return config.city(principal.city).name if config and principal.city in config.city_lookup else principal.city


# --- the ranking as circulated ----------------------------------------------------------------

@dataclass(frozen=True)
class RankingRow:
    city: str
    name: str
    rank: int
    total: float
    grade: str
    rank_change: int | None
    vetoed: bool              # the grade is the veto's (一票否决), whatever the total


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
    rows = tuple(RankingRow(c.code, c.name, c.rank, c.total, c.grade, c.rank_change, c.vetoed)
                 for c in result.cities)
    return Ranking(result.year, result.month, result.provisional, result.demo, rows, len(rows))


# --- the filter ------------------------------------------------------------------------------

def scope(principal: Principal | None, value):
    """`value` as `principal` may see it: unchanged for 省级 and 数据管理员; for a 市州 user, only what is
    theirs (see the module's docstring). Raises AccessDenied for what it cannot tell is theirs."""
    if principal is not None and principal.all_cities:
        return value
    if principal is None or principal.role != CITY or not principal.city:
        raise AccessDenied("无权访问：请先登录。")
    return _scoped(principal, value)


def _scoped(principal: Principal, value):
    own = principal.city
    if value is None:
        return None
    if isinstance(value, YearResult):
        return replace(value, cities=tuple(c for c in value.cities if c.code == own),
                       fund=tuple(f for f in value.fund if f.city == own))
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


def _scoped_config(config: Config, own: str) -> Config:
    """City names stay (the circulated ranking names them); contracts and assessment findings are the city's."""
    return replace(
        config,
        contracts={key: c for key, c in config.contracts.items() if key[1] == own},
        assessments={year: Assessment(a.year, tuple(x for x in a.adjustments if x.city == own),
                                      tuple(v for v in a.vetoes if v.city == own), a.source)
                     for year, a in config.assessments.items()})
