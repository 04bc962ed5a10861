"""The 目标责任书 (issue 14 §3): each city's contract, and the bundle of a year, read back from Word (python-docx)
and PDF (pypdf) — title, both parties, every target and weight with the rule words of the explanation, the
bonus, adjustment and veto rules, the reporting and warning duties, the signature blocks with their dates — and
`scorecard contract` refusing bad input in Chinese."""

from __future__ import annotations

import io
import re
import subprocess
from functools import lru_cache

import docx
import pytest
from cli_support import command, on_small_disks, scorecard
from conftest import copy_config
from export_support import need_fonts, need_tool
from pypdf import PdfReader

from scorecard.assessment.explain import bonus_text, method_text, target_text
from scorecard.assessment.reporting import deadline_text
from scorecard.config import load_config
from scorecard.errors import InputError
from scorecard.exports import contract_document
from scorecard.exports.circular import DATE_PLACEHOLDER
from scorecard.exports.responsibility import TARGET_HEADERS, chosen_contracts
from scorecard.report import duty
from scorecard.report.sheet import method_words

YEAR, CHANGCHUN, YANBIAN = 2003, "220100", "222400"


@pytest.fixture(autouse=True)
def fonts():
    need_fonts()


@pytest.fixture(scope="module")
def made(demo):
    """The demo's documents, each built once for the module: (kind, city or None) → bytes."""
    @lru_cache(maxsize=None)
    def make(kind: str, city: str | None) -> bytes:
        return contract_document(kind, demo.config, YEAR, city)

    return make


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)      # lines break anywhere


