"""The Word circular, read back with python-docx."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree
from cli_support import scorecard
from conftest import copy_config
from export_support import collector_states, PROVISIONAL_MONTH, need_fonts

from scorecard.assessment.explain import dated_text
from scorecard.assessment.scoring import score_year
from scorecard.config import load_config
from scorecard.config.model import DocumentRules
from scorecard.exports import circular_docx
from scorecard.exports.blocks import Document as Official
from scorecard.exports.blocks import Paragraph, Table
from scorecard.exports.word import document_docx
from scorecard.formatting import round2


@pytest.fixture(autouse=True)
def fonts():
    need_fonts()     # the chart of totals is drawn with the CJK font


def _document(demo, month=None):
    return docx.Document(io.BytesIO(demo.document("docx", month)))


def _ranking_table(document):
    for table in document.tables:
        header = [cell.text for cell in table.rows[0].cells]
        if "名次" in header and "总分" in header:
            return header, [[cell.text for cell in row.cells] for row in table.rows[1:]]
    raise AssertionError("没有找到排名表")


@pytest.mark.parametrize("month", [None, PROVISIONAL_MONTH])
def test_ranking_table_is_in_rank_order_with_totals_of_score_json(demo, month):
    reference = demo.score_json(month)
    header, rows = _ranking_table(_document(demo, month))
    rank, name, total, grade = (header.index(h) for h in ("名次", "市（州）", "总分", "等次"))
    assert [(r[rank], r[name], r[total], r[grade]) for r in rows] == [
        (str(c["rank"]), c["name"], f"{round2(c['total']):.2f}", c["grade"]) for c in reference["cities"]]


def test_laid_out_as_an_official_document(demo):
    document = _document(demo)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)   # A4
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "吉林省劳动和社会保障厅文件"                              # 红头: scoring.yaml's organ
    assert "吉劳社失字〔2004〕××号" in texts                                    # 发文字号 of the year it is issued
    title = next(p for p in document.paragraphs if p.style.name == "公文标题")
    assert title.text.replace("\n", "") == "关于2003年度全省失业保险工作目标责任制考评结果的通报"
    headings = [p.text for p in document.paragraphs if p.style.name == "一级标题"]
    assert headings == ["一、总体情况", "二、考评得分和排名", "三、考评等次", "四、加减分和一票否决情况",
                        "五、存在的主要问题", "六、工作要求"]
    body = document.styles["公文正文"]
    assert body.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋" and body.font.size.pt == 16
    assert document.settings.odd_and_even_pages_header_footer                  # page numbers on the outside edge
    for footer in (section.footer, section.even_page_footer):
        assert footer.paragraphs[0]._p.xpath(".//w:fldSimple[@w:instr='PAGE']")
    assert len(document.inline_shapes) == 1                                    # the chart of totals
    signature = [p.text for p in document.paragraphs if p.style.name == "公文落款"]
    assert signature == ["吉林省劳动和社会保障厅", "　　年　　月　　日"]
    record = [cell.text for cell in document.tables[-1].columns[0].cells]     # 版记
    assert record == ["抄送：劳动和社会保障部失业保险司，吉林省人民政府办公厅。",
                      "吉林省劳动和社会保障厅办公室\t　　年　　月　　日印发"]


def test_states_grades_vetoes_and_problems_in_sentences(demo):
    result = demo.result()
    text = "\n".join(p.text for p in _document(demo).paragraphs)
    for name, _ in demo.config.rules.grades:
        members = [c.name for c in result.cities if c.grade == name]
        assert f"{name}（{len(members)}个）" in text
    vetoed = [c for c in result.cities if c.vetoed]
    assert vetoed
    for city in vetoed:
        for veto in city.vetoes:
            assert f"{city.name}因{veto.item}（{veto.reason}；{dated_text(veto)}）被一票否决" in text
    red = [s for s in result.fund if s.level == "red"]
    assert red and all(f"{s.name}{s.month}月末基金累计结余" in text for s in red)
    far_behind = {(c.name, i.name) for c in result.cities for i in c.indicators if i.status == "far_behind"}
    assert far_behind
    for city, indicator in far_behind:
        line = next(line for line in text.splitlines() if line.startswith(indicator + "："))
        assert city in line.split("与目标差距较大")[0]
    assert "白城市缺报8、9月数据" in text


def test_provisional_circular_is_marked_on_every_page(demo):
    document = _document(demo, PROVISIONAL_MONTH)
    assert all("预估" in section.header.paragraphs[0].text for section in document.sections)
    assert not any(section.different_first_page_header_footer for section in document.sections)
    title = next(p for p in document.paragraphs if p.style.name == "公文标题")
    assert "预估" in title.text
    final = _document(demo)
    assert "预估" not in final.sections[0].header.paragraphs[0].text
    assert "演示数据" in final.sections[0].header.paragraphs[0].text


def _documents_block(folder, block: str) -> None:
    """scoring.yaml with its `documents:` block's circular keys replaced by `block`."""
    scoring = folder / "scoring.yaml"
    lines = scoring.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not re.match(r"  (organ|number|addressee|copy_to|printer|letter_\w+):", line)]
    at = next(n for n, line in enumerate(kept) if line.startswith("  veto_items:")) + 1
    scoring.write_text("".join(kept[:at]) + block + "".join(kept[at:]), encoding="utf-8")


