"""Встречи с куратором: the schedule and held meetings with participants, agenda and decisions; the minutes as
PDF; every decision across meetings tracked until done, and turned into a roadmap measure in one action."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models import fmt, meetings, records, school
from models.db import Database
from models.i18n import _
from models.records import RecordType, ValidationError
from ui.bus import bus
from ui.combos import compact, refill
from ui.pages.common import RefreshOnShow, TabbedPage, tab_attribute
from ui.pages.programs import save_pdf
from ui.record_form import RecordDialog, RecordForm
from ui.record_page import RecordListPage
from ui.table_model import ROW_ROLE, RecordDelegate

OVERDUE_COLOR = QColor("#b00020")


def _errors(exc: ValidationError) -> str:
    return "\n".join(exc.errors.values())


class FormList(RecordListPage):
    """A list of `view` rows whose New / Edit open the form of the stored record type `form`.

    `writer` replaces records.save (a model function that derives or checks more); `defaults(parent_id)` gives
    the values a new record's form starts with; `hidden` are values the form holds but does not show;
    `stretch` names the column of long texts that takes the room left (the others keep their width, at most
    `widest`), so that every column stays in view on a narrow screen.
    """

    def __init__(
        self,
        db: Database,
        view: RecordType,
        form: RecordType,
        parent=None,
        *,
        source=None,
        writer=None,
        defaults=None,
        hidden: dict | None = None,
        multi: bool = False,
        stretch: str | None = None,
        widest: int = 260,
    ):
        self.stretch, self.widest = stretch, widest
        super().__init__(db, view, parent, source=source, multi=multi)
        self.form_type, self.writer, self.defaults, self.hidden = form, writer, defaults, dict(hidden or {})

    def reload(self) -> None:
        super().reload()
        if self.stretch is None:
            return
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        wide = [f.name for f in self.model.fields].index(self.stretch) + 1
        for column in range(self.model.columnCount()):
            if column == wide:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            elif self.table.columnWidth(column) > self.widest:
                self.table.setColumnWidth(column, self.widest)

    def _form_fixed(self, row: dict | None) -> dict:
        fixed = dict(self.hidden)
        if self.form_type.parent:
            fixed[self.form_type.parent] = row[self.form_type.parent] if row else self.parent_id
        return fixed

    def _dialog(self, record_id: int | None, row: dict | None) -> RecordDialog:
        dialog = RecordDialog(self.db, self.form_type, record_id, self._form_fixed(row), self)
        if self.writer is not None:
            dialog.form.writer = lambda db, _rtype, values, rid: self.writer(db, values, rid)
        return dialog

    def new_record(self) -> None:
        if self.form_type.parent and self.parent_id is None:
            return
        dialog = self._dialog(None, None)
        if self.defaults is not None:
            start = {f.name: f.default for f in self.form_type.fields}
            dialog.form.load({**start, **self.defaults(self.parent_id)})
        if dialog.exec():
            bus.data_changed.emit()
            self.select_id(dialog.form.record_id)

    def edit_record(self) -> None:
        row = self.current()
        if row is None:
            return
        if self._dialog(row["id"], row).exec():
            bus.data_changed.emit()
            self.select_id(row["id"])


class OverdueDelegate(RecordDelegate):
    """Overdue rows in red, so they stand out without reading the Overdue column."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        row = index.data(ROW_ROLE)
        if row and row.get("overdue"):
            option.palette.setColor(QPalette.ColorRole.Text, OVERDUE_COLOR)
            option.palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffd6dc"))


def _mark_overdue(listing: RecordListPage) -> None:
    listing.table.setItemDelegate(OverdueDelegate(listing.proxy, listing.table))


# ---- dialogs ---------------------------------------------------------------------------------------------------


class _FormDialog(QDialog):
    """A form-only record type in a dialog with OK / Cancel and a line of explanation."""

    def __init__(self, db: Database, rtype: RecordType, title: str, note: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = RecordForm(db, rtype, parent=self)
        text = QLabel(note, self)
        text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.head = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.head)
        layout.addWidget(text)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.resize(640, 110 + 38 * len(self.form.editors))

    def accept(self) -> None:
        if self.form.save() is not None:
            super().accept()


class HoldDialog(_FormDialog):
    """A planned meeting becomes a held one: the number, the actual date and people, who took part."""

    def __init__(self, db: Database, meeting: dict, parent=None):
        super().__init__(
            db,
            meetings.HOLD,
            _("Hold the meeting"),
            _(
                "The meeting gets the next minutes number of its academic year. Then add the agenda with what was "
                "heard and the decisions, and print the minutes."
            ),
            parent,
        )
        kind = records.Lookups(db).name("meeting_kind", meeting["kind_id"]) if meeting["kind_id"] else ""
        self.head.addWidget(QLabel(f"<b>{kind} · {fmt.format_date(meeting['date'])}</b>", self))
        self.form.writer = lambda _db, _rt, values, _id: meetings.hold_from_form(db, meeting["id"], values)
        self.form.load(meetings.hold_defaults(db, meeting["id"]))


