"""Evidence files of a measure: kept inside the database, opened with the system's viewer."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from models import fmt, programs
from models.db import Database
from models.i18n import _
from models.records import ValidationError
from ui.bus import bus


class EvidenceDialog(QDialog):
    def __init__(self, db: Database, measure: dict, parent=None):
        super().__init__(parent)
        self.db, self.measure = db, measure
        self.setWindowTitle(_("Evidence files"))
        title = QLabel(measure.get("title") or "", self)
        title.setWordWrap(True)
        self.files = QListWidget(self)
        self.files.itemDoubleClicked.connect(lambda _item: self.open_file())
        add = QPushButton(_("Add a file…"), self)
        add.clicked.connect(self.add_file)
        self.open_button = QPushButton(_("Open"), self)
        self.open_button.clicked.connect(self.open_file)
        remove = QPushButton(_("Remove"), self)
        remove.clicked.connect(self.remove_file)
        buttons = QHBoxLayout()
        for b in (add, self.open_button, remove):
            buttons.addWidget(b)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        hint = QLabel(
            _("Scans of orders, minutes, photo reports: at most {limit} MB a file.").format(
                limit=programs.EVIDENCE_LIMIT // 1048576
            ),
            self,
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.files)
        layout.addLayout(buttons)
        layout.addWidget(hint)
        layout.addWidget(close)
        self.resize(560, 380)
        self.reload()

    def reload(self) -> None:
        self.files.clear()
        for e in programs.evidence_list(self.db, self.measure["id"]):
            size = _("{n} KB").format(n=fmt.format_number(e["size"] / 1024, 0))
            text = f"{e['file_name']}  ·  {size}  ·  {fmt.format_date(e['added_on'])}"
            item = QListWidgetItem(text, self.files)
            item.setData(Qt.ItemDataRole.UserRole, e["id"])

    def _current_id(self) -> int | None:
        item = self.files.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def add_file(self, path: str | None = None) -> None:
        if not path:
            path, _filter = QFileDialog.getOpenFileName(self, _("Add a file…"))
        if not path:
            return
        try:
            programs.add_evidence(self.db, self.measure["id"], path)
        except ValidationError as exc:
            QMessageBox.warning(self, _("Evidence files"), "\n".join(exc.errors.values()))
            return
        bus.data_changed.emit()
        self.reload()

    def open_file(self) -> None:
        evidence_id = self._current_id()
        if evidence_id is None:
            return
        name, content = programs.evidence_content(self.db, evidence_id)
        folder = Path(tempfile.mkdtemp(prefix="antirisk-"))
        target = folder / Path(name).name
        target.write_bytes(content)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def remove_file(self) -> None:
        evidence_id = self._current_id()
        if evidence_id is None:
            return
        answer = QMessageBox.question(
            self,
            _("Evidence files"),
            _("Remove “{name}”?").format(name=self.files.currentItem().text().split("  ·  ")[0]),
        )
        if answer == QMessageBox.StandardButton.Yes:
            programs.delete_evidence(self.db, evidence_id)
            bus.data_changed.emit()
            self.reload()
