"""The meetings page as a deputy director uses it: plan, hold, list who took part, print the minutes, track the
decisions until done and send one to the roadmap. Real widgets are typed into and clicked; the database is
checked."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox, QPushButton

from models import meetings, programs, records, school
from tests.conftest import count, type_into
from ui.pages.meetings import HoldDialog, MeetingsPage, SeriesDialog
from ui.record_form import RecordDialog

TODAY = dt.date.today()


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def data(db):
    start = school.academic_year_start(TODAY)
    school.create_academic_year(db, start - 1)
    year = school.create_academic_year(db, start)

    def person(last, first, middle, role=None):
        staff_id = records.save(db, school.STAFF, {"last_name": last, "first_name": first, "middle_name": middle})
        if role:
            records.save(db, school.WORKING_GROUP_MEMBER, {"staff_id": staff_id, "role": role})
        return staff_id

    people = {
        "head": person("Соколова", "Марина", "Петровна", "head"),
        "secretary": person("Ильина", "Ольга", "Сергеевна", "secretary"),
        "teacher": person("Зайцев", "Игорь", "Павлович", "member"),
    }
    records.save(db, school.CURATOR, {"curator_school": "МАОУ «Лицей № 1»", "full_name": "Белова Анна Викторовна"})
    kind = records.options(db, "meeting_kind")[1][0]
    held = meetings.save_meeting(db, {"kind_id": kind, "date": day(-40), "status": "planned"})
    meetings.hold(db, held, add_working_group=True)
    late = meetings.save_decision(db, {"meeting_id": held, "text": "Сформировать банк данных", "due_date": day(-5)})
    done = meetings.save_decision(
        db, {"meeting_id": held, "text": "Утвердить план", "status": "done", "done_on": day(-30)}
    )
    soon = meetings.save_decision(db, {"meeting_id": held, "text": "Провести семинар", "due_date": day(10)})
    planned = meetings.save_meeting(db, {"kind_id": kind, "date": day(20), "time": "14:30", "status": "planned"})
    (program,) = programs.create_programs(db, year, [records.options(db, "risk_factor")[0][0]])
    return {"held": held, "planned": planned, "late": late, "done": done, "soon": soon, "kind": kind,
            "program": program, **people}  # fmt: skip


@pytest.fixture
def page(qtbot, db, data):
    widget = MeetingsPage(db)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    yield widget
    widget.close()
    widget.deleteLater()  # its lists listen to the data-changed signal; they must go with the test's database
    QApplication.processEvents()


@pytest.fixture
def messages(monkeypatch):
    said: list[str] = []
    for kind in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, kind, lambda _parent, _title, text, *a: said.append(text))
    return said


def fill_and_save(monkeypatch, fill):
    """Every RecordDialog opened from now on gets `fill(dialog)` typed into it and is saved, as a user would."""

    def exec_(dialog):
        dialog.show()
        fill(dialog)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(RecordDialog, "exec", exec_)


def click(page, name: str) -> None:
    """Click the visible button of that name (the meeting's decisions and all decisions both have one)."""
    (button,) = [b for b in page.findChildren(QPushButton, name) if b.isVisible()]
    button.click()


def test_the_next_meeting_is_selected_and_named(page, data):
    tab = page.meetings
    assert tab.list.current()["id"] == data["planned"]
    assert "Следующая встреча:" in tab.next_info.text() and "14:30" in tab.next_info.text()
    tab.list.select_id(data["held"])
    assert tab.participants.model.rowCount() == 3
    assert tab.decisions.model.rowCount() == 3


def test_new_meeting_typed_into_the_form_gets_its_year_and_no_number(page, db, data, monkeypatch):
    def fill(dialog):
        editors = dialog.form.editors
        assert "number" not in editors and "academic_year_id" not in editors
        editors["kind_id"].setCurrentIndex(editors["kind_id"].findData(data["kind"]))
        type_into(editors["date"].line, (TODAY + dt.timedelta(days=30)).strftime("%d.%m.%Y"))
        type_into(editors["time"], "9.30")
        type_into(editors["place"], "Онлайн, Сферум")

    fill_and_save(monkeypatch, fill)
    page.new_record()
    row = db.execute(
        "SELECT date, time, place, status, number, academic_year_id, chair_id FROM meeting ORDER BY id DESC"
    )
    date, time_, place, status, number, year, chair = row.fetchone()
    assert (date, time_, place, status, number) == (day(30), "09:30", "Онлайн, Сферум", "planned", None)
    assert year == school.academic_year_on(db, TODAY + dt.timedelta(days=30))["id"]
    assert chair == data["head"]  # the working group's head chairs unless changed
    assert page.meetings.list.current()["date"] == day(30)


def test_a_wrong_time_is_named_at_its_field_and_nothing_is_saved(qtbot, page, db, data):
    before = count(db, "meeting")
    dialog = page.meetings.list._dialog(None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    editors = dialog.form.editors
    editors["kind_id"].setCurrentIndex(editors["kind_id"].findData(data["kind"]))
    type_into(editors["date"].line, "01.01.1990")
    type_into(editors["time"], "25:61")
    dialog.accept()
    assert dialog.isVisible()
    assert "чч:мм" in dialog.form.errors["time"].text()
    assert "не входит ни в один учебный год" in dialog.form.errors["date"].text()
    assert not dialog.form.general_error.isVisible()  # the derived year is not a second, puzzling message
    assert count(db, "meeting") == before


def test_holding_from_the_dialog_numbers_the_minutes_and_lists_the_people(qtbot, page, db, data):
    page.meetings.list.select_id(data["planned"])
    dialog = HoldDialog(db, page.meetings.list.current())
    qtbot.addWidget(dialog)
    editors = dialog.form.editors
    assert editors["number"].text() == "2"
    assert editors["add_working_group"].isChecked()
    assert not editors["add_curator"].isChecked()  # the last meeting of this kind went without the curator
    editors["add_curator"].setChecked(True)
    dialog.form.editors["date"].line.setText("")
    type_into(editors["date"].line, (TODAY - dt.timedelta(days=1)).strftime("%d.%m.%Y"))
    dialog.accept()
    row = records.fetch(db, meetings.MEETING, data["planned"])
    assert (row["status"], row["number"], row["date"]) == ("held", 2, day(-1))
    names = {p["name"] for p in meetings.participant_rows(db, data["planned"])}
    assert names == {"Соколова Марина Петровна", "Ильина Ольга Сергеевна", "Зайцев Игорь Павлович",
                     "Белова Анна Викторовна"}  # fmt: skip


def test_hold_button_refuses_a_held_meeting_with_one_message(page, data, messages):
    page.meetings.list.select_id(data["held"])
    click(page, "hold")
    assert messages == ["Эта встреча уже проведена: протокол № 1."]


def test_minutes_are_saved_where_the_user_says(page, data, tmp_path, monkeypatch, messages):
    from PySide6.QtGui import QDesktopServices

    target = tmp_path / "протокол.pdf"
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (asked.append(a[2]) or str(target), "PDF"))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    page.meetings.list.select_id(data["planned"])
    click(page, "print_minutes")
    assert messages and "ещё не проведена" in messages[0] and not asked
    page.meetings.list.select_id(data["held"])
    click(page, "print_minutes")
    assert asked == [f"minutes-1-{day(-40)}.pdf"]
    assert target.read_bytes().startswith(b"%PDF")


def test_curator_added_and_presence_toggled(page, db, data, messages):
    tab = page.meetings
    tab.list.select_id(data["held"])
    tab.details.setCurrentWidget(tab.participants)
    click(page, "add_curator")
    click(page, "add_curator")  # never twice
    assert count(db, "meeting_participant") == 4
    tab.participants.select_id(meetings.participant_rows(db, data["held"])[-1]["id"])
    click(page, "toggle_presence")
    absent = db.execute("SELECT outside_name FROM meeting_participant WHERE present = 0").fetchall()
    assert absent == [("Белова Анна Викторовна",)]


def test_agenda_item_and_decision_typed_in_take_the_next_position(page, db, data, monkeypatch):
    tab = page.meetings
    tab.list.select_id(data["held"])

    def fill_item(dialog):
        type_into(dialog.form.editors["title"], "О результатах входных работ")
        type_into(dialog.form.editors["heard"], "успеваемость 74 %")

    fill_and_save(monkeypatch, fill_item)
    tab.agenda.new_record()
    item = db.execute("SELECT id, position, title FROM agenda_item").fetchone()
    assert item[1:] == (1, "О результатах входных работ")

    def fill_decision(dialog):
        assert dialog.form.editors["agenda_item_id"].currentData() == item[0]
        type_into(dialog.form.editors["text"], "Провести консультации")
        owner = dialog.form.editors["owner_id"]
        owner.setCurrentIndex(owner.findData(data["teacher"]))

    fill_and_save(monkeypatch, fill_decision)
    tab.decisions.new_record()
    row = db.execute("SELECT position, agenda_item_id, owner_id, status FROM decision ORDER BY id DESC").fetchone()
    assert row == (4, item[0], data["teacher"], "open")


def test_decisions_open_by_default_overdue_marked_and_marked_done_in_bulk(page, db, data):
    tab = page.decisions
    page.tabs.setCurrentWidget(tab)
    shown = [tab.list.model.row(r) for r in range(tab.list.model.rowCount())]
    assert [d["id"] for d in shown] == [data["late"], data["soon"]]
    assert [d["overdue"] for d in shown] == [True, False]
    state_column = [f.name for f in tab.list.model.fields].index("state") + 1
    assert [tab.list.proxy.index(r, state_column).data() for r in range(2)] == ["просрочено", "не выполнено"]
    tab.overdue.setChecked(True)
    assert tab.list.model.rowCount() == 1
    tab.overdue.setChecked(False)
    tab.show_all.setChecked(True)
    assert tab.list.model.rowCount() == 3
    tab.show_all.setChecked(False)
    tab.list.table.selectAll()
    click(page, "mark_done")
    assert {r for r in db.execute("SELECT status, done_on FROM decision")} == {
        ("done", day(-30)),
        ("done", TODAY.isoformat()),
    }
    assert tab.list.model.rowCount() == 0


def test_a_decision_goes_to_the_roadmap_of_the_chosen_program(page, db, data, monkeypatch, messages):
    tab = page.decisions
    page.tabs.setCurrentWidget(tab)
    tab.list.select_id(data["late"])
    title = records.fetch(db, programs.PROGRAM, data["program"])["title"]
    offered = []
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, items, *a: (offered.append(items) or title, True))
    click(page, "to_roadmap")
    assert offered == [[title]]
    measure = db.execute("SELECT id, title, program_id FROM measure").fetchone()
    assert measure[1:] == ("Сформировать банк данных", data["program"])
    assert records.fetch(db, meetings.DECISION, data["late"])["measure_id"] == measure[0]
    measure_column = [f.name for f in tab.list.model.fields].index("measure") + 1
    tab.list.select_id(data["late"])
    row = tab.list.table.currentIndex().row()
    assert tab.list.proxy.index(row, measure_column).data() == "Сформировать банк данных"
    click(page, "to_roadmap")  # a second time: refused with one message, nothing more made
    assert "уже в дорожной карте" in messages[-1]
    assert count(db, "measure") == 1