def test_the_red_head_and_record_come_from_scoring_yaml(demo, tmp_path):
    folder = copy_config(tmp_path / "config")
    _documents_block(folder, "  organ: 某省人力资源和社会保障厅\n  number: 某人社函〔{年}〕12号\n"
                             "  addressee: 各市人力资源和社会保障局\n  copy_to: []\n  printer: 某省人社厅办公室\n")
    config, problems = load_config(folder)
    assert not problems
    document = docx.Document(io.BytesIO(circular_docx(score_year(config, demo.store, 2003), config)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "某省人力资源和社会保障厅文件" and "某人社函〔2004〕12号" in texts
    assert "各市人力资源和社会保障局：" in texts
    assert [cell.text for cell in document.tables[-1].columns[0].cells] == ["某省人社厅办公室\t　　年　　月　　日印发"]


def test_an_old_config_folder_without_the_keys_gets_the_defaults(tmp_path):
    folder = copy_config(tmp_path / "config")
    _documents_block(folder, "")
    config, problems = load_config(folder)
    assert not problems
    assert config.rules.documents == DocumentRules(issuer=config.rules.documents.issuer,
                                                   veto_items=config.rules.documents.veto_items)


def test_a_number_with_an_unknown_placeholder_is_said_with_its_line(tmp_path):
    folder = copy_config(tmp_path / "config")
    _documents_block(folder, "  number: 吉劳社失字〔{year}〕××号\n")
    done = scorecard("--config", folder, "validate")
    assert done.returncode == 1
    assert re.search(r"scoring\.yaml:\d+: .*只能写 \{年\}", done.stderr), done.stderr


def test_the_cycle_collector_is_paused_while_the_circular_is_built_and_then_as_it_was(demo, monkeypatch):
    import gc

    from scorecard.exports import word

    seen = collector_states(monkeypatch, word, "_table")
    result = demo.result()
    assert gc.isenabled()
    circular_docx(result, demo.config)
    assert seen and not any(seen) and gc.isenabled()
    gc.disable()
    try:
        circular_docx(result, demo.config)
        assert not any(seen) and not gc.isenabled()     # a caller's pause is left to the caller
    finally:
        gc.enable()


_TRICKY = Table(headers=("名称", "说明（分）"), align=("L", "R"), colors=("#c62828", "#2e7d32", "#c62828"),
                color_column=1, rows=(('A&B <c> "d" \'e\' ]]>', " 前后有空格 "), ("制\t表", "换\n行\r回车"),
                                      ("𠀀字", "—")))


def _official(*blocks) -> Official:
    return Official(number="吉劳社失字〔2004〕1号", title_lines=("关于表格的通知",), addressee="各市（州）：",
                    blocks=blocks, attachment=None, signature=("吉林省劳动和社会保障厅", "2004年1月20日"), mark=None)


def test_a_table_is_written_into_the_document_as_python_docx_writes_its_tree():
    data = document_docx(_official(Paragraph("表前"), _TRICKY, Paragraph("表后"), _TRICKY))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert etree.tostring(etree.fromstring(xml), encoding="UTF-8", standalone=True) == xml
    assert b"<!--" not in xml and xml.count(b"<w:tbl>") == 2
    tables = docx.Document(io.BytesIO(data)).tables
    assert [[cell.text for cell in row.cells] for row in tables[1].rows] == [
        ["名称", "说明（分）"], ['A&B <c> "d" \'e\' ]]>', " 前后有空格 "], ["制\t表", "换\n行\n回车"], ["𠀀字", "—"]]


def test_a_table_text_that_xml_cannot_hold_is_refused_as_in_a_paragraph():
    with pytest.raises(ValueError, match="控制字符"):
        document_docx(_official(Table(headers=("名称",), rows=(("垂直\x0b制表",),), align=("L",))))


def test_a_documents_styles_are_those_python_docx_makes_for_it():
    from docx import Document

    from scorecard.exports import word

    made = Document()
    word._make_styles(made)
    for _ in range(2):      # the styles are made once and copied into each document
        copied = word._new_document("标题", None)
        assert etree.tostring(copied.styles.element) == etree.tostring(made.styles.element)
        assert all(copied.styles[name].style_id == word._style_id(name) for name in word.STYLES)
