"""The tables of person records, as data (schemas.yaml), checked by pydantic when the package loads."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, RootModel, model_validator

TYPES = ("person_id", "text", "city", "date", "month", "money", "integer", "choice")
# how each type is stored (a person_id as its keyed hash, a month as its first day)
STORED = {"person_id": "VARCHAR", "text": "VARCHAR", "city": "VARCHAR", "date": "DATE", "month": "DATE",
          "money": "DECIMAL(12,2)", "integer": "INTEGER", "choice": "VARCHAR"}


class Column(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str
    name: str
    type: Literal[TYPES]
    required: bool = True
    mask: Literal["name"] | None = None
    choices: dict[str, str] | None = None

    def header_names(self) -> tuple[str, str]:
        return self.code, self.name


class Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str = ""
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    @model_validator(mode="after")
    def _key_is_columns(self):
        codes = {c.code for c in self.columns}
        missing = [k for k in self.key if k not in codes]
        if missing:
            raise ValueError(f"key 中的 {missing} 不是本表的列")
        return self

    def column(self, code: str) -> Column:
        return next(c for c in self.columns if c.code == code)

    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    def ddl(self) -> str:
        """The stored table: every column, the line of the file it came from and the import that brought it."""
        columns = ", ".join(f"{c.code} {STORED[c.type]}" for c in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {self.code} ({columns}, source_line INTEGER, import_id INTEGER NOT NULL)"


class Schemas(RootModel[dict[str, Table]]):
    pass


@cache
def tables() -> dict[str, Table]:
    text = (Path(__file__).with_name("schemas.yaml")).read_text(encoding="utf-8")
    parsed = Schemas.model_validate(yaml.safe_load(text)).root
    return {code: table.model_copy(update={"code": code}) for code, table in parsed.items()}


def recognise(header: list[str]) -> tuple[Table | None, dict[str, str]]:
    """The table whose required columns a file's header has (by code or Chinese name), and the header's name
    of each column found; the table with most columns found when several fit."""
    cleaned = {h.strip().lstrip("\ufeff"): h for h in header}
    best, best_found = None, {}
    for table in tables().values():
        found = {c.code: cleaned[n] for c in table.columns for n in c.header_names() if n in cleaned}
        if all(c.code in found for c in table.required()) and len(found) > len(best_found):
            best, best_found = table, found
    return best, best_found
