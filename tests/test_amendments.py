"""目标调整: a contract amended within the year keeps both versions; a result as of a month uses the version in
force at the end of it, and says where the target changed, when and why.

The shipped 2003 contract of 白山市 lowers its 征缴收入 target from 4,680 to 4,500万元 from 1 July; the scoring
both sides of a date is also the YAML case tests/cases/amendment.yaml."""

from __future__ import annotations

import datetime as dt

from page_support import goto, page_text, tables

from scorecard.assessment.explain import calculation_text
from scorecard.assessment.scoring import score_year
from scorecard.config import load_config
from scorecard.data.store import Store
from scorecard.report.targets import amendment_texts

BAISHAN = "220600"
REASON = "7月起企业缴费费率下调，征缴收入目标相应调低"


def collected(result):
    return next(i for i in result.city(BAISHAN).indicators if i.code == "contributions_collected")


def test_both_versions_are_kept_and_the_one_in_force_is_chosen_by_month(config):
    contract = config.contracts[(2003, BAISHAN)]
    assert [t.target for t in contract.targets if t.indicator == "contributions_collected"] == [4680]
    (amendment,) = contract.amendments
    assert (amendment.date, amendment.reason, amendment.changed) == (dt.date(2003, 7, 1), REASON,
                                                                     ("contributions_collected",))
    june, july = config.contract(2003, BAISHAN, 6), config.contract(2003, BAISHAN, 7)
    assert june.amendment is None and july.amendment is amendment
    assert {t.indicator: t.target for t in july.targets}["contributions_collected"] == 4500
    assert sum(t.weight for t in july.targets) == 100
    assert july.signed_targets == contract.targets and july.in_force(6).targets == contract.targets


def test_a_result_before_the_date_uses_the_signed_target_and_after_it_the_new_one(config, demo_db):
    june, july = (score_year(config, Store(demo_db), 2003, m) for m in (6, 7))
    assert collected(june).target == 4680 and collected(june).change is None
    change = collected(july).change
    assert collected(july).target == 4500
    assert (change.date, change.before, change.after, change.reason) == (dt.date(2003, 7, 1), 4680, 4500, REASON)
    words = calculation_text(collected(july), 7)
    assert f"（目标于2003年7月1日由4,680.00万元调整为4,500.00万元，理由：{REASON}）" in words
    assert "调整" not in calculation_text(collected(june), 6)
    others = [i for c in july.cities if c.code != BAISHAN for i in c.indicators]
    assert not [i for i in others if i.change is not None]


def test_amendments_in_words_for_pages_and_documents(config):
    (text,) = amendment_texts(config, config.contracts[(2003, BAISHAN)])
    assert (text.title, text.reason) == ("2003年7月1日起调整", REASON)
    assert [(e.name, e.before, e.after, e.weight) for e in text.edits] == [
        ("征缴收入", "4,680.00万元", "4,500.00万元", "20分")]


def test_the_contracts_page_shows_the_change(shipped_config_dir, demo_db, open_app):
    app = open_app(shipped_config_dir, demo_db)
    goto(app, "contracts")
    text = page_text(app)
    assert "白山市（2003年3月15日签订）（年内调整1次，下表为签订时的目标）" in text
    assert f"目标调整：2003年7月1日起调整" in text and REASON in text
    (edit,) = [t for t in tables(app) if "调整后" in t.columns]
    assert edit.iloc[0].to_dict() == {"指标": "征缴收入", "原目标": "4,680.00万元", "调整后": "4,500.00万元",
                                      "权重": "20分"}


