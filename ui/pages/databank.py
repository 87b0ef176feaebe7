"""Банк данных обучающихся. Now: the pupils list; the databank entries arrive with their capability."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget
from sqlite_utils import Database

from models import school
from models.i18n import _
from ui.pages.common import heading, note
from ui.record_page import RecordListPage


class DatabankPage(QWidget):
    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.students = RecordListPage(db, school.STUDENT, self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Databank of pupils with learning difficulties"), self))
        layout.addWidget(note(_(
            "For now this page holds the school's pupils. The databank entries by category and subject, "
            "the support log, assessments with per-task results and class analytics, and the import of "
            "class lists will be added here."
        ), self))
        layout.addWidget(self.students, 1)

    def new_record(self) -> None:
        self.students.new_record()

    def focus_filter(self) -> None:
        self.students.focus_filter()
