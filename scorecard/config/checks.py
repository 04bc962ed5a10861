"""Reading one config file and collecting its problems: `read` gives its YAML (with lines) and a FileCheck,
which says a problem at a line and validates an entry against a pydantic model (schema.py), its problems
said by the one translator (translate.py)."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from .. import years

from .translate import NOTE_KEYS, given, translate, unknown_field
from .yamlsource import Problem, YList, YMap, line_of, load_yaml


class FileCheck:
    """Collects the problems of one file: its shape (mappings, lists, keys) and its entries (`validated`)."""

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


def year_named(path: Path, name: str, wrong: str, problems: list[Problem]) -> int | None:
    """The year a folder or file is named for (`name`, e.g. 2003), or None with the problem said: `wrong` when
    the name is no year at all."""
    if not re.fullmatch(r"\d{4}", name):
        problems.append(Problem(str(path), None, wrong))
        return None
    if not years.valid(int(name)):
        problems.append(Problem(str(path), None, years.refused(name)))
        return None
    return int(name)
