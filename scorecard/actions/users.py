"""Account changes, by a principal permitted to manage users (roles.MANAGE_USERS: 系统管理, 数据管理员, and the
person at the command line, who holds the data files): add an account, change or reset its password, disable
and enable it, lift a lockout, give it other roles and city. A refusal is written to the audit log; each change
and its audit line are one transaction (records.accounts). On the 用户管理 page and by `scorecard user`."""

from __future__ import annotations

from ..config import Config
from ..records import accounts, audit
from ..records.audit import Actor
from ..records.passwords import normalize_name, one_time_password
from ..records.store import Records
from ..roles import MANAGE_USERS, AccessDenied, Principal, require


def _permitted(records: Records, by: Principal, what: str, name: str, address: str | None) -> Actor:
    actor = Actor.of(by, address)
    try:
        require(by, MANAGE_USERS)
    except AccessDenied as refused:
        audit.record(records, actor, audit.DENIED, outcome=audit.REFUSED, target=refused.target,
                     detail=f"{what}（{normalize_name(name)}）：{refused}")
        raise
    return actor


def add_user(records: Records, by: Principal, name: str, role, city: str | None, password: str | None = None, *,
             config: Config | None = None, address: str | None = None) -> tuple[accounts.Account, str | None]:
    """A new account with one or more roles; without `password` a one-time password is made and returned (to be
    shown once), with it None is returned in its place."""
    actor = _permitted(records, by, "新增账号", name, address)
    made = one_time_password(normalize_name(name)) if password is None else None
    account = accounts.add_user(records, name, role, city, made or password, actor=actor, config=config)
    return account, made


def change_password(records: Records, by: Principal, name: str, password: str, *, address: str | None = None) -> None:
    accounts.set_password(records, name, password, actor=_permitted(records, by, "修改密码", name, address))


def reset_password(records: Records, by: Principal, name: str, *, address: str | None = None) -> str:
    """A new one-time password, returned to be shown once; the account's sign-ins end and a lockout is lifted."""
    actor = _permitted(records, by, "重设密码", name, address)
    password = one_time_password(normalize_name(name))
    accounts.set_password(records, name, password, actor=actor, detail="重设密码（一次性密码）")
    return password


def set_roles(records: Records, by: Principal, name: str, role, city: str | None, *, config: Config | None = None,
              address: str | None = None) -> accounts.Account:
    account = accounts.set_roles(records, name, role, city, actor=_permitted(records, by, "修改角色", name, address),
                                 config=config)
    return account


def disable(records: Records, by: Principal, name: str, *, address: str | None = None) -> None:
    accounts.set_disabled(records, name, True, actor=_permitted(records, by, "停用账号", name, address))


def enable(records: Records, by: Principal, name: str, *, address: str | None = None) -> None:
    accounts.set_disabled(records, name, False, actor=_permitted(records, by, "启用账号", name, address))


def unlock(records: Records, by: Principal, name: str, *, address: str | None = None) -> None:
    accounts.unlock(records, name, actor=_permitted(records, by, "解除锁定", name, address))
