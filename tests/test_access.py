"""scorecard.roles: what each role may do, and scorecard.report.scope.scope() — the filter every read of the app passes."""

from __future__ import annotations

import dataclasses

import pytest

from scorecard import roles as access
from scorecard.roles import ADMIN, CITY, PROVINCE, AccessDenied, Principal
from scorecard.report.scope import ranking, scope
from scorecard.data.completeness import completeness_grid
from scorecard.assessment.progress import pace_series
from scorecard.data.queries import recent_imports
from scorecard.assessment.scoring import score_year
from scorecard.data.store import Store

CHANGCHUN, JILIN = "220100", "220200"
CITY_USER = Principal("li.si", CITY, CHANGCHUN)
PROVINCE_USER = Principal("zhang.san", PROVINCE)
ADMIN_USER = Principal("wang.wu", ADMIN)


@pytest.fixture(scope="module")
def final(config, demo_db):
    return score_year(config, Store(demo_db), 2003, 12)


@pytest.fixture(scope="module")
def provisional(config, demo_db):
    return score_year(config, Store(demo_db), 2003, 6)


def test_permissions_of_each_role():
    assert {p for p in access.PERMISSION_NAMES if PROVINCE_USER.may(p)} == {
        access.ALL_CITIES, access.EXPORT, access.AUDIT_LOG, access.DECIDE, access.PUBLISH, access.REVIEW}
    assert {p for p in access.PERMISSION_NAMES if ADMIN_USER.may(p)} == set(access.PERMISSION_NAMES) - {access.REPORT}
    assert {p for p in access.PERMISSION_NAMES if CITY_USER.may(p)} == {access.REPORT}
    assert CITY_USER.may_see(CHANGCHUN) and not CITY_USER.may_see(JILIN)
    assert PROVINCE_USER.may_see(JILIN) and ADMIN_USER.may_see(JILIN)
    with pytest.raises(AccessDenied, match="无权访问：市州账号不能下载考评文件"):
        access.require(CITY_USER, access.EXPORT)
    with pytest.raises(AccessDenied, match="无权访问"):
        access.require(None, access.AUDIT_LOG)
    access.require(ADMIN_USER, access.IMPORT)
    with pytest.raises(AccessDenied, match="不能导入数据"):
        access.require(PROVINCE_USER, access.IMPORT)


def test_roles_may_be_typed_in_english():
    assert [access.role_of(t) for t in ("省级", "city", " Admin ", "boss")] == [PROVINCE, CITY, ADMIN, None]


def test_province_and_admin_see_everything_unchanged(final, config):
    for user in (PROVINCE_USER, ADMIN_USER):
        assert scope(user, final) is final
        assert scope(user, config) is config
        assert scope(user, [("any", "row")]) == [("any", "row")]


def test_a_city_user_gets_their_city_of_a_result(final):
    mine = scope(CITY_USER, final)
    assert [c.code for c in mine.cities] == [CHANGCHUN]
    assert mine.cities[0] == final.city(CHANGCHUN)  # their own detail is whole: rank, indicators, points
    assert [f.city for f in mine.fund] == [CHANGCHUN]
    assert len(final.cities) == 9 and len(final.fund) == 9  # the shared, cached result is not touched


def test_the_circulated_ranking_is_whole_only_when_final(final, provisional):
    published = scope(CITY_USER, ranking(final))
    assert [r.city for r in published.rows] == [c.code for c in final.cities]
    assert {f.name for f in dataclasses.fields(published.rows[0])} == {
        "city", "name", "rank", "total", "grade", "rank_change", "veto_items"}  # no indicators, fund, points, reasons
    early = scope(CITY_USER, ranking(provisional))
    assert [(r.city, r.rank) for r in early.rows] == [(CHANGCHUN, provisional.city(CHANGCHUN).rank)]
    assert early.city_count == 9


def test_a_city_user_gets_their_contracts_and_findings_only(config):
    mine = scope(CITY_USER, config)
    assert {city for _, city in mine.contracts if config.level(city) == 1} == {CHANGCHUN}  # and its 县（市、区）:
    assert all(config.within(city, CHANGCHUN) for _, city in mine.contracts)
    assert mine.years() == config.years()
    for year in config.years():
        assessment = mine.assessment_for(year)
        assert all(a.city == CHANGCHUN for a in assessment.adjustments + assessment.vetoes)
    assert config.assessment_for(2003).vetoes and not mine.assessment_for(2003).vetoes  # 白山市's veto is gone
    assert len(mine.cities) == 9  # names stay: the circulated ranking names every city


def test_lists_of_city_records_are_filtered(config, demo_db):
    store = Store(demo_db)
    with store.reader() as con:
        reports = completeness_grid(config, con, store, 2003, 12)
        jilin_pace = pace_series(config, con, store, 2003, JILIN, 12)
        own_pace = pace_series(config, con, store, 2003, CHANGCHUN, 12)
    assert {r.city for r in scope(CITY_USER, reports)} == {CHANGCHUN}
    assert scope(CITY_USER, jilin_pace) == [] and scope(CITY_USER, own_pace) == own_pace
    assert isinstance(scope(CITY_USER, tuple(reports)), tuple)


def test_what_scope_cannot_attribute_is_refused_to_a_city_user(config, demo_db, final):
    with Store(demo_db).reader() as con:
        imports = recent_imports(con)
    for value in (imports, Store(demo_db), "a text", 42, {"220200": 1.0}):
        with pytest.raises(AccessDenied, match="无权访问"):
            scope(CITY_USER, value)
    with pytest.raises(AccessDenied):
        scope(CITY_USER, final.city(JILIN))
    assert scope(CITY_USER, final.city(CHANGCHUN)) == final.city(CHANGCHUN)
    assert scope(CITY_USER, None) is None


@pytest.mark.parametrize("user", [None, Principal("x", CITY, None), Principal("x", "访客", None)])
def test_nobody_and_broken_principals_get_nothing(final, user):
    with pytest.raises(AccessDenied):
        scope(user, final)


def test_require_city_names_both_cities(config):
    with pytest.raises(AccessDenied, match="只能查看长春市的数据，不能查看吉林市的数据") as denied:
        access.require_city(CITY_USER, JILIN, config)
    assert denied.value.target == "吉林市（220200）"
    access.require_city(CITY_USER, CHANGCHUN, config)
    access.require_city(PROVINCE_USER, JILIN, config)
