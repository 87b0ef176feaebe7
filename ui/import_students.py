"""Importing the pupils from a class list (XLSX or CSV): see which column is which and change it, preview the pupils
as they will be stored, see every invalid row and what will happen, then write all of it (or, when the user says
so, all but the invalid rows) in one transaction."""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from PySide6.QtCore import QAbstractTableModel, QEventLoop, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QTableView,
    QVBoxLayout,
)

from models import fmt, student_import
from models.db import Database
from models.i18n import N_, _
from models.school import GENDERS
from ui.bus import bus
from ui.combos import compact
from ui.worker import run_in_background

TITLE = N_("Import pupils from a class list")
ACTIONS = {
    "add": N_("new pupil"),
    "update": N_("will be updated"),
    "unchanged": N_("no change"),
    "reenrol": N_("returns to the school"),
}
COLUMNS = (
    ("row", N_("Row")),
    ("last_name", N_("Last name")),
    ("first_name", N_("First name")),
    ("middle_name", N_("Middle name")),
    ("birth_date", N_("Birth date")),
    ("class", N_("Class")),
    ("gender", N_("Gender")),
    ("ejournal_id", N_("E-journal id")),
    ("enrolled_on", N_("Enrolled on")),
    ("action", N_("What happens")),
)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class PreviewModel(QAbstractTableModel):
    """The valid rows of the file as they will be stored, with what importing does to each."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._shown: list[list[str]] = []
        self._keys: list[list] = []

    def set_rows(self, rows: list[student_import.StudentRow], actions: dict[int, student_import.Action]) -> None:
        self.beginResetModel()
        genders = dict(GENDERS)  # value → label to translate
        self._shown, self._keys = [], []
        for r in rows:
            v, action = r.values, actions.get(r.row)
            kind = ("reenrol" if action.reenrol else action.kind) if action else ""
            gender = genders.get(v.get("gender"), "")
            shown = {
                "row": str(r.row),
                "last_name": v.get("last_name", ""),
                "first_name": v.get("first_name", ""),
                "middle_name": v.get("middle_name") or "",
                "birth_date": fmt.format_date(v.get("birth_date")),
                "class": r.class_name,
                "gender": _(gender) if gender else "",
                "ejournal_id": v.get("ejournal_id") or "",
                "enrolled_on": fmt.format_date(v.get("enrolled_on")),
                "action": _(ACTIONS[kind]) if kind else _("invalid"),
            }
            keys = {
                "row": r.row,
                "birth_date": v.get("birth_date") or "",
                "enrolled_on": v.get("enrolled_on") or "",
                "class": v["grade"] * 100 + (ord(v["letter"][0]) % 100 if v.get("letter") else 0),
            }
            self._shown.append([shown[name] for name, _label in COLUMNS])
            self._keys.append([keys.get(name, shown[name].casefold()) for name, _label in COLUMNS])
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._shown[index.row()][index.column()]
        if role == SORT_ROLE:
            return self._keys[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section][1])
        return None


def read_in_background(parent, path: str, mapping: dict[str, int] | None = None) -> student_import.StudentPreview:
    """Read the file on a worker thread (the window keeps painting, a busy indicator shows after a moment) and
    wait for it here; raises what reading raises (StudentImportError for a file that cannot be read)."""
    loop, outcome = QEventLoop(), {}

    def finish(key: str, value) -> None:
        outcome[key] = value
        loop.quit()

    run_in_background(
        parent,
        _("Reading the class list…"),
        lambda: student_import.read_students(path, mapping),
        lambda preview: finish("preview", preview),
        lambda exc: finish("error", exc),
    )
    if not outcome:
        loop.exec()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["preview"]


class StudentImportDialog(QDialog):
    def __init__(self, db: Database, path: str, preview: student_import.StudentPreview, parent=None):
        super().__init__(parent)
        self.db, self.path = db, path
        self.setWindowTitle(_(TITLE))
        self.preview = preview
        self.plan: student_import.ImportPlan | None = None
        self.result: student_import.ImportResult | None = None
        self.source = QLabel(self)
        self.source.setWordWrap(True)
        self.combos: dict[str, QComboBox] = {}
        self.columns = columns = QGroupBox(_("Which column is which"), self)
        grid = QGridLayout(columns)
        for i, (name, label) in enumerate(student_import.FIELDS):
            combo = compact(QComboBox(columns), 12)
            combo.setObjectName(f"column_{name}")
            combo.addItem(_("— not imported —"), None)
            for index, header in enumerate(self.preview.headers):
                letter = get_column_letter(index + 1)
                combo.addItem(f"{letter}: {header}" if header else letter, index)
            combo.setCurrentIndex(max(0, combo.findData(self.preview.mapping.get(name))))
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.combos[name] = combo
            caption = QLabel(_(label), columns)
            caption.setBuddy(combo)
            grid.addWidget(caption, i // 3, (i % 3) * 2)
            grid.addWidget(combo, i // 3, (i % 3) * 2 + 1)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)
        self.ignored = QLabel(self)
        self.ignored.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.model = PreviewModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.problems_label = QLabel(_("Rows with problems:"), self)
        self.problems = QListWidget(self)
        self.problems.setMaximumHeight(120)
        self.what = QLabel(self)
        self.what.setWordWrap(True)
        self.skip = QCheckBox(_("Import the valid rows and skip the invalid ones"), self)
        self.skip.toggled.connect(self._update_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.source)
        layout.addWidget(columns)
        layout.addWidget(self.ignored)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems)
        layout.addWidget(self.what)
        layout.addWidget(self.skip)
        layout.addWidget(buttons)
        self.resize(1100, 720)
        self._show_preview()

    def mapping(self) -> dict[str, int]:
        return {name: combo.currentData() for name, combo in self.combos.items() if combo.currentData() is not None}

    def _mapping_changed(self, _index: int = 0) -> None:
        """The file is read again with the columns as now chosen."""
        self.columns.setEnabled(False)
        self.import_button.setEnabled(False)
        try:
            self.preview = read_in_background(self, self.path, self.mapping())
        except student_import.StudentImportError as exc:
            self.preview_failed(str(exc))
            return
        finally:
            self.columns.setEnabled(True)
        self._show_preview()

    def preview_failed(self, message: str) -> None:
        self.plan = None
        self.error.setText(message)
        self.error.show()
        self.model.set_rows([], {})
        self.problems.clear()
        self.problems.hide()
        self.problems_label.hide()
        self.skip.hide()
        self.what.setText("")
        self._update_button()

    def _show_preview(self) -> None:
        p = self.preview
        self.error.hide()
        where = (
            _("File “{file}”, sheet “{sheet}”, header in row {row}.").format(
                file=p.file_name, sheet=p.sheet, row=p.header_row
            )
            if p.sheet
            else _("File “{file}”, header in line {row}.").format(file=p.file_name, row=p.header_row)
        )
        if p.title_class:
            where += " " + _("Pupils without a class in their row are in class {name} (from the title).").format(
                name=f"{p.title_class[0]}{p.title_class[1]}"
            )
        self.source.setText(" ".join([where, *p.warnings]))
        self.ignored.setText(
            _("Not imported and not kept: {columns}.").format(columns="; ".join(p.ignored)) if p.ignored else ""
        )
        self.ignored.setVisible(bool(p.ignored))
        self.plan = student_import.plan(self.db, p)
        actions = {a.row: a for a in self.plan.actions}
        self.model.set_rows(p.rows, actions)
        self.table.resizeColumnsToContents()
        self.problems.clear()
        for problem in self.plan.problems:
            self.problems.addItem(str(problem))
        has_problems = bool(self.plan.problems)
        self.problems.setVisible(has_problems)
        self.problems_label.setVisible(has_problems)
        self.skip.setVisible(has_problems)
        text = _("What will happen: {summary}.").format(
            summary=student_import.summary(self.plan.added, self.plan.updated, self.plan.unchanged, self.plan.invalid)
        )
        if self.plan.reenrolled:
            text += " " + _("Of them, pupils who had left the school and will be enrolled again: {n}.").format(
                n=self.plan.reenrolled
            )
        if has_problems:
            text += " " + _("With invalid rows nothing is imported unless you choose to skip them.")
        self.what.setText(text)
        self._update_button()

    def _update_button(self, _on: bool = False) -> None:
        plan = self.plan
        ready = plan is not None and plan.added + plan.updated > 0 and (not plan.problems or self.skip.isChecked())
        self.import_button.setEnabled(ready)

    def accept(self) -> None:
        if not self.import_button.isEnabled():
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result = student_import.import_students(self.db, self.preview, skip_invalid=self.skip.isChecked())
        except student_import.StudentImportError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return
        QApplication.restoreOverrideCursor()
        bus.data_changed.emit()
        super().accept()

    def result_text(self) -> str:
        r = self.result
        if r is None:
            return ""
        counts = student_import.summary(r.added, r.updated, r.unchanged, r.invalid)
        text = _("Imported: {summary}.").format(summary=counts)
        if r.reenrolled:
            text += " " + _("Enrolled again (they had left): {n}.").format(n=r.reenrolled)
        return text


def import_students(parent, db: Database) -> bool:
    """Ask for a class list, show its preview and import it; True when pupils were written."""
    path, _filter = QFileDialog.getOpenFileName(parent, _(TITLE), "", _("Class list (*.xlsx *.csv)"))
    if not path:
        return False
    try:
        preview = read_in_background(parent, path)
    except student_import.StudentImportError as exc:
        QMessageBox.warning(parent, _(TITLE), str(exc))
        return False
    dialog = StudentImportDialog(db, path, preview, parent)
    if not dialog.exec():
        return False
    QMessageBox.information(parent, _(TITLE), dialog.result_text())
    return True
