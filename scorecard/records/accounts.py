"""Accounts (账号): who may sign in, with which roles and city, kept in the records store (records.store).

An account is added, has its password changed or reset, is disabled and enabled again, has a lockout lifted and
its roles and city changed; each change and its audit line are one transaction. An account's roles are kept
joined by 、 (roles.roles_text) in `users.role`. A change of password or a disabled account ends the account's
sign-ins at once. Demo accounts (demo-…) are made for a demo database only and sign in only while the data
database holds demo data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, delete, exists, func, select, update

from . import audit
from .passwords import check_name, one_time_password, check_password, hash_password, normalize_name
from .store import Records
from .tables import sessions, sign_in_failures, users
from .. import clock
from ..config import Config
from ..errors import InputError
from ..roles import ADMIN, CITY, PROVINCE, needs_city, roles_in, roles_problem, roles_text
from .audit import Actor

DEMO_PREFIX = "demo-"
DEMO_ON_REAL_DATA = "演示账号只能用于演示数据。数据库中已是正式数据，请用 scorecard user add 建立正式账号。"


@dataclass(frozen=True)
class Account:
    """An account as `scorecard user list` shows it: never the hash."""

    name: str
    role: str                   # the roles joined by 、
    city: str | None
    demo: bool
    disabled: bool
    created_at: dt.datetime
    password_changed_at: dt.datetime
    last_sign_in: dt.datetime | None
    locked_until: dt.datetime | None

    @property
    def roles(self) -> frozenset[str]:
        return roles_in(self.role)

    @property
    def state(self) -> str:
        """正常, 停用 or 锁定 (a disabled account stays 停用 while locked)."""
        return "停用" if self.disabled else "锁定" if self.locked_until else "正常"


def check_grant(config: Config | None, role, city: str | None) -> tuple[str, str | None]:
    """Roles (one, several joined by 、 or commas, or a collection) and a city checked: the roles as stored and
    the city's code (a 市州 role needs one; a provincial role takes none)."""
    chosen = roles_in(role)
    if problem := roles_problem(chosen):
        raise InputError(problem)
    text = roles_text(chosen)
    if needs_city(chosen):
        if not city or not str(city).strip():
            raise InputError("市州账号必须用 --city 指定所属市州")
        if config is not None:
            code = config.city_lookup.get(str(city).strip())
            if code is None:
                raise InputError(f"未知的市州“{city}”（可写代码、全称或简称，见市州名单文件 cities.yaml）")
            return text, code
        return text, str(city).strip()
    if city and str(city).strip():
        raise InputError(f"{text}账号可查看全部市州或不看市州的数据，不能指定 --city")
    return text, None


def _where(role: str, city: str | None) -> str:
    return role + (f"·{city}" if city else "")


def add_user(records: Records, name: str, role, city: str | None, password: str, *, actor: Actor,
             config: Config | None = None, demo: bool = False) -> Account:
    name = check_name(name)
    role, city = check_grant(config, role, city)
    check_password(password, name)
    password_hash = hash_password(password)
    now = clock.now()
    with records.write() as con:
        if con.execute(select(exists().where(users.c.name == name))).scalar():
            raise InputError(f"用户名“{name}”已存在（修改密码用 scorecard user passwd {name}）")
        con.execute(users.insert().values(name=name, role=role, city=city, password_hash=password_hash, demo=demo,
                                          disabled=False, created_at=now, password_changed_at=now))
        audit.insert(con, actor, audit.ACCOUNT, target=name,
                     detail=f"新增{'演示' if demo else ''}账号（{_where(role, city)}）", at=now)
    return next(a for a in accounts(records) if a.name == name)


def _existing(con, name: str) -> None:
    if not con.execute(select(exists().where(users.c.name == name))).scalar():
        raise InputError(f"没有用户名为“{name}”的账号（scorecard user list 可列出全部账号）")


