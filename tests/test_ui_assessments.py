"""The assessments panel as a deputy director uses it: add a control work, load results from a file, propose
databank entries, read the class analytics — real widgets, assertions on database rows."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from models import analytics, assessments, records, school
from models.assessments import ASSESSMENT_TASK
from tests.conftest import count, type_into
from tests.test_assessments import add_pupils, subject_id, term_id
from tests.test_results_import import MESSY, make_xlsx
from ui.pages.assessments import AssessmentsPanel, ImportDialog, ProposalsDialog

SKILLS = (
    "Действия с обыкновенными дробями", "Десятичные дроби", "Проценты", "Текстовые задачи на движение",
    "Уравнения", "Геометрические фигуры, периметр и площадь", "Чтение диаграмм", "Логические задачи",
)  # fmt: skip
SUBJECTS = ("Русский язык", "Математика", "Литература", "Иностранный язык (английский)")


def fill_results(db, seed: int = 3, today: dt.date | None = None) -> dict:
    """Term marks of every class in four subjects for every ended term of the last two years (the same pupils a
    grade lower last year), and entrance control works in mathematics of the 5th grade with eight tasks."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    students = records.rows(db, school.STUDENT)
    level = {s["id"]: rng.choice((2.4, 3, 3.3, 3.6, 4, 4.2, 4.6, 5)) for s in students}
    subjects = [subject_id(db, name) for name in SUBJECTS]
    current = school.academic_year_start(today)
    made = 0
    for term in records.rows(db, school.TERM):
        if term["end_date"] > today.isoformat():
            continue
        back = current - school.academic_year_start(dt.date.fromisoformat(term["start_date"]))
        classes: dict[tuple, list[int]] = {}
        for s in students:
            if s["grade"] - back >= 2 and (not s["left_on"] or s["left_on"] > term["end_date"]):
                classes.setdefault((s["grade"] - back, s["letter"]), []).append(s["id"])
        for (grade, letter), ids in classes.items():
            for subject in subjects:
                aid = assessments.save_assessment(
                    db,
                    {"kind": "term_marks", "subject_id": subject, "grade": grade, "class_letter": letter,
                     "date": term["end_date"], "term_id": term["id"]},
                )  # fmt: skip
                drift = 0.15 * (term["number"] + 4 * (1 - back))  # results grow a little term by term
                marks = [{"student_id": s, "mark": max(2, min(5, round(level[s] + drift + rng.gauss(0, 0.6))))}
                         for s in ids]  # fmt: skip
                assessments.save_results(db, aid, marks)
                made += 1
    works = []
    for letter in ("А", "Б"):
        pupils = [s for s in students if s["grade"] == 5 and s["letter"] == letter and not s["left_on"]]
        if not pupils:
            continue
        aid = assessments.save_assessment(
            db,
            {"kind": "entrance", "subject_id": subjects[1], "grade": 5, "class_letter": letter,
             "date": f"{current}-09-12", "max_score": 14, "mark3": 5, "mark4": 8, "mark5": 12,
             "title": f"Входная контрольная работа по математике, 5{letter}"},
        )  # fmt: skip
        for number, skill in enumerate(SKILLS, start=1):
            top = 2 if number in (4, 6, 8) else 1
            records.save(
                db, ASSESSMENT_TASK, {"assessment_id": aid, "number": number, "max_points": top, "skill": skill}
            )
        rows = []
        for s in pupils:
            if rng.random() < 0.06:
                rows.append({"student_id": s["id"], "absent": True})
                continue
            chance = (level[s["id"]] - 2) / 3
            points = {}
            for number in range(1, 9):
                top = 2 if number in (4, 6, 8) else 1
                hard = 0.25 if number in (3, 4) else 0
                points[number] = sum(1 for _i in range(top) if rng.random() < chance - hard + 0.1)
            rows.append({"student_id": s["id"], "points": points})
        assessments.save_results(db, aid, rows)
        works.append(aid)
    return {"term_marks": made, "works": works}


@pytest.fixture
def school_with_results(db):
    school.create_academic_year(db, 2025)
    school.create_academic_year(db, 2026)
    pupils = add_pupils(db, 5, "А", ["Иванов Иван Иванович", "Петрова Анна", "Сидоров Олег", "Фёдорова Юлия",
                                     "Гусев Павел", "Кузнецов Илья"])  # fmt: skip
    pupils += add_pupils(db, 5, "А", ["Уехавший Марк"], left_on="2026-09-01")
    pupils += add_pupils(db, 5, "Б", ["Иванов Иван Петрович", "Орлова Мария"])
    math = subject_id(db)
    marks = dict(zip(pupils[:6], [5, 4, 3, 2, 4, 3]))
    aid = assessments.save_assessment(
        db, {"kind": "term_marks", "subject_id": math, "grade": 5, "class_letter": "А", "date": "2026-10-24"}
    )
    assessments.save_results(db, aid, [{"student_id": s, "mark": m} for s, m in marks.items()])
    aid = assessments.save_assessment(
        db, {"kind": "term_marks", "subject_id": math, "grade": 5, "class_letter": "Б", "date": "2026-10-24"}
    )
    assessments.save_results(db, aid, [{"student_id": pupils[7], "mark": 4}, {"student_id": pupils[8], "mark": 5}])
    return {"pupils": pupils, "math": math}


