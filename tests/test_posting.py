"""公示 lists (issue 17 §4) on a case a caseworker can read (tests/microdata/posting/): who is listed in each street
or community of 长春市 in June 2003, their names masked, one PDF per community with no id in its text, the same bytes
for the same list, the log of a posting and its audit line, a refusal for a 市州查看 of another city, nothing left
when the log fails, the coverage figure, and bad input said in Chinese — through the installed command."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
import yaml
from sqlalchemy.exc import SQLAlchemyError

from scorecard.actions.postings import issue_lists
from scorecard.assessment.posting import coverage
from scorecard.config import load_config
from scorecard.data.store import Store
from scorecard.exports.posting import posting_files
from scorecard.microdata.posting import community_lists
from scorecard.microdata.settings import PostingSettings
from scorecard.microdata.store import PersonStore
from scorecard.records import audit
from scorecard.records.store import Records
from scorecard.roles import CITY_REPORT, CITY_VIEW, AccessDenied, Principal, operator
from tests.cli_support import audit_lines, command, on_small_disks, scorecard
from tests.microdata_support import CASES, case_files, expected, place

CHANGCHUN, JILIN = "220100", "220200"
FILES = {"南湖街道南湖社区.pdf", "重庆路街道.pdf", "站前街道_东站社区.pdf", "未填街道社区.pdf"}


@pytest.fixture
def where(tmp_path):
    where = place(tmp_path)
    where.imported(*case_files("posting"))
    return where


def loaded_config(directory: Path = Path("config")):
    """The config folder (the shipped one unless another is given), checked."""
    return load_config(directory)[0]


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def posting_rows(where) -> list[tuple]:
    con = sqlite3.connect(where.db.with_name("scorecard-records.sqlite"))
    try:
        return con.execute("SELECT month, city, community, recipients, digest, posted_on FROM postings "
                           "ORDER BY id").fetchall()
    finally:
        con.close()


def june_files(where, communities=None, posted_on=dt.date(2003, 7, 1)):
    """长春市's lists of June 2003 as PDFs (of some communities only)."""
    lists = community_lists(PersonStore(where.persons), loaded_config(), 2003, 6, CHANGCHUN)
    lists = [x for x in lists if communities is None or x.community in communities]
    return posting_files(lists, loaded_config(), PostingSettings(), posted_on, posted_on)


def test_each_community_lists_its_recipients_in_payment_at_the_months_end_names_masked(where):
    lists = community_lists(PersonStore(where.persons), loaded_config(), 2003, 6, "长春")
    assert {x.community: [r.name for r in x.recipients] for x in lists} == expected("posting")["lists"]
    nanhu = next(x for x in lists if x.community == "南湖街道南湖社区")
    assert [(r.county, r.monthly_benefit, r.entitled_months, f"{r.since:%Y-%m}") for r in nanhu.recipients] == [
        ("南关区", 240.0, 12, "2003-01"), ("南关区", 255.5, 6, "2003-03")]


def test_names_in_full_when_records_yaml_says_not_to_mask(where, tmp_path):
    folder = Path(shutil.copytree("config", tmp_path / "config"))
    settings = folder / "records.yaml"
    raw = yaml.safe_load(settings.read_text(encoding="utf-8"))
    raw["posting"]["mask_names"] = False
    settings.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    lists = community_lists(PersonStore(where.persons), loaded_config(folder), 2003, 6, CHANGCHUN)
    assert [r.name for x in lists for r in x.recipients if x.community == "南湖街道南湖社区"] == ["张小明", "欧阳小红"]


def test_one_pdf_per_community_with_the_heading_the_table_and_no_id(where, tmp_path):
    out = tmp_path / "公示"
    out.mkdir()
    done = where.run("posting", "--year", 2003, "--month", 6, "--city", "长春市", "--out", out)
    assert done.returncode == 0, done.stderr
    assert "已写出长春市2003年6月失业保险金领取人员公示名单：4个街道社区，共5人" in done.stdout
    assert {p.name for p in out.iterdir()} == FILES
    with open(CASES / "posting" / "申领.csv", encoding="utf-8") as f:
        ids = [row["身份证号"] for row in csv.DictReader(f)]
    hashes = [h for (h,) in where.rows("SELECT person_id FROM claims")]
    for path in out.iterdir():
        text = pdf_text(path)
        assert "失业保险金领取人员公示" in text and "长春市" in text and "2003年6月" in text
        assert "长春市失业保险经办机构" in text and "公示期7天" in text
        assert not re.search(r"\d{15,}", text) and not any(i in text for i in ids)
        assert not any(h[:8] in text for h in hashes)
    nanhu = pdf_text(out / "南湖街道南湖社区.pdf")
    assert "张*明" in nanhu and "欧**红" in nanhu and "255.50" in nanhu and "2003年3月" in nanhu
    assert "张小明" not in nanhu and "李" not in nanhu          # 李四 was stopped in May
    assert "站前街道/东站社区" in pdf_text(out / "站前街道_东站社区.pdf")
    line = audit_lines(where.db.with_name("scorecard-records.sqlite"))[-1]     # handed out, not logged as posted
    assert line[2:4] == (audit.EXPORT, "长春市2003年6月公示名单") and posting_rows(where) == []


