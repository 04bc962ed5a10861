"""The PDF (circular and one report card per city): text extracted with pdftotext, pages rendered with pdftoppm.

The rendered pages are left in tests/artifacts/ for a person to look at."""

from __future__ import annotations

import io
import os
import re
import subprocess
import zlib

import docx
import pypdf
import pytest
from export_support import collector_states, ARTIFACTS, PROVISIONAL_MONTH, need_fonts, need_tool, pdf_pages_text

from scorecard.exports import FontError, circular_docx, circular_pdf, download, fonts, report_card_pdf
from scorecard.exports.cards import CARD_TITLE
from scorecard.exports.layout import units as _units
from scorecard.exports.pdf import _Pdf, wrap
from scorecard.formatting import round2


@pytest.fixture(autouse=True)
def cjk_fonts():
    need_fonts()


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _body(pages: list[str]) -> str:
    """The running text of the pages, without the page mark 【…】 and the page numbers — n —."""
    return "".join(re.sub(r"—\d+—", "", re.sub(r"【[^】]*】", "", _squeeze(page))) for page in pages)


def _split(pages: list[str]) -> tuple[list[str], list[str]]:
    cards = [i for i, page in enumerate(pages) if f"目标责任制{CARD_TITLE}" in page]   # not 附件：…单位考评卡
    return pages[:cards[0]], pages[cards[0]:]


@pytest.mark.parametrize("month", [None, PROVISIONAL_MONTH])
def test_every_city_and_its_total_with_two_decimals(demo, month, tmp_path):
    reference = demo.score_json(month)
    circular, cards = _split(pdf_pages_text(demo.document("pdf", month), tmp_path))
    text = _squeeze("".join(circular))
    for city in reference["cities"]:
        assert city["name"] in text
        assert f"{round2(city['total']):.2f}" in text
    assert len(cards) == len(reference["cities"])                     # one report card page per city
    for page, city in zip(cards, reference["cities"]):
        squeezed = _squeeze(page)
        assert city["name"] in squeezed and f"{round2(city['total']):.2f}" in squeezed
        assert f"{city['rank']}/{len(reference['cities'])}" in squeezed
        others = [c["name"] for c in reference["cities"] if c["name"] != city["name"]]
        assert not any(f"\n{name}" in page for name in others if name not in city["name"])


def test_provisional_pdf_shows_the_mark_on_every_page(demo, tmp_path):
    pages = pdf_pages_text(demo.document("pdf", PROVISIONAL_MONTH), tmp_path)
    assert len(pages) > 10
    assert all("预估" in page for page in pages)
    final = pdf_pages_text(demo.document("pdf"), tmp_path)
    assert not any("预估" in page for page in final)
    assert all("演示数据" in page for page in final)


def test_a4_with_the_cjk_font_embedded(demo):
    reader = pypdf.PdfReader(io.BytesIO(demo.document("pdf")))
    assert all((round(float(p.mediabox.width)), round(float(p.mediabox.height))) == (595, 842) for p in reader.pages)
    embedded = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            if "/FontFile2" in descriptor or "/FontFile3" in descriptor:
                embedded.add(descendant["/BaseFont"])
    assert any("CJK" in name for name in embedded), embedded


def test_circular_says_what_the_word_document_says(demo, tmp_path):
    """The wording is written once: every paragraph and table cell of the .docx is in the PDF."""
    document = docx.Document(io.BytesIO(demo.document("docx")))
    circular, _ = _split(pdf_pages_text(demo.document("pdf"), tmp_path))
    text = _body(circular)
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    # a table header may wrap before its bracket (待遇发放 / （25分）), and the columns' lines interleave
    cells = [part for table in document.tables for row in table.rows for cell in row.cells
             for part in re.split(r"(?=（)", cell.text)]
    missing = [t for t in paragraphs + cells if _squeeze(t) not in text]
    assert not missing


@pytest.mark.parametrize("month", [None, PROVISIONAL_MONTH])
def test_pages_render_to_png_for_a_look(demo, month):
    pdftoppm = need_tool("pdftoppm")
    data = demo.document("pdf", month)
    name = "final" if month is None else f"provisional-{month}"
    folder = ARTIFACTS / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{name}-*.png"):
        old.unlink()
    (folder / f"{name}.pdf").write_bytes(data)
    subprocess.run([pdftoppm, "-r", "60", "-png", str(folder / f"{name}.pdf"), str(folder / name)], check=True)
    assert len(list(folder.glob(f"{name}-*.png"))) == len(pypdf.PdfReader(io.BytesIO(data)).pages)


