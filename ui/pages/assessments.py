"""Оценочные процедуры и аналитика: assessments with their tasks and every pupil's result, results loaded from the
school's XLSX, databank entries proposed for pupils with a "2" or with deficits, and class analytics by term,
half-year and year with the dynamics over the terms."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models import analytics, assessments, fmt, records, results_import, school
from models.analytics import Period
from models.assessments import ASSESSMENT, ASSESSMENT_RESULT, ASSESSMENT_TASK, KINDS
from models.db import Database
from models.i18n import N_, _
from models.records import RecordInUseError, ValidationError
from ui.bus import bus
from ui.chart import LineChart
from ui.combos import make_combo, refill
from ui.pages.common import confirm
from ui.record_form import ERROR_STYLE, RecordDialog, RecordForm
from ui.record_page import RecordListPage
from ui.worker import run_in_background

OK_STYLE = "color: #1e7e34;"
ALL_KINDS = "*"  # the kind filter's "everything, term marks too"


def _percent(value: float | None) -> str:
    return fmt.format_percent(value / 100) if value is not None else "—"


def _rounded(rows: list[dict], keys=("pass_rate", "quality_rate", "sou")) -> list[dict]:
    """Percentages with one decimal, as the summary lines show them (the models keep the exact values)."""
    for row in rows:
        for key in keys:
            if row.get(key) is not None:
                row[key] = round(row[key], 1)
    return rows


def _years(db: Database) -> list[tuple[int, str]]:
    return records.options(db, "academic_year")


def _current_year(db: Database) -> int | None:
    year = school.academic_year_on(db, dt.date.today())
    return year["id"] if year else None


# ---- the assessments --------------------------------------------------------------------------------------------


class AssessmentsTab(QWidget):
    """The assessments of a year, and the selected one's results (a column per task), tasks and skills."""

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.year = make_combo(self, chars=10)
        self.kind = make_combo(self, chars=28)
        self._fill_filters()
        self.year.currentIndexChanged.connect(lambda _i: self.list.reload())
        self.kind.currentIndexChanged.connect(lambda _i: self.list.reload())
        self.list = RecordListPage(db, analytics.ASSESSMENT_ROW, self, source=self._rows, editable=False)
        self.list.on_edit = lambda _row: self.edit()
        self.list.add_action(_("New…"), self.new_record, "new_assessment")
        self.list.add_action(_("Edit…"), self.edit, "edit_assessment")
        self.list.add_action(_("Delete"), self.delete, "delete_assessment")
        self.list.add_action(_("Load results…"), self.load_results, "load_results")
        self.list.add_action(_("Propose databank entries…"), self.propose, "propose")
        self.status = QLabel(self)
        self.status.setStyleSheet(OK_STYLE)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.results_box = QWidget(self)
        self.results_layout = QVBoxLayout(self.results_box)
        self.results_layout.setContentsMargins(0, 0, 0, 0)
        self.results: RecordListPage | None = None
        self._show_results(None)
        self.tasks = RecordListPage(db, assessments.TASK_ROW, self, source=self._tasks, editable=False)
        self.tasks.table.setObjectName("table_tasks")
        self.tasks.on_edit = self.edit_task
        self.tasks.add_action(_("Add a task…"), lambda: self.edit_task(None), "add_task")
        self.tasks.add_action(_("Edit…"), lambda: self.edit_task(self.tasks.current()), "edit_task")
        self.tasks.add_action(_("Delete"), self.delete_task, "delete_task")
        self.details = QTabWidget(self)
        self.details.addTab(self.results_box, _("Results"))
        self.details.addTab(self.tasks, _("Tasks and how the class solved them"))

        filters = QHBoxLayout()
        for label, combo in ((_("Academic year"), self.year), (_("Kind"), self.kind)):
            filters.addWidget(QLabel(label, self))
            filters.addWidget(combo)
        filters.addSpacing(12)
        filters.addWidget(self.status, 1)
        lower = QWidget(self)
        below = QVBoxLayout(lower)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.summary)
        below.addWidget(self.details, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(lower)
        splitter.setSizes([230, 370])
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        self.list.selection_changed.connect(self._chosen)
        self.list.model.modelReset.connect(self._keep_selection)
        bus.data_changed.connect(self._data_changed)

    # ---- lists ----------------------------------------------------------------------------------------------------

    def _fill_filters(self) -> None:
        chosen = self.year.currentData() if self.year.count() else _current_year(self.db)
        refill(self.year, _years(self.db), _("all years"))
        self.year.setCurrentIndex(max(0, self.year.findData(chosen)))
        kinds = [(k, _(label)) for k, label in KINDS] + [(ALL_KINDS, _("all, with term marks"))]
        refill(self.kind, kinds, _("control works and exams"))

    def _rows(self) -> list[dict]:
        kind = self.kind.currentData()
        return _rounded(
            analytics.assessment_overview(
                self.db, self.year.currentData(), None if kind == ALL_KINDS else kind, with_term_marks=kind is not None
            )
        )

    def current_id(self) -> int | None:
        row = self.list.current()
        return row["id"] if row else None

    def _keep_selection(self) -> None:
        if self.list.current() is None and self.list.proxy.rowCount():
            self.list.table.selectRow(0)
        elif self.list.current() is None:
            self._chosen(None)

    def _chosen(self, row: dict | None) -> None:
        assessment_id = row["id"] if row else None
        self._show_results(assessment_id)
        self.tasks.reload()
        self._summarize(row)

    def _data_changed(self) -> None:
        if self.isVisible():
            self._chosen(self.list.current())

    def _show_results(self, assessment_id: int | None) -> None:
        """The results list, rebuilt when the assessment's tasks (its columns) differ from the shown ones."""
        rtype = assessments.results_view_type(self.db, assessment_id or 0)
        names = [f.name for f in rtype.fields]
        if self.results is None or names != [f.name for f in self.results.rtype.fields]:
            page = RecordListPage(self.db, rtype, self.results_box, source=self._results, editable=False)
            page.table.setObjectName("table_results")
            page.on_edit = self.edit_result
            page.add_action(_("Add a result…"), lambda: self.edit_result(None), "add_result")
            page.add_action(_("Edit…"), lambda: self.edit_result(page.current()), "edit_result")
            page.add_action(_("Delete"), self.delete_result, "delete_result")
            if self.results is not None:
                self.results_layout.removeWidget(self.results)
                self.results.deleteLater()
            self.results_layout.addWidget(page)
            self.results = page
        self.results.reload()

    def _results(self) -> list[dict]:
        assessment_id = self.current_id()
        return assessments.results_table(self.db, assessment_id) if assessment_id else []

    def _tasks(self) -> list[dict]:
        assessment_id = self.current_id()
        return assessments.tasks_table(self.db, assessment_id) if assessment_id else []

    def _summarize(self, row: dict | None) -> None:
        if row is None:
            self.summary.setText(_("No assessment is chosen. Add one with “New…” or load results from a file."))
            return
        assessment = records.fetch(self.db, ASSESSMENT, row["id"]) or {}
        parts = [f"<b>{assessments.describe(self.db, assessment)}</b>"]
        parts.append(_("Wrote: {wrote} of {total}.").format(wrote=row["wrote"], total=row["wrote"] + row["missed"]))
        if row["pass_rate"] is not None:
            parts.append(
                _("Pass rate {pass_rate}, quality rate {quality_rate}, SOU {sou}.").format(
                    pass_rate=_percent(row["pass_rate"]),
                    quality_rate=_percent(row["quality_rate"]),
                    sou=_percent(row["sou"]),
                )  # fmt: skip
            )
        weak = assessments.class_deficits(self.db, row["id"])
        if weak:
            parts.append(_("Skills the class solved below half: {skills}.").format(skills="; ".join(weak)))
        self.summary.setText(" ".join(parts))

    # ---- assessments ----------------------------------------------------------------------------------------------

    def _dialog(self, assessment_id: int | None) -> bool:
        dialog = RecordDialog(self.db, ASSESSMENT, assessment_id, None, self)
        dialog.form.writer = lambda db, _rtype, values, record_id: assessments.save_assessment(db, values, record_id)
        if assessment_id is None:
            dialog.form.load({"kind": "entrance", "date": dt.date.today().isoformat()})
        if not dialog.exec():
            return False
        bus.data_changed.emit()
        self.select(dialog.form.record_id)
        return True

    def new_record(self) -> None:
        self._dialog(None)

    def edit(self) -> None:
        if self.current_id():
            self._dialog(self.current_id())

    def delete(self) -> None:
        row = self.list.current()
        if row is None:
            return
        name = assessments.describe(self.db, records.fetch(self.db, ASSESSMENT, row["id"]) or row)
        if not confirm(self, _("Delete"), _("Delete “{name}” with its tasks and results?").format(name=name)):
            return
        try:
            records.delete(self.db, ASSESSMENT, row["id"])
        except RecordInUseError as exc:
            QMessageBox.warning(self, _("Delete"), str(exc))
            return
        bus.data_changed.emit()

    def select(self, assessment_id: int | None) -> None:
        """Show an assessment, widening the filters when they hide it."""
        if assessment_id is None:
            return
        self.list.reload()
        self.list.select_id(assessment_id)
        if self.current_id() != assessment_id:
            self.year.setCurrentIndex(0)
            self.kind.setCurrentIndex(self.kind.findData(ALL_KINDS))
            self.list.select_id(assessment_id)

    # ---- results ------------------------------------------------------------------------------------------------

    def edit_result(self, row: dict | None) -> None:
        assessment_id = self.current_id()
        if assessment_id is None:
            return
        rtype = assessments.result_form_type(self.db, assessment_id, keep_student=row["student_id"] if row else None)
        dialog = RecordDialog(self.db, rtype, row["id"] if row else None, None, self)
        if row:
            dialog.form.load(assessments.result_form_values(self.db, row["id"]))
        dialog.form.writer = lambda db, _rtype, values, record_id: assessments.save_result_form(
            db, assessment_id, values, record_id
        )
        if dialog.exec():
            bus.data_changed.emit()

    def edit_task(self, row: dict | None) -> None:
        assessment_id = self.current_id()
        if assessment_id is None:
            return
        fixed = {"assessment_id": assessment_id}
        dialog = RecordDialog(self.db, ASSESSMENT_TASK, row["id"] if row else None, fixed, self)
        if row is None:
            following = max((t["number"] for t in assessments.tasks(self.db, assessment_id)), default=0) + 1
            dialog.form.load({"number": following, "max_points": 1})
        if dialog.exec():
            bus.data_changed.emit()

    def delete_task(self) -> None:
        row = self.tasks.current()
        if row is None:
            return
        question = _("Delete task {n} with the pupils' points for it?").format(n=row["number"])
        if confirm(self, _("Delete"), question):
            records.delete(self.db, ASSESSMENT_TASK, row["id"])
            bus.data_changed.emit()

    def delete_result(self) -> None:
        row = self.results.current() if self.results else None
        if row is None:
            return
        if confirm(self, _("Delete"), _("Delete “{name}”?").format(name=row["student"])):
            records.delete(self.db, ASSESSMENT_RESULT, row["id"])
            bus.data_changed.emit()

    def load_results(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Load results"), "", _("Excel workbooks (*.xlsx)"))
        if not path:
            return
        try:
            preview = read_in_background(self, path)
        except results_import.ResultsImportError as exc:
            QMessageBox.warning(self, _("Load results"), str(exc))
            return
        dialog = ImportDialog(self.db, preview, self)
        if dialog.exec() and dialog.result is not None:
            self.status.setText(_("Results loaded: {summary}.").format(summary=dialog.result.summary()))
            bus.data_changed.emit()
            self.select(dialog.result.assessment_id)

    def propose(self) -> None:
        assessment_id = self.current_id()
        if assessment_id is None:
            QMessageBox.information(self, _("Databank"), _("Choose an assessment first."))
            return
        try:
            proposals = assessments.propose_databank_entries(self.db, assessment_id)
        except ValidationError as exc:
            QMessageBox.warning(self, _("Databank"), "\n".join(exc.errors.values()))
            return
        if not proposals:
            QMessageBox.information(
                self, _("Databank"), _("No pupil of this assessment has a “2” or a skill solved below half.")
            )
            return
        dialog = ProposalsDialog(self.db, proposals, self)
        if dialog.exec():
            self.status.setText(_("Databank entries made: {n}.").format(n=dialog.made))
            bus.data_changed.emit()

    def focus_filter(self) -> None:
        self.list.focus_filter()


def read_in_background(parent: QWidget, path: str) -> results_import.ResultsPreview:
    """Read the file on a worker thread (the window keeps painting; a busy indicator shows after a moment) and wait
    for it here; raises what reading raises. Only reading runs there: the database stays on this thread."""
    loop, outcome = QEventLoop(), {}

    def finish(key: str, value) -> None:
        outcome[key] = value
        loop.quit()

    run_in_background(
        parent,
        _("Reading the results…"),
        lambda: results_import.read_results(path),
        lambda preview: finish("preview", preview),
        lambda exc: finish("error", exc),
    )
    if not outcome:
        loop.exec()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["preview"]


class ImportDialog(QDialog):
    """What the file holds, the settings of the new assessment, and every row with a problem before anything is
    written."""

    def __init__(self, db: Database, preview: results_import.ResultsPreview, parent=None):
        super().__init__(parent)
        self.db, self.preview = db, preview
        self.result: results_import.ImportResult | None = None
        self.setWindowTitle(_("Load results"))
        facts = _(
            "{file}, sheet “{sheet}”: class {class_name}, rows of pupils: {rows}, tasks: {tasks}, max score: {max}."
        ).format(
            file=preview.file_name, sheet=preview.sheet, class_name=preview.class_name or "?", rows=len(preview.rows),
            tasks=len(preview.task_numbers), max=fmt.format_number(preview.max_score) or "—",
        )  # fmt: skip
        info = QLabel(facts, self)
        info.setWordWrap(True)
        self.form = RecordForm(db, results_import.IMPORT_SETTINGS, parent=self)
        guess = results_import.guess_settings(db, preview)
        # what the title does not tell stays empty: a VPR must not be loaded as an entrance work by default
        self.form.load({"kind": guess.get("kind"), "subject_id": guess.get("subject_id"), "date": guess.get("date")})
        self.form.writer = self._write
        self.problems = QPlainTextEdit(self)
        self.problems.setObjectName("problems")
        self.problems.setReadOnly(True)
        self.problems.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.verdict = QLabel(self)
        self.verdict.setWordWrap(True)
        check = QPushButton(_("Check the rows"), self)
        check.setObjectName("check_rows")
        check.clicked.connect(self.check)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        load = buttons.addButton(_("Load"), QDialogButtonBox.ButtonRole.AcceptRole)
        load.setObjectName("load")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("Rows with problems and warnings:"), self), 1)
        bar.addWidget(check)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(self.form)
        layout.addLayout(bar)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.verdict)
        layout.addWidget(buttons)
        self.resize(720, 680)
        if all(self.form.values().get(k) for k in ("kind", "subject_id", "date")):
            self.check()
        else:
            self._show(preview.problems, preview.warnings, None)

    def _write(self, db, _rtype, values, _record_id, dry_run: bool = False):
        self.result = results_import.import_from_form(db, self.preview, values, dry_run=dry_run)
        return 1

    def _show(self, problems, warnings, result) -> None:
        lines = [str(p) for p in problems] + [_("warning: {text}").format(text=str(w)) for w in warnings]
        self.problems.setPlainText("\n".join(lines) or _("No problems found."))
        if result is None:
            self.verdict.setText(_("Choose the kind, subject and date, then check the rows."))
            self.verdict.setStyleSheet("")
        elif result.problems and not self.form.values().get("skip_invalid"):
            self.verdict.setText(
                _(
                    "Rows with problems: {n}. Nothing will be loaded until they are corrected in the file, or tick "
                    "“Skip the rows with problems”."
                ).format(n=result.invalid)
            )
            self.verdict.setStyleSheet(ERROR_STYLE)
        else:
            self.verdict.setText(_("Ready to load: {summary}.").format(summary=result.summary()))
            self.verdict.setStyleSheet(OK_STYLE)

    def check(self) -> None:
        """A dry run: the pupils matched and every problem listed; nothing is written."""
        try:
            self._write(self.db, None, self.form.values(), None, dry_run=True)
        except ValidationError as exc:
            self.form.show_errors(exc.errors)
            return
        self.form.show_errors({})
        self._show(self.result.problems, self.result.warnings, self.result)
        self.result = None

    def accept(self) -> None:
        if self.form.save() is None:
            return
        if not self.result.written:
            self._show(self.result.problems, self.result.warnings, self.result)
            self.result = None
            return
        super().accept()