@pytest.fixture
def panel(qtbot, db, school_with_results):
    widget = AssessmentsPanel(db)
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    yield widget
    widget.close()
    QApplication.processEvents()


def test_a_control_work_typed_into_the_form_gets_its_term(qtbot, panel, db, monkeypatch):
    from ui.record_form import RecordDialog

    def fill(dialog):
        form = dialog.form
        form.editors["kind"].setCurrentIndex(form.editors["kind"].findData("vpr"))
        form.editors["subject_id"].setCurrentIndex(form.editors["subject_id"].findText("Математика"))
        type_into(form.editors["grade"], "5")
        type_into(form.editors["class_letter"], "а")
        form.editors["date"].line.clear()
        type_into(form.editors["date"].line, "15.10.2026")
        type_into(form.editors["max_score"], "20")
        type_into(form.editors["mark3"], "6")
        type_into(form.editors["mark4"], "5")  # below the one for 3: refused at its field
        dialog.accept()
        assert form.errors["mark4"].text() and count(db, "assessment") == 2  # refused at its field
        form.editors["mark4"].clear()
        type_into(form.editors["mark4"], "11")
        type_into(form.editors["mark5"], "16")
        dialog.accept()
        return 1

    monkeypatch.setattr(RecordDialog, "exec", fill)
    panel.assessments.new_record()
    row = db.execute(
        "SELECT kind, grade, class_letter, date, term_id, mark4 FROM assessment WHERE kind = 'vpr'"
    ).fetchone()
    assert row == ("vpr", 5, "А", "2026-10-15", term_id(db, 2026, 1), 11)
    assert panel.assessments.current_id() == db.execute("SELECT id FROM assessment WHERE kind = 'vpr'").fetchone()[0]


def test_loading_a_messy_file_shows_every_problem_then_skips_them(qtbot, panel, db, tmp_path, monkeypatch):
    path = make_xlsx(tmp_path / "входная.xlsx", MESSY)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))

    def run(dialog: ImportDialog):
        # the title gave the kind, subject and date: the rows were checked at once
        assert dialog.form.editors["kind"].currentData() == "entrance"
        assert dialog.form.editors["date"].value() == "15.09.2026"
        text = dialog.problems.toPlainText()
        assert "Неизвестный Пётр" in text and "два" in text and "Уехавший Марк" in text
        qtbot.mouseClick(dialog.findChild(QPushButton, "load"), Qt.MouseButton.LeftButton)
        assert count(db, "assessment_result") == 6 + 2  # the term marks only: nothing was written
        assert "5" in dialog.verdict.text()
        dialog.form.editors["skip_invalid"].setChecked(True)
        type_into(dialog.form.editors["mark3"], "3")
        type_into(dialog.form.editors["mark4"], "5")
        type_into(dialog.form.editors["mark5"], "7")
        dialog.accept()
        return dialog.result is not None

    monkeypatch.setattr(ImportDialog, "exec", run)
    qtbot.mouseClick(panel.findChild(QPushButton, "load_results"), Qt.MouseButton.LeftButton)
    work = db.execute("SELECT id, kind, grade, class_letter, mark3 FROM assessment WHERE kind = 'entrance'").fetchone()
    assert work[1:] == ("entrance", 5, "А", 3)
    assert db.execute("SELECT count(*) FROM assessment_result WHERE assessment_id = ?", [work[0]]).fetchone()[0] == 4
    tab = panel.assessments
    assert tab.current_id() == work[0] and tab.results.model.rowCount() == 4
    assert tab.status.text()
    headers = tab.results.model.titles()
    assert "1" in headers and "3" in headers


def test_proposals_are_ticked_and_made_into_databank_entries(qtbot, panel, db, school_with_results, monkeypatch):
    pupils = school_with_results["pupils"]
    aid = assessments.save_assessment(db, {"kind": "entrance", "subject_id": school_with_results["math"], "grade": 5,
                                           "class_letter": "А", "date": "2026-09-12", "mark3": 3, "mark4": 5,
                                           "mark5": 7})  # fmt: skip
    for number, skill in ((1, "Дроби"), (2, "Проценты")):
        records.save(db, ASSESSMENT_TASK, {"assessment_id": aid, "number": number, "max_points": 4, "skill": skill})
    assessments.save_results(db, aid, [
        {"student_id": pupils[0], "points": {1: 4, 2: 4}},
        {"student_id": pupils[1], "points": {1: 1, 2: 1}},
        {"student_id": pupils[2], "points": {1: 4, 2: 1}},
        {"student_id": pupils[3], "points": {1: 0, 2: 2}},
    ])  # fmt: skip
    assessments.create_databank_entries(db, assessments.propose_databank_entries(db, aid)[2:])  # Фёдорова already in
    panel.assessments.select(aid)

    def run(dialog: ProposalsDialog):
        assert dialog.list.count() == 3
        assert not dialog.list.item(2).flags() & Qt.ItemFlag.ItemIsEnabled  # already in the databank
        dialog.list.item(1).setCheckState(Qt.CheckState.Unchecked)  # Сидоров: the teacher decides otherwise
        dialog.accept()
        return 1

    monkeypatch.setattr(ProposalsDialog, "exec", run)
    panel.assessments.propose()
    names = db.execute(
        "SELECT s.last_name FROM databank_entry e JOIN student s ON s.id = e.student_id ORDER BY e.id"
    ).fetchall()
    assert names == [("Фёдорова",), ("Петрова",)]
    assert panel.assessments.status.text()


