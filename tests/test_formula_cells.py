"""No cell the project writes into a CSV or a spreadsheet is run as a formula (OWASP's CSV-injection rule).

A city name, an adjustment reason or a veto item that begins with =, +, -, @, a tab or a carriage return
comes out with a leading apostrophe; numbers (negative ones too) stay numbers. Checked through the
installed `scorecard` command on a config whose texts are formulas, reading the files back."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from conftest import ROOT, copy_config
from scorecard.cells import inert
from scorecard.data.template import CODE_COL, REFERENCE_COL, VALUE_COL

SCORECARD = Path(sys.executable).with_name("scorecard")   # the installed console script
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = {
    "city": '=HYPERLINK("http://evil.example/","点此查看")',
    "short": "@SUM(1+1)*cmd|' /C calc'!A0",
    "reason": "-2+3+cmd|' /C calc'!A0",
    "other_reason": "+1+1",
    "veto_item": "\t=1+1",
    "veto_reason": "\r=cmd|' /C calc'!A0",
    "area": "=1+2",
    "measure": "@A1",
}


def hostile_config(folder: Path) -> Path:
    config = copy_config(folder / "config")
    cities = config / "cities.yaml"
    data = yaml.safe_load(cities.read_text(encoding="utf-8"))
    changchun = next(c for c in data["cities"] if c["code"] == "220100")
    changchun.update(name=HOSTILE["city"], short=HOSTILE["short"])
    cities.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    catalogue = config / "indicators.yaml"
    data = yaml.safe_load(catalogue.read_text(encoding="utf-8"))
    data["indicators"]["subsidy_persons"]["area"] = HOSTILE["area"]
    data["measures"]["recipients"]["name"] = HOSTILE["measure"]
    catalogue.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assessment = {"year": 2003,
                  "adjustments": [{"city": "220100", "points": -2, "reason": HOSTILE["reason"]},
                                  {"city": "220200", "points": 1, "reason": HOSTILE["other_reason"]},
                                  {"city": "220300", "points": -2, "reason": "未按时报送12月统计报表"}],
                  "veto": [{"city": "220600", "item": HOSTILE["veto_item"], "reason": HOSTILE["veto_reason"]}]}
    (config / "assessments" / "2003.yaml").write_text(yaml.safe_dump(assessment, allow_unicode=True),
                                                      encoding="utf-8")
    return config


def scorecard(config: Path, db: Path, *args) -> subprocess.CompletedProcess:
    done = subprocess.run([str(SCORECARD), "--config", str(config), "--db", str(db), *map(str, args)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formulas")
    config = hostile_config(folder)
    db = folder / "scorecard.duckdb"
    scorecard(config, db, "validate")
    scorecard(config, db, "demo")
    return config, db, folder


def triggered(value) -> bool:
    return isinstance(value, str) and value.startswith(TRIGGERS)


def test_the_score_csv_neutralises_formulas_and_keeps_numbers(site):
    config, db, _ = site
    out = scorecard(config, db, "score", "--year", 2003, "--month", 12, "--format", "csv",
                     "--headers", "code").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    cells = [value for row in rows for value in row.values()]
    numbers = {row["city"]: row for row in rows}
    assert not [c for c in cells if triggered(c) and not is_number(c)], cells
    assert numbers["220100"]["name"] == "'" + HOSTILE["city"]
    assert numbers["220600"]["veto"] == "'" + HOSTILE["veto_item"].strip()   # the loader strips the tab
    assert numbers["220300"]["adjustment"] == "-2.00"          # a negative number is a number, not text
    assert numbers["220100"]["adjustment"] == "-2.00"
    assert float(numbers["220100"]["total"]) > 0


def is_number(text: str) -> bool:
    return re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text) is not None


def cells_of(path: Path):
    book = load_workbook(path)              # formulas as written, not their cached values
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                yield sheet.title, cell


def test_the_workbook_has_no_formula_and_no_trigger(site):
    config, db, folder = site
    out = folder / "考评表.xlsx"
    scorecard(config, db, "export", "--year", 2003, "--format", "xlsx", "--out", out)
    cells = list(cells_of(out))
    formulas = [(s, c.coordinate, c.value) for s, c in cells if c.data_type == "f"]
    assert not formulas
    texts = [(s, c.coordinate, c.value) for s, c in cells if triggered(c.value)]
    assert not texts
    shown = {c.value for _, c in cells if isinstance(c.value, str)}
    assert "'" + HOSTILE["city"] in shown
    assert any(HOSTILE["reason"] in text for text in shown)
    assert any(text.startswith("'" + HOSTILE["area"]) for text in shown)   # an area's column header
    summary = load_workbook(out)["汇总"]
    header = [c.value for c in summary[3]]
    name_col, change_col = header.index("市（州）"), header.index("加减分")
    adjustments = {row[name_col].value: row[change_col].value for row in summary.iter_rows(min_row=4)
                   if row[name_col].value}
    assert adjustments["'" + HOSTILE["city"]] == -2 and adjustments["四平市"] == -2   # numeric cells


def test_the_monthly_template_has_no_formula_and_no_trigger(site):
    config, db, folder = site
    out = folder / "月报表.xlsx"
    scorecard(config, db, "template", "--year", 2003, "--month", 5, "--out", out)
    cells = list(cells_of(out))
    assert not [(s, c.coordinate, c.value) for s, c in cells if c.data_type == "f"]
    assert not [(s, c.coordinate, c.value) for s, c in cells if triggered(c.value)]
    shown = {c.value for _, c in cells if isinstance(c.value, str)}
    assert "'" + HOSTILE["city"] in shown and "'" + HOSTILE["measure"] in shown
    first = cells[0][0]
    previous = [c.value for s, c in cells if s == first and c.column == REFERENCE_COL and c.row > 5]
    assert any(isinstance(v, (int, float)) for v in previous)     # last month's values stay numbers


def test_a_filled_template_with_neutralised_texts_imports(site, tmp_path):
    """The template is read back by import: the apostrophe in a city's cell must not stop that."""
    config, db, folder = site
    out = tmp_path / "月报表.xlsx"
    scorecard(config, db, "template", "--year", 2003, "--month", 5, "--city", "220100", "--out", out)
    book = load_workbook(out)
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(min_row=6):
        if row[CODE_COL - 1].value == "subsidy_persons":
            row[VALUE_COL - 1].value = 1234
    book.save(out)
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(db.read_bytes())
    scorecard(config, copy, "import", out)
    revisions = json.loads(scorecard(config, copy, "history", "--city", "220100", "--year", 2003,
                                     "--format", "json").stdout)
    assert [(r["month"], r["measure"], r["new_value"]) for r in revisions["revisions"] if r["month"] == 5] == \
        [(5, "subsidy_persons", 1234)]


@pytest.mark.parametrize("text, cell", [
    ("-2.00", "-2.00"), ("+3", "+3"), ("-1.5e3", "-1.5e3"), (-2.0, -2.0), (None, None), ("长春市", "长春市"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"), ("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("+A1", "'+A1"), ("\t1", "'\t1"), ("\r1", "'\r1"), ("  =1+1", "'  =1+1"), ("\u3000=1", "'\u3000=1"),
    ("-inf", "'-inf"), ("-", "'-"), ("a=1", "a=1"),
])
def test_inert_cells(text, cell):
    assert inert(text) == cell


def test_the_pages_offer_no_csv_of_their_own_grids():
    """st.dataframe's download would write the cells as they are; the pages offer the neutralised workbook."""
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["client"]["disableDataExport"] is True
