"""Importing person records: every file of one `records import` goes in together or not at all.

Each file is read as text (readers.py), its table known by its header (schemas.py), every cell checked and
converted in one DuckDB pass; a row with anything wrong is said (「第12行：身份证号校验位错误」) and then
nothing of any file is written. Clean rows go in one transaction with one import number, their 身份证号
replaced by the keyed hash (personid.py); the audit line is written in the same unit (`audit_unit`, given by
the actions layer). The files themselves are not kept (they hold the ids in clear, which the database never
does); their sha256 is, in person_import_files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager, closing, suppress
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from .. import clock
from ..config import Config
from ..errors import InputError
from . import personid
from .readers import read_table
from .schemas import Column, Table, recognise, tables
from .store import PersonStore

MAX_SHOWN = 200   # row errors listed; the count says how many more there were


class ImportRefused(InputError):
    """Nothing was imported: the problems, each a line of Chinese."""

    def __init__(self, problems: list[str], total: int | None = None):
        self.problems = problems
        self.total = total or len(problems)
        super().__init__(f"发现{self.total}处问题，所有文件都未导入，个人记录库保持不变")


@dataclass
class RecordFile:
    path: Path
    table: Table
    data: pa.Table
    how: str
    unit: str                       # 行 in a CSV, 条 in Parquet
    headers: dict[str, str]         # column code → the header it has in the file
    sha256: str = ""

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class ImportSummary:
    import_id: int
    rows: dict[str, int] = field(default_factory=dict)   # table code → rows

    def said(self) -> str:
        parts = "，".join(f"{tables()[code].name}{count}条" for code, count in self.rows.items())
        return f"已导入个人记录（第{self.import_id}次导入）：{parts}"


def read_files(paths) -> list[RecordFile]:
    files, problems = [], []
    for given in paths:
        path = Path(given)
        if not path.is_file():
            problems.append(f"{path}：文件不存在")
            continue
        try:
            data, how, unit = read_table(path)
        except InputError as exc:
            problems.append(str(exc))
            continue
        table, headers = recognise(data.column_names)
        if table is None:
            problems.append(f"{path.name}：表头不是任何一种个人记录表（{_expected()}）")
            continue
        with path.open("rb") as file:
            digest = hashlib.file_digest(file, "sha256").hexdigest()
        files.append(RecordFile(path, table, data, how, unit, headers, digest))
    if problems:
        raise ImportRefused(problems)
    return files


def _expected() -> str:
    return "；".join(f"{t.name}应有 " + "、".join(c.name for c in t.required()) for t in tables().values())


def import_files(store: PersonStore, config: Config, paths, key: bytes, who: str | None,
                 audit_unit: Callable[[str], AbstractContextManager]) -> ImportSummary:
    files = read_files(paths)
    with closing(duckdb.connect()) as con:
        _cities(con, config)
        for index, file in enumerate(files):
            con.register(f"raw_{index}", file.data)
            con.execute(f"CREATE TEMP TABLE staged_{index} AS {_converted(file, index)}")
        if store.exists():
            store.attach(con, write=False)
        problems, total = _problems(con, files, store.exists())
        if problems:
            raise ImportRefused(problems, total)
        _hashes(con, files, key)
        if store.exists():
            con.execute("DETACH p")
        store.attach(con, write=True)
        con.execute("BEGIN TRANSACTION")
        committed = False
        try:
            summary = _insert(con, files, who)
            with audit_unit(_detail(files, summary)):
                con.execute("COMMIT")
                committed = True
        except BaseException:
            if committed:  # the audit line failed after the data went in: take the import out again
                _undo(con, summary.import_id)
            else:
                with suppress(duckdb.Error):
                    con.execute("ROLLBACK")
            raise
    return summary


def _cities(con, config: Config) -> None:
    """Every way a city may be written (code, full name, short name) → its code."""
    names = [(c.code, c.code) for c in config.cities] + [(c.name, c.code) for c in config.cities] + \
            [(c.short, c.code) for c in config.cities if getattr(c, "short", None)]
    con.execute("CREATE OR REPLACE TEMP TABLE city_names (written VARCHAR, code VARCHAR)")
    con.executemany("INSERT INTO city_names VALUES (?, ?)", names)


def _text(file: RecordFile, column: Column) -> str:
    header = file.headers.get(column.code)
    if header is None:
        return "NULL::VARCHAR"
    quoted = '"' + header.replace('"', '""') + '"'
    return f"NULLIF(trim({quoted}), '')"


def _value(column: Column, text: str) -> str:
    """The cell converted to its stored type (NULL when it cannot be)."""
    date = lambda v, *formats: "coalesce(" + ", ".join(f"try_strptime({v}, '{f}')" for f in formats) + ")::DATE"  # noqa: E731
    return {
        "person_id": f"upper({text})",
        "text": text,
        "city": f"(SELECT code FROM city_names WHERE written = {text})",
        "date": date(text, "%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"),
        "month": f"date_trunc('month', {date(text, '%Y-%m', '%Y/%m', '%Y%m', '%Y-%m-%d')})::DATE",
        "money": f"TRY_CAST(replace({text}, ',', '') AS DECIMAL(12,2))",
        "integer": f"TRY_CAST({text} AS INTEGER)",
        "choice": "CASE " + " ".join(f"WHEN {text} IN ('{code}', '{label}') THEN '{code}'"
                                     for code, label in (column.choices or {}).items()) + " END",
    }[column.type]


def _problem(column: Column, text: str, value: str) -> str:
    """The words of what is wrong with the cell, or NULL."""
    shown = f"'，现在是“' || {text} || '”'"
    wrong = {
        "person_id": None,
        "text": None,
        "city": f"'{column.name}不是已知的市州（写代码、全称或简称）' || {shown}",
        "date": f"'{column.name}应为日期（如2003-01-31）' || {shown}",
        "month": f"'{column.name}应为年月（如2003-01）' || {shown}",
        "money": f"'{column.name}应为不小于0的金额（元）' || {shown}",
        "integer": f"'{column.name}应为不小于0的整数' || {shown}",
        "choice": f"'{column.name}应为' || '{'或'.join((column.choices or {}).values())}' || {shown}",
    }[column.type]
    cases = []
    if column.required:
        cases.append(f"WHEN {text} IS NULL THEN '缺少{column.name}'")
    if column.type == "person_id":
        cases.append(f"WHEN {text} IS NOT NULL THEN {personid.check_sql(text)}")
    elif wrong:
        bad = f"{value} IS NULL" if column.type not in ("money", "integer") else f"coalesce({value} < 0, true)"
        cases.append(f"WHEN {text} IS NOT NULL AND {bad} THEN {wrong}")
    return f"CASE {' '.join(cases)} END" if cases else "NULL::VARCHAR"


def _converted(file: RecordFile, index: int) -> str:
    """The file's rows with every column converted, and a list of what is wrong with each row."""
    texts = {c.code: _text(file, c) for c in file.table.columns}
    values = ", ".join(f"{_value(c, texts[c.code])} AS {c.code}" for c in file.table.columns)
    checks = ", ".join(_problem(c, texts[c.code], _value(c, texts[c.code])) for c in file.table.columns)
    return (f"SELECT source_line, {values}, list_filter([{checks}], lambda p: p IS NOT NULL) AS problems "
            f"FROM raw_{index}")


