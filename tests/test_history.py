"""Nothing imported is lost: revisions, the import log, the kept originals, and scores as they stood then."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json

import pytest
from intake_support import HEADER

from scorecard.cli import main
from scorecard.formatting import display_width
from scorecard.data.history import as_of, imports, revisions
from scorecard.data.store import Store, StoreError


def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main([str(a) for a in args])
    return code, out.getvalue()


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    """The demo database (imports 1 and 2), the outputs as they stood, then a correction by 张三 (import 3)."""
    from conftest import SHIPPED_CONFIG

    folder = tmp_path_factory.mktemp("history")
    db = folder / "db.duckdb"
    base = ("--config", SHIPPED_CONFIG, "--db", db)
    assert run(*base, "demo")[0] == 0
    before = {name: run(*base, *args)[1] for name, args in {
        "score": ("score", "--year", 2003, "--format", "json"),
        "warn": ("warn", "--year", 2003, "--month", 12, "--format", "json"),
        "table": ("score", "--year", 2003)}.items()}
    correction = folder / "长春市12月更正.csv"
    correction.write_text(HEADER + "".join(f"2003,{m},220100,contributions_collected,{100 + m}\n" for m in (11, 12))
                          + "2003,12,220400,fund_balance,99999\n", encoding="utf-8")
    code, out = run("--user", "张三", *base, "import", correction)
    assert code == 0 and "第3次导入" in out, out
    return {"db": db, "base": base, "before": before, "correction": correction}


def test_history_lists_each_replaced_value_with_its_source(scene):
    code, out = run(*scene["base"], "history", "--city", "长春市", "--year", 2003, "--measure", "实缴失业保险费")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "数据修订记录（2003年、长春市、实缴失业保险费）：共3条"
    assert "原值" in lines[2] and "新值" in lines[2] and "导入人" in lines[2]
    newest = [line for line in lines if line.startswith("第3次")]
    assert len(newest) == 2 and all("张三" in line and "长春市12月更正.csv" in line and "第1次 演示数据" in line
                                    for line in newest)
    assert any("2003年12月" in line and "112" in line for line in newest)
    assert len({display_width(line[:line.index("2003年")]) for line in lines[4:]}) == 1  # an aligned table


def test_history_json_and_filters(scene):
    code, out = run(*scene["base"], "history", "--format", "json", "--measure", "fund_balance")
    data = json.loads(out)["revisions"]
    assert code == 0 and len(data) == 1
    revision = data[0]
    assert (revision["city"], revision["month"], revision["new_value"]) == ("220400", 12, 99999.0)
    assert revision["new_import"]["id"] == 3 and revision["new_import"]["imported_by"] == "张三"
    assert revision["new_import"]["sha256"] == hashlib.sha256(scene["correction"].read_bytes()).hexdigest()
    assert revision["old_import"]["id"] == 1 and revision["old_value"] != 99999.0
    code, out = run(*scene["base"], "history", "--city", "吉林市", "--year", 2002)
    assert code == 0 and "共0条" in out
    assert run(*scene["base"], "history", "--city", "长沙市")[0] == 1


def test_import_log_and_the_kept_original(scene):
    code, out = run(*scene["base"], "history", "--imports")
    assert code == 0 and out.startswith("导入记录：共3次")
    log = imports(Store(scene["db"]))
    assert [r.import_id for r in log] == [3, 2, 1]
    assert (log[0].imported_by, log[0].file_name, log[0].new, log[0].replaced) == ("张三", "长春市12月更正.csv", 0, 3)
    assert log[0].original.read_bytes() == scene["correction"].read_bytes()
    assert log[0].sha256[:12] in out and str(log[0].original) in out


def test_score_as_of_an_import_reproduces_the_earlier_result(scene):
    base, before = scene["base"], scene["before"]
    now = run(*base, "score", "--year", 2003, "--format", "json")[1]
    assert now != before["score"]
    assert run(*base, "score", "--year", 2003, "--format", "json", "--as-of-import", 2)[1] == before["score"]
    assert run(*base, "score", "--year", 2003, "--format", "json", "--as-of-import", 3)[1] == now
    code, table = run(*base, "score", "--year", 2003, "--as-of-import", 2)
    assert code == 0 and "数据版本：第2次导入" in table
    assert table.replace(table.splitlines()[1] + "\n", "") == before["table"]


def test_score_as_of_a_date(scene):
    base = scene["base"]
    today = dt.date.today().isoformat()
    assert run(*base, "score", "--year", 2003, "--format", "json", "--as-of", today)[1] == \
        run(*base, "score", "--year", 2003, "--format", "json")[1]
    code, _ = run(*base, "score", "--year", 2003, "--as-of", "2000-01-01")
    assert code == 1
    assert run(*base, "score", "--year", 2003, "--as-of-import", 9)[0] == 1
    with pytest.raises(StoreError, match="没有第9次导入"):
        as_of(Store(scene["db"]), import_id=9)
    with pytest.raises(StoreError, match="之前没有任何导入"):
        as_of(Store(scene["db"]), when=dt.date(2000, 1, 1))


def test_warn_as_of_an_import(scene):
    base, before = scene["base"], scene["before"]
    now = run(*base, "warn", "--year", 2003, "--month", 12, "--format", "json")[1]
    assert now != before["warn"]
    assert run(*base, "warn", "--year", 2003, "--month", 12, "--format", "json", "--as-of-import", 2)[1] == \
        before["warn"]


def test_revisions_for_the_app(scene):
    found = revisions(Store(scene["db"]), city="220400")
    assert [(r.year, r.month, r.measure, r.new_value, r.new_imported_by) for r in found] == [
        (2003, 12, "fund_balance", 99999.0, "张三")]
    assert revisions(Store(scene["db"].with_name("none.duckdb"))) == []
