"""The record pattern: one declaration drives conversion, validation, saving, listing and deleting."""

import pytest

from models import records, school
from models.records import Field, Kind, ValidationError
from tests.conftest import count


def ref_id(db, list_key: str, name: str) -> int:
    return next(i for i, label in records.options(db, list_key) if label == name)


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        (Field("d", "D", Kind.DATE), "01.09.2026", "2026-09-01"),
        (Field("d", "D", Kind.DATE), "1.9.2026", "2026-09-01"),
        (Field("d", "D", Kind.DATE), "", None),
        (Field("n", "N", Kind.NUMBER), "1 234,5", 1234.5),
        (Field("i", "I", Kind.INT), "42", 42),
        (Field("b", "B", Kind.BOOL), True, 1),
        (Field("b", "B", Kind.BOOL), None, 0),
        (Field("t", "T"), "  Иванова  ", "Иванова"),
        (Field("t", "T", upper=True), "б", "Б"),
        (Field("c", "C", Kind.CHOICE, choices=(("a", "A"),)), "a", "a"),
        (Field("r", "R", Kind.REFS), ["3", 1, 3], [1, 3]),
    ],
)
def test_convert_turns_typed_text_into_stored_values(field, raw, expected):
    assert records.convert(field, raw) == expected


@pytest.mark.parametrize(
    ("field", "raw", "message"),
    [
        (Field("d", "D", Kind.DATE), "31.02.2026", "Это не дата"),
        (Field("d", "D", Kind.DATE), "2026", "Это не дата"),
        (Field("d", "D", Kind.DATE), "01.01.1812", "Это не дата"),
        (Field("n", "N", Kind.NUMBER), "двенадцать", "не число"),
        (Field("i", "I", Kind.INT), "2,5", "целое"),
        (Field("i", "I", Kind.INT, minimum=1, maximum=11), "12", "от 1 до 11"),
        (Field("t", "T", required=True), "   ", "Заполните"),
        (Field("t", "T", max_length=3), "abcd", "не более 3"),
        (Field("c", "C", Kind.CHOICE, choices=(("a", "A"),)), "z", "Выберите"),
        (Field("r", "R", Kind.REF), "x", "Выберите"),
    ],
)
def test_convert_names_what_is_wrong(field, raw, message):
    with pytest.raises(ValueError, match=message):
        records.convert(field, raw)


def test_save_and_fetch_round_trip_with_links(db):
    math, algebra = ref_id(db, "subject", "Математика"), ref_id(db, "subject", "Алгебра")
    staff_id = records.save(
        db,
        school.STAFF,
        {
            "last_name": "Петрова",
            "first_name": "Анна",
            "middle_name": "Ивановна",
            "position_id": ref_id(db, "position", "Учитель"),
            "subjects": [algebra, math],
            "birth_year": "1985",
            "hired_on": "01.09.2010",
            "young_specialist": False,
        },
    )
    row = records.fetch(db, school.STAFF, staff_id)
    assert row["subjects"] == sorted([math, algebra])
    assert row["hired_on"] == "2010-09-01"
    assert row["active"] == 1  # the declared default
    assert count(db, "staff_subject") == 2


def test_update_keeps_fields_not_given(db):
    staff_id = records.save(
        db, school.STAFF, {"last_name": "Петрова", "first_name": "Анна", "birth_year": 1985}
    )
    records.save(db, school.STAFF, {"middle_name": "Ивановна"}, staff_id)
    row = records.fetch(db, school.STAFF, staff_id)
    assert (row["last_name"], row["middle_name"], row["birth_year"], row["active"]) == (
        "Петрова",
        "Ивановна",
        1985,
        1,
    )


def test_bad_values_are_all_named_and_nothing_is_saved(db):
    with pytest.raises(ValidationError) as caught:
        records.save(
            db,
            school.STAFF,
            {"last_name": "", "first_name": "Анна", "birth_year": "19x0", "hired_on": "32.01.2020"},
        )
    assert set(caught.value.errors) == {"last_name", "birth_year", "hired_on"}
    assert count(db, "staff") == 0


def test_cross_field_check_catches_end_before_start(db):
    with pytest.raises(ValidationError) as caught:
        records.save(
            db,
            school.ACADEMIC_YEAR,
            {"name": "2026/2027", "start_date": "01.09.2026", "end_date": "31.08.2026"},
        )
    assert "end_date" in caught.value.errors
    assert count(db, "academic_year") == 0


def test_a_reference_to_an_item_of_another_list_is_refused(db):
    subject = ref_id(db, "subject", "Физика")
    with pytest.raises(ValidationError) as caught:
        records.save(db, school.STAFF, {"last_name": "Петрова", "first_name": "Анна", "position_id": subject})
    assert "position_id" in caught.value.errors
    assert count(db, "staff") == 0


def test_duplicate_is_one_clear_message(db):
    records.save(db, records.record_type("subject"), {"name": "Астрономия"})
    with pytest.raises(ValidationError, match="уже есть"):
        records.save(db, records.record_type("subject"), {"name": "Астрономия"})


