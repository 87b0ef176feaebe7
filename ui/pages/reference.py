"""Справочники: every reference list, editable; the defaults were seeded when the database was made."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QListWidget, QStackedWidget, QVBoxLayout, QWidget

from models.db import Database
from models.i18n import _
from models.records import record_type
from models.reference import LISTS
from ui.pages.common import heading, note
from ui.record_page import RecordListPage


class ReferencePage(QWidget):
    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.lists = QListWidget(self)
        self.lists.setObjectName("reference_lists")
        self.stack = QStackedWidget(self)
        self.pages: dict[int, RecordListPage] = {}
        self.keys = list(LISTS)
        for key in self.keys:
            self.lists.addItem(_(LISTS[key][0]))
        self.lists.setMaximumWidth(260)
        self.lists.currentRowChanged.connect(self._show)
        body = QHBoxLayout()
        body.addWidget(self.lists)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Reference lists"), self))
        layout.addWidget(
            note(
                _(
                    "These lists feed the choices everywhere in the program. Rename or add items as your school "
                    "words them; an item that is already used cannot be deleted, but it can be taken out of use."
                ),
                self,
            )
        )
        layout.addLayout(body, 1)
        self.lists.setCurrentRow(0)

    def _show(self, row: int) -> None:
        if row not in self.pages:  # built on first visit: most lists are never opened
            self.pages[row] = RecordListPage(self.db, record_type(self.keys[row]), self)
            self.stack.addWidget(self.pages[row])
        self.stack.setCurrentWidget(self.pages[row])

    def new_record(self) -> None:
        self.stack.currentWidget().new_record()

    def focus_filter(self) -> None:
        self.stack.currentWidget().focus_filter()
