"""Publication (发布): the published result is stored and printed as published, whatever is imported or decided
later; what would change now (发布后变动) names the city, the figure and why; publishing again needs a reason and
keeps the earlier version. On SQLite and PostgreSQL (`records_url`)."""

from __future__ import annotations

import json

import pytest

from decisions_support import imported_example, run
from scorecard.actions.publish import publish
from scorecard.report.publication import changes_since
from scorecard.config import load_config
from scorecard.data.store import Store
from scorecard.errors import InputError
from scorecard.records import audit, publications
from scorecard.records.store import Records
from scorecard.roles import CITY, AccessDenied, Principal


@pytest.fixture
def example(example_dir, records_url, monkeypatch, cli, tmp_path):
    return imported_example(cli, example_dir, records_url, monkeypatch, tmp_path)


def changed_december(tmp_path):
    """长春市's December new insured persons, reported again ten times as high."""
    path = tmp_path / "长春市12月重报.csv"
    path.write_text("year,month,city,measure,value\n2003,12,220100,new_insured_persons,6516.6\n", encoding="utf-8")
    return path


def test_a_later_import_does_not_change_the_published_result(cli, example, tmp_path, records_url):
    done = run(cli, example, "publish", "--year", 2003, "--reason", "年终考评会议审定")
    assert done.code == 0, done.err
    assert "2003年度第1号发布" in done.out
    computed = run(cli, example, "score", "--year", 2003, "--month", 12, "--format", "json").out
    published = run(cli, example, "score", "--year", 2003, "--published")
    assert published.code == 0, published.err
    assert published.out == computed  # the same JSON shape, by the same serializer

    assert run(cli, example, "import", changed_december(tmp_path)).code == 0
    assert run(cli, example, "score", "--year", 2003, "--published").out == published.out
    now = json.loads(run(cli, example, "score", "--year", 2003, "--month", 12, "--format", "json").out)
    was = json.loads(published.out)
    assert [c["total"] for c in now["cities"] if c["city"] == "220100"] != \
        [c["total"] for c in was["cities"] if c["city"] == "220100"]

    listed = run(cli, example, "publications", "--year", 2003, "--format", "json")
    assert listed.code == 0, listed.err
    [change] = json.loads(listed.out)["changes"]
    figures = {(f["city"], f["figure"]) for f in change["figures"]}
    assert figures == {("220100", "总分"), ("220100", "等次"), ("220100", "加分"), ("220100", "新增参保人数完成值"),
                       ("220100", "新增参保人数得分")}
    assert len(change["reasons"]) == 1 and "第2次导入（长春市12月重报.csv" in change["reasons"][0]
    table = run(cli, example, "publications", "--year", 2003).out
    assert "发布后变动" in table and "长春市" in table and "第2次导入" in table
    [line] = [e for e in audit.entries(Records(records_url)) if e.action == audit.PUBLISH]
    assert "年终考评会议审定" in line.detail


def test_publishing_again_needs_a_reason_and_keeps_the_earlier_version(cli, example, tmp_path):
    assert run(cli, example, "publish", "--year", 2003, "--reason", "年终考评会议审定").code == 0
    first = run(cli, example, "score", "--year", 2003, "--published").out
    assert run(cli, example, "import", changed_december(tmp_path)).code == 0
    refused = run(cli, example, "publish", "--year", 2003, "--reason", " ")
    assert refused.code == 1 and "须写明理由" in refused.err
    assert run(cli, example, "publish", "--year", 2003, "--reason", "长春市12月报表更正后重新发布").code == 0
    second = run(cli, example, "score", "--year", 2003, "--published").out
    assert second != first
    assert run(cli, example, "score", "--year", 2003, "--publication", 1).out == first
    assert run(cli, example, "score", "--year", 2003, "--publication", 2).out == second
    listed = json.loads(run(cli, example, "publications", "--year", 2003, "--format", "json").out)
    assert [(p["number"], p["month"], p["reason"], p["inputs"]["latest_import"]) for p in listed["publications"]] \
        == [(1, 12, "年终考评会议审定", 1), (2, 12, "长春市12月报表更正后重新发布", 2)]
    assert listed["changes"][0]["number"] == 2 and listed["changes"][0]["figures"] == []
    missing = run(cli, example, "score", "--year", 2003, "--publication", 3)
    assert missing.code == 1 and "没有第3号发布" in missing.err
    progress = run(cli, example, "score", "--year", 2003, "--month", 6, "--published")
    assert progress.code == 1 and "截至6月的进度通报还没有发布" in progress.err


def test_a_decision_after_publication_is_named_among_the_changes(cli, example):
    folder, db = example
    assert run(cli, example, "publish", "--year", 2003, "--month", 6, "--reason", "上半年进度通报").code == 0
    assert run(cli, example, "assess", "add", "--year", 2003, "--city", "长春", "--points", "-3",
               "--reason", "基金报表不符", "--date", "2003-04-02").code == 0
    config, _ = load_config(folder / "config")
    [publication] = publications.listed(Records.beside(db), 2003)
    found = changes_since(config, Store(db), publication)
    assert {(f.city, f.figure) for f in found.figures} >= {("220100", "加减分"), ("220100", "总分")}
    assert found.reasons == ("考评决定（编号1）新登记（第1版）",)


def test_a_city_user_may_not_publish(example, records_url):
    folder, db = example
    config, _ = load_config(folder / "config")
    with pytest.raises(AccessDenied, match="不能发布考评结果"):
        publish(Store(db), Principal("li.si", CITY, "220100"), config, 2003, reason="抢先发布")
    assert publications.listed(Records(records_url)) == []
    [line] = [e for e in audit.entries(Records(records_url)) if e.action == audit.DENIED]
    assert (line.who, line.outcome) == ("li.si", audit.REFUSED)
    with pytest.raises(InputError):
        publish(Store(db), Principal("wang", "省级"), config, 2003, reason="")
