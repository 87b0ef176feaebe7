"""Printing what is on screen: the visible rows of the current list, through the system print dialog."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QMessageBox, QTableView, QWidget

from models import fmt
from models.i18n import _


def visible_table(page: QWidget | None) -> QTableView | None:
    """The list the user is looking at: the focused table, else the first visible one."""
    if page is None:
        return None
    tables = [t for t in page.findChildren(QTableView) if t.isVisible()]
    focused = [t for t in tables if t.hasFocus()]
    return (focused or tables or [None])[0]


def table_html(table: QTableView, title: str) -> str:
    """The rows as shown (filtered and sorted) as an HTML table with a title and today's date."""
    model = table.model()
    columns = [c for c in range(model.columnCount()) if not table.isColumnHidden(c)]
    cell = lambda value: html.escape(str(value or ""))  # noqa: E731
    if hasattr(model, "titles"):  # a list's (its header shows them from a model of its own)
        titles = model.titles()
    else:
        titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    head = "".join(f"<th>{cell(titles[c])}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{cell(model.index(r, c).data())}</td>" for c in columns) + "</tr>"
        for r in range(model.rowCount())
    )
    return (
        f"<h3>{cell(title)}</h3><p>{cell(fmt.format_long_date(dt.date.today()))}</p>"
        f"<table border='1' cellspacing='0' cellpadding='3'><thead><tr>{head}</tr></thead>{body}</table>"
    )


def print_current_list(window) -> None:
    table = visible_table(window.current_page())
    if table is None:
        QMessageBox.information(window, _("Print"), _("This page has no list to print."))
        return
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, window)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return
    document = QTextDocument()
    document.setHtml(table_html(table, window.nav.currentItem().text()))
    document.print_(printer)
