"""An indicator month by month, 同比, 环比 and its trend (改善 / 持平 / 退步): cases written as YAML an assessor can
read (tests/trend_cases/*.yaml, built as tests/cases are), the last month against the card's figures, and
scoring.yaml's `trend:` checked like every rule.

A case's `checks` each name a year (default 2003) and month; under a city and an indicator: `trend` (word, change in
percentage points, month compared with, or the reason there is none), `months` (the indicator's figures of a
month: actual, completion, gap in percentage points, 同比 and 环比 — a number, or the reason written when there is
none) and `measures` (a measure's value, total to date, 同比 and 环比 of a month)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_cases import build, check

from scorecard.assessment.scoring import score_year
from scorecard.assessment.trends import city_series
from scorecard.config import load_config
from scorecard.data.store import Store

CASES = sorted((Path(__file__).parent / "trend_cases").glob("*.yaml"))
CHANGES = {"同比": "year_on_year", "环比": "month_on_month"}


def check_point(point, fields: dict, where: str) -> None:
    for field, want in fields.items():
        if field in CHANGES:
            found = getattr(point, CHANGES[field])
            if isinstance(want, str):
                assert (found.value, found.reason) == (None, want), f"{where} {field}: {found}"
            else:
                check(found.value, want, f"{where} {field}")
        else:
            check(getattr(point, field), want, f"{where} {field}")


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path, tmp_path):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    config, store = build(case, tmp_path)
    for step in case["checks"]:
        year, month = step.get("year", 2003), step["month"]
        for city, indicators in step["expect"].items():
            series = {s.code: s for s in city_series(config, store, year, month, city)}
            for code, expected in indicators.items():
                where = f"{path.stem} {year}年{month}月 {city} {code}"
                found = series[code]
                assert len(found.points) == month
                for field, want in expected.get("trend", {}).items():
                    check(getattr(found.trend, field), want, f"{where} trend.{field}")
                for m, fields in expected.get("months", {}).items():
                    check_point(found.points[m - 1], fields, f"{where} {m}月")
                measures = {s.code: s for s in found.measures}
                for measure, months in expected.get("measures", {}).items():
                    for m, fields in months.items():
                        check_point(measures[measure].points[m - 1], fields, f"{where} {measure} {m}月")


@pytest.mark.parametrize("city, month", [("220100", 12), ("220800", 8), ("220800", 10), ("220600", 9)])
def test_the_last_month_is_the_card(config, demo_db, city, month):
    """Every indicator's last point is the figure score_year puts on its card (白山市 has a 目标调整)."""
    store = Store(demo_db)
    cards = score_year(config, store, 2003, month).city(city).indicators
    series = city_series(config, store, 2003, month, city)
    assert [s.code for s in series] == [i.code for i in cards]
    for line, card in zip(series, cards):
        last = line.points[-1]
        assert last.actual == pytest.approx(card.actual) and last.completion == pytest.approx(card.completion)
        assert (last.status, last.missing_months, last.pace) == (card.status, card.missing_months, card.expected)
        assert line.has_previous_year


def test_a_city_without_a_contract_has_no_series(config, demo_db):
    assert city_series(config, Store(demo_db), 1999, 12, "220100") == ()


def write_trend(config_dir, text: str = "") -> Path:
    """scoring.yaml with its `trend:` block replaced by `text` (nothing: left out)."""
    path = config_dir / "scoring.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next((k for k, line in enumerate(lines) if line.startswith("trend:")), len(lines))
    end = next((k for k in range(start + 1, len(lines)) if not lines[k].startswith(" ")), len(lines))
    path.write_text("".join(lines[:start] + lines[end:]) + text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, phrase", [
    ("trend: {window: 0, flat_band: 0.5}", "trend的“window”不能小于1，现在是0"),
    ("trend: {window: 12}", "trend的“window”不能大于11，现在是12"),
    ("trend: {window: 2.5}", "trend的“window”应当是整数，现在是2.5"),
    ("trend: {flat_band: -1}", "trend的“flat_band”不能小于0，现在是-1"),
    ("trend: {windw: 3}", "trend中有无法识别的字段“windw”，是否指“window”？"),
])
def test_a_trend_rule_written_wrong_is_said_at_its_line(config_dir, text, phrase):
    path = write_trend(config_dir, f"{text}\n")
    line = len(path.read_text(encoding="utf-8").splitlines())
    config, problems = load_config(config_dir)
    assert config is None and any(str(p).startswith(f"{path}:{line}: {phrase}") for p in problems), [str(p) for p in problems]


def test_the_trend_rule_defaults_and_may_be_dated(config_dir):
    write_trend(config_dir)
    config, problems = load_config(config_dir)
    assert not problems and (config.rules_for(2003).trend.window, config.rules_for(2003).trend.flat_band) == (3, 0.5)
    write_trend(config_dir, "trend:\n  flat_band:\n    - value: 0.5\n    - from: 2004-01-01\n      value: 1\n")
    config, problems = load_config(config_dir)
    assert not problems, [str(p) for p in problems]
    assert [config.rules_for(y).trend.flat_band for y in (2003, 2004)] == [0.5, 1.0]
