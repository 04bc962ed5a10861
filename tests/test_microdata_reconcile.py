"""Derived against reported (`scorecard records reconcile`): every city and month, the differences flagged."""

from __future__ import annotations

import json

from tests.cli_support import scorecard
from tests.microdata_support import CASES, case_files, expected, place


def test_reported_and_derived_side_by_side_with_the_differences_flagged(tmp_path):
    where = place(tmp_path)
    reported = scorecard("--db", where.db, "import", CASES / "reconcile" / "月报.csv")
    assert reported.returncode == 0, reported.stderr
    where.imported(*case_files("timeliness"))
    done = where.run("reconcile", "--year", 2003, "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["rows"]
    assert {r["city"] for r in rows} == {"220100", "220200", "220300", "220400", "220500", "220600", "220700",
                                         "220800", "222400"}
    march = {r["measure"]: r for r in rows if r["city"] == "220100" and r["month"] == 3}
    for measure, want in expected("reconcile").items():
        assert {k: march[measure][k] for k in want} == want, measure
    assert march["benefits_paid_on_time"]["flagged"] and not march["benefits_payable"]["flagged"]
    table = where.run("reconcile", "--year", 2003, "--differences")
    line = next(line for line in table.stdout.splitlines() if "按时足额发放人次" in line and " 3月" in line)
    assert "长春市" in line and "※不一致" in line and "-1" in line
    assert not any("应发失业保险金人次" in line and " 3月" in line and "长春市" in line
                   for line in table.stdout.splitlines())


def _from_records(config_dir, measures=("benefits_payable", "benefits_paid_on_time")):
    catalogue = config_dir / "indicators.yaml"
    lines = catalogue.read_text(encoding="utf-8").splitlines()
    marked = [line.replace("}", ", source: records}") if any(line.startswith(f"  {m}:") for m in measures) else line
              for line in lines]
    catalogue.write_text("\n".join(marked) + "\n", encoding="utf-8")


def _timely_rate(db, config_dir=None) -> float:
    args = ["--config", config_dir] if config_dir else []
    done = scorecard(*args, "--db", db, "score", "--year", 2003, "--month", 3, "--format", "json")
    assert done.returncode == 0, done.stderr
    city = next(c for c in json.loads(done.stdout)["cities"] if c["city"] == "220100")
    return next(i for i in city["indicators"] if i["code"] == "timely_payment_rate")["actual"]


def test_a_measure_marked_source_records_is_scored_from_the_records(tmp_path, config_dir):
    where = place(tmp_path)
    assert scorecard("--db", where.db, "import", CASES / "reconcile" / "月报_全部按时.csv").returncode == 0
    where.imported(*case_files("timeliness"))
    assert _timely_rate(where.db) == 1.0                 # as the city reported: 10 of 10
    _from_records(config_dir)
    assert _timely_rate(where.db, config_dir) == 0.2     # as the records give: 2 of 10 on time and in full


def test_source_records_on_a_measure_the_records_do_not_give_is_a_config_problem(config_dir):
    _from_records(config_dir, ("new_insured_persons",))
    done = scorecard("--config", config_dir, "validate")
    assert done.returncode == 1
    assert "indicators.yaml:" in done.stderr and "统计项“new_insured_persons”不能由个人记录得出" in done.stderr