def _problems(con, files: list[RecordFile], stored: bool) -> tuple[list[str], int]:
    """Every row's problems, then keys given twice in this import, then payments of claims not known."""
    parts = []
    for index, file in enumerate(files):
        where = f"{_literal(file.name + '：第')} || source_line || '{file.unit}：'"
        parts.append(f"SELECT {index} AS f, source_line, {where} || unnest(problems) AS said FROM staged_{index}")
    for code, table in tables().items():
        mine = [(i, f) for i, f in enumerate(files) if f.table.code == code]
        if not mine:
            continue
        rows = " UNION ALL ".join(f"SELECT {i} AS f, {_literal(f.name)} AS file, '{f.unit}' AS unit, source_line, "
                                  f"{', '.join(table.key)} FROM staged_{i} WHERE len(problems) = 0" for i, f in mine)
        key = ", ".join(table.key)
        key_names = "、".join(table.column(k).name for k in table.key)
        parts.append(f"""
            SELECT f, source_line, file || '：第' || source_line || unit || '：与' || first_file || '第' ||
                   first_line || first_unit || '的{key_names}相同（同一记录在一次导入中只能出现一次）'
            FROM (SELECT *, first_value(file) OVER w AS first_file, first_value(source_line) OVER w AS first_line,
                         first_value(unit) OVER w AS first_unit, row_number() OVER w AS nth
                  FROM ({rows}) WINDOW w AS (PARTITION BY {key} ORDER BY f, source_line))
            WHERE nth > 1""")
    claims = [i for i, f in enumerate(files) if f.table.code == "claims"]
    known = " UNION ALL ".join(["SELECT claim_id FROM p.claims"] * stored + [f"SELECT claim_id FROM staged_{i}" for i in claims]
                               or ["SELECT NULL::VARCHAR WHERE false"])
    for index, file in enumerate(files):
        if file.table.code == "payments":
            parts.append(f"""
                SELECT {index}, source_line, {_literal(file.name + '：第')} || source_line || '{file.unit}：申领编号“' || claim_id ||
                       '”没有对应的失业保险金申领记录（本次导入的文件中和已导入的记录中都没有）'
                FROM staged_{index} WHERE len(problems) = 0 AND claim_id NOT IN ({known})""")
    query = " UNION ALL ".join(parts)
    total = con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]
    shown = [r[0] for r in con.execute(f"SELECT said FROM ({query}) ORDER BY f, source_line LIMIT {MAX_SHOWN}").fetchall()]
    if total > len(shown):
        shown.append(f"……另有{total - len(shown)}处问题未列出")
    return shown, total


