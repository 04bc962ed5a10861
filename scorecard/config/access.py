"""access.yaml: how people sign in — accounts of this system, or the user name an organisation's single
sign-on gateway sends (header mode), with the session's idle and maximum times. The models below are the
file's schema; its problems are said by the one translator (translate.py)."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, ClassVar

from pydantic import BeforeValidator, Field, StrictFloat, ValidationInfo, field_validator, model_validator

from ..roles import (ALL_CITIES, ROLE_JOINER, ROLES, Principal, needs_city, roles_in, roles_problem, roles_text,
                     unknown_roles)
from ..rules import refuse
from .catalogue import load_cities
from .checks import read
from .files import ACCESS_FILE
from .model import HEADER, PASSWORD, AccessSettings, Grant
from .schema import Code, Schema, words
from .translate import suggestion
from .yamlsource import Problem, YMap

DEFAULTS = AccessSettings()


def _network(item):
    try:
        ipaddress.ip_network(str(item), strict=False)
    except ValueError:
        raise refuse(f"trusted_proxies 中的“{item}”不是IP地址或网段（如 127.0.0.1、10.0.0.0/8）") from None
    return str(item)


class Session(Schema):
    what: ClassVar[str] = "session"
    idle_minutes: StrictFloat = Field(DEFAULTS.idle_minutes, ge=1, le=1440, description="多少分钟不操作自动退出")
    max_hours: StrictFloat = Field(DEFAULTS.max_hours, gt=0, le=720, description="一次登录最长几小时")


class UserGrant(Schema):
    what: ClassVar[str] = "用户“{name}”"
    role: str = Field(description=f"角色，一个或几个（列表，或用“、”分隔）：{ROLE_JOINER.join(ROLES)}"
                                  "（旧的省级、市州、数据管理员也可写 province、city、admin）")
    city: Code | None = Field(None, description="市州角色：其市州的代码或名称（见市州名单文件 cities.yaml）")

    @field_validator("role", mode="before")
    @classmethod
    def _role(cls, role):
        if isinstance(role, (list, tuple)) and not all(isinstance(r, str) for r in role):
            raise refuse("{what}的角色应写成文字或文字的列表，如 role: [省级查看, 考评]")
        held = roles_in(role if isinstance(role, (list, tuple)) else str(role))
        if unknown := unknown_roles(held):
            raise refuse(f"{{what}}的角色“{ROLE_JOINER.join(unknown)}”无效{suggestion(unknown[0], ROLES)}"
                         f"（可选：{ROLE_JOINER.join(ROLES)}）")
        if problem := roles_problem(held):
            raise refuse(f"{{what}}：{problem}")
        return roles_text(held)

    @field_validator("city")
    @classmethod
    def _city(cls, city, info: ValidationInfo):
        role, cities = info.data.get("role"), (info.context or {}).get("cities")
        if role is not None and not needs_city(roles_in(role)):
            sees = "可查看全部市州" if Principal("", role).may(ALL_CITIES) else "不属于某个市州"
            raise refuse(f"{{what}}是{role}，{sees}，不能写“city”")
        if cities is not None and city not in cities:
            raise refuse(f"{{what}}的市州“{city}”不在 cities.yaml 中{suggestion(city, cities)}")
        return cities[city] if cities else city

    @model_validator(mode="after")
    def _a_city_user_has_a_city(self):
        if needs_city(roles_in(self.role)) and self.city is None:
            raise refuse("{what}（市州）缺少“city”")
        return self


def _logout(url):
    url = words(url)
    if not re.match(r"(https?://|/)", url):
        raise refuse(f"logout_url“{url}”应以 https://、http:// 或 / 开头")
    return url


def _header_name(name):
    name = words(name)
    if not re.fullmatch(r"[A-Za-z0-9-]+", name):
        raise refuse(f"请求头名称“{name}”无效：只能有字母、数字和“-”，如 X-Remote-User")
    return name


class Header(Schema):
    what: ClassVar[str] = "header"
    name: Annotated[str, BeforeValidator(_header_name)] = Field(
        description="网关放用户名的请求头，如 X-Remote-User", json_schema_extra={"missing": "{what}缺少“{key}”（不能为空）"})
    trusted_proxies: tuple[Annotated[str, BeforeValidator(_network)], ...] = Field(
        DEFAULTS.trusted_proxies, description="只接受来自这些地址（IP或网段）的请求头")
    logout_url: Annotated[str, BeforeValidator(_logout)] | None = Field(None, description="网关的退出登录页")
    users: dict[str, UserGrant] = Field(default_factory=dict, description="登记的用户：用户名 → 角色（和市州）")


class AccessFile(Schema):
    what: ClassVar[str] = ACCESS_FILE
    mode: str = Field(PASSWORD, description="password：本系统账号；header：单位统一认证网关传来的用户名")
    session: Session = Field(Session(), description="登录的时限")
    header: Header | None = Field(None, description="header 方式：请求头名称和用户名单")

    @field_validator("mode", mode="before")
    @classmethod
    def _mode(cls, mode):
        if mode not in (PASSWORD, HEADER):
            raise refuse("登录方式“mode”应当是 password（本系统账号）或 header（单位统一认证网关传来的用户名），现在是“{written}”")
        return mode

    @model_validator(mode="after")
    def _header_mode_has_its_section(self):
        if self.mode == HEADER and self.header is None:
            raise refuse("登录方式为 header 时，必须写“header”一节（请求头名称和用户名单）")
        return self


def load_access(directory) -> tuple[AccessSettings | None, list[Problem]]:
    """Read and check `access.yaml` (optional: without it, accounts of this system and the default times)."""
    directory = Path(directory)
    problems: list[Problem] = []
    doc, check = read(directory, ACCESS_FILE, problems, required=False)
    if doc is None:
        return (None, problems) if problems else (AccessSettings(), [])
    if (doc := check.mapping(doc, 1, ACCESS_FILE)) is None:
        return None, problems
    access = check.validated(AccessFile, doc, ACCESS_FILE, {"cities": _cities_for_access(directory)},
                             here=doc.line_of("mode"))
    header = doc.get("header")
    users = header.get("users") if isinstance(header, YMap) else None
    seen: set[str] = set()
    for user in users if isinstance(users, YMap) else ():
        if (key := str(user).strip().lower()) in seen:
            check.error(users.line_of(user), f"用户“{user}”与前面的用户重名（用户名不区分大小写）")
        seen.add(key)
    if access is not None and access.mode == HEADER and not access.header.users and not problems:
        check.error(header.line, "header 一节的“users”中至少要登记一个用户，如 zhangsan: {role: 省级}")
    if problems:
        return None, sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))
    section = access.header
    grants = {str(user).strip().lower(): Grant(g.role, g.city) for user, g in (section.users if section else {}).items()}
    return AccessSettings(mode=access.mode, idle_minutes=access.session.idle_minutes,
                          max_hours=access.session.max_hours, header=section and section.name,
                          trusted_proxies=section.trusted_proxies if section else DEFAULTS.trusted_proxies,
                          logout_url=section and section.logout_url, users=grants, source=check.display), []


def _cities_for_access(directory: Path) -> dict[str, str] | None:
    """Every spelling of a city → code, or None when cities.yaml has problems of its own (reported by
    load_config; access.yaml is then checked without its cities)."""
    scratch: list[Problem] = []
    cities = load_cities(directory, scratch)
    if scratch:
        return None
    return {spelling: city.code for city in cities for spelling in filter(None, (city.code, city.name, city.short))}
