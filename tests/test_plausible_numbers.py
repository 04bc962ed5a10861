"""Implausible numbers are refused where they come in: each measure has a plausible magnitude (`max:` in the
catalogue, 1e12 by default) and an import rejects a value beyond it by row and column; the config's own numbers
are bounded too, so that no infinity or NaN can reach a total."""

from __future__ import annotations

import json
import math
import re

import pytest
from cli_support import scorecard
from conftest import reported, writable_copy
from intake_support import snapshot

HEADER = "year,month,city,measure,value\n"


def import_text(tmp_path, config_dir, db, text: str, name: str = "报表.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return scorecard("--config", config_dir, "--db", db, "import", path)


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_values_beyond_the_plausible_magnitude_are_refused_by_row_and_column(tmp_path, demo_db, shipped_config_dir):
    db = writable_copy(demo_db, tmp_path)
    before = snapshot(db)
    done = import_text(tmp_path, shipped_config_dir, db, HEADER + "2003,1,220100,fund_income,1e308\n"
                       "2003,2,220100,fund_income,1e308\n2003,3,220100,fund_balance,-2e12\n"
                       "2003,4,220100,fund_balance,inf\n2003,5,220100,fund_income,999999999999\n")
    assert done.returncode == 1, done.stdout
    assert [line.removeprefix(f"{tmp_path}/") for line in done.stderr.splitlines()[:4]] == [
        "报表.csv:2: value列：失业保险基金收入“1e308”超出合理范围：不能大于1,000,000,000,000（indicators.yaml 中该统计项的 max）",
        "报表.csv:3: value列：失业保险基金收入“1e308”超出合理范围：不能大于1,000,000,000,000（indicators.yaml 中该统计项的 max）",
        "报表.csv:4: value列：失业保险基金累计结余“-2e12”超出合理范围：不能小于-1,000,000,000,000（indicators.yaml 中该统计项的 max）",
        "报表.csv:5: value列：失业保险基金累计结余“inf”超出合理范围：不能大于1,000,000,000,000（indicators.yaml 中该统计项的 max）"]
    assert "发现4处问题，整个文件未导入" in done.stderr
    assert snapshot(db) == before


def test_the_catalogue_sets_a_measure_s_magnitude(tmp_path, demo_db, config_dir):
    edit(config_dir / "indicators.yaml", "unit: 人, min: 0, basis", "unit: 人, min: 0, max: 50000, basis")  # new_insured_persons
    db = writable_copy(demo_db, tmp_path)
    refused = import_text(tmp_path, config_dir, db, HEADER + "2003,1,220100,new_insured_persons,50000.5\n")
    assert refused.returncode == 1
    assert "新增参保人数“50000.5”超出合理范围：不能大于50,000" in refused.stderr
    assert import_text(tmp_path, config_dir, db, HEADER + "2003,1,220100,new_insured_persons,50000\n").returncode == 0


@pytest.mark.parametrize("file, old, new, message", [
    ("indicators.yaml", "unit: 人, min: 0, basis", "unit: 人, min: 0, max: 1.0e+308, basis",
     r"indicators.yaml:\d+: 统计项“new_insured_persons”的“max”不能大于1e\+15，现在是1e\+308"),
    ("indicators.yaml", "unit: 人, min: 0, basis", "unit: 人, min: 0, max: 0, basis",
     r"indicators.yaml:\d+: 统计项“new_insured_persons”的“max”必须大于0，现在是0"),
    ("indicators.yaml", "unit: 人, min: 0, basis", "unit: 人, min: 0, max: 很多, basis",
     r"indicators.yaml:\d+: 统计项“new_insured_persons”的“max”应当是数字，现在是“很多”"),
    ("indicators.yaml", "unit: 人, min: 0, basis", "unit: 人, min: 60000, max: 50000, basis",
     r"indicators.yaml:\d+: 统计项“new_insured_persons”的“min”（60000）不能大于“max”（50000）"),
    ("contracts/2003/220100-长春市.yaml", "target: 32000,", "target: 1.0e+300,",
     r"220100-长春市.yaml:\d+: 指标“new_insured_persons”（新增参保人数）的目标值1e\+300超出合理范围：不能大于"
     r"12,000,000,000,000（统计项“新增参保人数”的 max 的12倍：全年12个月之和）"),
    ("contracts/2003/220100-长春市.yaml", "bonus: {per: 0.1, max: 1}", "bonus: {per: 0.1, max: 1.0e+308}",
     r"220100-长春市.yaml:\d+: 指标“new_insured_persons”（新增参保人数）的加分的“max”不能大于100，现在是1e\+308"),
    ("contracts/2003/220100-长春市.yaml", "method: deduct, per: 0.5,", "method: deduct, per: 1.0e+308,",
     r"220100-长春市.yaml:\d+: 指标“institution_coverage_rate”（事业单位参保率）的“per”不能大于100，现在是1e\+308"),
    ("assessments/2003.yaml", "points: -2,", "points: -1.0e+308,",
     r"2003.yaml:\d+: 加减分的“points”不能小于-1000，现在是-1e\+308"),
    ("scoring.yaml", "total_points: 100 ", "total_points: 1.0e+308 ",
     r"scoring.yaml:\d+: scoring.yaml的“total_points”不能大于1000，现在是1e\+308"),
    ("scoring.yaml", "bonus_cap: 5 ", "bonus_cap: 1.0e+308 ",
     r"scoring.yaml:\d+: scoring.yaml的“bonus_cap”不能大于100，现在是1e\+308"),
])
def test_the_config_s_own_numbers_are_bounded(config_dir, file, old, new, message):
    edit(config_dir / file, old, new)
    done = scorecard("--config", config_dir, "validate")
    assert done.returncode == 1
    assert re.search(message, done.stderr + done.stdout), done.stderr + done.stdout


def test_values_at_the_bounds_keep_every_total_finite(tmp_path, config, unchecked_config_dir):
    """Every measure of every city at its largest plausible value in every month, or just above zero: the
    ratios become 无穷大 (a 完成率 of ∞), never a total."""
    db = tmp_path / "scorecard.duckdb"
    lines = [f"2003,{m},{c.code},{code},{1e12 if (k + m) % 3 else 1e-300}"
             for m in range(1, 13) for k, c in enumerate(config.cities) for code in reported(config)]
    assert import_text(tmp_path, unchecked_config_dir, db, HEADER + "\n".join(lines) + "\n").returncode == 0
    for month in (6, 12):
        done = scorecard("--config", unchecked_config_dir, "--db", db, "score", "--year", 2003, "--month", month,
                         "--format", "json")
        assert done.returncode == 0, done.stderr
        results = json.loads(done.stdout)
        totals = [city["total"] for city in results["cities"]]
        assert len(totals) == len(config.cities) and all(math.isfinite(t) for t in totals), totals
