"""Backups through SQLite's backup API; restore checks the copy first and keeps the current state aside."""

import sqlite3

import pytest

from models import backup
from models import db as storage
from tests.conftest import count


def test_backup_then_restore_brings_the_data_back(demo_db, db_path, tmp_path):
    target = backup.backup_to(demo_db, tmp_path / "copy.db")
    students = count(demo_db, "student")
    demo_db.execute("DELETE FROM working_group_member")
    demo_db.conn.close()
    safety = backup.restore(db_path, target)
    restored = storage.open_database(db_path)
    assert count(restored, "student") == students
    assert count(restored, "working_group_member") > 0
    assert safety is not None and safety.exists()
    kept = sqlite3.connect(safety)
    assert kept.execute("SELECT count(*) FROM working_group_member").fetchone()[0] == 0


@pytest.mark.parametrize("content", [b"", b"garbage" * 1000])
def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(demo_db, db_path, tmp_path, content):
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    demo_db.conn.close()
    before = db_path.read_bytes()
    with pytest.raises(backup.BackupError):
        backup.restore(db_path, bad)
    assert db_path.read_bytes() == before


def test_restore_refuses_a_damaged_backup(demo_db, db_path, tmp_path):
    target = backup.backup_to(demo_db, tmp_path / "copy.db")
    data = bytearray(target.read_bytes())
    page = 4096 * 3
    data[page : page + 2000] = b"\x00\xff" * 1000  # scribble over a table page
    target.write_bytes(bytes(data))
    demo_db.conn.close()
    before = db_path.read_bytes()
    with pytest.raises(backup.BackupError):
        backup.restore(db_path, target)
    assert db_path.read_bytes() == before


def test_restore_refuses_a_backup_from_a_newer_version(db, db_path, tmp_path):
    target = backup.backup_to(db, tmp_path / "copy.db")
    conn = sqlite3.connect(target)
    conn.execute(f"PRAGMA user_version = {storage.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(backup.BackupError, match="новой версией"):
        backup.restore(db_path, target)


def test_backup_into_a_folder_is_refused(db, tmp_path):
    with pytest.raises(backup.BackupError):
        backup.backup_to(db, tmp_path)
