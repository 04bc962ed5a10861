"""While a large import runs, two browser sessions keep reloading pages: no exception, and the new data
shows once it is committed."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import reported, session_token, writable_copy
from live_server import Visit, streamlit_server

pytestmark = pytest.mark.browser
REPEATS = 10  # every key ten times with the same value: 697,680 rows, all checked
HOLD = "import duckdb, sys\ncon = duckdb.connect(sys.argv[1], read_only=True)\nprint('open', flush=True)\n" \
       "sys.stdin.readline()\ncon.close()\n"


def big_csv(config, path) -> int:
    # one value per city and month for all its measures: no numerator above its denominator (审核公式)
    rows = [f"{year},{month},{city.code},{measure},{(year * 7 + month * 3 + k) % 997}.5"
            for k, city in enumerate(config.cities)
            for year in range(1990, 2028) for month in range(1, 13) for measure in reported(config)]
    path.write_text("year,month,city,measure,value\n" + "\n".join(rows * REPEATS) + "\n", encoding="utf-8")
    return len(rows) * REPEATS


def test_pages_keep_working_during_a_large_import(browser, shipped_config_dir, config, demo_db, tmp_path):
    db = writable_copy(demo_db, tmp_path)
    source = tmp_path / "全省历年数据.csv"
    assert big_csv(config, source) > 500_000
    with streamlit_server(shipped_config_dir, db) as url:
        session = session_token(db)
        visits = [Visit(browser, f"{url}/", session), Visit(browser, f"{url}/data", session)]
        try:
            for visit, title in zip(visits, ("全省排名", "数据管理")):
                visit.settle(title)
            # a reader holds the file until each page has been reloaded once, so that the import cannot end
            # before: however loaded the machine, the pages are reloaded while it runs
            holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True)
            assert holder.stdout.readline().strip() == "open"
            said = open(tmp_path / "import.log", "w+")  # a file, not a pipe: a long report must not block the import
            importer = subprocess.Popen([sys.executable, "-m", "scorecard", "--config", str(shipped_config_dir),
                                         "--db", str(db), "import", str(source)],
                                        stdout=said, stderr=subprocess.STDOUT, text=True)

            def reload_both() -> int:
                """Reload each page; how many reloads ended with the import still running."""
                running = 0
                for visit, title in zip(visits, ("全省排名", "数据管理")):
                    visit.page.reload()
                    visit.drawn(title)
                    assert visit.page.locator('[data-testid="stException"]').count() == 0, visit.text()
                    running += importer.poll() is None
                return running

            held = reload_both()
            holder.communicate("release\n", timeout=120)
            while importer.poll() is None:             # and while it writes
                reload_both()
            importer.wait(timeout=120)
            said.seek(0)
            output = said.read()
            said.close()
            assert importer.returncode == 0, output
            assert held == 2, "the import ended while a reader still held the file"
            visits[1].page.reload()
            visits[1].settle("数据管理")
            assert "全省历年数据.csv" in visits[1].text()
            for visit in visits:
                assert not visit.errors, visit.errors
        finally:
            for visit in visits:
                visit.close()
