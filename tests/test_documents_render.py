"""The Word documents (circular, warning letter, 目标责任书) and the workbook as LibreOffice renders them: converted
to PDF in one headless soffice run, then read back with pdfplumber — characters with their boxes and colours,
and the table rules. What is checked is what a 办公室 would see: the red 红头, numbers never broken inside a
cell, text never running over a row's rule, the 22 × 28 grid of the 版心, page numbers “— n —” on the outside
edge, and the 版记 at the end of the last page.

LibreOffice finds fonts through fontconfig; the documents name Windows fonts (仿宋, 宋体, 黑体, 方正小标宋), which
a Debian machine lacks. The conversion runs with a fontconfig file that maps them to the Noto CJK fonts, as an
office's machine has them, instead of whatever sans serif fontconfig picks."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest
from export_support import ARTIFACTS, missing, need_fonts

from scorecard.exports import contract_document, warning_letter
from scorecard.exports.blocks import red_head

pdfplumber = pytest.importorskip("pdfplumber")

MM = 72 / 25.4
FONT_ALIASES = {"仿宋": "Noto Serif CJK SC", "宋体": "Noto Serif CJK SC", "楷体": "Noto Serif CJK SC",
                "方正小标宋简体": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC"}
DOCUMENTS = ("circular", "letter", "contract")
NUMBER_SPLIT = re.compile(r"[0-9.,%/+\-]\n[0-9.,%/]")
RED = (1, 0, 0)


def _fontconfig(folder: Path) -> Path:
    aliases = "".join(f"<alias binding=\"same\"><family>{name}</family><prefer><family>{font}</family></prefer></alias>"
                      for name, font in FONT_ALIASES.items())
    path = folder / "fonts.conf"
    path.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include>{aliases}</fontconfig>',
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rendered(demo, tmp_path_factory) -> dict[str, Path]:
    """The demo's documents as LibreOffice prints them: name → PDF (one soffice start for all of them, with its
    own profile so that parallel runs do not share one)."""
    need_fonts()
    soffice = shutil.which("soffice")
    if not soffice:
        missing("没有 soffice（Debian: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui）")
    folder = tmp_path_factory.mktemp("rendered")
    files = {"circular": demo.document("docx"),
             "letter": warning_letter("docx", demo.config, demo.store, "220400", 2003, 12),
             "contract": contract_document("docx", demo.config, 2003, "220100"),
             "book": demo.document("xlsx")}
    sources = []
    for name, data in files.items():
        path = folder / f"{name}.{'xlsx' if name == 'book' else 'docx'}"
        path.write_bytes(data)
        sources.append(str(path))
    env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(folder))}
    subprocess.run([soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder / "pdf"), *sources],
                   check=True, capture_output=True, env=env, timeout=240)
    pdfs = {name: folder / "pdf" / f"{name}.pdf" for name in files}
    assert all(p.exists() for p in pdfs.values()), list((folder / "pdf").iterdir())
    ARTIFACTS.mkdir(exist_ok=True)
    pdftoppm = shutil.which("pdftoppm")
    for name, path in pdfs.items():         # to look at: tests/artifacts/render-<name>-<page>.png
        if pdftoppm:
            subprocess.run([pdftoppm, "-r", "60", "-png", str(path), str(ARTIFACTS / f"render-{name}")], check=True)
    return pdfs


@pytest.fixture(scope="module")
def pages(rendered):
    """name → pdfplumber pages; the files stay open for the module."""
    opened = {name: pdfplumber.open(path) for name, path in rendered.items()}
    yield {name: pdf.pages for name, pdf in opened.items()}
    for pdf in opened.values():
        pdf.close()


def _lines(page) -> list[str]:
    return page.extract_text().splitlines()


def _color(char) -> tuple:
    color = char.get("non_stroking_color")
    return tuple(round(float(c), 2) for c in color) if isinstance(color, (list, tuple)) else ()


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_number_is_broken_inside_a_table_cell(pages, name):
    checked = 0
    for number, page in enumerate(pages[name], start=1):
        for table in page.find_tables():
            for row in table.extract():
                for cell in row:
                    checked += 1
                    assert not NUMBER_SPLIT.search(cell or ""), f"{name} 第{number}页：单元格“{cell}”中的数字被折行"
    assert checked > 20, f"{name}: 没有找到表格"


def _cramped_cells(page) -> tuple[int, list[str]]:
    """How many table cells with text the page has, and the texts of those whose lines reach their rules: a row
    too low for its wrapped text, which LibreOffice draws on over the next row."""
    checked, cramped = 0, []
    for table in page.find_tables():
        for row in table.rows:
            for box in filter(None, row.cells):
                x0, top, x1, bottom = box
                chars = [c for c in page.chars if c["text"].strip() and x0 < (c["x0"] + c["x1"]) / 2 < x1
                         and top < (c["top"] + c["bottom"]) / 2 < bottom]
                if chars:
                    checked += 1
                    if min(c["top"] for c in chars) < top + 0.3 or max(c["bottom"] for c in chars) > bottom - 0.3:
                        cramped.append("".join(c["text"] for c in chars))
    return checked, cramped


@pytest.mark.parametrize("name", [*DOCUMENTS, "book"])
def test_every_row_is_high_enough_for_its_text(pages, name):
    checked = 0
    for number, page in enumerate(pages[name], start=1):
        cells, cramped = _cramped_cells(page)
        checked += cells
        assert not cramped, f"{name} 第{number}页：行高不够，文字压线：{cramped[:3]}"
    assert checked > 20, f"{name}: 没有找到表格"


@pytest.mark.parametrize("name", ["circular", "letter"])
def test_red_head_with_the_issuing_organ_over_a_red_rule(pages, demo, name):
    first = pages[name][0]
    red = "".join(c["text"] for c in first.chars if _color(c) == RED)
    organ = demo.config.rules.documents.organ if name == "circular" else "辽源市失业保险经办机构"
    assert red == red_head(organ)
    head_bottom = max(c["bottom"] for c in first.chars if _color(c) == RED)
    red_rules = [r for r in first.rects + first.lines
                 if tuple(round(float(x), 2) for x in (r.get("stroking_color") or r.get("non_stroking_color") or ()))
                 == RED and r["width"] > 150 * MM]
    assert red_rules, "红头下没有红色分隔线"
    number_line = next(line for line in _lines(first) if "〔2004〕" in line or "〔2003〕" in line)
    assert "号" in number_line
    assert ("签发人" in number_line) == (name == "letter")          # a report to the city government is a 上行文
    assert min(r["top"] for r in red_rules) > head_bottom           # the rule is under the 红头 and the 发文字号


def _page_number(page) -> tuple[str, float, float]:
    """The footer's text and its horizontal extent (below the 版心, whose foot is 35 mm above the page's)."""
    foot = [c for c in page.chars if c["top"] > page.height - 35 * MM and c["text"].strip()]
    assert foot, "页脚没有页码"
    return "".join(c["text"] for c in foot), min(c["x0"] for c in foot), max(c["x1"] for c in foot)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_page_numbers_on_the_outside_edge(pages, name):
    for number, page in enumerate(pages[name], start=1):
        text, left, right = _page_number(page)
        assert text == f"—{number}—"
        if number % 2:      # odd: one character (四号) in from the right edge of the 版心
            assert right == pytest.approx(page.width - 26 * MM - 14, abs=4)
        else:
            assert left == pytest.approx(28 * MM + 14, abs=4)


def _body_lines(page) -> list[list[dict]]:
    """The 三号 (16 pt) lines of a page, each its characters, top to bottom."""
    chars = sorted((c for c in page.chars if round(c["size"]) == 16 and c["text"].strip()), key=lambda c: c["top"])
    lines: list[list[dict]] = []
    for char in chars:
        if lines and abs(lines[-1][0]["top"] - char["top"]) < 4:
            lines[-1].append(char)
        else:
            lines.append([char])
    return lines


@pytest.mark.parametrize("name", ["circular", "letter"])
def test_the_type_area_holds_22_lines_of_28_characters(pages, name):
    """Lines of 正文 follow at 225 mm / 22, and characters at 156 mm / 28 (the advance from one ideograph to the
    next on a line that is not stretched, such as a paragraph's last)."""
    pitches, advances = [], []
    for page in pages[name]:
        lines = _body_lines(page)
        pitches += [b[0]["top"] - a[0]["top"] for a, b in zip(lines, lines[1:])]
        for line in lines:
            line.sort(key=lambda c: c["x0"])
            advances += [b["x0"] - a["x0"] for a, b in zip(line, line[1:]) if _ideograph(a) and _ideograph(b)]
    assert statistics.mode(round(p, 1) for p in pitches) == pytest.approx(225 * MM / 22, abs=0.2)
    assert min(advances) == pytest.approx(156 * MM / 28, abs=0.15)


def _ideograph(char) -> bool:
    return "\u4e00" <= char["text"] <= "\u9fff"


@pytest.mark.parametrize("name", ["circular", "letter"])
def test_the_record_closes_the_last_page(pages, name):
    """版记 (抄送/抄报, 印发机关 and 印发日期) after the 成文日期, on the last page, and on no other page."""
    last = _lines(pages[name][-1])
    date = next(n for n, line in enumerate(last) if re.fullmatch(r"\s*年\s*月\s*日", line))
    copy = next(n for n, line in enumerate(last) if line.startswith(("抄送：", "抄报：")))
    issued = next(n for n, line in enumerate(last) if line.endswith("印发"))
    assert date < copy < issued
    assert not any("印发" in line for page in pages[name][:-1] for line in _lines(page))


def test_page_counts(pages):
    """What the layout gives for the demo: the circular on 6 pages (its ranking table and chart on 2–3), the
    letter on 5, a 目标责任书 on 4; none ends in an empty page."""
    assert {name: len(pages[name]) for name in DOCUMENTS} == {"circular": 6, "letter": 5, "contract": 4}
    for name in DOCUMENTS:
        assert len(_lines(pages[name][-1])) > 3
