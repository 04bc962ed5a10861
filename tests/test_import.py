"""Importing actuals: encodings, xlsx, all-or-nothing, history of replaced values, idempotence."""

from __future__ import annotations

from intake_support import HEADER, snapshot, table
from openpyxl import Workbook

from scorecard.actions.imports import import_file
from scorecard.data.intake import prepare
from scorecard.data.store import Store

def test_utf8_bom_and_gb18030_with_chinese_names_give_the_same_values(config, tmp_path):
    rows = "2003,1,长春市,contributions_collected,1523.4\n2003,1,延边州,contributions_due,1610\n"
    files = {"utf8.csv": (HEADER + rows).encode("utf-8"), "bom.csv": (HEADER + rows).encode("utf-8-sig"),
             "gb.csv": (HEADER + rows).encode("gb18030")}
    results = []
    for name, raw in files.items():
        (tmp_path / name).write_bytes(raw)
        db = tmp_path / f"{name}.duckdb"
        assert import_file(Store(db), config, tmp_path / name).ok
        results.append(table(db))
    assert results[0] == results[1] == results[2] == [
        (2003, 1, "220100", "contributions_collected", 1523.4), (2003, 1, "222400", "contributions_due", 1610.0)]


def test_xlsx_first_sheet(config, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["year", "month", "city", "measure", "value"])
    sheet.append([2003, 2, "220200", "fund_balance", 5000.5])
    sheet.append([2003, 2, "吉林市", "fund_income", "1,234.5"])
    book.save(tmp_path / "report.xlsx")
    result = import_file(Store(tmp_path / "x.duckdb"), config, tmp_path / "report.xlsx")
    assert result.ok and result.new == 2
    assert table(tmp_path / "x.duckdb") == [(2003, 2, "220200", "fund_balance", 5000.5),
                                           (2003, 2, "220200", "fund_income", 1234.5)]


def test_bad_rows_are_all_listed_and_nothing_is_imported(config, tmp_path):
    db = tmp_path / "x.duckdb"
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "2003,1,220100,fund_income,1\n", encoding="utf-8")
    assert import_file(Store(db), config, good).ok
    before = snapshot(db)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "2003,1,220100,fund_income,2\n"        # would replace a value
                   "2003,13,220100,fund_income,1\n"                # row 3: month
                   "2003,1,长沙市,fund_income,1\n"                  # row 4: city
                   "2003,1,220100,fund_incme,1\n"                  # row 5: measure
                   "2003,1,220100,fund_expenditure,abc\n"          # row 6: value
                   "2003,1,220100,fund_expenditure,-5\n",          # row 7: min 0
                   encoding="utf-8")
    result = import_file(Store(db), config, bad)
    assert not result.ok
    messages = [str(p) for p in result.problems]
    for row, column in ((3, "month"), (4, "city"), (5, "measure"), (6, "value"), (7, "value")):
        assert any(m.startswith(f"{bad}:{row}: {column}列") for m in messages), (row, column, messages)
    assert any("是否指“fund_income”" in m for m in messages)
    assert snapshot(db) == before


def test_replaced_value_is_kept_in_history_with_file_hash_and_time(config, tmp_path):
    db = tmp_path / "x.duckdb"
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(HEADER + "2003,1,220100,fund_income,100\n2003,1,220100,fund_balance,900\n", encoding="utf-8")
    second.write_text(HEADER + "2003,1,220100,fund_income,120\n2003,1,220100,fund_balance,900\n", encoding="utf-8")
    one = import_file(Store(db), config, first)
    two = import_file(Store(db), config, second)
    assert (two.new, two.replaced, two.unchanged) == (0, 1, 1)
    history = table(db, """SELECT h.measure, h.old_value, h.new_value, o.file_name, o.sha256, n.file_name,
                                  n.imported_at IS NOT NULL
                           FROM actuals_history h JOIN imports o ON o.import_id = h.old_import_id
                           JOIN imports n ON n.import_id = h.new_import_id""")
    assert history == [("fund_income", 100.0, 120.0, "first.csv", one.sha256, "second.csv", True)]
    assert len(one.sha256) == 64


def test_importing_the_same_file_twice_changes_nothing(config, tmp_path):
    db = tmp_path / "x.duckdb"
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "2003,1,220100,fund_income,100\n", encoding="utf-8")
    assert import_file(Store(db), config, path).import_id == 1
    before = snapshot(db)
    again = import_file(Store(db), config, path)
    assert again.ok and again.import_id is None and again.unchanged == 1
    assert snapshot(db) == before


