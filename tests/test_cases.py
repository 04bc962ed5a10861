"""Scoring cases written as YAML an assessor can read (tests/cases/*.yaml), run through score_year.

Each case names its cities' contracts, monthly actuals and what the scorecard must say.
Cities get the name 〈code〉市; the catalogue is the worked example's, plus any `catalogue:` additions.
Monthly actuals are lists from January; null means the month was not reported. A case's `checks` may each
name the year they score (the case's `year`, else 2003). A case with `assessments:` runs twice: with them as the
YAML file, and entered on record through the actions layer as the app enters them — the same checks hold.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import EXAMPLE
from scorecard.data.unit import apply_rows
from scorecard.assessment.scoring import score_year
from scorecard.data.store import Store
from scorecard.config import load_config
from scorecard.actions.decisions import add_decision
from scorecard.records.store import RECORDS_URL_ENV
from scorecard.roles import PROVINCE, Principal

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))


def write_yaml(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def build(case: dict, root: Path, *, assessments: bool = True):
    config_dir = root / "config"
    catalogue = yaml.safe_load((EXAMPLE / "config" / "indicators.yaml").read_text(encoding="utf-8"))
    for section, entries in (case.get("catalogue") or {}).items():
        catalogue[section].update(entries)
    write_yaml(config_dir / "indicators.yaml", catalogue)
    write_yaml(config_dir / "scoring.yaml", case.get("scoring") or {})
    contracts = case["contracts"]
    codes = sorted({code for year in contracts.values() for code in year})
    write_yaml(config_dir / "cities.yaml", {"cities": [{"code": c, "name": f"{c}市"} for c in codes]})
    amendments = case.get("amendments") or {}
    for year, cities in contracts.items():
        for code, targets in cities.items():
            changes = (amendments.get(year) or {}).get(code)
            write_yaml(config_dir / "contracts" / str(year) / f"{code}.yaml",
                       {"year": year, "city": code, "targets": targets, **({"amendments": changes} if changes else {})})
    for year, assessment in (case.get("assessments") or {}).items() if assessments else ():
        write_yaml(config_dir / "assessments" / f"{year}.yaml", {"year": year, **assessment})
    config, problems = load_config(config_dir)
    assert not problems, [str(p) for p in problems]
    rows = [(year, month, code, measure, value)
            for year, cities in (case.get("actuals") or {}).items()
            for code, measures in cities.items()
            for measure, values in measures.items()
            for month, value in enumerate(values, start=1) if value is not None]
    store = Store(root / "case.duckdb")
    frame = pd.DataFrame(rows, columns=["year", "month", "city", "measure", "value"])
    apply_rows(store, frame, "case.csv", "0" * 64)
    return config, store


def check(actual, expected, where: str) -> None:
    if isinstance(expected, float) and math.isinf(expected):
        assert actual == expected, where
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool) and actual is not None:
        assert math.isclose(actual, expected, rel_tol=0, abs_tol=1e-9), f"{where}: {actual} != {expected}"
    elif isinstance(expected, list):
        assert list(actual) == expected, f"{where}: {actual} != {expected}"
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


def record_decisions(case: dict, config, store) -> None:
    """The case's assessments entered as an assessor enters them in the app (the actions layer), not as YAML."""
    assessor = Principal("assessor", PROVINCE)
    for year, assessment in (case.get("assessments") or {}).items():
        for entry in assessment.get("adjustments") or ():
            add_decision(store, assessor, config, year, entry["city"], reason=entry["reason"],
                         points=float(entry["points"]), decided_on=entry.get("date"))
        for entry in assessment.get("veto") or ():
            add_decision(store, assessor, config, year, entry["city"], reason=entry["reason"], item=entry["item"],
                         decided_on=entry.get("date"))


ON_RECORD = [p for p in CASES if "assessments:" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path, tmp_path):
    run_case(path, tmp_path, on_record=False)


@pytest.mark.parametrize("path", ON_RECORD, ids=[p.stem for p in ON_RECORD])
def test_case_with_its_decisions_entered_on_record(path, tmp_path, monkeypatch):
    monkeypatch.delenv(RECORDS_URL_ENV, raising=False)  # the records beside the case's database
    run_case(path, tmp_path, on_record=True)


def run_case(path, tmp_path, *, on_record: bool):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    config, store = build(case, tmp_path, assessments=not on_record)
    if on_record:
        record_decisions(case, config, store)
    checks = case.get("checks") or [{"month": case.get("month", 12), "expect": case["expect"]}]
    for step in checks:
        result = score_year(config, store, step.get("year", case.get("year", 2003)), step["month"])
        for code, expected in step["expect"].items():
            city = result.city(code)
            where = f"{path.stem} {result.year}年{step['month']}月 {code}"
            for key, value in expected.items():
                if key == "indicators":
                    for indicator, fields in value.items():
                        found = next(i for i in city.indicators if i.code == indicator)
                        for field, want in fields.items():
                            check(getattr(found, field), want, f"{where} {indicator}.{field}")
                elif key == "veto":
                    check([v.item for v in city.vetoes], value, f"{where} veto")
                else:
                    check(getattr(city, key), value, f"{where} {key}")
