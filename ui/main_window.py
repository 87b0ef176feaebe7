"""The main window: navigation on the left, one page at a time on the right, built on first visit."""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable
from types import ModuleType

from PySide6.QtCore import QByteArray, QSettings, QSize, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMainWindow, QSplitter, QStackedWidget, QWidget

from models.db import Database
from models.i18n import N_, _
from models.school import school_profile


class PageSpec:
    """A page of the navigation: its key, its title (marked, translated where shown), the module that holds it and
    what builds it from that module and the window."""

    __slots__ = ("key", "title", "module", "make")

    def __init__(self, key: str, title: str, module: str, make: Callable[[ModuleType, MainWindow], QWidget]) -> None:
        self.key, self.title, self.module, self.make = key, title, module, make


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", N_("Home"), "ui.pages.home", lambda m, w: m.HomePage(w.db, opener=w)),
    PageSpec("school", N_("School and team"), "ui.pages.school", lambda m, w: m.SchoolPage(w.db)),
    PageSpec("programs", N_("Risk profile and programs"), "ui.pages.programs", lambda m, w: m.ProgramsPage(w.db)),
    PageSpec("databank", N_("Databank of pupils"), "ui.pages.databank", lambda m, w: m.DatabankPage(w.db)),
    PageSpec("routes", N_("Learning routes"), "ui.pages.routes", lambda m, w: m.RoutesPage(w.db)),
    PageSpec("meetings", N_("Curator meetings"), "ui.pages.meetings", lambda m, w: m.MeetingsPage(w.db)),
    PageSpec("reports", N_("Reports"), "ui.pages.reports", lambda m, w: m.ReportsPage(w.db, w.db_path)),
    PageSpec("reference", N_("Reference lists"), "ui.pages.reference", lambda m, w: m.ReferencePage(w.db)),
    PageSpec("settings", N_("Settings"), "ui.pages.settings", lambda m, w: m.SettingsPage(w.db_path)),
)

# What the pages' first visits would otherwise load on the click, loaded one step at a time while the window waits
# for it (MainWindow.warm_up): the pages' modules with the Qt classes they name (PySide6 makes a class and its enums
# when first named), the modules they share, and Babel's Russian number data, which the first percentage reads.
# Each step takes at most about 40 ms here (a module that takes longer has what it imports as a step before it).
WARM_UP_AFTER_MS = 300
WARM_UP: tuple[str, ...] = (
    "ui.record_form", "ui.chart", "ui.pages.school", "ui.pages.programs", "ui.pages.databank", "ui.pages.routes",
    "ui.pages.meetings", "models.report", "ui.pages.reports", "ui.pages.reference", "ui.pages.settings",
    "models.results_import", "ui.pages.assessments", "babel.numbers",
)  # fmt: skip


def _warm_qt_namespace() -> None:
    from PySide6.QtCore import Qt  # noqa: F401  its 93 Python enums, which the start does without (ui.qt_values)


def _warm_numbers() -> None:
    from models import fmt

    fmt.format_number(0.5)  # the decimal module
    fmt.format_percent(0.5)  # Babel's number data of the language