class SeriesDialog(_FormDialog):
    """Plan several meetings at once: the curator's visits of the year from the plan."""

    def __init__(self, db: Database, parent=None):
        super().__init__(
            db,
            meetings.SERIES,
            _("Plan a series of meetings"),
            _(
                "Type the dates from the plan, for example the curator's seven visits of the year. Each date becomes "
                "a planned meeting; dates that already have a meeting of this kind are skipped."
            ),
            parent,
        )
        self.made: list[int] = []
        self.form.writer = self._write
        kinds = records.options(db, "meeting_kind")
        self.form.load({"kind_id": kinds[0][0] if kinds else None})

    def _write(self, db: Database, _rtype, values: dict, _record_id) -> int:
        self.made = meetings.plan_series_from_form(db, values)
        return self.made[0]


# ---- meetings ----------------------------------------------------------------------------------------------------


class MeetingsTab(RefreshOnShow, QWidget):
    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self._kept: int | None = None
        self.year = compact(QComboBox(self), 12)
        self.refresh()
        current = school.academic_year_on(db, dt.date.today())
        self.year.setCurrentIndex(max(0, self.year.findData(current["id"] if current else None)))
        self.year.currentIndexChanged.connect(lambda _i: self.list.reload())
        self.next_info = QLabel(self)
        self.next_info.setWordWrap(True)
        self.next_info.setTextFormat(Qt.TextFormat.RichText)

        self.list = FormList(
            db,
            meetings.MEETING_ROW,
            meetings.MEETING,
            self,
            source=self._rows,
            writer=meetings.save_meeting,
            hidden={"academic_year_id": None, "number": None},
            defaults=lambda _p: meetings.new_meeting_defaults(db),
        )
        self.list.add_action(_("Hold…"), self.hold, "hold")
        self.list.add_action(_("Minutes (PDF)…"), self.print_minutes, "print_minutes")
        self.list.add_action(_("Plan a series…"), self.plan_series, "plan_series")
        self.list.selection_changed.connect(self._chosen)
        self.list.model.modelAboutToBeReset.connect(self._remember)
        self.list.model.modelReset.connect(self._restore)

        self.participants = FormList(
            db,
            meetings.PARTICIPANT_ROW,
            meetings.PARTICIPANT,
            self,
            multi=True,
            source=lambda: meetings.participant_rows(db, self.participants.parent_id),
            writer=meetings.save_participant,
        )
        self.participants.add_action(_("Add the curator to the participants"), self.add_curator, "add_curator")
        self.participants.add_action(_("Add the working group members"), self.add_group, "add_group")
        self.participants.add_action(_("Present / absent"), self.toggle_presence, "toggle_presence")
        self.agenda = FormList(
            db,
            meetings.AGENDA_ITEM,
            meetings.AGENDA_ITEM,
            self,
            defaults=lambda meeting_id: {"position": meetings.next_position(db, meetings.AGENDA_ITEM, meeting_id)},
        )
        self.decisions = FormList(
            db,
            meetings.MEETING_DECISION_ROW,
            meetings.DECISION,
            self,
            source=lambda: meetings.decision_rows(db, self.decisions.parent_id) if self.decisions.parent_id else [],
            writer=meetings.save_decision,
            defaults=lambda meeting_id: meetings.new_decision_defaults(db, meeting_id),
            stretch="text",
        )
        self.decisions.add_action(
            _("To the roadmap…"), lambda: to_roadmap(self, db, self.decisions.current()), "to_roadmap"
        )
        _mark_overdue(self.decisions)
        self.details = QTabWidget(self)
        self.details.addTab(self.participants, _("Participants"))
        self.details.addTab(self.agenda, _("Agenda"))
        self.details.addTab(self.decisions, _("Decisions"))
        for page in (self.participants, self.agenda, self.decisions):
            page.set_parent_id(None)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("Academic year"), self))
        bar.addWidget(self.year)
        bar.addSpacing(16)
        bar.addWidget(self.next_info, 1)
        top = QWidget(self)
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(bar)
        column.addWidget(self.list)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(self.details)
        splitter.setSizes([300, 330])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.watch_data()

    # ---- the list and its selection ---------------------------------------------------------------------------

    def refresh(self) -> None:  # the years to choose from; the list follows a change on its own
        refill(self.year, records.options(self.db, "academic_year"), _("all years"))

    def _rows(self) -> list[dict]:
        rows = meetings.meeting_rows(self.db, self.year.currentData())
        self._show_next()
        return rows

    def _show_next(self) -> None:
        today = dt.date.today()
        found = meetings.schedule(self.db, today)
        upcoming = found["next_meeting"]
        if upcoming:
            kind = records.Lookups(self.db).name("meeting_kind", upcoming["kind_id"]) if upcoming["kind_id"] else ""
            when = ", ".join(p for p in (fmt.format_date(upcoming["date"]), upcoming["time"] or "") if p)
            where = f", {upcoming['place']}" if upcoming["place"] else ""
            text = _("Next meeting: {when} — {kind}{where}").format(when=when, kind=kind, where=where)
        else:
            text = _("No meeting is planned. Plan the curator's visits with “Plan a series…”.")
        text = f"<b>{html.escape(text, quote=False)}</b>"
        if found["not_recorded"]:
            late = ", ".join(fmt.format_date(m["date"]) for m in found["not_recorded"])
            warning = _("Planned but not marked held: {dates}. Hold or cancel them.").format(dates=late)
            text += f"<br><span style='color:#b00020'>{html.escape(warning, quote=False)}</span>"
        self.next_info.setText(text)

    def _remember(self) -> None:
        row = self.list.current()
        if row is not None:
            self._kept = row["id"]

    def _restore(self) -> None:
        # a reload keeps the meeting in view; the first time, the next planned one (else the latest)
        kept = self._kept
        ids = [self.list.model.row(r)["id"] for r in range(self.list.model.rowCount())]
        if kept not in ids:
            upcoming = meetings.upcoming(self.db)
            planned = [m["id"] for m in upcoming if m["id"] in ids]
            kept = planned[0] if planned else (ids[-1] if ids else None)
        if kept is not None:
            self.list.select_id(kept)
        else:
            self._chosen(None)

    def _chosen(self, row: dict | None) -> None:
        meeting_id = row["id"] if row else None
        if row is not None:
            self._kept = meeting_id
        for page in (self.participants, self.agenda, self.decisions):
            if page.parent_id != meeting_id or meeting_id is None:
                page.set_parent_id(meeting_id)

    def select_meeting(self, meeting_id: int) -> None:
        if meeting_id not in [self.list.model.row(r)["id"] for r in range(self.list.model.rowCount())]:
            self.year.setCurrentIndex(0)  # all years
        self.list.select_id(meeting_id)

    # ---- actions ------------------------------------------------------------------------------------------------

    def _meeting(self) -> dict | None:
        row = self.list.current()
        if row is None:
            QMessageBox.information(self, _("Meetings"), _("Select a meeting first."))
        return row

    def hold(self) -> None:
        row = self._meeting()
        if row is None:
            return
        try:
            dialog = HoldDialog(self.db, row, self)
        except ValidationError as exc:
            QMessageBox.information(self, _("Hold the meeting"), _errors(exc))
            return
        if dialog.exec():
            bus.data_changed.emit()
            self.details.setCurrentWidget(self.agenda)

    def print_minutes(self) -> None:
        from models import minutes  # reportlab is loaded when a document is printed, not with the page

        row = self._meeting()
        if row is None:
            return
        try:
            meeting = minutes.printable_meeting(self.db, row["id"])
        except minutes.MinutesError as exc:
            QMessageBox.information(self, _("Minutes (PDF)"), str(exc))
            return
        save_pdf(
            self,
            f"minutes-{meeting['number']}-{meeting['date']}.pdf",
            lambda path: minutes.print_minutes(self.db, meeting["id"], path),
        )

    def plan_series(self) -> None:
        dialog = SeriesDialog(self.db, self)
        if dialog.exec():
            bus.data_changed.emit()
            QMessageBox.information(
                self, _("Plan a series of meetings"), _("Meetings planned: {n}.").format(n=len(dialog.made))
            )

    def new_record(self) -> None:
        self.list.new_record()

    def add_curator(self) -> None:
        meeting_id = self.participants.parent_id
        if meeting_id is None:
            return
        try:
            meetings.add_curator_participant(self.db, meeting_id)
        except ValidationError as exc:
            QMessageBox.information(self, _("Participants"), _errors(exc))
            return
        bus.data_changed.emit()

    def add_group(self) -> None:
        meeting_id = self.participants.parent_id
        if meeting_id is None:
            return
        meetings.add_working_group_members(self.db, meeting_id)
        bus.data_changed.emit()

    def toggle_presence(self) -> None:
        chosen = self.participants.selected()
        if not chosen:
            QMessageBox.information(self, _("Participants"), _("Select one or more participants first."))
            return
        meetings.set_presence(self.db, [p["id"] for p in chosen], present=not chosen[0]["present"])
        bus.data_changed.emit()