def test_lines_break_the_chinese_way():
    pdf = _Pdf(fonts.find_fonts(), None)
    pdf.add_page()
    pdf.font("body", 16)
    text = ("辽源市12月末基金累计结余1,468.50万元，按近12个月月均支出462.81万元计算"
            "仅可支付1.01个月，低于2个月的预警线。") * 3
    lines = [line for line, _ in wrap(pdf, text, 60)]
    assert "".join(lines) == text
    assert not any(line[0] in "，。、；：）" for line in lines[1:])            # no line starts with closing punctuation
    assert not any(line[-1] in "（“" for line in lines)                      # or ends with an opening one
    numbers = set(re.findall(r"\d[\d,.]*", text))
    assert all(n in numbers for line in lines for n in re.findall(r"\d[\d,.]*", line))   # numbers never split
    assert all(used <= 60 + 1e-6 for _, used in wrap(pdf, text, 60) if len(_units(_)) > 1)


def test_a_negative_number_keeps_its_sign():
    assert _units("结余为-25.95万元，可支付-0.06个月") == ("结", "余", "为", "-25.95万元，", "可", "支", "付", "-0.06个月")
    assert _units("A-B") == ("A-B",) and _units("—-") == ("—", "-")


def test_without_a_cjk_font_the_error_says_what_to_install(demo, monkeypatch, tmp_path):
    not_a_font = tmp_path / "not-a-font.ttf"
    not_a_font.write_bytes(b"\0" * 100)
    monkeypatch.setenv(fonts.FONT_ENV, str(not_a_font))
    with pytest.raises(FontError, match="fonts-noto-cjk"):
        circular_pdf(demo.result(), demo.config)
    monkeypatch.delenv(fonts.FONT_ENV)
    for candidates in ("SERIF", "SERIF_BOLD", "SANS"):
        monkeypatch.setattr(fonts, candidates, [])
    fonts._find.cache_clear()
    try:
        for build in (circular_pdf, circular_docx):
            with pytest.raises(FontError, match="fonts-noto-cjk"):
                build(demo.result(), demo.config)
        for kind, needs_font in (("pdf", True), ("docx", True), ("xlsx", False)):   # the page's buttons
            arguments = download(kind, demo.result(), demo.config, demo.store)
            assert arguments["disabled"] is needs_font
            assert ("fonts-noto-cjk" in arguments["help"]) if needs_font else arguments["help"] is None
    finally:
        fonts._find.cache_clear()


def test_font_can_be_chosen_with_the_environment(demo, monkeypatch):
    serif = fonts.find_fonts().body
    monkeypatch.setenv(fonts.FONT_ENV, str(fonts.find_fonts().heading.path))
    chosen = fonts.find_fonts()
    assert chosen.body == chosen.heading == chosen.bold and chosen.body.path != serif.path
    assert chosen.body.family.endswith("SC")                  # the Simplified Chinese face of the collection


def test_one_citys_report_card_on_its_own(demo, tmp_path):
    from scorecard.exports import report_card_pdf

    result = demo.result()
    city = result.cities[-1]
    data = report_card_pdf(result, demo.config, city.code)
    pages = pdf_pages_text(data, tmp_path)
    assert len(pages) == 1
    assert city.name in pages[0] and f"{city.total_rounded:.2f}" in pages[0]
    assert not any(other.name in pages[0] for other in result.cities if other.code != city.code
                   and other.name not in city.name)


def _shown_texts(page) -> list[tuple[str, float, float]]:
    """(text, character spacing, baseline) of each text the page's content shows, in order."""
    state, shown = {"spacing": 0.0}, []

    def before(operator, operands, cm, tm):
        if operator == b"Tc":
            state["spacing"] = float(operands[0])

    def text(chunk, cm, tm, font, size):
        if chunk.strip():
            shown.append((chunk, state["spacing"], round(tm[5], 1)))

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return shown


@pytest.mark.parametrize("month", [None, PROVISIONAL_MONTH])
def test_justified_lines_never_spread_a_number(demo, tmp_path, month):
    """A justified line gets its spare room between characters, never inside a number: no number is shown with
    character spacing nor broken into pieces placed apart, and the text reads 86.02分, not 8 6 . 0 2 分."""
    reader = pypdf.PdfReader(io.BytesIO(demo.document("pdf", month)))
    spread, numbers = [], 0
    for page in reader.pages[:4]:                  # the circular's running text
        shown = _shown_texts(page)
        for (a, spacing, y), (b, _, y_next) in zip(shown, shown[1:] + [("", 0.0, None)]):
            if re.search(r"\d", a):
                numbers += 1
                if spacing or (y == y_next and re.search(r"[\d.,]$", a) and re.match(r"[\d.,%]", b)):
                    spread.append((a, b, spacing))
    assert numbers > 50 and not spread, spread[:5]
    text = _squeeze("".join(pdf_pages_text(demo.document("pdf", month), tmp_path)[:4]))
    assert re.search(r"平均得分\d+\.\d\d分", text)


