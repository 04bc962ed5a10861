"""What a sheet is: the long format (one row per value) or the wide format (one row per city and month,
one column per measure), recognised by its header row.

A layout turns a grid of text cells (see `sheets`) into the long relation that `intake` checks —
part, line, col, year, month, city, measure, value, extra — and names a column for error messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .normalize import BLANKS, FILLED, Names, compact
from .sheets import SPARE_COLUMNS, column_letter
from ..config.yamlsource import Problem

FIELDS = ("year", "month", "city", "measure", "value")
FIELD_NAMES = {"year": "年度", "month": "月份", "city": "市州", "measure": "统计项", "value": "数值"}
HEADERS = {
    "year": ("year", "年度", "年份", "年"),
    "month": ("month", "月份", "月"),
    "city": ("city", "市州", "市州代码", "市州名称", "城市", "地区", "统筹地区"),
    "measure": ("measure", "统计项", "统计项代码", "统计项目", "指标", "项目"),
    "value": ("value", "数值", "本月数", "实际数", "数据", "值"),
}
# Columns a wide sheet may carry besides the measures; any other unknown header is an error,
# since a misspelt measure column would otherwise be dropped without a word.
NOTE_HEADERS = {"备注", "说明", "序号", "填报人", "审核人", "负责人", "联系电话", "填报日期", "报送日期",
                "note", "notes", "remark", "remarks", "comment"}
# A wide sheet's total row is derived from the rows above it: skipped, not refused as an unknown city.
TOTAL_ROWS = ["合计", "总计", "小计", "全省", "全省合计"]
HEADER_SEARCH_ROWS = 20
LONG, WIDE, TEMPLATE = "长格式", "宽格式", "月报表"
# The long relation every layout produces, one row per value cell: the sheet (part), its row (line), the
# value's column (col), the five fields as written, and what a CSV row has beyond its header (extra).
SRC_TYPES = {"part": "SMALLINT", "line": "BIGINT", "col": "SMALLINT", "year": "VARCHAR", "month": "VARCHAR",
             "city": "VARCHAR", "measure": "VARCHAR", "value": "VARCHAR", "extra": "VARCHAR"}

_HEADER_FIELD = {compact(name).lower(): f for f, names in HEADERS.items() for name in names}


# The blanks beyond ASCII's spaces and controls (code points above 32)
_WIDE_BLANKS = ", ".join(str(ord(c)) for c in BLANKS if ord(c) > 32)


def filled_sql(column: str) -> str:
    """Whether a cell holds anything but blanks (parameter $filled). A pattern, not trim(…, $blanks): DuckDB's trim
    with characters costs several times the reading of the cell. A first character above 32 and no blank answers
    first, for most cells: the pattern costs three times as much."""
    first = f"ascii({column})"
    return (f"(coalesce({first} > 32 AND {first} NOT IN ({_WIDE_BLANKS}), false) "
            f"OR coalesce(regexp_matches({column}, $filled), false))")


def blank_sql(column: str) -> str:
    return f"NOT {filled_sql(column)}"


@dataclass
class Layout:
    kind: str
    header_line: int
    headers: list[str]                      # header text of each column
    columns: dict[str, int]                 # field → column (long: all five; wide: year, month, city)
    measures: dict[int, str] = field(default_factory=dict)  # wide: column → measure code
    spare: bool = False                     # CSV: fields beyond the header land in spare columns

    @property
    def width(self) -> int:
        return len(self.headers)

    def label(self, col: int | None, spreadsheet: bool) -> str:
        if col is None:
            return ""
        header = self.headers[col] if col < len(self.headers) else ""
        letter = f"{column_letter(col)}列"
        if not header:
            return letter
        return f"{header}列（{letter}）" if spreadsheet else f"{header}列"

    def field_col(self, field_name: str) -> int | None:
        return self.columns.get(field_name)

    def src(self, grid: str) -> tuple[str, dict]:
        """SQL of the long relation over the grid, and its parameters."""
        params = {"filled": FILLED, "header_line": self.header_line}
        if self.spare or self.kind == WIDE:
            params["blanks"] = BLANKS
        spare = [f"c{i}" for i in range(self.width, self.width + SPARE_COLUMNS)] if self.spare else []
        extra = (f"CASE WHEN coalesce({', '.join(spare)}) IS NOT NULL "
                 f"THEN nullif(trim(concat_ws(',', {', '.join(spare)}), $blanks || ','), '') END"
                 if spare else "NULL::VARCHAR")
        y, m, c = (f"c{self.columns[f]}" for f in ("year", "month", "city"))
        if self.kind == LONG:
            me, v = f"c{self.columns['measure']}", f"c{self.columns['value']}"
            after = self.columns["value"] + 1
            if self.spare and after < self.width and after not in self.columns.values():
                # 1,234 unquoted in a CSV: "1" in the value column, "234" in an ignored column after it
                extra = (f"coalesce({extra}, CASE WHEN c{after} IS NOT NULL "
                         f"AND regexp_full_match(trim(c{after}), '\\d{{3}}(,\\d{{3}})*(\\.\\d*)?') "
                         f"AND regexp_full_match(trim({v}), '[+-]?\\d{{1,3}}') THEN c{after} END)")
            filled = " OR ".join(filled_sql(x) for x in (y, m, c, me, v))
            sql = f"""SELECT 0 AS part, line, {self.columns['value']} AS col, {y} AS year, {m} AS month,
                             {c} AS city, {me} AS measure, {v} AS value, {extra} AS extra
                      FROM {grid} WHERE line > $header_line AND ({filled} OR {extra} IS NOT NULL)"""
            return sql, params
        params["totals"] = TOTAL_ROWS
        not_total = f"NOT list_contains($totals, replace(coalesce(trim({c}, $blanks), ''), ' ', ''))"
        terms = []
        for col, code in self.measures.items():
            params[f"measure_{col}"] = code
            terms.append(f"""SELECT 0 AS part, line, {col} AS col, {y} AS year, {m} AS month, {c} AS city,
                                    $measure_{col} AS measure, c{col} AS value, {extra} AS extra
                             FROM {grid} WHERE line > $header_line AND {filled_sql(f'c{col}')}
                                   AND {not_total}""")
        return "\nUNION ALL\n".join(terms), params


def typed_src(frame: str) -> str:
    """SQL reading the long relation from a registered DataFrame, with the types DuckDB cannot guess
    from a column of Nones."""
    return "SELECT " + ", ".join(f"{c}::{t} AS {c}" for c, t in SRC_TYPES.items()) + f" FROM {frame}"


def header_field(text) -> str | None:
    return _HEADER_FIELD.get(compact(text).lower())


def recognise(head: list[list], names: Names, display: str, spreadsheet: bool
              ) -> tuple[Layout | None, list[Problem]]:
    """Find the header row among the first rows and say which layout it is."""
    first = None
    for index, row in enumerate(head[:HEADER_SEARCH_ROWS]):
        cells = [compact(v) for v in row]
        if not any(cells):
            continue
        first = first or (index + 1, cells)
        line = index + 1
        found: dict[str, list[int]] = {}
        for col, cell in enumerate(cells):
            if header_field(cell):
                found.setdefault(header_field(cell), []).append(col)
        if not {"year", "month", "city"} <= set(found):
            continue
        headers = _trim(cells)
        twice = [f for f, cols in found.items() if len(cols) > 1]
        if twice:
            layout = Layout(LONG, line, headers, {})
            return None, [Problem(display, line, f"表头中“{FIELD_NAMES[f]}”列出现了不止一次（"
                                  + "、".join(layout.label(c, spreadsheet) for c in found[f]) + "），请只保留一列")
                          for f in twice]
        columns = {f: cols[0] for f, cols in found.items()}
        if "measure" in columns or "value" in columns:
            layout = Layout(LONG, line, headers, columns, spare=not spreadsheet)
            missing = [f for f in FIELDS if f not in columns]
            if missing:
                return None, [_missing(display, line, missing)]
            return layout, []
        return _wide(display, line, headers, columns, names, spreadsheet)
    if first is None:
        return None, [Problem(display, None, "文件是空的（没有表头，也没有数据）")]
    line, cells = first
    found = {header_field(c) for c in cells} - {None}
    return None, [_missing(display, line, [f for f in FIELDS if f not in found])]


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def _missing(display: str, line: int, missing: list[str]) -> Problem:
    return Problem(display, line, "缺少必需的列：" + "、".join(f"{f}（{FIELD_NAMES[f]}）" for f in missing)
                   + "。长格式的表头应为 year,month,city,measure,value（或 年度,月份,市州,统计项,数值）；"
                     "宽格式为 年度、月份、市州 三列加上每个统计项一列（表头写统计项代码或中文名称）")


def _wide(display: str, line: int, headers: list[str], columns: dict[str, int], names: Names,
          spreadsheet: bool) -> tuple[Layout | None, list[Problem]]:
    layout = Layout(WIDE, line, headers, columns, spare=not spreadsheet)
    problems, seen = [], {}
    for col, text in enumerate(headers):
        if col in columns.values() or not text or text.lower() in NOTE_HEADERS:
            continue
        code = names.measure(text)
        if code is None:
            problems.append(Problem(display, line, f"{layout.label(col, spreadsheet)}：无法识别的表头“{text}”"
                                    f"{names.measure_hint(text)}（宽格式每列的表头应为统计项代码或中文名称；"
                                    f"备注列请写“备注”）"))
        elif code in seen:
            problems.append(Problem(display, line, f"{layout.label(col, spreadsheet)}：统计项“{text}”与"
                                    f"{layout.label(seen[code], spreadsheet)}重复"))
        else:
            seen[code] = col
            layout.measures[col] = code
    if not layout.measures and not problems:
        problems.append(Problem(display, line, "有年度、月份、市州列，但没有任何统计项列，也没有 measure 和 value 列"))
    return (None if problems else layout), problems
