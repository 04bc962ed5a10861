"""The worked example of shared/spec/example, run through the real command line, matches to 1e-6."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE

SHARED_EXAMPLE = Path(__file__).resolve().parents[2] / "shared" / "spec" / "example"


def assert_matches(actual, expected, path="$"):
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        for key, value in expected.items():
            assert key in actual, f"{path}.{key} missing"
            assert_matches(actual[key], value, f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), path
        for index, (a, e) in enumerate(zip(actual, expected)):
            assert_matches(a, e, f"{path}[{index}]")
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool):
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool), f"{path}: {actual!r}"
        assert math.isclose(actual, expected, rel_tol=0, abs_tol=1e-6), f"{path}: {actual} != {expected}"
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def scorecard(example: Path, db: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scorecard", "--config", str(example / "config"), "--db", str(db),
                           *map(str, args)], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def example_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("example") / "example.duckdb"
    done = scorecard(EXAMPLE, db, "import", EXAMPLE / "actuals.csv")
    assert done.returncode == 0, done.stderr
    return db


@pytest.mark.parametrize("command,year,month,expected", [
    ("score", 2003, 12, "score-2003-12.json"),
    ("score", 2003, 6, "score-2003-06.json"),
    ("warn", 2003, 12, "warn-2003-12.json"),
    ("warn", 2003, 3, "warn-2003-03.json"),
])
def test_cli_output_matches_expected(example_db, command, year, month, expected):
    done = scorecard(EXAMPLE, example_db, command, "--year", year, "--month", month, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    actual = json.loads(done.stdout)
    assert_matches(actual, json.loads((EXAMPLE / "expected" / expected).read_text(encoding="utf-8")))


def test_score_json_has_exactly_the_interface_keys(example_db):
    done = scorecard(EXAMPLE, example_db, "score", "--year", 2003, "--format", "json")
    data = json.loads(done.stdout)
    assert set(data) == {"year", "month", "provisional", "cities"}
    city = data["cities"][0]
    assert set(city) == {"city", "name", "rank", "total", "grade", "veto", "bonus", "adjustment", "rank_change",
                         "indicators"}
    assert set(city["indicators"][0]) == {"code", "target", "actual", "completion", "points", "bonus", "status",
                                          "missing_months"}


def test_cities_are_ordered_by_rank_then_code(example_db):
    data = json.loads(scorecard(EXAMPLE, example_db, "score", "--year", 2003, "--format", "json").stdout)
    keys = [(c["rank"], c["city"]) for c in data["cities"]]
    assert keys == sorted(keys)


@pytest.mark.skipif(not SHARED_EXAMPLE.is_dir(), reason="shared/ is not beside this checkout")
def test_bundled_copy_equals_the_shared_example():
    shared = {p.relative_to(SHARED_EXAMPLE): p.read_bytes() for p in SHARED_EXAMPLE.rglob("*") if p.is_file()}
    bundled = {p.relative_to(EXAMPLE): p.read_bytes() for p in EXAMPLE.rglob("*") if p.is_file()}
    assert bundled == shared
