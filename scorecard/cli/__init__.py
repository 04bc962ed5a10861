"""The `scorecard` command line (interfaces.md): exit 0 on success, 1 for invalid input, 2 for misuse.

Each command lives in a module of this package that defines `register(subparsers)`, named in COMMANDS;
every command gets its config and database through the `Context`.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import importlib
import os
import re
import shlex
import sys
import threading
from pathlib import Path

from typing import TYPE_CHECKING

from .. import years
from ..config import Config
from ..errors import InputError
from ..data.normalize import parse_year
from ..assessment.scoring import ScoringError
from ..data.store import Store, StoreError, missing_text, resolve_db
from ..config import load_config

if TYPE_CHECKING:
    from ..records import audit
    from ..records.store import Records
    from ..roles import Principal

EXIT_OK, EXIT_INVALID, EXIT_MISUSE = 0, 1, 2


class CliError(Exception):
    """Stop the command with a Chinese message on stderr."""

    def __init__(self, message: str, code: int = EXIT_INVALID):
        super().__init__(message)
        self.code = code


def _chinese_argparse_message(message: str) -> str:
    patterns = [
        (r"argument 命令: invalid choice: '(.*?)' \(choose from (.*)\)", "没有“{0}”这个命令，可用的命令：{1}"),
        (r"the following arguments are required: (.*)", "缺少必需的参数：{0}"),
        (r"argument (\S+): invalid int value: '(.*)'", "参数 {0} 应为整数，现在是“{1}”"),
        (r"argument (\S+): invalid choice: '(.*?)' \(choose from (.*)\)", "参数 {0} 的值“{1}”无效，可选：{2}"),
        (r"argument (\S+): expected one argument", "参数 {0} 后面缺少值"),
        (r"unrecognized arguments: (.*)", "无法识别的参数：{0}"),
        (r"argument (\S+): (.*)", "参数 {0}：{1}"),
    ]
    for pattern, chinese in patterns:
        match = re.search(pattern, message)
        if match:
            return chinese.format(*match.groups())
    return message


_HELP_WORDS = (("usage: ", "用法："), ("positional arguments:", "参数："), ("options:", "选项："),
               ("show this help message and exit", "显示本帮助并退出"))


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its own words in Chinese too (the headings of --help, the usage line, the errors)."""

    def _chinese(self, text: str) -> str:
        for english, chinese in _HELP_WORDS:
            text = text.replace(english, chinese)
        return text

    def format_usage(self) -> str:
        return self._chinese(super().format_usage())

    def format_help(self) -> str:
        return self._chinese(super().format_help())

    def error(self, message):  # argparse exits 2 on misuse; keep that, say it in Chinese
        self.print_usage(sys.stderr)
        self.exit(EXIT_MISUSE, f"错误：{_chinese_argparse_message(message)}\n")


def _whole_number(low: int, high: int, requirement: str):
    """An argparse type: a whole number in [low, high], refused with `requirement` in the message."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{requirement}，现在是“{text}”")
        return value

    return parse


month_arg = _whole_number(1, 12, "月份应为1至12的整数")
positive_int = _whole_number(1, 2**31 - 1, "应为正整数")


def year_arg(text: str) -> int:
    """An argparse type: a year of the range every part of the scorecard holds (years.py)."""
    year = parse_year(text)
    if year is None:
        raise argparse.ArgumentTypeError(years.refused(text))
    return year


def date_arg(text: str) -> dt.date | dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text) if any(c in text for c in "T ") else dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 2003-12-31（或 2003-12-31T18:00），现在是“{text}”") from None
    return dated_in_range(value, text)


def dated_in_range(value: dt.date, text: str) -> dt.date:
    """A date typed on the command line, refused when its year is outside the scorecard's years."""
    if not years.valid(value.year):
        raise argparse.ArgumentTypeError(f"日期“{text}”的{years.refused(value.year)}")
    return value


