"""Each role refused, in the core, what it may not do (issue 13 §6): every action function of scorecard/actions
called as each of the six roles — and as the three roles of before — on the worked example (with the caseworker's
person records of tests/microdata/checks, for the 核查 and 公示 actions), with the records on SQLite and on
PostgreSQL. A permitted call succeeds and leaves no refusal; any other raises AccessDenied and
writes an audit line 无权访问 with the outcome 拒绝. Also: what the roles are made of, and the city scope."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from decisions_support import imported_example
from scorecard.actions import (decisions, demo, finding_checks, imports, person_records, postings, publish,
                               rectification, reporting, self_assessment, users, warnings)
from scorecard.config import load_config
from scorecard.data.intake import prepare
from scorecard.data.store import Store
from scorecard.microdata.findings import findings
from scorecard.microdata.personid import KEY_ENV, new_key
from scorecard.microdata.store import PersonStore
from scorecard.records import audit
from scorecard.records.store import Records
from scorecard.report.scope import scope
from scorecard.roles import (ADMIN, ALL_CITIES, ASSESSOR, AUDIT_LOG, CITY, CITY_REPORT, CITY_VIEW, DECIDE, EXPORT,
                             IMPORT, MANAGE_USERS, PROVINCE, PROVINCE_REVIEW, PROVINCE_VIEW, PUBLISH, REPORT, REVIEW,
                             ROLE_PERMISSIONS, SYSTEM_ADMIN, WARN_REPORT, AccessDenied, Principal, operator, require,
                             require_city, roles_in, roles_problem)
from tests.microdata_support import case_files

CHANGCHUN, LIAOYUAN = "220100", "220400"
PASSWORD = "Plum-Blossom-Road-88"
PLAN = {"measures": "逐户核查未参保单位", "owner": "市社保局 李明", "milestones": [("2004-03-31", "完成摸底")]}
ROLES = (CITY_REPORT, CITY_VIEW, PROVINCE_VIEW, PROVINCE_REVIEW, ASSESSOR, SYSTEM_ADMIN, PROVINCE, CITY, ADMIN)

# what each role may do, as the issue has it (✓ may; · is refused)
#                         市州填报 市州查看 省级查看 省级审核 考评 系统管理 | 省级 市州 数据管理员
TABLE = """
import_file               ·       ·       ·       ✓       ·     ·       |  ·    ·     ✓
commit_import             ·       ·       ·       ✓       ·     ·       |  ·    ·     ✓
record_report             ·       ·       ·       ✓       ·     ·       |  ·    ·     ✓
correct_report            ·       ·       ·       ✓       ·     ·       |  ·    ·     ✓
add_decision              ·       ·       ·       ·       ✓     ·       |  ✓    ·     ✓
edit_decision             ·       ·       ·       ·       ✓     ·       |  ✓    ·     ✓
withdraw_decision         ·       ·       ·       ·       ✓     ·       |  ✓    ·     ✓
publish                   ·       ·       ·       ·       ✓     ·       |  ✓    ·     ✓
submit_self_assessment    ✓       ·       ·       ·       ·     ·       |  ·    ✓     ·
save_report               ✓       ·       ·       ·       ·     ·       |  ·    ✓     ·
file_plan                 ✓       ·       ·       ·       ·     ·       |  ·    ✓     ·
review_plan               ·       ·       ·       ✓       ·     ·       |  ✓    ·     ✓
verify_self_assessment    ·       ·       ·       ✓       ·     ·       |  ✓    ·     ✓
add_user                  ·       ·       ·       ·       ·     ✓       |  ·    ·     ✓
change_password           ·       ·       ·       ·       ·     ✓       |  ·    ·     ✓
reset_password            ·       ·       ·       ·       ·     ✓       |  ·    ·     ✓
set_roles                 ·       ·       ·       ·       ·     ✓       |  ·    ·     ✓
disable                   ·       ·       ·       ·       ·     ✓       |  ·    ·     ✓
enable                    ·       ·       ·       ·       ·     ✓       |  ·    ·     ✓
unlock                    ·       ·       ·       ·       ·     ✓       |  ·    ·     ✓
build_demo                ·       ·       ·       ·       ·     ·       |  ·    ·     ·
record_outcome            ✓       ·       ·       ✓       ·     ·       |  ✓    ✓     ✓
issue_lists               ✓       ·       ·       ✓       ·     ·       |  ✓    ✓     ✓
post_lists                ✓       ·       ·       ✓       ·     ·       |  ✓    ✓     ✓
"""
ALLOWED = {line.split()[0]: dict(zip(ROLES, [mark == "✓" for mark in line.split()[1:] if mark != "|"]))
           for line in TABLE.strip().splitlines()}


class Scene:
    """The worked example imported, with one decision, one warning report and one account to act on, and 长春市's
    person records with a finding to verify and June's 公示 lists to log as posted."""

    def __init__(self, example, db):
        self.example, self.store, self.records = example, Store(db), Records.beside(db)
        # the rule checks need 长春市's minimum wage (the worked example has no records.yaml)
        (example / "config" / "records.yaml").write_text(
            "minimum_wages:\n  \"220100\": [{from: 2002-07-01, amount: 360}]\n", encoding="utf-8")
        self.config = load_config(example / "config")[0]
        self.actuals = example / "actuals.csv"
        admin = operator("pytest")
        self.decision = decisions.add_decision(self.store, admin, self.config, 2003, CHANGCHUN, reason="统计报表迟报",
                                               points=-1).decision_id
        self.report = warnings.record_report(self.store, admin, self.config, LIAOYUAN, 2003, 10,
                                             reported_local=dt.date(2003, 11, 6)).report_id
        users.add_user(self.records, admin, "target.user", PROVINCE_VIEW, None, PASSWORD)
        self.plan = rectification.file_plan(self.store, Principal("pytest.city", CITY, CHANGCHUN), self.config, 2003,
                                            CHANGCHUN, "year_end", **PLAN).plan_id
        person_records.import_records(self.store, self.config, case_files("checks"), admin)
        self.finding = findings(PersonStore.beside(db), self.config, 2003, ["ineligible"])[0].key
        data = b"%PDF-1.4 \xe5\x85\xac\xe7\xa4\xba"     # what the action writes is given to it: no need to draw it
        self.lists = [postings.ListFile("未填街道社区", 1, "未填街道社区.pdf", data, hashlib.sha256(data).hexdigest())]
        self.out = db.parent / "公示"
        self.out.mkdir()

    def commit(self, by):
        with prepare(self.config, self.store, self.actuals, compare=False) as prepared:
            return imports.commit_import(prepared, by)


