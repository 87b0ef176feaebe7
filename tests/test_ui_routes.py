"""The routes page as a deputy director and a teacher use it: make routes in one click, add steps and
checkpoints, see the aim line, complete with an outcome, print the card, and read the effectiveness."""

import datetime as dt

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from models import records, routes, school
from models.databank import DATABANK_ENTRY
from models.i18n import _
from models.programs import PD_COURSE
from tests.conftest import count, type_into
from tests.test_routes import make_assessment, option
from ui.pages.routes import CompleteDialog, FromDatabankDialog, FromResultsDialog, RoutesPage
from ui.record_form import RecordDialog

TODAY = dt.date.today()


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def data(db):
    school.create_academic_year(db, school.academic_year_start(TODAY) - 1)
    school.create_academic_year(db, school.academic_year_start(TODAY))
    maths, russian = option(db, "subject", "Математика"), option(db, "subject", "Русский язык")
    teacher = records.save(db, school.STAFF, {"last_name": "Иванова", "first_name": "Мария", "subjects": [maths]})
    mentor = records.save(db, school.STAFF, {"last_name": "Орлова", "first_name": "Анна", "subjects": [maths]})
    pupils = [
        records.save(
            db,
            school.STUDENT,
            {
                "last_name": last,
                "first_name": first,
                "grade": grade,
                "letter": "А",
                "birth_date": f"{TODAY.year - 12}-03-01",
            },
        )
        for last, first, grade in (("Петров", "Илья", 6), ("Сидорова", "Ева", 6), ("Котов", "Лев", 7))
    ]
    behind = routes.save_route(
        db,
        routes.STUDENT_ROUTE,
        {
            "student_id": pupils[0],
            "subject_id": maths,
            "responsible_id": teacher,
            "start_date": day(-100),
            "end_date": day(100),
            "baseline": 6,
            "target": 16,
            "status": "active",
        },
    )
    for offset, value in ((-80, 6), (-60, 7), (-40, 7)):  # aim there: 7, 8, 9
        routes.save_checkpoint(db, {"route_id": behind, "date": day(offset), "value": value})
    routes.save_step(db, {"route_id": behind, "topic": "Дроби", "due_date": day(-5)})
    cancelled = routes.save_route(
        db,
        routes.STUDENT_ROUTE,
        {
            "student_id": pupils[2],
            "subject_id": russian,
            "start_date": day(-30),
            "end_date": day(60),
            "status": "cancelled",
        },
    )
    teacher_route = routes.save_route(
        db,
        routes.TEACHER_ROUTE,
        {"teacher_id": teacher, "mentor_id": mentor, "start_date": day(-30), "end_date": day(150), "status": "active"},
    )
    records.save(db, PD_COURSE, {"staff_id": teacher, "title": "Функциональная грамотность", "end_date": day(-200)})
    return {
        "maths": maths,
        "russian": russian,
        "teacher": teacher,
        "pupils": pupils,
        "behind": behind,
        "cancelled": cancelled,
        "teacher_route": teacher_route,
    }


@pytest.fixture
def page(qtbot, db, data):
    widget = RoutesPage(db)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    QApplication.processEvents()
    yield widget
    widget.close()


def fake_exec(fill):
    """RecordDialog.exec replaced: the test types into the real form, then presses Save."""

    def run(dialog):
        dialog.show()
        fill(dialog.form)
        dialog.accept()
        return dialog.result()

    return run


def test_the_list_shows_which_route_needs_revision_and_filters_by_it(page, data):
    tab = page.students
    rows = {tab.list.model.row(r)["id"]: tab.list.model.row(r) for r in range(tab.list.model.rowCount())}
    assert rows[data["behind"]]["needs_revision"] is True and rows[data["cancelled"]]["needs_revision"] is False
    tab.revision_only.setChecked(True)
    assert tab.list.proxy.rowCount() == 1
    tab.revision_only.setChecked(False)
    tab.class_filter.setCurrentIndex(tab.class_filter.findData("7А"))
    assert tab.list.proxy.rowCount() == 1 and tab.list.current()["id"] == data["cancelled"]


def test_the_chart_draws_the_checkpoints_against_the_aim_line(page, data):
    tab = page.students
    tab.list.select_id(data["behind"])
    assert [v for _d, v in tab.chart.points] == [6, 7, 7]
    assert tab.chart.aim == ((day(-100), 6), (day(100), 16))
    assert tab.chart.targets == [(_("target"), 16)]
    assert tab.checkpoints.model.rowCount() == 3 and tab.steps.model.rowCount() == 1
    assert _("Needs revision: the last three checkpoints are below the planned progress.") in tab.summary.text()


