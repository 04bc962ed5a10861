"""Corrective action (整改, issue 13 §5): the findings of a year that call for a plan, filing, returning, revising and
accepting a plan with every version kept, milestones' status and which are overdue by the injected clock, and a
city refused in the core (another city, the review) with an audit line. On SQLite and PostgreSQL (`records_url`),
on the worked example (tests/data/example): in 2003 长春市 is 不合格 with four indicators 严重滞后 at December,
辽源市 is vetoed (挤占挪用基金), 延边 is 合格 with indicators only 落后."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from decisions_support import imported_example
from scorecard import clock
from scorecard.actions.rectification import file_plan, report_milestone, review_plan, revise_plan
from scorecard.assessment.rectification import YEAR_END, findings, plans_for
from scorecard.config import load_config
from scorecard.data.store import Store
from scorecard.errors import InputError
from scorecard.records import audit
from scorecard.records.rectification import ACCEPTED, DONE, IN_PROGRESS, NOT_STARTED, PENDING, RETURNED
from scorecard.records.store import Records
from scorecard.roles import CITY, PROVINCE, AccessDenied, Principal

CHANGCHUN, LIAOYUAN, YANBIAN = "220100", "220400", "222400"
REPORTER = Principal("zhang.cc", CITY, CHANGCHUN)
REVIEWER = Principal("wang.sj", PROVINCE)
STEPS = [("2004-03-31", "完成新增参保人员摸底"), ("2004-06-30", "扩面任务过半")]


@pytest.fixture
def example(example_dir, records_url, monkeypatch, cli, tmp_path):
    folder, db = imported_example(cli, example_dir, records_url, monkeypatch, tmp_path)
    config, problems = load_config(folder / "config")
    assert not problems
    return config, Store(db), Records(records_url)


def test_the_findings_of_a_year_are_the_indicators_far_behind_and_the_cities_failed_or_vetoed(example):
    config, store, _ = example
    found = [(f.city, f.key, f.text) for f in findings(config, store, 2003)]
    # by rank: 辽源 vetoed (its indicators all met), 延边 合格 and only 落后, 长春 不合格 with four far behind
    assert found == [
        (LIAOYUAN, YEAR_END, "年终考评不合格（一票否决：挤占挪用基金）"),
        (CHANGCHUN, YEAR_END, "年终考评不合格"),
        (CHANGCHUN, "indicator:new_insured_persons", "新增参保人数严重滞后（截至12月）"),
        (CHANGCHUN, "indicator:collection_rate", "征缴率严重滞后（截至12月）"),
        (CHANGCHUN, "indicator:contributions_collected", "征缴收入严重滞后（截至12月）"),
        (CHANGCHUN, "indicator:transition_enrollment_rate", "出中心人员纳入失业保险率严重滞后（截至12月）"),
    ]
    assert [f.key for f in findings(config, store, 2003, YANBIAN)] == []


def _file(example, by=REPORTER, city=CHANGCHUN, finding="indicator:new_insured_persons", **changes):
    config, store, _ = example
    typed = {"measures": "逐户核查未参保单位，按月通报扩面进度", "owner": "市社保局副局长 李明", "milestones": STEPS}
    return file_plan(store, by, config, 2003, city, finding, **{**typed, **changes})


def test_a_plan_is_filed_returned_with_a_reason_revised_and_accepted_every_version_kept(example):
    config, store, records = example
    with clock.fixed(dt.datetime(2004, 2, 10, 9, 0)):
        filed = _file(example)
    assert (filed.state, filed.current.owner, filed.milestones[0].due_on) == (PENDING, "市社保局副局长 李明",
                                                                                 dt.date(2004, 3, 31))
    with pytest.raises(InputError, match="退回整改方案须写明理由"):
        review_plan(store, REVIEWER, config, filed.plan_id, accepted=False, reason="  ")
    with clock.fixed(dt.datetime(2004, 2, 12, 15, 0)):
        returned = review_plan(store, REVIEWER, config, filed.plan_id, accepted=False, reason="节点过少，缺少征缴措施")
    assert returned.state == RETURNED
    with pytest.raises(InputError, match="没有待审核的版本"):
        review_plan(store, REVIEWER, config, filed.plan_id, accepted=True)
    with clock.fixed(dt.datetime(2004, 2, 15, 10, 0)):
        revised = revise_plan(store, REPORTER, config, filed.plan_id, measures="逐户核查；欠费单位挂牌督办",
                              owner="李明", milestones=[*STEPS, ("2004-09-30", "全年任务完成")])
    assert (revised.state, revised.current.version, len(revised.milestones)) == (PENDING, 2, 3)
    accepted = review_plan(store, REVIEWER, config, filed.plan_id, accepted=True)
    assert accepted.state == ACCEPTED
    with pytest.raises(InputError, match="已经通过审核，不能再修改"):
        revise_plan(store, REPORTER, config, filed.plan_id, measures="x", owner="李明", milestones=STEPS)
    kept = plans_for(store, 2003, CHANGCHUN)[0].versions
    assert [(v.version, v.author, v.at, v.state, v.review and v.review.reason) for v in kept] == [
        (1, "zhang.cc", dt.datetime(2004, 2, 10, 9, 0), RETURNED, "节点过少，缺少征缴措施"),
        (2, "zhang.cc", dt.datetime(2004, 2, 15, 10, 0), ACCEPTED, None)]
    assert kept[0].review.author == "wang.sj" and kept[0].review.at == dt.datetime(2004, 2, 12, 15, 0)
    assert kept[0].measures == "逐户核查未参保单位，按月通报扩面进度" and len(kept[0].milestones) == 2
    lines = [e.detail for e in audit.entries(records, action=audit.RECTIFY)]
    assert len(lines) == 4 and "退回（理由：节点过少，缺少征缴措施）" in lines[2]
    with pytest.raises(InputError, match="已就“新增参保人数严重滞后（截至12月）”报送过整改方案"):
        _file(example)


def test_milestone_status_and_overdue_by_the_injected_clock(example):
    config, store, _ = example
    plan = _file(example)
    with pytest.raises(InputError, match="通过后才能填报节点进展"):
        report_milestone(store, REPORTER, config, plan.plan_id, 1, status=IN_PROGRESS)
    review_plan(store, REVIEWER, config, plan.plan_id, accepted=True)
    assert plan.overdue(dt.date(2004, 3, 31)) == () and len(plan.overdue(dt.date(2004, 4, 1))) == 1
    with clock.fixed(dt.date(2004, 4, 5)):
        with pytest.raises(InputError, match="节点已完成时请填写完成日期"):
            report_milestone(store, REPORTER, config, plan.plan_id, 1, status=DONE)
        with pytest.raises(InputError, match="晚于今天"):
            report_milestone(store, REPORTER, config, plan.plan_id, 1, status=DONE, completed_on="2004-04-06")
        with pytest.raises(InputError, match="节点状态应为未开始、进行中、已完成之一"):
            report_milestone(store, REPORTER, config, plan.plan_id, 1, status="差不多")
        with pytest.raises(InputError, match="没有第3个节点"):
            report_milestone(store, REPORTER, config, plan.plan_id, 3, status=IN_PROGRESS)
        late = report_milestone(store, REPORTER, config, plan.plan_id, 1, status=IN_PROGRESS, note="已摸底八成")
        assert [m.position for m in late.overdue(clock.today())] == [1]
        done = report_milestone(store, REPORTER, config, plan.plan_id, 1, status=DONE, completed_on="2004-04-03")
    assert [(m.status, m.completed_on) for m in done.milestones] == [(DONE, dt.date(2004, 4, 3)), (NOT_STARTED, None)]
    assert done.overdue(dt.date(2004, 7, 1)) == done.milestones[1:]


def test_a_city_may_not_file_for_another_city_nor_review_refused_in_the_core_with_an_audit_line(example):
    config, store, records = example
    with pytest.raises(AccessDenied, match="不能查看辽源市的数据"):
        _file(example, city=LIAOYUAN, finding=YEAR_END)
    plan = _file(example)
    with pytest.raises(AccessDenied, match="市州账号不能审核市州报送的材料"):
        review_plan(store, REPORTER, config, plan.plan_id, accepted=True)
    with pytest.raises(AccessDenied, match="省级账号不能填报和报送本市材料"):
        _file(example, by=REVIEWER)
    other = Principal("li.ly", CITY, LIAOYUAN)
    with pytest.raises(AccessDenied):
        revise_plan(store, other, config, plan.plan_id, measures="x", owner="y", milestones=STEPS)
    refused = [(e.who, e.outcome, e.detail.split("：")[0]) for e in audit.entries(records, action=audit.DENIED)]
    assert refused == [("li.ly", audit.REFUSED, "修改整改方案"), ("wang.sj", audit.REFUSED, "报送整改方案"),
                       ("zhang.cc", audit.REFUSED, "审核整改方案"), ("zhang.cc", audit.REFUSED, "报送整改方案")]
    assert plans_for(store, 2003, LIAOYUAN) == [] and plans_for(store, 2003, CHANGCHUN)[0].state == PENDING


@pytest.mark.parametrize("changes, said", [
    ({"measures": "   "}, "请填写整改措施"),
    ({"owner": ""}, "请填写责任人"),
    ({"milestones": []}, "请至少填写一个整改节点"),
    ({"milestones": [("2004-02-30", "摸底")]}, "第1个节点的完成日期应为日期，写成2004-03-31，现在是“2004-02-30”"),
    ({"milestones": [("下个月", "摸底")]}, "第1个节点的完成日期应为日期"),
    ({"milestones": [("2002-12-31", "摸底")]}, "第1个节点的完成日期2002-12-31不在2003年1月1日至2005年12月31日之间"),
    ({"milestones": [("2004-03-31", " ")]}, "请填写第1个节点的内容"),
    ({"measures": "措" * 4001}, "整改措施最多4000个字"),
])
def test_bad_input_is_said_in_chinese_and_nothing_is_kept(example, changes, said):
    _, store, records = example
    with pytest.raises(InputError, match=said):
        _file(example, **changes)
    assert plans_for(store, 2003, CHANGCHUN) == [] and audit.entries(records, action=audit.RECTIFY) == []


def test_a_plan_only_for_a_finding_of_the_year(example):
    with pytest.raises(InputError, match="2003年度长春市没有需要整改的这一项"):
        _file(example, finding="indicator:timely_payment_rate")  # met at December


def test_the_command_line_lists_the_findings_and_the_plans_with_their_overdue_milestones(example, cli, example_dir):
    config, store, _ = example
    plan = _file(example)
    review_plan(store, REVIEWER, config, plan.plan_id, accepted=True)

    def listed(*more):
        with clock.fixed(dt.date(2004, 4, 1)):
            done = cli("--config", example_dir / "config", "--db", store.path, "rectification", "list",
                       "--year", 2003, *more)
        assert done.code == 0, done.err
        return done.out

    shown = json.loads(listed("--format", "json"))
    assert [(f["city"], f["plan"]) for f in shown["findings"]] == [(LIAOYUAN, None), (CHANGCHUN, None),
                                                                   (CHANGCHUN, 1), (CHANGCHUN, None),
                                                                   (CHANGCHUN, None), (CHANGCHUN, None)]
    [saved] = shown["plans"]
    assert (saved["state"], saved["overdue"], [m["overdue"] for m in saved["milestones"]]) == (ACCEPTED, 1,
                                                                                             [True, False])
    assert [(v["version"], v["author"], v["reviewer"]) for v in saved["versions"]] == [(1, "zhang.cc", "wang.sj")]
    table = listed()
    assert "2003年度整改方案（截至2004年4月1日）" in table and "编号1，已通过" in table and "未报送" in table
