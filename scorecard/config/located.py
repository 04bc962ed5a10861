"""What a config file's values read with their lines are, and a problem found at one: without YAML, so that a
config taken from the cache (whose catalogue defaults are such mappings) does not import the parser."""

from __future__ import annotations

from dataclasses import dataclass


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