class Context:
    """What every command needs: the checked config, the database, and who is running it (for the audit log).

    The records store (SQLAlchemy) and the audit log are imported by the commands that use them only: importing
    them was a third of a `scorecard score`."""

    def __init__(self, config_dir, db_path, operator: str | None = None):
        self.config_dir = Path(config_dir)
        self.db_path = Path(db_path)
        self._operator = operator

    @property
    def operator(self) -> str:
        """--user, else the operating system's user (records.audit.os_user)."""
        if self._operator is None:
            from ..records.audit import os_user

            self._operator = os_user()
        return self._operator

    def actor(self) -> audit.Actor:
        from ..records import audit
        from ..roles import CLI

        return audit.Actor(self.operator, channel=CLI)

    def principal(self) -> Principal:
        """Who runs the command, for the actions layer: the person at the console (roles.operator)."""
        from ..roles import operator

        return operator(self.operator)

    def records(self) -> Records:
        """Accounts, the audit log and warning reports, beside the database (records/store.py says why)."""
        from ..records.store import Records

        return Records.beside(self.db_path)

    def config_or_none(self) -> Config | None:
        return load_config(self.config_dir, cache=True)[0]

    def config(self) -> Config:
        config, problems = load_config(self.config_dir, cache=True)
        if problems:
            for problem in problems:
                print(problem, file=sys.stderr)
            raise CliError(f"配置有{len(problems)}处问题，请先修正（scorecard validate 可单独检查）")
        return config

    def store(self) -> Store:
        return Store(self.db_path)

    def existing_store(self) -> Store:
        """The database to read or add to: one that is missing is said so, never created (only `import` and
        `demo` create a database)."""
        store = self.store()
        if not store.exists():
            raise CliError(missing_text(store.path))
        return store


# command → the module of this package that registers it, in the order `scorecard --help` lists them; a command's
# module alone is imported to run it (importing all of them cost every command about 0.1 s)
COMMANDS = {"validate": "check", "demo": "data", "import": "data", "template": "data", "score": "results",
            "warn": "results", "warn-report": "warnreport", "warn-letter": "warnletter", "export": "export",
            "package": "package", "contract": "contract", "history": "history", "user": "users", "audit": "users",
            "assess": "assess", "publish": "publish", "publications": "publish", "rectification": "rectification",
            "robustness": "robustness", "targets": "targets", "records": "records", "forecast": "forecast"}


def _add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default=None, metavar="DIR",
                        help="配置目录（默认 config/，或环境变量 SCORECARD_CONFIG）")
    parser.add_argument("--db", default=None, metavar="PATH",
                        help="数据库文件（默认 data/scorecard.duckdb，或环境变量 SCORECARD_DB）")
    parser.add_argument("--user", default=None, metavar="NAME",
                        help="审计日志中记录的操作人（默认为当前操作系统用户）")