def test_the_same_list_on_the_same_day_gives_the_same_bytes(where):
    first, second = june_files(where, {"重庆路街道"}), june_files(where, {"重庆路街道"})
    assert first[0].data == second[0].data and b"/CreationDate (D:20030701000000Z" in first[0].data
    later = june_files(where, {"重庆路街道"}, posted_on=dt.date(2003, 7, 2))
    assert later[0].digest != first[0].digest


def test_a_posting_is_logged_with_each_lists_digest_and_audited(where, tmp_path):
    out = tmp_path / "公示"
    out.mkdir()
    done = where.run("posting", "--year", 2003, "--month", 6, "--city", CHANGCHUN, "--out", out,
                     "--posted-on", "2003-07-01")
    assert done.returncode == 0, done.stderr
    assert "已登记2003年7月1日公示" in done.stdout
    rows = posting_rows(where)
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir()}
    assert sorted((r[2], r[3]) for r in rows) == [("南湖街道南湖社区", 2), ("未填街道社区", 1),
                                                  ("站前街道/东站社区", 1), ("重庆路街道", 1)]
    assert {r[4] for r in rows} == set(digests.values())
    assert {(r[0], r[1], r[5]) for r in rows} == {(6, CHANGCHUN, "2003-07-01")}
    line = audit_lines(where.db.with_name("scorecard-records.sqlite"))[-1]
    assert line[2:4] == (audit.POSTING, "长春市2003年6月公示名单") and line[5] == audit.SUCCEEDED
    assert "4个街道社区" in line[4] and "共5人" in line[4]


def test_a_city_viewer_of_another_city_is_refused_audited_and_nothing_is_written(where, tmp_path):
    out = tmp_path / "公示"
    out.mkdir()
    files = june_files(where, {"重庆路街道"})
    viewer = Principal("jilin.view", CITY_VIEW, JILIN)
    with pytest.raises(AccessDenied):
        issue_lists(Store(where.db), viewer, loaded_config(), 2003, 6, CHANGCHUN, files, out, dt.date(2003, 7, 1))
    assert list(out.iterdir()) == [] and posting_rows(where) == []
    refused = audit.entries(Records.beside(where.db), who="jilin.view")
    assert [(e.action, e.outcome) for e in refused] == [(audit.DENIED, audit.REFUSED)]
    assert "登记长春市2003年6月公示名单" in refused[0].detail
    reporter = Principal("jilin.report", CITY_REPORT, JILIN)       # a reporter: their own city only
    with pytest.raises(AccessDenied):
        issue_lists(Store(where.db), reporter, loaded_config(), 2003, 6, CHANGCHUN, files, out, dt.date(2003, 7, 1))
    assert list(out.iterdir()) == [] and posting_rows(where) == []
    own = Principal("cc.report", CITY_REPORT, CHANGCHUN)
    issue_lists(Store(where.db), own, loaded_config(), 2003, 6, CHANGCHUN, files, out, dt.date(2003, 7, 1))
    assert [p.name for p in out.iterdir()] == ["重庆路街道.pdf"] and len(posting_rows(where)) == 1


def test_when_the_log_fails_no_list_is_left_and_the_one_before_is_back(where, tmp_path):
    out = tmp_path / "公示"
    out.mkdir()
    (out / "重庆路街道.pdf").write_bytes(b"the list of before")
    files = june_files(where, {"南湖街道南湖社区", "重庆路街道"})
    con = sqlite3.connect(where.db.with_name("scorecard-records.sqlite"))
    con.execute("CREATE TRIGGER full BEFORE INSERT ON postings BEGIN SELECT RAISE(ABORT, 'disk is full'); END")
    con.commit()
    con.close()
    with pytest.raises(SQLAlchemyError):
        issue_lists(Store(where.db), operator("test"), loaded_config(), 2003, 6, CHANGCHUN, files, out, dt.date(2003, 7, 1))
    assert [p.name for p in out.iterdir()] == ["重庆路街道.pdf"]
    assert (out / "重庆路街道.pdf").read_bytes() == b"the list of before"
    assert audit.POSTING not in [line[2] for line in audit_lines(where.db.with_name("scorecard-records.sqlite"))]


