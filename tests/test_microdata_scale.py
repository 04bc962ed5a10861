"""The province generator of the scale benchmark (scorecard.microdata.scale, issue 17 §6): the same files for a seed,
valid and distinct ids, the shape asked for (about 17 payments a claim, the wage rows requested, most of them of
workers who never claimed), and hidden-employment cases the check finds once the files are imported."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from scorecard.config import load_config
from scorecard.microdata import scale
from scorecard.microdata.findings import findings
from scorecard.microdata.personid import id_problem
from scorecard.microdata.store import PersonStore
from tests.microdata_support import place

CLAIMS, WAGE_ROWS = 1500, 240_000


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    config = load_config(Path("config"))[0]
    folder = tmp_path_factory.mktemp("province")
    return config, folder, scale.province(config.cities, folder / "one", 2003, CLAIMS, WAGE_ROWS, seed=5)


def test_the_same_seed_gives_the_same_files(written):
    config, folder, one = written
    two = scale.province(config.cities, folder / "two", 2003, CLAIMS, WAGE_ROWS, seed=5)
    for code, (path, rows) in one.items():
        assert two[code][1] == rows
        assert pq.read_table(two[code][0]).equals(pq.read_table(path)), code


def test_the_province_has_the_shape_asked_for(written):
    _, _, files = written
    claims = pq.read_table(files["claims"][0]).to_pandas()
    payments = pq.read_table(files["payments"][0]).to_pandas()
    wages = pq.read_table(files["wages"][0]).to_pandas()
    assert 15 <= len(payments) / len(claims) <= 19                      # whole entitlements of 6 to 24 months
    assert set(payments["period"].str[:4]) >= {"2003", "2004"}
    assert WAGE_ROWS - 12 < len(wages) == files["wages"][1] <= WAGE_ROWS
    assert not wages.duplicated(["person_id", "employer", "month"]).any()
    persons = wages["person_id"].drop_duplicates()
    assert all(id_problem(i) is None for i in persons)
    assert persons.isin(claims["person_id"]).mean() < 0.1               # most insured workers never claimed
    workers = wages[wages["employer"].str.startswith("E") & ~wages["person_id"].isin(claims["person_id"])]
    assert (workers.groupby("person_id").size() == 12).all() and set(workers["month"].str[:4]) == {"2003"}
    drawing = wages[wages["employer"].str.startswith("G")]
    assert (drawing["wage_base"] == 360).any() and (drawing["wage_base"] < 360).any()


def test_the_check_finds_the_wages_while_drawing(written, tmp_path):
    config, _, files = written
    where = place(tmp_path)
    where.imported(*(path for path, _ in files.values()))
    found = findings(PersonStore(where.persons), config, 2003, ["hidden_employment"])
    runs = [f for f in found if ":工资:" in f.key]
    # every run's evidence is of the new employer while drawing: the province's (G…) or the demo's planted (H…)
    assert all("单位G" in line or "单位H" in line for f in runs for line in f.evidence[1:-1])
    assert sum("单位G" in f.evidence[1] for f in runs) >= 5
