"""Главная: what the working group needs to see first. Later capabilities add their lists here."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QTabWidget, QVBoxLayout, QWidget

from models import databank, fmt, meetings, programs, routes, school
from models.db import Database
from models.i18n import _, ngettext
from ui.pages.common import RefreshOnShow, heading, plain_label
from ui.qt_values import set_enum_property
from ui.record_page import RecordListPage


def _plain_label(parent: QWidget, text: str = "", bold: bool = False) -> QLabel:
    """A plain label (text shown as it is), bold, or wrapping its lines."""
    label = plain_label(text, parent)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    else:
        label.setWordWrap(True)
    return label


def _status_label(code: str | None) -> str:
    return next((_(label) for value, label in school.SCHOOL_STATUSES if value == code), "")


class HomePage(RefreshOnShow, QWidget):
    """The school at a glance and, in tabs, what needs attention today; a double click opens the record."""

    def __init__(self, db: Database, parent=None, opener=None):
        super().__init__(parent)
        self.db = db
        self.opener = opener  # the main window: open_measure / open_route / open_decision
        self._rows: dict[str, list[dict]] = {}
        self.title = heading("", self)
        self.subtitle = _plain_label(self)
        self.figures = QGroupBox(_("Today"), self)
        self.grid = QGridLayout(self.figures)
        self.tabs = QTabWidget(self)
        self.tabs.setUsesScrollButtons(True)  # the lists must never widen the window past 1366 px
        set_enum_property(self.tabs.tabBar(), "elideMode", "ElideNone")  # a cut title would hide its count
        # A tab's list is made when the tab is first shown (the window opens sooner); the counts in the tab titles
        # come from the rows, which are read for every tab at once.
        # A tab says what it lists in a word or two and how many (seven tabs fit 1366 px); its tooltip says it whole.
        lists = self._attention_lists()
        self._specs = {key: (short, rtype, action) for key, short, _whole, rtype, action in lists}
        self._made: dict[str, RecordListPage] = {}
        for index, (_key, short, whole, _rtype, _action) in enumerate(lists):
            holder = QWidget(self.tabs)
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(holder, short)
            self.tabs.setTabToolTip(index, whole)
        self.tabs.currentChanged.connect(lambda index: self.listing(list(self._specs)[index]) if index >= 0 else None)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.figures)
        layout.addWidget(self.tabs, 1)
        self.watch_data(stale=True)

    def listing(self, key: str) -> RecordListPage:
        """The list of one attention tab, made (and filled) on first use."""
        if key not in self._made:
            _title, rtype, action = self._specs[key]
            holder = self.tabs.widget(list(self._specs).index(key))
            # no bar: the count is in the tab's title, and the list is short enough to read without a filter
            listing = RecordListPage(
                self.db, rtype, holder, source=lambda: self._rows.get(key, []), editable=False, bar=False
            )
            listing.on_edit = lambda row: self._open(action, row)
            holder.layout().addWidget(listing)
            self._made[key] = listing
            listing.reload()
        return self._made[key]

    @staticmethod
    def _attention_lists():
        return [  # key, the tab's title, its tooltip, the rows' record type, what a double click opens
            ("overdue", _("Overdue"), _("Overdue measures"), programs.ROADMAP_ROW, "measure"),
            ("upcoming", _("Next 14 days"), _("Due in the next 14 days"), programs.ROADMAP_ROW, "measure"),
            ("indicators", _("Indicators to watch"), _("Indicators behind or not measured"), programs.INDICATOR_ROW,
             "indicator"),
            ("steps", _("Steps due"), _("Route steps due"), routes.STEP_ROW, "step"),
            ("revision", _("To revise"), _("Routes needing revision"), routes.ROUTE_ROW, "route"),
            ("decisions", _("Decisions"), _("Open decisions of meetings"), meetings.DECISION_ROW, "decision"),
            ("databank", _("Databank"), _("Databank by category"), databank.SUMMARY_ROW, None),
        ]

    def _open(self, action: str | None, row: dict) -> None:
        if self.opener is None or action is None:
            return
        if action == "measure":
            self.opener.open_measure(row["id"])
        elif action == "step":
            self.opener.open_route(row["route_id"])
        elif action == "route":
            self.opener.open_route(row["id"])
        elif action == "decision":
            self.opener.open_decision(row["id"])
        elif action == "indicator":
            self.opener.open_indicator(row["id"])

    def _load_attention(self, today: dt.date) -> dict:
        measures = programs.attention(self.db, today)
        route_items = routes.attention(self.db, today)
        meeting_items = meetings.attention(self.db, today)
        self._rows = {"overdue": measures["overdue"], "upcoming": measures["upcoming"],
                      "indicators": measures["indicators"],
                      "steps": route_items["steps"], "revision": route_items["revision"],
                      "decisions": meeting_items["open_decisions"], "databank": databank.summary(self.db, today)}
        for listing in self._made.values():
            listing.reload()
        self.listing(list(self._specs)[max(self.tabs.currentIndex(), 0)])
        for index, (key, (title, _rtype, _action)) in enumerate(self._specs.items()):
            count = len(self._rows[key]) if key != "databank" else sum(r["active"] for r in self._rows[key])
            self.tabs.setTabText(index, f"{title} ({count})")
        return meeting_items

    def _next_meeting(self, items: dict) -> str:
        from models.records import Lookups

        meeting = items["next_meeting"]
        kind = Lookups(self.db).name("meeting_kind", meeting["kind_id"]) if meeting else ""
        text = f"{fmt.format_date(meeting['date'])} {meeting['time'] or ''} — {kind}" if meeting else _("none planned")
        overdue = len(items["overdue_decisions"])
        if overdue:
            text += " · " + _("decisions overdue: {n}").format(n=overdue)
        return text

    def refresh(self) -> None:
        self.reload()

    def reload(self, today: dt.date | None = None) -> None:
        today = today or dt.date.today()
        meeting_items = self._load_attention(today)
        o = school.overview(self.db, today)
        profile = o["school"] or {}
        self.title.setText(profile.get("short_name") or _("The school profile is not filled in yet"))
        parts = [_status_label(profile.get("status")), profile.get("municipality") or ""]
        self.subtitle.setText(" · ".join(p for p in parts if p))
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
            (_("Next meeting"), self._next_meeting(meeting_items)),
        ]
        for row, (label, value) in enumerate(lines):
            name = _plain_label(self.figures, label, bold=True)
            text = _plain_label(self.figures, value)
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(text, row, 1)
        self.grid.setColumnStretch(1, 1)
        self._stale = False
