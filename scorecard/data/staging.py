"""The temporary folder of an import being checked (scorecard-import-* in the temp folder, TMPDIR).

An import killed midway (kill -9 runs no clean-up) leaves its folder behind; the next import removes it. Which
folders are dead is known for certain, not guessed from their age: each holds a file `.owner` with the pid of
the process that made it, locked (flock) by that process for as long as the folder is in use — the lock ends
with the process, however it ends.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import weakref
from pathlib import Path

from .. import private

PREFIX = "scorecard-import-"
OWNER = ".owner"


class Staging:
    """A private folder (0700) in the temp folder for one import; removed by `remove`, when garbage-collected,
    at exit — or by a later import once this process is gone."""

    def __init__(self):
        remove_dead()
        self.path = Path(tempfile.mkdtemp(prefix=PREFIX))
        try:
            owner = os.fdopen(private.create(self.path / OWNER), "w", encoding="ascii")
            fcntl.flock(owner, fcntl.LOCK_EX)  # waits while a sweeper looks at the empty file (see remove_dead)
            owner.write(str(os.getpid()))
            owner.flush()
        except BaseException:
            shutil.rmtree(self.path, ignore_errors=True)
            raise
        self.remove = weakref.finalize(self, _remove, self.path, owner)


def _remove(path: Path, owner) -> None:
    shutil.rmtree(path, ignore_errors=True)
    owner.close()  # the lock last: a folder never looks dead while it is being removed


def remove_dead() -> None:
    """Remove the staging folders whose process has died."""
    for folder in Path(tempfile.gettempdir()).glob(PREFIX + "*"):
        try:
            owner = open(folder / OWNER, encoding="utf-8")
        except OSError:  # no owner yet (being made this instant), or not this user's to open
            continue
        with owner:
            try:
                fcntl.flock(owner, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # its process holds the lock: alive
                continue
            if owner.read().strip():  # claimed once, and that process is gone
                shutil.rmtree(folder, ignore_errors=True)