def test_a_series_of_visits_planned_from_one_line(qtbot, page, db, data):
    dialog = SeriesDialog(db)
    qtbot.addWidget(dialog)
    first, second = TODAY + dt.timedelta(days=50), TODAY + dt.timedelta(days=80)
    type_into(dialog.form.editors["dates"], f"{first:%d.%m.%Y}, {second:%d.%m.%Y}")
    type_into(dialog.form.editors["time"], "14:00")
    before = count(db, "meeting")
    dialog.accept()
    assert count(db, "meeting") == before + 2 and len(dialog.made) == 2
    dialog = SeriesDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(dialog.form.editors["dates"], "31.02.2027")
    dialog.accept()
    assert dialog.isVisible() and "не дата" in dialog.form.errors["dates"].text()
    assert count(db, "meeting") == before + 2


def test_open_decision_from_elsewhere_shows_even_a_done_one(page, data, monkeypatch):
    opened = []
    monkeypatch.setattr(RecordDialog, "exec", lambda self: opened.append(self.form.record_id) or 0)
    page.open_decision(data["done"])
    assert page.tabs.currentWidget() is page.decisions and page.decisions.show_all.isChecked()
    assert opened == [data["done"]]


def test_open_the_meeting_of_a_decision(page, data):
    page.tabs.setCurrentWidget(page.decisions)
    page.decisions.list.select_id(data["soon"])
    click(page, "open_meeting")
    tab = page.meetings
    assert page.tabs.currentWidget() is tab and tab.list.current()["id"] == data["held"]
    assert tab.details.currentWidget() is tab.decisions and tab.decisions.current()["id"] == data["soon"]


def test_keyboard_shortcuts_reach_the_page(page, monkeypatch):
    opened = []
    monkeypatch.setattr(RecordDialog, "exec", lambda self: opened.append(self.form.rtype.name) or 0)
    page.tabs.setCurrentWidget(page.decisions)
    page.focus_filter()
    assert page.decisions.list.filter.hasFocus() or QApplication.focusWidget() is page.decisions.list.filter
    page.new_record()
    assert opened == ["meeting"] and page.tabs.currentWidget() is page.meetings


def test_the_buttons_fit_the_window_in_russian(page):
    for listing in (page.meetings.list, page.meetings.participants, page.decisions.list):
        for button in listing.findChildren(QPushButton):
            if button.isVisible():
                assert button.width() >= button.sizeHint().width(), button.text()
    assert page.meetings.list.table.horizontalHeader().sectionSize(0) > 0
    assert page.meetings.list.findChild(QPushButton, "hold").text() == "Провести…"
    assert Qt.AlignmentFlag  # the page is laid out at 1366×768 without a horizontal scroll of its own
