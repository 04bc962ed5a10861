"""One test per validation rule: each bad file is rejected whole, the problem names its row and column
in Chinese, and every table of the database stays exactly as it was."""

from __future__ import annotations

import pytest
from conftest import writable_copy
from intake_support import HEADER, snapshot, values
from openpyxl import Workbook

from scorecard.actions.imports import import_file
from scorecard.data.checking import MAX_PROBLEMS
from scorecard.data.store import Store
from scorecard.config import load_config

GOOD = "2003,1,220100,fund_income,100\n"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A database that already holds one import, so that 'unchanged' means something."""
    from conftest import SHIPPED_CONFIG

    folder = tmp_path_factory.mktemp("seeded")
    seed = folder / "seed.csv"
    seed.write_text(HEADER + GOOD + "2003,1,220200,fund_income,50\n", encoding="utf-8")
    assert import_file(Store(folder / "seed.duckdb"), load_config(SHIPPED_CONFIG)[0], seed).ok
    return folder / "seed.duckdb"


@pytest.fixture
def db(seeded, tmp_path):
    return writable_copy(seeded, tmp_path)


@pytest.fixture
def rejected(config, db, tmp_path):
    """Import a file that must be refused; return its problems as printed."""

    def run(text: str, name: str = "bad.csv") -> list[str]:
        before = snapshot(db)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = import_file(Store(db), config, path)
        assert not result.ok and result.import_id is None
        assert snapshot(db) == before
        assert "整个文件未导入，数据库保持不变" in result.summary()
        return [str(p).removeprefix(f"{path}:") for p in result.problems]

    return run


def test_unknown_city_is_named_with_the_nearest_suggestion(rejected):
    problems = rejected(HEADER + GOOD + "2003,1,长沙市,fund_income,1\n")
    assert problems == ["3: city列：未知的市州“长沙市”，是否指“长春市”？（可写代码、全称或简称，见市州名单文件 cities.yaml）"]


def test_an_indicators_name_written_for_a_measure_names_the_measures_to_report(rejected):
    """征缴收入 is what the contract scores; what a city reports is 实缴失业保险费 (and for a rate, both parts)."""
    problems = rejected(HEADER + GOOD + "2003,1,220100,征缴收入,1\n2003,1,220100,征缴率（%）,0.9\n")
    assert problems == [
        "3: measure列：未知的统计项“征缴收入”，“征缴收入”是考核指标，不是统计项，是否要填“实缴失业保险费”？"
        "（可写统计项代码或中文名称，见指标目录文件 indicators.yaml）",
        "4: measure列：未知的统计项“征缴率（%）”，“征缴率”是考核指标，不是统计项，是否要填“实缴失业保险费”和“应缴失业保险费”？"
        "（可写统计项代码或中文名称，见指标目录文件 indicators.yaml）"]


def test_unknown_measure_is_named_with_the_nearest_suggestion(rejected):
    problems = rejected(HEADER + GOOD + "2003,1,220100,fund_incme,1\n")
    assert len(problems) == 1
    assert problems[0].startswith("3: measure列：未知的统计项“fund_incme”，是否指“fund_income”？")


@pytest.mark.parametrize("year", ["1989", "2200", "03", "二〇〇三"])
def test_year_out_of_range(rejected, year):
    problems = rejected(HEADER + f"{year},1,220100,fund_income,1\n")
    assert problems == [f"2: year列：年度“{year}”无效，应为1990至" + problems[0].split("1990至")[1]]


@pytest.mark.parametrize("month", ["0", "13", "1.5", ""])
def test_month_out_of_range(rejected, month):
    problems = rejected(HEADER + GOOD + f"2003,{month},220100,fund_income,1\n")
    expected = "月份为空" if not month else f"月份“{month}”无效，应为1至12的整数"
    assert problems == [f"3: month列：{expected}"]


@pytest.mark.parametrize("value", ["abc", "12a", "1,2", "1.2.3", "nan"])  # inf: test_plausible_numbers
def test_non_numeric_value(rejected, value):
    problems = rejected(HEADER + f'2003,1,220100,fund_income,"{value}"\n')
    assert problems == [f"2: value列：失业保险基金收入“{value}”不是数字"]


def test_empty_value_in_the_long_format_is_an_error(rejected):
    assert rejected(HEADER + "2003,1,220100,fund_income,\n") == ["2: value列：数值为空（没有数据的月份请不要写这一行）"]


def test_negative_value_where_the_catalogue_says_min_0(config, db, rejected, tmp_path):
    problems = rejected(HEADER + "2003,1,220100,fund_expenditure,-5\n")
    assert problems == ["2: value列：失业保险基金支出不能小于0，现在是-5"]
    allowed = tmp_path / "balance.csv"  # fund_balance has no min: an overdrawn fund may be negative
    allowed.write_text(HEADER + "2003,1,220100,fund_balance,-5\n", encoding="utf-8")
    assert import_file(Store(db), config, allowed).ok
    assert values(db)[(2003, 1, "220100", "fund_balance")] == -5


def test_same_key_twice_with_different_values(config, db, rejected, tmp_path):
    problems = rejected(HEADER + GOOD + "2003,1,长春市,fund_income,101\n")
    assert problems == ["3: value列：与第2行是同一市州、同一月份、同一统计项，但数值不同（100 与 101），"
                        "请保留正确的一行"]
    twice = tmp_path / "twice.csv"  # the same value twice is harmless and stored once
    twice.write_text(HEADER + "2003,2,220100,fund_income,7\n2003,2,长春市,fund_income,7.0\n", encoding="utf-8")
    result = import_file(Store(db), config, twice)
    assert result.ok and result.new == 1


@pytest.mark.parametrize("header, missing", [("year,month,city,value", "measure（统计项）"),
                                             ("年度,月份,统计项,数值", "city（市州）"),
                                             ("month,city,measure,value", "year（年度）")])
def test_missing_required_column(rejected, header, missing):
    problems = rejected(header + "\n2003,1,220100,1\n")
    assert len(problems) == 1 and problems[0].startswith(f"1: 缺少必需的列：{missing}")


def test_unquoted_thousands_separator_splits_a_value(rejected):
    problems = rejected(HEADER + GOOD + "2003,2,220100,fund_income,1,234\n")
    assert problems == ['3: 这一行多出了“234”：CSV中带千位分隔逗号的数会被拆成两列，请写成 1234 或加引号写成 "1,234"']


def test_unquoted_thousands_separator_into_an_ignored_column(rejected):
    problems = rejected("year,month,city,measure,value,备注\n2003,2,220100,fund_income,1,234\n")
    assert problems == ['2: 这一行多出了“234”：CSV中带千位分隔逗号的数会被拆成两列，请写成 1234 或加引号写成 "1,234"']


def test_every_problem_of_a_row_is_listed_in_column_order(rejected):
    problems = rejected(HEADER + "1989,13,长沙市,fund_incme,abc\n")
    assert [p.split("：")[0] for p in problems] == [f"2: {column}列" for column in
                                                    ("year", "month", "city", "measure", "value")]


def test_the_first_thousand_problems_then_a_count(rejected):
    problems = rejected(HEADER + "".join(f"2003,1,220100,fund_income,x{i}\n" for i in range(1205)))
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0].startswith("2: ") and problems[MAX_PROBLEMS - 1].startswith(f"{MAX_PROBLEMS + 1}: ")
    assert problems[-1].endswith(f"问题超过{MAX_PROBLEMS}处，以上只列出前{MAX_PROBLEMS}处，共1205处")


def test_row_numbers_count_blank_lines_and_quoted_line_breaks_as_excel_does(rejected):
    text = HEADER + GOOD + "\n\n" + '2003,1,"220100",fund_income,"1\n2"\n' + "2003,1,220100,fund_expenditure,-1\n"
    problems = rejected(text)
    assert [p.split(":")[0] for p in problems] == ["5", "6"]


def test_xlsx_problems_name_the_column_letter(config, db, tmp_path):
    book = Workbook()
    book.active.append(["year", "month", "city", "measure", "value"])
    book.active.append([2003, 1, "220100", "fund_income", "abc"])
    book.save(tmp_path / "bad.xlsx")
    before = snapshot(db)
    result = import_file(Store(db), config, tmp_path / "bad.xlsx")
    assert [p.message for p in result.problems] == ["value列（E列）：失业保险基金收入“abc”不是数字"]
    assert result.problems[0].line == 2 and snapshot(db) == before


def test_a_rejected_file_never_creates_the_database(config, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "2003,1,220100,fund_income,x\n", encoding="utf-8")
    assert not import_file(Store(tmp_path / "new.duckdb"), config, path).ok
    assert not (tmp_path / "new.duckdb").exists()
