"""Importing monthly actuals: a file goes in whole or not at all, and nothing imported is lost.

`prepare` reads a file — long or wide CSV/xlsx, or a filled monthly report template — checks
every cell in DuckDB (no Python loop per row) and stages the clean values in a DuckDB file of
its own, without touching the database. The `PreparedImport` it returns holds the problems
(row and column, in Chinese), a preview and a summary of what would change; `commit` merges
the staged values in one short write transaction, keeps every replaced value in
`actuals_history`, a copy of the original file beside the database and a line in the audit log:
all three or none (see `PreparedImport.commit`). A file that changes nothing writes nothing.
A full disk, a read-only folder or an audit log that cannot be written is said in Chinese
(`ImportFailed`), with everything left as it was. The cells are checked in `checking`, the unit is
written by `unit`; an import is started by the actions layer (scorecard.actions.imports).
"""

from __future__ import annotations

import re
import secrets
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from .. import errors, private
from . import template, unit
from ..records.store import Records
from ..records.audit import Actor
from ..config import Config
from . import checking, rulecheck
from .checking import LINE_BITS, Part
from .history import OriginalCopy
from .layouts import recognise, typed_src
from .normalize import Names
from .sheets import (PLAIN, FileScan, SheetError, csv_grid, csv_head, open_workbook, plain_head, readable_csv, scan,
                     sheet_rows)
from .staging import Staging
from .store import Aside, Store, has_schema, query
from .unit import ImportFailed, ImportResult, failing_as, incoming
from ..config.yamlsource import Problem

STAGING_MEMORY = "256MB"  # DuckDB's own limit; it spills to disk beyond
_NO_ACTUALS = ("(SELECT NULL::SMALLINT AS year, NULL::TINYINT AS month, NULL::VARCHAR AS city, "
               "NULL::VARCHAR AS measure, NULL::DOUBLE AS value WHERE false)")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
OLD_EXCEL = (".xls", ".et")
CHANGES = {"new": "新增", "replaced": "替换", "unchanged": "未变"}
PREVIEW_COLUMNS = {"line": "行号", "year": "年度", "month": "月份", "city": "市州代码", "city_name": "市州",
                   "measure": "统计项代码", "measure_name": "统计项", "unit": "单位", "value": "数值",
                   "old_value": "原值", "change": "变化"}


