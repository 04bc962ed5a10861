"""`scorecard score` as a process of its own (issue 16): it imports neither SQLAlchemy nor the config's file models,
pydantic or YAML when the records hold no decision of the years asked and the config comes from the cache, and
whether the records can hold one is told from the SQLite file (records/location.py) — never wrongly "no"."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

from conftest import writable_copy

from scorecard.actions.decisions import add_decision
from scorecard.data.store import Store
from scorecard.records.location import may_hold_decisions, records_path
from scorecard.roles import operator

PROBE = r"""
import io, json, sys, contextlib
from scorecard.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(sys.argv[1:])
heavy = sorted(m for m in ("sqlalchemy", "pydantic", "pydantic_core", "yaml", "pandas", "scorecard.config.schema",
                           "scorecard.config.yamlsource", "scorecard.rules.checking") if m in sys.modules)
print(json.dumps({"code": code, "heavy": heavy, "out": out.getvalue()}))
"""


def score_process(config_dir, db, *args) -> dict:
    run = subprocess.run([sys.executable, "-c", PROBE, "--config", str(config_dir), "--db", str(db), "score",
                          "--year", "2003", "--format", "json", *args],
                         capture_output=True, text=True, env=dict(os.environ), check=True)
    return json.loads(run.stdout)


def test_a_score_imports_only_what_it_needs(shipped_config_dir, demo_db, tmp_path, monkeypatch):
    db = writable_copy(demo_db, tmp_path)
    monkeypatch.setenv("SCORECARD_CACHE", str(tmp_path / "cache"))  # empty: the first process checks the files
    first = score_process(shipped_config_dir, db)  # the config checked (pydantic, YAML), the cache filled
    assert {"pydantic", "yaml", "scorecard.rules.checking"} <= set(first["heavy"])
    found = score_process(shipped_config_dir, db)
    assert found["code"] == 0 and found["out"] == first["out"] and json.loads(found["out"])["cities"]
    # the rules are made without their pydantic models, YAML's version is found without importing it
    assert found["heavy"] == []


def test_a_decision_on_record_is_counted_by_the_next_process(config, shipped_config_dir, demo_db, tmp_path):
    db = writable_copy(demo_db, tmp_path)
    before = json.loads(score_process(shipped_config_dir, db)["out"])
    first = before["cities"][0]["city"]
    add_decision(Store(db), operator("测试"), config, 2003, first, points=-40.0, reason="测试：扣分", decided_on=dt.date(2003, 12, 20))
    found = score_process(shipped_config_dir, db)
    after = {c["city"]: c for c in json.loads(found["out"])["cities"]}
    assert after[first]["adjustment"] == before["cities"][0]["adjustment"] - 40.0
    assert "sqlalchemy" in found["heavy"]  # the records were read


def test_whether_the_records_may_hold_a_decision(config, demo_db, tmp_path, monkeypatch):
    db = writable_copy(demo_db, tmp_path)
    assert not may_hold_decisions(tmp_path / "none.duckdb", (2002, 2003))  # no records file: nothing decided
    assert not may_hold_decisions(db, (2002, 2003))
    add_decision(Store(db), operator("测试"), config, 2002, "220100", points=1.0, reason="测试",
                 decided_on=dt.date(2002, 12, 1))
    assert may_hold_decisions(db, (2002, 2003)) and not may_hold_decisions(db, (2003, 2004))
    monkeypatch.setenv("SCORECARD_RECORDS_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert may_hold_decisions(db, (2003, 2004))  # another store: asked through it
    monkeypatch.delenv("SCORECARD_RECORDS_URL")
    records = records_path(db)
    records.write_bytes(b"not a database")
    for suffix in ("-wal", "-shm"):
        records.with_name(records.name + suffix).unlink(missing_ok=True)
    assert may_hold_decisions(db, (2003, 2004))  # damaged: the store says so in its words