def _command_of(argv: list[str]) -> str | None:
    """The command `argv` names (after the options every command takes), when it is one of COMMANDS."""
    options = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    _add_options(options)
    try:
        rest = options.parse_known_args(argv)[1]
    except argparse.ArgumentError:  # a misused option: the whole parser says so
        return None
    named = next((word for word in rest if not word.startswith("-")), None)
    return named if named in COMMANDS else None


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or — given the arguments — of the command they name alone."""
    parser = ChineseArgumentParser(
        prog="scorecard", description="失业保险目标责任制考评系统：检查配置、导入数据、评分排名、基金预警、生成考评文件。")
    _add_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    subparsers.required = True
    named = None if argv is None else _command_of(argv)
    for module in dict.fromkeys(COMMANDS.values()) if named is None else (COMMANDS[named],):
        importlib.import_module(f"{__name__}.{module}").register(subparsers)
    return parser


def _audited(args) -> str | None:
    """The audit action of a command that hands documents out (a write — import, warning report, account,
    demo — has its line written by its action, scorecard.actions, in the write's transaction)."""
    if args.command not in ("export", "package"):
        return None
    from ..records import audit

    return audit.EXPORT


def _record(context: Context, action: str, argv: list[str], code: int) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from ..records import audit

    records = context.records()
    if not context.store().exists() and records.path is not None and not records.path.exists():
        return  # no audit log is started beside a database that is not there (nothing was done to it)
    try:
        audit.record(records, context.actor(), action, outcome=audit.SUCCEEDED if code == EXIT_OK else audit.FAILED,
                     detail="scorecard " + shlex.join(argv))
    except (StoreError, OSError, SQLAlchemyError) as exc:
        print(f"警告：未能写入审计日志：{exc}", file=sys.stderr)


def main(argv=None, *, ending: bool = False) -> int:
    """Run one command; its exit code. `ending`: the process ends when this returns (the shell's `scorecard`,
    `python -m scorecard`), and a command that only reads and prints ends it at once (`_end_now`)."""
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    args = build_parser(argv).parse_args(argv)
    context = Context(args.config or os.environ.get("SCORECARD_CONFIG") or "config", resolve_db(args.db),
                      args.user or None)
    code = _run(context, args)
    action = _audited(args)
    if action:
        _record(context, action, argv, code)
    if ending and getattr(args, "quick_exit", False):
        _end_now(code)
    return code


def entry() -> int:
    """The `scorecard` command of the shell (pyproject's script) and `python -m scorecard`: they exit with its code."""
    return main(ending=True)


def _end_now(code: int) -> None:
    """End the process as Python's exit would, less the interpreter's teardown — every module and object freed one
    by one, DuckDB's database closed: 0.05 s of a `scorecard score` at 9 units as at 2,800, for a command that only
    reads and prints (`quick_exit` in its defaults: score, warn). What Python runs before its teardown runs here
    too: the functions registered with atexit, then the output flushed. With another thread still running (Python
    waits for it first), under `python -i`, a profiler or a tracer (cProfile, coverage: they write their figures
    once the command is done), or when the output cannot be flushed, the ordinary exit is left to do it all as
    before. The records store's pooled connections (decisions read by `score`) are closed first, as the teardown
    closed them: a PostgreSQL server told, SQLite's write-ahead log folded into its file."""
    if threading.active_count() > 1 or sys.flags.inspect or sys.getprofile() or sys.gettrace():
        return
    records = sys.modules.get("scorecard.records.store")
    if records is not None:
        records.forget_engines()
    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except OSError:  # a closed pipe or a full disk: Python's exit says so and exits 120
        return
    os._exit(code)


def _run(context: Context, args) -> int:
    try:
        return args.run(context, args) or EXIT_OK
    except CliError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.code
    except (StoreError, ScoringError, InputError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_INVALID
    except _records_error() as exc:  # the records store unreachable or damaged: say where, and the driver's words
        print(f"错误：无法使用记录库（账号、审计日志、预警报告）{context.records()!r}：{str(exc.orig or exc).strip()}",
              file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # never a traceback for the user; SCORECARD_DEBUG=1 shows it
        if os.environ.get("SCORECARD_DEBUG"):
            import traceback  # only then (with linecache and tokenize)

            traceback.print_exc()
        print(f"内部错误：{type(exc).__name__}: {exc}（设置环境变量 SCORECARD_DEBUG=1 可查看详细信息）", file=sys.stderr)
        return EXIT_INVALID


class _NeverRaised(Exception):
    pass


def _records_error() -> type[Exception]:
    """SQLAlchemy's errors — when a command has imported it: a command that never did cannot have raised one."""
    module = sys.modules.get("sqlalchemy.exc")
    return module.SQLAlchemyError if module is not None else _NeverRaised


def json_out(data) -> str:
    """A command's JSON: indented when a person reads it on a terminal, compact for a program (half the time)."""
    from ..report.serialize import to_json

    return to_json(data, pretty=sys.stdout.isatty())
