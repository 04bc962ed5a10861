"""The unit of an import: the values merged, the original kept and the audit line written — all three or none
(`write`), and said in Chinese when the disk or a folder refuses (`ImportFailed`)."""

from __future__ import annotations

import secrets
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from .. import clock, errors
from ..config.yamlsource import Problem
from ..records import audit
from ..records.audit import Actor
from ..records.store import Records
from .history import OriginalCopy
from .store import Store, StoreError

MERGE_MEMORY = "1GB"  # DuckDB's own limit; it spills to disk beyond

class ImportFailed(StoreError):
    """An import that could not be written — nothing of it was — said in Chinese."""

    def __init__(self, display: str, why: str, changed: str = "整个文件未导入，数据库、原件和审计日志都没有改动"):
        super().__init__(f"{display}：{why}。{changed}")


@contextmanager
def failing_as(display: str, what: str, where: Path):
    """Errors of writing in `where` (a full disk, a read-only folder…) as an ImportFailed: `what` failed."""
    try:
        yield
    except ImportFailed:
        raise
    except StoreError as exc:  # said in Chinese already
        raise ImportFailed(display, f"{what}：{exc}") from exc
    except (OSError, duckdb.Error, SQLAlchemyError) as exc:
        reason = errors.cannot_write(exc, where.absolute())
        raise ImportFailed(display, f"{what}：{reason}" if reason else f"{what}（{where.absolute()}）") from exc


@dataclass
class ImportResult:
    file: str
    sha256: str
    rows: int = 0
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    import_id: int | None = None
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    format: str = ""
    original: Path | None = None
    warnings: list[Problem] = field(default_factory=list)  # soft 审核公式 not met, kept in the audit line
    note: str | None = None                                 # e.g. 在线填报: who entered, who accepted

    def audited(self) -> str:
        """The audit line's detail: the summary, the note, the warnings of the 审核公式."""
        text = self.summary() + (f"。{self.note}" if self.note else "")
        if self.warnings:
            text += f"。审核公式提示{len(self.warnings)}处：" + "；".join(
                f"第{w.line}行 {w.message}" if w.line else w.message for w in self.warnings)
        return text

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            return f"{self.file}：发现{self.problem_count or len(self.problems)}处问题，整个文件未导入，数据库保持不变"
        if self.import_id is None:
            return f"{self.file}：{self.rows}条数据与数据库中已有的完全相同，未做任何改动"
        return (f"{self.file}：已导入（第{self.import_id}次导入，{self.format}），新增{self.new}条，"
                f"替换{self.replaced}条（原值已存入修订记录），未变{self.unchanged}条")




def write(prepared, con, result: ImportResult, actor: Actor, original: OriginalCopy, records: Records,
          also=None) -> None:
    """The unit, in the order PreparedImport.commit describes; `con` holds the data's write lock. `also(log,
    result)` writes more into the audit line's transaction."""
    data = prepared.store.path.parent
    alias = f"staged_{secrets.token_hex(6)}"
    con.execute(f"ATTACH $path AS {alias} (READ_ONLY)", {"path": str(prepared.staging)})
    con.execute("BEGIN TRANSACTION")
    try:
        if not merge(con, incoming(alias), result, actor.who):
            con.execute("ROLLBACK")
            return
        with failing_as(prepared.display, "无法写入审计日志", records.path or data), \
                records.engine.connect() as log:
            log.execution_options(write=True)
            line = log.begin()
            try:
                audit.insert(log, actor, audit.IMPORT, target=prepared.file_name, detail=result.audited())
                if also is not None:
                    also(log, result)
                with failing_as(prepared.display, "无法保存原件", original.folder):
                    original.keep()
                with failing_as(prepared.display, "无法写入数据库", data):
                    con.execute("COMMIT")
            except BaseException:
                with suppress(SQLAlchemyError):
                    line.rollback()
                original.drop()
                raise
            try:
                line.commit()
            except BaseException:
                _undo(prepared, con, result, original)
                raise
    except BaseException:
        with suppress(duckdb.Error):  # none is open after a COMMIT, failed or not
            con.execute("ROLLBACK")
        raise
    finally:
        with suppress(duckdb.Error):  # the connection is closed next in any case
            con.execute(f"DETACH {alias}")

