"""Reading officials' YAML files so that every value still knows its line.

PyYAML silently keeps the last of two equal keys and reports errors in
English; officials need `file:line: 中文说明`. We compose the node tree
ourselves, refuse duplicate keys, and hand back dicts and lists that carry
the line of each key and item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, said in Chinese."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class YMap(dict):
    """A mapping that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict
    texts: dict  # the text as written, for scalar values

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)

    def text_of(self, key) -> str:
        return self.texts.get(key, str(self.get(key)))


class YList(list):
    """A sequence that remembers its own line and the line of each item."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


def line_of(value, default: int = 0) -> int:
    return getattr(value, "line", default) or default


_YAML_MESSAGES = [
    (r"found character '\\t' that cannot start any token", "不能用制表符（Tab）缩进，请改用空格"),
    (r"could not find expected ':'", "缺少冒号“:”，或冒号后少了空格"),
    (r"mapping values are not allowed here", "此处不能出现“键: 值”，请检查缩进和冒号后的空格"),
    (r"expected <block end>, but found", "缩进不一致，请检查这一行与上一行的对齐"),
    (r"did not find expected key", "缩进不一致或缺少“-”，请检查这一行的对齐"),
    (r"found unexpected end of stream", "引号或括号没有闭合"),
    (r"while scanning a quoted scalar", "引号没有闭合"),
    (r"expected ',' or '\}'", "花括号“{”没有闭合，或元素之间缺少逗号"),
    (r"expected ',' or '\]'", "方括号“[”没有闭合，或元素之间缺少逗号"),
    (r"found undefined alias", "引用了未定义的锚点（*别名）"),
    (r"did not find expected node content", "此处缺少内容"),
    (r"found unknown escape character", "双引号内有无法识别的转义字符“\\”"),
]


def _yaml_error_message(problem: str) -> str:
    for pattern, chinese in _YAML_MESSAGES:
        if re.search(pattern, problem or ""):
            return f"YAML格式错误：{chinese}"
    return f"YAML格式错误（{problem}），请检查缩进、冒号和引号"


class _Builder(yaml.constructor.SafeConstructor):
    def __init__(self, file: str, problems: list[Problem]):
        super().__init__()
        self.file = file
        self.problems = problems

    def build(self, node):
        if isinstance(node, yaml.MappingNode):
            result = YMap()
            result.line = node.start_mark.line + 1
            result.key_lines = {}
            result.texts = {}
            for key_node, value_node in node.value:
                key = self.build(key_node)
                key_line = key_node.start_mark.line + 1
                if isinstance(key, (YMap, YList)):
                    self.problems.append(Problem(self.file, key_line, "键不能是列表或映射"))
                    continue
                if key in result:
                    self.problems.append(Problem(
                        self.file, key_line,
                        f"键“{key}”重复（第{result.key_lines[key]}行已出现），YAML只会保留后一个，请删除或合并其中一个"))
                    continue
                result[key] = self.build(value_node)
                result.key_lines[key] = key_line
                if isinstance(value_node, yaml.ScalarNode):
                    result.texts[key] = value_node.value
            return result
        if isinstance(node, yaml.SequenceNode):
            result = YList(self.build(item) for item in node.value)
            result.line = node.start_mark.line + 1
            result.item_lines = [item.start_mark.line + 1 for item in node.value]
            return result
        try:
            return self.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError) as exc:
            # an impossible date such as 2003-02-30, or an unknown !tag
            self.problems.append(Problem(self.file, node.start_mark.line + 1, f"无法识别的值“{node.value}”：{exc}"))
            return node.value


def _compose(text: str):
    """libyaml is ten times faster, which matters for thousands of contracts; on an error the pure-Python
    parser is asked again, because its messages are the ones translated above."""
    try:
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)


def load_yaml(path: Path, display: str) -> tuple[object | None, list[Problem]]:
    """Parse one YAML file; problems name `display` (the path shown to users)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, None, f"无法读取文件：{exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(display, line,
                              "文件不是UTF-8编码（此行有无法识别的字节），请用UTF-8编码另存（记事本“另存为”选UTF-8）")]
    problems: list[Problem] = []
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = _yaml_error_message(exc.problem or str(exc))
        if exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
            message += f"（从第{exc.context_mark.line + 1}行开始）"
        return None, [Problem(display, line, message)]
    except yaml.YAMLError as exc:
        return None, [Problem(display, None, _yaml_error_message(str(exc)))]
    if node is None:
        return None, [Problem(display, 1, "文件是空的")]
    return _Builder(display, problems).build(node), problems