def test_reference_list_records_share_one_table_but_stay_apart(db):
    subjects = records.rows(db, records.record_type("subject"))
    positions = records.rows(db, records.record_type("position"))
    assert {r["list"] for r in subjects} == {"subject"}
    assert not {r["id"] for r in subjects} & {r["id"] for r in positions}
    new_id = records.save(db, records.record_type("work_form"), {"name": "Проектная работа"})
    assert db.execute("SELECT list FROM ref_item WHERE id = ?", [new_id]).fetchone()[0] == "work_form"


def test_used_record_cannot_be_deleted_and_stays(db):
    teacher = ref_id(db, "position", "Учитель")
    records.save(db, school.STAFF, {"last_name": "Петрова", "first_name": "Анна", "position_id": teacher})
    with pytest.raises(records.RecordInUseError, match="«Учитель» используется"):
        records.delete(db, records.record_type("position"), teacher)
    assert records.fetch(db, records.record_type("position"), teacher) is not None


def test_inactive_items_leave_the_choices_but_keep_saved_values(db):
    rtype = records.record_type("position")
    tutor = ref_id(db, "position", "Тьютор")
    records.save(db, rtype, {"active": False}, tutor)
    assert tutor not in dict(records.options(db, "position"))
    assert tutor in dict(records.options(db, "position", keep=[tutor]))


def test_singleton_school_profile_is_updated_not_duplicated(db):
    records.save(db, school.SCHOOL, {"full_name": "Школа № 1", "short_name": "СОШ № 1"})
    records.save(db, school.SCHOOL, {"full_name": "Школа № 1", "short_name": "МБОУ «СОШ № 1»"})
    assert count(db, "school") == 1
    assert school.school_profile(db)["short_name"] == "МБОУ «СОШ № 1»"


def test_display_values_read_as_on_screen(db):
    staff_id = records.save(
        db,
        school.STAFF,
        {
            "last_name": "Петрова",
            "first_name": "Анна",
            "hired_on": "2010-09-01",
            "young_specialist": True,
            "position_id": ref_id(db, "position", "Учитель"),
        },
    )
    row = records.fetch(db, school.STAFF, staff_id)
    lookups = records.Lookups(db)
    shown = {f.name: records.display_value(f, row[f.name], lookups) for f in school.STAFF.list_fields}
    assert shown["hired_on"] == "01.09.2010"
    assert shown["young_specialist"] == "да"
    assert shown["position_id"] == "Учитель"


def test_working_group_member_is_named_by_the_person(db):
    staff_id = records.save(db, school.STAFF, {"last_name": "Петрова", "first_name": "Анна"})
    member = records.save(db, school.WORKING_GROUP_MEMBER, {"staff_id": staff_id, "role": "head"})
    assert (
        records.name_of(
            db, school.WORKING_GROUP_MEMBER, records.fetch(db, school.WORKING_GROUP_MEMBER, member)
        )
        == "Петрова Анна"
    )
    other = records.save(db, school.STAFF, {"last_name": "Орлов", "first_name": "Иван"})
    with pytest.raises(ValidationError, match="уже есть"):  # one head only
        records.save(db, school.WORKING_GROUP_MEMBER, {"staff_id": other, "role": "head"})


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        (Kind.REF, 5, 5),
        (Kind.REF, 5.0, 5),
        (Kind.REF, " 7 ", 7),
        (Kind.REFS, ["3", 1, 3.0], [1, 3]),
        (Kind.REFS, (), []),
        (Kind.REFS, "", []),
    ],
)
def test_reference_ids_in_the_forms_callers_hand_them(kind, raw, expected):
    assert records.convert(Field("r", "R", kind, ref="x"), raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        (Kind.REF, True),
        (Kind.REF, 1.5),
        (Kind.REF, -1),
        (Kind.REF, 2**63),
        (Kind.REF, "٥"),
        (Kind.REF, float("inf")),
        (Kind.REFS, 5),
        (Kind.REFS, "1,2"),
        (Kind.REFS, [1, None]),
        (Kind.REFS, [2**64]),
    ],
)
def test_a_reference_that_is_not_an_id_is_refused_with_the_usual_sentence(kind, raw):
    with pytest.raises(ValueError) as caught:
        records.convert(Field("r", "R", kind, ref="x"), raw)
    assert str(caught.value) == records._("Choose one of the listed values.")


@pytest.mark.parametrize("raw", [float("nan"), float("inf"), -float("inf"), 10**400, "9" * 400])
def test_a_number_that_is_not_finite_is_not_a_number(raw):
    for kind in (Kind.INT, Kind.NUMBER):
        with pytest.raises(ValueError) as caught:
            records.convert(Field("n", "N", kind), raw)
        assert str(caught.value) == records._("Not a number.")


def test_a_record_type_and_its_fields_are_declared_once():
    from models.school import STUDENT

    field = STUDENT.field("last_name")
    with pytest.raises(AttributeError):
        field.label = "changed"
    with pytest.raises(AttributeError):
        STUDENT.table = "staff"
    assert STUDENT.table == "student" and field.label != "changed"
    assert STUDENT.list_fields is STUDENT.list_fields  # computed once, kept beside the declared values
    assert repr(STUDENT) == "RecordType('student')"
