"""Школа и команда: the school profile, staff, working group, academic years with terms, the curator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models import school
from models.db import Database
from models.i18n import _
from models.programs import PD_COURSE
from models.records import ValidationError
from ui.bus import bus
from ui.pages.common import RefreshOnShow, TabbedPage, heading
from ui.record_form import RecordForm
from ui.record_page import MasterDetail, RecordListPage


class SchoolProfileTab(RefreshOnShow, QWidget):
    """The single school record, edited in place."""

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.save_button = QPushButton(_("Save the profile"), self)
        self.save_button.setObjectName("save_profile")
        self.save_button.clicked.connect(self.save)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        layout.addLayout(bar)
        self._build()
        self.watch_data()

    def refresh(self) -> None:
        self._build()

    def _build(self) -> None:
        profile = school.school_profile(self.db)
        self.form = RecordForm(self.db, school.SCHOOL, profile["id"] if profile else None, parent=self)
        self.form.setMaximumWidth(900)
        self.scroll.setWidget(self.form)

    def save(self) -> None:
        if self.form.save() is not None:
            bus.data_changed.emit()
            self._stale = False
            self.window().statusBar().showMessage(_("The school profile is saved."), 5000)


class YearsTab(MasterDetail):
    def __init__(self, db: Database, parent=None):
        super().__init__(db, school.ACADEMIC_YEAR, school.TERM, parent)
        self.db = db
        add_next = QPushButton(_("Add the next academic year with four terms"), self)
        add_next.setObjectName("add_next_year")
        add_next.clicked.connect(self.add_next_year)
        self.master.layout().itemAt(0).layout().insertWidget(4, add_next)

    def add_next_year(self) -> None:
        try:
            school.add_next_academic_year(self.db)
        except ValidationError as exc:
            QMessageBox.warning(self, _("Academic years"), "\n".join(exc.errors.values()))
            return
        bus.data_changed.emit()


class SchoolPage(TabbedPage):
    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.tabs = QTabWidget(self)
        self.profile = SchoolProfileTab(db, self)
        self.staff = RecordListPage(db, school.STAFF, self)
        self.group = RecordListPage(db, school.WORKING_GROUP_MEMBER, self)
        self.years = YearsTab(db, self)
        self.curator = RecordListPage(db, school.CURATOR, self)
        self.courses = RecordListPage(db, PD_COURSE, self)
        self.tabs.addTab(self.profile, _("School profile"))
        self.tabs.addTab(self.staff, _("Staff"))
        self.tabs.addTab(self.group, _("Working group"))
        self.tabs.addTab(self.years, _("Academic years and terms"))
        self.tabs.addTab(self.curator, _("Curator"))
        self.tabs.addTab(self.courses, _("PD courses"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("School and team"), self))
        layout.addWidget(self.tabs)
