"""One range of years — 1990 to next year — for the config (contract folders and `year:`, assessment files), the
import and every command's --year, said in the same words everywhere."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from cli_support import scorecard
from conftest import writable_copy
from intake_support import snapshot

LAST = dt.date.today().year + 1


def refused(year) -> str:
    return f"年度“{year}”无效，应为1990至{LAST}之间的四位整数"


def contracts_for(config_dir, year: int) -> None:
    """The 2003 contracts copied to another year's folder, with that year in each."""
    folder = config_dir / "contracts" / str(year)
    shutil.copytree(config_dir / "contracts" / "2003", folder)
    for path in folder.rglob("*.yaml"):  # the 市州's and, in their folders, their counties'; dates moved along
        text = path.read_text(encoding="utf-8").replace("year: 2003", f"year: {year}").replace("2003-", f"{year}-")
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("year", [1899, 1989, LAST + 1, 9999])
def test_a_contract_folder_outside_the_range_is_refused(config_dir, year):
    contracts_for(config_dir, year)
    done = scorecard("--config", config_dir, "validate")
    assert done.returncode == 1
    assert f"{config_dir / 'contracts' / str(year)}: {refused(year)}" in done.stderr, done.stderr


@pytest.mark.parametrize("year", [1899, 9999])
def test_an_assessment_file_outside_the_range_is_refused(config_dir, year):
    text = (config_dir / "assessments" / "2003.yaml").read_text(encoding="utf-8")
    (config_dir / "assessments" / f"{year}.yaml").write_text(text.replace("year: 2003", f"year: {year}"),
                                                            encoding="utf-8")
    done = scorecard("--config", config_dir, "validate")
    assert done.returncode == 1
    assert f"{config_dir / 'assessments' / f'{year}.yaml'}: {refused(year)}" in done.stderr, done.stderr


@pytest.mark.parametrize("year", [1990, LAST])
def test_the_bounds_are_years_a_contract_may_have(config_dir, year):
    contracts_for(config_dir, year)
    done = scorecard("--config", config_dir, "validate")
    assert done.returncode == 0, done.stderr


def test_the_import_takes_the_same_years(tmp_path, demo_db, shipped_config_dir):
    db = writable_copy(demo_db, tmp_path)
    before = snapshot(db)
    report = tmp_path / "各年.csv"
    report.write_text("year,month,city,measure,value\n" + "".join(
        f"{year},1,220100,fund_income,100\n" for year in (1899, 1989, 1990, LAST, LAST + 1, 9999)), encoding="utf-8")
    done = scorecard("--config", shipped_config_dir, "--db", db, "import", report)
    assert done.returncode == 1
    assert done.stderr.splitlines()[:4] == [f"{report}:{line}: year列：{refused(year)}"
                                            for line, year in ((2, 1899), (3, 1989), (6, LAST + 1), (7, 9999))]
    assert snapshot(db) == before
    report.write_text("year,month,city,measure,value\n" + "".join(
        f"{year},1,220100,fund_income,100\n" for year in (1990, LAST)), encoding="utf-8")
    assert scorecard("--config", shipped_config_dir, "--db", db, "import", report).returncode == 0


COMMANDS = [("score", "--year"), ("warn", "--month", "12", "--year"), ("export", "--format", "xlsx", "--out",
                                                                       "{out}.xlsx", "--year"),
            ("template", "--month", "1", "--out", "{out}.xlsx", "--year"), ("history", "--year"),
            ("warn-report", "status", "--year"), ("warn-report", "add", "--city", "220400", "--month", "1", "--year"),
            ("warn-letter", "--city", "220100", "--month", "1", "--format", "docx", "--out", "{out}.docx", "--year")]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_every_command_takes_the_same_years(tmp_path, demo_db, shipped_config_dir, command):
    command = [part.format(out=tmp_path / "文件") for part in command]
    demo_db = writable_copy(demo_db, tmp_path)  # warn-report add may write
    for year in (1899, 1989, LAST + 1, 9999):
        done = scorecard("--config", shipped_config_dir, "--db", demo_db, *command, year)
        assert done.returncode == 2 and f"参数 --year：{refused(year)}" in done.stderr, done.stderr
    for year in (1990, LAST):
        done = scorecard("--config", shipped_config_dir, "--db", demo_db, *command, year)
        assert "--year" not in done.stderr, done.stderr


def test_dates_in_the_config_and_on_the_command_line_take_the_same_years(tmp_path, demo_db, config_dir):
    contract = config_dir / "contracts" / "2003" / "220100-长春市.yaml"
    contract.write_text(contract.read_text(encoding="utf-8").replace("signed_on: 2003-03-10", "signed_on: 9999-03-10"),
                        encoding="utf-8")
    done = scorecard("--config", config_dir, "validate")
    assert done.returncode == 1 and f"签订日期“signed_on”的{refused(9999)}" in done.stderr, done.stderr
    for command in (("score", "--year", "2003", "--as-of", "1899-12-31"),
                    ("warn-report", "add", "--city", "220400", "--year", "2003", "--month", "11", "--reported-local",
                     "9999-01-01")):
        done = scorecard("--db", writable_copy(demo_db, tmp_path), *command)
        assert done.returncode == 2 and f"的{refused(command[-1][:4])}" in done.stderr, done.stderr
