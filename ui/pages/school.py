"""Школа и команда: the school profile, staff, working group, academic years with terms, the curator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from models import school
from models.db import Database
from models.i18n import _
from models.programs import PD_COURSE
from models.records import ValidationError
from ui.bus import bus
from ui.pages.common import RefreshOnShow, TabbedPage, tab_attribute
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
    profile = tab_attribute("profile")
    staff = tab_attribute("staff")
    group = tab_attribute("group")
    years = tab_attribute("years")
    curator = tab_attribute("curator")
    courses = tab_attribute("courses")

    def __init__(self, db: Database, parent=None):
        super().__init__(_("School and team"), parent)
        self.add_tab("profile", _("School profile"), lambda: SchoolProfileTab(db, self))
        self.add_tab("staff", _("Staff"), lambda: RecordListPage(db, school.STAFF, self))
        self.add_tab("group", _("Working group"), lambda: RecordListPage(db, school.WORKING_GROUP_MEMBER, self))
        self.add_tab("years", _("Academic years and terms"), lambda: YearsTab(db, self))
        self.add_tab("curator", _("Curator"), lambda: RecordListPage(db, school.CURATOR, self))
        self.add_tab("courses", _("PD courses"), lambda: RecordListPage(db, PD_COURSE, self))
