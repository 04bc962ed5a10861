"""Importing monthly actuals: a file goes in whole or not at all, and nothing imported is lost.

`prepare` reads a file — long or wide CSV/xlsx, or a filled monthly report template — checks
every cell in DuckDB (no Python loop per row) and stages the clean values in a DuckDB file of
its own, without touching the database. The `PreparedImport` it returns holds the problems
(row and column, in Chinese), a preview and a summary of what would change; `commit` merges
the staged values in one short write transaction, keeps every replaced value in
`actuals_history`, a copy of the original file beside the database and a line in the audit log:
all three or none (see `PreparedImport.commit`). A file that changes nothing writes nothing.
A full disk, a read-only folder or an audit log that cannot be written is said in Chinese
(`ImportFailed`), with everything left as it was.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from ..records import audit
from .. import clock, errors, private, years
from . import template
from ..records.store import Records
from ..records.audit import Actor
from ..config import Config
from .history import OriginalCopy
from .layouts import Layout, recognise, typed_src
from .normalize import BLANKS, FULL_WIDTH, HALF_WIDTH, Names, parse_month, parse_year
from .sheets import SheetError, csv_grid, csv_head, open_workbook, readable_csv, scan, sheet_rows
from .staging import Staging
from .store import Store, StoreError, has_schema, query
from ..config.yamlsource import Problem

MAX_PROBLEMS = 1000
STAGING_MEMORY = MERGE_MEMORY = "1GB"  # DuckDB's own limit; it spills to disk beyond
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CHANGES = {"new": "新增", "replaced": "替换", "unchanged": "未变"}
PREVIEW_COLUMNS = {"line": "行号", "year": "年度", "month": "月份", "city": "市州代码", "city_name": "市州",
                   "measure": "统计项代码", "measure_name": "统计项", "unit": "单位", "value": "数值",
                   "old_value": "原值", "change": "变化"}
_LINE_BITS = 32  # a staged row's position: sheet index << 32 | row number
_NO_ACTUALS = ("(SELECT NULL::SMALLINT AS year, NULL::TINYINT AS month, NULL::VARCHAR AS city, "
               "NULL::VARCHAR AS measure, NULL::DOUBLE AS value WHERE false)")
_THOUSANDS = r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?"
_SLOW_TEXT = "regexp_replace(translate(value, $full_width, $half_width), '\\s', '', 'g')"
# The number in a cell: DuckDB's cast first; else full-width characters, spaces and thousands separators.
_NUMBER = f"""CASE WHEN TRY_CAST(value AS DOUBLE) IS NOT NULL THEN TRY_CAST(value AS DOUBLE)
                   ELSE TRY_CAST(CASE WHEN regexp_full_match({_SLOW_TEXT}, $thousands)
                                      THEN replace({_SLOW_TEXT}, ',', '') ELSE {_SLOW_TEXT} END AS DOUBLE) END"""


class ImportFailed(StoreError):
    """An import that could not be written — nothing of it was — said in Chinese."""

    def __init__(self, display: str, why: str, changed: str = "整个文件未导入，数据库、原件和审计日志都没有改动"):
        super().__init__(f"{display}：{why}。{changed}")


@contextmanager
def _failing_as(display: str, what: str, where: Path):
    """Errors of writing in `where` (a full disk, a read-only folder…) as an ImportFailed: `what` failed."""
    try:
        yield
    except ImportFailed:
        raise
    except StoreError as exc:  # said in Chinese already
        raise ImportFailed(display, f"{what}：{exc}") from exc
    except (OSError, duckdb.Error, SQLAlchemyError) as exc:
        reason = errors.cannot_write(exc, where.absolute())
        raise ImportFailed(display, f"{what}：{reason}" if reason else f"{what}（{where.absolute()}）") from exc


@dataclass
class ImportResult:
    file: str
    sha256: str
    rows: int = 0
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    import_id: int | None = None
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    format: str = ""
    original: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            return f"{self.file}：发现{self.problem_count or len(self.problems)}处问题，整个文件未导入，数据库保持不变"
        if self.import_id is None:
            return f"{self.file}：{self.rows}条数据与数据库中已有的完全相同，未做任何改动"
        return (f"{self.file}：已导入（第{self.import_id}次导入，{self.format}），新增{self.new}条，"
                f"替换{self.replaced}条（原值已存入修订记录），未变{self.unchanged}条")


@dataclass(frozen=True)
class Part:
    """One checked sheet of a file: its name when a workbook has several, and its layout."""

    name: str | None
    layout: Layout
    spreadsheet: bool  # name columns by letter too (E列), as Excel shows them


class PreparedImport:
    """A checked, staged file: look at it (problems, preview, summary), then commit or discard it."""

    def __init__(self, config: Config, store: Store, staging: Staging, file_name: str, display: str):
        self.config, self.store, self.workdir = config, store, staging.path
        self.file_name, self.display = file_name, display
        self.sha256, self.format = "", ""
        self.problems: list[Problem] = []
        self.problem_count = 0
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
        return text

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
                FROM {_incoming(alias)} i LEFT JOIN {actuals} a USING (year, month, city, measure)""")[0]
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
                FROM {_incoming(alias)} i LEFT JOIN {actuals} a USING (year, month, city, measure)
                ORDER BY i.pos LIMIT $limit""", {"limit": limit if limit is not None else 2 ** 62})
        measures, records = self.config.measures, []
        for pos, year, month, city, measure, value, old in rows:
            change = "new" if old is None else "unchanged" if old == value else "replaced"
            records.append((pos & ((1 << _LINE_BITS) - 1), year, month, city, self.config.city(city).name, measure,
                            measures[measure].name, measures[measure].unit, value, old, change))
        return pd.DataFrame(records, columns=columns)

    def commit(self, *, actor: Actor, on_wait=None) -> ImportResult:
        """Merge the staged values, keep the original and add the audit line (who: `actor`) — all three or
        none; raises ImportFailed. Called by the actions layer (scorecard.actions.imports), which checks the
        permission first.

        The two databases cannot share a transaction, so the unit is written in this order: the copy of the
        file is written into the originals folder without a name, before the write lock; the values are merged
        in an open transaction of the data database (the long part, while the records store is not held);
        the audit line goes into an open transaction of the records store; the copy gets its name; the data
        commits — the step that fails on a full disk, and then the audit transaction is rolled back and the name
        taken away, so nothing has changed —; last the audit line commits, and should even that fail, the import
        is undone in the data database, whose write lock is still held, before the failure is reported."""
        result = ImportResult(self.display, self.sha256, rows=self.rows, problems=list(self.problems),
                              problem_count=self.problem_count, format=self.format)
        if not self.ok:
            return result
        original = OriginalCopy(self.store, self.sha256)
        records = Records.beside(self.store.path)
        try:
            with _failing_as(self.display, "无法写入审计日志", records.path or self.store.path.parent):
                records.engine  # opened (and brought up to date) before the data's write lock is taken
            with _failing_as(self.display, "无法保存原件", original.folder):
                original.write(self.source)  # before taking the write lock, which stays short
            with _failing_as(self.display, "无法写入数据库", self.store.path.parent):
                with self.store.writer(on_wait=on_wait) as con:
                    self._write_unit(con, result, actor, original, records)
        finally:
            original.close()
        if result.import_id is not None:
            result.original = original.path
        return result

    def _write_unit(self, con, result: ImportResult, actor: Actor, original: OriginalCopy, records: Records) -> None:
        data = self.store.path.parent
        alias = f"staged_{secrets.token_hex(6)}"
        con.execute(f"ATTACH $path AS {alias} (READ_ONLY)", {"path": str(self.staging)})
        con.execute("BEGIN TRANSACTION")
        try:
            if not merge(con, _incoming(alias), result, actor.who):
                con.execute("ROLLBACK")
                return
            with _failing_as(self.display, "无法写入审计日志", records.path or data), \
                    records.engine.connect() as log:
                log.execution_options(write=True)
                line = log.begin()
                try:
                    audit.insert(log, actor, audit.IMPORT, target=self.file_name, detail=result.summary())
                    with _failing_as(self.display, "无法保存原件", original.folder):
                        original.keep()
                    with _failing_as(self.display, "无法写入数据库", data):
                        con.execute("COMMIT")
                except BaseException:
                    with suppress(SQLAlchemyError):
                        line.rollback()
                    original.drop()
                    raise
                try:
                    line.commit()
                except BaseException:
                    self._undo(con, result, original)
                    raise
        except BaseException:
            with suppress(duckdb.Error):  # none is open after a COMMIT, failed or not
                con.execute("ROLLBACK")
            raise
        finally:
            with suppress(duckdb.Error):  # the connection is closed next in any case
                con.execute(f"DETACH {alias}")

    def _undo(self, con, result: ImportResult, original: OriginalCopy) -> None:
        """Take the import just committed out again: it is the latest, and `con` still holds the write lock."""
        try:
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM actuals WHERE import_id = $id", {"id": result.import_id})
            con.execute("""
                INSERT INTO actuals SELECT year, month, city, measure, old_value, old_import_id
                FROM actuals_history WHERE new_import_id = $id""", {"id": result.import_id})
            con.execute("DELETE FROM actuals_history WHERE new_import_id = $id", {"id": result.import_id})
            con.execute("DELETE FROM imports WHERE import_id = $id", {"id": result.import_id})
            con.execute("COMMIT")
        except (OSError, duckdb.Error) as exc:
            why = errors.cannot_write(exc, self.store.path.parent.absolute()) or f"无法写入 {self.store.path.absolute()}"
            raise ImportFailed(self.display, f"审计日志未能写入，撤销这次导入也没有成功（{why}）",
                               f"第{result.import_id}次导入已写入数据库和原件，但审计日志中没有记录，"
                               "请告知系统管理员补记") from exc
        original.drop()


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
    try:
        info = scan(prepared.source)
    except OSError as exc:
        return prepared.fail(f"无法读取文件：{exc.strerror or exc}")
    prepared.sha256 = info.sha256
    progress(f"正在读取 {prepared.display}……")
    names = Names(config)
    try:
        parts, src, params, frames = _read(prepared, info, names)
    except SheetError as exc:
        return prepared.fail(str(exc))
    if prepared.problems:
        return prepared
    progress("正在逐行检查……")
    prepared.staging = workdir / "staging.duckdb"
    con = duckdb.connect(str(prepared.staging))
    try:
        con.execute(f"SET memory_limit = '{STAGING_MEMORY}'")
        con.execute("SET temp_directory = $dir", {"dir": str(workdir / "spill")})
        con.execute("SET preserve_insertion_order = false")
        for name, frame in frames.items():
            con.register(name, frame)
        _stage(con, config, names, src, params)
        problems, total = _problems(con, config, names, prepared.display, parts)
        prepared.problems, prepared.problem_count = problems, total
        prepared.rows = con.execute("SELECT count(*) FROM clean").fetchone()[0]
    except duckdb.InvalidInputException as exc:
        line = re.search(r"Line: (\d+)", str(exc))
        return prepared.fail("无法按CSV读取文件：引号不成对或格式有误，请在Excel中打开后另存为CSV"
                             + (f"（问题在第{line.group(1)}行附近）" if line else ""))
    finally:
        con.close()
    if prepared.ok and prepared.rows == 0:
        prepared.fail("文件中没有任何数据（表头之下没有数值）")
    if compare and prepared.ok:
        progress("正在与数据库比对……")
        prepared.compare()
    return prepared


def _read(prepared: PreparedImport, info, names: Names):
    """The parts of a file and the SQL of its long relation: (parts, src sql, params, frames)."""
    source, display = prepared.source, prepared.display
    if source.suffix.lower() in (".xls", ".et"):
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


def _lookup_frames(con, config: Config, names: Names, src: str, params: dict) -> dict[str, pd.DataFrame]:
    """Every distinct spelling in the file's year, month, city and measure cells, resolved once in Python
    (cities and measures to their index in the config)."""
    rows = con.execute(f"""
        SELECT GROUPING(year), GROUPING(month), GROUPING(city), year, month, city, measure
        FROM ({src}) GROUP BY GROUPING SETS ((year), (month), (city), (measure))""", params).fetchall()
    city_ids = {c.code: i for i, c in enumerate(config.cities)}
    measure_ids = {code: i for i, code in enumerate(config.measures)}
    resolve = {"year": parse_year, "month": parse_month, "city": lambda text: city_ids.get(names.city(text)),
               "measure": lambda text: measure_ids.get(names.measure(text))}
    found = {kind: {} for kind in resolve}
    for gy, gm, gc, year, month, city, measure in rows:
        kind, text = (("year", year) if not gy else ("month", month) if not gm else ("city", city) if not gc
                      else ("measure", measure))
        value = resolve[kind](text) if text is not None else None
        if value is not None:
            found[kind][text] = value
    return {f"lookup_{kind}": pd.DataFrame({"raw": pd.Series(list(values), dtype=object),
                                             "id": pd.Series(list(values.values()), dtype="int64")})
            for kind, values in found.items()}


def _stage(con, config: Config, names: Names, src: str, params: dict) -> None:
    """staged: every row of the file with its ids, number and problems; clean: one value per key.
    Cities and measures are stored as small ids (their index in the config; `units` and `items` map
    them back to codes), which keeps ten million staged rows small and their grouping fast."""
    for name, frame in _lookup_frames(con, config, names, src, params).items():
        con.register(name, frame)
    con.register("units_frame", pd.DataFrame({"city_id": range(len(config.cities)),
                                              "city": [c.code for c in config.cities]}))
    con.register("items_frame", pd.DataFrame({"measure_id": range(len(config.measures)),
                                              "measure": list(config.measures),
                                              "minimum": [m.min for m in config.measures.values()],
                                              "maximum": [m.max for m in config.measures.values()]}))
    con.execute("CREATE TABLE units AS SELECT city_id::INTEGER AS city_id, city::VARCHAR AS city FROM units_frame")
    con.execute("CREATE TABLE items AS SELECT measure_id::SMALLINT AS measure_id, measure::VARCHAR AS measure, "
                "minimum::DOUBLE AS minimum, maximum::DOUBLE AS maximum FROM items_frame")
    con.execute(f"""
        CREATE TABLE staged AS
        WITH s AS ({src}),
        parsed AS (SELECT s.*, {_NUMBER} AS number FROM s),
        checked AS (
            SELECT p.*, y.id AS year_id, m.id AS month_id, c.id AS city_id, me.id AS measure_id,
                   CASE WHEN isnan(p.number) THEN 'number'
                        WHEN p.number < it.minimum THEN 'minimum'
                        WHEN p.number > it.maximum THEN 'above'   -- 1e308, inf: beyond the measure's magnitude
                        WHEN p.number < -it.maximum THEN 'below'
                        WHEN isfinite(p.number) THEN NULL
                        WHEN coalesce(trim(p.value, $blanks), '') = '' THEN 'empty'
                        ELSE 'number' END AS value_problem
            FROM parsed p
            LEFT JOIN lookup_year y ON y.raw::VARCHAR = p.year
            LEFT JOIN lookup_month m ON m.raw::VARCHAR = p.month
            LEFT JOIN lookup_city c ON c.raw::VARCHAR = p.city
            LEFT JOIN lookup_measure me ON me.raw::VARCHAR = p.measure
            LEFT JOIN items it ON it.measure_id = me.id
        )
        SELECT (part::BIGINT << {_LINE_BITS}) + line AS pos, col::SMALLINT AS col, year_id::SMALLINT AS year,
               month_id::TINYINT AS month, city_id::INTEGER AS city_id, measure_id::SMALLINT AS measure_id,
               CASE WHEN value_problem IS NULL THEN number + 0.0 END AS value,
               CASE WHEN year_id IS NULL THEN coalesce(checked.year, '') END AS bad_year,
               CASE WHEN month_id IS NULL THEN coalesce(checked.month, '') END AS bad_month,
               CASE WHEN city_id IS NULL THEN coalesce(checked.city, '') END AS bad_city,
               CASE WHEN measure_id IS NULL THEN coalesce(checked.measure, '') END AS bad_measure,
               value_problem, CASE WHEN value_problem IS NOT NULL THEN checked.value END AS bad_value, extra,
               year_id IS NOT NULL AND month_id IS NOT NULL AND city_id IS NOT NULL AND measure_id IS NOT NULL
                   AND value_problem IS NULL AND extra IS NULL AS ok
        FROM checked""", params | {"blanks": BLANKS, "full_width": FULL_WIDTH, "half_width": HALF_WIDTH,
                                   "thousands": _THOUSANDS})
    con.execute("""
        CREATE TABLE clean AS
        SELECT year, month, city_id, measure_id, arg_min(value, pos) AS value, min(pos) AS pos,
               min(value) <> max(value) AS conflict
        FROM staged WHERE ok GROUP BY year, month, city_id, measure_id""")


def _incoming(alias: str) -> str:
    """The staged clean values with their codes, as the database stores them."""
    return (f"(SELECT c.year, c.month, u.city, i.measure, c.value, c.pos FROM {alias}.clean c "
            f"JOIN {alias}.units u USING (city_id) JOIN {alias}.items i USING (measure_id))")


def _problems(con, config: Config, names: Names, display: str, parts: list[Part]) -> tuple[list[Problem], int]:
    """The first MAX_PROBLEMS problems in file order, each at its row and column, and how many there are."""
    cells = con.execute("""
        WITH p AS (
            SELECT DISTINCT pos, col, k, kind, raw, measure_id FROM (
                SELECT pos, NULL::SMALLINT AS col, 1 AS k, 'year' AS kind, bad_year AS raw, NULL AS measure_id
                FROM staged WHERE bad_year IS NOT NULL
                UNION ALL SELECT pos, NULL, 2, 'month', bad_month, NULL FROM staged WHERE bad_month IS NOT NULL
                UNION ALL SELECT pos, NULL, 3, 'city', bad_city, NULL FROM staged WHERE bad_city IS NOT NULL
                UNION ALL SELECT pos, NULL, 4, 'measure', bad_measure, NULL FROM staged WHERE bad_measure IS NOT NULL
                UNION ALL SELECT pos, col, 5, value_problem, bad_value, measure_id FROM staged
                          WHERE value_problem IS NOT NULL
                UNION ALL SELECT pos, NULL, 6, 'extra', extra, NULL FROM staged WHERE extra IS NOT NULL))
        SELECT pos, col, kind, raw, measure_id, NULL, NULL, count(*) OVER () FROM p ORDER BY pos, k LIMIT $limit""",
                        {"limit": MAX_PROBLEMS}).fetchall()
    conflicts = con.execute("""
        SELECT s.pos, s.col, 'conflict', NULL, s.measure_id, c.pos, [c.value, s.value], count(*) OVER ()
        FROM staged s JOIN (SELECT * FROM clean WHERE conflict) c USING (year, month, city_id, measure_id)
        WHERE s.ok AND s.value <> c.value ORDER BY s.pos LIMIT $limit""", {"limit": MAX_PROBLEMS}).fetchall()
    total = (cells[0][-1] if cells else 0) + (conflicts[0][-1] if conflicts else 0)
    chosen = sorted(cells + conflicts, key=lambda r: r[0])[:MAX_PROBLEMS]
    problems = [_problem(config, names, display, parts, *row[:-1]) for row in chosen]
    if total > len(problems):
        problems.append(Problem(display, None, f"问题超过{MAX_PROBLEMS}处，以上只列出前{MAX_PROBLEMS}处，共{total}处"))
    return problems, total


def _where(display: str, parts: list[Part], pos: int) -> tuple[str, int, Part]:
    part = parts[pos >> _LINE_BITS]
    return (f"{display}（{part.name}）" if part.name else display), pos & ((1 << _LINE_BITS) - 1), part


def _problem(config: Config, names: Names, display: str, parts: list[Part], pos, col, kind, raw, measure_id,
             first_pos, values) -> Problem:
    file, line, part = _where(display, parts, pos)
    measure = list(config.measures)[measure_id] if measure_id is not None else None
    column = col if col is not None else part.layout.field_col(kind)
    label = part.layout.label(column, part.spreadsheet)
    what = config.measures[measure].name if measure in config.measures else "数值"
    messages = {
        "year": lambda: "年度为空" if not raw else years.refused(raw),
        "month": lambda: "月份为空" if not raw else f"月份“{raw}”无效，应为1至12的整数",
        "city": lambda: "市州为空" if not raw else (f"未知的市州“{raw}”{names.city_hint(raw)}"
                                                  "（可写代码、全称或简称，见 cities.yaml）"),
        "measure": lambda: "统计项为空" if not raw else (f"未知的统计项“{raw}”{names.measure_hint(raw)}"
                                                      "（可写统计项代码或中文名称，见 indicators.yaml）"),
        "empty": lambda: "数值为空（没有数据的月份请不要写这一行）",
        "number": lambda: f"{what}“{raw}”不是数字",
        "minimum": lambda: f"{what}不能小于{config.measures[measure].min:g}，现在是{raw.strip()}",
        "above": lambda: f"{what}“{raw.strip()}”超出合理范围：不能大于{_magnitude(config, measure)}",
        "below": lambda: f"{what}“{raw.strip()}”超出合理范围：不能小于-{_magnitude(config, measure)}",
        "extra": lambda: (f"这一行多出了“{raw}”：CSV中带千位分隔逗号的数会被拆成两列，"
                          "请写成 1234 或加引号写成 \"1,234\""),
        "conflict": lambda: _conflict(display, parts, first_pos, file, values),
    }
    text = messages[kind]()
    return Problem(file, line, f"{label}：{text}" if label else text)


def _magnitude(config: Config, measure: str) -> str:
    return f"{config.measures[measure].max:,.15g}（indicators.yaml 中该统计项的 max）"


def _conflict(display: str, parts: list[Part], first_pos: int, file: str, values) -> str:
    first_file, first_line, _ = _where(display, parts, first_pos)
    where = f"第{first_line}行" if first_file == file else f"{first_file}第{first_line}行"
    return (f"与{where}是同一市州、同一月份、同一统计项，但数值不同（{values[0]:g} 与 {values[1]:g}），"
            "请保留正确的一行")


def merge(con, incoming: str, result: ImportResult, user: str | None) -> bool:
    """Inside the caller's open transaction: new values in, replaced values into the history, one import record
    (its number in `result`). `incoming` is a relation (year, month, city, measure, value) with one row per key.
    Whether anything changed; when nothing did, nothing was written."""
    con.execute(f"SET memory_limit = '{MERGE_MEMORY}'")
    con.execute(f"""
        CREATE TEMP TABLE changed AS
        SELECT i.year, i.month, i.city, i.measure, i.value, a.value AS old_value, a.import_id AS old_import_id
        FROM {incoming} i LEFT JOIN actuals a USING (year, month, city, measure)
        WHERE a.value IS DISTINCT FROM i.value""")
    result.new, result.replaced = con.execute(
        "SELECT count(*) FILTER (WHERE old_value IS NULL), count(old_value) FROM changed").fetchone()
    result.unchanged = result.rows - result.new - result.replaced
    if result.new + result.replaced == 0:
        con.execute("DROP TABLE changed")
        return False
    import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchone()[0]
    con.execute("""
        INSERT INTO imports VALUES ($id, $file, $sha, $now, $user, $total, $new, $replaced,
                                    $unchanged)""",
                {"id": import_id, "file": Path(result.file).name, "sha": result.sha256, "user": user,
                 "now": clock.now(), "total": result.rows, "new": result.new, "replaced": result.replaced,
                 "unchanged": result.unchanged})
    if result.replaced:
        con.execute("""
            INSERT INTO actuals_history
            SELECT year, month, city, measure, old_value, old_import_id, value, $id
            FROM changed WHERE old_value IS NOT NULL""", {"id": import_id})
        con.execute("""
            DELETE FROM actuals a USING changed c
            WHERE c.old_value IS NOT NULL AND a.year = c.year AND a.month = c.month AND a.city = c.city
              AND a.measure = c.measure""")
    con.execute("INSERT INTO actuals SELECT year, month, city, measure, value, $id FROM changed", {"id": import_id})
    con.execute("DROP TABLE changed")
    result.import_id = import_id
    return True


def apply_rows(store: Store, frame: pd.DataFrame, file_name: str, sha: str, *, user=None, on_wait=None,
               ) -> ImportResult:
    """Merge rows that are already clean codes (the demo generator's, which the demo's own audit line covers),
    one per key."""
    result = ImportResult(file_name, sha, rows=len(frame), format="程序生成")
    with store.writer(on_wait=on_wait) as con:
        con.register("incoming_frame", frame)
        con.execute("BEGIN TRANSACTION")
        try:
            merge(con, "(SELECT year::SMALLINT AS year, month::TINYINT AS month, city::VARCHAR AS city, "
                       "measure::VARCHAR AS measure, value::DOUBLE AS value FROM incoming_frame)", result, user)
            con.execute("COMMIT")
        except BaseException:
            with suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
        finally:
            con.unregister("incoming_frame")
    return result
