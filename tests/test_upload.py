"""The core of the 数据管理 upload: prepare (parse, check, preview, summary) without writing, then commit."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading

import pytest
from intake_support import HEADER, snapshot, table, values

from scorecard.records.audit import Actor
from scorecard.actions.imports import import_file
from scorecard.data.intake import CHANGES, PREVIEW_COLUMNS, prepare
from scorecard.data.store import Store


@pytest.fixture
def db(config, tmp_path):
    path = tmp_path / "x.duckdb"
    seed = tmp_path / "seed.csv"
    seed.write_text(HEADER + "2003,1,220100,fund_income,100\n2003,1,220100,fund_balance,900\n", encoding="utf-8")
    assert import_file(Store(path), config, seed).ok
    return path


UPLOAD = (HEADER + "2003,1,长春市,fund_income,120\n2003,1,220100,fund_balance,900\n"
          "2003,2,延边州,fund_income,\"1,000\"\n").encode("gb18030")


def test_prepare_checks_and_previews_without_writing(config, db):
    before = snapshot(db)
    with prepare(config, Store(db), UPLOAD, file_name="长春市2月.csv") as prepared:
        assert prepared.ok and prepared.problems == [] and prepared.rows == 3
        assert (prepared.new, prepared.replaced, prepared.unchanged) == (1, 1, 1)
        assert prepared.format == "CSV 长格式，GB18030编码"
        assert "导入后新增1条，替换1条，未变1条" in prepared.summary()
        preview = prepared.preview()
        assert list(preview.columns) == list(PREVIEW_COLUMNS)
        assert preview[["line", "city_name", "measure", "value", "change"]].values.tolist() == [
            [2, "长春市", "fund_income", 120.0, "replaced"],
            [3, "长春市", "fund_balance", 900.0, "unchanged"],
            [4, "延边朝鲜族自治州", "fund_income", 1000.0, "new"]]
        assert preview["old_value"].tolist()[:2] == [100.0, 900.0] and preview["old_value"].isna().tolist()[2]
        assert set(preview["change"].map(CHANGES)) == {"替换", "未变", "新增"}
        assert len(prepared.preview(limit=1)) == 1
        staging = prepared.workdir
        assert staging.exists()
    assert not staging.exists()  # discarded on leaving the block
    assert snapshot(db) == before


def test_commit_writes_what_the_preview_said_and_keeps_the_original(config, db):
    prepared = prepare(config, Store(db), UPLOAD, file_name="长春市2月.csv")
    result = prepared.commit(actor=Actor("李四"))
    assert result.ok and (result.import_id, result.new, result.replaced, result.unchanged) == (2, 1, 1, 1)
    assert values(db)[(2003, 1, "220100", "fund_income")] == 120.0
    assert table(db, "SELECT file_name, imported_by FROM imports WHERE import_id = 2") == [("长春市2月.csv", "李四")]
    assert result.original.name == hashlib.sha256(UPLOAD).hexdigest() and result.original.read_bytes() == UPLOAD
    again = prepare(config, Store(db), UPLOAD, file_name="长春市2月.csv")
    assert (again.new, again.replaced, again.unchanged) == (0, 0, 3) and again.imported_before == [2]
    assert "同一文件已于第2次导入过" in again.summary()
    before = snapshot(db)
    assert again.commit(actor=Actor("李四")).import_id is None and snapshot(db) == before
    again.discard()


def test_a_file_with_problems_cannot_be_committed(config, db):
    prepared = prepare(config, Store(db), (HEADER + "2003,1,220100,fund_income,x\n2003,1,220100,fund_balance,5\n")
                       .encode(), file_name="bad.csv")
    assert not prepared.ok and prepared.problem_count == 1 and prepared.new is None
    assert str(prepared.problems[0]) == "bad.csv:2: value列：失业保险基金收入“x”不是数字"
    assert prepared.preview()["measure"].tolist() == ["fund_balance"]  # the clean rows can still be shown
    before = snapshot(db)
    result = prepared.commit(actor=Actor("李四"))
    assert not result.ok and result.import_id is None and snapshot(db) == before
    assert "整个文件未导入" in result.summary()


def test_an_upload_into_a_database_that_does_not_exist_yet(config, tmp_path):
    store = Store(tmp_path / "new.duckdb")
    prepared = prepare(config, store, UPLOAD, file_name="a.csv")
    assert (prepared.new, prepared.replaced, prepared.unchanged) == (3, 0, 0) and not store.exists()
    assert prepared.commit(actor=Actor("李四")).new == 3 and len(values(store.path)) == 3


def test_the_importer_waits_while_another_process_reads(config, db, tmp_path):
    """The reader holds the file until the importer has said it waits, whatever the machine's load: no sleep, no
    clock; the timeouts only end a test that has failed already."""
    reader = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys\n"
        f"con = duckdb.connect({str(db)!r}, read_only=True)\n"
        "print('open', flush=True)\n"
        "sys.stdin.readline()\n"
        "con.close()\n")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "open"
    messages, waiting, done = [], threading.Event(), {}
    path = tmp_path / "a.csv"
    path.write_bytes(UPLOAD)

    def on_wait(message: str) -> None:
        messages.append(message)
        waiting.set()

    importer = threading.Thread(target=lambda: done.setdefault("result", import_file(Store(db), config, path,
                                                                                      on_wait=on_wait)))
    importer.start()
    try:
        assert waiting.wait(timeout=120), "the importer never waited for the reader"
        assert "result" not in done           # it waits, and writes nothing while the reader has the file
    finally:
        reader.communicate("close\n", timeout=120)
    importer.join(timeout=120)
    result = done["result"]
    assert result.ok and result.import_id == 2 and values(db)[(2003, 2, "222400", "fund_income")] == 1000.0
    assert messages == ["数据库正被其他程序读取，等待其释放后继续……"]
