"""A figure that fell short never prints equal to what it was judged against.

长春市 as of June 2003: 职业介绍和培训补贴人次 8,999 of 18,000 (49.994% of the year against a pace of 50%, 落后) and
出中心人员纳入失业保险率 94.996% against 95% (a completion of 99.996%, 落后). With one decimal both read 50.0% beside
50.0% and 95.0% beside 95.0%; the page, the report card (PDF), the circular and the workbook show the digits that
make 落后 visible."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from export_support import pdf_pages_text
from openpyxl import load_workbook
from page_support import goto, table_with

from scorecard import formatting as fmt
from scorecard.assessment.formulas import BEHIND, FAR_BEHIND, MET

FLOW, RATIO = "职业介绍和培训补贴人次", "出中心人员纳入失业保险率"
ROWS = ["year,month,city,measure,value"]
ROWS += [f"2003,{m},220100,subsidy_persons,{1499 if m == 6 else 1500}" for m in range(1, 7)]
ROWS += [f"2003,{m},220100,transition_eligible,{20000 if m == 6 else 16000}" for m in range(1, 7)]
ROWS += [f"2003,{m},220100,transition_enrolled,{18996 if m == 6 else 15200}" for m in range(1, 7)]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from conftest import copy_config
    from scorecard.cli import main

    folder = tmp_path_factory.mktemp("digits")
    config = copy_config(folder / "config")
    source = folder / "2003年1-6月长春市.csv"
    source.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    db = folder / "scorecard.duckdb"
    assert main(["--config", str(config), "--db", str(db), "import", str(source)]) == 0
    files = {}
    for kind in ("xlsx", "pdf", "docx"):
        files[kind] = folder / f"考评.{kind}"
        assert main(["--config", str(config), "--db", str(db), "export", "--year", "2003", "--month", "6",
                     "--format", kind, "--out", str(files[kind])]) == 0
    return config, db, files


def test_the_case_is_what_it_says(site):
    from scorecard.assessment.scoring import score_year
    from scorecard.data.store import Store
    from scorecard.config import load_config

    config, db, _ = site
    city = score_year(load_config(config)[0], Store(db), 2003, 6).city("220100")
    flow, ratio = (next(i for i in city.indicators if i.name == name) for name in (FLOW, RATIO))
    assert flow.actual == 8999 and flow.expected == 0.5 and flow.status == BEHIND
    assert ratio.actual == pytest.approx(0.94996) and ratio.target == 0.95 and ratio.status == BEHIND
    assert fmt.percent(flow.completion) == fmt.percent(flow.expected) == "50.0%"      # what went wrong
    assert fmt.percent(ratio.actual) == fmt.percent(ratio.target) == "95.0%"


def card_texts(app) -> dict[str, str]:
    """The indicator cards, as the text they show, by indicator name."""
    bodies = [m.value for m in app.markdown] + [h.proto.body for h in app.get("html")]
    cards = [re.sub(r"<[^>]+>", " ", b) for b in bodies if "sc-card-title" in b]
    return {name: next(c for c in cards if name in c) for name in (FLOW, RATIO)}


def test_the_progress_cards(site, open_app):
    config, db, _ = site
    app = goto(open_app(config, db, {"year": "2003", "month": "6", "city": "220100"}), "progress")
    cards = card_texts(app)
    assert re.search(r"完成率\s*49\.99%.*序时进度\s*50\.00%", cards[FLOW]), cards[FLOW]
    assert "落后" in cards[FLOW]
    ratio = cards[RATIO]
    assert re.search(r"目标\s*95\.000%", ratio) and re.search(r"实际\s*94\.996%", ratio), ratio
    assert re.search(r"完成率\s*99\.996%", ratio), ratio


def test_the_assessment_sheet(site, open_app):
    config, db, _ = site
    app = goto(open_app(config, db, {"year": "2003", "month": "6", "city": "220100"}), "assessment")
    sheet = table_with(app, "计分方法")
    sheet = sheet[sheet["实际"] != fmt.MISSING_TEXT].set_index("考核指标")     # 长春市's rows: no other city reports
    assert sheet.loc[FLOW, "完成率"] == "49.99%"
    assert (sheet.loc[RATIO, "目标"], sheet.loc[RATIO, "实际"], sheet.loc[RATIO, "完成率"]) == \
        ("95.000%", "94.996%", "99.996%")
    words = " ".join([m.value for m in app.markdown] + [h.proto.body for h in app.get("html")])
    assert "实际94.996%，目标95.000%，低于目标0.004个百分点" in words


def test_the_report_card_in_the_pdf(site, tmp_path):
    _, _, files = site
    pages = pdf_pages_text(files["pdf"].read_bytes(), tmp_path)
    card = re.sub(r"\s+", "", next(p for p in pages if "单位考评卡" in p and "长春市" in p and "序时进度" in p))
    assert f"{FLOW}：完成全年目标的49.99%，序时进度要求50.00%，落后" in card
    assert "94.996%" in card and "95.000%" in card and "99.996%" in card
    assert "完成99.99%，差0.01个百分点" in card        # the projected completion in the words, too


def test_the_circular(site):
    _, _, files = site
    text = "".join(p.text for p in Document(io.BytesIO(files["docx"].read_bytes())).paragraphs)
    assert f"{FLOW}截至6月应完成全年目标的50.00%，长春市（完成全年目标的49.99%）落后于序时进度" in text
    assert "长春市（实际94.996%）" in text


def shown(cell) -> str:
    """A percentage cell as Excel shows it: its value with the decimals of its number format."""
    decimals = len(re.search(r"0\.?(0*)%", cell.number_format).group(1))
    return f"{cell.value * 100:.{decimals}f}%"


def test_the_workbook(site):
    _, _, files = site
    sheet = load_workbook(files["xlsx"])["评分明细"]
    header = [c.value for c in sheet[3]]
    rows = {(r[header.index("市（州）")].value, r[header.index("考核指标")].value): r for r in sheet.iter_rows(min_row=4)}
    flow = rows[("长春市", FLOW)]
    assert shown(flow[header.index("完成率")]) == "49.99%"
    assert shown(flow[header.index("序时进度要求")]) == "50.00%"
    ratio = rows[("长春市", RATIO)]
    assert (shown(ratio[header.index("目标")]), shown(ratio[header.index("实际")]), shown(ratio[header.index("完成率")])) \
        == ("95.000%", "94.996%", "99.996%")
    assert flow[header.index("完成率")].value == pytest.approx(8999 / 18000)      # the number itself, unrounded


@pytest.mark.parametrize("value, threshold, status, text", [
    (8999 / 18000, 0.5, BEHIND, ("49.99%", "50.00%")),
    (0.9499, 0.95, BEHIND, ("94.99%", "95.00%")),
    (0.94996, 0.95, BEHIND, ("94.996%", "95.000%")),
    (0.95, 0.95, MET, ("95.0%", "95.0%")),
    (0.95004, 0.95, MET, ("95.0%", "95.0%")),          # met: equal is what it says
    (1 / 12 - 1e-5, 1 / 12, BEHIND, ("8.332%", "8.333%")),   # a pace that rounds down: both get the digits
    (0.3, 0.5, FAR_BEHIND, ("30.0%", "50.0%")),
    (None, 0.5, "missing", ("数据缺失", "50.0%")),
])
def test_against(value, threshold, status, text):
    assert fmt.against(value, threshold, status in (BEHIND, FAR_BEHIND)) == text
