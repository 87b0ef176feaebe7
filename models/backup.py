"""Backups and restore through SQLite's backup API: consistent copies even while the program runs."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import sqlite3
from pathlib import Path

from models import db as storage
from models.db import Database
from models.i18n import _

log = logging.getLogger("antirisk.backup")


class BackupError(Exception):
    """A backup or restore that could not be done, worded for the user; nothing was changed."""


def suggested_name(db_path: str | Path, now: dt.datetime | None = None) -> str:
    path = Path(db_path)
    stamp = (now or dt.datetime.now()).strftime("%Y-%m-%d_%H-%M")
    return str(path.with_name(f"{path.stem}-backup-{stamp}.db"))


def backup_to(db: Database, target: str | Path) -> Path:
    """Write a consistent copy of the open database to `target` (replacing a file there)."""
    target = Path(target)
    if target.exists() and target.is_dir():
        raise BackupError(_("{path} is a folder; choose a file name for the backup.").format(path=target))
    tmp = target.with_name(target.name + ".part")
    try:
        tmp.unlink(missing_ok=True)
        storage.copy_database(db.conn, tmp)
        tmp.replace(target)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(_("Cannot write the backup {path}: {reason}").format(path=target, reason=exc)) from exc
    return target


def backups_folder(db_path: str | Path) -> Path:
    """Where the automatic backups of one database go: the user's data folder, one subfolder per database."""
    from models.paths import data_dir

    path = Path(db_path).resolve()
    import hashlib  # only when a backup is made, not at start

    digest = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:8]
    folder = data_dir() / "backups" / f"{path.stem}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def auto_backup(db: Database, db_path: str | Path, keep: int, reason: str) -> Path | None:
    """A rotating backup (at start or on exit): write a new copy, keep the newest `keep`, delete older ones.

    Never raises: a backup that cannot be made must not stop the program; it returns None instead.
    """
    if keep <= 0:
        return None
    try:
        folder = backups_folder(db_path)
        target = folder / f"{Path(db_path).stem}-{dt.datetime.now():%Y-%m-%d_%H-%M-%S}-{reason}.db"
        backup_to(db, target)
        for old in list_backups(db_path)[keep:]:
            old.unlink(missing_ok=True)
        return target
    except (OSError, BackupError, sqlite3.Error):
        return None


def list_backups(db_path: str | Path) -> list[Path]:
    """The automatic backups of a database, newest first."""
    return sorted(backups_folder(db_path).glob("*.db"), key=lambda p: p.name, reverse=True)


def read_only_uri(path: str | Path) -> str:
    """An SQLite URI opening `path` read-only: '?', '#' and '%' in the name are percent-encoded, so they stay
    part of the name, and a Windows share (file://server/share) gets the empty authority SQLite requires."""
    uri = Path(path).absolute().as_uri()
    if not uri.startswith("file:///"):
        uri = "file:////" + uri[len("file://") :]
    return uri + "?mode=ro"


@functools.cache
def expected_tables(version: int) -> frozenset[str]:
    """The tables of a database at schema `version`: the migrations up to it, run on an empty database in memory
    (the migrations are the one description of the schema)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        storage._migrate(conn, 0, version)
        return frozenset(name for name in Database(conn).table_names() if not name.startswith("sqlite_"))
    finally:
        conn.close()


def check_backup(source: str | Path) -> int:
    """Make sure `source` is an intact Antirisk database this version can open; return its schema version.

    Refused: a file that is not SQLite, another program's database (its application id, or our header over
    tables that are not the program's), a newer schema, a damaged file (SQLite's report goes to the log).
    """
    source = Path(source)
    if not source.is_file():
        raise BackupError(_("The backup file {path} does not exist.").format(path=source))
    not_ours = BackupError(_("{path} is not an Antirisk database.").format(path=source))
    damaged = BackupError(_("The backup file {path} is damaged; choose another backup.").format(path=source))
    try:
        conn = sqlite3.connect(read_only_uri(source), uri=True)
    except sqlite3.Error as exc:
        raise not_ours from exc
    try:
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise not_ours from exc
        if app_id != storage.APPLICATION_ID or version < 1:
            raise not_ours
        if version > storage.SCHEMA_VERSION:
            raise BackupError(_("The backup {path} was made by a newer version of Antirisk.").format(path=source))
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            tables = set(Database(conn).table_names())
        except sqlite3.DatabaseError as exc:
            log.warning("backup %s cannot be checked: %s", source, exc)
            raise damaged from exc
    finally:
        conn.close()
    if problems != ["ok"]:
        log.warning("backup %s failed the integrity check:\n%s", source, "\n".join(map(str, problems)))
        raise damaged
    missing = expected_tables(version) - tables
    if missing:
        log.warning("backup %s (schema %s) lacks the tables %s", source, version, ", ".join(sorted(missing)))
        raise not_ours
    return version


def restore(db_path: str | Path, source: str | Path) -> Path | None:
    """Replace the database at `db_path` with the backup `source`.

    The backup is checked first; the current database (if any) is copied aside before it is replaced.
    Returns the path of that safety copy. The restored database is migrated when next opened.
    """
    db_path, source = Path(db_path), Path(source)
    check_backup(source)
    if db_path.exists() and db_path.resolve() == source.resolve():
        raise BackupError(_("The backup and the database are the same file."))
    safety = None
    if db_path.exists():
        current = storage.open_database(db_path, create=False)
        try:
            safety = backup_to(current, suggested_name(db_path).replace("-backup-", "-before-restore-"))
        finally:
            current.conn.close()
    else:
        storage._create_private_file(db_path)
    src = sqlite3.connect(read_only_uri(source), uri=True)
    dest = sqlite3.connect(str(db_path))
    try:
        src.backup(dest)
    except sqlite3.Error as exc:
        raise BackupError(_("Cannot restore into {path}: {reason}").format(path=db_path, reason=exc)) from exc
    finally:
        src.close()
        dest.close()
    return safety
