"""Errors the core raises for a user's input, with a Chinese message to show as it is; and why a file could not
be written, in Chinese."""

from __future__ import annotations

import errno
import os
from pathlib import Path

# What an OSError's errno, or a DuckDB or SQLite error's text (which names the system's error in English), says.
_FULL = ((errno.ENOSPC, "No space left on device"), (errno.EDQUOT, "Disk quota exceeded"),
         (errno.ENOSPC, "database or disk is full"))
_READ_ONLY = ((errno.EROFS, "Read-only file system"), (errno.EROFS, "attempt to write a readonly database"))
_REFUSED = ((errno.EACCES, "Permission denied"), (errno.EPERM, "Operation not permitted"),
            (errno.EACCES, "unable to open database file"))
_NOT_A_FOLDER = ((errno.ENOTDIR, "Not a directory"),)


class InputError(ValueError):
    """Something a user typed or entered cannot be accepted; the message says why, in Chinese."""


def _is(exc: BaseException, kinds) -> bool:
    return any(getattr(exc, "errno", None) == number or text in str(exc) for number, text in kinds)


def _no_room(where) -> bool:
    """Whether the disk of `where` is full: SQLite says only "disk I/O error" when its log cannot grow."""
    place = Path(str(where))
    while not place.exists() and place != place.parent:
        place = place.parent
    try:
        disk = os.statvfs(place)
    except OSError:
        return False
    return disk.f_bavail * disk.f_frsize < 64 * 1024


def disk_full(exc: BaseException) -> bool:
    return _is(exc, _FULL)


def cannot_write(exc: BaseException, where) -> str | None:
    """Why nothing could be written in `where` (a folder or file, named as the user should read it), or None
    when the error is not one of a disk or its permissions."""
    if _is(exc, _FULL) or ("disk I/O error" in str(exc) and _no_room(where)):
        return f"磁盘空间不足：{where} 所在的磁盘已满，请清理磁盘后重试"
    if _is(exc, _READ_ONLY):
        return f"{where} 在只读的磁盘上，不能写入"
    if _is(exc, _REFUSED):
        return f"没有写入 {where} 的权限"
    if _is(exc, _NOT_A_FOLDER):
        return f"{where} 应当是文件夹，现在是一个文件"
    return None
