"""A data folder and a key file outside it, and the installed `scorecard records …` run against them."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

from scorecard.actions.person_records import import_records
from scorecard.config import load_config
from scorecard.data.store import Store
from scorecard.roles import operator
from scorecard.microdata.measures import derived_frame, wide
from scorecard.microdata.personid import KEY_ENV, new_key
from scorecard.microdata.store import PersonStore
from tests.cli_support import scorecard

CASES = Path(__file__).with_name("microdata")


@dataclass
class RecordsPlace:
    root: Path

    @property
    def db(self) -> Path:
        return self.root / "data" / "scorecard.duckdb"

    @property
    def persons(self) -> Path:
        return self.root / "data" / "scorecard.persons.duckdb"

    @property
    def key(self) -> Path:
        return self.root / "keys" / "person.key"

    def run(self, *args, key: Path | None = None):
        return scorecard("--db", self.db, "records", *args, env={"SCORECARD_PERSON_KEY": str(key or self.key)})

    def import_(self, *files):
        return self.run("import", *files)

    def imported(self, *files) -> None:
        """Import in this process, through the actions layer as the command does (where the command is not the
        point: quicker)."""
        saved = os.environ.get(KEY_ENV)
        os.environ[KEY_ENV] = str(self.key)
        try:
            import_records(Store(self.db), load_config(Path("config"))[0], files, operator("test"))
        finally:
            os.environ.pop(KEY_ENV) if saved is None else os.environ.update({KEY_ENV: saved})

    def derive(self, year: int = 2003, *more) -> list[dict]:
        """What `scorecard records derive --format json` prints."""
        done = self.run("derive", "--year", year, "--format", "json", *more)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)["rows"]

    def derived(self, year: int = 2003, as_of: int | None = None) -> list[dict]:
        """The same figures from the core, in this process (quicker where the command is not the point)."""
        frame = wide(derived_frame(PersonStore(self.persons), load_config(Path("config"))[0], year, as_of=as_of))
        return frame.to_dict("records")

    def rows(self, sql: str) -> list[tuple]:
        con = duckdb.connect(str(self.persons), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()


def place(tmp_path: Path) -> RecordsPlace:
    where = RecordsPlace(tmp_path)
    new_key(where.key, where.db.parent)
    return where


def case_files(name: str) -> list[Path]:
    return sorted((CASES / name).glob("*.csv"))


def expected(name: str) -> dict:
    return yaml.safe_load((CASES / name / "期望.yaml").read_text(encoding="utf-8"))


def copy_case(name: str, to: Path) -> list[Path]:
    to.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(path, to / path.name)) for path in case_files(name)]


def month_row(rows: list[dict], city: str, month: int) -> dict:
    return next(r for r in rows if r["city"] == city and r["month"] == month)
