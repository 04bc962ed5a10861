"""目标制定 (issue 14 §1): next year's targets proposed from this year's final result by the rules of targets.yaml.

The rules on the cases an assessor reads (tests/drafting/*.yaml); the actuals are the December result's; the written
contracts validate and round-trip; `scorecard targets draft` as installed; saving into the config folder through the
action: the permission, the audit line, the refusal to overwrite, all or nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import event
from sqlalchemy.engine import Engine

from cli_support import audit_lines, scorecard
from conftest import writable_copy
from scorecard.actions.targets import save_draft
from scorecard.assessment.drafting import draft_targets, suggest
from scorecard.assessment.scoring import score_year
from scorecard.config import load_config
from scorecard.config.targets import load_targets, parse_rule
from scorecard.config.writer import same_terms
from scorecard.data.store import Store
from scorecard.errors import InputError
from scorecard.records.store import records_path
from scorecard.report.drafting import COMPARISON, EXPLANATION, contract_files
from scorecard.roles import ADMIN, CITY_VIEW, PROVINCE_VIEW, AccessDenied, Principal

CASES = [case for path in sorted((Path(__file__).parent / "drafting").glob("*.yaml"))
         for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_proposal_rule_gives_the_target_and_the_words_of_its_case(case):
    value, words = suggest(parse_rule(case["rule"]), case["year"], case["target"], case["actuals"], case["unit"],
                           case.get("direction", "higher"), case.get("province"), case.get("province_actual"))
    assert words == case["expected"]["words"]
    assert value == pytest.approx(case["expected"]["target"], abs=1e-9)


@pytest.fixture(scope="module")
def drafted(config, demo_db):
    rules, problems = load_targets(config)
    assert not problems
    return draft_targets(config, Store(demo_db), 2003, rules)


def test_the_actuals_are_those_of_the_final_result_of_the_year(config, demo_db, drafted):
    final = score_year(config, Store(demo_db), 2003, 12)
    assert drafted.year == 2004 and [c.city for c in drafted.cities] == sorted(c.code for c in final.cities)
    for city in final.cities:
        proposals = {p.indicator: p for p in drafted.city(city.code).proposals}
        for indicator in city.indicators:
            assert proposals[indicator.code].last_actual == indicator.actual
            assert proposals[indicator.code].last_target == indicator.target


def test_the_shipped_rules_and_the_provinces_totals(drafted):
    changchun = {p.indicator: p for p in drafted.city("220100").proposals}
    assert changchun["timely_payment_rate"].words == "沿用2003年目标100.0%"
    assert changchun["new_insured_persons"].rule == "分解全省目标"
    assert changchun["new_insured_persons"].words.startswith("2004年全省目标115,000人 × 2003年实际占全省的比例")
    assert all(p.proposed <= 1 for p in drafted.proposals if not p.additive)
    assert all(p.proposed >= p.last_target for p in drafted.proposals if p.direction == "higher")
    totals = {t.indicator: t for t in drafted.totals()}
    assert "collection_rate" not in totals  # rates do not add up
    insured = totals["new_insured_persons"]
    assert insured.province == 115000 and insured.proposed == sum(
        p.proposed for p in drafted.proposals if p.indicator == "new_insured_persons")
    assert insured.verdict == ("超出" if insured.gap > 0 else "不足") + f"{abs(insured.gap):,.0f}人"
    assert totals["arrears_recovered"].verdict == "未设全省目标"


def test_an_assessors_edit_replaces_the_proposal_and_is_said(drafted):
    edited = drafted.edited({("220100", "new_insured_persons"): 30000.0})
    proposal = next(p for p in edited.city("220100").proposals if p.indicator == "new_insured_persons")
    assert proposal.proposed == 30000 and proposal.edited and proposal.falls
    assert proposal.words.endswith("；考评人员改为30,000人")
    assert [c.city for c in edited.cities if c.falling][:1] == ["220100"]
    with pytest.raises(InputError, match="长春市的“征缴率”是比率指标，目标不能超过100%"):
        drafted.edited({("220100", "collection_rate"): 1.2})
    with pytest.raises(InputError, match="目标必须大于0"):
        drafted.edited({("220100", "subsidy_persons"): 0.0})


def _loaded_with(config, year, files, tmp_path):
    copy = tmp_path / "check"
    shutil.copytree(config.directory, copy)
    folder = copy / "contracts" / str(year)
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_config(copy)


def test_the_written_contracts_validate_and_round_trip(config, drafted, tmp_path):
    files = contract_files(config, drafted)
    assert sorted(files) == sorted(Path(c.source).name for c in config.contracts_for(2003))
    loaded, problems = _loaded_with(config, 2004, files, tmp_path)
    assert not problems, [str(p) for p in problems]
    for city in drafted.cities:
        written, before = loaded.contracts[(2004, city.city)], config.contracts[(2003, city.city)]
        assert [(t.indicator, t.weight, t.method, t.bonus) for t in written.targets] == [
            (t.indicator, t.weight, t.method, t.bonus) for t in before.targets]
        assert [t.target for t in written.targets] == pytest.approx([p.proposed for p in city.proposals])
    text = files["220100-长春市.yaml"]
    assert text.startswith("# 2004年度长春市失业保险工作目标责任书\n")
    assert 'city: "220100"' in text and "year: 2004" in text
    assert "  # 新增参保人数：2004年全省目标115,000人" in text
    assert "timely_payment_rate:" in text and '{target: "100%", weight: 15}  # 待遇发放：' in text
    reread = yaml.safe_load(text)  # plain YAML too: what an official's editor reads
    assert reread["city"] == "220100" and set(reread["targets"]) == {t.indicator for t in config.contracts[(2003, "220100")].targets}


def test_a_contract_written_again_from_its_own_targets_is_the_same_contract(config, tmp_path):
    """Every shipped contract, written with its own targets, loads back as itself (methods, bonuses, weights)."""
    for year in config.years():
        files = {}
        for contract in config.contracts_for(year):
            from scorecard.config.writer import contract_yaml, file_name
            files[file_name(contract)] = contract_yaml(config, contract, year,
                                                       {t.indicator: t.target for t in contract.targets})
        copy = tmp_path / f"again-{year}"
        shutil.copytree(config.directory, copy)
        for name, text in files.items():
            (copy / "contracts" / str(year) / name).write_text(text, encoding="utf-8")
        loaded, problems = load_config(copy)
        assert not problems, [str(p) for p in problems]
        for contract in config.contracts_for(year):
            assert same_terms(loaded.contracts[(year, contract.city)], contract), contract.source


def test_a_wrong_rules_file_is_said_with_its_line(config_dir):
    (config_dir / "targets.yaml").write_text(
        "default: {rule: growht}\nindicators:\n  new_insured: {rule: keep}\n", encoding="utf-8")
    loaded, _ = load_config(config_dir)
    rules, problems = load_targets(loaded)
    assert rules is None
    said = [str(p) for p in problems]
    assert any("targets.yaml:1:" in p and "“growht”，是否指“growth”" in p for p in said), said
    assert any("targets.yaml:2:" in p and "未知的指标“new_insured”，是否指“new_insured_persons”" in p for p in said), said
    checked = scorecard("--config", config_dir, "validate")
    assert checked.returncode == 1 and "targets.yaml:1:" in checked.stderr and "Traceback" not in checked.stderr


# --- the command ------------------------------------------------------------------------------------

def test_the_command_writes_next_years_contracts_the_words_and_the_comparison(demo_db, shipped_config_dir,
                                                                             tmp_path):
    out = tmp_path / "草案"
    done = scorecard("--config", shipped_config_dir, "--db", demo_db, "targets", "draft", "--from-year", "2003",
                     "--out", out)
    assert done.returncode == 0, done.stderr
    assert "已起草2004年度目标责任书9份" in done.stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([*(p.name for p in (shipped_config_dir / "contracts" / "2003").glob("*.yaml")),  # the 市州's
                            EXPLANATION, COMPARISON])
    words = (out / EXPLANATION).read_text(encoding="utf-8")
    assert "## 长春市" in words and "（分解全省目标）：2004年全省目标115,000人" in words and "## 全省合计" in words
    comparison = (out / COMPARISON).read_text(encoding="utf-8")
    assert "2004年度目标（草案）与2003年度目标责任书的对比" in comparison and "目标下降的市州：" in comparison
    config, _ = load_config(shipped_config_dir)
    files = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.yaml")}
    loaded, problems = _loaded_with(config, 2004, files, tmp_path)
    assert not problems and len(loaded.contracts_for(2004)) == 9


def test_the_command_says_why_it_cannot_draft(demo_db, shipped_config_dir, tmp_path):
    done = scorecard("--config", shipped_config_dir, "--db", demo_db, "targets", "draft", "--from-year", "2001",
                     "--out", tmp_path / "x")
    assert done.returncode == 1 and "2001年没有目标责任书或没有任何月度数据" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "x").exists()
    misuse = scorecard("--config", shipped_config_dir, "--db", demo_db, "targets", "draft", "--out", tmp_path / "x")
    assert misuse.returncode == 2 and "缺少必需的参数" in misuse.stderr


# --- saving into the config folder -------------------------------------------------------------------

@pytest.fixture
def writable(demo_db, config_dir, tmp_path):
    db = writable_copy(demo_db, tmp_path)
    config, problems = load_config(config_dir)
    assert not problems
    rules, _ = load_targets(config)
    return config, Store(db), draft_targets(config, Store(db), 2003, rules)


def _lines(store):
    return audit_lines(records_path(store.path))


def test_saving_writes_next_years_contracts_with_an_audit_line(writable):
    config, store, draft = writable
    edited = draft.edited({("220100", "new_insured_persons"): 40000.0})
    saved = save_draft(store, Principal("assessor", ADMIN), config, edited)
    folder = Path(config.directory) / "contracts" / "2004"
    assert saved.folder == folder and len(saved.files) == 9 and not saved.replaced
    loaded, problems = load_config(config.directory)
    assert not problems and loaded.contracts[(2004, "220100")].targets[0].target == 40000
    last = _lines(store)[-1]
    assert last[1:3] == ("assessor", "目标制定") and last[5] == "成功"
    assert "写入 contracts/2004/ 共9份" in last[4] and "考评人员修改1项" in last[4]
    assert "长春市" in saved.comparison
    assert not [p for p in Path(config.directory).iterdir() if p.name.startswith(".scorecard-draft-")]


def test_signed_contracts_are_replaced_only_when_confirmed(writable):
    config, store, draft = writable
    save_draft(store, Principal("assessor", ADMIN), config, draft)
    reloaded, _ = load_config(config.directory)
    folder = Path(config.directory) / "contracts" / "2004"
    (folder / "签订说明.txt").write_text("3月10日前签订", encoding="utf-8")  # a note beside them stays
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(InputError, match="2004年已有长春市、吉林市.*确认覆盖后才能保存"):
        save_draft(store, Principal("assessor", ADMIN), reloaded, draft.edited({("220100", "subsidy_persons"): 1.0}))
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    again = save_draft(store, Principal("assessor", ADMIN), reloaded, draft.edited(
        {("220100", "subsidy_persons"): 25000.0}), overwrite=True)
    assert len(again.replaced) == 9
    assert (folder / "签订说明.txt").read_text(encoding="utf-8") == "3月10日前签订"
    assert load_config(config.directory)[0].contracts[(2004, "220100")].targets[-1].target == 25000


def test_a_draft_that_does_not_load_back_writes_nothing(writable):
    config, store, draft = writable
    too_big = draft.edited({("220100", "new_insured_persons"): 1e15})  # beyond the measure's plausible range
    with pytest.raises(InputError, match="起草的目标责任书未通过检查：\n220100-长春市.yaml:"):
        save_draft(store, Principal("assessor", ADMIN), config, too_big)
    assert not (Path(config.directory) / "contracts" / "2004").exists()
    assert [line for line in _lines(store) if line[2] == "目标制定"] == []


@pytest.fixture
def failing_commit():
    """Arms a failure of every commit of the records (a full disk, a lost server) from then on."""
    def fail(_connection):
        raise OSError(28, "No space left on device")
    yield lambda: event.listen(Engine, "commit", fail)
    if event.contains(Engine, "commit", fail):
        event.remove(Engine, "commit", fail)


@pytest.mark.parametrize("signed_before", [False, True], ids=["new folder", "confirmed overwrite"])
def test_a_save_whose_audit_line_cannot_be_committed_leaves_the_folder_as_it_was(writable, failing_commit,
                                                                                 signed_before):
    config, store, draft = writable
    folder = Path(config.directory) / "contracts" / "2004"
    if signed_before:
        save_draft(store, Principal("assessor", ADMIN), config, draft)
        config, _ = load_config(config.directory)
    failing_commit()
    before = {p.name: p.read_bytes() for p in folder.iterdir()} if folder.exists() else None
    with pytest.raises(InputError, match="磁盘空间不足"):
        save_draft(store, Principal("assessor", ADMIN), config, draft.edited({("220100", "subsidy_persons"): 25000.0}),
                   overwrite=True)
    assert ({p.name: p.read_bytes() for p in folder.iterdir()} if folder.exists() else None) == before
    assert len([line for line in _lines(store) if line[2] == "目标制定"]) == signed_before
    assert not [p for p in Path(config.directory).iterdir() if p.name.startswith(".scorecard-draft-")]


@pytest.mark.parametrize("who", [Principal("viewer", PROVINCE_VIEW), Principal("city", CITY_VIEW, "220100")])
def test_a_user_without_the_permission_cannot_save_and_is_audited(writable, who):
    config, store, draft = writable
    with pytest.raises(AccessDenied):
        save_draft(store, who, config, draft)
    assert not (Path(config.directory) / "contracts" / "2004").exists()
    last = _lines(store)[-1]
    assert last[1:3] == (who.user, "无权访问") and "保存下一年度目标责任书" in last[4] and last[5] == "拒绝"
