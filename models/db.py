"""Storage: one SQLite file, opened with the house pragmas, migrated on `PRAGMA user_version`.

Rules: foreign keys on; rollback journal (the file may sit on a network share, where WAL is unsafe) with
synchronous=FULL; a busy timeout; the file copied aside before any migration; a database made by a newer
version of the program is refused and left untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from models.i18n import _
from models.migrations import MIGRATIONS

APPLICATION_ID = 0x414E5452  # 'ANTR': marks the file as ours
SCHEMA_VERSION = len(MIGRATIONS)
BUSY_TIMEOUT_MS = 5000


class Database:
    """The open database file: one sqlite3 connection in autocommit mode.

    Reads go through `execute`; every write runs inside `transaction(db)`, which opens and closes the
    transaction explicitly, so nothing here commits behind the caller's back.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Sequence | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)

    def dicts(self, sql: str, parameters: Sequence | dict = ()) -> list[dict]:
        """The rows of a query as dicts, by column name."""
        cursor = self.conn.execute(sql, parameters)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r)) for r in cursor.fetchall()]

    def first(self, sql: str, parameters: Sequence | dict = ()) -> dict | None:
        """The first row of a query as a dict, by column name; None when there is none."""
        cursor = self.conn.execute(sql, parameters)
        row = cursor.fetchone()
        return dict(zip([d[0] for d in cursor.description], row)) if row else None

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]

    def count(self, table: str) -> int:
        """Rows in `table` (a name from `table_names`, never user text)."""
        return self.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]

    def columns(self, table: str) -> list[str]:
        return [r[1] for r in self.conn.execute(f'PRAGMA table_info("{table}")')]

    def close(self) -> None:
        self.conn.close()


def id_chunks(ids: Iterable[int], size: int = 500) -> Iterator[list[int]]:
    """The distinct ids, sorted, in pieces small enough for the parameters of one statement (`WHERE id IN (…)`)."""
    wanted = sorted(set(ids))
    for at in range(0, len(wanted), size):
        yield wanted[at : at + size]


def marks(values: Sequence) -> str:
    """A "?" for each of `values`, joined by commas: the parameters of `IN (…)`."""
    return ", ".join("?" * len(values))


class StorageError(Exception):
    """A problem with the database file, worded for the user."""


class NewerDatabaseError(StorageError):
    pass


def _create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only (0600 on POSIX)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def connect(path: Path) -> sqlite3.Connection:
    """A raw connection with the house pragmas; autocommit mode, so every transaction is explicit."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def open_database(path: str | Path, create: bool = True) -> Database:
    """Open (or create) the program's database at `path`, migrating it to the current schema.

    Raises StorageError with a sentence for the user when the file is missing (and `create` is false),
    is not a database, belongs to another program or comes from a newer version of Antirisk.
    """
    path = Path(path)
    if not path.exists():
        if not create:
            raise StorageError(_("The database file {path} does not exist.").format(path=path))
        try:
            _create_private_file(path)
        except OSError as exc:
            raise StorageError(
                _("Cannot create the database file {path}: {reason}").format(path=path, reason=exc.strerror)
            ) from exc
    elif path.is_dir():
        raise StorageError(_("{path} is a folder, not a database file.").format(path=path))
    try:
        conn = connect(path)
        version, app_id = _read_header(conn)
    except sqlite3.DatabaseError as exc:
        raise StorageError(_("{path} is not an Antirisk database.").format(path=path)) from exc
    if version == 0 and app_id == 0 and _has_tables(conn):
        conn.close()
        raise StorageError(_("{path} is a database of another program.").format(path=path))
    if version and app_id != APPLICATION_ID:
        conn.close()
        raise StorageError(_("{path} is a database of another program.").format(path=path))
    if version > SCHEMA_VERSION:
        conn.close()
        raise NewerDatabaseError(
            _(
                "The database {path} was made by a newer version of Antirisk (schema {found}, this "
                "version knows {known}). Install the newer version; the file was left untouched."
            ).format(path=path, found=version, known=SCHEMA_VERSION)
        )
    if version < SCHEMA_VERSION:
        if version > 0:
            backup_before_migration(conn, path, version)
        _migrate(conn, version)
    return Database(conn)


def _read_header(conn: sqlite3.Connection) -> tuple[int, int]:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    return version, app_id


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0


def backup_before_migration(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the database aside (`name.v{N}-{timestamp}.bak`) before changing its schema."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.v{version}-{stamp}.bak")
    copy_database(conn, target)
    return target


def copy_database(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent copy through SQLite's backup API, private to the user."""
    if not target.exists():
        _create_private_file(target)
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    finally:
        dest.close()


def _migrate(conn: sqlite3.Connection, current: int, target: int | None = None) -> None:
    """Run each pending migration (up to `target`) in its own transaction, bumping user_version inside it."""
    for number, statements in enumerate(MIGRATIONS[current:target], start=current + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for step in statements:
                if isinstance(step, tuple):
                    conn.execute(*step)
                else:
                    conn.execute(step)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One user action that writes: all of it or none of it.

    The outermost level takes the write lock at once (BEGIN IMMEDIATE), so a second writer waits for the
    busy timeout instead of failing half-way; nested levels are savepoints.
    """
    conn = db.conn
    if conn.in_transaction:
        conn.execute("SAVEPOINT nested")
        try:
            yield db
        except BaseException:
            conn.execute("ROLLBACK TO nested")
            conn.execute("RELEASE nested")
            raise
        conn.execute("RELEASE nested")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def schema_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def integrity(db: Database) -> str:
    """'ok', or the first problems SQLite's integrity check and foreign-key check report."""
    rows = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall()]
    if rows != ["ok"]:
        return "; ".join(rows[:5])
    fk = db.execute("PRAGMA foreign_key_check").fetchall()
    if fk:
        return f"foreign key violations: {len(fk)} (first in table {fk[0][0]})"
    return "ok"


def table_counts(db: Database) -> dict[str, int]:
    return {name: db.count(name) for name in db.table_names() if not name.startswith("sqlite_")}


def inspect(path: str | Path) -> dict:
    """Read-only look at a database file: integrity, schema version, rows per table. Changes nothing."""
    path = Path(path)
    if not path.is_file():
        raise StorageError(_("The database file {path} does not exist.").format(path=path))
    uri = path.absolute().as_uri()  # '?', '#' and '%' percent-encoded: they stay part of the file name
    if not uri.startswith("file:///"):  # a Windows share: SQLite wants an empty authority, file:////server/share
        uri = "file:////" + uri[len("file://") :]
    try:
        conn = sqlite3.connect(uri + "?mode=ro", uri=True)
        try:
            version, app_id = _read_header(conn)
            if app_id != APPLICATION_ID:
                raise StorageError(_("{path} is not an Antirisk database.").format(path=path))
            db = Database(conn)
            return {"integrity": integrity(db), "schema_version": version, "counts": table_counts(db)}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StorageError(_("{path} is not an Antirisk database.").format(path=path)) from exc
