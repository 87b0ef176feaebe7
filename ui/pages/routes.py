"""Индивидуальные образовательные маршруты: pupils' routes (made from the databank or from an assessment's
deficits, with steps, checkpoints and the progress chart), teachers' routes with their PD courses, and the
effectiveness of routes by class, subject and databank category."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models import databank, fmt, records, routes, school
from models.db import Database
from models.i18n import _
from models.programs import PD_COURSE
from models.records import RecordType, ValidationError
from ui.bus import bus
from ui.chart import LineChart
from ui.pages.common import RefreshOnShow, TabbedPage, confirm, tab_attribute
from ui.record_form import RecordDialog, RecordForm
from ui.record_page import RecordListPage

REVISION_STYLE = "color: #b00020;"
LINKS = ("databank_entry_id", "assessment_id")  # where a pupil's route came from: kept, never typed


def _refill(combo: QComboBox, items: list[tuple[object, str]], first: str) -> None:
    """Replace a filter combo's choices, keeping the chosen one when it is still there."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(first, None)
    for value, label in items:
        combo.addItem(label, value)
    combo.setCurrentIndex(max(0, combo.findData(chosen)))
    combo.blockSignals(False)


def _short(text: str | None, limit: int = 220) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def route_dialog(db: Database, rtype: RecordType, route_id: int | None, parent: QWidget) -> RecordDialog:
    """The route's form, written through the routes module's checks; a new one starts today."""
    fixed = {}
    if rtype is routes.STUDENT_ROUTE:
        stored = records.fetch(db, rtype, route_id) if route_id else {}
        fixed = {name: (stored or {}).get(name) for name in LINKS}
    dialog = RecordDialog(db, rtype, route_id, fixed, parent)
    dialog.form.writer = routes.save_record
    if route_id is None:
        today = dt.date.today()
        dialog.form.editors["start_date"].set_value(today.isoformat())
        dialog.form.editors["end_date"].set_value(routes.default_end(db, today).isoformat())
    return dialog


def print_card(parent: QWidget, db: Database, route_id: int) -> None:
    from models import route_card
    from models.documents import DocumentError
    from ui.pages.programs import save_pdf

    def write(path: Path) -> None:
        try:
            route_card.print_route(db, route_id, path)
        except routes.RouteError as exc:  # the route went away meanwhile: the usual "cannot print" message
            raise DocumentError(str(exc)) from exc

    save_pdf(parent, f"route-{route_id}.pdf", write)


class CompactList(RecordListPage):
    """A list whose text columns stop at `widest` pixels (the tooltip shows the whole text), for the narrower
    tables of this page."""

    widest = 300

    def reload(self) -> None:
        super().reload()
        for column in range(self.model.columnCount()):
            if self.table.columnWidth(column) > self.widest:
                self.table.setColumnWidth(column, self.widest)


class DetailList(CompactList):
    """Steps or checkpoints of one route, written through the routes module's checks."""

    widest = 240

    def new_record(self) -> None:
        if self.parent_id is None:
            return
        route = routes.fetch_route(self.db, self.parent_id)
        if route is None:
            return
        refusal = routes.step_refusal(route) if self.rtype is routes.ROUTE_STEP else ""
        if refusal:
            QMessageBox.information(self, _(self.rtype.title), refusal)
            return
        dialog = RecordDialog(self.db, self.rtype, None, self._fixed(), self)
        dialog.form.writer = routes.save_record
        if self.rtype is routes.ROUTE_CHECKPOINT:
            dialog.form.editors["date"].set_value(min(dt.date.today().isoformat(), route["end_date"]))
        if dialog.exec():
            bus.data_changed.emit()
            self.select_id(dialog.form.record_id)

    def edit_record(self) -> None:
        row = self.current()
        if row is None:
            return
        dialog = RecordDialog(self.db, self.rtype, row["id"], self._fixed(), self)
        dialog.form.writer = routes.save_record
        if dialog.exec():
            bus.data_changed.emit()
            self.select_id(row["id"])


