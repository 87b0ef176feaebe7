"""The Reports page as a deputy director uses it: choose the quarter, type the problems and the corrective actions,
make the report, look at its preview, save XLSX and PDF, print it. Real widgets are clicked; the files and the
database are checked."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QDialog

from models import periods, report
from tests.conftest import count, type_into
from ui.pages.reports import ReportsPage


@pytest.fixture
def page(qtbot, demo_db, db_path):
    from ui.main_window import MainWindow

    window = MainWindow(demo_db, str(db_path))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_page(
        "reports"
    )  # the first visit makes this quarter's report by itself: wait for its preview, as a user does
    widget = window.current_page()
    assert isinstance(widget, ReportsPage)
    qtbot.waitUntil(lambda: widget.print_button.isEnabled(), timeout=30000)
    assert widget.document.pageCount() >= 1 and widget.build_button.isEnabled()
    return widget


def exports(db) -> list[tuple]:
    return [tuple(r) for r in db.execute("SELECT format, period_key, with_names FROM report_export ORDER BY id")]


def make(qtbot, page) -> None:
    qtbot.mouseClick(page.build_button, Qt.MouseButton.LeftButton)
    assert not page.build_button.isEnabled()  # being made
    qtbot.waitUntil(lambda: page.build_button.isEnabled(), timeout=30000)


def test_the_report_is_made_shown_saved_and_printed(qtbot, page, demo_db, tmp_path, monkeypatch):
    type_into(page.problems, "Не все учителя прошли курсы")
    type_into(page.actions, "Курсы до 01.03")
    make(qtbot, page)
    assert page.document.pageCount() >= 1  # the preview shows the PDF the worker made
    period = page.current_period()
    assert report.notes(demo_db, period) == {"problems": "Не все учителя прошли курсы", "actions": "Курсы до 01.03"}

    page.save("xlsx", str(tmp_path / "report.xlsx"))
    page.save("pdf", str(tmp_path / "report.pdf"))
    sheet_texts = [c.value for ws in load_workbook(tmp_path / "report.xlsx") for row in ws.iter_rows() for c in row]
    assert "Не все учителя прошли курсы" in sheet_texts
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")

    # Printing: the system dialog is answered "Print" to a PDF file, so what the printer gets can be looked at.
    from PySide6 import QtPrintSupport

    printed = tmp_path / "printed.pdf"

    class PrintToFile:
        DialogCode = QDialog.DialogCode

        def __init__(self, printer, parent=None):
            printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(printed))

        def exec(self):
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QtPrintSupport, "QPrintDialog", PrintToFile)
    rendered = []
    real_render = page.document.render
    monkeypatch.setattr(page.document, "render", lambda n, size: rendered.append(size) or real_render(n, size))
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert printed.read_bytes().startswith(b"%PDF") and printed.stat().st_size > 10_000  # pages drawn, not blank
    # every page, drawn as a picture of 300 dpi (A4: 2480 × 3508 dots), not of the printer's 1200 (a 560 MB image)
    assert len(rendered) == page.document.pageCount()
    on_paper = QPdfDocument()
    on_paper.load(str(printed))
    assert on_paper.pageCount() == page.document.pageCount()
    paper, shown = on_paper.pagePointSize(0), page.document.pagePointSize(0)
    assert paper.width() > paper.height() and shown.width() > shown.height()  # landscape, as the report's pages
    assert all(2000 < max(s.width(), s.height()) <= 3508 for s in rendered), rendered
    assert exports(demo_db) == [(kind, period.key, 0) for kind in ("xlsx", "pdf", "print")]
    assert page.history.model.rowCount() == 3  # the export history on the page is the database's


def test_a_cancelled_print_records_nothing(qtbot, page, demo_db, monkeypatch):
    from PySide6 import QtPrintSupport

    class Cancel:
        DialogCode = QDialog.DialogCode

        def __init__(self, printer, parent=None):
            pass

        def exec(self):
            return QDialog.DialogCode.Rejected

    make(qtbot, page)
    monkeypatch.setattr(QtPrintSupport, "QPrintDialog", Cancel)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert count(demo_db, "report_export") == 0


@pytest.mark.parametrize(
    "start, end",
    [("", ""), ("31.02.2026", "01.03.2026"), ("01.12.2026", "01.10.2026"), ("завтра", "01.10.2026")],
)
def test_other_dates_that_make_no_period_get_one_message_and_nothing_is_made(qtbot, page, demo_db, start, end):
    notes = demo_db.dicts("SELECT * FROM report_note")
    page.period.setCurrentIndex(page.period.findData("range"))
    assert page.range_box.isVisible()
    type_into(page.start.line, start)
    type_into(page.end.line, end)
    qtbot.mouseClick(page.build_button, Qt.MouseButton.LeftButton)
    assert page.error.text()  # one sentence, in Russian
    assert not any("a" <= ch <= "z" for ch in page.error.text().lower())
    assert page.build_button.isEnabled() and page.built_key[0] != "range"  # the quarter's report stays shown
    assert count(demo_db, "report_export") == 0 and demo_db.dicts("SELECT * FROM report_note") == notes
    with pytest.raises(periods.PeriodError):
        page.current_period()
