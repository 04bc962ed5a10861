"""Who may do what: the roles, their permissions, the signed-in principal, and the checks that refuse.

- 省级 (provincial leadership, assessors): every page, every city, the meeting documents, the audit log.
- 省级 also decide (加减分, 一票否决) and publish the result (考评决定, 发布); roles of their own are issue 13 §6.
- 数据管理员 (data administrator): what 省级 may, plus importing data and recording warning reports.
- 市州 (a city official, tied to one city code): their own city only — its scores and indicators, progress,
  fund capacity, report completeness, contract and assessment findings. Of the other cities they see only
  the ranking as circulated (通报): once the year-end result is final (December), every city's rank, name,
  total, grade and change of rank; before that, their own row and rank alone. Never another city's
  indicators, fund figures, completeness, contract, adjustments, vetoes or imports, and no exports.

What a principal may read of a result is `scorecard.report.scope` (the filter every read passes); what they
may write is checked here, by the actions layer (`scorecard.actions`), before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config import Config

PROVINCE, CITY, ADMIN = "省级", "市州", "数据管理员"
ROLES = (PROVINCE, CITY, ADMIN)
ROLE_ALIASES = {"province": PROVINCE, "city": CITY, "admin": ADMIN}  # what may be typed instead

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
ROLE_PERMISSIONS = {
    PROVINCE: frozenset({ALL_CITIES, EXPORT, AUDIT_LOG, DECIDE, PUBLISH, REVIEW}),
    ADMIN: frozenset({ALL_CITIES, EXPORT, AUDIT_LOG, IMPORT, WARN_REPORT, DECIDE, PUBLISH, REVIEW, MANAGE_USERS}),
    CITY: frozenset({REPORT}),      # for their own city only: every write of a city is checked with require_city
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
        raise AccessDenied(f"无权访问：您的账号只能查看{own_city_name(principal, config)}的数据，不能查看{name}的数据。",
                           f"{name}（{city}）" if name != city else city)


def own_city_name(principal: Principal | None, config: Config | None) -> str:
    if principal is None or principal.city is None:
        return "本市"
    return config.city(principal.city).name if config and principal.city in config.city_lookup else principal.city


def operator(user: str) -> Principal:
    """The person at the command line: they hold the data files, so they may what 数据管理员 may."""
    return Principal(user, ADMIN, None, CLI)
