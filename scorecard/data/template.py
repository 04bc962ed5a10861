"""The monthly report template (月报表): a workbook a city fills in, and reading it back.

One sheet per city: the year, month and city in fixed labelled cells, then one row per
measure with its code, Chinese name, unit, what to report (当月数 or 月末数), last month's
value for reference and the cell to fill. Only the cells to fill are unlocked; Excel checks
that they hold numbers within the catalogue's `min` and `max`.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from .. import years
from ..cells import inert, sheet_title
from ..config import City, Config
from .layouts import SRC_TYPES, TEMPLATE, Layout
from .normalize import Names, compact, parse_month, parse_year
from .queries import monthly_values
from .sheets import column_letter
from .store import Store
from ..config.yamlsource import Problem

TITLE = "失业保险工作月报表"
CODE_HEADER, VALUE_HEADER = "统计项代码", "本月数"
# the codes are read back by the import (found by their header, wherever the column is), not read by people: last, hidden
HEADERS = ["序号", "统计项", "单位", "填报口径", "上月数（参考）", VALUE_HEADER, "备注", CODE_HEADER]
HEADER_ROW, FIRST_ROW = 5, 6
REFERENCE_COL, VALUE_COL, NOTE_COL, CODE_COL = 5, 6, 7, 9  # 1-based, as openpyxl counts
SEARCH_ROWS = 12
KIND_TEXT = {"flow": "当月数", "stock": "月末数"}
FILL_COLOUR = "FFF2CC"


def instructions(city_text: str, year: int, month: int) -> str:
    return "\n".join([
        f"填报说明：本表为{city_text}{year}年{month}月失业保险工作月报表。",
        "1. 只在黄色的“本月数”列填写数字，其他单元格已锁定，请勿改动表格结构和工作表名称（最后一列统计项代码供导入识别，已隐藏）。",
        "2. “填报口径”为“当月数”的，填本月发生的数（不是年初以来的累计数）；为“月末数”的，填本月末的数。",
        "3. 按“单位”列填写：万元保留两位小数，人数、人次填整数；可以带千位分隔符。",
        "4. 没有数据的项目请留空（留空表示本月未报送，不按0处理）；实际为0的请填0。",
        "5. “上月数”仅供核对参考；上月数如有错误，请另行报送更正。",
        "6. 填好后保存为xlsx文件报省厅，由省厅在“数据管理”页面导入。",
    ])


def _previous(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _reference_values(config: Config, store: Store | None, year: int, month: int, cities) -> dict:
    if store is None or not store.exists():
        return {}
    py, pm = _previous(year, month)
    with store.reader() as con:
        rows = monthly_values(con, store, py, cities=[c.code for c in cities])
    return {(city, measure): value for city, measure, m, value in rows if m == pm}


def _put(sheet, row: int, col: int, value=None):
    """Every cell of the template: a text of the config is never run as a formula (cells.inert)."""
    return sheet.cell(row, col, inert(value))


def build_workbook(config: Config, store: Store | None, year: int, month: int, cities: list[City]):
    """The template for the given cities (one sheet each), with last month's values from the store."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    reference = _reference_values(config, store, year, month, cities)
    py, pm = _previous(year, month)
    book = Workbook()
    book.remove(book.active)
    book.properties.title = f"{year}年{month}月{TITLE}"
    book.properties.creator = "scorecard"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=FILL_COLOUR)
    for city in cities:
        sheet = book.create_sheet(sheet_title(city.label))
        last = NOTE_COL + 1  # 备注 spans two columns, under the 市州代码 of row 2; the codes' column is hidden
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
        _put(sheet, 1, 1, f"{city.name} {year}年{month}月 {TITLE}").font = Font(bold=True, size=14)
        sheet.cell(1, 1).alignment = Alignment(horizontal="center")
        for col, (label, value) in enumerate((("年度", year), ("月份", month), ("市州", city.name),
                                              ("市州代码", city.code)), start=0):
            _put(sheet, 2, 2 * col + 1, label).font = bold
            _put(sheet, 2, 2 * col + 2, value).alignment = Alignment(horizontal="left")
        sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=last)
        _put(sheet, 3, 1, instructions(city.name, year, month)).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[3].height = 118
        sheet.row_dimensions[HEADER_ROW].height = 32  # two lines: the reference month's header wraps
        for col, header in zip((*range(1, NOTE_COL + 1), CODE_COL), HEADERS):
            text = f"上月数（{py}年{pm}月，参考）" if header.startswith("上月数") else header
            cell = _put(sheet, HEADER_ROW, col, text)
            cell.font, cell.border = bold, border
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        checks: dict[tuple[float, float], DataValidation] = {}  # one per range of plausible values
        for number, measure in enumerate((m for m in config.measures.values() if m.reported), start=1):
            row = FIRST_ROW + number - 1
            number_format = "#,##0.00" if measure.unit == "万元" else "#,##0"
            values = [number, measure.name, measure.unit, KIND_TEXT.get(measure.kind, ""),
                      reference.get((city.code, measure.code)), None, None, measure.code]
            for col, value in zip((*range(1, NOTE_COL + 1), CODE_COL), values):
                cell = _put(sheet, row, col, value)
                cell.border = border
            sheet.cell(row, REFERENCE_COL).number_format = number_format
            entry = sheet.cell(row, VALUE_COL)
            entry.number_format, entry.fill = number_format, fill
            entry.protection = Protection(locked=False)
            sheet.cell(row, NOTE_COL).protection = Protection(locked=False)
            low, high = max(-measure.max, measure.min if measure.min is not None else -measure.max), measure.max
            if (low, high) not in checks:
                checks[low, high] = DataValidation(
                    type="decimal", operator="between", formula1=f"{low:.15g}", formula2=f"{high:.15g}",
                    allow_blank=True, showErrorMessage=True, errorTitle="数值无效",
                    error=f"请填写{low:,.15g}至{high:,.15g}之间的数字；没有数据请留空。")
                sheet.add_data_validation(checks[low, high])
            checks[low, high].add(entry)
        for line in range(HEADER_ROW, row + 1):
            sheet.cell(line, NOTE_COL + 1).border = border
            sheet.merge_cells(start_row=line, start_column=NOTE_COL, end_row=line, end_column=NOTE_COL + 1)
        for col, width in enumerate((6, 30, 8, 10, 18, 18, 14, 12, 24), start=1):
            sheet.column_dimensions[column_letter(col - 1)].width = width
        sheet.column_dimensions[column_letter(CODE_COL - 1)].hidden = True  # read back on import, not for people
        sheet.freeze_panes = sheet.cell(FIRST_ROW, 1)
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False
    return book


