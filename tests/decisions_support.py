"""The worked example imported into a database of its own, with its records on the backend of `records_url`,
and the CLI run on it (tests of decisions on record and of publication)."""

from __future__ import annotations


def imported_example(cli, example_dir, records_url, monkeypatch, tmp_path):
    monkeypatch.setenv("SCORECARD_RECORDS_URL", records_url)
    db = tmp_path / "example.duckdb"
    done = cli("--config", example_dir / "config", "--db", db, "import", example_dir / "actuals.csv")
    assert done.code == 0, done.err
    return example_dir, db


def run(cli, example, *args):
    folder, db = example
    return cli("--config", folder / "config", "--db", db, *args)
