"""Shared fixtures: temporary config folders and databases, and the CLI run in-process."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from scorecard.cli import main
from scorecard.validation import load_config

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_CONFIG = ROOT / "config"
EXAMPLE = Path(__file__).resolve().parent / "data" / "example"


@dataclass
class CliRun:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys):
    """Run `scorecard …` in-process; returns exit code, stdout and stderr."""

    def run(*args) -> CliRun:
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse misuse
            code = exc.code
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err)

    return run


@pytest.fixture
def config_dir(tmp_path) -> Path:
    """A writable copy of the shipped config folder."""
    target = tmp_path / "config"
    shutil.copytree(SHIPPED_CONFIG, target)
    return target


@pytest.fixture
def config(config_dir):
    """The checked Config of a writable copy of the shipped config folder."""
    config, problems = load_config(config_dir)
    assert not problems, problems
    return config


@pytest.fixture
def example_dir(tmp_path) -> Path:
    """A writable copy of the worked example (config, actuals.csv, expected/)."""
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture(autouse=True)
def _no_ambient_paths(monkeypatch):
    """Tests never read the developer's own data/ or a config set in the shell."""
    for name in ("SCORECARD_CONFIG", "SCORECARD_DB"):
        monkeypatch.delenv(name, raising=False)
    os.environ.setdefault("SCORECARD_DEBUG", "")
