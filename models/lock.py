"""One writer per database file (as KeePassXC does): a lock file beside the database, held with an OS lock.

The OS releases the lock when the process dies, so a crash never leaves the database locked for good; the
file's text only says who holds it, for the message the second window shows.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from models.i18n import _


def _host() -> str:
    """This computer's name, for the lock file's note (without importing the socket module at start)."""
    uname = getattr(os, "uname", None)
    return uname().nodename if uname else os.environ.get("COMPUTERNAME", "")


class LockedError(Exception):
    """The database is open in another Antirisk; the message says where and since when."""


def lock_path(db_path: str | Path) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + ".lock")


class DatabaseLock:
    def __init__(self, db_path: str | Path):
        self.path = lock_path(db_path)
        self._fh = None

    def acquire(self) -> DatabaseLock:
        """Take the lock or raise LockedError; changes nothing when it cannot be taken."""
        try:
            fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the lock's lifetime
        except OSError as exc:
            raise LockedError(
                _("Cannot create the lock file {path}: {reason}").format(path=self.path, reason=exc.strerror)
            ) from exc
        if not _try_lock(fh):
            try:
                fh.seek(0)
                holder = fh.read().strip() or "?"
            except OSError:  # Windows keeps a locked byte unreadable to others
                holder = "?"
            fh.close()
            raise LockedError(
                _(
                    "The database is already open in another Antirisk window ({holder}). Close it there first; "
                    "two programs writing one file at once could mix up the data."
                ).format(holder=holder)
            )
        fh.seek(0)
        fh.truncate()
        fh.write(f"{_host()}, pid {os.getpid()}, {dt.datetime.now():%d.%m.%Y %H:%M}")
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        if self._fh is None:
            return
        try:
            self._fh.seek(0)
            self._fh.truncate()
            _unlock(self._fh)
        finally:
            self._fh.close()
            self._fh = None
        try:
            self.path.unlink()
        except OSError:
            pass  # another process may have taken it meanwhile; its lock is what counts

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fh) -> bool:
        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fh) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fh) -> bool:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fh) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