def set_password(records: Records, name: str, password: str, *, actor: Actor, detail: str = "修改密码") -> None:
    """A new password; the account's sign-ins end and a lockout is lifted (`detail`: what the audit line says)."""
    name = normalize_name(name)
    check_password(password, name)
    password_hash = hash_password(password)
    now = clock.now()
    with records.write() as con:
        _existing(con, name)
        con.execute(update(users).where(users.c.name == name)
                    .values(password_hash=password_hash, password_changed_at=now))
        con.execute(delete(sign_in_failures).where(sign_in_failures.c.name == name))
        end_sessions_of(con, name, "修改密码", now)
        audit.insert(con, actor, audit.ACCOUNT, target=name, detail=detail, at=now)


def set_roles(records: Records, name: str, role, city: str | None, *, actor: Actor,
              config: Config | None = None) -> Account:
    """Other roles and city; the account's sign-ins end, so that its open tabs ask again with the new roles."""
    name = normalize_name(name)
    role, city = check_grant(config, role, city)
    now = clock.now()
    with records.write() as con:
        _existing(con, name)
        before = con.execute(select(users.c.role, users.c.city).where(users.c.name == name)).one()
        con.execute(update(users).where(users.c.name == name).values(role=role, city=city))
        end_sessions_of(con, name, "修改角色", now)
        audit.insert(con, actor, audit.ACCOUNT, target=name,
                     detail=f"修改角色：{_where(*before)} → {_where(role, city)}", at=now)
    return next(a for a in accounts(records) if a.name == name)


def set_disabled(records: Records, name: str, disabled: bool, *, actor: Actor) -> None:
    name = normalize_name(name)
    now = clock.now()
    with records.write() as con:
        _existing(con, name)
        con.execute(update(users).where(users.c.name == name).values(disabled=disabled))
        if disabled:
            end_sessions_of(con, name, "停用账号", now)
        audit.insert(con, actor, audit.ACCOUNT, target=name, detail="停用账号" if disabled else "启用账号", at=now)


def unlock(records: Records, name: str, *, actor: Actor) -> None:
    name = normalize_name(name)
    with records.write() as con:
        con.execute(delete(sign_in_failures).where(sign_in_failures.c.name == name))
        audit.insert(con, actor, audit.ACCOUNT, target=name, detail="解除锁定")


def end_sessions_of(con, name: str, why: str, now: dt.datetime) -> None:
    con.execute(update(sessions).where(and_(sessions.c.name == name, sessions.c.ended_at.is_(None)))
                .values(ended_at=now, end_reason=why))


def accounts(records: Records) -> list[Account]:
    locked = case((sign_in_failures.c.locked_until > clock.now(), sign_in_failures.c.locked_until))
    query = (select(users.c.name, users.c.role, users.c.city, users.c.demo, users.c.disabled, users.c.created_at,
                    users.c.password_changed_at, users.c.last_sign_in, locked)
             .select_from(users.outerjoin(sign_in_failures, users.c.name == sign_in_failures.c.name))
             .order_by(users.c.name))
    with records.read() as con:
        return [Account(*row) for row in con.execute(query)]


def has_accounts(records: Records) -> bool:
    with records.read() as con:
        return con.execute(select(func.count()).select_from(users)).scalar() > 0


def create_demo_accounts(records: Records, config: Config) -> list[tuple[Account, str]]:
    """On a demo database with no account at all: one account for each of the three bundles of roles
    (省级, 市州, 数据管理员 — together every one of the six roles) with a random password, to be shown once on the
    console. They sign in only while the data database holds demo data."""
    if has_accounts(records) or not config.cities:
        return []
    actor = Actor("scorecard demo", channel="命令行")
    first = config.cities[0]
    created = []
    for name, role, city in ((f"{DEMO_PREFIX}province", PROVINCE, None), (f"{DEMO_PREFIX}city", CITY, first.code),
                             (f"{DEMO_PREFIX}admin", ADMIN, None)):
        password = one_time_password(name)
        created.append((add_user(records, name, role, city, password, actor=actor, config=config, demo=True),
                        password))
    return created
