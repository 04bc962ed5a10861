"""Data files for their owner only: every file 0600 and every folder 0700, whatever the umask.

The databases hold every city's unpublished figures, the access database the password hashes. Files this
package writes itself are opened 0600 (`create`). DuckDB makes its own — the database, its .wal (deleted at each
checkpoint and made again at the next write), spill files — with the process umask: a connection that may make
one is used inside `umask()`, which holds the umask at 077 while any such connection is open in the process.
"""

from __future__ import annotations

import errno
import os
import threading
from contextlib import contextmanager
from pathlib import Path

FILE_MODE, FOLDER_MODE = 0o600, 0o700

_guard = threading.Lock()
_holders = 0
_outer_umask = 0


def folder(path, *, ours: bool = True) -> Path:
    """`path` as a folder, made 0700 with any parent that is missing. `ours`: the folder belongs to this system
    (the kept originals), so an existing one is made 0700 too; not so a folder a database was merely put in."""
    target = Path(path)
    missing, parent = [], target
    while not parent.exists() and parent != parent.parent:
        missing.append(parent)
        parent = parent.parent
    for made in reversed(missing):
        try:
            made.mkdir(mode=FOLDER_MODE)
        except FileExistsError:  # made meanwhile by another process
            continue
        os.chmod(made, FOLDER_MODE)  # mkdir's mode passes through the umask
    if not target.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(target))
    if ours:
        os.chmod(target, FOLDER_MODE)
    return target


def create(path, flags: int = 0) -> int:
    """A new file (never an existing one) for the owner only; returns the descriptor, open for writing."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | flags, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd


def tighten(*paths) -> None:
    """Make existing data files of this user owner-only (made by an older version, or copied in)."""
    for path in paths:
        try:
            if os.stat(path).st_uid == os.getuid():
                os.chmod(path, FILE_MODE)
        except FileNotFoundError:
            pass


@contextmanager
def umask():
    """Files and folders that others make in the meantime (DuckDB's) are owner-only: the process umask is 077
    while any caller is inside, and the user's own again when the last one leaves."""
    global _holders, _outer_umask
    with _guard:
        if _holders == 0:
            _outer_umask = os.umask(0o077)
        _holders += 1
    try:
        yield
    finally:
        with _guard:
            _holders -= 1
            if _holders == 0:
                os.umask(_outer_umask)
