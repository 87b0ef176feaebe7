"""School and people: academic years with terms, the first-start setup, the overview on the Home page."""

import datetime as dt

import pytest

from models import records, school
from models.records import ValidationError
from tests.conftest import count


def test_new_academic_year_gets_four_default_terms(db):
    year_id = school.create_academic_year(db, 2026)
    terms = records.rows(db, school.TERM, {"academic_year_id": year_id})
    assert [t["number"] for t in terms] == [1, 2, 3, 4]
    assert terms[0]["start_date"] == "2026-09-01"
    assert terms[3]["end_date"].startswith("2027-05")
    assert all(a["end_date"] < b["start_date"] for a, b in zip(terms, terms[1:]))


def test_the_same_academic_year_twice_is_refused_and_nothing_changes(db):
    school.create_academic_year(db, 2026)
    with pytest.raises(ValidationError, match="уже есть"):
        school.create_academic_year(db, 2026)
    assert (count(db, "academic_year"), count(db, "term")) == (1, 4)


def test_next_academic_year_follows_the_latest(db):
    school.create_academic_year(db, 2026)
    year_id = school.add_next_academic_year(db)
    assert records.fetch(db, school.ACADEMIC_YEAR, year_id)["name"] == "2027/2028"


def test_academic_year_name_must_match_its_form(db):
    with pytest.raises(ValidationError) as caught:
        records.save(
            db,
            school.ACADEMIC_YEAR,
            {"name": "2026/2028", "start_date": "01.09.2026", "end_date": "31.08.2027"},
        )
    assert "name" in caught.value.errors


def test_year_and_term_on_a_day(db):
    school.create_academic_year(db, 2026)
    assert school.academic_year_on(db, dt.date(2026, 11, 22))["name"] == "2026/2027"
    assert school.term_on(db, dt.date(2026, 11, 22))["number"] == 2
    assert school.term_on(db, dt.date(2026, 11, 1)) is None  # autumn holidays
    assert school.academic_year_start(dt.date(2027, 3, 1)) == 2026


def test_setup_makes_school_director_deputy_and_year_in_one_go(db):
    school.setup_school(
        db,
        {
            "full_name": "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 5»",
            "short_name": "МБОУ «СШ № 5»",
            "status": "shnor",
            "director_last_name": "Орлова",
            "director_first_name": "Нина",
            "director_middle_name": "Петровна",
            "deputy_last_name": "Ким",
            "deputy_first_name": "Ольга",
        },
        today=dt.date(2026, 11, 22),
    )
    profile = school.school_profile(db)
    director = records.fetch(db, school.STAFF, profile["director_id"])
    assert director["last_name"] == "Орлова"
    assert records.options(db, "position", keep=[director["position_id"]])  # a real position id
    assert profile["deputy_id"] is not None
    assert school.academic_year_on(db, dt.date(2026, 11, 22)) is not None


def test_setup_with_bad_input_changes_nothing(db):
    with pytest.raises(ValidationError) as caught:
        school.setup_school(
            db,
            {
                "full_name": "Школа",
                "short_name": "",
                "status": "shnor",
                "director_last_name": "Орлова",
                "director_first_name": "Нина",
                "deputy_last_name": "Ким",
            },
        )
    assert set(caught.value.errors) == {"short_name"}
    assert (count(db, "school"), count(db, "staff"), count(db, "academic_year")) == (0, 0, 0)


def test_pupil_checks(db):
    with pytest.raises(ValidationError) as caught:
        records.save(
            db,
            school.STUDENT,
            {
                "last_name": "Иванов",
                "first_name": "Петя",
                "grade": 12,
                "letter": "АБ",
                "birth_date": "01.01.1990",
            },
        )
    assert {"grade", "letter"} <= set(caught.value.errors)
    student = records.save(
        db, school.STUDENT, {"last_name": "Иванов", "first_name": "Петя", "grade": 5, "letter": "б"}
    )
    assert records.fetch(db, school.STUDENT, student)["letter"] == "Б"


def test_overview_counts_people(demo_db):
    o = school.overview(demo_db, dt.date.today())
    assert o["school"]["short_name"]
    assert o["staff"] > 20 and o["students"] > 300 and o["working_group"] >= 6
    assert o["curator"] is not None


def test_a_class_without_a_letter_is_a_class(db):
    pupil = records.save(db, school.STUDENT, {"last_name": "Орлова", "first_name": "Вера", "grade": 6, "letter": ""})
    assert records.fetch(db, school.STUDENT, pupil)["letter"] is None
    assert school.STUDENT.display(records.fetch(db, school.STUDENT, pupil)) == "Орлова Вера (6)"
