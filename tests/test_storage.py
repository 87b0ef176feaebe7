"""Storage: the file, the pragmas, migrations with a copy aside, newer and foreign files refused untouched."""

import hashlib
import os
import sqlite3
import sys

import pytest

from models import db as storage
from models import migrations
from tests.conftest import count


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_new_database_file_is_private_to_its_owner(db, db_path):
    assert os.stat(db_path).st_mode & 0o777 == 0o600


def test_connection_uses_the_house_pragmas(db):
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    assert one("PRAGMA foreign_keys") == 1
    assert one("PRAGMA journal_mode") == "delete"
    assert one("PRAGMA synchronous") == 2  # FULL
    assert one("PRAGMA busy_timeout") >= 1000
    assert one("PRAGMA user_version") == storage.SCHEMA_VERSION
    assert one("PRAGMA application_id") == storage.APPLICATION_ID


def test_new_database_has_the_seeded_reference_lists(db):
    lists = dict(db.execute("SELECT list, count(*) FROM ref_item GROUP BY list").fetchall())
    assert lists["risk_factor"] == 10
    assert {
        "subject",
        "position",
        "qualification_category",
        "difficulty_category",
        "work_form",
        "report_form",
        "meeting_kind",
    } <= set(lists)


def test_database_from_a_newer_version_is_refused_and_left_untouched(db, db_path):
    db.execute(f"PRAGMA user_version = {storage.SCHEMA_VERSION + 1}")
    db.conn.close()
    before = digest(db_path)
    with pytest.raises(storage.NewerDatabaseError, match="новее|более новой"):
        storage.open_database(db_path)
    assert digest(db_path) == before
    assert not list(db_path.parent.glob("*.bak"))


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"This is a letter to the curator, not a database." * 100)
    before = digest(path)
    with pytest.raises(storage.StorageError, match="не является базой"):
        storage.open_database(path)
    assert digest(path) == before


def test_another_programs_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(storage.StorageError, match="другой программы"):
        storage.open_database(path)
    assert digest(path) == before


def test_missing_file_is_an_error_when_creation_is_not_wanted(tmp_path):
    with pytest.raises(storage.StorageError, match="не найден"):
        storage.open_database(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(storage.StorageError, match="папка"):
        storage.open_database(tmp_path)


def test_an_impossible_location_is_one_clear_error(tmp_path):
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    with pytest.raises(storage.StorageError, match="Не удалось создать"):
        storage.open_database(not_a_folder / "a.db")


def test_migration_copies_the_file_aside_and_keeps_the_data(db, db_path, monkeypatch):
    db.execute("INSERT INTO curator (curator_school, full_name) VALUES ('Гимназия № 2', 'Орлова Н. В.')")
    db.conn.close()
    step = ["ALTER TABLE curator ADD COLUMN note TEXT"]
    monkeypatch.setattr(storage, "MIGRATIONS", [*migrations.MIGRATIONS, step])
    monkeypatch.setattr(storage, "SCHEMA_VERSION", len(migrations.MIGRATIONS) + 1)
    migrated = storage.open_database(db_path)
    assert storage.schema_version(migrated) == len(migrations.MIGRATIONS) + 1
    assert migrated.execute("SELECT full_name, note FROM curator").fetchall() == [("Орлова Н. В.", None)]
    backups = list(db_path.parent.glob(f"school.v{len(migrations.MIGRATIONS)}-*.bak"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == len(migrations.MIGRATIONS)
    assert old.execute("SELECT count(*) FROM curator").fetchone()[0] == 1


def test_a_failing_migration_rolls_back_whole(db, db_path, monkeypatch):
    db.execute("INSERT INTO curator (curator_school, full_name) VALUES ('Гимназия № 2', 'Орлова Н. В.')")
    db.conn.close()
    step = ["ALTER TABLE curator ADD COLUMN note TEXT", "THIS IS NOT SQL"]
    monkeypatch.setattr(storage, "MIGRATIONS", [*migrations.MIGRATIONS, step])
    monkeypatch.setattr(storage, "SCHEMA_VERSION", len(migrations.MIGRATIONS) + 1)
    with pytest.raises(sqlite3.OperationalError):
        storage.open_database(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(migrations.MIGRATIONS)
    assert "note" not in [r[1] for r in conn.execute("PRAGMA table_info(curator)")]


@pytest.mark.parametrize("start", range(storage.SCHEMA_VERSION))
def test_a_database_of_every_earlier_schema_migrates_to_the_latest(tmp_path, start):
    path = tmp_path / f"v{start}.db"
    conn = storage.connect(path)
    storage._migrate(conn, 0, target=start)
    conn.close()
    database = storage.open_database(path)
    assert storage.schema_version(database) == storage.SCHEMA_VERSION
    assert storage.integrity(database) == "ok"


def test_a_write_transaction_is_all_or_nothing(db):
    with pytest.raises(RuntimeError):
        with storage.transaction(db):
            db.execute("INSERT INTO curator (curator_school, full_name) VALUES ('A', 'B')")
            raise RuntimeError("power cut")
    assert count(db, "curator") == 0


def test_a_nested_transaction_is_a_savepoint_undone_alone_and_undone_with_the_outer_one(db):
    insert = "INSERT INTO curator (curator_school, full_name) VALUES (?, ?)"
    with storage.transaction(db):
        db.execute(insert, ["A", "outer"])
        with pytest.raises(RuntimeError), storage.transaction(db):
            db.execute(insert, ["B", "inner"])
            raise RuntimeError("the inner step fails")
        assert db.conn.in_transaction  # the outer one goes on
        with storage.transaction(db):
            db.execute(insert, ["C", "second inner"])
    assert [r[0] for r in db.execute("SELECT full_name FROM curator ORDER BY id")] == ["outer", "second inner"]
    with pytest.raises(RuntimeError), storage.transaction(db):
        db.execute(insert, ["D", "outer again"])
        with storage.transaction(db):
            db.execute(insert, ["E", "inner again"])
        raise RuntimeError("the outer step fails after the inner one succeeded")
    assert count(db, "curator") == 2 and not db.conn.in_transaction


def test_inspect_reads_without_writing(db, db_path):
    db.conn.close()
    before = digest(db_path)
    info = storage.inspect(db_path)
    assert info["integrity"] == "ok"
    assert info["schema_version"] == storage.SCHEMA_VERSION
    assert info["counts"]["ref_item"] > 0
    assert digest(db_path) == before
