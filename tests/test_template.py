"""The monthly report template: written, filled in with openpyxl as a city would, imported back."""

from __future__ import annotations

import pytest
from intake_support import HEADER, values
from openpyxl import load_workbook

from scorecard.actions.imports import import_file
from scorecard.data.store import Store
from scorecard.data.template import CODE_COL, FIRST_ROW, VALUE_COL


def rows_by_code(sheet) -> dict[str, int]:
    return {sheet.cell(row, CODE_COL).value: row for row in range(FIRST_ROW, sheet.max_row + 1)
            if sheet.cell(row, CODE_COL).value}


@pytest.fixture
def db(config, tmp_path):
    """December 2002 values for 长春市, to appear as last month's reference in a January 2003 template."""
    path = tmp_path / "x.duckdb"
    seed = tmp_path / "seed.csv"
    seed.write_text(HEADER + "2002,12,220100,fund_balance,8000.5\n2002,12,220100,insured_persons,760000\n",
                    encoding="utf-8")
    assert import_file(Store(path), config, seed).ok
    return path


def test_one_city_round_trip(cli, config, config_dir, db, tmp_path):
    out = tmp_path / "长春市2003年1月.xlsx"
    run = cli("--config", config_dir, "--db", db, "template", "--year", 2003, "--month", 1, "--city", "长春市",
              "--out", out)
    assert run.code == 0 and "长春市" in run.out
    book = load_workbook(out)
    assert book.sheetnames == ["长春市"]
    sheet = book.active
    assert (sheet["B2"].value, sheet["D2"].value, sheet["H2"].value) == (2003, 1, "220100")
    assert "填报说明" in sheet["A3"].value and "留空" in sheet["A3"].value
    rows = rows_by_code(sheet)
    assert list(rows) == [m.code for m in config.measures.values() if m.reported]   # not those only derived
    balance = rows["fund_balance"]
    assert (sheet.cell(balance, 2).value, sheet.cell(balance, 3).value, sheet.cell(balance, 4).value,
            sheet.cell(balance, 5).value) == ("失业保险基金累计结余", "万元", "月末数", 8000.5)
    assert sheet.cell(rows["fund_income"], 4).value == "当月数" and sheet.cell(rows["fund_income"], 5).value is None
    filled = {"new_insured_persons": 2500, "contributions_collected": "1,523.40", "fund_balance": 8100.25,
              "recipients": 0}
    for code, value in filled.items():
        sheet.cell(rows[code], VALUE_COL, value)
    book.save(out)
    run = cli("--config", config_dir, "--db", db, "import", out)
    assert run.code == 0, run.err
    assert "月报表" in run.out and "新增4条" in run.out
    stored = {k: v for k, v in values(db).items() if k[0] == 2003}
    assert stored == {(2003, 1, "220100", code): float(str(value).replace(",", "")) for code, value in filled.items()}


def test_every_city_gets_a_sheet_and_all_sheets_are_read(cli, config, config_dir, tmp_path):
    out = tmp_path / "all.xlsx"
    assert cli("--config", config_dir, "--db", tmp_path / "none.duckdb", "template", "--year", 2003, "--month", 2,
               "--out", out).code == 0
    assert not (tmp_path / "none.duckdb").exists()  # a template never creates the database
    book = load_workbook(out)
    assert book.sheetnames == [c.label for c in config.cities]
    book["长春市"].cell(rows_by_code(book["长春市"])["fund_income"], VALUE_COL, 10)
    book["延边州"].cell(rows_by_code(book["延边州"])["fund_income"], VALUE_COL, "２０")
    book.save(out)
    db = tmp_path / "x.duckdb"
    assert cli("--config", config_dir, "--db", db, "import", out).code == 0
    assert values(db) == {(2003, 2, "220100", "fund_income"): 10.0, (2003, 2, "222400", "fund_income"): 20.0}


def test_cells_to_fill_are_checked_by_excel_and_the_rest_is_locked(cli, config, config_dir, tmp_path):
    out = tmp_path / "t.xlsx"
    cli("--config", config_dir, "--db", tmp_path / "none.duckdb", "template", "--year", 2003, "--month", 2,
        "--city", "220100", "--out", out)
    sheet = load_workbook(out).active
    rows = rows_by_code(sheet)
    assert sheet.protection.sheet
    assert all(not sheet.cell(row, VALUE_COL).protection.locked for row in rows.values())
    assert sheet["B2"].protection.locked and sheet.cell(rows["fund_income"], CODE_COL).protection.locked
    assert sheet.column_dimensions["I"].hidden and sheet["I5"].value == "统计项代码"  # for the import, not people
    assert "scorecard" not in str(sheet["A2"].value) + str(sheet["A3"].value) + str(sheet["A4"].value)
    checks = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            for (row, col) in cell_range.cells:
                checks[row] = (validation.type, validation.operator, validation.formula1, validation.formula2)
    for code, measure in ((c, m) for c, m in config.measures.items() if m.reported):
        low = "0" if measure.min == 0 else "-1000000000000"
        assert checks[rows[code]] == ("decimal", "between", low, "1000000000000"), code


def test_a_bad_cell_is_named_by_sheet_row_and_column(config, tmp_path):
    from scorecard.data.template import write_template

    out = write_template(config, None, 2003, 2, list(config.cities[:2]), tmp_path / "two.xlsx")
    book = load_workbook(out)
    sheet = book["吉林市"]
    row = rows_by_code(sheet)["fund_expenditure"]
    sheet.cell(row, VALUE_COL, -3)
    book.save(out)
    result = import_file(Store(tmp_path / "x.duckdb"), config, out)
    assert [str(p) for p in result.problems] == [
        f"{out}（吉林市）:{row}: 本月数列（F列）：失业保险基金支出不能小于0，现在是-3"]


def test_a_damaged_header_cell_is_reported(config, tmp_path):
    from scorecard.data.template import write_template

    out = write_template(config, None, 2003, 2, [config.cities[0]], tmp_path / "one.xlsx")
    book = load_workbook(out)
    book.active["H2"] = "229900"
    book.active.cell(FIRST_ROW, VALUE_COL, 5)
    book.save(out)
    result = import_file(Store(tmp_path / "x.duckdb"), config, out)
    assert len(result.problems) == 1 and result.problems[0].line == 2
    assert result.problems[0].message.startswith("市州代码（H2）：“229900”无效，应为 cities.yaml 中的市州代码或名称")


def test_unknown_city_for_the_template_is_a_chinese_error(cli, config_dir, tmp_path):
    run = cli("--config", config_dir, "template", "--year", 2003, "--month", 1, "--city", "长沙市",
              "--out", tmp_path / "t.xlsx")
    assert run.code == 1 and "未知的市州“长沙市”，是否指“长春市”" in run.err
    run = cli("--config", config_dir, "template", "--year", 2003, "--month", 1, "--out", tmp_path / "t.csv")
    assert run.code == 1 and ".xlsx" in run.err
