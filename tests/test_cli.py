"""The command line, as a user (or CI) runs it: real processes, real files, exit codes and messages."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, check: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    run("demo", "--db", str(path), check=True)
    return path


def test_demo_then_check_reports_integrity_ok_and_counts(demo):
    info = json.loads(run("check", "--db", str(demo), check=True).stdout)
    assert info["integrity"] == "ok"
    assert info["schema_version"] >= 1
    assert info["counts"]["student"] > 300 and info["counts"]["staff"] > 20


def test_demo_with_another_seed_is_another_school(tmp_path):
    names = set()
    for seed in ("1", "2"):
        path = tmp_path / f"s{seed}.db"
        run("demo", "--db", str(path), "--seed", seed, check=True)
        names.add(sqlite3.connect(path).execute("SELECT short_name FROM school").fetchone()[0])
    assert len(names) == 2


def test_demo_refuses_a_database_that_has_a_school(demo):
    before = demo.read_bytes()
    result = run("demo", "--db", str(demo))
    assert result.returncode != 0
    assert "уже есть школа" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert demo.read_bytes() == before


def test_check_of_a_missing_file_is_one_sentence_and_creates_nothing(tmp_path):
    result = run("check", "--db", str(tmp_path / "nope.db"))
    assert result.returncode == 1
    assert result.stderr.startswith("Ошибка:") and "не найден" in result.stderr
    assert not (tmp_path / "nope.db").exists()


def test_check_of_a_file_that_is_not_a_database(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("not sqlite")
    result = run("check", "--db", str(junk))
    assert result.returncode == 1 and "не является базой" in result.stderr


def test_backup_and_restore_through_the_command_line(demo, tmp_path):
    work = tmp_path / "work.db"
    work.write_bytes(demo.read_bytes())
    copy = tmp_path / "copy.db"
    run("backup", "--db", str(work), "--to", str(copy), check=True)
    assert json.loads(run("check", "--db", str(copy), check=True).stdout)["integrity"] == "ok"
    conn = sqlite3.connect(work)
    conn.execute("DELETE FROM working_group_member")
    conn.commit()
    conn.close()
    result = run("restore", "--db", str(work), "--from", str(copy), check=True)
    assert "восстановлена" in result.stdout
    counts = json.loads(run("check", "--db", str(work), check=True).stdout)["counts"]
    assert counts["working_group_member"] > 0


def test_restore_from_junk_fails_and_changes_nothing(demo, tmp_path):
    work = tmp_path / "work.db"
    work.write_bytes(demo.read_bytes())
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00" * 5000)
    result = run("restore", "--db", str(work), "--from", str(junk))
    assert result.returncode == 1 and result.stderr.startswith("Ошибка:")
    assert work.read_bytes() == demo.read_bytes()


def test_english_messages_on_request(tmp_path):
    result = run("check", "--db", str(tmp_path / "nope.db"), "--lang", "en")
    assert result.stderr.startswith("Error:") and "does not exist" in result.stderr


@pytest.mark.parametrize("mode", ["start", "all"])
def test_smoke_shows_the_window_and_prints_timings(demo, mode):
    result = run("--db", str(demo), "--smoke", mode, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ok"] is True
    assert report["timings_ms"]["window_shown"] >= 0
    assert ("page_reference" in report["timings_ms"]) == (mode == "all")
    assert ("warm_up" in report["timings_ms"]) == (mode == "all")  # the smoke of every page warms up first


def test_smoke_of_every_page_fails_when_the_warm_up_cannot_load_a_module(demo, monkeypatch, capsys):
    """A bundle missing a page's module is caught by `--smoke all` (packaging/check_bundle.sh runs it), not only when
    a user opens that page."""
    import main
    import ui.main_window

    monkeypatch.setattr(ui.main_window, "WARM_UP", (*ui.main_window.WARM_UP, "ui.pages.no_such_page"))
    assert main.main(["--db", str(demo), "--smoke", "all"]) == 1
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["ok"] is False


def test_smoke_on_a_new_database_starts_without_the_wizard(tmp_path):
    result = run("--db", str(tmp_path / "new.db"), "--smoke", check=True)
    assert json.loads(result.stdout.strip().splitlines()[-1])["ok"] is True


def test_smoke_with_a_newer_database_fails_with_one_sentence(demo, tmp_path):
    newer = tmp_path / "newer.db"
    newer.write_bytes(demo.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    before = newer.read_bytes()
    result = run("--db", str(newer), "--smoke")
    assert result.returncode == 1 and "более новой версией" in result.stderr
    assert newer.read_bytes() == before


def test_screenshots_render_every_page(demo, tmp_path):
    run("--db", str(demo), "--smoke", "all", "--screenshots", str(tmp_path / "shots"), check=True)
    shots = sorted((tmp_path / "shots").glob("*.png"))
    assert len(shots) >= 14
    assert all(p.stat().st_size > 5000 for p in shots)


def test_bad_arguments_are_refused(tmp_path):
    assert run("demo", "--db", str(tmp_path / "x.db"), "--size", "huge").returncode == 2
    assert run("frobnicate").returncode == 2
    assert not (tmp_path / "x.db").exists()
