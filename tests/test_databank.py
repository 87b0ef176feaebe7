"""The databank: entries by category with a support log; the restricted note stays inside; the new year."""

import datetime as dt
import subprocess

import pytest

from models import databank, databank_print, records, school
from models.records import ValidationError
from tests.conftest import count


def ref(db, key, name):
    return next(i for i, label in records.options(db, key) if label == name)


@pytest.fixture
def pupils(db):
    def make(last: str, grade: int, letter: str) -> int:
        values = {"last_name": last, "first_name": "Иван", "grade": grade, "letter": letter}
        return records.save(db, school.STUDENT, values)

    return {
        "a": make("Андреев", 5, "А"),
        "b": make("Борисов", 5, "Б"),
        "c": make("Сидоров", 9, "А"),
        "d": make("Тимофеев", 11, "А"),
    }


def entry(db, student, **values):
    return records.save(
        db,
        databank.DATABANK_ENTRY,
        {
            "student_id": student,
            "category_id": ref(db, "difficulty_category", "Низкая учебная мотивация"),
            "identified_on": "2026-10-01",
            **values,
        },
    )


def test_entries_are_filtered_by_class_category_subject_status(db, pupils):
    math = ref(db, "subject", "Математика")
    entry(db, pupils["a"], subject_id=math)
    entry(db, pupils["b"])
    entry(db, pupils["c"], status="resolved", closed_on="2026-11-01")
    assert [r["student"] for r in databank.databank(db)] == ["Андреев Иван", "Борисов Иван"]
    assert [r["class_name"] for r in databank.databank(db, databank.DatabankFilter(class_name="5Б"))] == [
        "5Б"
    ]
    assert len(databank.databank(db, databank.DatabankFilter(class_name="5"))) == 2
    assert len(databank.databank(db, databank.DatabankFilter(subject_id=math))) == 1
    assert len(databank.databank(db, databank.DatabankFilter(status=None))) == 3


def test_entry_rules(db, pupils):
    with pytest.raises(ValidationError) as caught:
        entry(db, pupils["a"], status="closed")
    assert "closed_on" in caught.value.errors
    with pytest.raises(ValidationError) as caught:
        entry(db, pupils["a"], identified_on=(dt.date.today() + dt.timedelta(days=3)).isoformat())
    assert "identified_on" in caught.value.errors
    with pytest.raises(ValidationError) as caught:
        entry(db, pupils["a"], status="resolved", closed_on="2026-09-01")
    assert "closed_on" in caught.value.errors
    assert count(db, "databank_entry") == 0


def test_restricted_note_never_leaves_in_a_list_or_a_print(db, pupils, tmp_path):
    e = entry(db, pupils["a"], restricted_note="ОСОБАЯ ПОМЕТКА о семье")
    records.save(
        db, databank.SUPPORT_ENTRY, {"entry_id": e, "date": "2026-10-05", "kind": "parents_informed"}
    )
    assert "restricted_note" not in databank.databank(db)[0]
    assert databank.restricted_note(db, e) == "ОСОБАЯ ПОМЕТКА о семье"
    assert all(f.name != "restricted_note" for f in databank.DATABANK_ENTRY.list_fields)
    assert all(f.name != "restricted_note" for f in databank.DATABANK_ENTRY.export_fields)
    card = databank.student_card(db, pupils["a"])
    assert "ОСОБАЯ" not in repr(card)
    for out in (
        databank_print.print_databank(db, tmp_path / "list.pdf"),
        databank_print.print_student(db, pupils["a"], tmp_path / "card.pdf"),
    ):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert "Андреев" in text and "ОСОБАЯ" not in text
        assert "персональные данные" in text.lower()


def test_summary_by_category(db, pupils):
    entry(db, pupils["a"], identified_on=dt.date.today().isoformat())
    entry(db, pupils["b"], identified_on="2025-01-10")
    (row,) = databank.summary(db)
    assert (row["category"], row["active"], row["this_month"]) == ("Низкая учебная мотивация", 2, 1)


def test_new_academic_year_promotes_and_marks_graduates_once(db, pupils):
    result = databank.promote(db, 2027)
    assert result == {"promoted": 2, "graduated": 2}
    grades = dict(db.execute("SELECT last_name, grade FROM student").fetchall())
    assert grades["Андреев"] == 6 and grades["Сидоров"] == 9
    left = dict(db.execute("SELECT last_name, left_on FROM student").fetchall())
    assert left["Сидоров"] == left["Тимофеев"] == "2027-08-31" and left["Андреев"] is None
    assert count(db, "student") == 4  # nothing deleted
    with pytest.raises(ValidationError):
        databank.promote(db, 2027)
    assert dict(db.execute("SELECT last_name, grade FROM student").fetchall())["Андреев"] == 6


def test_classes_and_pupils_of_a_class(db, pupils):
    assert databank.classes(db) == ["5А", "5Б", "9А", "11А"]
    assert [s["last_name"] for s in databank.students_of(db, "5Б")] == ["Борисов"]


def test_print_of_an_unknown_pupil_is_one_clear_error(db, tmp_path):
    with pytest.raises(databank_print.PrintError):
        databank_print.print_student(db, 999, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