# each action as called by a page or the CLI; in this order, so that each finds what it acts on
ACTIONS = {
    "import_file": lambda s, by: imports.import_file(s.store, s.config, s.actuals, by),
    "commit_import": Scene.commit,
    "record_report": lambda s, by: warnings.record_report(s.store, by, s.config, LIAOYUAN, 2003, 11,
                                                          reported_local=dt.date(2003, 12, 5)),
    "correct_report": lambda s, by: warnings.correct_report(s.store, by, s.config, s.report, note="已报市政府"),
    "add_decision": lambda s, by: decisions.add_decision(s.store, by, s.config, 2003, LIAOYUAN, reason="迟报",
                                                         points=-0.5),
    "edit_decision": lambda s, by: decisions.edit_decision(s.store, by, s.config, s.decision, change_reason="更正",
                                                           reason="统计报表迟报两次", points=-2),
    "withdraw_decision": lambda s, by: decisions.withdraw_decision(s.store, by, s.config, s.decision,
                                                                   change_reason="误录"),
    "publish": lambda s, by: publish.publish(s.store, by, s.config, 2003, reason="年终考评会议审定"),
    "submit_self_assessment": lambda s, by: self_assessment.submit(s.store, by, s.config, 2003, CHANGCHUN,
                                                                   {"new_insured_persons": (8200, "按年报")}),
    "save_report": lambda s, by: reporting.save_report(s.store, by, s.config, CHANGCHUN, 2004, 1,
                                                       {"new_insured_persons": 100}),
    "file_plan": lambda s, by: rectification.file_plan(s.store, by, s.config, 2003, CHANGCHUN,
                                                       "indicator:new_insured_persons", **PLAN),
    "review_plan": lambda s, by: rectification.review_plan(s.store, by, s.config, s.plan, accepted=True),
    "verify_self_assessment": lambda s, by: self_assessment.verify(s.store, by, s.config, 2003, CHANGCHUN,
                                                                   {"new_insured_persons": (8120, "以核查为准")}),
    "add_user": lambda s, by: users.add_user(s.records, by, "new.user", [CITY_REPORT, CITY_VIEW], CHANGCHUN,
                                             config=s.config),
    "change_password": lambda s, by: users.change_password(s.records, by, "target.user", PASSWORD + "!"),
    "reset_password": lambda s, by: users.reset_password(s.records, by, "target.user"),
    "set_roles": lambda s, by: users.set_roles(s.records, by, "target.user", [PROVINCE_VIEW, ASSESSOR], None),
    "disable": lambda s, by: users.disable(s.records, by, "target.user"),
    "enable": lambda s, by: users.enable(s.records, by, "target.user"),
    "unlock": lambda s, by: users.unlock(s.records, by, "target.user"),
    "build_demo": lambda s, by: demo.build(s.store, s.config, by),   # at the command line only, whatever the role
    "record_outcome": lambda s, by: finding_checks.record_outcome(s.store, by, s.config, 2003, s.finding, "属实"),
    "issue_lists": lambda s, by: postings.issue_lists(s.store, by, s.config, 2003, 6, CHANGCHUN, s.lists, s.out,
                                                      posted_on=dt.date(2003, 7, 1)),
    "post_lists": lambda s, by: postings.post_lists(s.store, by, s.config, 2003, 6, CHANGCHUN, dt.date(2003, 7, 1)),
}


