"""The warning letter (预警报告) of a city: Word read back with python-docx, PDF with pdftotext, and the CLI."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from functools import lru_cache

import docx
import pandas as pd
import pytest
from export_support import ARTIFACTS, need_fonts, need_tool, pdf_pages_text

from scorecard import formatting as fmt
from scorecard.cli import main
from scorecard.errors import InputError
from scorecard.exports import letter_file_name, warning_letter
from scorecard.exports.circular import DATE_PLACEHOLDER
from scorecard.assessment.fund import fund_statuses
from scorecard.data.unit import apply_rows
from scorecard.data.store import Store

LIAOYUAN, CHANGCHUN = "220400", "220100"


@pytest.fixture(autouse=True)
def fonts():
    need_fonts()


@pytest.fixture(scope="module")
def letter(demo):
    """The demo's letters, each built once for the module."""
    @lru_cache(maxsize=None)
    def make(kind: str, city: str, month: int = 12) -> bytes:
        return warning_letter(kind, demo.config, demo.store, city, 2003, month)

    return make


def _status(demo, city, month):
    with demo.store.reader() as con:
        return next(s for s in fund_statuses(demo.config, con, demo.store, 2003, month, month) if s.city == city)


def _docx_text(data: bytes) -> tuple[str, docx.Document]:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts), document


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _figures(s) -> list[str]:
    return [fmt.quantity(s.balance, "万元"), fmt.quantity(s.mean_expenditure, "万元"), fmt.months(s.capacity),
            s.level_name]


def test_red_city_letter_in_word(demo, letter):
    s = _status(demo, LIAOYUAN, 12)
    text, document = _docx_text(letter("docx", LIAOYUAN))
    title = next(p for p in document.paragraphs if p.style.name == "公文标题").text.replace("\n", "")
    assert title == "关于辽源市失业保险基金支付能力低于预警线的报告"
    assert "辽源市人民政府：" in text and "抄报：省社会保险公司（备案）。" in text
    assert all(figure in text for figure in _figures(s)) and s.level_name == "预警"
    assert "低于2个月的预警线" in text
    # the projection table, from the core's forward look
    for k, balance, capacity in s.projection:
        assert f"{balance:,.2f}" in text and f"{capacity:.2f}" in text
    # the duty to report: deadline 10 days after October, filed with the province on 14 November
    assert "2003-11-10" in text and "2003-11-14" in text and "未按规定报告" in text
    assert "省级失业保险调剂金" in text and "地方财政予以补贴" in text and "第六条" in text
    assert len(document.inline_shapes) == 1                                 # the trend chart
    assert "演示数据" in document.sections[0].header.paragraphs[0].text


def test_normal_city_letter_in_word(demo, letter):
    s = _status(demo, CHANGCHUN, 12)
    text, document = _docx_text(letter("docx", CHANGCHUN))
    assert s.level == "normal"
    assert "关于长春市失业保险基金支付能力情况的报告" in text.replace("\n", "")
    assert all(figure in text for figure in _figures(s))
    assert "支付能力正常" in text and "目前没有须报告的情形" in text
    assert "调剂金" not in text and "未按规定报告" not in text


def test_projected_red_city_must_report_in_advance(demo):
    s = _status(demo, LIAOYUAN, 9)
    assert s.level != "red" and s.months_to_threshold <= 3
    text, _ = _docx_text(warning_letter("docx", demo.config, demo.store, LIAOYUAN, 2003, 9))
    assert "支付能力将低于预警线的报告" in text.replace("\n", "")
    assert f"预计{s.months_to_threshold}个月后" in text and "按规定应提前报告" in text


