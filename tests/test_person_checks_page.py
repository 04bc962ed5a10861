"""The 规则核查 page in AppTest: per city the findings and 违规领取金额占比, a caseworker's outcome saved through the
actions layer (and audited), the deduction then suggested to assessors; a city's user sees their own city only;
without person records the page says how to import them; a 公示 list logged as posted from the page."""

from __future__ import annotations

import re

import datetime as dt
from pathlib import Path

import pytest

from page_support import goto, page_text, table_with
from scorecard.config import load_config
from scorecard.exports.posting import posting_files
from scorecard.microdata import settings
from scorecard.microdata.posting import community_lists
from scorecard.microdata.store import PersonStore
from scorecard.records import audit
from scorecard.records.finding_checks import entries
from scorecard.records.postings import posted
from scorecard.records.store import Records
from tests.cli_support import scorecard
from tests.microdata_support import case_files, place


@pytest.fixture
def where(tmp_path):
    where = place(tmp_path)
    done = scorecard("--db", where.db, "demo")
    assert done.returncode == 0, done.stderr
    where.persons.unlink()      # the demo's own person records: these tests import the caseworker's cases
    return where


def opened(open_app, where, as_="省级"):
    return goto(open_app(Path("config"), where.db, {"year": "2003"}, as_=as_), "person_checks")


def test_findings_an_outcome_and_the_suggested_deduction(where, open_app):
    assert where.import_(*case_files("checks")).returncode == 0
    app = opened(open_app, where)
    cities = table_with(app, "违规领取金额占比")
    assert list(cities["市州"]) == ["长春市"]
    assert list(cities["违规领取金额占比"]) == ["30.95%"] and list(cities["待核查"]) == [3]
    assert "还没有核查属实的发现" in page_text(app)
    keys = next(d.value for d in app.dataframe if "发现编号" in d.value.columns)["发现编号"]  # read by caseworkers and typed at `records verify`: no English
    assert {key.split(":")[0] for key in keys} == {"不符合条件", "隐性就业"}  # the outcome form lists these two
    assert all(re.fullmatch(r"[0-9a-f]{12}", key.split(":")[1]) for key in keys), list(keys)  # the hash's start
    assert {key.split(":")[2] for key in keys if key.startswith("隐性就业")} == {"工资", "营业执照"}
    finding = next(s for s in app.selectbox if s.label == "发现")
    finding.select_index(next(k for k, label in enumerate(finding.options) if label.startswith("赵自愿")))
    next(r for r in app.radio if r.label == "核查结果").set_value("属实")
    next(b for b in app.button if b.label == "保存核查结果").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "已登记核查结果" in page_text(app)
    [saved] = entries(Records.beside(where.db), 2003)
    assert (saved.outcome, saved.city, saved.amount) == ("属实", "220100", 1440.0)
    assert any(e.action == audit.FINDING_CHECK for e in audit.entries(Records.beside(where.db)))
    assert list(table_with(app, "违规领取金额占比")["属实"]) == [1]
    assert "长春市-0.2分" in page_text(app).replace(" ", "")


def test_a_city_user_sees_their_own_city_only(where, open_app):
    assert where.import_(*case_files("checks")).returncode == 0
    app = opened(open_app, where, as_=("市州", "220200"))
    assert "长春市" not in page_text(app) and "赵" not in page_text(app) and "建议扣分" not in page_text(app)
    assert not [s for s in app.selectbox if s.label == "发现"]


def test_without_person_records_the_page_says_how_to_import_them(where, open_app):
    app = opened(open_app, where)
    assert "还没有导入个人记录" in page_text(app) and "scorecard records import" in page_text(app)


def test_the_posting_coverage_and_a_community_list_to_download(where, open_app):
    assert where.import_(*case_files("posting")).returncode == 0
    app = opened(open_app, where)
    covered = table_with(app, "公示覆盖率")
    assert list(covered["公示覆盖率"]) == ["0.0%"] * len(covered) and covered["月末领取人数"].sum() > 0
    links = [h.value for h in app.html if "sc-download" in h.value and ".pdf" not in h.value and "人）" in h.value]
    assert links and all("href=" in link for link in links)
    city = opened(open_app, where, as_=("市州", "220200"))
    assert "公示覆盖率" not in page_text(city) or "长春市" not in page_text(city)


def test_a_list_posted_is_logged_from_the_page_and_the_coverage_counts_it(where, open_app):
    """One community, then all of 长春市's June lists, logged as posted through the action: the log holds the digest
    of the PDF the command writes for that day, each logging has its audit line, the coverage rises; a 市州查看
    sees the coverage but gets no form."""
    assert where.import_(*case_files("posting")).returncode == 0
    app = opened(open_app, where)
    next(s for s in app.selectbox if s.key == "posting_month").set_value(6).run()

    def post(community: str, day: dt.date):
        next(s for s in app.selectbox if s.key == "posting_community").set_value(community)
        next(d for d in app.date_input if d.key == "posting_day").set_value(day)
        # each list's PDF is drawn (about 2 s of CPU apiece, font subsetting): more than a page's usual minute
        # on a busy machine
        next(b for b in app.button if b.label == "登记公示").click().run(timeout=300)
        assert not app.exception, [e.value for e in app.exception]

    def june() -> tuple[str, str]:
        row = table_with(app, "公示覆盖率").iloc[0]
        return row["已公示人数"], row["公示覆盖率"]

    assert june() == (0, "0.0%")
    post("重庆路街道", dt.date(2003, 7, 1))
    assert "已登记长春市2003年6月1个街道社区的公示名单（共1人），2003年7月1日公示。" in page_text(app)
    assert june() == (1, "20.0%")
    config = load_config(Path("config"))[0]
    [logged] = posted(Records.beside(where.db), 2003)
    listing = [x for x in community_lists(PersonStore(where.persons), config, 2003, 6, "220100")
               if x.community == "重庆路街道"]
    [drawn] = posting_files(listing, config, settings.load(config.directory).posting, dt.date(2003, 7, 1),
                            dt.date(2003, 7, 1))
    assert (logged.community, logged.recipients, logged.digest, logged.posted_on) == (
        "重庆路街道", 1, drawn.digest, dt.date(2003, 7, 1))
    post("全部街道社区", dt.date(2003, 7, 2))
    assert "4个街道社区的公示名单（共5人）" in page_text(app) and june() == (5, "100.0%")
    lines = [e for e in audit.entries(Records.beside(where.db)) if e.action == audit.POSTING]
    assert [e.target for e in lines] == ["长春市2003年6月公示名单"] * 2 and all("在网页登记" in e.detail for e in lines)
    viewer = opened(open_app, where, as_=("市州查看", "220100"))
    assert "公示覆盖率" in page_text(viewer) and not [b for b in viewer.button if b.label == "登记公示"]


def test_on_the_readmes_first_command_the_pages_show_findings_posting_and_the_forecast(tmp_path, open_app):
    """`scorecard demo` alone (its own person records kept): every city's findings and 公示 coverage on 规则核查, every
    city's forecast on 基金预警."""
    where = place(tmp_path)
    done = scorecard("--db", where.db, "demo")
    assert done.returncode == 0, done.stderr
    app = opened(open_app, where)
    cities = table_with(app, "违规领取金额占比")
    assert len(cities) == 9 and (cities["发现"] > 0).all()
    assert len(table_with(app, "公示覆盖率")) == 9
    fund = goto(open_app(Path("config"), where.db, {"year": "2003", "month": "8"}), "fund")
    ahead = table_with(fund, "预测")
    assert len(ahead) == 9 and "—" not in set(ahead["新增申领（合计）"])
