"""Отчёты: the quarterly report for the education department — pick the period, type the problems and corrective
actions, look at the PDF, save XLSX and PDF, print; merge many schools' reports for the department."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, QTimer
from PySide6.QtGui import QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models import periods, report
from models.db import Database
from models.i18n import _
from ui.combos import make_combo
from ui.pages.common import heading
from ui.record_form import DateEdit
from ui.record_page import RecordListPage
from ui.worker import run_in_background

PRINT_DPI = 300  # a printed page's resolution: sharp text and charts on any office printer


class ReportsPage(QWidget):
    def __init__(self, db: Database, db_path: str, parent=None):
        super().__init__(parent)
        self.db, self.db_path = db, db_path
        self.folder = Path(tempfile.mkdtemp(prefix="antirisk-report-"))
        self.preview_path: Path | None = None
        self.built_key: tuple | None = None
        self.period = make_combo(self, [(p.key, p.label) for p in periods.choices(db)], chars=26)
        self.period.addItem(_("Other dates…"), "range")
        self.period.currentIndexChanged.connect(self._period_changed)
        self.start, self.end = DateEdit(self), DateEdit(self)
        self.range_box = QWidget(self)
        range_layout = QHBoxLayout(self.range_box)
        range_layout.setContentsMargins(0, 0, 0, 0)
        for text, edit in ((_("from"), self.start), (_("to"), self.end)):
            range_layout.addWidget(QLabel(text, self))
            range_layout.addWidget(edit)
        self.range_box.hide()
        self.with_names = QCheckBox(_("with pupils' names (personal data)"), self)
        self.with_names.setToolTip(_("Contains personal data of pupils: for use inside the school only"))
        self.with_names.setObjectName("with_names")
        self.problems, self.actions = QPlainTextEdit(self), QPlainTextEdit(self)
        for edit, hint in ((self.problems, _("What did not work out in the period and why")),
                           (self.actions, _("What the school will do about it, by when, who"))):
            edit.setPlaceholderText(hint)
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(90)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        buttons = QHBoxLayout()
        self.build_button = self._button(_("Make the report"), self.build_preview, buttons, "build_report")
        self.save_xlsx = self._button(_("Save XLSX…"), lambda: self.save("xlsx"), buttons, "save_xlsx")
        self.save_pdf = self._button(_("Save PDF…"), lambda: self.save("pdf"), buttons, "save_pdf")
        self.print_button = self._button(_("Print…"), self.print_report, buttons, "print_report")
        buttons.addStretch(1)
        self._button(_("Merge schools' reports…"), self.consolidate, buttons, "consolidate")
        form = QFormLayout()
        form.addRow(_("Period"), self.period)
        form.addRow("", self.range_box)
        form.addRow("", self.with_names)
        form.addRow(_("Problems"), self.problems)
        form.addRow(_("Corrective actions"), self.actions)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addWidget(self.error)
        left_layout.addLayout(buttons)
        self.history = RecordListPage(db, report.EXPORT_ROW, self, heading=_("Export history"),
                                      source=lambda: report.export_history(self.db), editable=False)
        self.history.filter.hide()
        left_layout.addWidget(self.history, 1)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        preview = QGroupBox(_("Preview"), self)
        QVBoxLayout(preview).addWidget(self.view)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(preview)
        left.setMaximumWidth(640)  # the preview of an A4 page gets the rest
        splitter.setSizes([560, 600])
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Quarterly report for the education department"), self))
        layout.addWidget(splitter, 1)
        self._period_changed()
        self._set_ready(False)

    def _button(self, text, slot, bar, name) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        bar.addWidget(button)
        return button

    def _set_ready(self, ready: bool) -> None:
        for button in (self.save_xlsx, self.save_pdf, self.print_button):
            button.setEnabled(ready)

    # ---- period and notes ------------------------------------------------------------------------------------------

    def _period_changed(self) -> None:
        self.range_box.setVisible(self.period.currentData() == "range")
        try:
            period = self.current_period()
        except periods.PeriodError:
            return
        note = report.notes(self.db, period)
        self.problems.setPlainText(note["problems"])
        self.actions.setPlainText(note["actions"])

    def current_period(self) -> periods.Period:
        """The chosen period; raises PeriodError with the sentence to show."""
        key = self.period.currentData()
        if key == "range":
            from models import fmt

            try:
                start, end = fmt.parse_date(self.start.value()), fmt.parse_date(self.end.value())
            except ValueError:
                raise periods.PeriodError(_("Type both dates as dd.mm.yyyy, for example 01.10.2026.")) from None
            key = f"{start}..{end}"
        return periods.parse(key, self.db)

    # ---- making, saving, printing ------------------------------------------------------------------------------------

    def build_preview(self, then=None) -> None:
        """Save the notes, then build the PDF on a worker and show it; `then()` runs once it is there."""
        self.error.clear()
        try:
            period = self.current_period()
            report.save_notes(self.db, period, self.problems.toPlainText(), self.actions.toPlainText())
        except (periods.PeriodError, ValueError) as exc:
            self.error.setText(str(exc))
            return
        key = (period.key, self.with_names.isChecked())
        target = self.folder / f"report-{len(list(self.folder.iterdir()))}.pdf"
        self.build_button.setEnabled(False)

        def done(made) -> None:
            self.build_button.setEnabled(True)
            self.document.load(str(target))
            self.preview_path, self.built_key, self.built = target, key, made
            self._set_ready(True)
            if then:
                then()

        def failed(exc) -> None:
            self.build_button.setEnabled(True)
            self.error.setText(str(exc))

        run_in_background(self, _("Making the report…"),
                          lambda: report.make_files(self.db_path, period.key, with_names=key[1], pdf=str(target)),
                          done, failed)

    def _fresh(self, then) -> None:
        """Run `then` on a report made for exactly what is chosen now (rebuilding when the choice changed)."""
        try:
            key = (self.current_period().key, self.with_names.isChecked())
        except periods.PeriodError as exc:
            self.error.setText(str(exc))
            return
        if key == self.built_key and self.preview_path:
            report.save_notes(self.db, self.current_period(), self.problems.toPlainText(), self.actions.toPlainText())
            typed = (self.problems.toPlainText().strip(), self.actions.toPlainText().strip())
            if typed == (self.built.problems, self.built.actions):
                then()
                return
        self.build_preview(then)

    def save(self, kind: str, path: str | None = None) -> None:
        self._fresh(lambda: self._save(kind, path))

    def _save(self, kind: str, path: str | None) -> None:
        made = self.built
        suggested = f"report-{made.period.key.replace('/', '-').replace('..', '_')}.{kind}"
        if path is None:
            pattern = _("Excel workbook (*.xlsx)") if kind == "xlsx" else "PDF (*.pdf)"
            path, _filter = QFileDialog.getSaveFileName(self, _("Save the report"), suggested, pattern)
        if not path:
            return
        try:
            if kind == "pdf":
                shutil.copyfile(self.preview_path, path)
            else:
                from models import report_xlsx

                report_xlsx.write_xlsx(made, path)
        except OSError as exc:
            QMessageBox.warning(self, _("Save the report"), str(exc))
            return
        report.record_export(self.db, made.period, kind, path, made.with_names)
        self.history.reload()
        self.window().statusBar().showMessage(_("The report is saved: {path}").format(path=path), 8000)

    def print_report(self) -> None:
        self._fresh(self._print)

    def _print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # when printing: 4–6 ms off the page's first visit

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(_("Quarterly report for the education department"))
        first = self.document.pagePointSize(0)
        if first.width() > first.height():  # the report's wide tables are on landscape pages: so is the paper
            printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        if QPrintDialog(printer, self).exec() != QPrintDialog.DialogCode.Accepted:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            painter = QPainter(printer)
            # Each page is drawn as a picture of PRINT_DPI, scaled to the paper: at the printer's own resolution
            # (1200 dpi to a PDF printer) one A4 page was a 560 MB image and twelve pages took half a minute.
            scale = min(1.0, PRINT_DPI / printer.resolution())
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                area = printer.pageLayout().paintRectPixels(printer.resolution())
                size = self.document.pagePointSize(page).scaled(QSizeF(area.size()), Qt.AspectRatioMode.KeepAspectRatio)
                image = self.document.render(page, (size * scale).toSize())
                painter.drawImage(QRectF(QPointF(0, 0), size), image)
            painter.end()
        finally:
            QApplication.restoreOverrideCursor()
        report.record_export(self.db, self.built.period, "print", None, self.built.with_names)
        self.history.reload()

    def consolidate(self) -> None:
        from models import consolidate

        inputs, _filter = QFileDialog.getOpenFileNames(self, _("Schools' reports"), "", _("Excel workbook (*.xlsx)"))
        if not inputs:
            return
        out, _filter = QFileDialog.getSaveFileName(self, _("Save the summary"), "summary.xlsx",
                                                   _("Excel workbook (*.xlsx)"))
        if not out:
            return
        try:
            result = consolidate.consolidate([Path(p) for p in inputs], Path(out))
        except consolidate.ConsolidationError as exc:
            QMessageBox.warning(self, _("Merge schools' reports"), str(exc))
            return
        text = _("The summary of {n} reports is saved: {path}").format(n=len(inputs), path=out)
        if result.warnings:
            text += "\n\n" + "\n".join(result.warnings)
        QMessageBox.information(self, _("Merge schools' reports"), text)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.built_key is None and not getattr(self, "_auto_started", False):
            self._auto_started = True  # the first visit shows this quarter's report without a click,
            # once the page is on screen: the worker making it would hold Python's lock while the page first paints
            QTimer.singleShot(0, self, self.build_preview)

    def focus_filter(self) -> None:
        self.period.setFocus()
