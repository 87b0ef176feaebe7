"""The one form: edits any record type from its field declarations, with the error shown at its field."""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from models import fmt, records
from models.db import Database
from models.i18n import _
from models.records import Field, Kind, RecordType
from ui.combos import compact

ERROR_STYLE = "color: #b00020;"


class DateEdit(QWidget):
    """A date typed as дд.мм.гггг or picked from a calendar; may be empty."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText(_("dd.mm.yyyy"))
        self.line.setMaxLength(10)
        self.button = QToolButton(self)
        self.button.setText("…")
        self.button.setToolTip(_("Pick from the calendar"))
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.setLocale(QLocale())
        self.calendar.clicked.connect(self._picked)
        menu = QMenu(self.button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._sync_calendar)
        self.button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)

    def _sync_calendar(self) -> None:
        try:
            iso = fmt.parse_date(self.line.text())
            self.calendar.setSelectedDate(QDate.fromString(iso, Qt.DateFormat.ISODate))
        except ValueError:
            self.calendar.setSelectedDate(QDate.currentDate())

    def _picked(self, date: QDate) -> None:
        self.line.setText(fmt.format_date(date.toString(Qt.DateFormat.ISODate)))
        self.button.menu().close()

    def value(self) -> str:
        return self.line.text()

    def set_value(self, iso: str | None) -> None:
        self.line.setText(fmt.format_date(iso) if iso else "")


class CheckList(QListWidget):
    """Several records chosen by ticking them (REFS fields)."""

    def set_options(self, options: list[tuple[int, str]], chosen: list[int]) -> None:
        self.clear()
        # the ticked ones first, so a saved choice is visible without scrolling
        for record_id, label in sorted(options, key=lambda o: o[0] not in chosen):
            item = QListWidgetItem(label, self)
            item.setData(Qt.ItemDataRole.UserRole, record_id)
            item.setCheckState(Qt.CheckState.Checked if record_id in chosen else Qt.CheckState.Unchecked)
        self.setMaximumHeight(120)

    def value(self) -> list[int]:
        return [
            self.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]


class RecordForm(QWidget):
    """Edits one record of `rtype`. `fixed` holds values not shown (a detail record's master id)."""

    saved = Signal(int)

    def __init__(
        self,
        db: Database,
        rtype: RecordType,
        record_id: int | None = None,
        fixed: dict | None = None,
        parent=None,
    ):
        super().__init__(parent)
        self.db, self.rtype, self.record_id = db, rtype, record_id
        self.fixed = dict(fixed or {})
        self.record = records.fetch(db, rtype, record_id) if record_id else None
        self.writer = records.save  # (db, rtype, values, record_id) → id; a wizard may write elsewhere
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.general_error = QLabel(self)
        self.general_error.setStyleSheet(ERROR_STYLE)
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for f in rtype.fields:
            if f.name in self.fixed:
                continue
            editor = self._make_editor(f)
            editor.setObjectName(f"field_{f.name}")
            error = QLabel(self)
            error.setObjectName(f"error_{f.name}")
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            cell = QVBoxLayout()
            cell.setSpacing(2)
            if f.restricted:  # hidden until the user asks, so it is not read over a shoulder
                reveal = QPushButton(_("Show the restricted note"), self)
                reveal.setObjectName(f"reveal_{f.name}")
                reveal.setCheckable(True)
                reveal.toggled.connect(editor.setVisible)
                reveal.toggled.connect(
                    lambda on, b=reveal: b.setText(
                        _("Hide the restricted note") if on else _("Show the restricted note")
                    )
                )
                editor.hide()
                cell.addWidget(reveal)
            cell.addWidget(editor)
            cell.addWidget(error)
            label = QLabel(_(f.label) + (" *" if f.required else ""), self)
            label.setBuddy(editor)
            form.addRow(label, cell)
            self.editors[f.name], self.errors[f.name] = editor, error
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_error)
        layout.addLayout(form)
        layout.addStretch(1)
        self.load(self.record or {f.name: f.default for f in rtype.fields})

    def _make_editor(self, f: Field) -> QWidget:
        if f.kind is Kind.DATE:
            return DateEdit(self)
        if f.kind is Kind.BOOL:
            return QCheckBox(self)
        if f.kind is Kind.LONGTEXT:
            edit = QPlainTextEdit(self)
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(60)
            edit.setMaximumHeight(110)
            return edit
        if f.kind in (Kind.CHOICE, Kind.REF):
            return compact(QComboBox(self), 30)
        if f.kind is Kind.REFS:
            return CheckList(self)
        edit = QLineEdit(self)
        edit.setMaxLength(f.limit() if f.kind is Kind.TEXT else 40)
        if f.placeholder:
            edit.setPlaceholderText(_(f.placeholder))
        return edit

    def load(self, values: dict) -> None:
        for f in self.rtype.fields:
            editor = self.editors.get(f.name)
            value = values.get(f.name)
            if editor is None:
                continue
            if f.kind is Kind.DATE:
                editor.set_value(value)
            elif f.kind is Kind.BOOL:
                editor.setChecked(bool(value))
            elif f.kind is Kind.LONGTEXT:
                editor.setPlainText(value or "")
            elif f.kind in (Kind.CHOICE, Kind.REF):
                editor.clear()
                if not f.required or value is None:
                    editor.addItem("", None)
                if f.kind is Kind.CHOICE:
                    for choice, label in f.choice_list():
                        editor.addItem(_(label), choice)
                else:
                    scope = values.get(f.scope, self.fixed.get(f.scope)) if f.scope else None
                    for record_id, label in records.options(self.db, f.ref, [value] if value else [], scope):
                        editor.addItem(label, record_id)
                editor.setCurrentIndex(max(0, editor.findData(value)))
            elif f.kind is Kind.REFS:
                editor.set_options(records.options(self.db, f.ref, keep=value or []), value or [])
            elif f.kind is Kind.NUMBER and value is not None:
                editor.setText(fmt.format_number(value, 4))
            else:
                editor.setText("" if value is None else str(value))
                if isinstance(editor, QLineEdit):
                    editor.setCursorPosition(0)  # a long name shows its beginning, not its end

    def values(self) -> dict:
        out = dict(self.fixed)
        for f in self.rtype.fields:
            editor = self.editors.get(f.name)
            if editor is None:
                continue
            if f.kind is Kind.DATE:
                out[f.name] = editor.value()
            elif f.kind is Kind.BOOL:
                out[f.name] = editor.isChecked()
            elif f.kind is Kind.LONGTEXT:
                out[f.name] = editor.toPlainText()
            elif f.kind in (Kind.CHOICE, Kind.REF):
                out[f.name] = editor.currentData()
            elif f.kind is Kind.REFS:
                out[f.name] = editor.value()
            else:
                out[f.name] = editor.text()
        return out

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, label in self.errors.items():
            label.setText(errors.get(name, ""))
            label.setVisible(name in errors)
        general = [msg for name, msg in errors.items() if name not in self.errors]
        self.general_error.setText("\n".join(general))
        self.general_error.setVisible(bool(general))
        first = next((n for n in self.errors if n in errors), None)
        if first:
            self.editors[first].setFocus()

    def save(self) -> int | None:
        """Write the record (one transaction); on bad input show why at each field and save nothing."""
        try:
            self.record_id = self.writer(self.db, self.rtype, self.values(), self.record_id)
        except records.ValidationError as exc:
            self.show_errors(exc.errors)
            return None
        self.show_errors({})
        self.saved.emit(self.record_id)
        return self.record_id


class RecordDialog(QDialog):
    """The record form in a dialog with Save / Cancel."""

    def __init__(
        self,
        db: Database,
        rtype: RecordType,
        record_id: int | None = None,
        fixed: dict | None = None,
        parent=None,
    ):
        super().__init__(parent)
        title = _(rtype.title)
        self.setWindowTitle(
            _("New: {what}").format(what=title)
            if record_id is None
            else _("{what} No. {id}").format(what=title, id=record_id)
        )
        self.form = RecordForm(db, rtype, record_id, fixed, self)
        scroll = QScrollArea(self)
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        self.resize(620, min(700, 140 + 62 * len(self.form.editors)))

    def accept(self) -> None:
        if self.form.save() is not None:
            super().accept()
