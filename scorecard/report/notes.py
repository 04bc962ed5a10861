"""The notes every view and document attaches to a result, written once: that it is provisional (预估), that it
is demo data (演示数据), the mark printed on every page of a document, and what stands behind one city's
result (a veto, the quota, decisions, gaps in the data)."""

from __future__ import annotations

from ..assessment.explain import decision_text, not_yet_counted_text
from ..assessment.results import CityResult, YearResult

DEMO_LABEL = "演示数据"
DEMO_NOTE = f"所用数据为{DEMO_LABEL}，不是正式统计数据，不得作为考评和报告的依据。"
DEMO_MARK = f"{DEMO_LABEL}　非正式统计数据"         # in the header of every page of a document


def provisional_note(month: int) -> str:
    """What a result before December is: the one sentence the page, the documents and the command say."""
    return (f"截至{month}月的预估得分：流量指标按序时进度推算全年，比率和存量指标按当前值计算；"
            "12月数据齐全后为年终结果。")


def publication_note(result: YearResult) -> str | None:
    """What a published result is: the publication every view and document of it cites."""
    if result.publication is None:
        return None
    return f"本结果为{result.publication.title}；发布后导入的数据和登记的考评决定不改变本结果。"


def result_notes(result: YearResult) -> list[str]:
    """The notes under a result, in this order: the publication it is, provisional, demo data."""
    published = publication_note(result)
    return (([published] if published else []) + ([provisional_note(result.month)] if result.provisional else [])
            + ([DEMO_NOTE] if result.demo else []))


def page_mark(result: YearResult) -> str | None:
    """Printed on every page of every document: provisional results and demo data must not pass as final."""
    parts = []
    if result.provisional:
        parts.append(f"预估　截至{result.month}月数据推算，非年终考评结果")
    if result.demo:
        parts.append(DEMO_MARK)
    return "；".join(parts) or None


# --- one city -------------------------------------------------------------------------------

def missing_text(city: CityResult) -> str:
    """What is missing behind a city's score: 缺8、9月数据, or 部分指标无法计算 (a zero denominator);
    empty when complete."""
    months = sorted({m for i in city.indicators for m in i.missing_months})
    if months:
        return f"缺{'、'.join(map(str, months))}月数据"
    if any(i.actual is None for i in city.indicators):
        return "部分指标无法计算"
    return ""


def veto_items(city: CityResult) -> str:
    """拖欠失业保险金、… — the items a city (or a row of the circulated ranking) was vetoed for; empty when none."""
    return "、".join(city.veto_items)


def city_notes(result: YearResult, city: CityResult) -> list[str]:
    """备注 of a city's row: each veto and adjustment with its date, the excellent quota that held it back, the
    decisions recorded but not yet counted as of the month, and the gaps in its data."""
    notes = [decision_text(v) for v in city.vetoes]
    if city.quota_demoted:
        notes.append(f"得分达到{city.score_grade}，受优秀名额（{result.quota_places}名）限制")
    notes += [decision_text(a) for a in city.adjustments]
    later = not_yet_counted_text([city], result.year, result.month)
    if later:
        notes.append(later)
    if missing_text(city):
        notes.append(missing_text(city))
    return notes
