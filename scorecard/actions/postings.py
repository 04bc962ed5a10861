"""The 公示 lists of a city's month written into a folder, one PDF per street or community, and — when the day they
were posted is given — logged in the records store (records.postings). The permission is checked first (a refusal
is audited): a city's reporter (市州填报) logs their own city's lists, the province's reviewer (省级审核) any city's,
as with the outcomes of the rule checks (actions.finding_checks); handing the lists out without logging them is an
export (roles.EXPORT).
The files are written into a folder of their own inside the target, moved into place, then logged and audited in
one transaction; when that fails they are taken out again and whatever they replaced put back: all or none.
On the 规则核查 page a list (or all of a city's month) is logged as posted without a folder (post_lists): the PDFs
are drawn as the command would write them for that day, and only their digests kept."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .decisions import permitted_for_city
from .finding_checks import permission_for
from ..config import Config
from ..data.store import Store
from ..errors import InputError, cannot_write
from ..records import audit, postings as recorded
from ..records.audit import Actor
from ..roles import EXPORT, Principal


@dataclass(frozen=True)
class ListFile:
    community: str
    recipients: int
    name: str          # the file's name in the folder
    data: bytes
    digest: str        # SHA-256 of `data`


@contextmanager
def _placed(files: Sequence[ListFile], out: Path):
    """The files in `out` for the block; when the block fails, taken out again and the files they replaced back."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=".scorecard-posting-", dir=out))
    except OSError as exc:
        raise InputError(cannot_write(exc, out) or f"无法写入 {out}：{exc}") from exc
    (staging / "new").mkdir()
    (staging / "before").mkdir()
    moved: list[str] = []
    placed = False
    try:
        for f in files:
            (staging / "new" / f.name).write_bytes(f.data)
        for f in files:
            if (out / f.name).exists():
                os.rename(out / f.name, staging / "before" / f.name)
            moved.append(f.name)
            os.rename(staging / "new" / f.name, out / f.name)
        placed = True
        yield [out / f.name for f in files]
    except BaseException as exc:
        for name in reversed(moved):
            if (out / name).exists():
                os.rename(out / name, staging / "new" / name)
            if (staging / "before" / name).exists():
                os.rename(staging / "before" / name, out / name)
        if not placed and isinstance(exc, OSError) and (said := cannot_write(exc, out)):
            raise InputError(said) from exc
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _permitted(store: Store, by: Principal, config: Config, year: int, month: int, city: str,
               posted_on: dt.date | None, address: str | None):
    """The records and the words of the lists, when `by` may hand them out (or log them as posted)."""
    target = f"{config.city(city).name}{year}年{month}月公示名单"
    permission = EXPORT if posted_on is None else permission_for(by)
    what = f"{'导出' if posted_on is None else '登记'}{target}"
    # the person records may be all there is beside a data database not made yet
    records = permitted_for_city(store, by, permission, config, city, what, address, existing=False)
    if posted_on is not None:
        recorded.checked_day(year, month, posted_on)
    return records, target


def _log(con, by: Principal, address: str | None, year: int, month: int, city: str, files: Sequence[ListFile],
         posted_on: dt.date, target: str, where: str) -> None:
    recorded.add(con, [recorded.Posting(year, month, city, f.community, f.recipients, f.digest, posted_on, by.user)
                       for f in files])
    audit.insert(con, Actor.of(by, address), audit.POSTING, target=target,
                 detail=f"已登记{len(files)}个街道社区的公示名单，共{sum(f.recipients for f in files)}人，"
                        f"{posted_on:%Y-%m-%d}公示，{where}。")


def issue_lists(store: Store, by: Principal, config: Config, year: int, month: int, city: str,
                files: Sequence[ListFile], out: Path, posted_on: dt.date | None = None,
                address: str | None = None) -> list[Path]:
    """Write `files` (exports.posting) into the folder `out`; with `posted_on`, log them as posted that day."""
    records, target = _permitted(store, by, config, year, month, city, posted_on, address)
    out = Path(out).absolute()
    if not out.is_dir():
        raise InputError(f"输出目录不存在：{out}")
    with _placed(files, out) as paths, records.write() as con:
        if posted_on is None:
            audit.insert(con, Actor.of(by, address), audit.EXPORT, target=target,
                         detail=f"已导出{len(files)}个街道社区的公示名单，共{sum(f.recipients for f in files)}人，"
                                f"写出到 {out}。")
        else:
            _log(con, by, address, year, month, city, files, posted_on, target, f"写出到 {out}")
    return paths


def post_lists(store: Store, by: Principal, config: Config, year: int, month: int, city: str,
               posted_on: dt.date, communities: Sequence[str] | None = None,
               address: str | None = None) -> list[ListFile]:
    """Log the lists of a city's month as posted on `posted_on`: the communities given, or all (None). Each list's
    PDF is drawn as `scorecard records posting --posted-on` writes it for that day, and its digest logged."""
    from ..exports.posting import posting_files       # which draws ListFiles of this module
    from ..microdata import settings
    from ..microdata.posting import community_lists
    from ..microdata.store import PersonStore

    records, target = _permitted(store, by, config, year, month, city, posted_on, address)
    lists = community_lists(PersonStore.beside(store.path), config, year, month, city)
    if communities is not None:
        unknown = set(communities) - {x.community for x in lists}
        if unknown:
            raise InputError(f"{target}中没有{'、'.join(sorted(unknown))}")
        lists = [x for x in lists if x.community in set(communities)]
    if not lists:
        raise InputError(f"{config.city(city).name}{year}年{month}月末没有领取失业保险金的人员，没有名单可公示")
    files = posting_files(lists, config, settings.load(config.directory).posting, posted_on, posted_on)
    with records.write() as con:
        _log(con, by, address, year, month, city, files, posted_on, target, "在网页登记")
    return files