def template_bytes(config: Config, store: Store | None, year: int, month: int, cities: list[City]) -> bytes:
    buffer = io.BytesIO()
    build_workbook(config, store, year, month, cities).save(buffer)
    return buffer.getvalue()


def write_template(config: Config, store: Store | None, year: int, month: int, cities: list[City], out) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(template_bytes(config, store, year, month, cities))
    return out


def _header_row(rows: list[list]) -> int | None:
    for index, row in enumerate(rows[:SEARCH_ROWS]):
        cells = [compact(v) for v in row]
        if CODE_HEADER in cells and any(c.startswith(VALUE_HEADER) for c in cells):
            return index
    return None


def is_template(rows: list[list]) -> bool:
    header = _header_row(rows)
    return header is not None and _labelled(rows[:header], "年度") is not None


def _labelled(rows: list[list], label: str) -> tuple[int, int, str] | None:
    """The cell right of a label cell (row index, column index, text), skipping empty cells."""
    for r, row in enumerate(rows):
        cells = [compact(v) for v in row]
        for c, text in enumerate(cells):
            if text == label:
                for value_col in range(c + 1, len(cells)):
                    if cells[value_col]:
                        return r, value_col, cells[value_col]
                return r, c + 1, ""
    return None


def read_sheet(rows: list[list], part: int, names: Names, display: str
               ) -> tuple[Layout, pd.DataFrame, list[Problem]]:
    """The filled template as long rows (part, line, col, year, month, city, measure, value, extra)."""
    header = _header_row(rows)
    cells = [compact(v) for v in rows[header]]
    layout = Layout(TEMPLATE, header + 1, cells,
                    {"measure": cells.index(CODE_HEADER),
                     "value": next(i for i, c in enumerate(cells) if c.startswith(VALUE_HEADER))})
    problems = []

    def fixed(label: str, parse, expected):
        found = _labelled(rows[:header], label)
        if found is None:
            problems.append(Problem(display, None, f"找不到“{label}”一格，请使用系统生成的月报表（数据管理页面下载，或命令行 scorecard template）"))
            return None
        r, c, text = found
        value = parse(text)
        if value is None:
            where = f"{label}（{column_letter(c)}{r + 1}）"
            problems.append(Problem(display, r + 1, f"{where}：“{text}”无效，{expected(text)}"))
        return value

    year = fixed("年度", parse_year, lambda _: years.expected())
    month = fixed("月份", parse_month, lambda _: "应为1至12的整数")
    city_label = "市州代码" if _labelled(rows[:header], "市州代码") else "市州"
    city = fixed(city_label, names.city, lambda text: f"应为 cities.yaml 中的市州代码或名称{names.city_hint(text)}")
    measure_col, value_col = layout.columns["measure"], layout.columns["value"]
    records = []
    for index in range(header + 1, len(rows)):
        row = rows[index]
        code = row[measure_col] if measure_col < len(row) else None
        value = row[value_col] if value_col < len(row) else None
        if compact(value) == "":
            continue  # not reported this month
        if compact(code) == "":
            problems.append(Problem(display, index + 1, f"{layout.label(value_col, True)}：填了数值“{value}”，"
                                    f"但这一行没有统计项代码"))
            continue
        records.append((part, index + 1, value_col, str(year), str(month), city, code, value, None))
    if problems:
        records = []
    return layout, pd.DataFrame(records, columns=list(SRC_TYPES)), problems
