"""Importing monthly actuals: a file goes in whole or not at all.

Each row is checked and every bad row is reported by row number and column;
only a clean file touches the database. Values it replaces are kept in
`actuals_history`, and a file that changes nothing writes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .config import Config
from .store import Store
from .validation import suggestion
from .yamlsource import Problem

LONG_COLUMNS = ("year", "month", "city", "measure", "value")
MAX_PROBLEMS = 1000
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


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

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            return f"{self.file}：发现{len(self.problems)}处问题，整个文件未导入，数据库保持不变"
        if self.import_id is None:
            return f"{self.file}：{self.rows}条数据与数据库中已有的完全相同，未做任何改动"
        return (f"{self.file}：已导入（第{self.import_id}次导入），新增{self.new}条，"
                f"替换{self.replaced}条（原值已存入修订记录），未变{self.unchanged}条")


def clean_text(value) -> str:
    """What people really type: full-width characters, stray spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    text = clean_text(value).replace(" ", "")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_int(value) -> int | None:
    number = parse_number(value)
    return int(number) if number is not None and number.is_integer() else None


def decode_csv(raw: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030/GBK, as Excel on a Chinese Windows saves it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def read_table(path: Path, raw: bytes) -> list[list]:
    """All rows of a CSV file or of the first sheet of an xlsx workbook, header first."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    return [row for row in csv.reader(io.StringIO(decode_csv(raw), newline=""))]


def _blank(row) -> bool:
    return all(clean_text(v) == "" for v in row)


def parse_long(config: Config, display: str, rows: list[list]) -> tuple[pd.DataFrame, list[Problem]]:
    """Check every row of a long-format table; return the clean rows and every problem."""
    problems: list[Problem] = []

    def problem(row_no: int, column: str, message: str):
        problems.append(Problem(display, row_no, f"{column}列：{message}"))

    if not rows:
        return pd.DataFrame(), [Problem(display, None, "文件是空的")]
    header = [clean_text(h).lower() for h in rows[0]]
    missing = [c for c in LONG_COLUMNS if c not in header]
    if missing:
        return pd.DataFrame(), [Problem(display, 1, f"缺少必需的列：{'、'.join(missing)}"
                                                    f"（表头应为 {','.join(LONG_COLUMNS)}）")]
    index = {c: header.index(c) for c in LONG_COLUMNS}
    cities = config.city_lookup
    measures = config.measures
    this_year = dt.date.today().year
    seen: dict[tuple, tuple[float, int]] = {}
    clean = []
    for row_no, row in enumerate(rows[1:], start=2):
        if _blank(row):
            continue
        cell = {c: (row[i] if i < len(row) else None) for c, i in index.items()}
        before = len(problems)
        year = parse_int(cell["year"])
        if year is None or not 1990 <= year <= this_year + 1:
            problem(row_no, "year", f"年度“{clean_text(cell['year'])}”无效，应为1990至{this_year + 1}之间的四位整数")
        month = parse_int(cell["month"])
        if month is None or not 1 <= month <= 12:
            problem(row_no, "month", f"月份“{clean_text(cell['month'])}”无效，应为1至12的整数")
        city_text = clean_text(cell["city"])
        city = cities.get(city_text)
        if city is None:
            problem(row_no, "city", f"未知的市州“{city_text}”{suggestion(city_text, cities)}"
                                    "（可写代码、全称或简称，见 cities.yaml）")
        measure = clean_text(cell["measure"])
        if measure not in measures:
            problem(row_no, "measure", f"未知的统计项“{measure}”{suggestion(measure, measures)}（见 indicators.yaml）")
        value_text = clean_text(cell["value"])
        value = parse_number(cell["value"])
        if value_text == "":
            problem(row_no, "value", "数值为空（没有数据的月份请不要写这一行）")
        elif value is None:
            problem(row_no, "value", f"“{value_text}”不是数字")
        elif measure in measures and measures[measure].min is not None and value < measures[measure].min:
            problem(row_no, "value", f"{measures[measure].name}不能小于{measures[measure].min:g}，现在是{value_text}")
        if len(problems) == before:
            key = (year, month, city, measure)
            if key in seen and seen[key][0] != value:
                problem(row_no, "value", f"与第{seen[key][1]}行是同一市州、同一月份、同一统计项，但数值不同"
                                         f"（{seen[key][0]:g} 与 {value:g}），请保留正确的一行")
            elif key not in seen:
                seen[key] = (value, row_no)
                clean.append(key + (value,))
        if len(problems) >= MAX_PROBLEMS:
            problems.append(Problem(display, None, f"问题超过{MAX_PROBLEMS}处，其余未列出"))
            break
    frame = pd.DataFrame(clean, columns=list(LONG_COLUMNS))
    if not problems and frame.empty:
        problems.append(Problem(display, None, "文件中没有任何数据行"))
    return frame, problems


def import_file(store: Store, config: Config, path, *, user: str | None = None, on_wait=None) -> ImportResult:
    path = Path(path)
    display = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return ImportResult(display, "", problems=[Problem(display, None, f"无法读取文件：{exc.strerror or exc}")])
    sha = hashlib.sha256(raw).hexdigest()
    try:
        rows = read_table(path, raw)
    except UnicodeDecodeError:
        return ImportResult(display, sha, problems=[Problem(display, None, "无法识别文件编码，请另存为UTF-8或GB18030编码的CSV")])
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        return ImportResult(display, sha, problems=[Problem(display, None, f"无法读取表格（文件损坏或不是xlsx/csv）：{exc}")])
    frame, problems = parse_long(config, display, rows)
    if problems:
        return ImportResult(display, sha, rows=len(frame), problems=problems)
    return apply_rows(store, frame, path.name, sha, user=user, on_wait=on_wait)


def apply_rows(store: Store, frame: pd.DataFrame, file_name: str, sha: str, *, user=None, on_wait=None,
               ) -> ImportResult:
    """Write checked rows in one transaction: new values, replaced values (kept in history), nothing else."""
    result = ImportResult(file_name, sha, rows=len(frame))
    with store.writer(on_wait=on_wait) as con:
        con.register("incoming", frame)
        try:
            con.execute("BEGIN TRANSACTION")
            con.execute("""
                CREATE TEMP TABLE diff AS
                SELECT i.year, i.month, i.city, i.measure, i.value,
                       a.value AS old_value, a.import_id AS old_import_id
                FROM incoming i LEFT JOIN actuals a
                  ON a.year = i.year AND a.month = i.month AND a.city = i.city AND a.measure = i.measure
            """)
            result.new, result.replaced, result.unchanged = con.execute("""
                SELECT count(*) FILTER (WHERE old_value IS NULL),
                       count(*) FILTER (WHERE old_value IS NOT NULL AND old_value <> value),
                       count(*) FILTER (WHERE old_value = value)
                FROM diff""").fetchone()
            if result.new + result.replaced == 0:
                con.execute("ROLLBACK")
                return result
            import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchone()[0]
            con.execute("""
                INSERT INTO imports VALUES ($id, $file, $sha, now()::TIMESTAMP, $user, $total, $new, $replaced,
                                            $unchanged)""",
                        {"id": import_id, "file": file_name, "sha": sha, "user": user, "total": result.rows,
                         "new": result.new, "replaced": result.replaced, "unchanged": result.unchanged})
            con.execute("""
                INSERT INTO actuals_history
                SELECT year, month, city, measure, old_value, old_import_id, value, $id
                FROM diff WHERE old_value <> value""", {"id": import_id})
            con.execute("""
                DELETE FROM actuals a USING diff d
                WHERE a.year = d.year AND a.month = d.month AND a.city = d.city AND a.measure = d.measure
                  AND d.old_value <> d.value""")
            con.execute("""
                INSERT INTO actuals
                SELECT year, month, city, measure, value, $id FROM diff
                WHERE old_value IS NULL OR old_value <> value
                ORDER BY year, city, measure, month""", {"id": import_id})
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        finally:
            con.unregister("incoming")
    result.import_id = import_id
    return result
