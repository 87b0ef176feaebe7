"""Банк данных обучающихся: the databank entries with their support log, the pupils with their cards, and the
assessments with class analytics."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from models import databank, fmt, records, school
from models.db import Database
from models.i18n import _
from models.records import ValidationError
from ui.bus import bus
from ui.combos import make_combo, refill
from ui.pages.common import RefreshOnShow, TabbedPage, tab_attribute
from ui.record_form import RecordDialog
from ui.record_page import RecordListPage


class EntriesTab(RefreshOnShow, QWidget):
    """The databank: filters, the entries, the support log and the restricted note of the selected entry."""

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.class_filter, self.category, self.subject = (
            make_combo(self, chars=6),
            make_combo(self, chars=14),
            make_combo(self, chars=12),
        )
        self.status, self.responsible = make_combo(self, chars=8), make_combo(self, chars=14)
        self.list = RecordListPage(db, databank.DATABANK_ROW, self, source=self._rows, editable=False)
        self.list.on_edit = self.edit
        self.list.add_action(_("New entry…"), self.new_record, "new_entry")
        self.list.add_action(_("Edit…"), lambda: self.edit(self.list.current()))
        self.list.add_action(_("Print the list…"), self.print_list, "print_databank")
        self.support = RecordListPage(db, databank.SUPPORT_ENTRY, self, heading=_("Support log"))
        self.support.set_parent_id(None)
        self.note = QPlainTextEdit(self)
        self.note.setReadOnly(True)
        self.note.hide()
        self.reveal = QPushButton(_("Show the restricted note"), self)
        self.reveal.setObjectName("reveal_note")
        self.reveal.setCheckable(True)
        self.reveal.toggled.connect(self._reveal)
        self.list.selection_changed.connect(self._chosen)
        self.refresh()
        for combo in (self.class_filter, self.category, self.subject, self.status, self.responsible):
            combo.currentIndexChanged.connect(lambda _i: self.list.reload())
        filters = QHBoxLayout()
        for label, combo in (
            (_("Class"), self.class_filter),
            (_("Category"), self.category),
            (_("Subject"), self.subject),
            (_("Status"), self.status),
            (_("Responsible"), self.responsible),
        ):
            filters.addWidget(QLabel(label, self))
            filters.addWidget(combo, 1)
        lower = QWidget(self)
        lower_layout = QHBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.support, 3)
        note_box = QVBoxLayout()
        note_box.addWidget(QLabel(f"<b>{html.escape(_('Restricted note'))}</b>", self))
        note_box.addWidget(self.reveal)
        note_box.addWidget(self.note, 1)
        note_box.addStretch(0)
        lower_layout.addLayout(note_box, 2)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(lower)
        splitter.setSizes([420, 200])
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        self.watch_data()

    def refresh(self) -> None:  # the filters' choices; the list follows a change on its own
        refill(self.class_filter, [(c, c) for c in databank.classes(self.db)], _("all classes"))
        refill(self.category, records.options(self.db, "difficulty_category"), _("all categories"))
        refill(self.subject, records.options(self.db, "subject"), _("all subjects"))
        statuses = [(k, _(v)) for k, v in databank.ENTRY_STATUSES]
        if self.status.count() == 0:
            refill(self.status, statuses, _("all statuses"))
            self.status.setCurrentIndex(self.status.findData("active"))
        refill(self.responsible, records.options(self.db, "staff"), _("anyone"))

    def current_filter(self) -> databank.DatabankFilter:
        return databank.DatabankFilter(
            class_name=self.class_filter.currentData(),
            category_id=self.category.currentData(),
            subject_id=self.subject.currentData(),
            status=self.status.currentData(),
            responsible_id=self.responsible.currentData(),
        )

    def _rows(self) -> list[dict]:
        return databank.databank(self.db, self.current_filter())

    def _chosen(self, row: dict | None) -> None:
        self.support.set_parent_id(row["id"] if row else None)
        self.reveal.setChecked(False)
        self.reveal.setEnabled(row is not None)

    def _reveal(self, on: bool) -> None:
        row = self.list.current()
        self.note.setPlainText(databank.restricted_note(self.db, row["id"]) if on and row else "")
        self.note.setVisible(on)
        self.reveal.setText(_("Hide the restricted note") if on else _("Show the restricted note"))

    def new_record(self) -> None:
        if RecordDialog(self.db, databank.DATABANK_ENTRY, None, None, self).exec():
            bus.data_changed.emit()

    def edit(self, row: dict | None) -> None:
        if row is not None and RecordDialog(self.db, databank.DATABANK_ENTRY, row["id"], None, self).exec():
            bus.data_changed.emit()

    def print_list(self) -> None:
        from models import databank_print
        from ui.pages.programs import save_pdf

        flt = self.current_filter()
        save_pdf(self, "databank.pdf", lambda path: databank_print.print_databank(self.db, path, flt=flt))


class StudentCard(QDialog):
    """Everything about one pupil on one screen, printable for a parent meeting or the PMPK."""

    def __init__(self, db: Database, student_id: int, parent=None):
        super().__init__(parent)
        self.db, self.student_id = db, student_id
        card = databank.student_card(db, student_id)
        self.setWindowTitle(school.full_name(card["student"]))
        view = QTextBrowser(self)
        view.setHtml(card_html(card))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        print_button = buttons.addButton(_("Print…"), QDialogButtonBox.ButtonRole.ActionRole)
        print_button.clicked.connect(self.print_card)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(view)
        layout.addWidget(buttons)
        self.resize(760, 600)

    def print_card(self) -> None:
        from models import databank_print
        from ui.pages.programs import save_pdf

        save_pdf(
            self,
            f"student-{self.student_id}.pdf",
            lambda path: databank_print.print_student(self.db, self.student_id, path),
        )


def card_html(card: dict) -> str:
    e = html.escape
    s = card["student"]
    lines = [
        f"<h2>{e(school.full_name(s))}, {e(card['class_name'])}</h2>",
        f"<p>{e(_('Birth date'))}: {e(fmt.format_date(s['birth_date']))}"
        f" · {e(_('E-journal id'))}: {e(s['ejournal_id'] or '—')}</p>",
    ]
    lines.append(f"<h3>{e(_('Databank entries'))}</h3>")
    if not card["entries"]:
        lines.append(f"<p>{e(_('none'))}</p>")
    for entry in card["entries"]:
        status = next(_(label) for value, label in databank.ENTRY_STATUSES if value == entry["status"])
        subject = f" — {entry['subject']}" if entry["subject"] else ""
        lines.append(
            f"<p><b>{e(entry['category'])}{e(subject)}</b> · {e(fmt.format_date(entry['identified_on']))}"
            f" · {e(status)} · {e(entry['responsible'])}<br>{e(entry['description'] or '')}</p>"
        )
        for step in entry["support"]:
            kind = next(_(label) for value, label in databank.SUPPORT_KINDS if value == step["kind"])
            lines.append(
                f"<p style='margin-left:20px'>{e(fmt.format_date(step['date']))} — {e(kind)}: "
                f"{e(step['text'] or '')}</p>"
            )
    lines.append(f"<h3>{e(_('Results'))}</h3>")
    if not card["results"]:
        lines.append(f"<p>{e(_('none'))}</p>")
    for r in card["results"]:
        mark = _("absent") if r["absent"] else (str(r["mark"]) if r["mark"] else "")
        total = fmt.format_number(r["total"]) if r["total"] is not None else ""
        lines.append(
            f"<p>{e(fmt.format_date(r['date']))} · {e(r['subject'])} · {e(total)} · <b>{e(mark)}</b></p>"
        )
    return "".join(lines)


class StudentsTab(RefreshOnShow, QWidget):
    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.class_filter = make_combo(self, chars=8)
        self.include_left = QCheckBox(_("show those who left"), self)
        self.list = RecordListPage(db, school.STUDENT, self, source=self._rows)
        self.list.add_action(_("Card…"), self.open_card, "student_card")
        self.list.add_action(_("Import a class list…"), self.import_list, "import_students")
        self.list.add_action(_("New academic year…"), self.promote, "promote")
        refill(self.class_filter, [(c, c) for c in databank.classes(db)], _("all classes"))
        self.class_filter.currentIndexChanged.connect(lambda _i: self.list.reload())
        self.include_left.toggled.connect(lambda _on: self.list.reload())
        self.watch_data()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("Class"), self))
        bar.addWidget(self.class_filter)
        bar.addWidget(self.include_left)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.list, 1)

    def refresh(self) -> None:  # the classes to choose from; the list follows a change on its own
        refill(self.class_filter, [(c, c) for c in databank.classes(self.db)], _("all classes"))

    def _rows(self) -> list[dict]:
        return databank.students_of(self.db, self.class_filter.currentData(), self.include_left.isChecked())

    def import_list(self) -> None:
        from ui.import_students import import_students

        if import_students(self, self.db):
            bus.data_changed.emit()

    def open_card(self) -> None:
        row = self.list.current()
        if row is not None:
            StudentCard(self.db, row["id"], self).exec()

    def promote(self) -> None:
        start_year = school.academic_year_start(dt.date.today())
        if dt.date.today().month < 6:  # in spring the next year is meant
            start_year += 1
        answer = QMessageBox.question(
            self,
            _("New academic year"),
            _(
                "Move every pupil into the next grade for the academic year {year}/{next}? Pupils of grades 9 and 11 "
                "are marked as having left on 31.08.{year}; nothing is deleted."
            ).format(year=start_year, next=start_year + 1),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            done = databank.promote(self.db, start_year)
        except ValidationError as exc:
            QMessageBox.warning(self, _("New academic year"), "\n".join(exc.errors.values()))
            return
        bus.data_changed.emit()
        QMessageBox.information(
            self,
            _("New academic year"),
            _("Moved into the next grade: {promoted}. Finished school: {graduated}.").format(**done),
        )

    def new_record(self) -> None:
        self.list.new_record()


class DatabankPage(TabbedPage):
    entries = tab_attribute("entries")
    students = tab_attribute("students")
    assessments = tab_attribute("assessments")

    def __init__(self, db: Database, parent=None):
        super().__init__(_("Databank of pupils with learning difficulties"), parent)
        self.db = db
        self.add_tab("entries", _("Databank"), lambda: EntriesTab(db, self))
        self.add_tab("students", _("Pupils"), lambda: StudentsTab(db, self))
        self.add_tab("assessments", _("Assessments and analytics"), self._assessments)

    def _assessments(self) -> QWidget:
        from ui.pages.assessments import AssessmentsPanel  # a module of its own: imported with its tab

        return AssessmentsPanel(self.db, self)
