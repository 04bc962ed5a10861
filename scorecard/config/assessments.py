"""assessments/<year>.yaml: the assessors' adjustments (加减分) and veto findings (一票否决) of a year, each
with the day it was decided."""

from __future__ import annotations

from pathlib import Path

from .checks import FileCheck, read, year_named
from .model import Adjustment, Assessment, City, Veto
from .schedule import calendar_day
from .schema import AdjustmentEntry, AssessmentHead, VetoEntry
from .yamlsource import YMap

KINDS = (("adjustments", AdjustmentEntry), ("veto", VetoEntry))


def _date_written(check: FileCheck, entry: YMap, what: str) -> None:
    """How `date:` is written: a day of the calendar as 2003-11-20 without quotes. Which days a decision may have
    (not later than today, of the scorecard's years) the models say (schema.Decided)."""
    if entry.get("date") is not None:
        calendar_day(entry, "date", f"{what}的认定日期", "2003-11-20", check.error)


def load_assessment(path: Path, directory: Path, cities: dict[str, City], contract_keys, problems):
    doc, check = read(directory, str(path.relative_to(directory)), problems)
    if doc is None or check.mapping(doc, 1, "考评记录") is None:
        return None
    year = int(path.stem)
    check.validated(AssessmentHead, doc, "考评记录", {"year": year, "name": path.name})
    context = {"cities": cities, "contracts": contract_keys, "year": year}
    found: dict[str, list] = {"adjustments": [], "veto": []}
    for key, model in KINDS:
        items = doc.get(key)
        if items is None or (items := check.sequence(items, doc.line_of(key), key)) is None:
            continue
        for index, item in enumerate(items):
            entry = check.mapping(item, items.line_of(index), model.what)
            if entry is None:
                continue
            decision = check.validated(model, entry, model.what, context)
            _date_written(check, entry, model.what)
            if decision is not None:
                found[key].append(decision)
    adjustments = tuple(Adjustment(a.city, a.points, a.reason, a.date) for a in found["adjustments"])
    vetoes = tuple(Veto(v.city, v.item, v.reason, v.date) for v in found["veto"])
    return Assessment(year, adjustments, vetoes, check.display)


def load_assessments(directory: Path, cities, contract_keys, problems):
    root = directory / "assessments"
    assessments: dict[int, Assessment] = {}
    if not root.is_dir():
        return assessments
    for path in sorted(root.glob("*.y*ml")):
        if year_named(path, path.stem, f"考评记录的文件名应当是年度，如 2003.yaml，现在是“{path.name}”", problems) is None:
            continue
        before = len(problems)
        assessment = load_assessment(path, directory, cities, contract_keys, problems)
        if assessment is not None and len(problems) == before:
            assessments[assessment.year] = assessment
    return assessments
