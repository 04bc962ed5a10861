"""Derived against reported (`scorecard records reconcile`): every city and month, the differences flagged."""

from __future__ import annotations

import json

from tests.cli_support import scorecard
from tests.microdata_support import CASES, case_files, expected, place


def test_reported_and_derived_side_by_side_with_the_differences_flagged(tmp_path):
    where = place(tmp_path)
    reported = scorecard("--db", where.db, "import", CASES / "reconcile" / "月报.csv")
    assert reported.returncode == 0, reported.stderr
    assert where.import_(*case_files("timeliness")).returncode == 0
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
