"""Values of scoring.yaml written with the day they take effect: each year is scored with the rules in force on
1 January of it (tests/cases/dated_rules.yaml); a schedule written wrong is said at its line."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from page_support import goto

from scorecard.assessment.scoring import score_year
from scorecard.config import load_config
from scorecard.data.store import Store
from scorecard.exports import workbook
from scorecard.report import palette
from scorecard.report.summary import summarize

GRADES = "[[优秀, 90], [良好, 80], [合格, 60], [不合格, 0]]"


def write_scoring(config_dir, text: str):
    path = config_dir / "scoring.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(config_dir) -> list[str]:
    config, found = load_config(config_dir)
    assert config is None
    return [str(p) for p in found]


def test_a_rule_counts_from_the_first_year_it_is_in_force_on_1_january(config_dir):
    write_scoring(config_dir, "bonus_cap:\n  - value: 5\n  - from: 2003-01-01\n    value: 4\n"
                              "  - from: 2003-07-01\n    value: 3\nwarning:\n  report_days:\n"
                              "    - from: 2004-01-01\n      value: 15\n")
    config, found = load_config(config_dir)
    assert not found, found
    assert [config.rules_for(y).bonus_cap for y in (2002, 2003, 2004)] == [5, 4, 3]
    assert [config.rules_for(y).warning.report_days for y in (2003, 2004)] == [10, 15]  # before: as if unwritten
    assert [since for since, _ in config.schedule] == [None, dt.date(2003, 1, 1), dt.date(2003, 7, 1),
                                                       dt.date(2004, 1, 1)]


def test_plain_values_are_one_rule_for_every_year(config):
    assert len(config.schedule) == 1 and config.rules_for(1990) is config.rules_for(2027) is config.rules


@pytest.mark.parametrize("schedule,line,phrase", [
    (f"  - from: 2005-01-01\n    value: {GRADES}\n  - from: 2004-01-01\n    value: {GRADES}\n", 4,
     "“grades”的生效日期应从早到晚排列：2004-01-01写在2005-01-01之后"),
    (f"  - from: 2004-01-01\n    value: {GRADES}\n  - from: 2004-01-01\n    value: {GRADES}\n", 4,
     "“grades”的生效日期2004-01-01重复（第2行已写）"),
    (f"  - from: 2004-02-30\n    value: {GRADES}\n", 2, "不是日历上的日期"),
    (f"  - from: \"2004-01-01\"\n    value: {GRADES}\n", 2, "加了引号，被当成了文字，请去掉引号：from: 2004-01-01"),
    (f"  - from: 1899-01-01\n    value: {GRADES}\n", 2, "生效日期1899-01-01的年度“1899”无效"),
    (f"  - value: {GRADES}\n  - value: {GRADES}\n", 3, "第2期缺少生效日期“from”"),
    ("  - from: 2004-01-01\n", 2, "第1期缺少“value”"),
    (f"  - from: 2004-01-01\n    valeu: {GRADES}\n", 3, "无法识别的字段“valeu”"),
    ("  - from: 2004-01-01\n    value: [[优秀, 80], [良好, 90]]\n", 3, "分数线必须逐级降低"),
])
def test_a_schedule_written_wrong_is_said_at_its_line(config_dir, schedule, line, phrase):
    path = write_scoring(config_dir, "grades:\n" + schedule)
    found = problems(config_dir)
    assert any(p.startswith(f"{path}:{line}: ") and phrase in p for p in found), found


def test_contracts_are_checked_against_the_full_score_of_their_year(config_dir):
    write_scoring(config_dir, "total_points:\n  - value: 100\n  - from: 2003-01-01\n    value: 90\n")
    found = problems(config_dir)
    assert any("2003/220100-长春市.yaml" in p and "应为90分" in p for p in found), found
    assert not any("contracts/2002/" in p for p in found), found


def test_every_problem_of_every_period_is_said_once(config_dir):
    path = write_scoring(config_dir, "bonus_cap: -1\ngrades:\n  - value: 5\n  - from: 2004-01-01\n    value: "
                                     f"{GRADES}\n")
    found = problems(config_dir)
    assert found.count(f"{path}:1: scoring.yaml的“bonus_cap”不能小于0，现在是-1") == 1, found
    assert any(p.startswith(f"{path}:3: ") and "等次“grades”应当写成从高到低的列表" in p for p in found), found


def test_a_result_carries_the_rules_it_was_scored_with(config_dir, small_db):
    write_scoring(config_dir, f"grades:\n  - value: {GRADES}\n  - from: 2003-01-01\n"
                              "    value: [[优, 85], [良, 75], [中, 60], [差, 0]]\n")
    config, found = load_config(config_dir)
    assert not found, found
    result = score_year(config, Store(small_db), 2003, 12)
    assert result.rules is config.rules_for(2003) and list(summarize(result).grade_counts()) == ["优", "良", "中", "差"]
    assert {c.grade for c in result.cities} <= {"优", "良", "中", "差"}


def test_each_year_is_shown_with_its_own_grades(config_dir, demo_db, cli, open_app):
    """Grades renamed from 2003: 2002 (not the latest year) keeps 优秀…不合格 and their colours on the page, in
    the workbook (its cells and its 说明) and in the CLI table; 2003 shows 甲…丁."""
    write_scoring(config_dir, f"grades:\n  - value: {GRADES}\n  - from: 2003-01-01\n"
                              "    value: [[甲, 85], [乙, 75], [丙, 60], [丁, 0]]\n")
    config, found = load_config(config_dir)
    assert not found, found
    store = Store(demo_db)
    for year, names, other in ((2002, {"优秀", "良好", "合格", "不合格"}, "甲"), (2003, {"甲", "乙", "丙", "丁"}, "优秀")):
        result = score_year(config, store, year)
        grades = config.rules_for(year).grades
        assert {c.grade for c in result.cities} <= names and {name for name, _ in grades} == names
        colors = {c.grade: palette.grade_color(c.grade, grades) for c in result.cities}
        assert palette.GREY not in colors.values()

        app = goto(open_app(config_dir, demo_db, {"year": str(year)}), "assessment")
        markup = next(f.value for f in app.html if "总分" in f.value and 'class="sc-table"' in f.value)
        for grade, color in colors.items():
            assert f'color:{color};font-weight:600"><div>{grade}</div>' in markup, (year, grade)

        book = openpyxl.load_workbook(io.BytesIO(workbook(result, config, store)))
        header = [cell.value for cell in book["汇总"][3]]
        cells = [row[header.index("等次")] for row in book["汇总"].iter_rows(min_row=4) if row[0].value is not None]
        assert {cell.value: cell.font.color.rgb[-6:] for cell in cells} == {
            g: c.lstrip("#").upper() for g, c in colors.items()}
        rules_text = next(row[1].value for row in book["说明"].iter_rows() if row[0].value == "规则：等次")
        assert f"{grades[0][0]}≥{grades[0][1]:g}分" in rules_text and other not in rules_text

        run = cli("--config", config_dir, "--db", demo_db, "score", "--year", year)
        assert run.code == 0, run.err
        assert set(colors) <= {word for line in run.out.splitlines() for word in line.split()}
        assert other not in run.out
