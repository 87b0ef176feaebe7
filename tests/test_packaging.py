"""Packaging: the spec carries everything the program reads; databases of older schemas are copied aside and
upgraded, newer ones refused; and a built bundle (ANTIRISK_BUNDLE=dist/antirisk) runs without Python.

The bundle tests run only when ANTIRISK_BUNDLE names a built folder; the two-builds test only when
ANTIRISK_OLD_SOURCE names an older checkout (see packaging/README.md). Everything else runs everywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from models.migrations import MIGRATIONS

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "antirisk.spec"
BUNDLE = os.environ.get("ANTIRISK_BUNDLE")  # a relative path is taken from here: the runs start elsewhere
BUNDLE = str(Path(BUNDLE).resolve()) if BUNDLE else None
OLD_SOURCE = os.environ.get("ANTIRISK_OLD_SOURCE")
needs_bundle = pytest.mark.skipif(
    not BUNDLE, reason="set ANTIRISK_BUNDLE to a built bundle folder (packaging/build_linux.sh makes dist/antirisk)"
)
# Folders below resources/ that the code may look into but that need not exist (models/pdf.py: own fonts).
OPTIONAL_RESOURCES = {"fonts"}


# ---- the spec, run with stand-ins for PyInstaller's classes -----------------------------------------------------


def run_spec(platform: str | None = None) -> dict:
    """Execute the spec as PyInstaller would, with recording stand-ins; return its namespace."""

    def analysis(scripts, **kw):
        datas = [(str(Path(dest) / Path(src).name), src, "DATA") for src, dest in kw["datas"]]
        return SimpleNamespace(scripts=scripts, datas=datas, binaries=[], pure=[], kw=kw)

    made: dict[str, list] = {"EXE": [], "COLLECT": []}
    namespace = {
        "SPECPATH": str(SPEC.parent),
        "Analysis": analysis,
        "PYZ": lambda pure: SimpleNamespace(pure=pure),
        "EXE": lambda *a, **kw: made["EXE"].append(kw) or kw,
        "COLLECT": lambda *a, **kw: made["COLLECT"].append((a, kw)),
        "__name__": "__main__",
    }
    real = sys.platform
    if platform:
        sys.platform = platform
    try:
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    finally:
        sys.platform = real
    namespace["made"] = made
    return namespace


@pytest.fixture(scope="module")
def spec() -> dict:
    return run_spec()


def bundled(spec: dict) -> set[str]:
    return {dest.replace("\\", "/") for dest, _src, _kind in spec["a"].datas}


def test_every_folder_the_program_resolves_exists_and_the_spec_carries_it(spec):
    from models import paths

    assert set(spec["DATA_FOLDERS"]) == {"resources", "translations"}
    for name in spec["DATA_FOLDERS"]:
        folder = getattr(paths, f"{name}_dir")()
        assert folder == ROOT / name and folder.is_dir()
    datas = bundled(spec)
    wanted = {
        str(p.relative_to(ROOT)) for p in (ROOT / "resources").rglob("*")
        if p.is_file() and p.relative_to(ROOT).parts[1] != "screenshots"
    }
    wanted |= {str(p.relative_to(ROOT)) for p in (ROOT / "translations").glob("*/LC_MESSAGES/antirisk.po")}
    assert "translations/ru/LC_MESSAGES/antirisk.po" in wanted
    assert wanted <= datas, sorted(wanted - datas)
    assert not any(d.startswith("resources/screenshots") for d in datas)  # the README's pictures stay out


def test_every_resource_folder_named_in_the_code_exists():
    named = set()
    for path in [ROOT / "main.py", *(ROOT / "models").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        named |= set(re.findall(r"resources_dir\(\)\s*/\s*\"([\w.-]+)\"", path.read_text(encoding="utf-8")))
    assert {"guide", "icons", "licenses"} <= named
    missing = {name for name in named if not (ROOT / "resources" / name).exists()} - OPTIONAL_RESOURCES
    assert not missing


def test_the_pdf_font_fallback_goes_into_the_bundle_where_models_pdf_looks(spec):
    datas = bundled(spec)
    for name in ("SourceSansPro-Regular.ttf", "SourceSansPro-Bold.ttf"):
        assert f"font_source_sans_pro/files/{name}" in datas
    source = (ROOT / "models" / "pdf.py").read_text(encoding="utf-8")
    assert 'Path(font_source_sans_pro.__file__).parent / "files"' in source


def test_every_module_of_ours_is_a_hidden_import(spec):
    hidden = set(spec["a"].kw["hiddenimports"])
    for path in [*(ROOT / "models").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        assert ".".join(parts) in hidden
    assert {"ui.pages.reports", "ui.guide", "ui.about"} <= hidden


def test_what_we_do_not_use_is_excluded_and_nothing_of_ours_imports_it(spec):
    excludes = set(spec["a"].kw["excludes"])
    unused = {"PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtWebEngineCore"}
    assert unused | {"numpy", "matplotlib", "pandas", "tkinter", "scipy"} <= excludes
    for path in [ROOT / "main.py", *(ROOT / "models").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for module in unused | {"numpy", "matplotlib", "pandas"}:
            assert not re.search(rf"^\s*(from|import)\s+{re.escape(module)}\b", text, re.M), (path, module)


def test_the_trimming_keeps_russian_and_english_and_drops_the_rest(spec):
    keep = spec["keep"]

    def entry(dest: str) -> tuple[str, str, str]:
        return (dest, "/src/" + dest, "DATA")

    assert keep(entry("PySide6/Qt/translations/qtbase_ru.qm"))
    assert keep(entry("PySide6/Qt/translations/qt_en.qm"))
    assert not keep(entry("PySide6/Qt/translations/qtbase_de.qm"))
    assert keep(entry("babel/locale-data/ru.dat")) and keep(entry("babel/locale-data/root.dat"))
    assert keep(entry("babel/locale-data/en_GB.dat")) and not keep(entry("babel/locale-data/de.dat"))
    assert keep(entry("PySide6/Qt/plugins/platforms/libqxcb.so"))
    assert keep(entry("PySide6/Qt/plugins/platforms/libqoffscreen.so"))
    assert keep(entry("PySide6/Qt/plugins/platforms/libqwayland.so"))
    assert keep(entry(r"PySide6\plugins\platforms\qwindows.dll"))
    assert keep(entry("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so"))
    assert keep(entry("PySide6/Qt/plugins/imageformats/libqjpeg.so"))
    assert not keep(entry("PySide6/Qt/plugins/platforms/libqeglfs.so"))
    assert not keep(entry("PySide6/Qt/plugins/platformthemes/libqgtk3.so"))
    assert not keep(entry("PySide6/Qt/lib/libQt6Quick.so.6"))
    assert keep(entry("PySide6/Qt/lib/libQt6Network.so.6"))  # QtPdf links it


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF libraries are Linux's")
def test_the_spec_reads_what_a_library_needs(spec):
    import PySide6

    core = next(Path(PySide6.__file__).parent.glob("QtCore.*.so"))
    needed = spec["elf_needed"](str(core))
    assert any(name.startswith("libQt6Core.so") for name in needed)
    assert spec["elf_needed"](str(SPEC)) is None  # not a library: kept, never guessed


def test_windows_gets_a_window_program_and_a_console_one():
    made = run_spec("win32")["made"]
    programs = {kw["name"]: kw["console"] for kw in made["EXE"]}
    assert programs == {"Antirisk": False, "antirisk-cli": True}
    assert all(kw["icon"].endswith("antirisk.ico") for kw in made["EXE"])
    assert made["COLLECT"][0][1]["name"] == "antirisk"


def test_linux_gets_one_program_named_antirisk(spec):
    assert [kw["name"] for kw in spec["made"]["EXE"]] == ["antirisk"]


def test_the_build_and_check_scripts_are_there_and_executable():
    for name in ("build_linux.sh", "check_bundle.sh", "install.sh", "guide_screenshots.sh"):
        path = ROOT / "packaging" / name
        assert path.is_file() and os.access(path, os.X_OK), name
    desktop = (ROOT / "packaging" / "antirisk.desktop").read_text(encoding="utf-8")
    assert "Name=Антириск" in desktop and "Categories=Office;Education;" in desktop
    assert re.search(r"^Comment=.*[а-я]", desktop, re.M)


# ---- upgrades: an older database is copied aside and migrated; a newer one is refused ---------------------------


def old_database(path: Path, version: int) -> dict[str, int]:
    """A database of schema `version` with a school and people in it, as that version would have left it."""
    from models import db as storage

    conn = storage.connect(path)
    storage._migrate(conn, 0, target=version)
    conn.execute("BEGIN")
    conn.execute("INSERT INTO school (full_name, short_name, status) VALUES ('МБОУ «СОШ № 5»', 'СОШ № 5', 'shnor')")
    for last, first in (("Иванова", "Анна"), ("Петров", "Олег"), ("Сидорова", "Мария")):
        conn.execute("INSERT INTO staff (last_name, first_name) VALUES (?, ?)", (last, first))
    conn.execute(
        "INSERT INTO student (last_name, first_name, grade, letter) VALUES ('Козлов', 'Илья', 5, 'А')"
    )
    conn.execute("COMMIT")
    conn.close()
    return {"school": 1, "staff": 3, "student": 1}


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("version", range(1, len(MIGRATIONS)))
def test_an_older_database_is_copied_aside_then_upgraded(tmp_path, version):
    from models import db as storage

    path = tmp_path / "school.db"
    rows = old_database(path, version)
    db = storage.open_database(path)
    db.conn.close()
    backups = list(tmp_path.glob(f"school.v{version}-*.bak"))
    assert len(backups) == 1
    assert user_version(backups[0]) == version
    report = storage.inspect(path)
    assert report["integrity"] == "ok"
    assert report["schema_version"] == storage.SCHEMA_VERSION
    for table, n in rows.items():
        assert report["counts"][table] == n
        assert storage.inspect(backups[0])["counts"][table] == n


def main_py(*args: str, cwd: Path | None = None, source: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, str(source / "main.py"), *args], capture_output=True, text=True,
                          cwd=cwd or source, env=env, timeout=120)


def test_the_program_upgrades_the_first_schema_through_the_command_line(tmp_path):
    from models import db as storage

    path = tmp_path / "school.db"
    old_database(path, 1)
    started = main_py("--db", str(path), "--smoke", "start")
    assert started.returncode == 0, started.stderr
    assert len(list(tmp_path.glob("school.v1-*.bak"))) == 1
    checked = main_py("check", "--db", str(path))
    report = json.loads(checked.stdout)
    assert report["integrity"] == "ok" and report["schema_version"] == storage.SCHEMA_VERSION


def test_a_database_of_a_newer_version_is_refused_and_left_untouched(tmp_path):
    from models import db as storage

    path = tmp_path / "school.db"
    storage.open_database(path).conn.close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {storage.SCHEMA_VERSION + 1}")
    conn.close()
    before = digest(path)
    with pytest.raises(storage.NewerDatabaseError, match="более новой версией"):
        storage.open_database(path)
    started = main_py("--db", str(path), "--smoke", "start")
    assert started.returncode != 0
    assert "более новой версией" in started.stderr and "Установите новую версию" in started.stderr
    assert digest(path) == before
    assert not list(tmp_path.glob("*.bak"))


@pytest.mark.skipif(not OLD_SOURCE, reason="set ANTIRISK_OLD_SOURCE to an older checkout (packaging/README.md)")
def test_two_versions_a_newer_opens_an_older_database_and_the_older_refuses_a_newer(tmp_path):
    from models import db as storage

    old = Path(OLD_SOURCE)
    path = tmp_path / "old.db"
    made = main_py("demo", "--db", str(path), source=old)
    assert made.returncode == 0, made.stderr
    old_version = user_version(path)
    assert old_version < storage.SCHEMA_VERSION
    assert main_py("--db", str(path), "--smoke", "start").returncode == 0
    assert len(list(tmp_path.glob(f"old.v{old_version}-*.bak"))) == 1
    assert storage.inspect(path)["schema_version"] == storage.SCHEMA_VERSION
    before = digest(path)
    refused = main_py("--db", str(path), "--smoke", "start", source=old)
    assert refused.returncode != 0 and "новой версией" in refused.stderr
    assert digest(path) == before


# ---- the built bundle, without Python --------------------------------------------------------------------------


def bundle_exe() -> Path:
    folder = Path(BUNDLE)
    for name in ("antirisk", "antirisk-cli.exe"):
        if (folder / name).is_file():
            return folder / name
    raise AssertionError(f"no antirisk executable in {folder}")


def run_bundle(home: Path, *args: str, extra: dict | None = None) -> subprocess.CompletedProcess:
    """The bundle with an empty environment (no PATH, no PYTHONPATH), from another working folder."""
    env = {"HOME": str(home), "QT_QPA_PLATFORM": "offscreen", **(extra or {})}
    if sys.platform == "win32":  # Windows cannot start a program without these
        env |= {k: os.environ[k] for k in ("SYSTEMROOT", "LOCALAPPDATA", "APPDATA", "USERPROFILE") if k in os.environ}
    return subprocess.run([str(bundle_exe()), *args], capture_output=True, text=True, cwd=home, env=env,
                          timeout=300, encoding="utf-8")


def current_quarter() -> str:
    today = dt.date.today()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


@needs_bundle
def test_the_bundle_runs_every_command_without_python(tmp_path):
    db = tmp_path / "d.db"
    steps = [
        ("demo", "--db", str(db)),
        ("--db", str(db), "--smoke", "all"),
        ("check", "--db", str(db)),
        ("report", "--db", str(db), "--period", current_quarter(), "--xlsx", str(tmp_path / "r.xlsx"),
         "--pdf", str(tmp_path / "r.pdf")),
        ("print", "program", "--db", str(db), "--id", "1", "--pdf", str(tmp_path / "p.pdf")),
    ]
    results = []
    for args in steps:
        done = run_bundle(tmp_path, *args)
        assert done.returncode == 0, (args, done.stderr[-2000:])
        results.append(done)
    assert json.loads(results[1].stdout.strip().splitlines()[-1])["ok"] is True
    assert json.loads(results[2].stdout)["integrity"] == "ok"
    assert (tmp_path / "r.xlsx").stat().st_size > 0
    if shutil.which("pdftotext"):
        for pdf in ("r.pdf", "p.pdf"):
            text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / pdf), "-"], capture_output=True,
                                  text=True, encoding="utf-8").stdout
            assert re.search("[А-Яа-яЁё]{4,}", text), pdf
    log = next(tmp_path.rglob("antirisk.log"), None)
    assert log is None or "catalog for" not in log.read_text(encoding="utf-8")  # qtbase_ru.qm was found


@needs_bundle
def test_the_bundle_makes_pdfs_with_its_own_font_alone(tmp_path):
    fonts = next(Path(BUNDLE).rglob("font_source_sans_pro/files"))
    db = tmp_path / "d.db"
    assert run_bundle(tmp_path, "demo", "--db", str(db)).returncode == 0
    done = run_bundle(tmp_path, "print", "program", "--db", str(db), "--id", "1", "--pdf", str(tmp_path / "p.pdf"),
                      extra={"ANTIRISK_PDF_FONT_DIR": str(fonts)})
    assert done.returncode == 0, done.stderr
    assert b"SourceSansPro" in (tmp_path / "p.pdf").read_bytes()


@needs_bundle
def test_the_bundle_upgrades_an_older_database_and_refuses_a_newer_one(tmp_path):
    from models import db as storage

    old = tmp_path / "old.db"
    old_database(old, 1)
    assert run_bundle(tmp_path, "--db", str(old), "--smoke", "start").returncode == 0
    assert len(list(tmp_path.glob("old.v1-*.bak"))) == 1
    report = json.loads(run_bundle(tmp_path, "check", "--db", str(old)).stdout)
    assert report == {**report, "integrity": "ok", "schema_version": storage.SCHEMA_VERSION}
    conn = sqlite3.connect(old)
    conn.execute(f"PRAGMA user_version = {storage.SCHEMA_VERSION + 1}")
    conn.close()
    before = digest(old)
    refused = run_bundle(tmp_path, "--db", str(old), "--smoke", "start")
    assert refused.returncode != 0 and "более новой версией" in refused.stderr
    assert digest(old) == before


@needs_bundle
def test_the_bundle_starts_about_as_fast_as_python(tmp_path):
    db = tmp_path / "d.db"
    assert run_bundle(tmp_path, "demo", "--db", str(db)).returncode == 0

    def median(run) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            assert run().returncode == 0
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    bundle = median(lambda: run_bundle(tmp_path, "--db", str(db), "--smoke", "start"))
    python = median(lambda: main_py("--db", str(db), "--smoke", "start"))
    assert bundle <= 1.5 * python, f"bundle {bundle:.2f} s, python {python:.2f} s"