def test_a_result_typed_by_hand_counts_its_points(qtbot, panel, db, school_with_results, monkeypatch):
    from ui.record_form import RecordDialog

    pupils = school_with_results["pupils"]
    aid = assessments.save_assessment(db, {"kind": "intermediate", "subject_id": school_with_results["math"],
                                           "grade": 5, "class_letter": "А", "date": "2026-11-10", "mark3": 2,
                                           "mark4": 4, "mark5": 5})  # fmt: skip
    for number in (1, 2, 3):
        records.save(db, ASSESSMENT_TASK, {"assessment_id": aid, "number": number, "max_points": 2})
    panel.assessments.select(aid)

    def fill(dialog):
        form = dialog.form
        form.editors["student_id"].setCurrentIndex(form.editors["student_id"].findData(pupils[1]))
        type_into(form.editors["task_1"], "2")
        type_into(form.editors["task_2"], "1,5")
        type_into(form.editors["task_3"], "3")  # above the task's 2 points
        dialog.accept()
        assert form.errors["task_3"].text() and count(db, "assessment_result") == 8
        form.editors["task_3"].clear()
        type_into(form.editors["task_3"], "0")
        dialog.accept()
        return 1

    monkeypatch.setattr(RecordDialog, "exec", fill)
    panel.assessments.edit_result(None)
    assert db.execute("SELECT student_id, total, mark FROM assessment_result WHERE assessment_id = ?",
                      [aid]).fetchall() == [(pupils[1], 3.5, 3)]  # fmt: skip
    assert panel.assessments.results.model.rowCount() == 1


def test_analytics_by_class_with_the_chart(qtbot, panel, db, school_with_results):
    tab = panel.analytics
    panel.tabs.setCurrentWidget(tab)
    tab.period_kind.setCurrentIndex(tab.period_kind.findData("term"))
    tab.period.setCurrentIndex(tab.period.findData(1))
    tab.subject.setCurrentIndex(tab.subject.findText("Математика"))
    model = tab.list.model
    rows = [model.row(i) for i in range(model.rowCount())]
    assert [r["class_name"] for r in rows] == ["5А", "5Б", analytics._("all classes")]
    assert rows[0]["pass_rate"] == 83.3 and rows[1]["quality_rate"] == 100  # shown with one decimal
    assert tab.chart.points and tab.chart.title.startswith(analytics._("all classes"))
    tab.list.table.selectRow(0)
    assert tab.chart.title.startswith("5А")
    tab.klass.setCurrentIndex(tab.klass.findText("5Б"))
    assert [model.row(i)["class_name"] for i in range(model.rowCount())] == ["5Б"]
    tab.period_kind.setCurrentIndex(tab.period_kind.findData("year"))
    assert not tab.period.isEnabled() and model.rowCount() == 1


def test_new_record_and_focus_filter_reach_the_lists(qtbot, panel, monkeypatch):
    from ui.record_form import RecordDialog

    opened = []
    monkeypatch.setattr(RecordDialog, "exec", lambda dialog: opened.append(dialog.windowTitle()) or 0)
    panel.tabs.setCurrentWidget(panel.analytics)
    panel.new_record()
    assert opened and panel.tabs.currentWidget() is panel.assessments
    panel.focus_filter()
    assert panel.assessments.list.filter.hasFocus()


def test_the_panel_on_the_demo_school(qtbot, demo_db):
    fill_results(demo_db)
    widget = AssessmentsPanel(demo_db)
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    tab = widget.assessments
    assert tab.list.model.rowCount() >= 1 and tab.results.model.rowCount() > 10
    widget.tabs.setCurrentWidget(widget.analytics)
    assert widget.analytics.list.model.rowCount() > 5
    assert widget.analytics.chart.points  # the whole school's dynamics over the terms


def test_a_file_that_is_not_a_workbook_is_one_sentence_and_nothing_more(qtbot, panel, db, tmp_path, monkeypatch):
    path = tmp_path / "results.xlsx"
    path.write_text("ФИО;Класс;Балл\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    monkeypatch.setattr(ImportDialog, "exec", lambda dialog: pytest.fail("no dialog for an unreadable file"))
    before = count(db, "assessment")
    panel.assessments.load_results()
    assert warnings == [
        analytics._("The file {name} is not an Excel workbook (.xlsx) or is damaged.").format(name="results.xlsx")
    ]
    assert count(db, "assessment") == before