def _literal(text: str) -> str:
    """A file's name as an SQL string (a name may hold a quote)."""
    return "'" + text.replace("'", "''") + "'"


def _hashes(con, files: list[RecordFile], key: bytes) -> None:
    """The keyed hash of every id in this import (once per person), as a table to join."""
    sources = [f"SELECT person_id FROM staged_{i}" for i, f in enumerate(files)
               if any(c.type == "person_id" for c in f.table.columns)]
    ids = [r[0] for r in con.execute(" UNION ".join(sources)).fetchall()] if sources else []
    frame = pa.table({"person_id": pa.array(ids, pa.string()),
                      "person_hash": pa.array([personid.keyed_hash(i, key) for i in ids], pa.string())})
    con.register("id_hashes", frame)


def _insert(con, files: list[RecordFile], who: str | None) -> ImportSummary:
    import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM p.person_imports").fetchone()[0]
    summary = ImportSummary(import_id)
    for index, file in enumerate(files):
        table = file.table
        columns = ", ".join("h.person_hash" if c.type == "person_id" else f"s.{c.code}" for c in table.columns)
        hashed = " LEFT JOIN id_hashes h USING (person_id)" if any(c.type == "person_id" for c in table.columns) else ""
        con.execute(f"INSERT INTO p.{table.code} SELECT {columns}, s.source_line, {import_id} "
                    f"FROM staged_{index} s{hashed}")
        con.execute("INSERT INTO p.person_import_files VALUES (?, ?, ?, ?, ?)",
                    [import_id, file.name, file.sha256, table.code, file.data.num_rows])
        summary.rows[table.code] = summary.rows.get(table.code, 0) + file.data.num_rows
    con.execute("INSERT INTO p.person_imports VALUES (?, ?, ?, ?)",
                [import_id, clock.now(), who, sum(summary.rows.values())])
    return summary


def _detail(files: list[RecordFile], summary: ImportSummary) -> str:
    return summary.said() + "。文件：" + "、".join(f"{f.name}（{f.how}，sha256 {f.sha256[:12]}）" for f in files)


def _undo(con, import_id: int) -> None:
    con.execute("BEGIN TRANSACTION")
    for code in tables():
        con.execute(f"DELETE FROM p.{code} WHERE import_id = ?", [import_id])
    con.execute("DELETE FROM p.person_import_files WHERE import_id = ?", [import_id])
    con.execute("DELETE FROM p.person_imports WHERE import_id = ?", [import_id])
    con.execute("COMMIT")
