"""The formats officials send: long and wide, CSV and xlsx, Chinese headers, and what people really type."""

from __future__ import annotations

import pytest
from intake_support import HEADER, values
from openpyxl import Workbook

from scorecard.actions.imports import import_file
from scorecard.data.store import Store

EXPECTED = {
    (2003, 1, "220100", "contributions_collected"): 1523.4,
    (2003, 1, "220100", "new_insured_persons"): 2500.0,
    (2003, 1, "222400", "contributions_collected"): 1234.5,
    (2003, 2, "222400", "new_insured_persons"): 12345.0,
}


def imported(config, path) -> dict:
    db = path.with_suffix(".duckdb")
    result = import_file(Store(db), config, path)
    assert result.ok, [str(p) for p in result.problems]
    return values(db)


def xlsx(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_long_csv_with_chinese_headers_and_measure_names(config, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("年度,月份,市州,统计项,数值\n"
                    "2003,1,长春市,实缴失业保险费,1523.4\n2003,1,220100,新增参保人数,2500\n"
                    "2003,1,延边州,contributions_collected,1234.5\n2003,2,延边朝鲜族自治州,new_insured_persons,12345\n",
                    encoding="utf-8")
    assert imported(config, path) == EXPECTED


def test_wide_csv_by_code(config, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("year,month,city,contributions_collected,new_insured_persons,备注\n"
                    "2003,1,220100,1523.4,2500,\n2003,1,222400,1234.5,,未报新增人数\n2003,2,222400,,12345,\n",
                    encoding="utf-8")
    assert imported(config, path) == EXPECTED  # an empty cell is not reported: not an error, not zero


def test_wide_xlsx_by_chinese_header_with_units_under_a_title_row(config, tmp_path):
    path = xlsx(tmp_path / "wide.xlsx", [
        ["2003年各市州月报汇总"], [],
        ["年度", "月份", "市州", "实缴失业保险费（万元）", "新增参保人数(人)"],
        [2003, 1, "长春市", 1523.4, 2500], [2003, 1, "延边州", "1,234.5", None], [2003, 2, "延边州", None, 12345],
        [None, None, "合 计", 2757.9, 14845], [None, None, None, None, None]])
    assert imported(config, path) == EXPECTED


def test_wide_format_with_an_unknown_column_is_refused(config, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("年度,月份,市州,实缴失业保险费,新增参保人\n2003,1,长春市,1,2\n", encoding="utf-8")
    result = import_file(Store(tmp_path / "x.duckdb"), config, path)
    assert [str(p) for p in result.problems] == [
        f"{path}:1: 新增参保人列：无法识别的表头“新增参保人”，是否指“新增参保人数”？"
        "（宽格式每列的表头应为统计项代码或中文名称；备注列请写“备注”）"]


def test_what_people_type_is_read_as_meant(config, tmp_path):
    path = tmp_path / "typed.csv"
    path.write_text(HEADER
                    + ' 2003 ,1月, 长春市 ,contributions_collected," 1,523.4 "\n'     # spaces, 1月, thousands
                    + "２００３年,１,長春市,new_insured_persons,２５００\n".replace("長春市", "220100")  # full width
                    + "2003,01,延边州,CONTRIBUTIONS_COLLECTED,１，２３４．５\n"         # short name, case, 全角
                    + "2003,2,延 边 州,新增参保人数,\"12,345\"\n"                      # spaces inside a name
                    + ",,,,\n\n \n",                                                  # trailing empty rows
                    encoding="utf-8")
    assert imported(config, path) == EXPECTED


def test_gb18030_file_with_chinese_names_imports_as_its_utf8_twin(config, tmp_path):
    text = ("年度,月份,市州,统计项,数值\r\n2003,1,长春市,实缴失业保险费,\"1,523.4\"\r\n\r\n"
            "2003,1,长春市,新增参保人数,2500\r\n2003,1,延边朝鲜族自治州,实缴失业保险费,1234.5\r\n"
            "2003,2,延边州,新增参保人数,12345\r\n")
    twins = {}
    for encoding in ("utf-8", "gb18030"):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        twins[encoding] = imported(config, path)
    assert twins["utf-8"] == twins["gb18030"] == EXPECTED


def test_gb18030_problems_keep_chinese_and_row_numbers(config, tmp_path):
    path = tmp_path / "gb.csv"
    path.write_bytes((HEADER + "2003,1,长春市,fund_income,1\r\n\r\n2003,1,长沙市,fund_income,1\r\n").encode("gb18030"))
    result = import_file(Store(tmp_path / "x.duckdb"), config, path)
    assert [p.line for p in result.problems] == [4] and "未知的市州“长沙市”" in result.problems[0].message


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_tab_or_semicolon_separated(config, tmp_path, delimiter):
    path = tmp_path / "tabs.csv"
    path.write_text(HEADER.replace(",", delimiter) + delimiter.join(["2003", "1", "长春市", "fund_income", "5"]) + "\n",
                    encoding="utf-8")
    assert imported(config, path) == {(2003, 1, "220100", "fund_income"): 5.0}


def test_excel_unicode_text_utf16_tab_separated(config, tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes(("年度\t月份\t市州\t统计项\t数值\r\n2003\t1\t长春市\tfund_income\t5\r\n").encode("utf-16"))
    assert imported(config, path) == {(2003, 1, "220100", "fund_income"): 5.0}


def test_a_file_that_is_no_table_is_refused_in_chinese(config, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(bytes(range(256)) * 4)
    result = import_file(Store(tmp_path / "x.duckdb"), config, path)
    assert not result.ok and not (tmp_path / "x.duckdb").exists()
    assert any(text in str(result.problems[0]) for text in ("无法识别文件编码", "缺少必需的列", "文件是空的"))


def test_old_xls_workbooks_are_refused_with_what_to_do(config, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(60))
    result = import_file(Store(tmp_path / "x.duckdb"), config, path)
    assert [p.message for p in result.problems] == [
        "不支持旧版Excel的 .xls 格式，请在Excel中“另存为”Excel工作簿（.xlsx）或CSV后再导入"]
