"""Главная: what the working group needs to see first. Later capabilities add their lists here."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget
from sqlite_utils import Database

from models import fmt, programs, school
from models.i18n import _, ngettext
from ui.bus import bus
from ui.pages.common import heading, note
from ui.record_page import RecordListPage


def _status_label(code: str | None) -> str:
    return next((_(label) for value, label in school.SCHOOL_STATUSES if value == code), "")


class HomePage(QWidget):
    def __init__(self, db: Database, parent=None, open_measure=None):
        super().__init__(parent)
        self.db = db
        self._stale = True
        self._attention: dict[str, list[dict]] = {"overdue": [], "upcoming": []}
        self.title = heading("", self)
        self.subtitle = QLabel(self)
        self.subtitle.setWordWrap(True)
        self.figures = QGroupBox(_("Today"), self)
        self.grid = QGridLayout(self.figures)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        self.overdue = RecordListPage(
            db,
            programs.ROADMAP_ROW,
            self,
            heading=_("Overdue measures"),
            source=lambda: self._attention["overdue"],
            editable=False,
        )
        self.upcoming = RecordListPage(
            db,
            programs.ROADMAP_ROW,
            self,
            heading=_("Due in the next 14 days"),
            source=lambda: self._attention["upcoming"],
            editable=False,
        )
        for listing in (self.overdue, self.upcoming):
            listing.on_edit = lambda row: open_measure(row["id"]) if open_measure else None
            listing.filter.hide()
        layout.addWidget(self.figures)
        layout.addWidget(self.overdue, 1)
        layout.addWidget(self.upcoming, 1)
        layout.addWidget(
            note(
                _(
                    "Route steps, open decisions of curator meetings and the next meeting will be listed here as those "
                    "parts of the program arrive."
                ),
                self,
            )
        )
        bus.data_changed.connect(self._mark_stale)

    def _mark_stale(self) -> None:
        self._stale = True

    def showEvent(self, event) -> None:
        if self._stale:
            self.reload()
        super().showEvent(event)

    def reload(self, today: dt.date | None = None) -> None:
        today = today or dt.date.today()
        self._attention = programs.attention(self.db, today)
        self.overdue.reload()
        self.upcoming.reload()
        o = school.overview(self.db, today)
        profile = o["school"] or {}
        self.title.setText(profile.get("short_name") or _("The school profile is not filled in yet"))
        parts = [_status_label(profile.get("status")), profile.get("municipality") or ""]
        self.subtitle.setText(" · ".join(html.escape(p) for p in parts if p))
        while self.grid.count():
            self.grid.takeAt(0).widget().deleteLater()
        year = (
            o["year"]["name"]
            if o["year"]
            else _("no academic year covers today — add one in School and team")
        )
        term = (
            _("term {n}, until {date}").format(
                n=o["term"]["number"], date=fmt.format_date(o["term"]["end_date"])
            )
            if o["term"]
            else _("holidays")
        )
        curator = o["curator"]
        lines = [
            (_("Date"), fmt.format_long_date(today)),
            (_("Academic year"), year),
            (_("Term"), term),
            (
                _("Staff"),
                ngettext("{n} person", "{n} people", o["staff"]).format(n=o["staff"])
                + " · "
                + _("young specialists: {n}").format(n=o["young_specialists"]),
            ),
            (
                _("Working group"),
                ngettext("{n} member", "{n} members", o["working_group"]).format(n=o["working_group"]),
            ),
            (
                _("Pupils"),
                ngettext("{n} pupil", "{n} pupils", o["students"]).format(n=o["students"])
                + " · "
                + ngettext("{n} class", "{n} classes", o["classes"]).format(n=o["classes"]),
            ),
            (
                _("Curator"),
                f"{curator['full_name']}, {curator['curator_school']}" if curator else _("not set"),
            ),
        ]
        for row, (label, value) in enumerate(lines):
            name = QLabel(f"<b>{html.escape(label)}</b>", self.figures)
            text = QLabel(html.escape(value), self.figures)
            text.setWordWrap(True)
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(text, row, 1)
        self.grid.setColumnStretch(1, 1)
        self._stale = False
