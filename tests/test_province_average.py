"""全省平均分 is one figure (scoring.md §5: the mean of the unrounded totals, rounded once for display), and the
page, the workbook, the Word and PDF circulars and `scorecard score` show the same string for every year and
month of the demo data; the counts by grade and the gaps in the data likewise."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from page_support import metric, table_with
from pypdf import PdfReader

from scorecard import formatting as fmt
from scorecard.report.notes import missing_text
from scorecard.exports import export
from scorecard.exports.blocks import Paragraph
from scorecard.exports.circular import circular
from scorecard.data.queries import latest_months
from scorecard.assessment.scoring import score_year
from scorecard.data.store import Store

AVERAGE = re.compile(r"平均得分(\d+\.\d\d)分")


def spec_average(result) -> str:
    """scoring.md §5: the mean of the unrounded totals of the cities assessed, rounded once."""
    return fmt.points(sum(c.total for c in result.cities) / len(result.cities))


def months_of(db) -> list[tuple[int, int]]:
    store = Store(db)
    with store.reader() as con:
        latest = latest_months(con, store)
    return [(year, month) for year, last in sorted(latest.items()) for month in range(1, last + 1)]


def squeezed(text: str) -> str:
    return re.sub(r"[\s\x00]+", "", text)      # pypdf puts a NUL and a space between CJK glyphs


def workbook_average(data: bytes) -> str:
    sheet = load_workbook(io.BytesIO(data))["汇总"]
    header = [c.value for c in sheet[3]]
    total = header.index("总分")
    row = next(r for r in sheet.iter_rows(min_row=4) if "全省平均分" in [c.value for c in r])
    assert isinstance(row[total].value, float | int)
    return f"{row[total].value:.2f}"


def word_average(data: bytes) -> str:
    text = "".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    return AVERAGE.search(text).group(1)


def pdf_average(data: bytes) -> str:
    text = squeezed("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages[:2]))
    return AVERAGE.search(text).group(1)


def circular_average(result, config) -> str:
    """What the Word and the PDF circular say: both lay out these blocks (word.py, pdf.py)."""
    return AVERAGE.search("".join(b.text for b in circular(result, config).blocks if isinstance(b, Paragraph))).group(1)


def test_every_view_shows_the_same_province_average(config, demo_db, shipped_config_dir, open_app, cli):
    store = Store(demo_db)
    seen, telling = [], []  # telling: the months where averaging rounded totals would show another figure
    for year, month in months_of(demo_db):
        result = score_year(config, store, year, month)
        app = open_app(shipped_config_dir, demo_db, {"year": str(year), "month": str(month)})
        assert not app.exception
        out = cli("--config", shipped_config_dir, "--db", demo_db, "score", "--year", year, "--month", month).out
        shown = {
            "page": metric(app, "全省平均分"),
            "cli": re.search(r"全省平均分：(\d+\.\d\d)分", out).group(1),
            "xlsx": workbook_average(export("xlsx", result, config, store)),
            "circular": circular_average(result, config),
        }
        assert set(shown.values()) == {spec_average(result)}, (year, month, shown)
        seen.append((year, month))
        rounded_first = fmt.points(sum(c.total_rounded for c in result.cities) / len(result.cities))
        if rounded_first != shown["page"]:
            telling.append((year, month))
    assert len(seen) == 24
    assert telling, "no month where the mean of the rounded totals differs: the test could not tell the two apart"


@pytest.mark.parametrize("year, month", [(2002, 4), (2003, 6), (2003, 12)])
def test_the_word_and_pdf_files_say_it_too(config, demo_db, year, month):
    """The files themselves (a PDF takes seconds to make): 2002 as of April is where the circular said 87.35."""
    store = Store(demo_db)
    result = score_year(config, store, year, month)
    expected = spec_average(result)
    assert word_average(export("docx", result, config, store)) == expected
    assert pdf_average(export("pdf", result, config, store)) == expected


@pytest.mark.parametrize("year, month", [(2002, 4), (2003, 12)])
def test_the_counts_by_grade_and_the_gaps_in_the_data_agree(config, demo_db, shipped_config_dir, open_app, cli,
                                                             year, month):
    store = Store(demo_db)
    result = score_year(config, store, year, month)
    grades = [name for name, _ in config.rules.grades]
    counts = {g: sum(c.grade == g for c in result.cities) for g in grades}
    app = open_app(shipped_config_dir, demo_db, {"year": str(year), "month": str(month)})
    assert metric(app, f"{grades[0]}等次") == f"{counts[grades[0]]}个"
    words = "、".join(f"{g}{counts[g]}个" for g in grades)
    out = cli("--config", shipped_config_dir, "--db", demo_db, "score", "--year", year, "--month", month).out
    assert words in out
    assert words in "".join(p.text for p in Document(io.BytesIO(export("docx", result, config, store))).paragraphs)
    gaps = {c.name: missing_text(c) for c in result.cities if missing_text(c)}
    assert gaps or (year, month) != (2003, 12)          # 白城市 lacks August and September
    page = table_with(app, "数据不全").set_index("市州")["数据不全"]
    summary = load_workbook(io.BytesIO(export("xlsx", result, config, store)))["汇总"]
    notes = {row[1].value: row[-1].value or "" for row in summary.iter_rows(min_row=4) if row[0].value}
    lines = {line.split()[1]: line for line in out.splitlines() if re.match(r"\s*\d+\s", line)}
    for name, gap in gaps.items():
        assert page[name] == gap and gap in notes[name] and gap in lines[name]
