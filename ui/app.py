"""The application object: Qt's own translations, the locale, and the handler that catches every error."""

from __future__ import annotations

import logging
import os
import sys
import traceback

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from models import __version__
from models.paths import resources_dir

log = logging.getLogger("antirisk")


def create_application(lang: str, argv: list[str] | None = None) -> QApplication:
    """The QApplication with Qt's bundled catalog for `lang`, so Qt's own buttons speak it too.

    Qt's painter hands a fill of more than about a hundred lines (a table's background, a scroll bar's groove) to a
    pool of threads in slices; on a two-core school PC waking them costs far more than it saves: a list's scroll
    bar took 5 ms to paint, 0.3 ms painted by the one thread, and a screen of cells 9.8 ms, 5.5 ms. So the program
    paints with one thread (QT_NO_GUI_THREADPOOL, read once, at the first paint; any value turns the pool off)."""
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    QCoreApplication.setOrganizationName("Antirisk")
    QCoreApplication.setApplicationName("Antirisk")
    QCoreApplication.setApplicationVersion(__version__)
    icon = resources_dir() / "icons" / "antirisk-256.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    QGuiApplication.setDesktopFileName("antirisk")  # the taskbar and Wayland find the .desktop file's icon
    # By name: the locale needs no Language or Country enum.
    locale = QLocale("ru_RU" if lang == "ru" else "en_GB")
    QLocale.setDefault(locale)
    if lang != "en":
        translator = QTranslator(app)
        if translator.load(
            locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        ):
            app.installTranslator(translator)
        else:
            log.warning("Qt's catalog for %s was not found", lang)
    return app


class ErrorHandler:
    """sys.excepthook: log the traceback; show the dialog (or, in a smoke run, fail the run)."""

    def __init__(self, log_file: str, interactive: bool = True):
        self.log_file = log_file
        self.interactive = interactive
        self.errors: list[str] = []

    def __call__(self, exc_type, exc, tb) -> None:
        report = "".join(traceback.format_exception(exc_type, exc, tb))
        report = f"Antirisk {__version__}, Python {sys.version.split()[0]}\n{report}"
        log.error("Unexpected error\n%s", report)
        self.errors.append(report)
        if not self.interactive or QApplication.instance() is None:
            sys.stderr.write(report)
            return
        from ui.error_dialog import ErrorDialog  # made when first needed: QDialog's class costs the start ~2 ms

        ErrorDialog(report, self.log_file, QApplication.activeWindow()).exec()

    def install(self) -> ErrorHandler:
        sys.excepthook = self
        return self
