"""First start without a school: a short form for the essentials, or the demo school in one click."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
)

from models import school
from models.db import Database
from models.i18n import _
from models.records import ValidationError
from ui.pages.common import heading
from ui.record_form import RecordForm


class SetupDialog(QDialog):
    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.used_demo = False
        self.setWindowTitle(_("Antirisk — first start"))
        intro = QLabel(
            _(
                "Enter the essentials about your school. Everything else (staff, working group, curator, terms) "
                "is filled in later under School and team. Or open the demo school to look around first."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.form = RecordForm(db, school.SETUP, parent=self)
        self.form.writer = lambda _db, _rtype, values, _id: school.setup_school(db, values)
        scroll = QScrollArea(self)
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button = buttons.addButton(_("Create my school"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setObjectName("create_school")
        self.demo_button = QPushButton(_("Open the demo school"), self)
        self.demo_button.setObjectName("open_demo")
        buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.demo_button.clicked.connect(self.open_demo)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Welcome to Antirisk"), self))
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(720, 640)

    def accept(self) -> None:
        if self.form.save() is not None:
            super().accept()

    def open_demo(self) -> None:
        from models.demo import DemoError, build_demo

        try:
            build_demo(self.db)
        except (DemoError, ValidationError) as exc:
            QMessageBox.warning(self, _("Demo school"), str(exc))
            return
        self.used_demo = True
        super().accept()
