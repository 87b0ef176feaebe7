"""Importing a roadmap table from Excel: preview the tasks and measures, see every problem row, then write all
of it (or, when the user says so, all but the invalid rows) in one transaction."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from models import roadmap_import
from models.db import Database
from models.i18n import _
from ui.bus import bus


class RoadmapImportDialog(QDialog):
    def __init__(self, db: Database, path: str, program: dict | None, parent=None):
        super().__init__(parent)
        self.db, self.program = db, program
        self.setWindowTitle(_("Import a roadmap from Excel"))
        self.preview = roadmap_import.read_roadmap(path, roadmap_import.default_year_for(
            db, program["id"] if program else None))
        summary = QLabel(_("Sheet “{sheet}”, header in row {row}: tasks {tasks}, measures {measures}.").format(
            sheet=self.preview.sheet, row=self.preview.header_row, tasks=self.preview.task_count,
            measures=self.preview.measure_count), self)
        summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([_("Measure"), _("Deadline"), _("Responsible"), _("Row")])
        for task in self.preview.tasks:
            parent_item = QTreeWidgetItem(self.tree, [task.title or _("Without a task"), "", "", str(task.row or "")])
            for m in task.measures:
                QTreeWidgetItem(parent_item, [m.title, m.deadline_text, m.responsible_text, str(m.row)])
            parent_item.setExpanded(True)
        self.tree.setColumnWidth(0, 420)
        self.tree.setColumnWidth(1, 150)
        self.problems = QListWidget(self)
        for p in self.preview.problems:
            self.problems.addItem(str(p))
        for w in self.preview.warnings:
            self.problems.addItem(str(w))
        self.problems.setVisible(self.problems.count() > 0)
        self.problems.setMaximumHeight(110)
        self.skip = QCheckBox(_("Import the valid rows and skip the invalid ones"), self)
        self.skip.setVisible(bool(self.preview.problems))
        self.into_new = QRadioButton(_("into a new program"), self)
        self.into_existing = QRadioButton(
            _("into the selected program: {title}").format(title=program["title"]) if program else "", self)
        self.into_existing.setVisible(program is not None)
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(_("Title of the new program"))
        self.into_new.setChecked(True)
        self.into_new.toggled.connect(self.title.setEnabled)
        target = QFormLayout()
        target.addRow(self.into_new, self.title)
        target.addRow(self.into_existing)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.tree, 1)
        if self.preview.problems or self.preview.warnings:
            layout.addWidget(QLabel(_("Rows with problems:"), self))
        layout.addWidget(self.problems)
        layout.addWidget(self.skip)
        layout.addLayout(target)
        layout.addWidget(buttons)
        self.resize(980, 620)
        self.result_text = ""

    def accept(self) -> None:
        new_title = self.title.text().strip() if self.into_new.isChecked() else None
        try:
            result = roadmap_import.import_roadmap(
                self.db, self.preview, program_id=None if new_title is not None else self.program["id"],
                new_program_title=new_title, skip_invalid=self.skip.isChecked())
        except roadmap_import.RoadmapError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return
        self.result_text = _("Imported: tasks {tasks}, measures {measures}; rows skipped: {skipped}.").format(
            tasks=result.tasks_added, measures=result.measures_added, skipped=result.rows_skipped)
        self.program_id = result.program_id
        bus.data_changed.emit()
        super().accept()


def import_roadmap(parent, db: Database, program: dict | None) -> int | None:
    """Ask for a file, preview it, import it; returns the program id written into, or None."""
    path, _filter = QFileDialog.getOpenFileName(parent, _("Import a roadmap from Excel"), "",
                                                _("Excel workbook (*.xlsx)"))
    if not path:
        return None
    try:
        dialog = RoadmapImportDialog(db, path, program, parent)
    except roadmap_import.RoadmapError as exc:
        QMessageBox.warning(parent, _("Import a roadmap from Excel"), str(exc))
        return None
    if not dialog.exec():
        return None
    QMessageBox.information(parent, _("Import a roadmap from Excel"), dialog.result_text)
    return dialog.program_id