class PreparedImport:
    """A checked, staged file: look at it (problems, preview, summary), then commit or discard it."""

    def __init__(self, config: Config, store: Store, staging: Staging, file_name: str, display: str):
        self.config, self.store, self.workdir = config, store, staging.path
        self.file_name, self.display = file_name, display
        self.sha256, self.format = "", ""
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.warnings: list[Problem] = []      # the soft 审核公式 not met: the import goes in, they are audited
        self.rows = 0
        self.new = self.replaced = self.unchanged = None
        self.imported_before: list[int] = []   # earlier imports of a file with the same sha256
        self.source: Path | None = None
        self.staging: Path | None = None
        self._staging = staging  # removed with this object at the latest

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.discard()

    @property
    def ok(self) -> bool:
        return not self.problems

    def discard(self) -> None:
        """Remove the staged copy (also done when the object is garbage-collected)."""
        self._staging.remove()

    def fail(self, message: str, line: int | None = None) -> "PreparedImport":
        self.problems.append(Problem(self.display, line, message))
        self.problem_count += 1
        return self

    def summary(self) -> str:
        if not self.ok:
            return f"{self.display}：发现{self.problem_count}处问题，整个文件不能导入"
        text = f"{self.display}（{self.format}）：共{self.rows}条数据"
        if self.new is not None:
            text += f"，导入后新增{self.new}条，替换{self.replaced}条，未变{self.unchanged}条"
        if self.imported_before:
            text += f"；同一文件已于第{'、'.join(map(str, self.imported_before))}次导入过"
        if self.warnings:
            text += f"；审核公式提示{len(self.warnings)}处（不影响导入，将记入审计日志）"
        return text

    def check_rules(self, parts: list[Part]) -> None:
        """The catalogue's 审核公式 on the staged values as they would stand in the database: a hard rule not
        met is a problem of its row, a soft one a warning (rulecheck.py says why an import is not stopped)."""
        with self._compare() as (con, alias, actuals):
            found = rulecheck.in_import(con, self.config, incoming(alias), actuals)
        for finding in found:
            file, line, _ = checking.located(self.display, parts, finding.pos)
            problem = Problem(file, line, f"审核公式：{finding.said(self.config)}")
            if finding.hard:
                self.problems.append(problem)
                self.problem_count += 1
            else:
                self.warnings.append(problem)

    @contextmanager
    def _compare(self):
        """A connection that sees the database's actuals (read-only, briefly) and this file's staged values."""
        alias = f"staged_{secrets.token_hex(6)}"
        if self.store.exists():
            context = self.store.reader()
        else:
            context = _memory()
        with context as con:
            actuals = "actuals" if has_schema(con) else _NO_ACTUALS
            con.execute(f"ATTACH $path AS {alias} (READ_ONLY)", {"path": str(self.staging)})
            try:
                yield con, alias, actuals
            finally:
                con.execute(f"DETACH {alias}")

    def compare(self) -> None:
        """Count what the import would add, replace and leave unchanged, against the database as it is now."""
        with self._compare() as (con, alias, actuals):
            self.new, self.replaced, self.unchanged = query(con, f"""
                SELECT count(*) FILTER (WHERE a.value IS NULL), count(*) FILTER (WHERE a.value <> i.value),
                       count(*) FILTER (WHERE a.value = i.value)
                FROM {incoming(alias)} i LEFT JOIN {actuals} a USING (year, month, city, measure)""")[0]
            if actuals == "actuals":
                self.imported_before = [r[0] for r in query(
                    con, "SELECT import_id FROM imports WHERE sha256 = $sha ORDER BY import_id", {"sha": self.sha256})]

    def preview(self, limit: int | None = 1000) -> pd.DataFrame:
        """The parsed values in file order, with the value now in the database and what would change."""
        columns = list(PREVIEW_COLUMNS)
        if self.staging is None:
            return pd.DataFrame(columns=columns)
        with self._compare() as (con, alias, actuals):
            rows = query(con, f"""
                SELECT i.pos, i.year, i.month, i.city, i.measure, i.value, a.value
                FROM {incoming(alias)} i LEFT JOIN {actuals} a USING (year, month, city, measure)
                ORDER BY i.pos LIMIT $limit""", {"limit": limit if limit is not None else 2 ** 62})
        measures, records = self.config.measures, []
        for pos, year, month, city, measure, value, old in rows:
            change = "new" if old is None else "unchanged" if old == value else "replaced"
            records.append((pos & ((1 << LINE_BITS) - 1), year, month, city, self.config.city(city).name, measure,
                            measures[measure].name, measures[measure].unit, value, old, change))
        return pd.DataFrame(records, columns=columns)

    def commit(self, *, actor: Actor, on_wait=None, note: str | None = None, also=None) -> ImportResult:
        """Merge the staged values, keep the original and add the audit line (who: `actor`) — all three or
        none; raises ImportFailed. Called by the actions layer (scorecard.actions.imports), which checks the
        permission first.

        The two databases cannot share a transaction, so the unit is written in this order: the copy of the
        file is written into the originals folder without a name, before the write lock; the values are merged
        in an open transaction of the data database (the long part, while the records store is not held);
        the audit line goes into an open transaction of the records store; the copy gets its name; the data
        commits — the step that fails on a full disk, and then the audit transaction is rolled back and the name
        taken away, so nothing has changed —; last the audit line commits, and should even that fail, the import
        is undone in the data database, whose write lock is still held, before the failure is reported.
        `note` is added to the audit line; `also(con, result)` writes more into the audit line's transaction (the
        acceptance of a month reported online, actions.reporting)."""
        result = ImportResult(self.display, self.sha256, rows=self.rows, problems=list(self.problems),
                              problem_count=self.problem_count, format=self.format, warnings=list(self.warnings),
                              note=note)
        if not self.ok:
            return result
        original = OriginalCopy(self.store, self.sha256)
        records = Records.beside(self.store.path)
        try:
            with failing_as(self.display, "无法写入审计日志", records.path or self.store.path.parent):
                records.engine  # opened (and brought up to date) before the data's write lock is taken
            with failing_as(self.display, "无法保存原件", original.folder):
                original.write(self.source)  # before taking the write lock, which stays short
            with failing_as(self.display, "无法写入数据库", self.store.path.parent):
                with self.store.writer(on_wait=on_wait) as con:
                    unit.write(self, con, result, actor, original, records, also)
        finally:
            original.close()
        if result.import_id is not None:
            result.original = original.path
        return result

@contextmanager
def _memory():
    con = duckdb.connect()
    try:
        yield con
    finally:
        con.close()


