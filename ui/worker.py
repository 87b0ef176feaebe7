"""Long work off the window's thread: one small helper runs a function on a worker and hands the result (or the
error) back on the GUI thread, so the window never freezes. Widgets are never touched from the worker."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from models.i18n import _


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], object]):
        super().__init__()
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # handed to the GUI thread, which decides what the user sees
            self.signals.failed.emit(exc)
            return
        self.signals.done.emit(result)


_running: set[_Job] = set()  # keeps jobs (and their signal objects) alive until they report


def run_in_background(parent: QWidget, text: str, work: Callable[[], object],
                      on_done: Callable[[object], None], on_error: Callable[[Exception], None]) -> None:
    """Run `work()` on a worker thread with a busy indicator; then call `on_done` or `on_error` here."""
    progress = QProgressDialog(text, None, 0, 0, parent)
    progress.setWindowTitle(_("Please wait"))
    progress.setMinimumDuration(400)  # quick work shows no dialog at all
    progress.setCancelButton(None)
    job = _Job(work)
    _running.add(job)

    def finish(handler, value) -> None:
        _running.discard(job)
        if not shiboken6.isValid(parent):  # the page was closed while the work ran: nobody to tell
            return
        progress.close()
        handler(value)

    job.signals.done.connect(lambda result: finish(on_done, result))
    job.signals.failed.connect(lambda exc: finish(on_error, exc))
    QThreadPool.globalInstance().start(job)
