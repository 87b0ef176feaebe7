"""Рисковый профиль и программы: the self-diagnosis, the programs with their tasks, measures, indicators and
approved versions, the roadmap across programs, and the indicators against their targets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models import programs, records, school
from models.db import Database
from models.i18n import _
from models.records import ValidationError
from ui.bus import bus
from ui.chart import LineChart
from ui.combos import make_combo, refill
from ui.evidence import EvidenceDialog
from ui.pages.common import RefreshOnShow, TabbedPage, tab_attribute
from ui.record_form import DateEdit, RecordDialog, RecordForm
from ui.record_page import RecordListPage


def save_pdf(parent: QWidget, suggested: str, write) -> None:
    """Ask where to save a PDF, write it with `write(path)`, then open it with the system viewer."""
    from models.documents import DocumentError
    from models.pdf import PdfError

    path, _filter = QFileDialog.getSaveFileName(parent, _("Save PDF"), suggested, "PDF (*.pdf)")
    if not path:
        return
    try:
        write(Path(path))
    except (DocumentError, PdfError) as exc:
        QMessageBox.warning(parent, _("Save PDF"), str(exc))
        return
    QDesktopServices.openUrl(QUrl.fromLocalFile(path))


# ---- risk profile --------------------------------------------------------------------------------------------------


class RiskProfileTab(QWidget):
    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.year = make_combo(self, records.options(db, "academic_year"), chars=10)
        current = school.academic_year_on(db, dt.date.today())
        if current:
            self.year.setCurrentIndex(max(0, self.year.findData(current["id"])))
        self.year.currentIndexChanged.connect(lambda _i: self.list.reload())
        self.list = RecordListPage(
            db, programs.PROFILE_ROW, self, source=self._rows, editable=False, multi=True
        )
        self.list.on_edit = self.assess
        self.list.add_action(_("Assess…"), lambda: self.assess(self.list.current()), "assess")
        self.list.add_action(_("Make programs for the selected factors"), self.make_programs, "make_programs")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("Academic year"), self))
        bar.addWidget(self.year)
        bar.addStretch(1)
        hint = QLabel(
            _(
                "Give every risk factor its significance with a justification. Select the factors chosen "
                "for work (Ctrl+click) and make a draft antirisk program for each in one click."
            ),
            self,
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)

    def year_id(self) -> int | None:
        return self.year.currentData()

    def _rows(self) -> list[dict]:
        return programs.risk_profile(self.db, self.year_id()) if self.year_id() else []

    def assess(self, row: dict | None) -> None:
        if row is None:
            return
        fixed = {"academic_year_id": row["academic_year_id"], "risk_factor_id": row["risk_factor_id"]}
        if RecordDialog(self.db, programs.RISK_ASSESSMENT, row["assessment_id"], fixed, self).exec():
            bus.data_changed.emit()

    def make_programs(self) -> None:
        chosen = self.list.selected()
        if not chosen:
            QMessageBox.information(self, _("Risk profile"), _("Select one or more risk factors first."))
            return
        made = programs.create_programs(self.db, self.year_id(), [r["risk_factor_id"] for r in chosen])
        bus.data_changed.emit()
        QMessageBox.information(
            self,
            _("Risk profile"),
            _(
                "Draft programs made: {made}. Factors that already had a program were left as they were."
            ).format(made=len(made)),
        )


# ---- programs ------------------------------------------------------------------------------------------------------


class ApproveDialog(QDialog):
    def __init__(self, db: Database, program: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Approve the program"))
        self.form = RecordForm(db, programs.APPROVAL, parent=self)
        self.form.writer = lambda _db, _rt, values, _id: programs.approve_from_form(db, program["id"], values)
        self.form.load({"order_number": program.get("order_number"), "order_date": program.get("order_date")})
        note = QLabel(
            _(
                "The program is kept as it stands now as an approved version; later corrections are "
                "approved as the next version."
            ),
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{program['title']}</b>", self))
        layout.addWidget(note)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def accept(self) -> None:
        if self.form.save() is not None:
            super().accept()


class ProgramsTab(QWidget):
    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.programs = RecordListPage(db, programs.PROGRAM, self)
        self.programs.add_action(_("Approve…"), self.approve, "approve")
        self.programs.add_action(_("Print…"), self.print_program, "print_program")
        self.programs.add_action(_("Import from Excel…"), self.import_roadmap, "import_roadmap")
        self.tasks = RecordListPage(db, programs.PROGRAM_TASK, self)
        self.measures = RecordListPage(db, programs.MEASURE, self)
        self.measures.add_action(
            _("Evidence files…"), lambda: open_evidence(self, db, self.measures.current())
        )
        self.indicators = RecordListPage(db, programs.INDICATOR, self)
        self.versions = RecordListPage(db, programs.VERSION_ROW, self, source=self._versions, editable=False)
        self.versions.on_edit = lambda row: self.print_program(row)
        self.versions.add_action(_("Print the version…"), lambda: self.print_program(self.versions.current()))
        self.details = QTabWidget(self)
        self.details.addTab(self.tasks, _("Tasks"))
        self.details.addTab(self.measures, _("Measures"))
        self.details.addTab(self.indicators, _("Indicators"))
        self.details.addTab(self.versions, _("Approved versions"))
        self.programs.selection_changed.connect(self._program_chosen)
        self.programs.model.modelReset.connect(self._keep_selection)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.programs)
        splitter.addWidget(self.details)
        splitter.setSizes([220, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        for page in (self.tasks, self.measures, self.indicators):
            page.set_parent_id(None)

    def _keep_selection(self) -> None:
        if self.programs.current() is None and self.programs.proxy.rowCount():
            self.programs.table.selectRow(0)

    def _program_chosen(self, row: dict | None) -> None:
        program_id = row["id"] if row else None
        for page in (self.tasks, self.measures, self.indicators):
            page.set_parent_id(program_id)
        self.versions.reload()

    def _versions(self) -> list[dict]:
        program = self.programs.current()
        return programs.versions(self.db, program["id"]) if program else []

    def approve(self) -> None:
        program = self.programs.current()
        if program is None:
            return
        if ApproveDialog(self.db, program, self).exec():
            bus.data_changed.emit()
            self.programs.select_id(program["id"])
            self.details.setCurrentWidget(self.versions)

    def import_roadmap(self) -> None:
        from ui.import_roadmap import import_roadmap

        program_id = import_roadmap(self, self.db, self.programs.current())
        if program_id:
            self.programs.select_id(program_id)
            self.details.setCurrentWidget(self.measures)

    def print_program(self, version: dict | None = None) -> None:
        from models import documents

        program = self.programs.current()
        if program is None:
            return
        version_id = version["id"] if version else None
        suffix = f"-v{version['version']}" if version else ""
        save_pdf(
            self,
            f"program-{program['id']}{suffix}.pdf",
            lambda path: documents.print_program(self.db, program["id"], path, version_id=version_id),
        )

    def new_record(self) -> None:
        self.programs.new_record()

    def focus_filter(self) -> None:
        self.programs.focus_filter()


def open_evidence(parent: QWidget, db: Database, measure: dict | None) -> None:
    if measure is not None:
        EvidenceDialog(db, measure, parent).exec()


# ---- roadmap ------------------------------------------------------------------------------------------------------


class RoadmapTab(RefreshOnShow, QWidget):
    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.program = make_combo(self)
        self.status = make_combo(
            self, [(k, _(v)) for k, v in programs.MEASURE_STATUSES], _("all statuses"), 12
        )
        self.staff = make_combo(self)
        self.start, self.end = DateEdit(self), DateEdit(self)
        self.overdue = QCheckBox(_("overdue only"), self)
        self.new_status = make_combo(self, [(k, _(v)) for k, v in programs.MEASURE_STATUSES], chars=12)
        apply_status = QPushButton(_("Set for the selected"), self)
        apply_status.setObjectName("apply_status")
        apply_status.clicked.connect(self.apply_status)
        self.period_error = QLabel(self)
        self.period_error.setStyleSheet("color: #b00020;")
        self.list = RecordListPage(
            db, programs.ROADMAP_ROW, self, source=self._rows, editable=False, multi=True
        )
        self.list.on_edit = self.edit
        self.list.add_action(_("Edit…"), lambda: self.edit(self.list.current()))
        self.list.add_action(_("Evidence files…"), lambda: open_evidence(self, db, self.list.current()))
        self.list.add_action(_("Print…"), self.print_roadmap, "print_roadmap")
        self.refresh()
        for combo in (self.program, self.status, self.staff):
            combo.currentIndexChanged.connect(lambda _i: self.list.reload())
        self.overdue.toggled.connect(lambda _on: self.list.reload())
        for edit in (self.start, self.end):
            edit.line.editingFinished.connect(self.list.reload)
        filters = QHBoxLayout()  # what to show; the period and the bulk change go on the second row
        for label, widget in ((_("Program"), self.program), (_("Status"), self.status), (_("Responsible"), self.staff)):
            filters.addWidget(QLabel(label, self))
            filters.addWidget(widget, 0 if widget is self.status else 1)
        bulk = QHBoxLayout()
        for label, widget in ((_("from"), self.start), (_("to"), self.end)):
            bulk.addWidget(QLabel(label, self))
            bulk.addWidget(widget)
        bulk.addWidget(self.overdue)
        bulk.addSpacing(16)
        bulk.addWidget(QLabel(_("Status of the selected measures:"), self))
        bulk.addWidget(self.new_status)
        bulk.addWidget(apply_status)
        bulk.addWidget(self.period_error, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(bulk)
        layout.addWidget(self.list, 1)
        self.watch_data()

    def refresh(self) -> None:  # the filters' choices; the list follows a change on its own
        refill(self.program, records.options(self.db, "program"), _("all programs"))
        refill(self.staff, records.options(self.db, "staff"), _("anyone"))

    def current_filter(self) -> programs.RoadmapFilter:
        from models import fmt

        dates = []
        self.period_error.clear()
        for edit in (self.start, self.end):
            try:
                dates.append(fmt.parse_date(edit.value()) if edit.value().strip() else None)
            except ValueError:
                self.period_error.setText(_("Not a date: type it as dd.mm.yyyy, for example 01.09.2026."))
                dates.append(None)
        return programs.RoadmapFilter(
            program_id=self.program.currentData(),
            status=self.status.currentData(),
            staff_id=self.staff.currentData(),
            start=dates[0],
            end=dates[1],
            overdue_only=self.overdue.isChecked(),
        )

    def _rows(self) -> list[dict]:
        return programs.roadmap(self.db, self.current_filter())

    def edit(self, row: dict | None) -> None:
        if row is None:
            return
        if RecordDialog(self.db, programs.MEASURE, row["id"], {"program_id": row["program_id"]}, self).exec():
            bus.data_changed.emit()

    def apply_status(self) -> None:
        chosen = self.list.selected()
        if not chosen:
            QMessageBox.information(self, _("Roadmap"), _("Select one or more measures first."))
            return
        try:
            programs.set_status(self.db, [r["id"] for r in chosen], self.new_status.currentData())
        except ValidationError as exc:
            QMessageBox.warning(self, _("Roadmap"), "\n".join(exc.errors.values()))
            return
        bus.data_changed.emit()

    def print_roadmap(self) -> None:
        from models import documents

        flt = self.current_filter()
        save_pdf(self, "roadmap.pdf", lambda path: documents.print_roadmap(self.db, path, flt=flt))


# ---- indicators ----------------------------------------------------------------------------------------------------


class IndicatorsTab(QWidget):
    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.list = RecordListPage(db, programs.INDICATOR_ROW, self, source=self._rows, editable=False)
        self.list.on_edit = self.edit
        self.list.add_action(_("Edit…"), lambda: self.edit(self.list.current()))
        self.values = RecordListPage(db, programs.INDICATOR_VALUE, self, heading=_("Measured values"))
        self.targets = RecordListPage(db, programs.INDICATOR_TARGET, self, heading=_("Targets by year"))
        self.chart = LineChart(self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.list.selection_changed.connect(self._chosen)
        self.list.model.modelReset.connect(self._refresh_chart)
        right = QWidget(self)
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.chart, 2)
        side.addWidget(self.note)
        side.addWidget(self.values, 2)
        side.addWidget(self.targets, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setSizes([200, 460])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.values.set_parent_id(None)
        self.targets.set_parent_id(None)

    def _rows(self) -> list[dict]:
        return programs.indicator_overview(self.db)

    def _chosen(self, row: dict | None) -> None:
        self.values.set_parent_id(row["id"] if row else None)
        self.targets.set_parent_id(row["id"] if row else None)
        self.values.add_button.setEnabled(bool(row) and not row["computed"])
        self._draw(row)

    def _refresh_chart(self) -> None:
        current = self.list.current()
        if current is None and self.list.proxy.rowCount():
            self.list.table.selectRow(0)
        else:
            self._draw(current)

    def _draw(self, row: dict | None) -> None:
        if row is None:
            self.chart.set_data([], title="")
            self.note.clear()
            return
        points = programs.indicator_values(self.db, row)
        lookups = records.Lookups(self.db)
        targets = [
            (
                _("target {year}").format(year=lookups.name("academic_year", t["academic_year_id"])),
                t["target"],
            )
            for t in records.rows(self.db, programs.INDICATOR_TARGET, {"indicator_id": row["id"]})
        ]
        unit = f", {row['unit']}" if row.get("unit") else ""
        self.chart.set_data(points, targets, title=f"{row['title']}{unit}")
        from models import metrics

        metric = metrics.METRICS[row["metric"]].label if row["computed"] else ""
        self.note.setText(
            _("Computed by the program: {metric}. No typing needed.").format(metric=_(metric))
            if metric
            else ""
        )

    def edit(self, row: dict | None) -> None:
        if row is None:
            return
        if RecordDialog(
            self.db, programs.INDICATOR, row["id"], {"program_id": row["program_id"]}, self
        ).exec():
            bus.data_changed.emit()


class ProgramsPage(TabbedPage):
    profile = tab_attribute("profile")
    programs = tab_attribute("programs")
    roadmap = tab_attribute("roadmap")
    indicators = tab_attribute("indicators")

    def __init__(self, db: Database, parent=None):
        super().__init__(_("Risk profile and programs"), parent)
        self.add_tab("profile", _("Risk profile"), lambda: RiskProfileTab(db, self))
        self.add_tab("programs", _("Programs"), lambda: ProgramsTab(db, self))
        self.add_tab("roadmap", _("Roadmap"), lambda: RoadmapTab(db, self))
        self.add_tab("indicators", _("Indicators"), lambda: IndicatorsTab(db, self))

    def open_indicator(self, indicator_id: int) -> None:
        """Show an indicator from elsewhere (the Home page): the indicators tab with it selected."""
        listing = self.show_tab("indicators").list
        listing.reload()
        listing.select_id(indicator_id)

    def open_measure(self, measure_id: int) -> None:
        """Show a measure from elsewhere (the Home page): the roadmap tab with its form open."""
        self.show_tab("roadmap")
        row = records.fetch(self.roadmap.db, programs.MEASURE, measure_id)
        self.roadmap.edit(row)