def pdf_pages(data: bytes, folder) -> list[str]:
    """Each page's text in the order it was drawn (pdftotext -raw: a table row by row, a cell's lines together;
    pypdf 7 misreads the glyphs of these pages after the first)."""
    path = folder / "document.pdf"
    path.write_bytes(data)
    text = subprocess.run([need_tool("pdftotext"), "-raw", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")
    return [squeezed(page) for page in text.split("\f")[:-1]]


def docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [p.text for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return "\n".join(parts)


def target_table(document):
    return next(t for t in document.tables if tuple(c.text for c in t.rows[0].cells) == TARGET_HEADERS)


def duty_sentences(config) -> list[str]:
    rules = config.rules_for(YEAR)
    return [duty.rule_text(rules.warning), duty.levels_text(rules.warning), deadline_text(config, YEAR)]


def expected_rows(demo, code: str) -> list[tuple[str, ...]]:
    """(序号, 领域, 指标, 目标, 权重, 计分方法, 超额加分) of each target, as the year's explanation words them."""
    result = demo.result(12)
    cap = demo.config.rules_for(YEAR).bonus_cap
    rows = []
    for n, i in enumerate(result.city(code).indicators, 1):
        rule = method_text(i.method, i.weight, i.percent)
        bonus = bonus_text(i.bonus_rule, cap)
        assert method_words(i) == rule + (f"；{bonus}" if i.bonus_rule else "")   # the score sheet's words
        rows.append((str(n), i.area, i.name, target_text(i), f"{i.weight:g}分", rule, bonus))
    return rows


def test_a_city_contract_in_word(demo, made):
    document = docx.Document(io.BytesIO(made("docx", "长春")))
    text = docx_text(document)
    assert next(p.text for p in document.paragraphs if p.style.name == "公文标题") == "2003年度失业保险工作目标责任书"
    assert "甲方：吉林省人民政府" in text and "乙方：长春市人民政府" in text
    table = target_table(document)
    rows = [tuple(c.text for c in row.cells) for row in table.rows[1:-1]]
    assert rows == expected_rows(demo, CHANGCHUN)
    assert [c.text for c in table.rows[-1].cells][1] == "合计" and table.rows[-1].cells[4].text == "100分"
    # targets in Chinese units: 人, 万元, %
    targets = [r[3] for r in rows]
    assert "32,000人" in targets and "26,000.00万元" in targets and "93.0%" in targets
    for sentence in duty_sentences(demo.config):
        assert sentence in text
    assert "（一）挤占挪用失业保险基金。" in text and "（二）拖欠失业保险金。" in text and "等次定为不合格" in text
    assert "各项加分合计不超过5分" in text
    signatures = document.tables[-1]
    blocks = [cell.text.split("\n") for cell in signatures.rows[0].cells]
    assert blocks == [["甲方（盖章）：", "吉林省人民政府", "代表（签字）：", "签订日期：2003年3月10日"],
                      ["乙方（盖章）：", "长春市人民政府", "代表（签字）：", "签订日期：2003年3月10日"]]
    assert "PAGE" in document.sections[0].footer._element.xml        # page numbers


def test_a_city_contract_in_pdf(demo, made, tmp_path):
    pages = pdf_pages(made("pdf", YANBIAN), tmp_path)
    text = "".join(pages)
    assert pages[0].startswith("2003年度失业保险工作目标责任书甲方：吉林省人民政府乙方：延边朝鲜族自治州人民政府")
    for row in expected_rows(demo, YANBIAN):
        assert squeezed("".join(row)) in text.replace(squeezed("".join(TARGET_HEADERS)), ""), row
    for sentence in duty_sentences(demo.config):
        assert squeezed(sentence) in text
    assert "（一）挤占挪用失业保险基金。" in text and "（二）拖欠失业保险金。" in text
    assert "签订日期：2003年3月18日" in pages[-1] and "甲方（盖章）：" in pages[-1] and "乙方（盖章）：" in pages[-1]
    assert [p.endswith(f"—{n}—") for n, p in enumerate(pages, 1)] == [True] * len(pages)


def test_the_bundle_has_one_contract_per_city_each_from_a_new_page(demo, made, tmp_path):
    cities = [demo.config.city(c.city).name for c in demo.config.contracts_for(YEAR)]
    assert len(cities) == 9
    pages = pdf_pages(made("pdf", None), tmp_path)
    firsts = [p for p in pages if p.startswith("2003年度失业保险工作目标责任书")]
    assert [re.search("乙方：(.+?)人民政府", p).group(1) for p in firsts] == cities
    assert all(p.endswith("—1—") for p in firsts)                  # each numbered from its own first page
    outline = [item.title for item in PdfReader(io.BytesIO(made("pdf", None))).outline]
    assert outline == cities
    document = docx.Document(io.BytesIO(made("docx", None)))
    titles = [p.text for p in document.paragraphs if p.style.name == "公文标题"]
    assert titles == ["2003年度失业保险工作目标责任书"] * 9
    assert len(document.sections) == 9
    assert all('w:start="1"' in s._sectPr.xml for s in document.sections[1:])
    assert [p.text for p in document.paragraphs if p.text.startswith("乙方：")] == [f"乙方：{c}人民政府" for c in cities]


def test_parties_and_vetoes_come_from_config_and_an_unsigned_date_is_blank(tmp_path):
    folder = copy_config(tmp_path / "config")
    scoring = folder / "scoring.yaml"
    scoring.write_text(scoring.read_text(encoding="utf-8").replace("issuer: 吉林省人民政府", "issuer: 某省人民政府")
                       .replace("veto_items: [挤占挪用失业保险基金, 拖欠失业保险金]", "veto_items: [瞒报基金结余]"),
                       encoding="utf-8")
    contract = folder / "contracts" / "2003" / "220100-长春市.yaml"
    contract.write_text(contract.read_text(encoding="utf-8").replace("signed_on: 2003-03-10\n", ""), encoding="utf-8")
    config, problems = load_config(folder)
    assert not problems
    document = docx.Document(io.BytesIO(contract_document("docx", config, YEAR, CHANGCHUN)))
    text = docx_text(document)
    assert "甲方：某省人民政府" in text and "（一）瞒报基金结余。" in text and "挤占挪用" not in text
    assert f"签订日期：{DATE_PLACEHOLDER}" in text


def test_the_issuer_can_change_from_a_date(tmp_path):
    folder = copy_config(tmp_path / "config")
    scoring = folder / "scoring.yaml"
    scoring.write_text(scoring.read_text(encoding="utf-8").replace(
        "issuer: 吉林省人民政府", "issuer: [{value: 吉林省人民政府}, {from: 2004-01-01, value: 吉林省人民政府办公厅}]"),
        encoding="utf-8")
    config, problems = load_config(folder)
    assert not problems
    assert [config.rules_for(y).documents.issuer for y in (2003, 2004)] == ["吉林省人民政府", "吉林省人民政府办公厅"]


def test_bad_documents_block_is_said_with_its_line(tmp_path):
    folder = copy_config(tmp_path / "config")
    scoring = folder / "scoring.yaml"
    scoring.write_text(scoring.read_text(encoding="utf-8").replace(
        "veto_items: [挤占挪用失业保险基金, 拖欠失业保险金]", "veto_items: 拖欠失业保险金\n  signer: 省长"), encoding="utf-8")
    done = scorecard("--config", folder, "validate")
    assert done.returncode == 1
    assert "scoring.yaml:18: veto_items应当是列表" in done.stderr and "无法识别的字段“signer”" in done.stderr


def test_a_city_without_a_contract_that_year(tmp_path, config):
    with pytest.raises(InputError, match="没有目标责任书"):
        chosen_contracts(config, 2010)
    folder = copy_config(tmp_path / "config")
    (folder / "contracts" / "2003" / "220100-长春市.yaml").unlink()
    partial, problems = load_config(folder)
    assert not problems
    with pytest.raises(InputError, match="^长春市没有2003年度目标责任书$"):
        chosen_contracts(partial, YEAR, "长春")


def test_the_command_writes_a_city_and_the_bundle(tmp_path, shipped_config_dir):
    done = scorecard("--config", shipped_config_dir, "contract", "--year", YEAR, "--city", "延边州", "--format", "docx",
                     "--out", tmp_path / "延边.docx")
    assert done.returncode == 0, done.stderr
    assert "乙方：延边朝鲜族自治州人民政府" in docx_text(docx.Document(tmp_path / "延边.docx"))
    done = scorecard("--config", shipped_config_dir, "contract", "--year", YEAR, "--format", "pdf", "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    bundle = tmp_path / "2003年度各市（州）失业保险工作目标责任书.pdf"
    assert "9份" in done.stdout and len(PdfReader(bundle).outline) == 9


@pytest.mark.parametrize(("args", "code", "said"), [
    (("--year", "2003", "--city", "北京", "--format", "pdf"), 1, "未知的市州“北京”"),
    (("--year", "2010", "--format", "pdf"), 1, "2010年度没有目标责任书"),
    (("--year", "2003", "--format", "odt"), 2, "参数 --format 的值“odt”无效"),
    (("--year", "二〇〇三", "--format", "pdf"), 2, "参数 --year"),
])
def test_the_command_refuses_bad_input_in_chinese(tmp_path, shipped_config_dir, args, code, said):
    done = scorecard("--config", shipped_config_dir, "contract", *args, "--out", tmp_path / "x.pdf")
    assert done.returncode == code and said in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "x.pdf").exists()


def test_the_command_refuses_a_folder_it_cannot_write(tmp_path, shipped_config_dir):
    done = scorecard("--config", shipped_config_dir, "contract", "--year", YEAR, "--format", "pdf",
                     "--out", tmp_path / "无此目录" / "x.pdf")
    assert done.returncode == 1 and "错误：输出目录不存在" in done.stderr, done.stderr
    readonly = tmp_path / "readonly"
    line = command("--config", shipped_config_dir, "contract", "--year", YEAR, "--format", "pdf",
                   "--out", readonly / "x.pdf")
    done = on_small_disks({readonly: "ro"}, f"{line}; echo rc=$?")
    assert "rc=1" in done.stdout and f"错误：无法写入 {readonly / 'x.pdf'}" in done.stderr, done.stderr



@pytest.fixture(scope="module")
def site(tmp_path_factory, shipped_config_dir, demo_db):
    from conftest import writable_copy
    from live_server import streamlit_server

    db = writable_copy(demo_db, tmp_path_factory.mktemp("contract-page"))
    with streamlit_server(shipped_config_dir, db) as url:
        yield url, db


def download(visit, label: str, nth: int = 0):
    with visit.page.expect_download() as event:
        visit.page.get_by_text(label, exact=True).nth(nth).click()
    return event.value.suggested_filename, event.value.path().read_bytes()


@pytest.mark.browser
def test_the_contract_page_offers_each_contract_and_the_bundle_to_whom_may_have_it(browser, site, tmp_path):
    from conftest import session_token
    from live_server import Visit

    from scorecard.roles import CITY, PROVINCE

    url, db = site
    province = Visit(browser, f"{url}/contracts?year=2003", session_token(db, PROVINCE))
    city = Visit(browser, f"{url}/contracts?year=2003", session_token(db, CITY, CHANGCHUN))
    try:
        province.settle("目标责任书")
        assert province.page.get_by_text("下载目标责任书（Word）", exact=True).count() == 9
        name, data = download(province, "下载各市州2003年度目标责任书合订本（PDF）")
        assert name == "2003年度各市（州）失业保险工作目标责任书.pdf" and len(PdfReader(io.BytesIO(data)).outline) == 9
        name, data = download(province, "下载目标责任书（Word）", nth=1)
        assert name == "2003年度吉林市失业保险工作目标责任书.docx"
        assert "乙方：吉林市人民政府" in docx_text(docx.Document(io.BytesIO(data)))
        city.settle("目标责任书")
        assert "合订本" not in city.text()
        assert city.page.get_by_text("下载目标责任书（PDF）", exact=True).count() == 1
        name, data = download(city, "下载目标责任书（PDF）")
        assert name == "2003年度长春市失业保险工作目标责任书.pdf"
        assert "乙方：长春市人民政府" in "".join(pdf_pages(data, tmp_path))
        assert not province.errors and not city.errors
    finally:
        province.close()
        city.close()
