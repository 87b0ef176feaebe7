"""Nothing lost: one writer at a time, rotating backups, crash safety under SIGKILL, interrupted migrations."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models import backup
from models import db as storage
from models.lock import DatabaseLock, LockedError

ROOT = Path(__file__).resolve().parent.parent


def test_a_second_writer_is_refused_with_a_clear_message(db_path):
    first = DatabaseLock(db_path).acquire()
    try:
        with pytest.raises(LockedError, match="уже открыта"):
            DatabaseLock(db_path).acquire()
    finally:
        first.release()
    DatabaseLock(db_path).acquire().release()  # free again once released


def test_a_second_program_on_the_same_file_changes_nothing(demo_db, db_path):
    demo_db.conn.close()
    before = db_path.read_bytes()
    lock = DatabaseLock(db_path).acquire()
    try:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        for args in (["--db", str(db_path), "--smoke"], ["demo", "--db", str(db_path)],
                     ["restore", "--db", str(db_path), "--from", str(db_path)]):
            result = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                                    text=True, env=env, timeout=120)
            assert result.returncode == 1 and "уже открыта" in result.stderr
    finally:
        lock.release()
    assert db_path.read_bytes() == before


def test_the_lock_of_a_killed_program_does_not_linger(db_path):
    code = (f"from models.lock import DatabaseLock; held = DatabaseLock({str(db_path)!r}).acquire(); "
            "print('locked', flush=True); input()")
    child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stdin=subprocess.PIPE,
                             text=True)
    assert child.stdout.readline().strip() == "locked"
    with pytest.raises(LockedError):
        DatabaseLock(db_path).acquire()
    child.send_signal(signal.SIGKILL)
    child.wait()
    DatabaseLock(db_path).acquire().release()


def test_automatic_backups_rotate(db, db_path):
    made = [backup.auto_backup(db, db_path, keep=3, reason=f"r{i}") for i in range(5)]
    assert all(made)
    kept = backup.list_backups(db_path)
    assert len(kept) <= 3
    assert backup.check_backup(kept[0]) == storage.SCHEMA_VERSION
    assert backup.auto_backup(db, db_path, keep=0, reason="off") is None


WRITER = """
import sys, random
from models.i18n import set_language
set_language("ru")
from models.db import open_database
from models import records, school
db = open_database(sys.argv[1])
rng = random.Random(int(sys.argv[2]))
n = 0
while True:
    n += 1
    staff = records.save(db, school.STAFF, {"last_name": f"Учитель{n}", "first_name": "Анна",
                                            "subjects": [rng.randint(1, 5), rng.randint(6, 10)]})
    records.save(db, school.CURATOR, {"curator_school": f"Школа {n}", "full_name": f"Куратор {n}"})
    print(staff, flush=True)  # acknowledged only after the transaction committed
"""


def test_killed_mid_write_loses_nothing_acknowledged(tmp_path):
    rounds = int(os.environ.get("ANTIRISK_CRASH_ROUNDS", "50"))
    path = tmp_path / "crash.db"
    storage.open_database(path).conn.close()
    acknowledged: set[int] = set()
    rng = random.Random(20261122)
    for round_no in range(rounds):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(round_no)], cwd=ROOT,
                                 stdout=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.25, 0.6))  # start-up takes ~0.2 s; the kill lands amid writes
        child.send_signal(signal.SIGKILL)
        out, _err = child.communicate()
        acknowledged |= {int(line) for line in out.split()}
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        present = {r[0] for r in conn.execute("SELECT id FROM staff")}
        assert acknowledged <= present, f"round {round_no}: lost {acknowledged - present}"
        # a staff row and its subjects are one action: never one without the other
        assert conn.execute("SELECT count(*) FROM staff s WHERE NOT EXISTS "
                            "(SELECT 1 FROM staff_subject l WHERE l.staff_id = s.id)").fetchone()[0] == 0
        conn.close()
    assert len(acknowledged) > rounds  # the kills did land in the middle of real work


def test_a_migration_killed_halfway_leaves_the_old_database_whole(db, db_path):
    db.execute("INSERT INTO curator (curator_school, full_name) VALUES ('Гимназия № 2', 'Орлова Н. В.')")
    db.conn.close()
    script = f"""
import time, models.db as storage, models.migrations as m
connect = storage.connect
def slow_connect(path):
    conn = connect(path)
    conn.create_function("pause", 1, time.sleep)
    return conn
storage.connect = slow_connect
slow = ["CREATE TABLE extra (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO extra (v) VALUES ('half')",
        "SELECT pause(30)"]
storage.MIGRATIONS = [*m.MIGRATIONS, slow]
storage.SCHEMA_VERSION = len(storage.MIGRATIONS)
print("start", flush=True)
storage.open_database({str(db_path)!r})
"""
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "start"
    time.sleep(1.5)  # well inside the 30-second pause, after the migration's first statements
    assert child.poll() is None, "the migration ended before the kill"
    child.send_signal(signal.SIGKILL)
    child.wait()
    reopened = storage.open_database(db_path)  # the hot journal rolls the half-done migration back
    assert storage.schema_version(reopened) == storage.SCHEMA_VERSION
    assert storage.integrity(reopened) == "ok"
    assert "extra" not in reopened.table_names()
    assert reopened.execute("SELECT full_name FROM curator").fetchall() == [("Орлова Н. В.",)]
    assert list(db_path.parent.glob("*.bak")), "the copy taken before migrating is there to fall back on"


def test_check_reports_a_damaged_file(tmp_path, demo_db, db_path):
    demo_db.conn.close()
    damaged = tmp_path / "damaged.db"
    data = bytearray(db_path.read_bytes())
    data[4096 * 5:4096 * 5 + 3000] = os.urandom(3000)
    damaged.write_bytes(bytes(data))
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", "--db", str(damaged)],
                            capture_output=True, text=True)
    if result.returncode == 0:
        assert json.loads(result.stdout)["integrity"] != "ok"
    else:
        assert result.stderr.startswith("Ошибка:")
