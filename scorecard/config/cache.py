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

Safety: an entry runs no code when read, but it is taken as checked, so entries live in a folder of the user's own
(SCORECARD_CACHE, else $XDG_CACHE_HOME/scorecard or ~/.cache/scorecard), made 0700 and written 0600
by rename; an entry is only read when it and its folder belong to the user running this and nobody else
may write to them, and a symbolic link is never followed. A loaded entry must also carry the fingerprint
of the files just read. SCORECARD_CACHE=off turns the cache off; a cache that cannot be read or written
is passed over in silence: the config is then checked as without it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import json
import stat
import sys
import tempfile
from pathlib import Path

import yaml

from .. import private
from .model import Config
from .plain import FORMAT, from_plain, to_plain

CACHE_ENV = "SCORECARD_CACHE"
OFF = {"off", "0", "no", "false", "none"}
KEEP = 8  # entries kept: a few configs (and versions of one) side by side
PACKAGES = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "rules")  # config and its rules


def cache_folder() -> Path | None:
    setting = os.environ.get(CACHE_ENV, "").strip()
    if setting.lower() in OFF:
        return None
    if setting:
        return Path(setting) / "config"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "scorecard" / "config"


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    digest = hashlib.sha256(f"{sys.version}|{yaml.__version__}|{FORMAT}".encode())
    for package in PACKAGES:
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


def load(key: str, fingerprint: str, directory: Path) -> Config | None:
    folder = cache_folder()
    if folder is None:
        return None
    folder_fd = _open_folder(folder)
    if folder_fd is None:
        return None
    try:
        fd = os.open(f"{key}.json", os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder_fd)
    except OSError:
        return None
    finally:
        os.close(folder_fd)
    try:
        with os.fdopen(fd, "rb") as file:
            if not _private(os.fstat(file.fileno()), stat.S_ISREG):
                return None
            config = from_plain(json.load(file), directory)
    except Exception:  # noqa: BLE001 — a damaged or foreign entry is a miss, never an error for the user
        return None
    return config if isinstance(config, Config) and config.fingerprint == fingerprint else None


def store(key: str, config: Config) -> None:
    folder = cache_folder()
    if folder is None:
        return
    try:
        private.folder(folder)
        folder_fd = _open_folder(folder)
        if folder_fd is None:
            return
        os.close(folder_fd)
        fd, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")  # 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                json.dump(to_plain(config), file, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
            os.replace(temporary, folder / f"{key}.json")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(folder)
    except (OSError, ValueError, TypeError):  # ValueError: a number JSON cannot hold; none is expected
        return


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)
