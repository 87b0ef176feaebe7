"""Render every page (and every tab, and the record form) to PNG at 1366×768, so a person can look at all
screens at once: `python main.py --db demo.db --smoke all --screenshots shots/`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QTabWidget

from models import records, school
from ui.main_window import PAGES, MainWindow
from ui.record_form import RecordDialog
from ui.wizard import SetupDialog

SIZE = (1366, 768)


def render_all(window: MainWindow, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    window.resize(*SIZE)
    saved: list[Path] = []

    def grab(widget, name: str) -> None:
        QApplication.processEvents()
        path = folder / f"{len(saved) + 1:02d}-{name}.png"
        widget.grab().save(str(path))
        saved.append(path)

    for spec in PAGES:
        page = window.show_page(spec.key)
        QApplication.processEvents()  # what a page starts once it is on screen (the report preview) starts
        QThreadPool.globalInstance().waitForDone(30000)  # …and its result shows
        QApplication.processEvents()
        tabs = page.findChild(QTabWidget)
        if tabs is None:
            grab(window, spec.key)
            continue
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            grab(window, f"{spec.key}-tab{index + 1}")
        tabs.setCurrentIndex(0)

    staff = records.rows(window.db, school.STAFF)
    dialog = RecordDialog(window.db, school.STAFF, staff[0]["id"] if staff else None, parent=window)
    dialog.show()
    grab(dialog, "form-staff")
    dialog.form.editors["birth_year"].setText("19x0")
    dialog.form.editors["hired_on"].line.setText("31.02.2020")
    dialog.form.save()  # shows the errors at their fields; saves nothing
    grab(dialog, "form-staff-errors")
    dialog.reject()
    wizard = SetupDialog(window.db, window)
    wizard.show()
    grab(wizard, "first-start")
    wizard.reject()
    return saved
