"""Wall time of the meeting documents (xlsx, docx, pdf) — run by hand, not a test.

    .venv/bin/python benchmarks/run.py --cases exports [--scales 9,60,330,2800]

Targets: all three documents for the nine demo cities in under 3 s, for 330 units in under 15 s.
The year's result is scored first and not counted (the app has it cached when a button is clicked);
the imports of the document libraries and the search for a CJK font, paid once per process, are timed
apart. Wall time is what counts; CPU time is kept beside it because on a shared machine the wall time
also measures the other processes (the two agree on a quiet machine).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import probe  # noqa: E402

YEAR = 2003


def warm_up() -> float:
    """Seconds to import the document libraries and find the fonts (once per process)."""
    start = time.perf_counter()
    import matplotlib.figure  # noqa: F401

    from scorecard.exports import excel, pdf, word
    from scorecard.exports.fonts import find_fonts

    find_fonts()
    return time.perf_counter() - start


def documents(config_dir: Path, db: Path, year: int = YEAR) -> dict:
    """Each document's wall and CPU seconds and size, and the three together."""
    from scorecard.exports import FORMATS, export
    from scorecard.assessment.scoring import score_year
    from scorecard.data.store import Store
    from scorecard.config import load_config

    config, problems = load_config(config_dir)
    assert not problems, problems[:3]
    store = Store(db)
    result = score_year(config, store, year)
    figures = {"imports": warm_up(), "units": len(result.cities), "kinds": {}}
    for kind in FORMATS:
        start, cpu = time.perf_counter(), time.process_time()
        data = export(kind, result, config, store)
        figures["kinds"][kind] = {"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                                  "kb": len(data) / 1024}
    figures["wall"] = sum(k["wall"] for k in figures["kinds"].values())
    figures["cpu"] = sum(k["cpu"] for k in figures["kinds"].values())
    figures["peak_mb"] = probe.peak_mb()
    return figures
