"""Account changes, made by the person at the command line (who holds the data files): add an account, change
its password, disable or enable it, lift a lockout. Each change and its audit line are one transaction
(records.accounts); the web app has no page that changes accounts."""

from __future__ import annotations

from . import hooks
from ..config import Config
from ..records import accounts
from ..records.audit import Actor
from ..records.store import Records
from ..roles import CLI, AccessDenied, Principal


def _require_console(by: Principal) -> Actor:
    if by.channel != CLI:
        raise AccessDenied("无权访问：账号只能在服务器上用 scorecard user 命令管理。", "账号管理")
    return Actor.of(by)


def add_user(records: Records, by: Principal, name: str, role: str, city: str | None, password: str, *,
             config: Config | None = None) -> accounts.Account:
    account = accounts.add_user(records, name, role, city, password, actor=_require_console(by), config=config)
    hooks.changed(hooks.ACCOUNTS)
    return account


def change_password(records: Records, by: Principal, name: str, password: str) -> None:
    accounts.set_password(records, name, password, actor=_require_console(by))
    hooks.changed(hooks.ACCOUNTS)


def disable(records: Records, by: Principal, name: str) -> None:
    accounts.set_disabled(records, name, True, actor=_require_console(by))
    hooks.changed(hooks.ACCOUNTS)


def enable(records: Records, by: Principal, name: str) -> None:
    accounts.set_disabled(records, name, False, actor=_require_console(by))
    hooks.changed(hooks.ACCOUNTS)


def unlock(records: Records, by: Principal, name: str) -> None:
    accounts.unlock(records, name, actor=_require_console(by))
    hooks.changed(hooks.ACCOUNTS)