def test_a_new_route_typed_into_the_form_is_saved(page, db, data, monkeypatch):
    def fill(form):
        combo = form.editors["student_id"]
        combo.setCurrentIndex(combo.findData(data["pupils"][1]))
        type_into(form.editors["goal"], "Закрыть дефицит по дробям")
        assert form.editors["start_date"].value() == TODAY.strftime("%d.%m.%Y")  # a new route starts today

    monkeypatch.setattr(RecordDialog, "exec", fake_exec(fill))
    page.new_record()
    stored = db.execute("SELECT kind, student_id, goal, status FROM learning_route ORDER BY id DESC").fetchone()
    assert stored == ("student", data["pupils"][1], "Закрыть дефицит по дробям", "draft")
    assert page.students.list.current()["student_id"] == data["pupils"][1]


def test_an_end_before_the_start_is_shown_at_its_field_and_nothing_is_saved(page, db, data, monkeypatch):
    errors = []

    def fill(form):
        combo = form.editors["student_id"]
        combo.setCurrentIndex(combo.findData(data["pupils"][1]))
        form.editors["end_date"].line.setText("01.01.2000")
        errors.append(form)

    monkeypatch.setattr(RecordDialog, "exec", fake_exec(fill))
    before = count(db, "learning_route")
    page.students.new_record()
    assert count(db, "learning_route") == before
    assert errors[0].errors["end_date"].text() == _("The end date is before the start date.")


def test_a_checkpoint_outside_the_period_is_refused_at_its_field(page, db, data, monkeypatch):
    seen = []

    def fill(form):
        form.editors["date"].line.clear()  # a new checkpoint is dated today; the user types over it
        type_into(form.editors["date"].line, "01.01.2000")
        type_into(form.editors["value"], "9")
        seen.append(form)

    monkeypatch.setattr(RecordDialog, "exec", fake_exec(fill))
    tab = page.students
    tab.list.select_id(data["behind"])
    tab.checkpoints.new_record()
    assert count(db, "route_checkpoint") == 3
    assert seen[0].errors["date"].isVisibleTo(seen[0])


def test_a_checkpoint_typed_in_is_saved_and_drawn(page, db, data, monkeypatch):
    def fill(form):
        form.editors["date"].line.setText(TODAY.strftime("%d.%m.%Y"))
        type_into(form.editors["value"], "12,5")

    monkeypatch.setattr(RecordDialog, "exec", fake_exec(fill))
    tab = page.students
    tab.list.select_id(data["behind"])
    tab.checkpoints.new_record()
    assert db.execute("SELECT max(value) FROM route_checkpoint").fetchone()[0] == 12.5
    assert tab.chart.points[-1] == (TODAY.isoformat(), 12.5)
    assert tab.list.current()["id"] == data["behind"]  # the route stays selected after the reload