def to_roadmap(parent: QWidget, db: Database, decision: dict | None) -> None:
    """Ask which program and make the decision a measure of its roadmap."""
    title = _("To the roadmap")
    if decision is None:
        QMessageBox.information(parent, title, _("Select a decision first."))
        return
    programs = records.options(db, "program")
    if not programs:
        QMessageBox.information(
            parent, title, _("There are no programs yet. Make one under Risk profile and programs first.")
        )
        return
    names = [name for _id, name in programs]
    chosen, ok = QInputDialog.getItem(parent, title, _("The program whose roadmap gets the decision:"), names, 0, False)
    if not ok:
        return
    program_id = programs[names.index(chosen)][0]
    try:
        meetings.decision_to_measure(db, decision["id"], program_id)
    except ValidationError as exc:
        QMessageBox.warning(parent, title, _errors(exc))
        return
    bus.data_changed.emit()
    QMessageBox.information(parent, title, _("The decision is in the roadmap now: “{program}”.").format(program=chosen))


# ---- decisions across meetings ---------------------------------------------------------------------------------


class DecisionsTab(QWidget):
    def __init__(self, db: Database, parent=None, open_meeting=None):
        super().__init__(parent)
        self.db = db
        self.open_meeting = open_meeting
        self.show_all = QCheckBox(_("show done and cancelled too"), self)
        self.overdue = QCheckBox(_("overdue only"), self)
        self.list = FormList(
            db,
            meetings.DECISION_ROW,
            meetings.DECISION,
            self,
            source=self._rows,
            writer=meetings.save_decision,
            multi=True,
            stretch="text",
            widest=200,
        )
        self.list.add_button.hide()  # a decision is made at a meeting: it is added there
        self.list.add_action(_("Mark the decisions done"), self.mark_done, "mark_done")
        self.list.add_action(_("To the roadmap…"), lambda: to_roadmap(self, db, self.list.current()), "to_roadmap")
        self.list.add_action(_("Open the meeting"), self.go_to_meeting, "open_meeting")
        _mark_overdue(self.list)
        for box in (self.show_all, self.overdue):
            box.toggled.connect(lambda _on: self.list.reload())
        bar = QHBoxLayout()
        bar.addWidget(self.show_all)
        bar.addWidget(self.overdue)
        bar.addStretch(1)
        hint = QLabel(
            _(
                "Open decisions of every meeting, the nearest due date first; overdue ones are red. "
                "Select several (Ctrl+click) to mark them done at once."
            ),
            self,
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)

    def _rows(self) -> list[dict]:
        return meetings.decision_rows(
            self.db, include_closed=self.show_all.isChecked(), overdue_only=self.overdue.isChecked()
        )

    def mark_done(self) -> None:
        chosen = self.list.selected()
        if not chosen:
            QMessageBox.information(self, _("Decisions"), _("Select one or more decisions first."))
            return
        try:
            meetings.set_decision_status(self.db, [d["id"] for d in chosen], "done")
        except ValidationError as exc:
            QMessageBox.warning(self, _("Decisions"), _errors(exc))
            return
        bus.data_changed.emit()

    def go_to_meeting(self) -> None:
        row = self.list.current()
        if row is None:
            QMessageBox.information(self, _("Decisions"), _("Select a decision first."))
            return
        if self.open_meeting:
            self.open_meeting(row["meeting_id"], row["id"])

    def show_decision(self, decision_id: int) -> dict | None:
        """Select the decision in the list (showing closed ones too if it is closed); return its row."""
        self.overdue.setChecked(False)
        self.list.reload()
        if decision_id not in [self.list.model.row(r)["id"] for r in range(self.list.model.rowCount())]:
            self.show_all.setChecked(True)
        self.list.select_id(decision_id)
        row = self.list.current()
        return row if row and row["id"] == decision_id else None


class MeetingsPage(TabbedPage):
    meetings = tab_attribute("meetings")
    decisions = tab_attribute("decisions")

    def __init__(self, db: Database, parent=None):
        super().__init__(_("Meetings with the curator"), parent)
        self.db = db
        self.add_tab("meetings", _("Meetings"), lambda: MeetingsTab(db, self))
        self.add_tab("decisions", _("Decisions"), lambda: DecisionsTab(db, self, open_meeting=self.open_meeting))

    def new_record(self) -> None:
        """Ctrl+N: a new meeting (decisions are added within their meeting)."""
        self.show_tab("meetings").new_record()

    def open_meeting(self, meeting_id: int, decision_id: int | None = None) -> None:
        """Show a meeting with its details; with `decision_id`, its decisions with that one selected."""
        self.show_tab("meetings").select_meeting(meeting_id)
        if decision_id is not None:
            self.meetings.details.setCurrentWidget(self.meetings.decisions)
            self.meetings.decisions.select_id(decision_id)

    def open_decision(self, decision_id: int) -> None:
        """Show a decision from elsewhere (the Home page): the Decisions tab with its form open."""
        if self.show_tab("decisions").show_decision(decision_id) is not None:
            self.decisions.list.edit_record()
