"""Assessors' decisions on record (考评决定): entered at the command line they score exactly as the same decisions
in the YAML file (the worked example); edits and withdrawals keep every version; evidence is checked by content
and size; a 市州 user is refused in the core with an audit line. On SQLite and PostgreSQL (`records_url`)."""

from __future__ import annotations

import datetime as dt
import json
import stat

import pytest

from decisions_support import imported_example, run
from test_example import assert_matches
from scorecard import clock
from scorecard.actions.decisions import add_decision, edit_decision, withdraw_decision
from scorecard.assessment.decisions import FROM_FILE, ON_RECORD, listing
from scorecard.config import load_config
from scorecard.data.store import Store
from scorecard.errors import InputError
from scorecard.records import audit, evidence
from scorecard.records.decisions import versions
from scorecard.records.store import Records
from scorecard.roles import CITY, PROVINCE, AccessDenied, Principal

ASSESSOR = Principal("wang.kp", PROVINCE)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def example(example_dir, records_url, monkeypatch, cli, tmp_path):
    """The worked example without its assessment file."""
    (example_dir / "config" / "assessments" / "2003.yaml").unlink()
    return imported_example(cli, example_dir, records_url, monkeypatch, tmp_path)


def score(cli, example, month, *more):
    done = run(cli, example, "score", "--year", 2003, "--month", month, "--format", "json", *more)
    assert done.code == 0, done.err
    return json.loads(done.out)


def test_decisions_entered_at_the_command_line_score_as_the_same_decisions_in_yaml(cli, example):
    folder, _ = example
    assert score(cli, example, 12)["cities"] != json.loads((folder / "expected" / "score-2003-12.json").read_text())[
        "cities"]  # without the decisions the example's result is another
    added = run(cli, example, "assess", "add", "--year", 2003, "--city", "222400", "--points", "-1.5",
                "--reason", "统计报表迟报", "--date", "2004-01-15")
    assert added.code == 0, added.err
    assert "编号1" in added.out
    added = run(cli, example, "assess", "add", "--year", 2003, "--city", "辽源", "--veto", "挤占挪用基金",
                "--reason", "审计发现挪用基金用于办公楼维修", "--date", "2003-05-20")
    assert added.code == 0, added.err
    for month, expected in ((12, "score-2003-12.json"), (6, "score-2003-06.json")):
        assert_matches(score(cli, example, month), json.loads((folder / "expected" / expected).read_text()))


def test_the_yaml_files_decisions_are_listed_beside_those_on_record_and_cannot_be_withdrawn(cli, example):
    folder, db = example
    (folder / "config" / "assessments" / "2003.yaml").write_text(
        "year: 2003\nadjustments:\n  - {city: \"222400\", points: -1.5, reason: 统计报表迟报, date: 2004-01-15}\n",
        encoding="utf-8")
    assert run(cli, example, "assess", "add", "--year", 2003, "--city", "长春市", "--points", "2",
               "--reason", "经验推广").code == 0
    done = run(cli, example, "assess", "list", "--year", 2003, "--format", "json")
    assert done.code == 0, done.err
    listed = json.loads(done.out)["decisions"]
    assert [(d["source"], d["id"], d["city"], d["points"], d["status"]) for d in listed] == [
        (FROM_FILE, None, "222400", -1.5, "有效"), (ON_RECORD, 1, "220100", 2.0, "有效")]
    assert "来自配置文件" in run(cli, example, "assess", "list", "--year", 2003).out
    refused = run(cli, example, "assess", "withdraw", 2, "--reason", "不存在")
    assert refused.code == 1 and "没有编号为2的考评决定" in refused.err and "Traceback" not in refused.err
    # the undated decision counts in the final result only; the file's is counted as before
    december = {c["city"]: c["adjustment"] for c in score(cli, example, 12)["cities"]}
    june = {c["city"]: c["adjustment"] for c in score(cli, example, 6)["cities"]}
    assert (december["220100"], december["222400"], june["220100"], june["222400"]) == (2, -1.5, 0, 0)