def _undo(prepared, con, result: ImportResult, original: OriginalCopy) -> None:
    """Take the import just committed out again: it is the latest, and `con` still holds the write lock."""
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM actuals WHERE import_id = $id", {"id": result.import_id})
        con.execute("""
            INSERT INTO actuals SELECT year, month, city, measure, old_value, old_import_id
            FROM actuals_history WHERE new_import_id = $id""", {"id": result.import_id})
        con.execute("DELETE FROM actuals_history WHERE new_import_id = $id", {"id": result.import_id})
        con.execute("DELETE FROM imports WHERE import_id = $id", {"id": result.import_id})
        con.execute("COMMIT")
    except (OSError, duckdb.Error) as exc:
        why = errors.cannot_write(exc, prepared.store.path.parent.absolute()) or f"无法写入 {prepared.store.path.absolute()}"
        raise ImportFailed(prepared.display, f"审计日志未能写入，撤销这次导入也没有成功（{why}）",
                           f"第{result.import_id}次导入已写入数据库和原件，但审计日志中没有记录，"
                           "请告知系统管理员补记") from exc
    original.drop()



def incoming(alias: str) -> str:
    """The staged clean values with their codes, as the database stores them."""
    return (f"(SELECT c.year, c.month, u.city, i.measure, c.value, c.pos FROM {alias}.clean c "
            f"JOIN {alias}.units u USING (city_id) JOIN {alias}.items i USING (measure_id))")


def merge(con, incoming: str, result: ImportResult, user: str | None) -> bool:
    """Inside the caller's open transaction: new values in, replaced values into the history, one import record
    (its number in `result`). `incoming` is a relation (year, month, city, measure, value) with one row per key.
    Whether anything changed; when nothing did, nothing was written."""
    con.execute(f"SET memory_limit = '{MERGE_MEMORY}'")
    import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchone()[0]
    con.execute(f"""
        CREATE TEMP TABLE replaced AS
        SELECT i.year, i.month, i.city, i.measure, i.value, a.value AS old_value, a.import_id AS old_import_id
        FROM {incoming} i JOIN actuals a USING (year, month, city, measure) WHERE a.value <> i.value""")
    # the new values straight in, not copied into a table of changes first (a copy of every row of a first import)
    result.new = con.execute(f"""
        INSERT INTO actuals SELECT i.year, i.month, i.city, i.measure, i.value, $id
        FROM {incoming} i ANTI JOIN actuals a USING (year, month, city, measure)""", {"id": import_id}).fetchone()[0]
    result.replaced = con.execute("SELECT count(*) FROM replaced").fetchone()[0]
    result.unchanged = result.rows - result.new - result.replaced
    if result.new + result.replaced == 0:
        con.execute("DROP TABLE replaced")
        return False
    con.execute("""
        INSERT INTO imports VALUES ($id, $file, $sha, $now, $user, $total, $new, $replaced,
                                    $unchanged)""",
                {"id": import_id, "file": Path(result.file).name, "sha": result.sha256, "user": user,
                 "now": clock.now(), "total": result.rows, "new": result.new, "replaced": result.replaced,
                 "unchanged": result.unchanged})
    if result.replaced:
        con.execute("""
            INSERT INTO actuals_history
            SELECT year, month, city, measure, old_value, old_import_id, value, $id FROM replaced""", {"id": import_id})
        con.execute("""
            DELETE FROM actuals a USING replaced r
            WHERE a.year = r.year AND a.month = r.month AND a.city = r.city AND a.measure = r.measure""")
        con.execute("INSERT INTO actuals SELECT year, month, city, measure, value, $id FROM replaced", {"id": import_id})
    con.execute("DROP TABLE replaced")
    result.import_id = import_id
    return True


def apply_rows(store: Store, frame: pd.DataFrame, file_name: str, sha: str, *, user=None, on_wait=None,
               ) -> ImportResult:
    """Merge rows that are already clean codes (the demo generator's, which the demo's own audit line covers),
    one per key."""
    result = ImportResult(file_name, sha, rows=len(frame), format="程序生成")
    with store.writer(on_wait=on_wait) as con:
        con.register("incoming_frame", frame)
        con.execute("BEGIN TRANSACTION")
        try:
            merge(con, "(SELECT year::SMALLINT AS year, month::TINYINT AS month, city::VARCHAR AS city, "
                       "measure::VARCHAR AS measure, value::DOUBLE AS value FROM incoming_frame)", result, user)
            con.execute("COMMIT")
        except BaseException:
            with suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
        finally:
            con.unregister("incoming_frame")
    return result
