"""Reading officials' YAML files so that every value still knows its line.

PyYAML silently keeps the last of two equal keys and reports errors in
English; officials need `file:line: 中文说明`. We compose the node tree
ourselves, refuse duplicate keys, and hand back dicts and lists that carry
the line of each key and item.

Every config file is hostile until read: the tree is composed from the parser's
events in a loop (never by recursion), and a file is refused at the line where
it grows past what a config needs — a file larger than MAX_BYTES, nesting deeper
than MAX_DEPTH, more than MAX_NODES values, or aliases that would expand it past
one value per byte of the file (a "YAML bomb": nine lines of anchors can stand
for 9⁹ values).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .located import Problem, YList, YMap, line_of


MAX_BYTES = 4 << 20    # a cities.yaml of 10,000 units is 0.85 MB
MAX_DEPTH = 64         # the config files nest four levels deep
MAX_NODES = 200_000    # a cities.yaml of 10,000 units (with short names) holds 70,000
ALIAS_ALLOWANCE = 10_000  # values any file may expand to, however short, beyond one per byte of it
EXPLAINED_CHARACTERS = 64 << 10  # the pure-Python parser reads this much in a fraction of a second
MERGE, TIMESTAMP = "tag:yaml.org,2002:merge", "tag:yaml.org,2002:timestamp"
PLAIN_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
              "tag:yaml.org,2002:null", TIMESTAMP}
TOO_DEEP = f"列表或映射嵌套超过{MAX_DEPTH}层，远超配置文件所需，请检查此处的括号或“- ”"

_YAML_MESSAGES = [
    (r"found character '\\t' that cannot start any token", "不能用制表符（Tab）缩进，请改用空格"),
    (r"found character that cannot start any token", "此处有不能用作开头的字符（如制表符Tab、@、`）：缩进请用空格，"
                                                      "以这类字符开头的文字请加引号"),
    (r"could not find expected ':'", "缺少冒号“:”，或冒号后少了空格"),
    (r"mapping values are not allowed (here|in this context)", "此处不能出现“键: 值”，请检查缩进和冒号后的空格"),
    (r"expected <block end>, but found", "缩进不一致，请检查这一行与上一行的对齐"),
    (r"did not find expected (key|'-' indicator)", "缩进不一致或缺少“-”，请检查这一行的对齐"),
    (r"found unexpected end of stream", "引号或括号没有闭合"),
    (r"while scanning a quoted scalar", "引号没有闭合"),
    (r"expected ',' or '\}'", "花括号“{”没有闭合，或元素之间缺少逗号"),
    (r"expected ',' or '\]'", "方括号“[”没有闭合，或元素之间缺少逗号"),
    (r"found undefined alias", "引用了未定义的锚点（*别名）"),
    (r"did not find expected node content", "此处缺少内容"),
    (r"found unknown escape character", "双引号内有无法识别的转义字符“\\”"),
    (r"exceeded maximum nesting depth", TOO_DEEP),  # libyaml's own limit, met before ours in a flow collection
]


def _yaml_error_message(problem: str) -> str:
    for pattern, chinese in _YAML_MESSAGES:
        if re.search(pattern, problem or ""):
            return f"YAML格式错误：{chinese}"
    return f"YAML格式错误（{problem}），请检查缩进、冒号和引号"


class _Refused(Exception):
    """A file that no config needs to be, refused at a line."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _Open:
    """A sequence or mapping being composed: its node, its anchor, and the count of values before it opened."""

    __slots__ = ("node", "anchor", "before", "key")

    def __init__(self, node, anchor, before):
        self.node, self.anchor, self.before, self.key = node, anchor, before, None


def _compose(loader, budget: int):
    """The document's node tree, composed from the parser's events without recursion. `count` is the number of
    values the document stands for, an alias counting as all the values of its anchor; aliases may take it to
    `budget`."""
    loader.get_event()  # stream start
    if loader.check_event(yaml.StreamEndEvent):
        return None
    loader.get_event()  # document start
    anchors: dict[str, tuple[yaml.Node, int | None]] = {}  # anchor → node, values it stands for (None while open)
    stack: list[_Open] = []
    count = 0
    root = None
    while root is None:
        event = loader.get_event()
        kind = type(event)
        if kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
            done = stack.pop()
            node = done.node
            if done.anchor is not None:
                anchors[done.anchor] = (node, count - done.before)
        elif kind is yaml.AliasEvent:
            node, size = _alias(event, anchors)
            count += size
            if count > budget:
                raise _Refused(event.start_mark.line + 1,
                               f"别名“*{event.anchor}”展开后，本文件相当于超过{budget:,}个值：锚点和别名层层引用会让"
                               "很短的文件展开成极大的内容（“YAML炸弹”），请直接写出内容，不要这样引用")
        else:
            count += 1
            if count > MAX_NODES:
                raise _Refused(event.start_mark.line + 1,
                               f"文件中的值超过{MAX_NODES // 10_000}万个，远超配置文件所需，请检查是否选错了文件")
            anchor = event.anchor
            if anchor is not None and anchor in anchors:
                raise _Refused(event.start_mark.line + 1,
                               f"锚点“&{anchor}”重复定义（第{anchors[anchor][0].start_mark.line + 1}行已定义）")
            if kind is yaml.ScalarEvent:
                tag = event.tag
                if tag is None or tag == "!":
                    tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                node = yaml.ScalarNode(tag, event.value, event.start_mark, None, style=event.style)
                if anchor is not None:
                    anchors[anchor] = (node, 1)
            else:
                if len(stack) >= MAX_DEPTH:
                    raise _Refused(event.start_mark.line + 1, TOO_DEEP)
                node_kind = yaml.SequenceNode if kind is yaml.SequenceStartEvent else yaml.MappingNode
                tag = event.tag
                if tag is None or tag == "!":
                    tag = loader.resolve(node_kind, None, event.implicit)
                opened = _Open(node_kind(tag, [], event.start_mark, None, flow_style=event.flow_style), anchor,
                               count - 1)
                stack.append(opened)
                if anchor is not None:
                    anchors[anchor] = (opened.node, None)
                continue
        if not stack:
            root = node
            continue
        parent = stack[-1]
        if type(parent.node) is yaml.SequenceNode:
            parent.node.value.append(node)
        elif parent.key is None:
            parent.key = node
        else:
            parent.node.value.append((parent.key, node))
            parent.key = None
    loader.get_event()  # document end
    if not loader.check_event(yaml.StreamEndEvent):
        event = loader.get_event()
        raise yaml.composer.ComposerError("expected a single document in the stream", root.start_mark,
                                          "but found another document", event.start_mark)
    return root