class MainWindow(QMainWindow):
    def __init__(self, db: Database, db_path: str, parent=None, lock=None, backups: bool = False):
        super().__init__(parent)
        self.db, self.db_path, self.lock, self.backups = db, db_path, lock, backups
        if backups:  # after the window is up: a start-up backup must not delay the first screen
            QTimer.singleShot(1500, lambda: self._auto_backup("start"))
        self.setWindowTitle(self._title())
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setMinimumWidth(235)
        self.nav.setMaximumWidth(280)
        self.nav.setIconSize(QSize(0, 0))
        for spec in PAGES:
            item = QListWidgetItem(_(spec.title), self.nav)
            item.setSizeHint(QSize(0, 34))
        self.stack = QStackedWidget(self)
        self.pages: dict[str, QWidget] = {}
        self._warm_steps: list[Callable[[], object]] = []  # see warm_up
        self.warm_up_error: str | None = None  # why the warm-up stopped, if a step failed
        splitter = QSplitter()  # horizontal; made without arguments: QSplitter(parent) makes Qt's enums (ui.qt_values)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(0, False)
        self.setCentralWidget(splitter)
        self.nav.currentRowChanged.connect(self._show_row)
        self._make_menus()
        self.statusBar().showMessage(_("Database: {path}").format(path=db_path))
        self.resize(1280, 720)
        self._restore_geometry()
        self.nav.setCurrentRow(0)

    def _title(self) -> str:
        profile = school_profile(self.db)
        name = profile["short_name"] if profile else ""
        return f"Antirisk — {name}" if name else "Antirisk"

    # ---- pages ---------------------------------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        """The page for `key`, built on first use (start-up builds only the first page)."""
        if key not in self.pages:
            spec = next(s for s in PAGES if s.key == key)
            widget = spec.make(importlib.import_module(spec.module), self)
            widget.setObjectName(f"page_{key}")
            self.pages[key] = widget
            self.stack.addWidget(widget)
        return self.pages[key]

    def show_page(self, key: str) -> QWidget:
        row = next(i for i, s in enumerate(PAGES) if s.key == key)
        self.nav.setCurrentRow(row)
        return self.pages[key]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentWidget(self.page(PAGES[row].key))

    def open_route(self, route_id: int) -> None:
        self.show_page("routes").open_route(route_id)

    def open_decision(self, decision_id: int) -> None:
        self.show_page("meetings").open_decision(decision_id)

    def open_measure(self, measure_id: int) -> None:
        self.show_page("programs").open_measure(measure_id)

    def open_indicator(self, indicator_id: int) -> None:
        self.show_page("programs").open_indicator(indicator_id)

    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def warm_up(self, after_ms: int = WARM_UP_AFTER_MS) -> None:
        """Once the start is over: load, step by step while the window is idle, what the other pages' first visits
        need (WARM_UP), so that the first click on a page builds only the page. A step runs between the user's
        events, never during one; the pages themselves are still built when first shown."""
        self._warm_steps = [
            _warm_qt_namespace, *(lambda name=name: importlib.import_module(name) for name in WARM_UP), _warm_numbers
        ]
        QTimer.singleShot(after_ms, self, self._warm_step)

    @property
    def warming_up(self) -> bool:
        """The warm-up is asked for and not over yet."""
        return bool(self._warm_steps)

    def _warm_step(self) -> None:
        step = self._warm_steps.pop(0)
        try:
            step()
        except Exception as exc:  # a page that cannot load says so when it is opened; the warm-up just stops
            logging.getLogger(__name__).exception("warming up the pages stopped")
            self.warm_up_error = f"{type(exc).__name__}: {exc}"
            self._warm_steps = []
        if self._warm_steps:
            QTimer.singleShot(0, self, self._warm_step)

    # ---- menus ---------------------------------------------------------------------------------------------

    def _action(self, menu, text: str, slot, shortcut=None, name: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            # a list, or a standard key's bindings: QKeySequence(text) and setShortcut() make Qt's enums (ui.qt_values)
            action.setShortcuts(
                shortcut if isinstance(shortcut, QKeySequence.StandardKey) else [QKeySequence.fromString(shortcut)]
            )
        action.triggered.connect(slot)
        if name:
            action.setObjectName(name)
        menu.addAction(action)
        return action

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        self._action(
            file_menu, _("&New record"), self._new_record, QKeySequence.StandardKey.New, "action_new"
        )
        self._action(file_menu, _("&Back up the database…"), self._backup, None, "action_backup")
        self._action(file_menu, _("&Restore from a backup…"), self._restore, None, "action_restore")
        file_menu.addSeparator()
        self._action(
            file_menu, _("&Print the list…"), self._print, QKeySequence.StandardKey.Print, "action_print"
        )
        file_menu.addSeparator()
        self._action(file_menu, _("E&xit"), self.close, QKeySequence.StandardKey.Quit)
        edit_menu = bar.addMenu(_("&Edit"))
        self._action(edit_menu, _("&Find"), self._find, QKeySequence.StandardKey.Find, "action_find")
        go_menu = bar.addMenu(_("&Go"))
        for number, spec in enumerate(PAGES, start=1):
            self._action(
                go_menu, _(spec.title), lambda _c=False, k=spec.key: self.show_page(k), f"Ctrl+{number}"
            )
        help_menu = bar.addMenu(_("&Help"))
        self._action(
            help_menu,
            _("&Help on this page"),
            self._help,
            QKeySequence.StandardKey.HelpContents,
            "action_help",
        )
        self._action(help_menu, _("&About Antirisk"), self._about)

    def _new_record(self) -> None:
        page = self.current_page()
        if hasattr(page, "new_record"):
            page.new_record()

    def _find(self) -> None:
        page = self.current_page()
        if hasattr(page, "focus_filter"):
            page.focus_filter()

    def _print(self) -> None:
        from ui.printing import print_current_list

        print_current_list(self)

    # The menu commands import what they need when used: a class PySide6 makes on first use (QFileDialog, QMessageBox,
    # QProcess: their enums) costs the start time (tests/test_start.py lists what a start may load).

    def _backup(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from models import backup

        target, _filter = QFileDialog.getSaveFileName(
            self,
            _("Back up the database"),
            backup.suggested_name(self.db_path),
            _("Antirisk database (*.db)"),
        )
        if not target:
            return
        try:
            backup.backup_to(self.db, target)
        except backup.BackupError as exc:
            QMessageBox.warning(self, _("Back up the database"), str(exc))
            return
        self.statusBar().showMessage(_("The backup is saved: {path}").format(path=target), 8000)

    def _auto_backup(self, reason: str) -> None:
        from models import backup, settings

        keep = int(settings.load().get("backup_count", 10))
        if backup.auto_backup(self.db, self.db_path, keep, reason) is None and keep > 0:
            self.statusBar().showMessage(_("The automatic backup could not be made."), 8000)

    def _restore(self) -> None:
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from models import backup

        source, _filter = QFileDialog.getOpenFileName(
            self, _("Restore from a backup"), str(backup.backups_folder(self.db_path)),
            _("Antirisk database (*.db)"))
        if not source:
            return
        try:
            backup.check_backup(source)
        except backup.BackupError as exc:
            QMessageBox.warning(self, _("Restore from a backup"), str(exc))
            return
        answer = QMessageBox.question(self, _("Restore from a backup"), _(
            "Replace the data with the backup {name}? The current state is saved aside first. The program "
            "then starts again.").format(name=Path(source).name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.db.conn.close()
        try:
            safety = backup.restore(self.db_path, source)
        except (backup.BackupError, OSError) as exc:
            QMessageBox.critical(self, _("Restore from a backup"), str(exc))
            self._restart()
            return
        QMessageBox.information(self, _("Restore from a backup"), _(
            "Restored. The previous state was saved as {path}").format(path=safety))
        self._restart()

    def _restart(self) -> None:
        """Start the program again on the same database (after a restore) and close this window."""
        from PySide6.QtCore import QProcess
        from PySide6.QtWidgets import QApplication

        args = sys.argv[1:] if getattr(sys, "frozen", False) else sys.argv
        self.backups = False
        self.close()
        QProcess.startDetached(sys.executable, args)
        QApplication.quit()

    def _help(self) -> None:
        """F1: the user's guide, opened at the section about the page on screen."""
        from ui.guide import show_guide

        self._guide = show_guide(self, PAGES[max(0, self.nav.currentRow())].key)

    def _about(self) -> None:
        from ui.about import AboutDialog

        AboutDialog(self.db_path, self).exec()

    # ---- geometry ------------------------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        value = QSettings().value("main_window/geometry")
        if isinstance(value, QByteArray):
            self.restoreGeometry(value)

    def closeEvent(self, event) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        if self.backups:
            self._auto_backup("exit")
        if self.lock is not None:
            self.lock.release()
        super().closeEvent(event)