def test_the_table_names_every_action_and_every_role():
    assert list(ALLOWED) == list(ACTIONS) and all(len(row) == len(ROLES) for row in ALLOWED.values())


@pytest.fixture
def scene(cli, example_dir, records_url, monkeypatch, tmp_path, tmp_path_factory):
    example, db = imported_example(cli, example_dir, records_url, monkeypatch, tmp_path)
    monkeypatch.setenv(KEY_ENV, str(new_key(tmp_path_factory.mktemp("key") / "person.key", db.parent)))
    return Scene(example, db)


def _refusals(scene, by):
    return [e for e in audit.entries(scene.records, who=by.user) if e.action == audit.DENIED]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_what_the_table_says_and_is_refused_the_rest_with_an_audit_line(scene, role):
    by = Principal(f"u.{ROLES.index(role)}", role, CHANGCHUN if role in (CITY_REPORT, CITY_VIEW, CITY) else None)
    wrong = []
    for name, act in ACTIONS.items():
        before = len(_refusals(scene, by))
        try:
            act(scene, by)
            done = True
        except AccessDenied:
            done = False
        lines = _refusals(scene, by)[:len(_refusals(scene, by)) - before]
        if done != ALLOWED[name][role]:
            wrong.append(f"{name}: {'succeeded' if done else 'refused'}")
        elif not done and [(e.outcome, e.role) for e in lines] != [(audit.REFUSED, by.role)]:
            wrong.append(f"{name}: refused without its one audit line ({lines})")
        elif done and lines:
            wrong.append(f"{name}: permitted, yet a refusal was audited")
    assert wrong == []


def test_the_roles_of_before_keep_their_permissions_exactly():
    assert ROLE_PERMISSIONS[PROVINCE] == {ALL_CITIES, EXPORT, AUDIT_LOG, DECIDE, PUBLISH, REVIEW}
    assert ROLE_PERMISSIONS[ADMIN] == {ALL_CITIES, EXPORT, AUDIT_LOG, IMPORT, WARN_REPORT, DECIDE, PUBLISH, REVIEW,
                                       MANAGE_USERS}
    assert ROLE_PERMISSIONS[CITY] == {REPORT}
    assert ROLE_PERMISSIONS[ADMIN] == Principal("x", [PROVINCE_VIEW, PROVINCE_REVIEW, ASSESSOR, SYSTEM_ADMIN]).permissions
    assert ROLE_PERMISSIONS[CITY] == Principal("x", [CITY_REPORT, CITY_VIEW], CHANGCHUN).permissions


def test_several_roles_are_held_as_one_principal():
    both = Principal("li.si", "考评、省级查看")
    assert both.roles == {ASSESSOR, PROVINCE_VIEW} and both.role == "省级查看、考评"
    assert both.may(PUBLISH) and both.may(EXPORT) and not both.may(IMPORT)
    assert both == Principal("li.si", [PROVINCE_VIEW, "assessor"]) and both.describe() == "li.si（省级查看、考评）"
    with pytest.raises(AccessDenied, match="省级查看、考评账号不能导入数据"):
        require(both, IMPORT)
    assert roles_in("city-report, 市州查看") == {CITY_REPORT, CITY_VIEW}
    assert "不能与省级角色" in roles_problem(roles_in("市州填报、考评")) and "无效" in roles_problem({"省长"})


def test_a_reporter_reports_for_their_own_city_only_and_sees_it_alone(config):
    reporter = Principal("li.si", CITY_REPORT, CHANGCHUN)
    require(reporter, REPORT)
    require_city(reporter, CHANGCHUN, config)
    with pytest.raises(AccessDenied, match="不能查看吉林市的数据"):
        require_city(reporter, "220200", config)
    with pytest.raises(AccessDenied):
        require(Principal("wang", CITY_VIEW, CHANGCHUN), REPORT)
    viewer = scope(Principal("wang", CITY_VIEW, CHANGCHUN), config)
    assert {city for _, city in viewer.contracts if config.level(city) == 1} == {CHANGCHUN}  # and its 县（市、区）:
    assert all(config.within(city, CHANGCHUN) for _, city in viewer.contracts)


def test_a_system_administrator_alone_sees_no_city(config):
    admin = Principal("root", SYSTEM_ADMIN)
    assert not admin.sees_cities and not admin.may_see(CHANGCHUN)
    assert scope(admin, config).contracts == {} and scope(admin, config).cities == config.cities
    with pytest.raises(AccessDenied, match="系统管理账号不能查看市州的数据"):
        scope(admin, [])
