"""审核公式 (indicators.yaml `checks:`): a bad rule is said at its file and line; on import a hard rule refuses the
file with its row listed, a soft one lets it in with the warning in the audit line; a derived measure can not be
imported."""

from __future__ import annotations

import pytest

from conftest import copy_config
from scorecard.actions.imports import import_file
from scorecard.config import load_config
from scorecard.data.store import Store
from scorecard.records import audit
from scorecard.records.store import RECORDS_URL_ENV, Records

HEAD = "year,month,city,measure,value\n"


def _with_checks(tmp_path, text: str):
    folder = copy_config(tmp_path / "config")
    catalogue = folder / "indicators.yaml"
    body = catalogue.read_text(encoding="utf-8").split("\nchecks:", 1)[0]
    catalogue.write_text(body + "\nchecks:\n" + text, encoding="utf-8")
    return folder, len(body.splitlines()) + 2  # the line of the first rule


@pytest.mark.parametrize("rule, said", [
    ("{rule: not_above, measure: institution_insured, message: 不能大于}", "须写“limit”"),
    ("{rule: at_most, measure: recipients, max: 5, message: 太多}", "“rule”应当是 not_above"),
    ("{rule: range, measure: nobody, max: 5, message: 太多}", "未定义的统计项“nobody”"),
    ("{rule: month_change, measure: new_insured_persons, percent: 20, message: 变动}", "只用于存量统计项"),
    ("{rule: range, measure: recipients, max: 5, message: \"{city}太多\"}", "“{city}”无法填写"),
    ("{rule: range, measure: recipients, max: 5}", "缺少“message”"),
])
def test_a_bad_rule_is_said_at_its_file_and_line(tmp_path, rule, said):
    folder, line = _with_checks(tmp_path, f"  - {rule}\n")
    config, problems = load_config(folder)
    assert config is None
    assert any(p.file.endswith("indicators.yaml") and p.line == line and said in p.message for p in problems), problems


def test_on_import_a_hard_rule_refuses_the_row_and_a_soft_one_is_audited(tmp_path, monkeypatch):
    monkeypatch.setenv(RECORDS_URL_ENV, f"sqlite:///{tmp_path / 'records.sqlite'}")
    folder, _ = _with_checks(tmp_path, "  - {rule: not_above, measure: institution_insured, limit: institution_staff,"
                                       " message: \"已参保{value}不能大于应参保{other}\"}\n"
                                       "  - {rule: year_ratio, measure: new_insured_persons, factor: 2,"
                                       " message: \"新增{value}超过上年同月{other}的2倍\"}\n")
    config, problems = load_config(folder)
    assert not problems
    store = Store(tmp_path / "scorecard.duckdb")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEAD + "2003,1,220100,institution_staff,100\n2003,1,220100,institution_insured,120\n",
                   encoding="utf-8")
    refused = import_file(store, config, bad)
    assert not refused.ok and refused.problems[0].line == 3
    assert "审核公式：长春市2003年1月：已参保120人不能大于应参保100人" in refused.problems[0].message
    assert refused.import_id is None
    first = tmp_path / "2002.csv"
    first.write_text(HEAD + "2002,1,220100,new_insured_persons,100\n", encoding="utf-8")
    assert import_file(store, config, first).ok
    odd = tmp_path / "2003.csv"
    odd.write_text(HEAD + "2003,1,220100,new_insured_persons,500\n", encoding="utf-8")
    done = import_file(store, config, odd)
    assert done.ok and done.import_id == 2 and len(done.warnings) == 1
    line = next(e for e in audit.entries(Records.beside(store.path), action=audit.IMPORT))
    assert "审核公式提示1处" in line.detail and "新增500人超过上年同月100人的2倍" in line.detail


def test_a_measure_derived_from_the_records_is_not_imported(tmp_path, monkeypatch):
    monkeypatch.setenv(RECORDS_URL_ENV, f"sqlite:///{tmp_path / 'records.sqlite'}")
    folder = copy_config(tmp_path / "config")
    catalogue = folder / "indicators.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(
        "\n\n# 考核指标", "\n  reports_due: {name: 应报送月数, kind: flow, unit: 个月, min: 0, source: reporting}\n\n# 考核指标",
        1), encoding="utf-8")
    config, problems = load_config(folder)
    assert not problems and not config.measures["reports_due"].reported
    source = tmp_path / "due.csv"
    source.write_text(HEAD + "2003,1,220100,reports_due,1\n", encoding="utf-8")
    result = import_file(Store(tmp_path / "scorecard.duckdb"), config, source)
    assert not result.ok and "由报送记录得出" in result.problems[0].message
