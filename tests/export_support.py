"""Fixtures and helpers shared by the export tests (imported by test_export_*.py)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

from scorecard.cli import main
from scorecard.actions.demo import build_demo
from scorecard.exports import FontError, export
from scorecard.exports.fonts import find_fonts
from scorecard.assessment.scoring import score_year
from scorecard.data.store import Store
from scorecard.config import load_config

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
YEAR, PROVISIONAL_MONTH = 2003, 6
REQUIRED = os.environ.get("SCORECARD_REQUIRE_BROWSER") == "1"   # CI: fonts and poppler must be there


def missing(reason: str):
    """Skip a test that needs something this machine lacks — except on CI, where it fails."""
    if REQUIRED:
        pytest.fail(f"{reason}（SCORECARD_REQUIRE_BROWSER=1）")
    pytest.skip(reason)


def need_fonts() -> None:
    try:
        find_fonts()
    except FontError as exc:
        missing(str(exc))


def need_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        missing(f"没有 {name}（Debian: apt-get install poppler-utils）")
    return path


class Demo:
    """The shipped config with the demo database in a temporary folder, and documents made from it."""

    def __init__(self, folder: Path):
        self.config_dir = ROOT / "config"
        self.config, problems = load_config(self.config_dir)
        assert not problems, problems
        self.db = folder / "demo.duckdb"
        self.store = Store(self.db)
        build_demo(self.store, self.config)
        self._documents = lru_cache(maxsize=None)(self._document)

    def result(self, month: int | None = None):
        return score_year(self.config, self.store, YEAR, month)

    def score_json(self, month: int | None = None) -> dict:
        """What `scorecard score --format json` prints: the reference every document must agree with."""
        argv = ["--config", str(self.config_dir), "--db", str(self.db), "score", "--year", str(YEAR),
                "--format", "json"] + (["--month", str(month)] if month else [])
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(argv) == 0
        return json.loads(out.getvalue())

    def document(self, kind: str, month: int | None = None) -> bytes:
        return self._documents(kind, month)

    def _document(self, kind: str, month: int | None) -> bytes:
        return export(kind, self.result(month), self.config, self.store)


def pdf_pages_text(data: bytes, folder: Path) -> list[str]:
    """The text of each page, as pdftotext extracts it (pypdf puts spaces between CJK glyphs)."""
    pdftotext = need_tool("pdftotext")
    path = folder / "document.pdf"
    path.write_bytes(data)
    text = subprocess.run([pdftotext, "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True).stdout
    pages = text.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def collector_states(monkeypatch, module, name: str) -> list[bool]:
    """Whether Python's cycle collector is on, each time `module.name` is called (a step inside a document's
    build): the list fills as the document is made."""
    import gc

    seen: list[bool] = []
    step = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a: seen.append(gc.isenabled()) or step(*a))
    return seen
