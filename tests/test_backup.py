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


def test_a_damaged_backup_is_one_sentence_and_the_details_go_to_the_log(demo_db, tmp_path, caplog):
    target = backup.backup_to(demo_db, tmp_path / "copy.db")
    data = bytearray(target.read_bytes())
    for page in range(3, len(data) // 4096, 5):
        data[page * 4096 + 100 : page * 4096 + 300] = bytes((i * 37 + page) % 256 for i in range(200))
    target.write_bytes(bytes(data))
    with caplog.at_level("WARNING", logger="antirisk.backup"), pytest.raises(backup.BackupError) as caught:
        backup.check_backup(target)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 300 and "copy.db" in message
    assert "copy.db" in caplog.text and len(caplog.text) > len(message)


def test_a_backup_of_an_older_schema_is_checked_against_its_own_tables(tmp_path):
    older = tmp_path / "older.db"
    conn = sqlite3.connect(older, isolation_level=None)
    storage._migrate(conn, 0, 2)
    conn.close()
    assert backup.check_backup(older) == 2
    conn = sqlite3.connect(older, isolation_level=None)
    conn.execute("DROP TABLE program_task")
    conn.close()
    with pytest.raises(backup.BackupError):
        backup.check_backup(older)


def test_the_expected_tables_grow_with_the_schema():
    tables = [backup.expected_tables(v) for v in range(1, storage.SCHEMA_VERSION + 1)]
    assert all(a <= b for a, b in zip(tables, tables[1:]))
    assert {"student", "staff", "school", "ref_item"} <= tables[0]


@pytest.mark.parametrize("name", ["школа #2?.db", "100% копия.db", "a b.db"])
def test_names_with_uri_characters_are_read_read_only(db, tmp_path, name):
    folder = tmp_path / "copies"
    folder.mkdir()
    target = backup.backup_to(db, folder / name)
    assert backup.check_backup(target) == storage.SCHEMA_VERSION
    assert storage.inspect(target)["schema_version"] == storage.SCHEMA_VERSION
    assert sorted(p.name for p in folder.iterdir()) == [name]  # no stray file cut at '?' or '#'
