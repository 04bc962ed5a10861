"""Who may do what: the roles, their permissions, the signed-in principal, and the checks that refuse.

The six roles (issue 13 §6); a person may hold several:
- 市州填报 (a city's reporter): enters and submits their own city's figures, self-assessment and 整改方案 (REPORT,
  always with require_city), and sees what 市州查看 sees.
- 市州查看 (a city official): their own city only — its scores and indicators, progress, fund capacity, report
  completeness, contract and assessment findings. Of the other cities they see only the ranking as circulated
  (通报): once the year-end result is final (December), every city's rank, name, total, grade and change of
  rank; before that, their own row and rank alone. Never another city's indicators, fund figures,
  completeness, contract, adjustments, vetoes or imports, and no exports.
- 省级查看: every page of every city, and the meeting documents (ALL_CITIES, EXPORT).
- 省级审核: reviews the cities' submissions and verifies, imports data, records warning reports (REVIEW, IMPORT,
  WARN_REPORT), seeing every city.
- 考评 (assessors): decide (加减分, 一票否决) and publish the result (DECIDE, PUBLISH), seeing every city.
- 系统管理: user administration and the audit log (MANAGE_USERS, AUDIT_LOG); sees no city's data by itself.

A 市州 role is tied to one city (one city per person); a person holds either 市州 roles or provincial ones, never
both, so that a reporter's REPORT cannot reach another city through a provincial role's ALL_CITIES.
The three roles of before stay, meaning exactly what they meant: 市州 = 市州填报 + 市州查看; 数据管理员 = the four
provincial roles (everything but REPORT); 省级 = 省级查看 + 考评, plus REVIEW and the audit log.

What a principal may read of a result is `scorecard.report.scope` (the filter every read passes: a principal
without ALL_CITIES sees their own city only); what they may write is checked here, by the actions layer
(`scorecard.actions`), before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config import Config

ALL_CITIES, EXPORT, IMPORT, WARN_REPORT, AUDIT_LOG = "all_cities", "export", "import", "warn_report", "audit_log"
DECIDE, PUBLISH = "decide", "publish"
REPORT, REVIEW, MANAGE_USERS = "report", "review", "manage_users"
PERMISSION_NAMES = {
    ALL_CITIES: "查看其他市州的数据",
    EXPORT: "下载考评文件",
    IMPORT: "导入数据",
    WARN_REPORT: "登记预警报告",
    AUDIT_LOG: "查看审计日志",
    DECIDE: "作出考评决定",
    PUBLISH: "发布考评结果",
    REPORT: "填报和报送本市材料",
    REVIEW: "审核市州报送的材料",
    MANAGE_USERS: "管理用户",
}

CITY_REPORT, CITY_VIEW = "市州填报", "市州查看"
PROVINCE_VIEW, PROVINCE_REVIEW, ASSESSOR, SYSTEM_ADMIN = "省级查看", "省级审核", "考评", "系统管理"
SIX_ROLES = (CITY_REPORT, CITY_VIEW, PROVINCE_VIEW, PROVINCE_REVIEW, ASSESSOR, SYSTEM_ADMIN)
PROVINCE, CITY, ADMIN = "省级", "市州", "数据管理员"   # the roles of before
ROLES = (*SIX_ROLES, PROVINCE, CITY, ADMIN)             # every role, in the order they are shown
CITY_ROLES = frozenset({CITY_REPORT, CITY_VIEW, CITY})   # tied to one city
ROLE_ALIASES = {"province": PROVINCE, "city": CITY, "admin": ADMIN,   # what may be typed instead
                "city-report": CITY_REPORT, "city-view": CITY_VIEW, "province-view": PROVINCE_VIEW,
                "province-review": PROVINCE_REVIEW, "assessor": ASSESSOR, "sysadmin": SYSTEM_ADMIN}
ROLE_JOINER = "、"
_SEPARATORS = re.compile(r"[、,，;；/\s]+")   # several roles in one text: 市州填报、市州查看 or city-report,city-view

_OWN = {
    CITY_REPORT: frozenset({REPORT}),   # for their own city only: every write of a city is checked with require_city
    CITY_VIEW: frozenset(),             # their own city, through the scope filter
    PROVINCE_VIEW: frozenset({ALL_CITIES, EXPORT}),
    PROVINCE_REVIEW: frozenset({ALL_CITIES, REVIEW, IMPORT, WARN_REPORT}),
    ASSESSOR: frozenset({ALL_CITIES, DECIDE, PUBLISH}),
    SYSTEM_ADMIN: frozenset({MANAGE_USERS, AUDIT_LOG}),
}
# the roles of before as bundles of the six (省级 with two permissions more, as it had them)
BUNDLES = {
    CITY: ((CITY_REPORT, CITY_VIEW), frozenset()),
    ADMIN: ((PROVINCE_VIEW, PROVINCE_REVIEW, ASSESSOR, SYSTEM_ADMIN), frozenset()),
    PROVINCE: ((PROVINCE_VIEW, ASSESSOR), frozenset({REVIEW, AUDIT_LOG})),
}
ROLE_PERMISSIONS = _OWN | {name: frozenset().union(*(_OWN[r] for r in parts), extra)
                           for name, (parts, extra) in BUNDLES.items()}
WEB, SSO, CLI = "网页", "统一认证", "命令行"  # where an action came from


class AccessDenied(Exception):
    """无权访问: said politely, in Chinese; `target` names what was asked for (for the audit log)."""

    def __init__(self, message: str, target: str | None = None):
        super().__init__(message)
        self.target = target


def role_of(text: str) -> str | None:
    """A role as typed: its name (市州填报, 省级 …) or its alias (city-report, province …); None if unknown."""
    text = str(text).strip()
    return text if text in ROLES else ROLE_ALIASES.get(text.lower())


def roles_in(value: str | Iterable[str] | None) -> frozenset[str]:
    """The roles of a text (one role, or several joined by 、 or commas) or of a collection of texts; a name not
    known is kept as written (it grants nothing, and `unknown_roles` finds it)."""
    parts = _SEPARATORS.split(value) if isinstance(value, str) else [
        part for item in (value or ()) for part in _SEPARATORS.split(str(item))]
    return frozenset(role_of(part) or part.strip() for part in parts if part.strip())


def unknown_roles(roles: Iterable[str]) -> list[str]:
    return sorted(r for r in roles if r not in ROLES)


def roles_text(roles: Iterable[str]) -> str:
    """Roles in the order of ROLES, joined by 、 (the form stored, audited and shown)."""
    order = {name: k for k, name in enumerate(ROLES)}
    return ROLE_JOINER.join(sorted(set(roles), key=lambda r: (order.get(r, len(order)), r)))


def roles_problem(roles: frozenset[str]) -> str | None:
    """What is wrong with a set of roles given to one person (without the city, which the caller checks with
    `needs_city`), in Chinese; None if nothing."""
    if not roles:
        return f"至少要指定一个角色（可选：{ROLE_JOINER.join(ROLES)}）"
    if unknown := unknown_roles(roles):
        return f"角色“{ROLE_JOINER.join(unknown)}”无效，可选：{ROLE_JOINER.join(ROLES)}"
    if roles & CITY_ROLES and roles - CITY_ROLES:
        return (f"市州角色（{roles_text(roles & CITY_ROLES)}）只能看本市，不能与省级角色（{roles_text(roles - CITY_ROLES)}）"
                "由同一账号兼任；请分设两个账号")
    return None


def needs_city(roles: Iterable[str]) -> bool:
    return bool(CITY_ROLES.intersection(roles))


@dataclass(frozen=True)
class Principal:
    """Who acts. `role`: one role, several joined by 、, or a collection of roles; afterwards `roles` holds them
    and `role` is their display text (市州填报、市州查看). What they may is the union of their roles'."""

    user: str
    role: str | Iterable[str]
    city: str | None = None      # the city of a 市州 role
    channel: str = WEB
    address: str | None = field(default=None, compare=False)  # where a web request came from, for the audit log
    roles: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        held = roles_in(self.role)
        object.__setattr__(self, "roles", held)
        object.__setattr__(self, "role", roles_text(held))

    @property
    def permissions(self) -> frozenset[str]:
        return frozenset().union(*(ROLE_PERMISSIONS.get(r, ()) for r in self.roles))

    @property
    def all_cities(self) -> bool:
        return self.may(ALL_CITIES)

    @property
    def sees_cities(self) -> bool:
        """Whether the principal sees any city's data: every city, or their own."""
        return self.all_cities or self.city is not None

    def may(self, permission: str) -> bool:
        return permission in self.permissions

    def may_see(self, city: str) -> bool:
        return self.all_cities or (self.city is not None and city == self.city)

    def may_see_below(self, ancestors: tuple[str, ...]) -> bool:
        """Whether the principal may see units whose parent and the units above it are `ancestors` (a 市州's
        县（市、区）): those of their own city only, at any depth below it."""
        return self.all_cities or (self.city is not None and self.city in ancestors)

    def describe(self, config: Config | None = None) -> str:
        """li.si（市州填报、市州查看·长春市）"""
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
        raise AccessDenied(f"无权访问：您的账号只能查看{own_city_name(principal, config)}的数据，不能查看{name}的数据。",
                           f"{name}（{city}）" if name != city else city)


def own_city_name(principal: Principal | None, config: Config | None) -> str:
    if principal is None or principal.city is None:
        return "本市"
    return config.city(principal.city).name if config and principal.city in config.city_lookup else principal.city


def operator(user: str) -> Principal:
    """The person at the command line: they hold the data files, so they may what 数据管理员 may."""
    return Principal(user, ADMIN, None, CLI)