class _RoutesList(RefreshOnShow, QWidget):
    """What both kinds of route share: a list that keeps its selection across reloads, the route's steps,
    the actions on the selected route and a summary line."""

    rtype: RecordType
    row_type: RecordType

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self._keep: int | None = None
        self.list = CompactList(db, self.row_type, self, source=self._rows, editable=False)
        self.list.widest = 260
        self.list.on_edit = lambda row: self.edit(row["id"])
        self.list.model.modelAboutToBeReset.connect(self._remember)
        self.list.model.modelReset.connect(self._restore)
        self.list.selection_changed.connect(self._chosen)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.steps = DetailList(db, routes.ROUTE_STEP, self, heading=_("Steps of the route"), multi=True)
        self.steps.add_action(_("Mark done"), self.mark_done, "mark_done")
        self.steps.filter.hide()
        self.steps.set_parent_id(None)
        self.watch_data()

    def _add_route_actions(self) -> None:
        self.list.add_action(_("New…"), self.new_record, "new_route")
        self.list.add_action(_("Edit…"), lambda: self.edit(self.current_id()), "edit_route")
        self.list.add_action(_("Delete"), self.delete, "delete_route")

    def _add_closing_actions(self) -> None:
        self.list.add_action(_("Complete…"), self.complete, "complete_route")
        self.list.add_action(_("Route card (PDF)…"), self.print_card, "print_route")

    # ---- selection ---------------------------------------------------------------------------------------------

    def _rows(self) -> list[dict]:
        raise NotImplementedError

    def current_id(self) -> int | None:
        row = self.list.current()
        return row["id"] if row else None

    def _remember(self) -> None:
        self._keep = self.current_id() or self._keep

    def _restore(self) -> None:
        keep, self._keep = self._keep, None
        if keep is not None:
            self.list.select_id(keep)
        if self.list.current() is None and self.list.proxy.rowCount():
            self.list.table.selectRow(0)
        if self.list.current() is None:
            self._chosen(None)

    def select_route(self, route_id: int) -> None:
        self.list.reload()
        self.list.select_id(route_id)

    def _chosen(self, row: dict | None) -> None:
        self.steps.set_parent_id(row["id"] if row else None)

    def _lay_out(self, filters: QHBoxLayout, beside: QWidget, across: tuple[int, int], down: tuple[int, int]):
        """Filters on top; the routes above; below them the summary, then the steps with `beside` at their right."""
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        lower.addWidget(self.steps)
        lower.addWidget(beside)
        lower.setSizes(list(across))
        details = QWidget(self)
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.summary)
        details_layout.addWidget(lower, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(details)
        splitter.setSizes(list(down))
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

    def refresh(self) -> None:
        """Refill the filter choices (the tabs that have filters); the list itself follows on its own."""

    # ---- actions -----------------------------------------------------------------------------------------------

    def new_record(self) -> None:
        dialog = route_dialog(self.db, self.rtype, None, self)
        if dialog.exec():
            bus.data_changed.emit()
            self.select_route(dialog.form.record_id)

    def edit(self, route_id: int | None) -> None:
        if route_id is not None and route_dialog(self.db, self.rtype, route_id, self).exec():
            bus.data_changed.emit()
            self.select_route(route_id)

    def delete(self) -> None:
        row = self.list.current()
        if row is None:
            return
        question = _("Delete the draft route No. {id} with its steps?").format(id=row["id"])
        if not confirm(self, _("Delete"), question):
            return
        try:
            routes.delete_route(self.db, row["id"])
        except routes.RouteError as exc:
            QMessageBox.warning(self, _("Delete"), str(exc))
            return
        bus.data_changed.emit()

    def complete(self) -> None:
        route_id = self.current_id()
        if route_id is None:
            return
        route = routes.fetch_route(self.db, route_id)
        if route["status"] != "active":
            QMessageBox.information(
                self,
                _("Complete the route"),
                _("Only a route under way can be completed; this one is {status}.").format(
                    status=routes.status_label(route["status"])
                ),
            )
            return
        if CompleteDialog(self.db, route_id, self).exec():
            bus.data_changed.emit()
            self.select_route(route_id)

    def print_card(self) -> None:
        route_id = self.current_id()
        if route_id is not None:
            print_card(self, self.db, route_id)

    def mark_done(self) -> None:
        chosen = self.steps.selected()
        if not chosen:
            QMessageBox.information(self, _("Mark done"), _("Select one or more steps first."))
            return
        try:
            routes.mark_steps_done(self.db, [s["id"] for s in chosen])
        except ValidationError as exc:
            QMessageBox.warning(self, _("Mark done"), "\n".join(exc.errors.values()))
            return
        bus.data_changed.emit()


# ---- pupils' routes -------------------------------------------------------------------------------------------------


class StudentRoutesTab(_RoutesList):
    rtype = routes.STUDENT_ROUTE
    row_type = routes.ROUTE_ROW

    def __init__(self, db: Database, parent=None):
        super().__init__(db, parent)
        self.class_filter, self.subject, self.status = QComboBox(self), QComboBox(self), QComboBox(self)
        self.revision_only = QCheckBox(_("needing revision only"), self)
        self.revision_only.setObjectName("revision_only")
        self._add_route_actions()
        self.list.add_action(_("From the databank…"), self.from_databank, "from_databank")
        self.list.add_action(_("From results…"), self.from_results, "from_results")
        self._add_closing_actions()
        self.checkpoints = DetailList(db, routes.ROUTE_CHECKPOINT, self, heading=_("Checkpoints"))
        self.checkpoints.filter.hide()
        self.checkpoints.set_parent_id(None)
        self.chart = LineChart(self)
        self.chart.setMinimumHeight(170)
        self.refresh()
        for combo in (self.class_filter, self.subject, self.status):
            combo.currentIndexChanged.connect(lambda _i: self.list.reload())
        self.revision_only.toggled.connect(lambda _on: self.list.reload())

        filters = QHBoxLayout()
        for label, combo in ((_("Class"), self.class_filter), (_("Subject"), self.subject), (_("Status"), self.status)):
            filters.addWidget(QLabel(label, self))
            filters.addWidget(combo, 1)
        filters.addWidget(self.revision_only)
        right = QWidget(self)
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.chart, 3)
        side.addWidget(self.checkpoints, 2)
        self._lay_out(filters, right, (760, 500), (230, 420))

    def refresh(self) -> None:
        super().refresh()
        _refill(self.class_filter, [(c, c) for c in databank.classes(self.db)], _("all classes"))
        _refill(self.subject, records.options(self.db, "subject"), _("all subjects"))
        if self.status.count() == 0:
            _refill(self.status, [(k, _(v)) for k, v in routes.ROUTE_STATUSES], _("all statuses"))

    def current_filter(self) -> routes.RouteFilter:
        return routes.RouteFilter(
            class_name=self.class_filter.currentData(),
            subject_id=self.subject.currentData(),
            status=self.status.currentData(),
            revision_only=self.revision_only.isChecked(),
        )

    def clear_filters(self) -> None:
        for combo in (self.class_filter, self.subject, self.status):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.revision_only.blockSignals(True)
        self.revision_only.setChecked(False)
        self.revision_only.blockSignals(False)
        self.list.filter.clear()

    def _rows(self) -> list[dict]:
        return routes.student_routes(self.db, self.current_filter())

    def _chosen(self, row: dict | None) -> None:
        super()._chosen(row)
        self.checkpoints.set_parent_id(row["id"] if row else None)
        if row is None:
            self.summary.setText(
                _("Choose a route in the list to see its steps, checkpoints and progress.")
                if self.list.model.rowCount()
                else _(
                    "No routes yet. Make one in one click “From the databank…” or “From results…”, or type one in "
                    "with “New…”."
                )
            )
            self.chart.set_data([], title="")
            return
        d = routes.route_details(self.db, row["id"])
        route, e = d["route"], html.escape
        first = [f"<b>{e(d['person'])}, {e(d['class_name'])}</b>", e(d["subject"]), e(d["period"]), e(d["status"])]
        second = [
            _("Responsible teacher: {name}").format(name=d["responsible"] or "—"),
            _("Parents' consent: {date}").format(date=fmt.format_date(route["consent_on"]) or "—"),
        ]
        if route["participants"]:
            second.append(_("Participants: {text}").format(text=route["participants"]))
        lines = [" · ".join(p for p in first if p), e(" · ".join(second))]
        if route["goal"]:
            lines.append(e(_("Goal: {text}").format(text=_short(route["goal"]))))
        if route["deficits"]:
            lines.append(e(_("Deficits: {text}").format(text=_short(route["deficits"]))))
        if d["outcome"]:
            lines.append(
                e(
                    _("Outcome of the route: {text}").format(
                        text=_short(f"{d['outcome']}. {route['outcome_note'] or ''}")
                    )
                )
            )
        if d["needs_revision"]:
            why = _("Needs revision: the last three checkpoints are below the planned progress.")
            lines.append(f"<span style='{REVISION_STYLE}'><b>{e(why)}</b></span>")
        self.summary.setText("<br>".join(lines))
        self.summary.setToolTip("\n\n".join(x for x in (route["goal"], route["deficits"]) if x))
        points = [(p["date"], p["value"]) for p in d["checkpoints"]]
        targets = [(_("target"), route["target"])] if route["target"] is not None else []
        title = _("Progress: checkpoints against the planned progress")
        if d["maximum"]:
            title += " " + _("(maximum score {max})").format(max=fmt.format_number(d["maximum"]))
        self.chart.set_data(points, targets, title=title, aim=d["aim"])

    def from_databank(self) -> None:
        dialog = FromDatabankDialog(self.db, self)
        if dialog.exec() and dialog.route_id:
            self._made(dialog.route_id)

    def from_results(self) -> None:
        dialog = FromResultsDialog(self.db, self)
        if dialog.exec() and dialog.route_id:
            self._made(dialog.route_id)

    def _made(self, route_id: int) -> None:
        """A route made in one click: show it and open its form, to check the dates and set it under way."""
        bus.data_changed.emit()
        self.clear_filters()
        self.select_route(route_id)
        self.edit(route_id)