_UNDATED = re.compile(rb"/CreationDate \(D:[^)]*\)|/ID \[<[0-9A-F]*> ?<[0-9A-F]*>\]")
_CARD_IN_A_FRESH_PROCESS = """
import hashlib, re, sys
from scorecard.assessment.scoring import score_year
from scorecard.config import load_config
from scorecard.data.store import Store
from scorecard.exports import report_card_pdf
config, _ = load_config(sys.argv[1])
data = report_card_pdf(score_year(config, Store(sys.argv[2]), 2003), config, "220400")
print(hashlib.sha256(re.sub(sys.argv[3].encode(), b"", data)).hexdigest())
"""


def test_a_pdf_made_after_others_in_one_process_is_the_pdf_made_first(demo):
    """The CJK faces are read once per process; each PDF still has its own subset of them, its own glyph codes and
    its own font objects: a report card made after the circular and another city's card is, but for its date,
    byte for byte the one a fresh process makes first."""
    import hashlib
    import sys

    result = demo.result()
    circular_pdf(result, demo.config)
    report_card_pdf(result, demo.config, "220100")
    later = hashlib.sha256(_UNDATED.sub(b"", report_card_pdf(result, demo.config, "220400"))).hexdigest()
    fresh = subprocess.run([sys.executable, "-c", _CARD_IN_A_FRESH_PROCESS, str(demo.config_dir), str(demo.db),
                            _UNDATED.pattern.decode()], capture_output=True, text=True, check=True,
                           env={**os.environ, "SCORECARD_CACHE": "off"})    # its subsets cut, not kept ones
    assert fresh.stdout.strip() == later


def _font_files(data: bytes) -> dict[str, bytes]:
    """Each embedded font's name and program (the FontFile3 stream: a CFF table)."""
    fonts = {}
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = descriptor["/FontFile3"].get_object().get_data()
    return fonts


def test_embedded_subsets_are_the_ones_fpdf2_cuts_from_the_whole_face(monkeypatch, tmp_path):
    """The CFF faces' subsets are cut from their CFF tables alone (exports/subsets.py): for the same text each is
    byte for byte the program fpdf2 embeds when it subsets the whole face itself — and so is the subset kept
    from that document and embedded by the next one with the same text."""
    from fpdf import FPDF

    from scorecard.exports.pdf import BODY, BOLD, HEI

    monkeypatch.setenv("SCORECARD_CACHE", str(tmp_path))
    text = "失业保险目标责任制考评通报，2003年度：98.50分（优秀）〔2004〕1号—12—"
    chosen = fonts.find_fonts()
    ours = _Pdf(chosen, None)
    ours.add_page()
    for n, role in enumerate((BODY, BOLD, HEI)):
        ours.font(role, 12)
        ours.place(20, 20 + 10 * n, text)
    made = _font_files(bytes(ours.output()))
    plain = FPDF()
    plain.add_page()
    for n, face in enumerate((chosen.body, chosen.bold, chosen.heading)):
        plain.add_font(f"face{n}", fname=str(face.path), collection_font_number=face.index)
        plain.fonts[f"face{n}"].ttfont.recalcBBoxes = False     # as in exports/pdf.py: FontBBox as the face has it
        plain.set_font(f"face{n}", size=12)
        plain.text(20, 20 + 10 * n, text)
    wanted = _font_files(bytes(plain.output()))
    assert len(made) == len(set((f.path, f.index) for f in (chosen.body, chosen.bold, chosen.heading))) >= 2
    assert made == wanted
    assert list((tmp_path / "fonts").glob("*.json"))
    again = _Pdf(chosen, None)
    again.add_page()
    for n, role in enumerate((BODY, BOLD, HEI)):
        again.font(role, 12)
        again.place(20, 20 + 10 * n, text)
    monkeypatch.setattr("scorecard.exports.subsets._cut", lambda *a: pytest.fail("cut again"))
    assert _font_files(bytes(again.output())) == wanted


