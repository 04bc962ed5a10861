"""The files a config folder consists of: which they are, a cheap stamp of whether any changed, and the
fingerprint of their bytes that the documents print."""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

ACCESS_FILE = "access.yaml"  # how people sign in: checked by load_access, not part of the scoring Config
_CONFIG_NAME = re.compile(fnmatch.translate("*.y*ml")).match  # fnmatchcase's test, without its call per name
_NAME = attrgetter("name")


class Scan(NamedTuple):
    """What one scan of a config folder found (`scan`)."""

    entries: list[os.DirEntry]  # every config file's, in the order of sorted paths
    folders: list[str]          # every folder's path within the folder ("." itself), sorted


def scan(directory: Path) -> Scan:
    """The config files and the folders under `directory`, one os.scandir per folder (not a pathlib glob: a
    national config has thousands of contracts, and a page asks on every run whether one has changed). Each
    folder's entries sorted by name and a sub-folder's taken where its name falls give the order of sorted
    paths (their parts compared in turn); symbolic links to folders are not followed."""
    top = os.fspath(directory)
    entries, found = [], []
    skip = os.path.join(top, ACCESS_FILE)

    def visit(folder: str) -> None:
        found.append(folder)
        with os.scandir(folder) as listing:
            children = sorted(listing, key=_NAME)
        for entry in children:
            if entry.is_dir(follow_symlinks=False):
                visit(entry.path)
            elif _CONFIG_NAME(entry.name) and entry.is_file() and entry.path != skip:
                entries.append(entry)

    visit(top)
    return Scan(entries, sorted(os.path.relpath(folder, top) for folder in found))


def config_files(directory: Path) -> list[Path]:
    """Every file the scoring configuration consists of, in a stable order (access.yaml is not one of them:
    who may sign in changes no score, nor the fingerprint printed in the documents)."""
    directory = Path(directory)
    return [Path(e.path) for e in scan(directory).entries] if directory.is_dir() else []


def config_stamp(directory: Path) -> str:
    """sha256 of the name, size and modification time of every config file: a cheap test of whether any file
    has changed (the fingerprint reads them all)."""
    return stamped_files(directory)[1]


def stamped_files(directory: Path) -> tuple[list[str], str, int, list[str]]:
    """The paths of the config files (as `config_files`, as str: a hit with a stamp needs no Path of thousands),
    their stamp (as `config_stamp`), the newest modification time among them (ns) and every folder's path
    within the folder (the cache's key names them: a sub-folder that is not a year is a problem), from one scan."""
    directory = Path(directory)
    if not directory.is_dir():
        return [], hashlib.sha256().hexdigest(), 0, []
    found = scan(directory)
    files = [entry.path for entry in found.entries]
    stats = [entry.stat() for entry in found.entries]
    lines = "".join(f"{path}\0{info.st_mtime_ns}\0{info.st_size}\n" for path, info in zip(files, stats))
    newest = max((info.st_mtime_ns for info in stats), default=0)
    return files, hashlib.sha256(lines.encode("utf-8", "surrogateescape")).hexdigest(), newest, found.folders


def fingerprint(directory: Path, files) -> str:
    """sha256 over each file's path (a Path or str) within the folder and its bytes, each length-prefixed."""
    digest = hashlib.sha256()
    for path in map(Path, files):
        for part in (path.relative_to(directory).as_posix().encode(), path.read_bytes()):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    return digest.hexdigest()
