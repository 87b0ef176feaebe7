"""The class-list import dialog as a deputy director uses it: pick the file, check the columns, see the pupils and
the invalid rows, choose to skip them, import. Assertions are on the database rows."""

import datetime as dt

import openpyxl
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from models import records, student_import
from models.i18n import _
from models.school import STUDENT
from tests.conftest import count
from ui import import_students as dialog_module
from ui.import_students import StudentImportDialog, import_students

SNILS = "123-456-789 01"

ROWS = [
    ("МБОУ «СОШ № 7»",),
    ("Список обучающихся 6 «Б» класса",),
    (),
    ("№", "ФИО", "Дата рождения", "Пол", "СНИЛС", "Телефон родителя", "Код", "Примечание"),
    (1, "Абрамова Алина Игоревна", dt.datetime(2014, 4, 1), "ж", SNILS, "+7 900 111-22-33", "E-1", "01.09.2021"),
    (2, "БЕЛОВ БОРИС", "2.2.2014", "м", None, None, "E-2", "01.09.2020"),
    (3, "Волков Влад", "31.02.2014", "м", None, None, "E-3", None),  # no such day
    (4, "Абрамова Алина Игоревна", "01.04.2014", "ж", None, None, None, None),  # row 5 again
]


@pytest.fixture
def class_list(tmp_path):
    workbook = openpyxl.Workbook()
    for row in ROWS:
        workbook.active.append(list(row))
    path = tmp_path / "6Б.xlsx"
    workbook.save(path)
    return path


@pytest.fixture
def dialog(qtbot, db, class_list):
    d = StudentImportDialog(db, str(class_list), student_import.read_students(class_list))
    qtbot.addWidget(d)
    d.show()
    return d


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))
    QApplication.processEvents()


def names(db):
    return [r[0] for r in db.execute("SELECT last_name || ' ' || first_name FROM student ORDER BY last_name")]


def test_the_dialog_proposes_the_columns_and_previews_the_pupils(dialog):
    chosen = {name: combo.currentData() for name, combo in dialog.combos.items()}
    assert chosen == {
        "last_name": None, "first_name": None, "middle_name": None, "full_name": 1, "birth_date": 2, "class": None,
        "gender": 3, "ejournal_id": 6, "enrolled_on": None,
    }
    assert dialog.combos["full_name"].currentText() == "B: ФИО"
    assert dialog.model.rowCount() == 2
    shown = [[dialog.model.index(r, c).data() for c in range(dialog.model.columnCount())] for r in range(2)]
    assert shown[0][:9] == ["5", "Абрамова", "Алина", "Игоревна", "01.04.2014", "6Б", _("female"), "E-1", ""]
    assert shown[1][1:3] == ["Белов", "Борис"]
    assert all(SNILS not in cell for row in shown for cell in row)
    assert [dialog.problems.item(i).text() for i in range(dialog.problems.count())] == [
        str(p) for p in dialog.plan.problems
    ]
    assert [(p.row, p.column) for p in dialog.plan.problems] == [(7, "C"), (8, "B")]
    assert "СНИЛС" in dialog.ignored.text()


def test_with_invalid_rows_import_waits_for_the_choice_to_skip_them(qtbot, db, dialog):
    assert dialog.skip.isVisible() and not dialog.import_button.isEnabled()
    dialog.accept()  # even a stray Enter writes nothing
    assert count(db, "student") == 0
    dialog.skip.click()  # as a click on the box does
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert names(db) == ["Абрамова Алина", "Белов Борис"]
    assert (dialog.result.added, dialog.result.invalid) == (2, 2)
    stored = records.rows(db, STUDENT)
    assert {(s["grade"], s["letter"], s["ejournal_id"]) for s in stored} == {(6, "Б", "E-1"), (6, "Б", "E-2")}


def test_changing_a_column_reads_the_file_again(qtbot, db, dialog):
    choose(dialog.combos["enrolled_on"], 7)  # "Примечание" holds the enrolment dates
    assert dialog.preview.mapping["enrolled_on"] == 7
    assert dialog.model.index(0, 8).data() == "01.09.2021"
    choose(dialog.combos["full_name"], None)  # no names at all: said in the dialog, nothing to import
    assert dialog.error.isVisible() and dialog.model.rowCount() == 0 and not dialog.import_button.isEnabled()
    assert dialog.error.text() == _(
        "Choose the column with the pupils' full names, or the columns with their last and first names."
    )
    choose(dialog.combos["full_name"], 1)
    assert not dialog.error.isVisible() and dialog.model.rowCount() == 2
    dialog.skip.setChecked(True)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert [s["enrolled_on"] for s in records.rows(db, STUDENT)] == ["2021-09-01", "2020-09-01"]


def test_re_opening_the_same_list_shows_nothing_to_do(qtbot, db, class_list):
    student_import.import_students(db, student_import.read_students(class_list), skip_invalid=True)
    d = StudentImportDialog(db, str(class_list), student_import.read_students(class_list))
    qtbot.addWidget(d)
    d.skip.setChecked(True)
    assert (d.plan.added, d.plan.updated, d.plan.unchanged) == (0, 0, 2)
    assert not d.import_button.isEnabled()
    assert student_import.summary(0, 0, 2, 2) in d.what.text()


def test_import_from_the_file_dialog_to_the_database(qtbot, db, class_list, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(class_list), ""))
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))

    def drive():  # the dialog opens once the file is read on a worker thread
        d = QApplication.activeModalWidget()
        if not isinstance(d, StudentImportDialog):
            QTimer.singleShot(20, drive)
            return
        d.skip.setChecked(True)
        qtbot.mouseClick(d.import_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, drive)
    assert import_students(None, db) is True
    assert names(db) == ["Абрамова Алина", "Белов Борис"]
    assert told == [_("Imported: {summary}.").format(summary=student_import.summary(2, 0, 0, 2))]


def test_a_file_that_is_no_class_list_is_one_warning_and_nothing_is_written(db, tmp_path, monkeypatch):
    junk = tmp_path / "список.xlsx"
    junk.write_text("это не Excel", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(junk), ""))
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    assert import_students(None, db) is False
    assert warned == [_("The file {name} is not an Excel workbook (.xlsx) or is damaged.").format(name=junk.name)]
    assert count(db, "student") == 0


def test_cancelling_the_file_dialog_does_nothing(db, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    assert import_students(None, db) is False


def test_the_ui_module_never_touches_sql():
    source = open(dialog_module.__file__, encoding="utf-8").read()
    assert "execute" not in source and "SELECT" not in source