BAD = """amendments:
  - date: 2004-07-01
    reason: 跨年
    targets:
      subsidy_persons: {target: 3000, weight: 10}
  - date: 2003-03-01
    reason: 早于签订
    targets:
      subsidy_persons: {target: 3000, weight: 10}
  - date: 2003-08-01
    targets:
      subsidy_persons: {target: 3000, weight: 10}
  - date: 2003-09-01
    reason: 权重不对
    targets:
      subsidy_persons: {target: 3000, weight: 12}
  - date: 2003-10-01
    reason: 未知指标
    targets:
      subsidy_persns: {target: 3000, weight: 10}
    removed: [nothing]
  - date: 2003-11-01
    reason: 取消清欠，权重并入补贴
    removed: [arrears_recovered]
    targets:
      subsidy_persons: {target: 3000, weight: 20}
  - date: 2003-10-15
    reason: 顺序错
    targets:
      subsidy_persons: {target: 3100, weight: 20}
  - date: 2003-12-01
    reason: 什么也没改
"""


def test_bad_amendments_are_refused_at_their_lines_in_chinese(config_dir):
    path = config_dir / "contracts" / "2003" / "220600-白山市.yaml"
    text = path.read_text(encoding="utf-8")
    text = text[:text.index("amendments:")] + BAD
    path.write_text(text, encoding="utf-8")
    start = text.count("\n", 0, text.index("amendments:")) + 1  # the line of `amendments:`
    _, problems = load_config(config_dir)
    said = [(p.line - start, p.message) for p in problems if p.file == str(path)]
    assert said == [
        (1, "目标调整的生效日期2004-07-01不在2003年内：调整只能在合同年度之内"),
        (5, "目标调整的生效日期2003-03-01应晚于签订日期2003-03-15"),
        (9, "目标调整须写明理由“reason”"),
        (12, "第4项目标调整后各指标权重合计为102分，应为100分（评分规则文件 scoring.yaml 的总分 total_points）"),
        (19, "未知的指标“subsidy_persns”，是否指“subsidy_persons”？（见指标目录文件 indicators.yaml）"),
        (20, "第5项目标调整要取消的指标“nothing”不在调整前的目标责任书中"),
        (26, "第7项目标调整的生效日期应晚于上一项（2003-11-01），请按日期先后写"),
        (30, "第8项目标调整既没有调整任何指标（targets），也没有取消指标（removed）"),
    ]


def test_an_indicator_removed_by_an_amendment_is_no_longer_scored(config_dir, demo_db):
    path = config_dir / "contracts" / "2003" / "220600-白山市.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("amendments:")] + """amendments:
  - date: 2003-11-01
    reason: 清欠任务划归税务部门，权重并入补贴
    removed: [arrears_recovered]
    targets:
      subsidy_persons: {target: 3240, weight: 20}
""", encoding="utf-8")
    config, problems = load_config(config_dir)
    assert not problems, problems
    store = Store(demo_db)
    october, november = (score_year(config, store, 2003, m).city(BAISHAN) for m in (10, 11))
    assert "arrears_recovered" in [i.code for i in october.indicators]
    assert "arrears_recovered" not in [i.code for i in november.indicators]
    subsidy = next(i for i in november.indicators if i.code == "subsidy_persons")
    assert subsidy.weight == 20 and subsidy.change is not None and subsidy.change.before == 3240
    (text,) = amendment_texts(config, config.contracts[(2003, BAISHAN)])
    assert [(e.name, e.after, e.weight) for e in text.edits] == [
        ("职业介绍和培训补贴人次", "3,240人次", "10分→20分"), ("清欠金额", "取消考核", "10分")]
    assert "（权重于2003年11月1日由10分调整为20分，理由：清欠任务划归税务部门，权重并入补贴）" in calculation_text(subsidy, 11)


def test_the_contract_document_says_the_change(config):
    """The 目标责任书 in Word and PDF: the targets as signed, and a section on the change within the year."""
    from scorecard.exports.blocks import Paragraph
    from scorecard.exports.responsibility import pact

    (document,) = [pact(config, config.contracts[(2003, BAISHAN)])]
    texts = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert f"（一）2003年7月1日起调整（理由：{REASON}）：征缴收入由4,680.00万元调整为4,500.00万元，权重20分。" in texts
    changchun = [b.text for b in pact(config, config.contracts[(2003, "220100")]).blocks if isinstance(b, Paragraph)]
    assert not [t for t in changchun if "调整" in t]
