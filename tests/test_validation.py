"""Every configuration error of interfaces.md is reported as `file:line: 中文说明`, exit 1, no traceback."""

from __future__ import annotations

import shutil

import pytest

CHANGCHUN_2003 = "contracts/2003/220100-长春市.yaml"


def edit(config_dir, relative: str, old: str, new: str) -> int:
    """Replace `old` by `new` in a config file; return the line number where `new` starts."""
    path = config_dir / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text[: text.index(new)].count("\n") + 1


def line_of(config_dir, relative: str, needle: str) -> int:
    text = (config_dir / relative).read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


def assert_reported(run, config_dir, relative: str, line: int | None, *phrases: str):
    assert run.code == 1, run.err
    assert "Traceback" not in run.err + run.out
    where = f"{config_dir / relative}:{line}:" if line else f"{config_dir / relative}:"
    matching = [l for l in run.err.splitlines() if l.startswith(where)]
    assert matching, f"no problem reported at {where}\n{run.err}"
    for phrase in phrases:
        assert any(phrase in l for l in matching), f"{phrase!r} not in {matching}"


def test_shipped_config_is_valid(cli, config_dir):
    run = cli("--config", config_dir, "validate")
    assert run.code == 0, run.err
    assert "配置检查通过" in run.out


def test_unquoted_city_code_in_cities(cli, config_dir):
    line = edit(config_dir, "cities.yaml", '{code: "220100"', "{code: 220100")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, "cities.yaml", line,
                    "没有加引号", 'code: "220100"')


def test_unquoted_octal_looking_code_is_shown_as_written(cli, config_dir):
    line = edit(config_dir, "cities.yaml", '{code: "220100"', "{code: 0220100")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, "cities.yaml", line, 'code: "0220100"')


def test_unquoted_city_code_in_contract(cli, config_dir):
    line = edit(config_dir, CHANGCHUN_2003, 'city: "220100"', "city: 220100")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003, line, "没有加引号")


def test_unquoted_city_code_in_assessment(cli, config_dir):
    line = edit(config_dir, "assessments/2003.yaml", '{city: "220300"', "{city: 220300")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, "assessments/2003.yaml", line, "没有加引号")


def test_duplicated_key(cli, config_dir):
    first = line_of(config_dir, CHANGCHUN_2003, "  subsidy_persons:")
    path = config_dir / CHANGCHUN_2003
    path.write_text(path.read_text(encoding="utf-8") + "  subsidy_persons: {target: 1, weight: 10}\n", encoding="utf-8")
    last = path.read_text(encoding="utf-8").count("\n")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003, last,
                    "重复", f"第{first}行")


def test_weights_not_adding_up(cli, config_dir):
    edit(config_dir, CHANGCHUN_2003, "weight: 15, bonus", "weight: 20, bonus")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003,
                    line_of(config_dir, CHANGCHUN_2003, "targets:"), "权重合计为105分，应为100分")


def test_percent_target_written_as_95(cli, config_dir):
    line = edit(config_dir, CHANGCHUN_2003, 'target: "93%"', "target: 93")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003, line,
                    "百分比指标", '0.93 或 "93%"')


@pytest.mark.parametrize("value", ["0", "-100"])
def test_target_not_positive(cli, config_dir, value):
    line = edit(config_dir, CHANGCHUN_2003, "target: 32000", f"target: {value}")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003, line, "目标值必须大于0")


def test_negative_weight(cli, config_dir):
    line = edit(config_dir, CHANGCHUN_2003, "weight: 15, bonus", "weight: -15, bonus")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003, line, "weight", "不能小于0")


def test_unknown_city_with_nearest(cli, config_dir):
    line = edit(config_dir, CHANGCHUN_2003, 'city: "220100"', 'city: "220109"')
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003, line,
                    "未知的市州代码“220109”", "是否指")


def test_city_written_by_name_suggests_its_code(cli, config_dir):
    line = edit(config_dir, CHANGCHUN_2003, 'city: "220100"', 'city: "长春市"')
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003, line, '"220100"')


def test_unknown_indicator_with_nearest(cli, config_dir):
    line = edit(config_dir, CHANGCHUN_2003, "  subsidy_persons:", "  subsidy_person:")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003, line,
                    "未知的指标“subsidy_person”", "是否指“subsidy_persons”")


def test_unknown_method_with_nearest(cli, config_dir):
    line = edit(config_dir, CHANGCHUN_2003, "method: tiered, tiers: [[1.0, 1.0], [0.9",
                "method: tierd, tiers: [[1.0, 1.0], [0.9")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003, line,
                    "计分方法“tierd”无法识别", "是否指“tiered”")


@pytest.mark.parametrize("tiers,phrase", [
    ("[[0.8, 0.5], [1.0, 1.0]]", "逐档降低"),
    ("[[1.0, 1.5]]", "得分比例在0到1之间"),
    ("[1.0, 0.5]", "[[完成率, 得分比例], …]"),
])
def test_malformed_tiers(cli, config_dir, tiers, phrase):
    line = edit(config_dir, CHANGCHUN_2003, "tiers: [[1.0, 1.0], [0.8, 0.6], [0.5, 0.3]]", f"tiers: {tiers}")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003, line, "分档", phrase)