def test_editing_and_withdrawing_keep_every_version_with_its_reason(cli, example, records_url):
    folder, db = example
    config, _ = load_config(folder / "config")
    store = Store(db)
    first = add_decision(store, ASSESSOR, config, 2003, "220400", points=-2, reason="迟报12月报表")
    edited = edit_decision(store, ASSESSOR, config, first.decision_id, change_reason="核实后改为扣1分",
                           points=-1, reason="迟报12月报表")
    assert (edited.version, edited.points) == (2, -1)
    assert {c["city"]: c["adjustment"] for c in score(cli, example, 12)["cities"]}["220400"] == -1
    with pytest.raises(InputError, match="须写明理由"):
        withdraw_decision(store, ASSESSOR, config, first.decision_id, change_reason="  ")
    done = run(cli, example, "assess", "withdraw", first.decision_id, "--reason", "复核认定不应扣分")
    assert done.code == 0, done.err
    history = versions(Records(records_url), 2003)
    assert [(v.version, v.points, v.withdrawn, v.change_reason, v.author) for v in history] == [
        (1, -2, False, None, "wang.kp"), (2, -1, False, "核实后改为扣1分", "wang.kp"),
        (3, -1, True, "复核认定不应扣分", history[2].author)]
    assert {c["city"]: c["adjustment"] for c in score(cli, example, 12)["cities"]}["220400"] == 0
    again = run(cli, example, "assess", "withdraw", first.decision_id, "--reason", "再撤一次")
    assert again.code == 1 and "已经撤销" in again.err
    assert [row.status for row in listing(config, store, 2003)] == ["已撤销"]
    lines = [e for e in audit.entries(Records(records_url)) if e.action == audit.DECISION]
    assert len(lines) == 3 and "复核认定不应扣分" in lines[0].detail


def test_a_decision_is_checked_as_an_entry_of_the_yaml_file(cli, example):
    for args, message in ((("--city", "火星市", "--points", "1"), "未知的市州代码“火星市”"),
                          (("--city", "220100", "--points", "1001"), "加减分的“points”不能大于1000，现在是1001"),
                          (("--city", "220100", "--veto", " "), "一票否决缺少“item”"),
                          (("--city", "220100", "--points", "1", "--date", "2004-01-15"), "晚于今天")):
        with clock.fixed(dt.date(2004, 1, 10)):
            done = run(cli, example, "assess", "add", "--year", 2003, *args, "--reason", "理由")
        assert done.code == 1 and message in done.err, done.err
        assert "Traceback" not in done.err
    done = run(cli, example, "assess", "add", "--year", 2003, "--city", "220100", "--points", "1", "--reason", " ")
    assert done.code == 1 and "加减分缺少“reason”" in done.err
    done = run(cli, example, "assess", "add", "--year", 2003, "--city", "220100", "--points", "多", "--reason", "x")
    assert done.code == 2 and "分值应为数字" in done.err
    assert json.loads(run(cli, example, "assess", "list", "--year", 2003, "--format", "json").out)["decisions"] == []


def test_a_bad_decision_is_refused_in_the_same_words_at_the_command_line_as_in_the_yaml_file(cli, example):
    folder, _ = example
    with clock.fixed(dt.date(2004, 1, 10)):
        typed = run(cli, example, "assess", "add", "--year", 2003, "--city", "火星市", "--points", "5000",
                    "--reason", " ", "--date", "2004-01-15")
        nothing = run(cli, example, "assess", "list", "--year", 2003, "--format", "json")
        path = folder / "config" / "assessments" / "2003.yaml"
        path.write_text("year: 2003\nadjustments:\n  - city: \"火星市\"\n    points: 5000\n    reason: \" \"\n"
                        "    date: 2004-01-15\n", encoding="utf-8")
        validated = run(cli, example, "validate")
    assert typed.code == 1 and validated.code == 1, (typed.err, validated.err)
    said = typed.err.removeprefix("错误：").splitlines()
    in_file = [row.removeprefix(f"{path}:").split(": ", 1) for row in validated.err.splitlines()
               if row.startswith(f"{path}:")]
    assert [line for line, _ in in_file] == ["3", "4", "5", "6"]
    assert said == [message for _, message in in_file]
    assert len(said) == 4 and "未知的市州代码“火星市”" in said[0] and "不能大于1000，现在是5000" in said[1]
    assert "缺少“reason”" in said[2] and "2004-01-15晚于今天" in said[3]
    assert json.loads(nothing.out)["decisions"] == []


