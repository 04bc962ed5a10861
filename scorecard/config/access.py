"""access.yaml: how people sign in — accounts of this system, or the user name an organisation's single
sign-on gateway sends (header mode), with the session's idle and maximum times."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

from ..roles import CITY, ROLES, ROLE_ALIASES
from .files import ACCESS_FILE
from .model import HEADER, PASSWORD, AccessSettings, Grant
from .catalogue import load_cities
from .checks import FileCheck, read
from .translate import suggestion
from .yamlsource import Problem, YMap



def load_access(directory) -> tuple[AccessSettings | None, list[Problem]]:
    """Read and check `access.yaml` (optional: without it, accounts of this system and the default times)."""
    directory = Path(directory)
    problems: list[Problem] = []
    doc, check = read(directory, ACCESS_FILE, problems, required=False)
    if doc is None:
        return (None, problems) if problems else (AccessSettings(), [])
    doc = check.mapping(doc, 1, ACCESS_FILE)
    if doc is None:
        return None, problems
    check.known_keys(doc, {"mode", "session", "header"}, ACCESS_FILE)
    defaults = AccessSettings()
    mode = doc.get("mode", PASSWORD)
    if mode not in (PASSWORD, HEADER):
        check.error(doc.line_of("mode"), f"登录方式“mode”应当是 password（本系统账号）或 header（单位统一认证网关"
                                         f"传来的用户名），现在是“{mode}”")
    idle, longest = defaults.idle_minutes, defaults.max_hours
    if doc.get("session") is not None:
        session = check.mapping(doc["session"], doc.line_of("session"), "session")
        if session is not None:
            check.known_keys(session, {"idle_minutes", "max_hours"}, "session")
            idle = check.number(session, "idle_minutes", "session", minimum=1, maximum=1440, default=idle)
            longest = check.number(session, "max_hours", "session", above=0, maximum=720, default=longest)
    header = _access_header(check, doc, _cities_for_access(directory), mode == HEADER)
    if problems:
        return None, sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))
    return AccessSettings(mode=mode, idle_minutes=idle, max_hours=longest, source=check.display, **header), []


def _cities_for_access(directory: Path) -> dict[str, str] | None:
    """Every spelling of a city → code, or None when cities.yaml has problems of its own (reported by
    load_config; access.yaml is then checked without its cities)."""
    scratch: list[Problem] = []
    cities = load_cities(directory, scratch)
    if scratch:
        return None
    lookup = {}
    for city in cities:
        for spelling in filter(None, (city.code, city.name, city.short)):
            lookup[spelling] = city.code
    return lookup


def _access_header(check: FileCheck, doc: YMap, cities: dict[str, str] | None, required: bool) -> dict:
    if doc.get("header") is None:
        if required:
            check.error(doc.line_of("mode"), "登录方式为 header 时，必须写“header”一节（请求头名称和用户名单）")
        return {}
    raw = check.mapping(doc["header"], doc.line_of("header"), "header")
    if raw is None:
        return {}
    check.known_keys(raw, {"name", "trusted_proxies", "logout_url", "users"}, "header")
    name = check.text(raw, "name", "header")
    if name and not re.fullmatch(r"[A-Za-z0-9-]+", name):
        check.error(raw.line_of("name"), f"请求头名称“{name}”无效：只能有字母、数字和“-”，如 X-Remote-User")
    proxies = list(AccessSettings().trusted_proxies)
    if raw.get("trusted_proxies") is not None:
        listed = check.sequence(raw["trusted_proxies"], raw.line_of("trusted_proxies"), "trusted_proxies")
        proxies = []
        for index, item in enumerate(listed or []):
            try:
                ipaddress.ip_network(str(item), strict=False)
                proxies.append(str(item))
            except ValueError:
                check.error(listed.line_of(index), f"trusted_proxies 中的“{item}”不是IP地址或网段（如 127.0.0.1、10.0.0.0/8）")
    logout = check.text(raw, "logout_url", "header", required=False)
    if logout and not re.match(r"(https?://|/)", logout):
        check.error(raw.line_of("logout_url"), f"logout_url“{logout}”应以 https://、http:// 或 / 开头")
    users: dict[str, Grant] = {}
    entries = check.mapping(raw.get("users") if raw.get("users") is not None else YMap(), raw.line_of("users"),
                            "users")
    for user, entry in (entries or {}).items():
        line = entries.line_of(user)
        what = f"用户“{user}”"
        grant = _access_grant(check, entry, line, what, cities)
        key = str(user).strip().lower()
        if key in users:
            check.error(line, f"{what}与前面的用户重名（用户名不区分大小写）")
        elif grant is not None:
            users[key] = grant
    if required and entries is not None and not users and not any(p.file == check.display for p in check.problems):
        check.error(raw.line, "header 一节的“users”中至少要登记一个用户，如 zhangsan: {role: 省级}")
    return {"header": name, "trusted_proxies": tuple(proxies), "logout_url": logout, "users": users}


def _access_grant(check: FileCheck, entry, line: int, what: str, cities: dict[str, str] | None) -> Grant | None:
    entry = check.mapping(entry, line, what)
    if entry is None:
        return None
    check.known_keys(entry, {"role", "city"}, what)
    raw_role = entry.get("role")
    role = raw_role if raw_role in ROLES else ROLE_ALIASES.get(str(raw_role).strip().lower())
    if role is None:
        check.error(entry.line_of("role"), f"{what}的角色“{raw_role}”无效{suggestion(raw_role, ROLES)}"
                                            "（可选：省级、市州、数据管理员）")
        return None
    if role != CITY:
        if entry.get("city") is not None:
            check.error(entry.line_of("city"), f"{what}是{role}，可查看全部市州，不能写“city”")
            return None
        return Grant(role)
    city = check.code(entry, "city", f"{what}（市州）")
    if city is None:
        return None
    if cities is not None and city not in cities:
        check.error(entry.line_of("city"), f"{what}的市州“{city}”不在 cities.yaml 中{suggestion(city, cities)}")
        return None
    return Grant(role, cities[city] if cities else city)
