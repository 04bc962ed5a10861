"""Scores in words: what is missing behind a score, and the provisional note."""

from scorecard.report.notes import missing_text, provisional_note
from scorecard.assessment.scoring import score_year
from scorecard.data.store import Store


def test_missing_months_named(config, demo_db):
    result = score_year(config, Store(demo_db), 2003, 12)
    assert missing_text(result.city("220800")) == "缺8、9月数据"
    assert missing_text(result.city("220100")) == ""


def test_city_without_reports(config, small_db):
    result = score_year(config, Store(small_db), 2003, 2)
    assert missing_text(result.city("220200")) == "缺1、2月数据"


def test_provisional_note_names_the_month():
    assert provisional_note(6).startswith("截至6月的预估得分")