# ---- teachers' routes ------------------------------------------------------------------------------------------------


class TeacherRoutesTab(_RoutesList):
    rtype = routes.TEACHER_ROUTE
    row_type = routes.TEACHER_ROUTE_ROW

    def __init__(self, db: Database, parent=None):
        super().__init__(db, parent)
        self.status = QComboBox(self)
        self._add_route_actions()
        self._add_closing_actions()
        self.courses = CompactList(
            db, routes.PD_COURSE_ROW, self, heading=_("PD courses of the teacher"), source=self._courses, editable=False
        )
        self.courses.filter.hide()
        self.courses.on_edit = lambda row: self.edit_course(row["id"])
        self.courses.add_action(_("Add a PD course…"), lambda: self.edit_course(None), "add_course")
        self.refresh()
        self.status.currentIndexChanged.connect(lambda _i: self.list.reload())
        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Status"), self))
        filters.addWidget(self.status)
        filters.addStretch(1)
        self._lay_out(filters, self.courses, (640, 480), (260, 390))

    def refresh(self) -> None:
        super().refresh()
        if self.status.count() == 0:
            _refill(self.status, [(k, _(v)) for k, v in routes.ROUTE_STATUSES], _("all statuses"))

    def clear_filters(self) -> None:
        self.status.setCurrentIndex(0)
        self.list.filter.clear()

    def _rows(self) -> list[dict]:
        return routes.teacher_routes(self.db, self.status.currentData())

    def _teacher_id(self) -> int | None:
        row = self.list.current()
        return row["teacher_id"] if row else None

    def _courses(self) -> list[dict]:
        teacher = self._teacher_id()
        return routes.teacher_pd_courses(self.db, teacher) if teacher else []

    def _chosen(self, row: dict | None) -> None:
        super()._chosen(row)
        self.courses.reload()
        self.courses.add_button.setEnabled(row is not None)
        if row is None:
            self.summary.setText(
                _("Choose a route in the list to see its steps and the teacher's PD courses.")
                if self.list.model.rowCount()
                else _(
                    "No teachers' routes yet. Make one with “New…” for a young specialist with a mentor or for a "
                    "teacher with professional deficits."
                )
            )
            return
        d = routes.route_details(self.db, row["id"])
        route, e = d["route"], html.escape
        first = [f"<b>{e(d['person'])}</b>", e(d["position"]), e(d["period"]), e(d["status"])]
        lines = [" · ".join(p for p in first if p), e(_("Mentor: {name}").format(name=d["mentor"] or "—"))]
        if route["deficits"]:
            lines.append(e(_("Professional deficits: {text}").format(text=_short(route["deficits"], 260))))
        if route["goal"]:
            lines.append(e(_("Goal: {text}").format(text=_short(route["goal"]))))
        if d["outcome"]:
            lines.append(
                e(
                    _("Outcome of the route: {text}").format(
                        text=_short(f"{d['outcome']}. {route['outcome_note'] or ''}")
                    )
                )
            )
        self.summary.setText("<br>".join(lines))

    def edit_course(self, course_id: int | None) -> None:
        teacher = self._teacher_id()
        if teacher is None:
            return
        if RecordDialog(self.db, PD_COURSE, course_id, {"staff_id": teacher}, self).exec():
            bus.data_changed.emit()