def test_a_damaged_kept_subset_is_cut_again(demo, monkeypatch, tmp_path):
    monkeypatch.setenv("SCORECARD_CACHE", str(tmp_path))
    result = demo.result()
    first = _UNDATED.sub(b"", report_card_pdf(result, demo.config, "220400"))
    [entry] = (tmp_path / "fonts").glob("*.json")
    entry.write_text(entry.read_text()[:-40])
    assert _UNDATED.sub(b"", report_card_pdf(result, demo.config, "220400")) == first
    entry.write_text('[{"order": [".notdef"], "cff": ""}, {"order": [], "cff": ""}, {"order": [], "cff": ""}]')
    assert _UNDATED.sub(b"", report_card_pdf(result, demo.config, "220400")) == first


def test_more_documents_than_the_configs_are_kept(monkeypatch, tmp_path):
    """A document's subsets are kept beside those of 63 others (subsets.KEEP), not the config cache's eight: the
    circular and each city's report card stay kept."""
    from scorecard.config.cache import KEEP as CONFIGS
    from scorecard.exports import subsets

    monkeypatch.setenv("SCORECARD_CACHE", str(tmp_path))
    face = fonts.find_fonts().body
    for n in range(CONFIGS + 2):
        subsets.cut([(face.path, face.index, [".notdef", f"cid{n + 1:05d}"])])
    assert len(list((tmp_path / "fonts").glob("*.json"))) == CONFIGS + 2


def test_the_cycle_collector_is_paused_while_the_circular_is_built_and_then_as_it_was(demo, monkeypatch):
    import gc

    from scorecard.exports import pdf

    seen = collector_states(monkeypatch, pdf, "_card_scale")
    result = demo.result()
    assert gc.isenabled()
    circular_pdf(result, demo.config)
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        circular_pdf(result, demo.config)
        assert seen == [False, False] and not gc.isenabled()     # a caller's pause is left to the caller
    finally:
        gc.enable()


def test_every_pdf_is_let_go_when_its_bytes_are_taken_without_the_cycle_collector(demo, monkeypatch):
    """A document (its pages, fonts and layout caches: some 800,000 containers at 2,800 report cards) is freed by
    reference counting as soon as its bytes are written, not left in a cycle for the collector: the circular, a
    report card, a warning letter and the 目标责任书 bundle, each made with the collector off. (Each is made once
    before: the first in a process imports the charts' modules, whose imports leave frames to the collector.)"""
    import gc
    import weakref

    from scorecard.exports import contract_document, pdf, warning_letter

    result = demo.result()
    builds = (lambda: circular_pdf(result, demo.config), lambda: report_card_pdf(result, demo.config, "220400"),
              lambda: warning_letter("pdf", demo.config, demo.store, "220400", 2003, 12),
              lambda: contract_document("pdf", demo.config, 2003))
    for build in builds:
        build()
    made = []
    new = pdf._new_pdf

    def recorded(*args):
        document = new(*args)
        made.append(weakref.ref(document))
        return document

    monkeypatch.setattr(pdf, "_new_pdf", recorded)
    gc.collect()
    gc.disable()
    try:
        for build in builds:
            assert build().startswith(b"%PDF")
            assert made[-1]() is None
        assert len(made) == len(builds)
    finally:
        gc.enable()


def _objects(data: bytes) -> list[tuple[bytes, bytes | None]]:
    """Each object of a PDF file: its dictionary (but /Length and /CreationDate) and its stream, inflated."""
    objects = []
    for body in re.findall(rb"\n\d+ 0 obj\n(.*?)\nendobj", data, re.S):
        head, streamed, rest = body.partition(b"\nstream\n")
        stream = rest[:rest.rindex(b"\nendstream")] if streamed else None
        if stream is not None and b"/FlateDecode" in head:
            stream = zlib.decompress(stream)
        objects.append((re.sub(rb"/Length \d+|/CreationDate \(D:[^)]*\)", b"", head), stream))
    return objects


def test_pages_are_deflated_at_the_fast_level_to_what_fpdf2_writes(demo, monkeypatch):
    """The pages' content streams are deflated at pdf.PAGE_DEFLATE (zlib's fastest level): inflated, every object
    of the file is what fpdf2's own writer makes."""
    from fpdf.output import OutputProducer

    from scorecard.exports import pdf

    result = demo.result()
    ours = report_card_pdf(result, demo.config, "220400")
    monkeypatch.setattr(pdf._Output, "_add_pages", OutputProducer._add_pages)
    theirs = report_card_pdf(result, demo.config, "220400")
    assert _objects(ours) == _objects(theirs)
    [page] = pypdf.PdfReader(io.BytesIO(ours)).pages
    stream = page["/Contents"].get_object()
    assert stream._data == zlib.compress(stream.get_data(), pdf.PAGE_DEFLATE)