def test_same_key_twice_with_different_values_in_one_file(config, tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text(HEADER + "2003,1,220100,fund_income,100\n2003,1,长春市,fund_income,101\n", encoding="utf-8")
    result = import_file(Store(tmp_path / "x.duckdb"), config, path)
    assert not result.ok and "与第2行是同一市州" in str(result.problems[0])
    assert not (tmp_path / "x.duckdb").exists()


def test_a_conflict_and_a_bad_row_are_found_where_an_unusual_spelling_hides_a_key(config, tmp_path):
    """Row 3 names row 2's key in full-width digits and with spaces, which only a second reading of the file resolves;
    its different value is a conflict, row 4 an unknown city, and the good rows are all that a preview shows."""
    path = tmp_path / "mixed.csv"
    path.write_text(HEADER + "2003,1,220100,fund_income,100\n"
                             "２００３,1,长 春 市,fund_income,101\n"
                             "2003,1,长沙市,fund_income,1\n"
                             "2003,2,220100,fund_income,7\n", encoding="utf-8")
    with prepare(config, Store(tmp_path / "x.duckdb"), path) as prepared:
        assert [p.line for p in prepared.problems] == [3, 4]
        assert "与第2行是同一市州、同一月份、同一统计项，但数值不同（100 与 101）" in prepared.problems[0].message
        assert "未知的市州“长沙市”" in prepared.problems[1].message
        assert list(prepared.preview()["value"]) == [100.0, 7.0]
    assert not import_file(Store(tmp_path / "x.duckdb"), config, path).ok
    assert not (tmp_path / "x.duckdb").exists()


def test_missing_column_and_unreadable_files(config, tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("year,month,city,value\n2003,1,220100,1\n", encoding="utf-8")
    result = import_file(Store(tmp_path / "x.duckdb"), config, path)
    assert "缺少必需的列：measure" in str(result.problems[0])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    assert "无法读取表格" in str(import_file(Store(tmp_path / "x.duckdb"), config, broken).problems[0])
    assert "无法读取文件" in str(import_file(Store(tmp_path / "x.duckdb"), config, tmp_path / "none.csv").problems[0])


def test_import_command_exit_codes(cli, config_dir, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(HEADER + "2003,1,220100,fund_income,100\n", encoding="utf-8")
    bad.write_text(HEADER + "2003,1,220100,fund_income,x\n", encoding="utf-8")
    db = tmp_path / "x.duckdb"
    ok = cli("--config", config_dir, "--db", db, "import", good)
    assert ok.code == 0 and "新增1条" in ok.out
    failed = cli("--config", config_dir, "--db", db, "import", bad)
    assert failed.code == 1 and f"{bad}:2: value列" in failed.err and "Traceback" not in failed.err


def test_a_repeated_key_keeps_its_first_row_and_value_and_a_conflict_names_the_first_value(config, tmp_path):
    """A good file's repeats are grouped without arg_min (checking.stage): its values are each the key's first."""
    import math

    path = tmp_path / "repeats.csv"
    path.write_text(HEADER + "2003,1,220100,fund_balance,-0\n2003,2,220100,fund_income,7\n"
                             "2003,1,长春市,fund_balance,0\n2003,2,长春市,fund_income,7.0\n"
                             "2003,1,220100,fund_balance,-0.0\n", encoding="utf-8")
    with prepare(config, Store(tmp_path / "x.duckdb"), path) as prepared:
        assert prepared.ok
        preview = prepared.preview()
        assert list(preview["line"]) == [2, 3] and list(preview["value"]) == [0.0, 7.0]
    assert import_file(Store(tmp_path / "x.duckdb"), config, path).ok
    stored = table(tmp_path / "x.duckdb")
    assert stored == [(2003, 1, "220100", "fund_balance", 0.0), (2003, 2, "220100", "fund_income", 7.0)]
    assert math.copysign(1, stored[0][4]) == 1  # −0 is stored as 0
    conflict = tmp_path / "conflict.csv"
    conflict.write_text(HEADER + "2003,1,220100,fund_income,101\n2003,1,长春市,fund_income,100\n", encoding="utf-8")
    with prepare(config, Store(tmp_path / "y.duckdb"), conflict) as prepared:
        assert [p.line for p in prepared.problems] == [3]
        assert "与第2行是同一市州、同一月份、同一统计项，但数值不同（101 与 100）" in prepared.problems[0].message