def _alias(event, anchors) -> tuple:
    """The node an alias stands for and the number of values in it."""
    if event.anchor not in anchors:
        raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
    node, size = anchors[event.anchor]
    if size is None:
        raise _Refused(event.start_mark.line + 1,
                       f"别名“*{event.anchor}”引用了包含它自身的锚点“&{event.anchor}”，内容会无限展开")
    return node, size


class _Builder(yaml.constructor.SafeConstructor):
    """Dicts and lists with lines from a composed tree (at most MAX_DEPTH deep, so recursion is safe here)."""

    def __init__(self, file: str, problems: list[Problem]):
        super().__init__()
        self.file = file
        self.problems = problems

    def build(self, node):
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            result = YList(self.build(item) for item in node.value)
            result.line = node.start_mark.line + 1
            result.item_lines = [item.start_mark.line + 1 for item in node.value]
            return result
        try:
            if node.tag in PLAIN_TAGS:  # the constructor itself: construct_object's bookkeeping costs more
                return self.yaml_constructors[node.tag](self, node)
            return self.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError) as exc:
            # written as a date yet not a day of the calendar (2003-02-30), or an unknown !tag
            message = (f"“{node.value}”不是日历上的日期（如2月没有30日），请核对年月日" if node.tag == TIMESTAMP
                       else f"无法识别的值“{node.value}”：{exc}")
            self.problems.append(Problem(self.file, node.start_mark.line + 1, message))
            return node.value

    def _mapping(self, node) -> YMap:
        result = YMap()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        result.texts = {}
        merged = []
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == MERGE:
                merged.extend(self._merged(value_node, key_line))
                continue
            key = self.build(key_node)
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
        if not merged:
            return result
        # `<<: *defaults`: the merged keys come first, a key written beside the merge wins, an earlier merge
        # wins over a later one; each merged key keeps the line where it was written
        combined = YMap()
        combined.line, combined.key_lines, combined.texts = result.line, {}, {}
        for source in (*merged, result):
            for key, value in source.items():
                if key in result and source is not result:
                    continue
                if key not in combined:
                    combined[key] = value
                    combined.key_lines[key] = source.line_of(key)
                    if key in source.texts:
                        combined.texts[key] = source.texts[key]
        return combined

    def _merged(self, node, line: int) -> list[YMap]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        if all(isinstance(source, yaml.MappingNode) for source in sources):
            return [self._mapping(source) for source in sources]
        self.problems.append(Problem(self.file, line, "“<<”后应当是要合并的映射（如 <<: *默认值）或映射的列表"))
        return []


def _parse(text: str):
    """libyaml is ten times faster, which matters for thousands of contracts. On an error the pure-Python
    parser, whose messages are the ones translated above, is asked again — only about the text up to the line
    after the error, and only when that is short (it would take seconds over a large file)."""
    budget = min(MAX_NODES, ALIAS_ALLOWANCE + len(text))
    try:
        return _compose_text(getattr(yaml, "CSafeLoader", yaml.SafeLoader), text, budget)
    except yaml.YAMLError as exc:
        error = exc
    prefix = _through_line_after(text, getattr(error, "problem_mark", None) or getattr(error, "context_mark", None))
    if len(prefix) <= EXPLAINED_CHARACTERS:
        _compose_text(yaml.SafeLoader, prefix, budget)
    raise error


def _compose_text(loader_class, text: str, budget: int):
    loader = loader_class(text)
    try:
        return _compose(loader, budget)
    finally:
        loader.dispose()


def _through_line_after(text: str, mark) -> str:
    if mark is None:
        return text
    end = -1
    for _ in range(mark.line + 2):
        end = text.find("\n", end + 1)
        if end < 0:
            return text
    return text[:end + 1]


def load_yaml(path: Path, display: str) -> tuple[object | None, list[Problem]]:
    """Parse one YAML file; problems name `display` (the path shown to users)."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, [Problem(display, None, f"无法读取文件：{exc.strerror or exc}")]
    if len(raw) > MAX_BYTES:
        return None, [Problem(display, raw[:MAX_BYTES].count(b"\n") + 1,
                              f"文件超过{MAX_BYTES >> 20} MB（从此行起超出），远超配置文件所需（一万个市州的 cities.yaml "
                              "也不到1 MB），请检查是否选错了文件")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(display, line,
                              "文件不是UTF-8编码（此行有无法识别的字节），请用UTF-8编码另存（记事本“另存为”选UTF-8）")]
    problems: list[Problem] = []
    try:
        node = _parse(text)
    except _Refused as exc:
        return None, [Problem(display, exc.line, exc.message)]
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