def prepare(config: Config, store: Store, source, *, file_name: str | None = None, compare: bool = True,
            on_progress=None) -> PreparedImport:
    """Read and check a file (a path, or the bytes of an upload with its file name) without writing
    to the database. With `compare`, also count what it would change. Raises ImportFailed when the temporary
    folder (TMPDIR) cannot take the staged copy, e.g. on a full disk; nothing is left there then."""
    upload = isinstance(source, (bytes, bytearray, memoryview))
    display = (file_name or "upload.csv") if upload else str(source)
    with private.umask():  # the staging files are the user's alone
        try:
            staging = Staging()
        except OSError as exc:
            raise _no_room(display, exc) from exc
        try:
            return _prepare(config, store, source, upload, staging, file_name, compare,
                            on_progress or (lambda message: None))
        except (OSError, duckdb.Error) as exc:
            staging.remove()
            if not errors.disk_full(exc):
                raise
            raise _no_room(display, exc) from exc


def _no_room(display: str, exc: BaseException) -> ImportFailed:
    temp = f"临时文件夹 {Path(tempfile.gettempdir()).absolute()}"
    why = errors.cannot_write(exc, temp) or f"无法在{temp}中检查文件"
    return ImportFailed(display, f"{why}（可用环境变量 TMPDIR 指定另一个临时文件夹）", "整个文件未导入，数据库没有任何改动")


def _prepare(config: Config, store: Store, source, upload: bool, staging: Staging, file_name: str | None,
             compare: bool, progress) -> PreparedImport:
    """The file's checksum and the scan that says how it is read (`scan`) are made in a thread of their own
    while the file is checked: a CSV whose first bytes say DuckDB reads it as it is (`plain_head`) is checked so
    meanwhile — and checked again as before, the first check dropped, should the scan find otherwise."""
    workdir = staging.path
    if upload:
        name = Path(file_name or "upload.csv").name
        prepared = PreparedImport(config, store, staging, name, file_name or name)
        prepared.source = workdir / ("original" + Path(name).suffix.lower())
        prepared.source.write_bytes(bytes(source))
    else:
        path = Path(source)
        prepared = PreparedImport(config, store, staging, file_name or path.name, str(path))
        prepared.source = path
    progress = _said_once(progress)  # a file checked again says nothing twice
    tried, parts = False, None
    with _Scan(prepared.source) as scanning:
        if prepared.source.suffix.lower() not in XLSX_SUFFIXES + OLD_EXCEL and _looks_plain(prepared.source):
            tried = True
            try:
                parts = _stage(prepared, PLAIN, progress, scanning.begin)
            except Exception as exc:  # raised below when the scan finds the file as assumed
                parts = exc
        try:
            info = scanning.result()
        except OSError as exc:
            prepared = _again(prepared) if tried else prepared
            return prepared.fail(f"无法读取文件：{exc.strerror or exc}")
    if tried and info.reading != PLAIN.reading:
        prepared, tried = _again(prepared), False
    prepared.sha256 = info.sha256
    if not tried:
        parts = _stage(prepared, info, progress)
    if isinstance(parts, Exception):
        raise parts
    if parts is None:
        return prepared
    if prepared.ok and prepared.rows == 0:
        prepared.fail("文件中没有任何数据（表头之下没有数值）")
    if prepared.ok and config.checks:
        progress("正在按审核公式检查……")
        prepared.check_rules(parts)
    if compare and prepared.ok:
        progress("正在与数据库比对……")
        prepared.compare()
    return prepared


def _stage(prepared: PreparedImport, info, progress, reading=lambda: None) -> list[Part] | None:
    """Read the file as `info` says and stage its values: its parts, or None when it cannot be (said in
    `prepared.problems`). `reading()` is called as DuckDB starts reading the file."""
    config, workdir = prepared.config, prepared.workdir
    progress(f"正在读取 {prepared.display}……")
    names = Names(config)
    try:
        parts, src, params, frames = _read(prepared, info, names)
    except SheetError as exc:
        prepared.fail(str(exc))
        return None
    if prepared.problems:
        return None
    progress("正在逐行检查……")
    prepared.staging = workdir / "staging.duckdb"
    con = duckdb.connect(str(prepared.staging))
    try:
        con.execute(f"SET memory_limit = '{STAGING_MEMORY}'")
        con.execute("SET temp_directory = $dir", {"dir": str(workdir / "spill")})
        con.execute("SET preserve_insertion_order = false")
        for name, frame in frames.items():
            con.register(name, frame)
        if checking.stage(con, config, names, src, params, reading):
            prepared.problems, prepared.problem_count = checking.problems(con, config, names, prepared.display, parts)
        prepared.rows = con.execute("SELECT count(*) FROM clean").fetchone()[0]
    except duckdb.InvalidInputException as exc:
        line = re.search(r"Line: (\d+)", str(exc))
        prepared.fail("无法按CSV读取文件：引号不成对或格式有误，请在Excel中打开后另存为CSV"
                      + (f"（问题在第{line.group(1)}行附近）" if line else ""))
        return None
    finally:
        con.close()
    return parts


