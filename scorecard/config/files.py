"""The files a config folder consists of: which they are, a cheap stamp of whether any changed, and the
fingerprint of their bytes that the documents print."""

from __future__ import annotations

import fnmatch
import hashlib
import os
from pathlib import Path

ACCESS_FILE = "access.yaml"  # how people sign in: checked by load_access, not part of the scoring Config


def _config_entries(directory: Path) -> list[os.DirEntry]:
    """The directory entry of every config file, in the order of sorted paths. os.scandir, not a pathlib glob:
    a national config has thousands of contracts, and a page asks on every run whether one has changed."""
    found, pending = [], [str(directory)]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif fnmatch.fnmatchcase(entry.name, "*.y*ml") and entry.is_file():
                    found.append(entry)
    skip = os.path.join(directory, ACCESS_FILE)
    return sorted((e for e in found if e.path != skip), key=lambda e: e.path.split(os.sep))


def config_files(directory: Path) -> list[Path]:
    """Every file the scoring configuration consists of, in a stable order (access.yaml is not one of them:
    who may sign in changes no score, nor the fingerprint printed in the documents)."""
    directory = Path(directory)
    return [Path(e.path) for e in _config_entries(directory)] if directory.is_dir() else []


def config_stamp(directory: Path) -> str:
    """sha256 of the name, size and modification time of every config file: a cheap test of whether any file
    has changed (the fingerprint reads them all)."""
    return stamped_files(directory)[1]


def stamped_files(directory: Path) -> tuple[list[str], str, int]:
    """The paths of the config files (as `config_files`, as str: a hit with a stamp needs no Path of thousands),
    their stamp (as `config_stamp`) and the newest modification time among them (ns), from one scan."""
    directory = Path(directory)
    digest, files, newest = hashlib.sha256(), [], 0
    for entry in _config_entries(directory) if directory.is_dir() else ():
        stat = entry.stat()
        digest.update(f"{entry.path}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
        files.append(entry.path)
        newest = max(newest, stat.st_mtime_ns)
    return files, digest.hexdigest(), newest


def fingerprint(directory: Path, files) -> str:
    """sha256 over each file's path (a Path or str) within the folder and its bytes, each length-prefixed."""
    digest = hashlib.sha256()
    for path in map(Path, files):
        for part in (path.relative_to(directory).as_posix().encode(), path.read_bytes()):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return digest.hexdigest()


def folders(directory: Path) -> list[str]:
    return sorted(os.path.relpath(folder, directory) for folder, _, _ in os.walk(directory))