def test_evidence_is_checked_by_content_and_size_and_kept_by_its_hash(cli, example, tmp_path, monkeypatch):
    folder, db = example
    disguised = tmp_path / "通报.pdf"
    disguised.write_text("不是PDF", encoding="utf-8")
    done = run(cli, example, "assess", "add", "--year", 2003, "--city", "220100", "--points", "1", "--reason", "x",
               "--evidence", disguised)
    assert done.code == 1 and "“通报.pdf”不是PDF文件" in done.err
    real = tmp_path / "审计报告.pdf"
    real.write_bytes(PDF)
    with monkeypatch.context() as patched:
        patched.setattr(evidence, "MAX_BYTES", len(PDF) - 1)
        done = run(cli, example, "assess", "add", "--year", 2003, "--city", "220100", "--points", "1",
                   "--reason", "x", "--evidence", real)
    assert done.code == 1 and "超过" in done.err
    assert json.loads(run(cli, example, "assess", "list", "--year", 2003, "--format", "json").out)["decisions"] == []
    done = run(cli, example, "assess", "add", "--year", 2003, "--city", "220100", "--points", "1", "--reason", "x",
               "--evidence", real)
    assert done.code == 0, done.err
    [listed] = json.loads(run(cli, example, "assess", "list", "--year", 2003, "--format", "json").out)["decisions"]
    [kept] = listed["evidence"]
    assert (kept["file_name"], kept["kind"], kept["size"]) == ("审计报告.pdf", "pdf", len(PDF))
    path = evidence.find(Store(db), kept["sha256"])
    assert path.read_bytes() == PDF
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_image_and_workbook_are_recognised_and_a_zip_is_not_a_workbook(tmp_path):
    import zipfile

    png = tmp_path / "a.bin"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    jpeg = tmp_path / "b.bin"
    jpeg.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 20)
    book, other = tmp_path / "c.xlsx", tmp_path / "d.xlsx"
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("readme.txt", "hello")
    assert [evidence.kind_of(p) for p in (png, jpeg, book, other)] == ["png", "jpeg", "xlsx", None]


def test_a_city_user_is_refused_in_the_core_with_an_audit_line(example, records_url):
    folder, db = example
    config, _ = load_config(folder / "config")
    city = Principal("li.si", CITY, "220100")
    with pytest.raises(AccessDenied, match="不能作出考评决定"):
        add_decision(Store(db), city, config, 2003, "220100", points=5, reason="自己给自己加分")
    assert versions(Records(records_url), 2003) == []
    [line] = [e for e in audit.entries(Records(records_url)) if e.action == audit.DENIED]
    assert (line.who, line.role, line.outcome, line.target) == ("li.si", CITY, audit.REFUSED, "作出考评决定")


def test_a_result_as_of_an_import_counts_the_decisions_recorded_by_then(cli, example, tmp_path):
    def total(*args):
        done = run(cli, example, "score", "--year", 2003, "--month", 12, "--format", "json", *args)
        assert done.code == 0, done.err
        return next(c["total"] for c in json.loads(done.out)["cities"] if c["city"] == "220100")

    before = total()
    assert run(cli, example, "assess", "add", "--year", 2003, "--city", "长春", "--points", "-3",
               "--reason", "基金报表不符", "--date", "2003-04-02").code == 0
    assert total() == pytest.approx(before - 3)
    assert total("--as-of-import", 1) == pytest.approx(before)  # recorded after import 1: not yet then
    again = tmp_path / "重报.csv"
    again.write_text("year,month,city,measure,value\n2003,1,220100,new_insured_persons,0\n", encoding="utf-8")
    assert run(cli, example, "import", again).code == 0
    assert total("--as-of-import", 2) == pytest.approx(total())
