"""The demo school: realistic, consistent, the same for the same seed, and never mixed with real data."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest

from models import i18n
from models.db import integrity, open_database, table_counts
from models.demo import DemoError, build_demo, female_surname
from models.records import save
from models.school import STAFF, academic_year_start

# The pupil record checks birth dates against the real year, so the pretended day stays in the real year.
TODAY = dt.date(dt.date.today().year, 11, 22)
YEAR = academic_year_start(TODAY)


def build(path, **kwargs):
    db = open_database(path)
    return db, build_demo(db, today=TODAY, **kwargs)


def one(db, sql: str, params: tuple = ()):
    return db.execute(sql, params).fetchone()[0]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    db, counts = build(tmp_path_factory.mktemp("small") / "d.db")
    yield db, counts
    db.close()


@pytest.fixture
def russian():
    before = i18n.language()
    i18n.set_language("ru")
    yield
    i18n.set_language(before)


def test_small_demo_has_the_expected_size(small):
    db, counts = small
    assert 360 <= one(db, "SELECT count(*) FROM student") == counts["students"] <= 440
    assert one(db, "SELECT count(*) FROM staff") == counts["staff"] == 35
    assert (
        one(db, "SELECT count(*) FROM staff WHERE active = 0") == counts["staff"] - counts["staff_active"] > 0
    )
    assert one(db, "SELECT count(*) FROM academic_year") == counts["academic_years"] == 2
    assert one(db, "SELECT count(*) FROM term") == counts["terms"] == 8
    assert 6 <= one(db, "SELECT count(*) FROM working_group_member") == counts["working_group"] <= 9
    assert one(db, "SELECT count(*) FROM curator WHERE active = 1") == counts["curators"] == 1
    assert one(db, "SELECT count(*) FROM student WHERE left_on IS NOT NULL") == counts["students_left"] > 0
    assert one(db, "SELECT count(DISTINCT grade || letter) FROM student") == counts["classes"]


def test_small_demo_passes_the_integrity_check(small):
    assert integrity(small[0]) == "ok"


def test_academic_years_are_the_current_and_the_previous(small):
    names = [r[0] for r in small[0].execute("SELECT name FROM academic_year ORDER BY start_date")]
    assert names == [f"{YEAR - 1}/{YEAR}", f"{YEAR}/{YEAR + 1}"]


def test_profile_names_the_director_and_the_deputy_for_academic_work(small):
    db = small[0]
    row = db.execute(
        """SELECT s.short_name, s.full_name, s.status, d.name, u.name, s.email FROM school s
           JOIN staff ds ON ds.id = s.director_id JOIN ref_item d ON d.id = ds.position_id
           JOIN staff us ON us.id = s.deputy_id JOIN ref_item u ON u.id = us.position_id"""
    ).fetchone()
    short_name, full_name, status, director, deputy, email = row
    number = re.fullmatch(r"М[БК]ОУ «СОШ № (\d+)»", short_name).group(1)
    assert full_name.endswith(f"«Средняя общеобразовательная школа № {number}»")
    assert status in ("shnor", "shnsu", "risk_group")
    assert (director, deputy) == ("Директор", "Заместитель директора по УВР")
    assert email.endswith("@example.ru")


def test_every_grade_has_classes_of_realistic_size(small):
    db = small[0]
    grades = [r[0] for r in db.execute("SELECT DISTINCT grade FROM student WHERE left_on IS NULL ORDER BY 1")]
    assert grades == list(range(1, 12))
    sizes = [r[0] for r in db.execute("SELECT count(*) FROM student GROUP BY grade, letter")]
    assert min(sizes) >= 15 and max(sizes) <= 30


def test_ejournal_ids_are_unique_and_well_formed(small):
    ids = [r[0] for r in small[0].execute("SELECT ejournal_id FROM student")]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"EJ-\d{6}", i) for i in ids)


def test_pupils_are_born_for_their_grade_and_leave_after_enrolling(small):
    db = small[0]
    for grade, birth_date, enrolled_on, left_on in db.execute(
        "SELECT grade, birth_date, enrolled_on, left_on FROM student"
    ):
        assert abs(int(birth_date[:4]) - (YEAR - 6 - grade)) <= 1
        assert enrolled_on <= TODAY.isoformat()
        assert left_on is None or enrolled_on <= left_on <= TODAY.isoformat()


def test_names_agree_with_gender(small):
    db = small[0]
    for last, middle, gender in db.execute("SELECT last_name, middle_name, gender FROM student"):
        if gender == "f":
            assert middle.endswith("вна") and not re.search(r"(ов|ев|ёв|ин|ский)$", last)
        else:
            assert middle.endswith("вич") and not re.search(r"(ова|ева|ина|ская)$", last)


def test_female_surname_forms():
    assert [female_surname(s) for s in ("Петров", "Ильин", "Полянский", "Коваленко", "Шевчук")] == [
        "Петрова", "Ильина", "Полянская", "Коваленко", "Шевчук"
    ]  # fmt: skip


def test_every_subject_has_an_active_teacher(small):
    db = small[0]
    covered = "SELECT subject_id FROM staff_subject JOIN staff ON staff.id = staff_id WHERE active = 1"
    uncovered = db.execute(f"SELECT name FROM ref_item WHERE list = 'subject' AND id NOT IN ({covered})")
    assert uncovered.fetchall() == []


def test_staff_ages_and_young_specialists_are_consistent(small):
    db = small[0]
    staff = list(db.execute("SELECT birth_year, young_specialist, hired_on FROM staff"))
    assert all(TODAY.year - 68 <= b <= TODAY.year - 23 for b, _y, _h in staff)
    assert any(TODAY.year - b >= 60 for b, _y, _h in staff)  # of pension age
    three_years_ago = (TODAY - dt.timedelta(days=3 * 365)).isoformat()
    for birth_year, young, hired_on in staff:
        assert young == (hired_on > three_years_ago and TODAY.year - birth_year < 35)
        assert int(hired_on[:4]) - birth_year >= 20


def test_working_group_has_one_head_from_the_administration(small):
    db = small[0]
    roles = [r[0] for r in db.execute("SELECT role FROM working_group_member")]
    assert roles.count("head") == roles.count("deputy") == roles.count("secretary") == 1
    head_position = one(
        db,
        """SELECT r.name FROM working_group_member w JOIN staff s ON s.id = w.staff_id
           JOIN ref_item r ON r.id = s.position_id WHERE w.role = 'head'""",
    )
    assert head_position in ("Директор", "Заместитель директора по УВР")
    assert (
        one(
            db,
            "SELECT count(*) FROM working_group_member WHERE duties = '' OR since > ?",
            (TODAY.isoformat(),),
        )
        == 0
    )


def test_second_build_is_refused_and_changes_nothing(small, russian):
    db = small[0]
    before = table_counts(db)
    with pytest.raises(DemoError) as refused:
        build_demo(db, today=TODAY, seed=2)
    assert str(refused.value)
    assert table_counts(db) == before
    assert not db.conn.in_transaction


def test_demo_is_refused_where_people_exist_without_a_profile(tmp_path, russian):
    db = open_database(tmp_path / "d.db")
    save(db, STAFF, {"last_name": "Петрова", "first_name": "Анна"})
    with pytest.raises(DemoError):
        build_demo(db, today=TODAY)
    assert table_counts(db)["staff"] == 1 and table_counts(db)["school"] == 0


def test_unknown_size_is_refused(tmp_path, russian):
    with pytest.raises(DemoError):
        build_demo(open_database(tmp_path / "d.db"), size="huge", today=TODAY)


def test_same_seed_and_day_give_the_same_database(tmp_path):
    first, _counts = build(tmp_path / "a.db", seed=7)
    second, _counts = build(tmp_path / "b.db", seed=7)
    assert list(first.conn.iterdump()) == list(second.conn.iterdump())


def test_another_seed_gives_another_school(tmp_path):
    first, _counts = build(tmp_path / "a.db", seed=1)
    second, _counts = build(tmp_path / "b.db", seed=2)
    profile = "SELECT short_name, municipality, phone FROM school"
    assert first.execute(profile).fetchone() != second.execute(profile).fetchone()
    names = "SELECT last_name, first_name, middle_name FROM staff ORDER BY id"
    assert first.execute(names).fetchall() != second.execute(names).fetchall()


def test_large_demo_has_five_years_of_history(tmp_path):
    started = time.perf_counter()
    db, counts = build(tmp_path / "d.db", size="large", seed=3)
    elapsed = time.perf_counter() - started
    assert 1800 <= one(db, "SELECT count(*) FROM student") == counts["students"] <= 2200
    assert one(db, "SELECT count(*) FROM staff") == counts["staff"] == 150
    assert one(db, "SELECT count(*) FROM academic_year") == 5
    assert one(db, "SELECT min(start_date) FROM academic_year") == f"{YEAR - 4}-09-01"
    assert one(db, "SELECT count(*) FROM curator") == 2
    assert one(db, "SELECT count(*) FROM curator WHERE active = 1") == 1
    assert integrity(db) == "ok"
    assert elapsed < 10, f"the large demo took {elapsed:.1f} s"
