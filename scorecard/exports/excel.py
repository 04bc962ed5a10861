"""The Excel workbook: 汇总 (ranking and chart), 评分明细 (city × indicator) and 说明 (how it was made).

Every number is a numeric cell with a number format, so that the secretary can sort, sum and
chart it; texts say what the numbers cannot (等次, 进度, 计分说明).
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import replace
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import xlsxwriter

from .. import clock
from .. import formatting as fmt
from ..report import palette
from ..formatting import PERCENT
from ..config import Config, Rules
from ..formatting import round2
from ..assessment.results import YearResult
from ..data.store import Store
from ..report.columns import (
    CITY,
    GRADE,
    NUMBER_FORMATS,
    POINTS,
    RANK,
    TEXT,
    TOTAL,
    notes_column,
    ranking_columns,
    weights_text,
)
from ..report.notes import DEMO_NOTE, page_mark, provisional_note, publication_note
from ..report.sheet import (
    ACTUAL,
    COMPLETION,
    EXPLANATION,
    LINE_BONUS,
    LINE_POINTS,
    LINE_RANK,
    METHOD,
    MISSING_MONTHS,
    PACE,
    PROJECTED,
    STATUS,
    TARGET,
    UNIT,
    WEIGHT,
    detail_columns,
    lines,
)
from ..report.summary import summarize
from . import layout
from .worksheet import Sheet
from .content import document_title, months_text, number
from ..frozen import collector_paused
from ..assessment.decisions import records_of
from ..assessment.fingerprint import InputFingerprint, input_fingerprint
from ..assessment.self_assessment import three_scores
from ..records.self_assessment import CLAIMED, in_force as claims_in_force

FONT = "宋体"
UNIT_FORMATS = {PERCENT: "0.0%", "万元": "#,##0.00"}
COLUMN_WIDTHS = {POINTS: 10, RANK: 6, TEXT: 10}    # in characters; 名次变化 9
NOTES_WIDTH = 40                       # characters of the 备注 column
LINE_HEIGHT = 14.5                     # points of a line of 10-point CJK text (Noto CJK's is 1.45 em)
HEADER_ROW = 2                         # rows 0-1: title and subtitle
ABOUT_WIDTHS = (18, 90)                # characters of the 说明 sheet's two columns
LABELLED_CHART = 40                    # up to this many units the chart names every bar


class _Formats:
    """xlsxwriter formats, made once per distinct look."""

    def __init__(self, book):
        self.book = book
        self._cache: dict = {}

    def __call__(self, **properties):
        key = tuple(sorted(properties.items()))
        if key not in self._cache:
            self._cache[key] = self.book.add_format({"font_name": FONT, "font_size": 10, "border": 1,
                                                     "valign": "vcenter", **properties})
        return self._cache[key]

    def header(self):
        return self(bold=True, bg_color="#eef0f3", align="center", text_wrap=True)

    def colored(self, color: str, **properties):
        return self(font_color=color, bg_color=palette.light(color), bold=True, align="center", **properties)


def _merged(sheet, row: int, columns: int, text: str, look) -> None:
    sheet.merge_range(row, 0, row, columns - 1, None, look)
    _write(sheet, row, 0, text, look)


def _heading(sheet, formats: _Formats, result: YearResult, title: str, columns: int) -> None:
    _merged(sheet, 0, columns, title, formats(bold=True, font_size=16, align="center", border=0))
    mark = page_mark(result)
    subtitle = [f"统计期间：{result.year}年{months_text(result.month)}"]
    subtitle += [f"【{mark}】"] if result.provisional else [f"结果：{result.label}"] + ([f"【{mark}】"] if mark else [])
    subtitle += [result.publication.title] if result.publication else []
    _merged(sheet, 1, columns, "　".join(subtitle),
            formats(align="center", border=0, font_color=palette.CRIMSON if mark else "#000000"))
    sheet.set_row(0, 30)


def printed_wide(sheet, header_row: int) -> None:
    """A4 landscape, one page wide (as many pages tall as needed), the header row on every page."""
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)


def _print_setup(sheet, result: YearResult) -> None:
    printed_wide(sheet, HEADER_ROW)
    mark = page_mark(result)
    if mark:
        sheet.set_header(f'&R&"{FONT},Bold"&KC62828【{mark}】')
    sheet.set_footer("&C第 &P 页，共 &N 页")


def _summary(book, formats: _Formats, result: YearResult, config: Config) -> None:
    sheet = book.add_worksheet("汇总", Sheet)
    columns = ranking_columns(result) + [notes_column(result)]
    width = len(columns)
    _heading(sheet, formats, result, document_title(result), width)
    for j, column in enumerate(columns):
        _write(sheet, HEADER_ROW, j, column.document_header, formats.header())
        sheet.set_column(j, j, 18 if column is CITY else NOTES_WIDTH if j == width - 1 else COLUMN_WIDTHS.get(column.kind, 9))
    sheet.set_row(HEADER_ROW, 32)
    looks = [None if column is GRADE                # in the colour of the city's grade
             else formats(text_wrap=True) if j == width - 1
             else formats() if column.kind == TEXT
             else formats(num_format=NUMBER_FORMATS[column.kind], align="center" if column.kind != POINTS else "right")
             for j, column in enumerate(columns)]
    values = [column.value if column.kind == TEXT else column.number for column in columns]
    for i, city in enumerate(result.cities, start=HEADER_ROW + 1):
        color = palette.grade_color(city.grade, result.rules.grades)
        cells = [value(city) for value in values]
        sheet.cells(i, 0, cells, [look or formats.colored(color) for look in looks])
        _fit_row(sheet, i, [(cells[-1], NOTES_WIDTH)])     # the 备注 (a text column's value), worded once
    last = HEADER_ROW + len(result.cities)
    _average_row(sheet, formats, result, config, columns, last + 1)
    sheet.freeze_panes(HEADER_ROW + 1, 2)
    sheet.autofilter(HEADER_ROW, 0, last, width - 1)
    _print_setup(sheet, result)
    _chart(book, sheet, result, config, columns, last)


def _average_row(sheet, formats: _Formats, result: YearResult, config: Config, columns, row: int) -> None:
    """全省平均分 under the ranking (report.summary), outside its filter so that a sort leaves it at the bottom."""
    _write(sheet, row, columns.index(CITY), "全省平均分", formats(bold=True, border=0))
    _write(sheet, row, columns.index(TOTAL), round2(summarize(result).average),
           formats(bold=True, border=0, num_format=NUMBER_FORMATS[POINTS], align="right"))


def _chart(book, sheet, result: YearResult, config: Config, columns, last: int) -> None:
    name_col, total_col = columns.index(CITY), columns.index(TOTAL)
    labelled = len(result.cities) <= LABELLED_CHART
    chart = book.add_chart({"type": "bar" if labelled else "column"})
    chart.add_series({
        "name": "总分",
        "categories": ["汇总", HEADER_ROW + 1, name_col, last, name_col],
        "values": ["汇总", HEADER_ROW + 1, total_col, last, total_col],
        "points": [{"fill": {"color": palette.grade_color(c.grade, result.rules.grades)}} for c in result.cities],
        "data_labels": {"value": True, "num_format": "0.00"} if labelled else {},
        "gap": 60,
    })
    axis_font = {"name": FONT, "size": 9}
    category_axis = {"num_font": axis_font, "reverse": True} if labelled else {"visible": False}
    chart.set_x_axis({"min": 0, "num_format": "0", "num_font": axis_font} if labelled else category_axis)
    chart.set_y_axis(category_axis if labelled else {"min": 0, "num_format": "0", "num_font": axis_font})
    chart.set_title({"name": f"各市（州）{'预估' if result.provisional else ''}考评总分",
                     "name_font": {"name": FONT, "size": 12, "bold": True}})
    chart.set_legend({"none": True})
    height = 60 + 26 * len(result.cities) if labelled else 420
    chart.set_size({"width": 900, "height": height})
    sheet.insert_chart(last + 3, 0, chart)


def _quantity_format(unit: str) -> str:
    return UNIT_FORMATS.get(unit, "#,##0")


def _percent_format(digits: int) -> str:
    return "0." + "0" * digits + "%" if digits else "0%"


def _telling_formats(i) -> tuple[str, str]:
    """Number formats of 目标 and 实际, and of 完成率 and 序时进度要求: with the decimals at which a shortfall shows
    (formatting.telling_digits), so that 落后 never stands beside 50.0% and 50.0%."""
    quantity = _quantity_format(i.unit)
    if i.percent and i.kind != "flow":
        quantity = _percent_format(fmt.telling_digits(i.actual, i.target, i.falls_short))
    threshold = 1.0 if i.expected is None else i.expected
    return quantity, _percent_format(fmt.telling_digits(i.completion, threshold, i.falls_short))


DETAIL_WIDTHS = {"名次": 6, "市州": 16, "考评领域": 9, "考核指标": 22, "单位": 6, "目标": 12, "实际": 12, "完成率": 9,
                 "序时进度要求": 10, "推算全年": 12, "计分方法": 28, "满分": 7, "得分": 8, "加分": 7, "进度": 12,
                 "缺报月份": 10, "计分说明": 56}           # characters, by the columns of report/sheet.py


def _details(book, formats: _Formats, result: YearResult, config: Config) -> None:
    sheet = book.add_worksheet("评分明细", Sheet)
    columns = detail_columns()
    _heading(sheet, formats, result, f"{document_title(result)}——评分明细", len(columns))
    for j, column in enumerate(columns):
        _write(sheet, HEADER_ROW, j, column.document_header, formats.header())
        sheet.set_column(j, j, DETAIL_WIDTHS[column.header])
    sheet.set_row(HEADER_ROW, 32)
    row = HEADER_ROW
    # each column's value of a line, points as numbers (rounded as shown), the rest as their columns give them
    values = [column.number if column.kind == POINTS else column.value for column in columns]
    wrapped = [(columns.index(column), DETAIL_WIDTHS[column.header]) for column in (METHOD, EXPLANATION)]
    looks_of: dict[tuple, list] = {}        # the cells' formats of each distinct look of a line, by column
    for line in lines(result):
        row += 1
        i = line.indicator
        compared, share = _telling_formats(i)
        quantity, status = _quantity_format(i.unit), i.status
        looks = looks_of.get((compared, share, quantity, status))
        if looks is None:
            special = {
                LINE_RANK: formats(num_format="0", align="center"), UNIT: formats(align="center"),
                TARGET: formats(num_format=compared), ACTUAL: formats(num_format=compared),
                COMPLETION: formats(num_format=share), PACE: formats(num_format=share),
                PROJECTED: formats(num_format=quantity), METHOD: formats(text_wrap=True),
                WEIGHT: formats(num_format="0.##"), LINE_POINTS: formats(num_format="0.00"),
                LINE_BONUS: formats(num_format="0.00"), STATUS: formats.colored(palette.STATUS_COLORS[status]),
                MISSING_MONTHS: formats(align="center"), EXPLANATION: formats(text_wrap=True)}
            looks = looks_of[compared, share, quantity, status] = [special.get(c) or formats() for c in columns]
        cells = [value(line) for value in values]
        sheet.cells(row, 0, cells, looks)      # figures as numbers, formatted above
        _fit_row(sheet, row, [(cells[j], width) for j, width in wrapped])
    sheet.freeze_panes(HEADER_ROW + 1, 4)
    sheet.autofilter(HEADER_ROW, 0, row, len(columns) - 1)
    _print_setup(sheet, result)


SELF_HEADERS = (("市（州）", 16), ("考核指标", 22), ("自评数", 14), ("自评分", 10), ("核查数", 14), ("核查分", 10),
                ("审定分", 10), ("说明与核查理由", 40))


def _self_assessment(book, formats: _Formats, result: YearResult, config: Config, store: Store) -> None:
    """自评分 / 核查分 / 审定分 side by side, per indicator and in total, the rows whose three differ filled: only for
    a year-end result with a self-assessment submitted."""
    records = records_of(store)
    entries = {} if result.month != 12 or records is None else claims_in_force(records, result.year)
    claimed = {city for city, _, stage in entries if stage == CLAIMED}     # only these may have a 自评分 to show
    if not claimed:
        return
    only_claimed = replace(result, cities=tuple(c for c in result.cities if c.code in claimed))
    cities = [t for t in three_scores(config, only_claimed, entries) if t.claimed_total is not None]
    if not cities:      # claims only of indicators no longer in the cities' contracts
        return
    sheet = book.add_worksheet("自评核查", Sheet)
    _heading(sheet, formats, result, f"{document_title(result)}——自评、核查与审定", len(SELF_HEADERS))
    for j, (header, width) in enumerate(SELF_HEADERS):
        _write(sheet, HEADER_ROW, j, header, formats.header())
        sheet.set_column(j, j, width)
    row = HEADER_ROW
    for three in cities:
        for line in three.indicators:
            row += 1
            i, fill = line.indicator, {"bg_color": palette.light(palette.OCHRE)} if line.differs else {}
            figure = formats(num_format=_quantity_format(i.unit), **fill)
            notes = "；".join(t for t in (line.claimed and line.claimed.note, line.verified and line.verified.note) if t)
            values = (three.city.name, i.name, line.claimed.figure if line.claimed else None, line.claimed_points,
                      line.verified.figure if line.verified else None, line.verified_points, line.approved_points,
                      notes)
            looks = (formats(**fill), formats(**fill), figure, formats(num_format="0.00", **fill), figure,
                     formats(num_format="0.00", **fill), formats(num_format="0.00", **fill),
                     formats(text_wrap=True, **fill))
            sheet.cells(row, 0, values, looks)
            _fit_row(sheet, row, [(notes, SELF_HEADERS[-1][1])])
        row += 1
        fill = {"bg_color": palette.light(palette.OCHRE)} if three.differs else {}
        total = formats(num_format="0.00", bold=True, **fill)
        values = (three.city.name, "总分（含加分、加减分）", None, three.claimed_total, None, three.verified_total,
                  three.approved_total, None)
        sheet.cells(row, 0, values, [total if isinstance(value, float) else formats(bold=True, **fill) for value in values])
    sheet.freeze_panes(HEADER_ROW + 1, 2)
    _print_setup(sheet, result)


@lru_cache(maxsize=1 << 16)     # the pieces of the texts of thousands of rows are mostly the same characters
def _cell_measure(text: str) -> float:
    """A text's width in Excel's column unit (the width of a '0' of the default font): a CJK character of the
    10-point font takes two, a digit or letter a little more than one (in the wider fonts LibreOffice falls
    back to)."""
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WFA" else 1.2 for ch in text)


_ZEROED = bytes.maketrans(b"123456789", b"000000000")   # in UTF-8, where no other character has these bytes


@lru_cache(maxsize=1 << 12)     # a scoring method's text repeats on every unit's row of its indicator
def cell_lines(text: str, width: float) -> int:
    """How many lines `text` takes in a wrapped cell `width` characters wide, broken as layout.wrap breaks.

    Counted on the text's shape, its digits 1-9 made 0: layout.units cuts both into pieces at the same places
    (every character class of its pattern and its punctuation sets holds all ten digits or none) and each digit
    measures 1.2, so wrap breaks both alike. The 13,875 explanations of 2,800 units have 293 shapes. The shape
    is made of the text's UTF-8 bytes (bytes.translate: a sixth of a regular expression's substitution)."""
    return _shape_lines(text.encode("utf-8", "surrogatepass").translate(_ZEROED), width) if text else 1


@lru_cache(maxsize=1 << 12)
def _shape_lines(shape: bytes, width: float) -> int:
    return len(layout.wrap(shape.decode("utf-8", "surrogatepass"), max(1.0, width - 1.5), _cell_measure))


def _fit_row(sheet, row: int, texts: list[tuple[str, float]]) -> None:
    """A row as tall as its longest wrapped text (text, column width in characters): spreadsheets do not grow a
    row of a written file themselves, and LibreOffice draws the lines over the next row."""
    lines = max((cell_lines(text, width) for text, width in texts if text), default=1)
    if lines > 1:
        sheet.set_row(row, LINE_HEIGHT * lines + 4)


def _write(sheet: Sheet, row: int, col: int, value, look) -> None:
    """One cell of the workbook (Sheet.cells)."""
    sheet.cells(row, col, (value,), (look,))


def _rules_text(rules: Rules) -> list[tuple[str, str]]:
    grades = "，".join(f"{name}≥{number(minimum)}分" for name, minimum in rules.grades[:-1])
    quota = "不限" if rules.excellent_quota is None else f"不超过参评单位的{rules.excellent_quota:.0%}"
    warning = rules.warning
    return [
        ("总分", f"各项指标得分＋加分（合计不超过{number(rules.bonus_cap)}分）＋加减分，低于0按0计；"
               f"满分{number(rules.total_points)}分；显示和名次均按四舍五入保留两位小数"),
        ("等次", f"{grades}，其余为{rules.failing_grade}；一票否决的为{rules.failing_grade}（得分和名次保留）"),
        ("优秀名额", quota),
        ("名次", "按总分从高到低排列，同分并列，其后名次顺延；名次变化＝上年名次－本年名次（正数为上升）"),
        ("计分方法", "按完成比例计分、分档计分、按差距扣分（不足一档按比例）、完成得分未完成不得分，"
                 "各指标的方法见“评分明细”"),
        ("序时进度", f"流量指标截至当月应完成全年目标的比例（缺省为月数/12）；低于序时进度"
                 f"{rules.progress_tolerance * 100:g}个百分点以内为落后，超过为严重滞后"),
        ("预估得分", "12月以前，流量指标按序时进度推算全年后计分，存量和比率指标按当月数计分"),
        ("基金预警", f"可支付月数＝当月累计结余÷近{warning.lookback_months}个月月均支出；"
                 f"低于{number(warning.threshold_months)}个月为预警，低于{number(warning.watch_months)}个月为关注"),
    ]


def _about(book, formats: _Formats, result: YearResult, config: Config, store: Store, now: dt.datetime,
           fingerprint: InputFingerprint) -> None:
    sheet = book.add_worksheet("说明", Sheet)
    for j, width in enumerate(ABOUT_WIDTHS):
        sheet.set_column(j, j, width)
    _heading(sheet, formats, result, f"{document_title(result)}——说明", 2)
    label, text = formats(bold=True, bg_color="#eef0f3"), formats(text_wrap=True)
    summary = summarize(result)
    source = DEMO_NOTE if result.demo else "导入的各市（州）月度统计数据"
    if result.as_of_import is not None:
        source += f"，截至第{result.as_of_import}次导入时的数"
    rows = [
        ("考评年度", result.year, formats(num_format="0", align="left")),
        ("截至月份", result.month, formats(num_format="0", align="left")),
        ("结果性质", f"预估，不是年终考评结果。{provisional_note(result.month)}"
                 if result.provisional else "年终：按全年实际完成情况计分的最终结果", text),
        ("数据来源", source, text),
        *([("发布", publication_note(result), text)] if result.publication else []),
        ("概况", "".join(summary.sentences()), text),
        ("各领域满分", weights_text(result), text),
        ("最近有数据的月份", result.latest_data_month, formats(num_format="0", align="left")),
        ("参加考评单位数", len(result.cities), formats(num_format="0", align="left")),
        ("生成时间", now, formats(num_format="yyyy-mm-dd hh:mm:ss", align="left")),
        *[(f"规则：{name}", value, text) for name, value in _rules_text(result.rules)],
        ("输入指纹（SHA-256）", fingerprint.combined, text),
        ("配置指纹", f"{fingerprint.config}（{fingerprint.files}个配置文件）", text),
        ("数据指纹", f"{fingerprint.data}（{fingerprint.window}的{fingerprint.rows}条月度数据）", text),
        *([("个人记录指纹", f"{fingerprint.records}（个人记录的各次导入和规则检查的核查结果，也合成在输入指纹中）", text)]
          if fingerprint.records else []),
        ("指纹说明", "输入指纹由配置指纹和数据指纹合成：配置文件或所用数据有任何改动，指纹就不同；"
                 "两份文件指纹相同，说明它们由相同的输入算出", text),
        ("配置目录", str(config.directory), text),
        ("数据库文件", str(store.path), text),
    ]
    for n, (name, value, look) in enumerate(rows, start=HEADER_ROW):
        _write(sheet, n, 0, name, label)
        _write(sheet, n, 1, value, look)
        _fit_row(sheet, n, [(value if isinstance(value, str) else "", ABOUT_WIDTHS[1])])   # the labels do not wrap
    _print_setup(sheet, result)
    sheet.set_portrait()


def _inputs(config: Config, store: Store, result: YearResult) -> InputFingerprint:
    """The fingerprint the 说明 sheet prints: a published result's own, else the inputs' as they are now."""
    return result.publication.inputs if result.publication else input_fingerprint(config, store, result)


@collector_paused()     # 400,000 cells at 2,800 units: 4-5 full collections of the whole process while they are made
def workbook(result: YearResult, config: Config, store: Store, now: dt.datetime | None = None) -> bytes:
    """The .xlsx bytes of the three sheets."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"title": document_title(result), "author": "失业保险目标责任制考评系统",
                         "comments": page_mark(result) or ""})
    formats = _Formats(book)
    with ThreadPoolExecutor(1) as pool:     # the data's digest (seconds of DuckDB at thousands of units, which
        inputs = pool.submit(_inputs, config, store, result)     # leaves the GIL) hashed while the sheets are made
        _summary(book, formats, result, config)
        _details(book, formats, result, config)
        _self_assessment(book, formats, result, config, store)
        _about(book, formats, result, config, store, now or clock.now().replace(microsecond=0), inputs.result())
    book.close()
    for sheet in book.worksheets():     # xlsxwriter's one reference cycle (a sheet holds its book's add_format):
        sheet.workbook_add_format = None    # broken, the book's cells are freed on return, not by a collection
    return buffer.getvalue()
