"""Saving next year's contracts drafted from this year's result (目标制定): by an assessor (roles.DECIDE; a refusal is
audited). The files are checked by loading them back before anything is written, written into a folder of their
own beside, and put in place of contracts/<year>/ with one rename in the transaction of their audit line, renamed
back when that transaction does not commit: all of them with their audit line, or none. Contracts already in that folder for the same cities are replaced only when `overwrite` is said."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .decisions import permitted
from ..assessment.drafting import Draft
from ..config import Config
from ..data.store import Store
from ..errors import InputError, cannot_write
from ..records import audit
from ..records.audit import Actor
from ..report.drafting import checked_contract_files, comparison_text
from ..roles import DECIDE, Principal


@dataclass(frozen=True)
class SavedDraft:
    folder: Path
    files: tuple[str, ...]     # the contracts written
    replaced: tuple[str, ...]  # the cities whose contract of the year was there before
    comparison: str            # against this year's contracts (report.drafting.comparison_text)


def existing_contracts(config: Config, draft: Draft) -> list[str]:
    """The names of the cities of the draft that already have a contract of the draft's year."""
    drafted = {c.city for c in draft.cities}
    return [config.city(c.city).name for c in config.contracts_for(draft.year) if c.city in drafted]


def save_draft(store: Store, by: Principal, config: Config, draft: Draft, *, overwrite: bool = False,
               address: str | None = None) -> SavedDraft:
    records = permitted(store, by, DECIDE, "保存下一年度目标责任书", address)
    replaced = existing_contracts(config, draft)
    if replaced and not overwrite:
        raise InputError(f"{draft.year}年已有{'、'.join(replaced)}的目标责任书（contracts/{draft.year}/），"
                         "确认覆盖后才能保存")
    folder = Path(config.directory) / "contracts" / str(draft.year)
    kept = _kept(config, draft, folder)
    files = checked_contract_files(config, draft, {name: data.decode("utf-8") for name, data in kept.items()
                                                   if name.endswith((".yaml", ".yml"))})
    try:
        staging = Path(tempfile.mkdtemp(prefix=".scorecard-draft-", dir=config.directory))
    except OSError as exc:
        raise InputError(cannot_write(exc, config.directory) or f"无法写入 {config.directory}：{exc}") from exc
    try:
        written = staging / "contracts"
        written.mkdir()
        for name, data in kept.items():
            (written / name).write_bytes(data)
        for name, text in files.items():
            (written / name).write_text(text, encoding="utf-8")
        swapped = False
        try:
            with records.write() as con:
                audit.insert(con, Actor.of(by, address), audit.TARGETS, target=f"{draft.year}年目标责任书",
                             detail=f"依据{draft.from_year}年考评结果起草，写入 contracts/{draft.year}/ 共{len(files)}份"
                                    + (f"，覆盖{'、'.join(replaced)}" if replaced else "")
                                    + (f"，考评人员修改{sum(p.edited for p in draft.proposals)}项" if any(
                                        p.edited for p in draft.proposals) else ""))
                _put_in_place(written, folder, staging)
                swapped = True
        except BaseException:
            if swapped:  # the files went in but their audit line did not: they go out again
                _take_back(written, folder, staging)
            raise
    except OSError as exc:
        raise InputError(cannot_write(exc, folder) or f"无法写入 {folder}：{exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return SavedDraft(folder, tuple(sorted(files)), tuple(replaced), comparison_text(draft))


def _kept(config: Config, draft: Draft, folder: Path) -> dict[str, bytes]:
    """The files of next year's folder that stay: every one but the contracts of the cities drafted (another city's
    contract, a note kept beside them)."""
    drafted = {c.city for c in draft.cities}
    replaced = {Path(c.source).name for c in config.contracts_for(draft.year) if c.city in drafted}
    if not folder.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and p.name not in replaced}


def _put_in_place(written: Path, folder: Path, staging: Path) -> None:
    """`written` becomes `folder`; the folder of before is moved aside first and back again when that fails."""
    before = staging / "before"
    had = folder.exists()
    if had:
        os.rename(folder, before)
    try:
        os.rename(written, folder)
    except OSError:
        if had:
            os.rename(before, folder)
        raise


def _take_back(written: Path, folder: Path, staging: Path) -> None:
    """Undoes `_put_in_place`: `folder` goes back to `written`, the folder of before (if any) to its place."""
    os.rename(folder, written)
    before = staging / "before"
    if before.exists():
        os.rename(before, folder)
