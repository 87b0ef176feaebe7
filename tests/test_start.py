"""The start stays light (issue 9): the window opens with what the Home page and the window frame need, nothing more.

Each page, dialog and export library is imported when first used; a module-level import that pulls one in at start
costs every start its import time (and, for Qt, the Python enums of every class it names).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Modules of this program a start may load: the window frame, the Home page and the models it reads.
START_UI = {
    "ui", "ui.app", "ui.bus", "ui.combos", "ui.main_window", "ui.pages", "ui.pages.common", "ui.pages.home",
    "ui.qt_values", "ui.record_page", "ui.record_form", "ui.table_model",
}  # fmt: skip
START_MODELS = {
    "models", "models.assessments", "models.databank", "models.db", "models.fmt", "models.i18n", "models.lock",
    "models.meetings", "models.metrics", "models.migrations", "models.paths", "models.programs", "models.records",
    "models.reference", "models.routes", "models.school", "models.settings",
}  # fmt: skip
# Libraries only exports, imports, printing, charts or the catalog compiler need.
HEAVY = (
    "openpyxl", "reportlab", "babel", "PIL", "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtCharts",
    "PySide6.QtPrintSupport", "PySide6.QtSvg", "PySide6.QtNetwork", "email", "xml", "http", "csv",
    "dataclasses",  # generating a class's methods costs ~1 ms a class: the start's record types are named tuples
)  # fmt: skip

PROBE = """
import contextlib, io, json, os, sys
import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main.main(["--db", sys.argv[1], "--smoke", "start"])
print(json.dumps({"code": code, "smoke": out.getvalue(), "modules": sorted(sys.modules),
                  "painter_threads_off": os.environ.get("QT_NO_GUI_THREADPOOL"),
                  "qt_namespace_made": "Qt" in sys.modules["PySide6.QtCore"].__dict__}))
"""


def start(db_path: Path) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("QT_NO_GUI_THREADPOOL", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(db_path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_start_loads_only_the_window_frame_and_the_home_page(demo_db, db_path):
    found = start(db_path)
    assert found["code"] == 0 and json.loads(found["smoke"])["ok"] is True
    modules = set(found["modules"])
    ours = {m for m in modules if m.split(".")[0] in ("ui", "models")}
    assert ours - START_UI - START_MODELS == set()
    assert sorted(m for m in modules if m.split(".")[0] in HEAVY or m.startswith(HEAVY)) == []
    # Every other page is built (and imported) on its first visit.
    pages = {f"ui.pages.{p.stem}" for p in (ROOT / "ui" / "pages").glob("*.py")} - START_UI - {"ui.pages.__init__"}
    assert pages and not pages & modules
    # The window paints with one thread: Qt's painter threads cost a two-core PC more than they save
    assert found["painter_threads_off"] == "1"
    # PySide6 makes the Qt namespace's 93 enums at once, the first time Python names it or gets one of its values:
    # 35 ms the start does without (ui/qt_values.py says how)
    assert found["qt_namespace_made"] is False


def test_the_window_builds_only_the_home_page_at_start(qtbot, demo_db, db_path):
    from ui.main_window import MainWindow

    window = MainWindow(demo_db, str(db_path))
    qtbot.addWidget(window)
    window.show()
    assert list(window.pages) == ["home"]
    home = window.pages["home"]
    assert home.title.text()  # the school's name, read from the database
    assert home.tabs.count() > 1 and list(home._made) == [next(iter(home._specs))]  # only the tab on screen
    window.close()
    window.deleteLater()


def test_the_cycle_collector_rests_while_the_program_starts(monkeypatch, demo_db, db_path, tmp_path):
    """main() turns Python's collector off while it starts; start_over() turns it back on once the window is up
    (or at once for a command), and main() leaves it on whatever happens."""
    import contextlib
    import gc
    import io

    import main

    seen = []
    real = main.start_over
    monkeypatch.setattr(main, "start_over", lambda: (seen.append(gc.isenabled()), real()))
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert main.main(["--db", str(db_path), "--smoke", "start"]) == 0
    assert json.loads(out.getvalue().strip().splitlines()[-1])["ok"] is True
    assert seen == [False] and gc.isenabled()
    with contextlib.redirect_stdout(io.StringIO()):
        assert main.main(["check", "--db", str(db_path)]) == 0
    assert seen == [False, False] and gc.isenabled()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main.main(["check", "--db", str(tmp_path / "missing" / "none.db")]) == 1  # an error: still back on
    assert gc.isenabled()


def test_run_as_a_script_main_imports_without_the_cycle_collector(tmp_path):
    """python main.py: the collector is off from main.py's first import (the models' import makes only objects that
    live as long as the program), and main() leaves it on when it returns."""
    probe = """
import gc, runpy, sys
seen = {}
def hook(event, args):
    if event == "import" and args[0] == "models.db" and "models.db" not in seen:
        seen["models.db"] = gc.isenabled()
sys.addaudithook(hook)
sys.argv = ["main.py", "check", "--db", sys.argv[1]]
try:
    runpy.run_path("main.py", run_name="__main__")
except SystemExit:
    pass
print(seen, gc.isenabled())
"""
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "none.db")], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "{'models.db': False} True", result.stderr


def test_the_start_benchmark_probes_show_their_windows():
    """The start benchmark's floors (benchmarks/start_probe.py) each show a window and say how long it took."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for kind in ("bare", "python-model"):
        result = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "start_probe.py"), kind],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout.strip().splitlines()[-1])["start_total"] > 0


def test_a_tabbed_page_builds_the_tab_on_screen_and_the_others_when_first_shown(qtbot, demo_db, db_path):
    from ui.main_window import MainWindow

    window = MainWindow(demo_db, str(db_path))
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("routes")
    assert list(page._made) == ["students"] and page.tabs.currentWidget() is page.students
    assert page.tabs.count() == 3 and page.tabs.tabText(2)  # the others are there, empty, with their titles
    page.tabs.setCurrentIndex(2)  # a click on the tab
    assert list(page._made) == ["students", "effectiveness"]
    assert page.tabs.currentWidget() is page.effectiveness and page.effectiveness.isVisible()
    assert page.tabs.tabText(2) == "Эффективность"
    teachers = page.teachers  # asked for by name: made, not shown
    assert page.tabs.indexOf(teachers) == 1 and page.tabs.currentIndex() == 2 and not teachers.isVisible()
    assert page.tabs.tabText(1) == "Маршруты педагогов"
    window.open_route(demo_db.execute("SELECT id FROM learning_route WHERE kind = 'teacher'").fetchone()[0])
    assert page.tabs.currentWidget() is teachers and teachers.list.current() is not None
    window.close()
    window.deleteLater()


def test_the_window_loads_the_other_pages_modules_while_it_waits(qtbot, demo_db, db_path):
    """After the start (main.py calls warm_up), the pages' modules are loaded step by step, so a first click on a
    page builds only the page. Every page but Home is in the list, and the Assessments tab does not bring openpyxl."""
    from ui.main_window import PAGES, WARM_UP, MainWindow

    assert {s.module for s in PAGES[1:]} <= set(WARM_UP)
    window = MainWindow(demo_db, str(db_path))
    qtbot.addWidget(window)
    window.show()
    window.warm_up(after_ms=0)
    assert window.warming_up
    qtbot.waitUntil(lambda: not window.warming_up, timeout=30000)
    assert set(WARM_UP) <= set(sys.modules)
    window.close()
    window.deleteLater()
    probe = "import sys; import ui.pages.assessments; print(sorted(m for m in sys.modules if m.startswith('openpyxl')))"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr
