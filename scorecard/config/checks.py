"""Reading one config file and collecting its problems: `read` gives its YAML (with lines) and a FileCheck,
which says a problem at a line and validates an entry against a pydantic model (schema.py), its problems
said by the one translator (translate.py).

The typed helpers (`number`, `text`, `code`) read access.yaml, which is not on models yet.
"""

from __future__ import annotations

import math
from pathlib import Path

from pydantic import ValidationError

from .translate import NOTE_KEYS, given, translate, unknown_field
from .yamlsource import Problem, YList, YMap, line_of, load_yaml


class FileCheck:
    """Collects the problems of one file, with helpers for typed fields."""

    def __init__(self, display: str, problems: list[Problem]):
        self.display = display
        self.problems = problems

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.display, line or None, message))

    def validated(self, model, raw: YMap, what: str, context: dict | None = None, *, extra: str | None = None,
                  here: int | None = None):
        """`raw` as an instance of the pydantic `model`, or None with its problems (translate.py)."""
        try:
            return model.model_validate(given(raw), context=context)
        except ValidationError as error:
            self.problems.extend(translate(error, raw, model, what, self.display, extra=extra, here=here))
            return None

    def mapping(self, value, line: int, what: str) -> YMap | None:
        if isinstance(value, YMap):
            return value
        self.error(line_of(value, line), f"{what}应当是“键: 值”形式的映射")
        return None

    def sequence(self, value, line: int, what: str) -> YList | None:
        if isinstance(value, YList):
            return value
        self.error(line_of(value, line), f"{what}应当是列表（每项以“- ”开头）")
        return None

    def known_keys(self, mapping: YMap, allowed: set[str], what: str) -> None:
        """For a mapping whose keys no one model holds (a target: its terms, its method's, its bonus)."""
        for key in mapping:
            if key not in allowed and key not in NOTE_KEYS:
                self.error(mapping.line_of(key), unknown_field(what, key, allowed))

    def required(self, mapping: YMap, key: str, what: str):
        if key not in mapping or mapping[key] is None:
            self.error(mapping.line, f"{what}缺少字段“{key}”")
            return None
        return mapping[key]

    def number(self, mapping: YMap, key: str, what: str, *, minimum=None, above=None,
               maximum=None, integer=False, default=None):
        if key not in mapping or mapping[key] is None:
            return default
        value, line = mapping[key], mapping.line_of(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.error(line, f"{what}的“{key}”应当是数字，现在是“{value}”")
            return None
        if integer and value != int(value):
            self.error(line, f"{what}的“{key}”应当是整数，现在是{value}")
            return None
        if minimum is not None and value < minimum:
            self.error(line, f"{what}的“{key}”不能小于{minimum:g}，现在是{value:g}")
            return None
        if above is not None and value <= above:
            self.error(line, f"{what}的“{key}”必须大于{above:g}，现在是{value:g}")
            return None
        if maximum is not None and value > maximum:
            self.error(line, f"{what}的“{key}”不能大于{maximum:g}，现在是{value:g}")
            return None
        return int(value) if integer else float(value)

    def text(self, mapping: YMap, key: str, what: str, *, required=True) -> str | None:
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(mapping.line_of(key), f"{what}缺少“{key}”（不能为空）")
            return None
        if not isinstance(value, str):
            self.error(mapping.line_of(key), f"{what}的“{key}”应当是文字，现在是“{value}”")
            return None
        return value.strip()

    def code(self, mapping: YMap, key: str, what: str) -> str | None:
        """A code must be written as a quoted string: YAML would turn 220100 into a number."""
        if key not in mapping or mapping[key] is None:
            self.error(mapping.line, f"{what}缺少“{key}”")
            return None
        value = mapping[key]
        if isinstance(value, str):
            if not value.strip():
                self.error(mapping.line_of(key), f"{what}的“{key}”不能为空")
                return None
            return value.strip()
        written = mapping.text_of(key)
        self.error(mapping.line_of(key),
                   f"{what}的代码“{key}: {written}”没有加引号，请写成 {key}: \"{written}\""
                   "（不加引号时YAML会把它读成数字，前导0会被当作八进制）")
        return None


def read(directory: Path, relative: str, problems: list[Problem], required: bool = True):
    path = directory / relative
    display = str(path)
    if not path.exists():
        if required:
            problems.append(Problem(display, None, "缺少此文件"))
        return None, FileCheck(display, problems)
    value, found = load_yaml(path, display)
    problems.extend(found)
    return value, FileCheck(display, problems)
