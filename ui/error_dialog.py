"""The dialog for an unexpected error: what happened, a report to copy, and where the log is (ui.app shows it)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout

from models.i18n import _


class ErrorDialog(QDialog):
    """One dialog for any unexpected error: what happened, a report to copy, and the log's whereabouts."""

    def __init__(self, report: str, log_file: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Unexpected error"))
        text = QLabel(
            _(
                "Something went wrong in the program. Your saved data is safe: every change is written in one "
                "transaction. Copy the report below and send it to whoever supports the program. The report is "
                "also written to the log file:\n{path}"
            ).format(path=log_file),
            self,
        )
        text.setWordWrap(True)
        self.report = QPlainTextEdit(report, self)
        self.report.setReadOnly(True)
        copy = QPushButton(_("Copy the report"), self)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(report))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.report)
        layout.addWidget(buttons)
        self.resize(640, 420)
