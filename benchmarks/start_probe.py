"""One start of a window, in a fresh process, for benchmarks/run.py: prints one JSON line.

    python benchmarks/start_probe.py bare
    python benchmarks/start_probe.py python-model
    python benchmarks/start_probe.py program --db PATH

`bare` is the baseline: PySide6 imported, a QApplication, a QMainWindow with one QTableView over a small
QStandardItemModel, shown at the program's size and its events processed. `program` is `main.py --db PATH
--smoke start` run in this process. Both count from the moment the parent spawned this process
($ANTIRISK_BENCH_SPAWN, a time.perf_counter() value: the same system-wide monotonic clock in every process on
Linux, Windows and macOS), so the interpreter's own start is in both figures; without it, from this file's
first line.
"""

from __future__ import annotations

import time

_T0 = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402


def _spawned_at() -> float:
    value = os.environ.get("ANTIRISK_BENCH_SPAWN")
    if value:
        spawn = float(value)
        if 0 <= _T0 - spawn < 60:  # the same clock as the parent's; else fall back to this process's start
            return spawn
    return _T0


def _window_over(make_model) -> int:
    """A QApplication and a QMainWindow with one QTableView over make_model(), at the main window's size, shown and
    its events processed; prints the time since the spawn (and since this file's first line) as one JSON line."""
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    model = make_model()
    view = QTableView(window)
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(1280, 720)  # the main window's size
    window.show()
    app.processEvents()
    total = (time.perf_counter() - _spawned_at()) * 1000
    own = (time.perf_counter() - _T0) * 1000
    window.close()
    app.processEvents()
    print(json.dumps({"start_total": round(total, 1), "in_process": round(own, 1)}))
    return 0


def bare() -> int:
    """The baseline: the table over a QStandardItemModel of 20 × 5 cells (C++: Python never sees a cell)."""

    def model():
        from PySide6.QtGui import QStandardItemModel

        cells = QStandardItemModel(20, 5)
        for r in range(20):
            for c in range(5):
                cells.setData(cells.index(r, c), f"{r}.{c}")  # setItem leaks a None reference in PySide6 6.12
        return cells

    return _window_over(model)


def python_model() -> int:
    """For information: the table over the smallest Python model (the four methods a table with headers needs).
    What PySide6 adds for a Python model that answers headerData: the first header asked for hands Python a
    Qt.Orientation, and PySide6 then makes all 93 enums of the Qt namespace (about 120 M instructions, 25–45 ms
    here). The program's lists do without: their header reads its titles from a C++ model (ui/qt_values.py)."""
    from PySide6.QtCore import QAbstractTableModel

    class Model(QAbstractTableModel):
        def rowCount(self, parent=None):
            return 20

        def columnCount(self, parent=None):
            return 5

        def data(self, index, role=0):
            return f"{index.row()}.{index.column()}" if role == 0 else None

        def headerData(self, section, orientation, role=0):
            return str(section + 1) if role == 0 else None

    return _window_over(Model)


def program(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    import io
    from contextlib import redirect_stdout

    t_import = time.perf_counter()
    import gc

    gc.disable()  # what main.py does first when run as a script: its imports run without the cycle collector
    import main  # the entry point's own module: its _T0 is taken here

    main._T0 = _spawned_at()  # count from the spawn, like the baseline
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        code = main.main([*argv, "--smoke", "start"])
    line = buffer.getvalue().strip().splitlines()[-1]
    timings = json.loads(line)["timings_ms"]
    timings["probe_overhead"] = round((t_import - _T0) * 1000, 1)
    print(json.dumps(timings))
    return code


if __name__ == "__main__":
    if sys.argv[1:2] == ["bare"]:
        sys.exit(bare())
    if sys.argv[1:2] == ["python-model"]:
        sys.exit(python_model())
    sys.exit(program(sys.argv[2:]))
