"""`scorecard user add | passwd | reset | roles | disable | enable | unlock | list` and `scorecard audit`.

A password is read from the terminal without echo (typed twice), or as one line from standard input
when that is not a terminal (`… user add li.si --role 市州 --city 220100 < file`); never from the command
line, where it would stay in the shell's history. `user add --one-time` and `user reset` make a one-time
password instead and print it, once: the only password this module prints; never a hash.
`--role` may be given several times, or with several roles joined by commas or 、.
"""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import sys

from .. import formatting as fmt
from ..actions import users
from ..records import accounts, audit
from ..records.audit import ACTIONS
from ..records.passwords import normalize_name
from ..roles import ROLE_JOINER, ROLES
from . import CliError

ROLE_HELP = (f"角色，可写多次或用逗号分隔：{ROLE_JOINER.join(ROLES)}"
             "（也可写 city-report、city-view、province-view、province-review、assessor、sysadmin，"
             "或 province、city、admin）；市州角色不能与省级角色兼任")

# action: (help, the change, what is said when done)
SWITCHES = {
    "disable": ("停用账号（该账号已有的登录随即失效）", users.disable, "已停用账号 {}；该账号已有的登录已失效"),
    "enable": ("重新启用账号", users.enable, "已启用账号 {}"),
    "unlock": ("解除因连续输错密码造成的锁定", users.unlock, "已解除 {} 的锁定"),
}


def register(subparsers) -> None:
    user = subparsers.add_parser("user", help="管理登录账号：新增、修改或重设密码、修改角色、停用、启用、解除锁定、列出")
    actions = user.add_subparsers(dest="action", metavar="操作", required=True)
    add = actions.add_parser("add", help="新增账号（密码在终端输入两次，或从标准输入读一行；--one-time 则生成一次性密码）")
    add.add_argument("name", metavar="用户名")
    add.add_argument("--role", required=True, action="append", help=ROLE_HELP)
    add.add_argument("--city", help="市州角色所属的市州：代码、全称或简称")
    add.add_argument("--one-time", action="store_true", help="生成一次性密码并显示一次（不读入密码）")
    add.set_defaults(run=run_add)
    parser = actions.add_parser("passwd", help="修改密码（该账号已有的登录随即失效）")
    parser.add_argument("name", metavar="用户名")
    parser.set_defaults(run=run_passwd)
    parser = actions.add_parser("reset", help="重设密码：生成一次性密码并显示一次（该账号已有的登录随即失效，锁定解除）")
    parser.add_argument("name", metavar="用户名")
    parser.set_defaults(run=run_reset)
    parser = actions.add_parser("roles", help="修改账号的角色和所属市州（该账号已有的登录随即失效）")
    parser.add_argument("name", metavar="用户名")
    parser.add_argument("--role", required=True, action="append", help=ROLE_HELP)
    parser.add_argument("--city", help="市州角色所属的市州：代码、全称或简称")
    parser.set_defaults(run=run_roles)
    for action, (text, change, done) in SWITCHES.items():
        parser = actions.add_parser(action, help=text)
        parser.add_argument("name", metavar="用户名")
        parser.set_defaults(run=functools.partial(run_switch, change, done))
    listing = actions.add_parser("list", help="列出全部账号（不显示密码）")
    listing.set_defaults(run=run_list)

    log = subparsers.add_parser("audit", help="查看审计日志（登录、导入、导出、预警报告、账号变更等）")
    log.add_argument("--limit", type=int, default=50, help="最多列出多少条（默认50，最新的在前）")
    log.add_argument("--who", help="只看某个用户")
    log.add_argument("--action", choices=ACTIONS, help="只看某类操作")
    log.set_defaults(run=run_audit)


def read_password(prompt: str = "密码：") -> str:
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("再输入一次：") != first:
            raise CliError("两次输入的密码不一致，未做任何改动")
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    password = line.rstrip("\r\n")
    if not password:
        raise CliError("没有读到密码：请在终端中运行，或从标准输入提供一行密码")
    return password


def run_add(context, args) -> int:
    config = context.config()
    account, made = users.add_user(context.records(), context.principal(), args.name, args.role, args.city,
                                   None if args.one_time else read_password(), config=config)
    print(f"已新增账号 {account.name}：{_grant(account, config)}")
    if made:
        print(_one_time(made))
    return 0


def _one_time(password: str) -> str:
    return f"一次性密码：{password}\n（只显示这一次，请当面或以其他安全方式交给本人）"


def run_reset(context, args) -> int:
    password = users.reset_password(context.records(), context.principal(), args.name)
    print(f"已重设 {normalize_name(args.name)} 的密码；该账号已有的登录已失效，锁定已解除")
    print(_one_time(password))
    return 0


def run_roles(context, args) -> int:
    config = context.config()
    account = users.set_roles(context.records(), context.principal(), args.name, args.role, args.city, config=config)
    print(f"已修改 {account.name} 的角色：{_grant(account, config)}；该账号已有的登录已失效")
    return 0


def run_passwd(context, args) -> int:
    users.change_password(context.records(), context.principal(), args.name, read_password("新密码："))
    print(f"已修改 {normalize_name(args.name)} 的密码；该账号已有的登录已失效")
    return 0


def run_switch(change, done: str, context, args) -> int:
    change(context.records(), context.principal(), args.name)
    print(done.format(normalize_name(args.name)))
    return 0


def _grant(account, config) -> str:
    if account.city is None:
        return account.role
    name = config.city(account.city).name if config and account.city in config.city_lookup else account.city
    return f"{account.role}（{name}）"


def _when(moment: dt.datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "—"


def run_list(context, args) -> int:
    listed = accounts.accounts(context.records())
    if not listed:
        print("还没有任何账号。新增：scorecard user add 用户名 --role 角色 [--role 角色…] [--city 市州]")
        return 0
    config = context.config_or_none()
    rows = []
    for a in listed:
        state = "已停用" if a.disabled else (f"锁定至{a.locked_until:%H:%M}" if a.locked_until else a.state)
        rows.append([a.name, _grant(a, config), "演示账号" if a.demo else "", state, _when(a.last_sign_in),
                     _when(a.password_changed_at)])
    print(fmt.text_table(["用户名", "角色", "说明", "状态", "最近登录", "密码修改时间"], rows))
    return 0


def run_audit(context, args) -> int:
    entries = audit.entries(context.records(), limit=args.limit, who=args.who, action=args.action)
    if not entries:
        print("审计日志中没有符合条件的记录")
        return 0
    rows = [[f"{e.at:%Y-%m-%d %H:%M:%S}", e.who, e.role or "", e.channel, e.action, e.outcome, e.target or "",
             e.detail or ""] for e in entries]
    print(fmt.text_table(["时间", "用户", "角色", "来源", "操作", "结果", "对象", "说明"], rows))
    return 0