class ProposalsDialog(QDialog):
    """The pupils proposed for the databank, ticked; those already in it are shown but cannot be ticked."""

    def __init__(self, db: Database, proposals: list[dict], parent=None):
        super().__init__(parent)
        self.db, self.proposals, self.made = db, proposals, 0
        self.setWindowTitle(_("Propose databank entries"))
        first = proposals[0]
        text = _(
            "Pupils with a “2” or with skills solved below half; those with a “2”, and those with a “3” and "
            "deficits, are ticked. The ticked ones are entered into the databank as “{category}” in “{subject}”, "
            "identified on {date}."
        ).format(category=first["category"], subject=first["subject"], date=fmt.format_date(first["identified_on"]))
        intro = QLabel(text, self)
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("proposals")
        self.list.setWordWrap(True)
        for p in proposals:
            details = [_("mark {mark}").format(mark=p["mark"])] if p["mark"] is not None else []
            if p["deficits"]:
                details.append(_("deficits: {skills}").format(skills="; ".join(p["deficits"])))
            label = f"{p['student']} ({p['class_name']}) — {', '.join(details)}"
            if p["exists"]:
                label += " — " + _("already in the databank")
            item = QListWidgetItem(label, self.list)
            item.setToolTip(p["description"])
            if p["exists"]:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Unchecked)
            else:
                item.setCheckState(Qt.CheckState.Checked if p["suggested"] else Qt.CheckState.Unchecked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        make = buttons.addButton(_("Make the entries"), QDialogButtonBox.ButtonRole.AcceptRole)
        make.setObjectName("make_entries")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(760, 480)

    def chosen(self) -> list[dict]:
        return [
            p
            for i, p in enumerate(self.proposals)
            if self.list.item(i).checkState() == Qt.CheckState.Checked and not p["exists"]
        ]

    def accept(self) -> None:
        try:
            self.made = assessments.create_databank_entries(self.db, self.chosen())
        except ValidationError as exc:
            QMessageBox.warning(self, _("Databank"), "\n".join(exc.errors.values()))
            return
        super().accept()


# ---- analytics ------------------------------------------------------------------------------------------------------

MEASURES = (("quality_rate", N_("quality rate")), ("pass_rate", N_("pass rate")), ("sou", N_("SOU")))


class AnalyticsTab(QWidget):
    """Pass rate, quality rate and SOU by class for a period, with the change, and the dynamics over the terms."""

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self._cache: dict[tuple, list[dict]] = {}
        self.year = make_combo(self, chars=10)
        self.period_kind = make_combo(self, [(k, _(v)) for k, v in analytics.PERIOD_KINDS], chars=12)
        self.period = make_combo(self, chars=16)
        self.subject = make_combo(self, chars=20)
        self.klass = make_combo(self, chars=16)
        kinds = sorted(KINDS, key=lambda kind: kind[0] != "term_marks")  # term marks first: the usual analysis
        self.source = make_combo(self, [(k, _(v)) for k, v in kinds], chars=16)
        self.measure = make_combo(self, [(k, _(v)) for k, v in MEASURES], chars=14)
        self._fill()
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.list = RecordListPage(db, analytics.ANALYTICS_ROW, self, source=self._rows, editable=False)
        self.list.table.setObjectName("table_analytics")
        self.chart = LineChart(self)
        self.chart.setMinimumHeight(170)
        self.values = QLabel(self)  # the chart names only its first and last dates: every term's value in words
        self.values.setWordWrap(True)

        top = QHBoxLayout()
        second = QHBoxLayout()
        for row, pickers in (
            (top, ((_("Academic year"), self.year), (_("Period"), self.period_kind), (None, self.period),
                   (_("Marks"), self.source))),
            (second, ((_("Subject"), self.subject), (_("Class"), self.klass))),
        ):  # fmt: skip
            for label, combo in pickers:
                if label:
                    row.addSpacing(6)
                    row.addWidget(QLabel(label, self))
                row.addWidget(combo)
        second.addSpacing(12)
        second.addWidget(self.note, 1)
        top.addStretch(1)
        chart_box = QWidget(self)
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_bar = QHBoxLayout()
        chart_bar.addWidget(QLabel(_("Dynamics over the terms of the selected class:"), self))
        chart_bar.addWidget(self.measure)
        chart_bar.addStretch(1)
        chart_layout.addLayout(chart_bar)
        chart_layout.addWidget(self.chart, 1)
        chart_layout.addWidget(self.values)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(chart_box)
        splitter.setSizes([330, 250])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(splitter, 1)

        self.year.currentIndexChanged.connect(self._year_changed)
        self.period_kind.currentIndexChanged.connect(self._kind_changed)
        for combo in (self.period, self.subject, self.klass, self.source):
            combo.currentIndexChanged.connect(lambda _i: self.list.reload())
        self.measure.currentIndexChanged.connect(lambda _i: self._draw())
        self.list.selection_changed.connect(lambda _row: self._draw())
        self.list.model.modelReset.connect(self._reset)
        bus.data_changed.connect(self._cache.clear)

    # ---- choices ------------------------------------------------------------------------------------------------

    def _fill(self) -> None:
        refill(self.year, _years(self.db))
        self.year.setCurrentIndex(max(0, self.year.findData(_current_year(self.db))))
        refill(self.subject, records.options(self.db, "subject"), _("all subjects"))
        self._fill_periods()
        self._fill_classes()

    def _fill_periods(self) -> None:
        year_id, kind = self.year.currentData(), self.period_kind.currentData()
        if year_id is None:
            refill(self.period, [])
            return
        choices = [(p.number, self._period_name(p)) for p in analytics.periods(self.db, year_id, kind)]
        refill(self.period, choices)
        self.period.setEnabled(kind != "year")
        if kind == "term":  # the last term ended: its marks are in
            ended = [p.number for p in analytics.periods(self.db, year_id, "term") if analytics.span(self.db, p).end
                     < dt.date.today().isoformat()]  # fmt: skip
            if ended:
                self.period.setCurrentIndex(max(0, self.period.findData(ended[-1])))

    @staticmethod
    def _period_name(period: Period) -> str:
        if period.kind == "term":
            return _("term {n}").format(n=period.number)
        if period.kind == "half":
            return _("half-year {n}").format(n=period.number)
        return _("the whole year")

    def _fill_classes(self) -> None:
        choices = [
            (f"{g}|{letter}", label) for (g, letter), label in analytics.class_choices(self.db, self.year.currentData())
        ]
        refill(self.klass, choices, _("all classes"))

    def _year_changed(self) -> None:
        self._fill_periods()
        self._fill_classes()
        self.list.reload()

    def _kind_changed(self) -> None:
        self._fill_periods()
        self.list.reload()

    # ---- data ---------------------------------------------------------------------------------------------------

    def period_chosen(self) -> Period | None:
        year_id, kind = self.year.currentData(), self.period_kind.currentData()
        if year_id is None:
            return None
        return Period(kind, year_id, None if kind == "year" else self.period.currentData() or 1)

    def class_chosen(self) -> tuple[int | None, str | None]:
        value = self.klass.currentData()
        if not value:
            return None, None
        grade, letter = value.split("|")
        return int(grade), letter or None

    def _rows(self) -> list[dict]:
        period = self.period_chosen()
        if period is None:
            self.note.setText(_("Add an academic year with its terms under School and team first."))
            return []
        grade, letter = self.class_chosen()
        if self.subject.currentData() is None:
            self.note.setText(_(
                "All subjects together: a pupil counts by the lowest mark — the pass rate is the share of pupils "
                "without a “2”, the quality rate the share with only 4s and 5s; SOU is taken over all the marks. "
                "The change is against the previous period, for the same pupils."
            ))  # fmt: skip
        else:
            self.note.setText(
                _("The change is against the previous period, for the same pupils (6А now: 5А last year).")
            )
        return _rounded(
            analytics.class_results(
                self.db, period, subject_id=self.subject.currentData(), grade=grade, letter=letter,
                kinds=(self.source.currentData(),),
            )
        )  # fmt: skip

    def _reset(self) -> None:
        if self.list.current() is None and self.list.proxy.rowCount():
            self.list.table.selectRow(self.list.proxy.rowCount() - 1)  # the total, or the only class
        else:
            self._draw()

    def _draw(self) -> None:
        year_id = self.year.currentData()
        row = self.list.current()
        if year_id is None or row is None:
            self.chart.set_data([], title="")
            self.values.clear()
            return
        if row.get("is_total"):
            grade, letter = self.class_chosen()
        else:
            grade, letter = row["grade"], row["letter"] or None
        key = (year_id, self.subject.currentData(), grade, letter, self.source.currentData())
        if key not in self._cache:
            self._cache[key] = analytics.dynamics(
                self.db, year_id, subject_id=key[1], grade=grade, letter=letter, kinds=(key[4],)
            )
        measure = self.measure.currentData()
        shown = [p for p in self._cache[key] if p[measure] is not None]
        points = [(p["date"], round(p[measure], 1)) for p in shown]
        self.values.setText("; ".join(f"{p['label']}: {_percent(p[measure])}" for p in shown))
        subject = self.subject.currentText()
        title = f"{row['class_name']} · {subject} · {self.measure.currentText()}, %"
        self.chart.set_data(points, title=title)

    def focus_filter(self) -> None:
        self.list.focus_filter()


class AssessmentsPanel(QWidget):
    """The assessments and the class analytics, as the databank page shows them in one of its tabs."""

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.tabs = QTabWidget(self)
        self.assessments = AssessmentsTab(db, self)
        self.analytics = AnalyticsTab(db, self)
        self.tabs.addTab(self.assessments, _("Assessments"))
        self.tabs.addTab(self.analytics, _("Analytics"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def new_record(self) -> None:
        self.tabs.setCurrentWidget(self.assessments)
        self.assessments.new_record()

    def focus_filter(self) -> None:
        self.tabs.currentWidget().focus_filter()