# ---- effectiveness ---------------------------------------------------------------------------------------------------


class EffectivenessTab(RefreshOnShow, QWidget):
    """Share of routes achieved by class, subject and databank category; the steps that are overdue."""

    def __init__(self, db: Database, parent=None, open_route=None):
        super().__init__(parent)
        self.db = db
        self.year = QComboBox(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.tables = {}
        titles = {"class": _("By class"), "subject": _("By subject"), "category": _("By databank category")}
        for by in routes.GROUPINGS:
            table = CompactList(
                db,
                routes.EFFECT_ROWS[by],
                self,
                heading=titles[by],
                source=lambda by=by: self._effect(by),
                editable=False,
            )
            table.filter.hide()
            self.tables[by] = table
        self.overdue = CompactList(
            db,
            routes.OVERDUE_ROW,
            self,
            heading=_("Overdue steps"),
            source=lambda: routes.overdue_steps(db),
            editable=False,
        )
        self.overdue.filter.hide()
        self.overdue.on_edit = lambda row: open_route(row["route_id"]) if open_route else None
        self._fill_years()
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("Academic year"), self))
        bar.addWidget(self.year)
        bar.addWidget(self.summary, 1)
        grid = QGridLayout()
        grid.addWidget(self.tables["class"], 0, 0)
        grid.addWidget(self.tables["subject"], 0, 1)
        grid.addWidget(self.tables["category"], 1, 0)
        grid.addWidget(self.overdue, 1, 1)
        hint = QLabel(
            _(
                "Share achieved = routes completed with the goal achieved ÷ all completed routes. The class "
                "is the pupil's class now. A double click on an overdue step opens its route."
            ),
            self,
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(grid, 1)
        layout.addWidget(hint)
        self.watch_data(stale=True)

    def _fill_years(self) -> None:
        years = [(y["id"], y["name"]) for y in records.rows(self.db, school.ACADEMIC_YEAR)]
        _refill(self.year, years, _("all years"))

    def _period(self) -> tuple[str | None, str | None]:
        year_id = self.year.currentData()
        year = records.fetch(self.db, school.ACADEMIC_YEAR, year_id) if year_id else None
        return (year["start_date"], year["end_date"]) if year else (None, None)

    def _effect(self, by: str) -> list[dict]:
        return routes.effectiveness(self.db, by, *self._period())

    refresh_visible = True

    def refresh(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._stale = False
        self._fill_years()
        s = routes.effectiveness_summary(self.db, *self._period())
        share = fmt.format_percent(s["share"] / 100) if s["share"] is not None else "—"
        self.summary.setText(
            _(
                "Completed: {completed}, goal achieved: {achieved} ({share}). Under way: {active}, needing revision: "
                "{revision}; overdue steps: {overdue}."
            ).format(
                completed=s["completed"],
                achieved=s["achieved"],
                share=share,
                active=s["active"],
                revision=s["revision"],
                overdue=s["overdue_steps"],
            )
        )
        for table in (*self.tables.values(), self.overdue):
            table.reload()


# ---- dialogs --------------------------------------------------------------------------------------------------------


class CompleteDialog(QDialog):
    """The outcome of a route: achieved / partly / not achieved, a note, the day it was completed."""

    def __init__(self, db: Database, route_id: int, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Complete the route"))
        d = routes.route_details(db, route_id)
        self.form = RecordForm(db, routes.COMPLETION, parent=self)
        self.form.writer = lambda _db, _rt, values, _id: routes.complete_from_form(db, route_id, values)
        self.form.load({"closed_on": min(dt.date.today().isoformat(), d["route"]["end_date"])})
        facts = [f"<b>{html.escape(d['person'])}</b> · {html.escape(d['period'])}"]
        points, target = d["checkpoints"], d["route"]["target"]
        if points:
            facts.append(
                html.escape(
                    _("Last checkpoint: {value} on {date}; target: {target}.").format(
                        value=fmt.format_number(points[-1]["value"]),
                        date=fmt.format_date(points[-1]["date"]),
                        target=fmt.format_number(target) if target is not None else "—",
                    )
                )
            )
        open_steps = sum(1 for s in d["steps"] if not s["done_on"])
        if open_steps:
            facts.append(html.escape(_("Steps not done: {n}.").format(n=open_steps)))
        about = QLabel("<br>".join(facts), self)
        about.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.resize(560, 380)

    def accept(self) -> None:
        if self.form.save() is not None:
            super().accept()


class FromDatabankDialog(QDialog):
    """Choose an active databank entry; a draft route for its pupil is made in one click."""

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db, self.route_id = db, None
        self.setWindowTitle(_("A route from the databank"))
        self.entries = RecordListPage(
            db,
            databank.DATABANK_ROW,
            self,
            editable=False,
            source=lambda: databank.databank(db, databank.DatabankFilter(status="active")),
        )
        self.entries.on_edit = lambda _row: self.accept()
        self.entries.reload()
        hint = QLabel(
            _(
                "Choose the pupil's entry. The route takes the pupil, subject, responsible teacher and "
                "description from it; an entry made from an assessment also gives the steps, one per "
                "deficit."
            ),
            self,
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Make the route"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.entries, 1)
        layout.addWidget(buttons)
        self.resize(980, 520)

    def accept(self) -> None:
        row = self.entries.current()
        if row is None:
            QMessageBox.information(self, self.windowTitle(), _("Choose an entry in the list first."))
            return
        try:
            self.route_id = routes.route_from_databank_entry(self.db, row["id"])
        except routes.RouteError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return
        super().accept()


class FromResultsDialog(QDialog):
    """Choose an assessment and a pupil; a draft route with one step per deficit is made in one click."""

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db, self.route_id = db, None
        self.setWindowTitle(_("A route from an assessment's results"))
        self.assessment, self.pupil = QComboBox(self), QComboBox(self)
        self.assessment.setObjectName("assessment")
        self.pupil.setObjectName("pupil")
        for value, label in routes.assessment_choices(db):
            self.assessment.addItem(label, value)
        self.deficits = QLabel(self)
        self.deficits.setWordWrap(True)
        self.deficits.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.assessment.currentIndexChanged.connect(self._fill_pupils)
        self.pupil.currentIndexChanged.connect(self._show_deficits)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Make the route"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        grid = QGridLayout()
        grid.addWidget(QLabel(_("Assessment"), self), 0, 0)
        grid.addWidget(self.assessment, 0, 1)
        grid.addWidget(QLabel(_("Pupil"), self), 1, 0)
        grid.addWidget(self.pupil, 1, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.deficits, 1)
        layout.addWidget(self.buttons)
        self.resize(720, 380)
        self._fill_pupils()

    def _fill_pupils(self) -> None:
        self.pupil.blockSignals(True)
        self.pupil.clear()
        assessment_id = self.assessment.currentData()
        for value, label in routes.assessment_pupils(self.db, assessment_id) if assessment_id else []:
            self.pupil.addItem(label, value)
        self.pupil.blockSignals(False)
        self._show_deficits()

    def _show_deficits(self) -> None:
        assessment_id, student_id = self.assessment.currentData(), self.pupil.currentData()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(assessment_id and student_id))
        if not assessment_id:
            self.deficits.setText(
                _(
                    "There are no assessments with results yet. Enter or import them on the page “{page}”, tab “{tab}”."
                ).format(page=_("Databank of pupils"), tab=_("Assessments and analytics"))
            )
            return
        found = routes.pupil_deficits(self.db, assessment_id, student_id) if student_id else []
        if not found:
            self.deficits.setText(
                _(
                    "No deficits found for this pupil (no task scored below half of its points). "
                    "The route is made without steps."
                )
            )
            return
        items = "".join(f"<li>{html.escape(d)}</li>" for d in found)
        caption = html.escape(_("The steps of the route will be:"))
        self.deficits.setText(f"<b>{caption}</b><ol>{items}</ol>")

    def accept(self) -> None:
        assessment_id, student_id = self.assessment.currentData(), self.pupil.currentData()
        if not (assessment_id and student_id):
            return
        try:
            self.route_id = routes.route_from_assessment(self.db, assessment_id, student_id)
        except routes.RouteError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return
        super().accept()


# ---- the page -----------------------------------------------------------------------------------------------------


class RoutesPage(TabbedPage):
    students = tab_attribute("students")
    teachers = tab_attribute("teachers")
    effectiveness = tab_attribute("effectiveness")

    def __init__(self, db: Database, parent=None):
        super().__init__(_("Individual learning routes"), parent)
        self.db = db
        self.add_tab("students", _("Pupils' learning routes"), lambda: StudentRoutesTab(db, self))
        self.add_tab("teachers", _("Teachers' learning routes"), lambda: TeacherRoutesTab(db, self))
        self.add_tab("effectiveness", _("Effectiveness"), lambda: EffectivenessTab(db, self, self.open_route))

    def open_route(self, route_id: int) -> None:
        """Show a route from elsewhere (the Home page, an overdue step): its tab, filters cleared, selected."""
        route = routes.fetch_route(self.db, route_id)
        if route is None:
            return
        tab = self.show_tab("students" if route["kind"] == "student" else "teachers")
        tab.clear_filters()
        tab.select_route(route_id)