def test_no_step_is_added_to_a_cancelled_route_and_the_user_is_told_why(page, db, data, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    monkeypatch.setattr(RecordDialog, "exec", lambda self: pytest.fail("no form for a cancelled route"))
    tab = page.students
    tab.list.select_id(data["cancelled"])
    tab.steps.new_record()
    assert told == [_("The route is cancelled: no steps can be added to it.")]
    assert count(db, "route_step") == 1


def test_steps_are_marked_done_from_the_list(page, db, data):
    tab = page.students
    tab.list.select_id(data["behind"])
    tab.steps.table.selectRow(0)
    tab.mark_done()
    assert db.execute("SELECT done_on FROM route_step").fetchone()[0] == TODAY.isoformat()


def test_completing_asks_for_the_outcome_and_a_note(qtbot, db, data):
    dialog = CompleteDialog(db, data["behind"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()  # no outcome, no note: refused at the fields
    assert dialog.isVisible() and dialog.form.errors["outcome"].isVisibleTo(dialog)
    combo = dialog.form.editors["outcome"]
    combo.setCurrentIndex(combo.findData("not_achieved"))
    type_into(dialog.form.editors["outcome_note"], "Динамики нет, нужна консультация психолога")
    dialog.accept()
    stored = db.execute(
        "SELECT status, outcome, outcome_note FROM learning_route WHERE id = ?", [data["behind"]]
    ).fetchone()
    assert stored == ("completed", "not_achieved", "Динамики нет, нужна консультация психолога")


def test_only_a_route_under_way_offers_the_completion(page, data, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    page.students.list.select_id(data["cancelled"])
    page.students.complete()
    assert told and routes.status_label("cancelled") in told[0]


def test_a_route_from_results_has_a_step_per_deficit(qtbot, db, data, monkeypatch):
    assessment_id = make_assessment(db, data)
    dialog = FromResultsDialog(db)
    qtbot.addWidget(dialog)
    dialog.assessment.setCurrentIndex(dialog.assessment.findData(assessment_id))
    dialog.pupil.setCurrentIndex(dialog.pupil.findData(data["pupils"][0]))
    assert "Дроби" in dialog.deficits.text()
    dialog.accept()
    assert dialog.route_id and [s["topic"] for s in routes.steps(db, dialog.route_id)][0] == "Дроби"
    again = FromResultsDialog(db)
    qtbot.addWidget(again)
    again.pupil.setCurrentIndex(again.pupil.findData(data["pupils"][0]))
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    again.accept()
    assert warned and again.route_id is None


def test_without_results_the_dialog_says_where_to_enter_them(qtbot, db, data):
    dialog = FromResultsDialog(db)
    qtbot.addWidget(dialog)
    assert _("Assessments and analytics") in dialog.deficits.text()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()


def test_a_route_from_the_databank_in_one_click_opens_its_form(page, db, data, monkeypatch):
    category = option(db, "difficulty_category", "Низкая учебная мотивация")
    entry = records.save(
        db,
        DATABANK_ENTRY,
        {
            "student_id": data["pupils"][1],
            "category_id": category,
            "subject_id": data["russian"],
            "identified_on": day(-3),
            "responsible_id": data["teacher"],
        },
    )
    opened = []
    monkeypatch.setattr(RecordDialog, "exec", lambda self: opened.append(self.form.record_id) or 0)

    def choose(dialog):
        dialog.entries.table.selectRow(0)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(FromDatabankDialog, "exec", choose)
    page.students.from_databank()
    made = db.execute("SELECT id, student_id, databank_entry_id FROM learning_route ORDER BY id DESC").fetchone()
    assert made[1:] == (data["pupils"][1], entry)
    assert opened == [made[0]] and page.students.list.current()["id"] == made[0]


def test_the_route_card_is_saved_as_pdf(page, data, tmp_path, monkeypatch):
    target = tmp_path / "маршрут.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    page.students.list.select_id(data["behind"])
    page.students.print_card()
    assert target.read_bytes().startswith(b"%PDF")


def test_a_started_route_is_not_deleted(page, db, data, monkeypatch):
    warned = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    page.students.list.select_id(data["behind"])
    page.students.delete()
    assert warned and count(db, "learning_route") == 3


def test_the_teachers_tab_shows_the_steps_and_the_pd_courses(page, data):
    page.tabs.setCurrentWidget(page.teachers)
    tab = page.teachers
    tab.list.select_id(data["teacher_route"])
    assert tab.courses.model.rowCount() == 1
    assert tab.courses.model.row(0)["title"] == "Функциональная грамотность"
    assert "Орлова Анна" in tab.summary.text()


def test_effectiveness_and_a_double_click_on_an_overdue_step_opens_its_route(qtbot, page, db, data):
    routes.complete_route(db, data["teacher_route"], "achieved", "Все шаги выполнены")
    page.tabs.setCurrentWidget(page.effectiveness)
    tab = page.effectiveness
    tab.reload()
    assert tab.overdue.model.rowCount() == 1
    assert tab.tables["class"].model.rowCount() == 0  # no pupil's route is completed yet
    tab.overdue.table.selectRow(0)
    tab.overdue.edit_record()
    assert page.tabs.currentWidget() is page.students
    assert page.students.list.current()["id"] == data["behind"]


def test_open_route_clears_the_filters_and_selects_the_route(page, data):
    tab = page.students
    tab.status.setCurrentIndex(tab.status.findData("draft"))
    assert tab.list.proxy.rowCount() == 0
    page.open_route(data["cancelled"])
    assert tab.list.current()["id"] == data["cancelled"]
    page.open_route(data["teacher_route"])
    assert page.tabs.currentWidget() is page.teachers and page.teachers.list.current()["id"] == data["teacher_route"]


def test_the_page_answers_new_and_find(page, data, monkeypatch):
    opened = []
    monkeypatch.setattr(RecordDialog, "exec", lambda self: opened.append(self.form.rtype.name) or 0)
    page.tabs.setCurrentWidget(page.teachers)
    page.new_record()
    assert opened == ["teacher_route"]
    page.tabs.setCurrentWidget(page.students)
    page.new_record()
    assert opened == ["teacher_route", "student_route"]
    page.focus_filter()  # Ctrl+F reaches the current tab's search field