def test_a_full_disk_of_the_folder_is_said_in_chinese_and_leaves_it_as_it_was(where, tmp_path):
    small, seen = tmp_path / "公示", tmp_path / "seen"
    seen.mkdir()
    run = command("--db", where.db, "records", "posting", "--year", 2003, "--month", 6, "--city", CHANGCHUN,
                  "--out", small, "--posted-on", "2003-07-01")
    script = (f"echo before > {small}/重庆路街道.pdf\n{run} > {seen}/stdout 2> {seen}/stderr; echo $? > {seen}/rc\n"
              f"mkdir {seen}/left && cp -a {small}/. {seen}/left/")
    done = on_small_disks({small: "128k"}, script, {"SCORECARD_PERSON_KEY": str(where.key)})   # < 4 lists of ~50 KB
    assert done.returncode == 0, done.stderr
    err = (seen / "stderr").read_text()
    assert (seen / "rc").read_text().strip() == "1" and "磁盘空间不足" in err and "Traceback" not in err, err
    assert [p.name for p in (seen / "left").iterdir()] == ["重庆路街道.pdf"]
    assert (seen / "left" / "重庆路街道.pdf").read_text() == "before\n" and posting_rows(where) == []


def test_coverage_is_the_share_of_recipients_in_communities_whose_list_was_posted(where, tmp_path):
    out = tmp_path / "公示"
    out.mkdir()
    by = Principal("cc.report", CITY_REPORT, CHANGCHUN)
    issue_lists(Store(where.db), by, loaded_config(), 2003, 6, CHANGCHUN, june_files(where, {"南湖街道南湖社区"}), out,
                dt.date(2003, 7, 1))
    want = expected("posting")["coverage_june"]
    lines = coverage(PersonStore(where.persons), Records.beside(where.db), loaded_config(), 2003, CHANGCHUN)
    june = next(x for x in lines if x.month == 6)
    assert (june.recipients, june.posted, june.rate) == (want["recipients"], want["posted"], want["rate"])
    assert (june.communities, june.posted_communities) == (4, 1)
    assert all(x.posted == 0 for x in lines if x.month != 6)
    derived = {int(r["month"]): r["recipients"] for r in where.derived() if r["city"] == CHANGCHUN and r["recipients"]}
    assert {x.month: x.recipients for x in lines} == derived          # the recipients the derived measure counts
    done = where.run("posting", "--year", 2003, "--coverage", "--city", "长春")
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if line.startswith("长春市  6月"))
    assert row.split()[-2:] == ["1/4", "40.0%"]
    assert "吉林市" not in done.stdout


@pytest.mark.parametrize("args, said", [
    (("--month", 6, "--city", "北京"), "未知的市州“北京”"),
    (("--month", 13, "--city", "长春"), "月份应为1至12的整数"),
    (("--city", "长春"), "缺少必需的参数：--month"),
    (("--month", 6, "--city", "长春", "--posted-on", "2003-05-31"), "公示日期2003-05-31早于名单月份2003年6月"),
    (("--month", 6, "--city", "长春", "--posted-on", "七月一日"), "日期应写成 2003-12-31"),
])
def test_bad_input_is_said_in_chinese_and_nothing_is_written(where, tmp_path, args, said):
    out = tmp_path / "公示"
    out.mkdir()
    done = where.run("posting", "--year", 2003, *args, "--out", out)
    assert done.returncode in (1, 2) and said in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and list(out.iterdir()) == []


def test_a_wrong_posting_setting_is_said_with_its_line(tmp_path):
    folder = Path(shutil.copytree("config", tmp_path / "config"))
    (folder / "records.yaml").write_text("posting:\n  days: 0\n  colour: red\n", encoding="utf-8")
    done = scorecard("--config", folder, "validate")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "records.yaml:2: 公示设置的“days”不能小于1，现在是0" in done.stderr
    assert "records.yaml:3: 公示设置中有无法识别的字段“colour”" in done.stderr
