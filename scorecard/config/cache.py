"""Checked configs kept on disk, so that a process that starts often — each `scorecard` command, a
restarted app — need not parse and check thousands of contracts again (2,800 units: 5,600 contract
files, about 4 s to check; a hit takes about 0.4 s, most of it reading the files to hash them;
benchmarks/bench_validation.py). An entry is the config as plain data (plain.py), in JSON.

An entry is keyed by sha256 over
- the config's fingerprint (every file's path within the folder and its bytes, as `Config.fingerprint`),
- the folder as it was named and the names of its sub-folders (messages name files by the folder; a
  sub-folder that is not a year is a problem even when empty),
- the code that reads a config (every module of this package and of scorecard/rules) and the Python and PyYAML versions,
so a hit is the Config that checking the same bytes with the same code gives. Only configs without
problems are stored: a config with problems is checked every time, and its problems always said.

Reading 5,600 files to hash them was most of a hit, so a hit also records (a `.stamp` beside the entries) the
fingerprint the files had with their names, sizes and modification times (files.config_stamp); while these are
the same, the files are not read again. A stamp is recorded only when the newest file is some seconds old, so
that a file rewritten within the clock's granularity (same size, same time) is never taken as unchanged.

Safety: an entry runs no code when read, but it is taken as checked, so entries live in a folder of the user's own
(SCORECARD_CACHE, else $XDG_CACHE_HOME/scorecard or ~/.cache/scorecard), made 0700 and written 0600
by rename; an entry is only read when it and its folder belong to the user running this and nobody else
may write to them, and a symbolic link is never followed. A loaded entry must also carry the fingerprint
of the files just read. SCORECARD_CACHE=off turns the cache off; a cache that cannot be read or written
is passed over in silence: the config is then checked as without it.

Other caches of derived values (the previous year's final ranks, assessment/scoring.py) keep their entries in
folders of their own beside it, read and written by the same rules (`read_entry`, `write_entry`).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import json
import stat
import sys
import time
from pathlib import Path

from .. import private
from ..frozen import collector_paused
from .model import Config
from .plain import FORMAT, from_plain, to_plain

CACHE_ENV = "SCORECARD_CACHE"
OFF = {"off", "0", "no", "false", "none"}
KEEP = 8  # entries kept: a few configs (and versions of one) side by side
RACY_SECONDS = 2
PACKAGES = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "rules")  # config and its rules


def cache_folder(kind: str = "config") -> Path | None:
    setting = os.environ.get(CACHE_ENV, "").strip()
    if setting.lower() in OFF:
        return None
    if setting:
        return Path(setting) / kind
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "scorecard" / kind


def code_version() -> str:
    return package_version(PACKAGES)


@functools.lru_cache(maxsize=4)
def package_version(packages: tuple[Path, ...]) -> str:
    """A digest of the code of these packages (every module's path and bytes), Python's version, PyYAML's (its
    `__init__.py`, which names it: found, not imported — a hit reads no YAML) and the entries' format: what an
    entry computed by that code is keyed by."""
    digest = hashlib.sha256(f"{sys.version}|{FORMAT}|".encode() + Path(importlib.util.find_spec("yaml").origin).read_bytes())
    for package in packages:
        for path in sorted(package.rglob("*.py")):
            digest.update(path.relative_to(package.parent).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def entry_key(directory: Path, fingerprint: str, folders: list[str]) -> str:
    digest = hashlib.sha256()
    for part in (code_version(), str(directory), fingerprint, *folders):
        data = part.encode("utf-8", "surrogateescape")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _private(info: os.stat_result, kind) -> bool:
    """Owned by this user, of the expected kind, and writable by nobody else."""
    return kind(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _open_folder(folder: Path) -> int | None:
    """A descriptor of the cache folder when it is private (see the module's docstring), else None."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    if _private(os.fstat(fd), stat.S_ISDIR):
        return fd
    os.close(fd)
    return None


def read_entry(kind: str, name: str) -> bytes | None:
    """The bytes of entry `name` of the cache folder of `kind` when it and the folder are private (the module's
    docstring); None when there is none, or it may not be read."""
    return _read(name, kind)


def write_entry(kind: str, name: str, text: str, keep: int = KEEP) -> None:
    """Write entry `name` of the cache folder of `kind` (private, by rename; the oldest beyond `keep` of its kind
    removed); nothing when the cache is off or cannot be written."""
    _write(name, text, kind, keep)


def _read(name: str, kind: str = "config") -> bytes | None:
    """The bytes of an entry of the cache folder when it and the folder are private (the module's docstring)."""
    folder = cache_folder(kind)
    if folder is None:
        return None
    folder_fd = _open_folder(folder)
    if folder_fd is None:
        return None
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder_fd)
    except OSError:
        return None
    finally:
        os.close(folder_fd)
    try:
        with os.fdopen(fd, "rb") as file:
            return file.read() if _private(os.fstat(file.fileno()), stat.S_ISREG) else None
    except OSError:
        return None


def load(key: str, fingerprint: str, directory: Path) -> Config | None:
    data = _read(f"{key}.json")
    if data is None:
        return None
    try:
        with collector_paused():  # 48,000 targets at 2,800 units
            config = from_plain(json.loads(data), directory)
    except Exception:  # noqa: BLE001 — a damaged or foreign entry is a miss, never an error for the user
        return None
    return config if isinstance(config, Config) and config.fingerprint == fingerprint else None


def _stamp_name(directory: Path, stamp: str, folders: list[str]) -> str:
    return entry_key(directory, f"stamp:{stamp}", folders) + ".stamp"


def stamped(directory: Path, stamp: str, folders: list[str]) -> str | None:
    """The fingerprint the files of the folder had when they last had these names, sizes and modification times
    (files.config_stamp), if a loaded entry recorded it: then they need not be read and hashed."""
    data = _read(_stamp_name(directory, stamp, folders))
    text = data.decode("ascii", "replace").strip() if data else ""
    return text if len(text) == 64 and all(c in "0123456789abcdef" for c in text) else None


def record_stamp(directory: Path, stamp: str, folders: list[str], newest_ns: int, fingerprint: str) -> None:
    """Record that files stamped so have that fingerprint — only when the newest of them was last changed
    RACY_SECONDS ago: a file written again within the clock's granularity of the stamp could keep its size
    and time (as git's racy index entries)."""
    if newest_ns > time.time_ns() - RACY_SECONDS * 1_000_000_000:
        return
    _write(_stamp_name(directory, stamp, folders), fingerprint)


def store(key: str, config: Config) -> None:
    try:
        text = json.dumps(to_plain(config), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (ValueError, TypeError):  # ValueError: a number JSON cannot hold; none is expected
        return
    _write(f"{key}.json", text)


def _write(name: str, text: str, kind: str = "config", keep: int = KEEP) -> None:
    folder = cache_folder(kind)
    if folder is None:
        return
    try:
        private.folder(folder)
        folder_fd = _open_folder(folder)
        if folder_fd is None:
            return
        os.close(folder_fd)
        import tempfile  # only to write: a hit reads

        fd, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")  # 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
            os.replace(temporary, folder / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(folder, "*" + Path(name).suffix, keep)
    except OSError:
        return


def _prune(folder: Path, pattern: str, keep: int) -> None:
    entries = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[keep:]:
        old.unlink(missing_ok=True)