@pytest.mark.parametrize("bonus,phrase", [("{max: 1}", "缺少“per”"), ("5", "加分“bonus”应当写成"),
                                          ("{per: -1, max: 1}", "必须大于0"), ("{per: 0.1, mx: 1}", "是否指“max”")])
def test_malformed_bonus(cli, config_dir, bonus, phrase):
    line = edit(config_dir, CHANGCHUN_2003, "bonus: {per: 0.05, max: 1}", f"bonus: {bonus}")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003, line, phrase)


def test_method_parameters_that_do_not_belong(cli, config_dir):
    line = edit(config_dir, CHANGCHUN_2003, "method: pass_fail}", "method: pass_fail, per: 2}")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003, line, "不使用“per”")


def test_deduct_without_per(cli, config_dir):
    line = edit(config_dir, CHANGCHUN_2003, "method: deduct, per: 0.5, max: 10", "method: deduct, max: 10")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003, line, "必须写“per”")


def test_yaml_syntax_error(cli, config_dir):
    line = edit(config_dir, CHANGCHUN_2003, "  subsidy_persons:  ", "  subsidy_persons  ")
    run = cli("--config", config_dir, "validate")
    assert_reported(run, config_dir, CHANGCHUN_2003, None, "YAML格式错误")
    reported = int(run.err.split(f"{config_dir / CHANGCHUN_2003}:")[1].split(":")[0])
    assert abs(reported - line) <= 1


def test_tab_indentation(cli, config_dir):
    line = edit(config_dir, CHANGCHUN_2003, "  subsidy_persons:", "\tsubsidy_persons:")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003, line, "制表符")


def test_file_not_utf8(cli, config_dir):
    path = config_dir / CHANGCHUN_2003
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("gbk"))
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003, 1, "不是UTF-8编码")


def test_two_contracts_for_one_city_and_year(cli, config_dir):
    shutil.copy(config_dir / CHANGCHUN_2003, config_dir / "contracts/2003/zz-长春市-副本.yaml")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, "contracts/2003/zz-长春市-副本.yaml", None,
                    "已有一份目标责任书", "220100-长春市.yaml")


def test_year_differs_from_folder(cli, config_dir):
    line = edit(config_dir, CHANGCHUN_2003, "year: 2003", "year: 2002")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, CHANGCHUN_2003, line,
                    "2003年的文件夹", "必须一致")


def test_assessment_for_unknown_city(cli, config_dir):
    line = edit(config_dir, "assessments/2003.yaml", '{city: "220300"', '{city: "220399"')
    assert_reported(cli("--config", config_dir, "validate"), config_dir, "assessments/2003.yaml", line, "未知的市州代码")


def test_catalogue_reference_to_unknown_measure(cli, config_dir):
    line = edit(config_dir, "indicators.yaml", "numerator: institution_insured", "numerator: institution_insurd")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, "indicators.yaml", line,
                    "未定义的统计项", "是否指“institution_insured”")


def test_malformed_grades(cli, config_dir):
    line = edit(config_dir, "scoring.yaml", "[[优秀, 90], [良好, 80]", "[[优秀, 80], [良好, 90]")
    assert_reported(cli("--config", config_dir, "validate"), config_dir, "scoring.yaml", line, "逐级降低")


def test_all_problems_are_reported_in_one_run(cli, config_dir):
    edit(config_dir, CHANGCHUN_2003, 'target: "93%"', "target: 93")
    edit(config_dir, "contracts/2002/220200-吉林市.yaml", 'city: "220200"', "city: 220200")
    edit(config_dir, "cities.yaml", '{code: "220500"', "{code: 220500")
    run = cli("--config", config_dir, "validate")
    assert run.code == 1
    assert "百分比指标" in run.err and "吉林市.yaml" in run.err and "cities.yaml" in run.err


def test_missing_config_folder(cli, tmp_path):
    run = cli("--config", tmp_path / "nowhere", "validate")
    assert run.code == 1 and "配置目录不存在" in run.err


def test_every_command_refuses_an_invalid_config(cli, config_dir, tmp_path):
    edit(config_dir, CHANGCHUN_2003, 'target: "93%"', "target: 93")
    run = cli("--config", config_dir, "--db", tmp_path / "x.duckdb", "score", "--year", 2003)
    assert run.code == 1 and "百分比指标" in run.err and "Traceback" not in run.err
    assert not (tmp_path / "x.duckdb").exists()


def test_an_assessment_gives_each_city_its_own_findings(config):
    assessment = config.assessment_for(2003)
    adjustments, vetoes = assessment.of_city("220300")
    assert adjustments == tuple(a for a in assessment.adjustments if a.city == "220300") and adjustments
    assert assessment.of_city("220600")[1] == tuple(v for v in assessment.vetoes if v.city == "220600")
    assert assessment.of_city("220100") == ((), ())