@pytest.mark.parametrize("city", [LIAOYUAN, CHANGCHUN])
def test_pdf_says_the_same_figures(demo, letter, tmp_path, city):
    s = _status(demo, city, 12)
    pages = pdf_pages_text(letter("pdf", city), tmp_path)
    text = _squeeze("".join(pages))
    assert all(_squeeze(figure) in text for figure in _figures(s))
    assert all("演示数据" in page for page in pages)
    assert "特此报告" in next(page for page in pages if "印发" in page)     # the signature never stands alone
    document = docx.Document(io.BytesIO(letter("docx", city)))
    body = re.sub(r"—\d+—|【演示数据|非正式统计数据】", "", text)
    # the wording is written once; table headers wrap before their bracket, the date placeholder is blank
    paragraphs = [p.text for p in document.paragraphs if p.text.strip() and p.text != DATE_PLACEHOLDER]
    cells = [part for table in document.tables for row in table.rows for cell in row.cells
             for part in re.split(r"(?=（)", cell.text)]
    missing = [t for t in paragraphs + cells if _squeeze(t) not in body]
    assert not missing


def test_letter_pages_render_for_a_look(letter):
    pdftoppm = need_tool("pdftoppm")
    folder = ARTIFACTS / "letter"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    for city in (LIAOYUAN, CHANGCHUN):
        path = folder / f"{city}.pdf"
        path.write_bytes(letter("pdf", city))
        subprocess.run([pdftoppm, "-r", "60", "-png", str(path), str(folder / city)], check=True)
    assert len(list(folder.glob("*.png"))) >= 4


def _store_with(tmp_path, rows) -> Store:
    store = Store(tmp_path / "fund.duckdb")
    frame = pd.DataFrame(rows, columns=["year", "month", "city", "measure", "value"])
    apply_rows(store, frame, "fund.csv", "0" * 64)
    return store


def test_negative_balance_and_missing_capacity_are_said(demo, tmp_path):
    rows = [(2003, m, CHANGCHUN, measure, value) for m in range(1, 13)
            for measure, value in (("fund_expenditure", 100), ("fund_income", 90))]
    rows.append((2003, 12, CHANGCHUN, "fund_balance", -50))
    store = _store_with(tmp_path, rows)
    text, _ = _docx_text(warning_letter("docx", demo.config, store, CHANGCHUN, 2003, 12, today=dt.date(2004, 1, 5)))
    assert "月末累计结余-50.00万元" in text and "月末累计结余已为负数" in text and "-0.50个月" in text
    assert "报告期限未到" in text                                            # December's deadline is 10 January
    text, _ = _docx_text(warning_letter("docx", demo.config, store, CHANGCHUN, 2003, 11))
    assert "本月未报送基金累计结余，无法计算可支付月数，请尽快补报有关数据" in text


def test_unknown_city_or_no_data_is_refused_in_chinese(demo):
    with pytest.raises(InputError, match="未知的市州"):
        warning_letter("docx", demo.config, demo.store, "长沙市", 2003, 12)
    with pytest.raises(InputError, match="没有基金收支数据"):
        warning_letter("docx", demo.config, demo.store, LIAOYUAN, 1995, 12)


def test_command_line(demo, tmp_path, capsys):
    def run(*args):
        return main(["--config", str(demo.config_dir), "--db", str(demo.db), "warn-letter", *map(str, args)])

    out = tmp_path / "辽源.docx"
    assert run("--city", "辽源市", "--year", 2003, "--month", 12, "--format", "docx", "--out", out) == 0
    assert fmt.months(_status(demo, LIAOYUAN, 12).capacity) in _docx_text(out.read_bytes())[0]
    assert str(out) in capsys.readouterr().out
    assert run("--city", LIAOYUAN, "--year", 2003, "--month", 11, "--format", "docx", "--out", tmp_path) == 0
    written = tmp_path / letter_file_name("docx", demo.config, LIAOYUAN, 2003, 11, True)
    assert fmt.months(_status(demo, LIAOYUAN, 11).capacity) in _docx_text(written.read_bytes())[0]
    assert run("--city", "长沙", "--year", 2003, "--month", 12, "--format", "pdf", "--out", tmp_path) == 1
    assert "未知的市州" in capsys.readouterr().err
    with pytest.raises(SystemExit) as misuse:
        run("--city", LIAOYUAN, "--year", 2003, "--month", 12, "--format", "xlsx", "--out", tmp_path)
    assert misuse.value.code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, written.name])   # nothing else written