class _Scan:
    """scan(path) in a thread of its own (hashing lets go of Python's lock, and DuckDB does as it reads the file),
    started by `begin` — when DuckDB starts reading: Python's work before then would wait for the lock while the
    scan decodes — or else by `result`, which waits for it; leaving the context waits for it too."""

    def __init__(self, path: Path):
        self._thread = Aside(lambda _: scan(path), None, ExitStack())

    def begin(self) -> None:
        if self._thread.ident is None:
            self._thread.start()

    def result(self) -> FileScan:
        self.begin()
        return self._thread.result()

    def __enter__(self) -> "_Scan":
        return self

    def __exit__(self, *exc) -> None:
        if self._thread.ident is not None:
            self._thread.join()


def _looks_plain(path: Path) -> bool:
    try:
        return plain_head(path)
    except OSError:  # said as the scan says it
        return False


def _again(prepared: PreparedImport) -> PreparedImport:
    """The same file to be checked again in the same folder, the first check's staged copy removed."""
    again = PreparedImport(prepared.config, prepared.store, prepared._staging, prepared.file_name, prepared.display)
    again.source = prepared.source
    if prepared.staging is not None:
        for made in (prepared.staging, prepared.staging.with_name(prepared.staging.name + ".wal")):
            made.unlink(missing_ok=True)
    return again


def _said_once(progress):
    said = set()

    def say(message: str) -> None:
        if message not in said:
            said.add(message)
            progress(message)
    return say


def _read(prepared: PreparedImport, info, names: Names):
    """The parts of a file and the SQL of its long relation: (parts, src sql, params, frames)."""
    source, display = prepared.source, prepared.display
    if source.suffix.lower() in OLD_EXCEL:
        raise SheetError("不支持旧版Excel的 .xls 格式，请在Excel中“另存为”Excel工作簿（.xlsx）或CSV后再导入")
    if source.suffix.lower() in XLSX_SUFFIXES or _is_zip(source):
        book = open_workbook(source.read_bytes())
        try:
            first = book.worksheets[0]
            head = sheet_rows(first, limit=template.SEARCH_ROWS)
            if template.is_template(head):
                prepared.format = template.TEMPLATE
                return _read_template(prepared, book, names)
            rows = sheet_rows(first)
        finally:
            book.close()
        layout, problems = recognise(rows, names, display, spreadsheet=True)
        for problem in problems:
            prepared.fail(problem.message, problem.line)
        if layout is None:
            return [], "", {}, {}
        prepared.format = f"xlsx {layout.kind}"
        width = layout.width
        grid = pd.DataFrame([[index + 1] + (row + [None] * width)[:width]
                             for index, row in enumerate(rows) if index >= layout.header_line],
                            columns=["line"] + [f"c{i}" for i in range(width)])
        typed = ", ".join(["line::BIGINT AS line"] + [f"c{i}::VARCHAR AS c{i}" for i in range(width)])
        sql, params = layout.src(f"(SELECT {typed} FROM grid_frame)")
        return [Part(None, layout, True)], sql, params, {"grid_frame": grid}
    path = readable_csv(source, info, prepared.workdir)
    delimiter, head = csv_head(path)
    layout, problems = recognise(head, names, display, spreadsheet=False)
    for problem in problems:
        prepared.fail(problem.message, problem.line)
    if layout is None:
        return [], "", {}, {}
    prepared.format = f"CSV {layout.kind}" + ("" if info.encoding == "utf-8" else f"，{info.encoding.upper()}编码")
    grid, params = csv_grid(path, delimiter, layout.width, info.quotes)
    sql, more = layout.src(grid)
    return [Part(None, layout, False)], sql, params | more, {}


def _is_zip(path: Path) -> bool:
    with open(path, "rb") as stream:
        return stream.read(4) == b"PK\x03\x04"


def _read_template(prepared: PreparedImport, book, names: Names):
    parts, frames = [], []
    for sheet in book.worksheets:
        rows = sheet_rows(sheet)
        if not template.is_template(rows):
            continue
        display = f"{prepared.display}（{sheet.title}）" if len(book.worksheets) > 1 else prepared.display
        layout, frame, problems = template.read_sheet(rows, len(parts), names, display)
        for problem in problems:
            prepared.problems.append(problem)
            prepared.problem_count += 1
        parts.append(Part(sheet.title if len(book.worksheets) > 1 else None, layout, True))
        frames.append(frame)
    return parts, typed_src("template_frame"), {}, {"template_frame": pd.concat(frames, ignore_index=True)}


