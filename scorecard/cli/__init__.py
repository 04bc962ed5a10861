"""The `scorecard` command line (interfaces.md): exit 0 on success, 1 for invalid input, 2 for misuse.

Each command lives in a module of this package that defines `register(subparsers)`;
every command gets its config and database through the `Context`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import traceback
from pathlib import Path

from ..config import Config
from ..errors import InputError
from ..scoring import ScoringError
from ..store import Store, StoreError, resolve_db
from ..validation import load_config

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


class ChineseArgumentParser(argparse.ArgumentParser):
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
year_arg = _whole_number(1990, 2100, "年度应为四位整数")
positive_int = _whole_number(1, 2**31 - 1, "应为正整数")


def date_arg(text: str) -> dt.date | dt.datetime:
    try:
        return dt.datetime.fromisoformat(text) if any(c in text for c in "T ") else dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 2003-12-31（或 2003-12-31T18:00），现在是“{text}”") from None


class Context:
    """What every command needs: the checked config and the database."""

    def __init__(self, config_dir, db_path):
        self.config_dir = Path(config_dir)
        self.db_path = Path(db_path)

    def config(self) -> Config:
        config, problems = load_config(self.config_dir)
        if problems:
            for problem in problems:
                print(problem, file=sys.stderr)
            raise CliError(f"配置有{len(problems)}处问题，请先修正（scorecard validate 可单独检查）")
        return config

    def store(self) -> Store:
        return Store(self.db_path)

    def readable_store(self, config: Config) -> Store:
        """The database to read; built from the demo generator on first use when there is none."""
        store = self.store()
        if not store.exists():
            from ..demo import build_demo

            print(f"未找到数据库 {store.path}，已用演示数据新建（演示数据，非正式数据）", file=sys.stderr)
            build_demo(store, config)
        return store


def _commands():
    from . import check, data, export, history, results, warnletter, warnreport

    return [check, data, results, warnreport, warnletter, export, history]


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="scorecard", description="失业保险目标责任制考评系统：检查配置、导入数据、评分排名、基金预警、生成考评文件。")
    parser.add_argument("--config", default=None, metavar="DIR",
                        help="配置目录（默认 config/，或环境变量 SCORECARD_CONFIG）")
    parser.add_argument("--db", default=None, metavar="PATH",
                        help="数据库文件（默认 data/scorecard.duckdb，或环境变量 SCORECARD_DB）")
    subparsers = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    subparsers.required = True
    for module in _commands():
        module.register(subparsers)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    context = Context(args.config or os.environ.get("SCORECARD_CONFIG") or "config", resolve_db(args.db))
    try:
        return args.run(context, args) or EXIT_OK
    except CliError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.code
    except (StoreError, ScoringError, InputError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # never a traceback for the user; SCORECARD_DEBUG=1 shows it
        if os.environ.get("SCORECARD_DEBUG"):
            traceback.print_exc()
        print(f"内部错误：{type(exc).__name__}: {exc}（设置环境变量 SCORECARD_DEBUG=1 可查看详细信息）", file=sys.stderr)
        return EXIT_INVALID
