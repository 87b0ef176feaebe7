"""The demo school: realistic, consistent, the same for the same seed, and never mixed with real data."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest

from models import analytics, assessments, i18n, metrics
from models.databank import DATABANK_ENTRY, databank, summary
from models.db import integrity, open_database, table_counts
from models.demo import DemoError, build_demo, female_surname
from models.programs import INDICATOR, MEASURE, PROGRAM, indicator_status, is_overdue, versions
from models.programs import _check_measure as measure_problems
from models.records import options, rows, save, validate
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
    figures = "SELECT baseline FROM indicator WHERE metric IS NULL ORDER BY id"
    assert first.execute(figures).fetchall() != second.execute(figures).fetchall()
    plan = "SELECT title, due_date, status FROM measure ORDER BY id"
    assert first.execute(plan).fetchall() != second.execute(plan).fetchall()


def test_large_demo_has_five_years_of_history(tmp_path):
    started = time.perf_counter()
    db, counts = build(tmp_path / "d.db", size="large", seed=3)
    elapsed = time.perf_counter() - started
    print(f"the large demo took {elapsed:.2f} s")
    assert 1800 <= one(db, "SELECT count(*) FROM student") == counts["students"] <= 2200
    assert one(db, "SELECT count(*) FROM staff") == counts["staff"] == 150
    assert one(db, "SELECT count(*) FROM academic_year") == 5
    assert one(db, "SELECT min(start_date) FROM academic_year") == f"{YEAR - 4}-09-01"
    assert one(db, "SELECT count(*) FROM curator") == 2
    assert one(db, "SELECT count(*) FROM curator WHERE active = 1") == 1
    assert one(db, "SELECT count(*) FROM risk_assessment") == counts["risk_assessments"] == 5 * 10
    assert one(db, "SELECT count(DISTINCT academic_year_id) FROM risk_assessment") == 5
    assert 45 <= counts["measures"] <= 70 and counts["measures_overdue"] >= 1
    assert 120 <= counts["pd_courses"] <= 300
    assert 200 <= one(db, "SELECT count(*) FROM databank_entry") == counts["databank_entries"] <= 350
    assert 40000 <= counts["term_marks"] <= 90000 and one(db, "SELECT count(*) FROM task_result") > 20000
    assert integrity(db) == "ok"
    assert elapsed < 15, f"the large demo took {elapsed:.1f} s"


# ---- programs: risk profile, antirisk programs and roadmap, measures, indicators, PD courses -------------


def measures(db) -> list[dict]:
    return rows(db, MEASURE)


def test_small_demo_counts_its_programs(small):
    db, counts = small
    assert one(db, "SELECT count(*) FROM program") == counts["programs"] == 4
    assert one(db, "SELECT count(*) FROM program_version") == counts["program_versions"] == 4
    from_decisions = counts["measures_from_decisions"]  # curator meetings' decisions moved into the roadmap
    assert 35 <= one(db, "SELECT count(*) FROM measure") - from_decisions == counts["measures"] <= 48
    assert 8 <= one(db, "SELECT count(*) FROM indicator") == counts["indicators"] <= 12
    # teachers' routes add the courses their done steps stand for
    assert 25 <= counts["pd_courses"] <= one(db, "SELECT count(*) FROM pd_course") <= 90
    assert one(db, "SELECT count(*) FROM risk_assessment") == counts["risk_assessments"] == 2 * 10
    overdue = sum(1 for m in measures(db) if is_overdue(m, TODAY))
    assert overdue == counts["measures_overdue"] >= 1


def test_every_risk_factor_is_assessed_each_year_and_the_profile_moves(small):
    db = small[0]
    factors = {i for i, _name in options(db, "risk_factor")}
    profile = {}
    for year_id, factor_id, significance, justification in db.execute(
        "SELECT academic_year_id, risk_factor_id, significance, justification FROM risk_assessment"
    ):
        assert significance in ("high", "medium", "low", "irrelevant") and len(justification) > 20
        profile.setdefault(year_id, {})[factor_id] = (significance, justification)
    assert len(profile) == 2 and all(set(p) == factors for p in profile.values())
    last_year, this_year = (profile[y] for y in sorted(profile))
    assert last_year != this_year
    staff = one(db, "SELECT justification FROM risk_assessment r JOIN ref_item f ON f.id = r.risk_factor_id "
                    "WHERE f.name = 'Дефицит педагогических кадров' ORDER BY r.id DESC LIMIT 1")  # fmt: skip
    assert "пенсионного возраста" in staff


def test_three_antirisk_programs_on_significant_factors_and_a_roadmap(small):
    db = small[0]
    year_id = one(db, "SELECT id FROM academic_year WHERE start_date = ?", (f"{YEAR}-09-01",))
    deputy = one(db, "SELECT deputy_id FROM school")
    programs = rows(db, PROGRAM)
    roadmaps = [p for p in programs if p["risk_factor_id"] is None]
    assert len(roadmaps) == 1 and roadmaps[0]["title"].startswith("Дорожная карта перехода школы")
    significance = dict(db.execute(
        "SELECT risk_factor_id, significance FROM risk_assessment WHERE academic_year_id = ?", (year_id,)
    ).fetchall())  # fmt: skip
    for p in programs:
        assert p["goal"] and p["responsible_id"] == deputy
        assert (p["start_date"], p["end_date"]) == (f"{YEAR}-09-01", f"{YEAR + 1}-08-31")
        if p["risk_factor_id"]:
            assert p["title"].startswith("Программа антирисковых мер")
            assert significance[p["risk_factor_id"]] in ("high", "medium")
        tasks = [
            r[0]
            for r in db.execute(
                "SELECT position FROM program_task WHERE program_id = ? ORDER BY position", (p["id"],)
            )
        ]
        assert tasks == list(range(1, len(tasks) + 1)) and 2 <= len(tasks) <= 4
        assert 2 <= one(db, "SELECT count(*) FROM indicator WHERE program_id = ?", (p["id"],)) <= 3


def test_approved_programs_keep_versions_and_one_is_still_a_draft(small):
    db = small[0]
    programs = rows(db, PROGRAM)
    assert [p["status"] for p in programs].count("draft") == 1
    approved = [p for p in programs if p["status"] == "approved"]
    assert len(approved) >= 2
    for p in approved:
        kept = versions(db, p["id"])
        assert [v["version"] for v in kept] == list(range(1, len(kept) + 1))
        assert re.fullmatch(r"\d+-од", p["order_number"]) and p["order_date"] <= TODAY.isoformat()
        assert kept[-1]["order_number"] == p["order_number"] and kept[-1]["order_date"] == p["order_date"]
        assert kept[0]["order_date"] <= f"{YEAR}-09-30"
    corrected = [p for p in approved if len(versions(db, p["id"])) == 2]
    assert len(corrected) == 1 and versions(db, corrected[0]["id"])[1]["note"].startswith("Корректировка")
    draft = next(p for p in programs if p["status"] == "draft")
    assert versions(db, draft["id"]) == []
    assert {m["status"] for m in measures(db) if m["program_id"] == draft["id"]} == {"planned"}


def test_measures_pass_their_own_check_and_cover_every_status(small):
    db = small[0]
    found = measures(db)
    assert all(measure_problems(m) == {} for m in found)
    assert {m["status"] for m in found} == {"planned", "in_progress", "done", "not_done", "cancelled"}
    today, horizon = TODAY.isoformat(), (TODAY + dt.timedelta(days=14)).isoformat()
    upcoming = [m for m in found if m["status"] in ("planned", "in_progress") and m["due_date"]]
    assert any(today <= m["due_date"] <= horizon for m in upcoming)
    assert any(is_overdue(m, TODAY) for m in found)
    from_decisions = {r[0] for r in db.execute("SELECT measure_id FROM decision WHERE measure_id IS NOT NULL")}
    for m in (m for m in found if m["id"] not in from_decisions):  # a decision brings only its own words
        assert m["responsible"] or m["responsible_text"]
        assert m["expected_result"] and m["report_form_id"]
        if m["deadline_text"]:
            assert m["start_date"] is None and m["due_date"] is None
        else:
            assert m["start_date"] <= m["due_date"]
        if m["status"] in ("done", "not_done", "cancelled"):
            assert m["actual_result"] and (m["due_date"] or "") < TODAY.isoformat()
        if m["status"] in ("done", "not_done"):
            assert m["done_on"] <= TODAY.isoformat()
    assert any(m["deadline_text"] for m in found)


def test_measures_belong_to_tasks_of_their_program(small):
    db = small[0]
    stray = one(db, "SELECT count(*) FROM measure m JOIN program_task t ON t.id = m.task_id "
                    "WHERE t.program_id != m.program_id")  # fmt: skip
    without_task = one(db, "SELECT count(*) FROM measure WHERE task_id IS NULL AND id NOT IN "
                           "(SELECT measure_id FROM decision WHERE measure_id IS NOT NULL)")  # fmt: skip
    assert stray == 0 and without_task == 0


def test_indicators_have_targets_values_and_a_computed_one(small):
    db = small[0]
    year_id = one(db, "SELECT id FROM academic_year WHERE start_date = ?", (f"{YEAR}-09-01",))
    statuses = []
    for ind in rows(db, INDICATOR):
        assert ind["unit"] in ("%", "чел.", "балл") and ind["baseline"] is not None and ind["baseline_date"]
        target = "SELECT count(*) FROM indicator_target WHERE indicator_id = ? AND academic_year_id = ?"
        assert one(db, target, (ind["id"], year_id)) == 1
        if not ind["metric"]:
            assert one(db, "SELECT count(*) FROM indicator_value WHERE indicator_id = ?", (ind["id"],)) >= 2
        statuses.append(indicator_status(db, ind, TODAY)["status"])
    assert "achieved" in statuses and "behind" in statuses
    computed = [i for i in rows(db, INDICATOR) if i["metric"] == "staff_pd_3y"]
    assert len(computed) == 1
    assert indicator_status(db, computed[0], TODAY)["status"] not in ("no_data", "no_target")


def test_pd_registry_gives_a_believable_share(small):
    db = small[0]
    assert 50 <= metrics.value(db, "staff_pd_3y", TODAY) <= 80
    for hours, start, end, number in db.execute(
        "SELECT hours, start_date, end_date, certificate_number FROM pd_course"
    ):
        assert 16 <= hours <= 144 and start < end <= TODAY.isoformat() and re.fullmatch(r"\d{12}|[А-Я]+-\d+", number)
    four_years_ago = (TODAY - dt.timedelta(days=4 * 365 + 1)).isoformat()
    assert one(db, "SELECT min(end_date) FROM pd_course") >= four_years_ago


def test_after_the_half_year_the_correction_is_from_january(tmp_path):
    day = dt.date(TODAY.year, 3, 10)
    db = open_database(tmp_path / "d.db")
    counts = build_demo(db, today=day, seed=5)
    notes = [v["note"] for p in rows(db, PROGRAM) for v in versions(db, p["id"]) if v["version"] == 2]
    assert len(notes) == 1 and "полугодия" in notes[0]
    assert counts["measures_overdue"] >= 1
    assert all(measure_problems(m) == {} for m in measures(db))


def test_program_texts_stay_russian_under_an_english_interface(tmp_path):
    before = i18n.language()
    i18n.set_language("en")
    try:
        db = open_database(tmp_path / "d.db")
        build_demo(db, today=TODAY, seed=3)
    finally:
        i18n.set_language(before)
    titles = [r[0] for r in db.execute("SELECT title FROM program WHERE risk_factor_id IS NOT NULL")]
    assert len(titles) == 3 and all(t.startswith("Программа антирисковых мер") for t in titles)


# ---- marks, assessments with per-task results, the databank ----------------------------------------------


def year_id(db, start: int) -> int:
    return one(db, "SELECT id FROM academic_year WHERE start_date = ?", (f"{start}-09-01",))


def test_small_demo_counts_its_marks_works_and_databank(small):
    db, counts = small
    assert one(db, "SELECT count(*) FROM assessment") == counts["assessments"]
    assert one(db, "SELECT count(*) FROM assessment_result") == counts["assessment_results"]
    term_marks = "SELECT count(*) FROM assessment_result r JOIN assessment a ON a.id = r.assessment_id "
    assert one(db, term_marks + "WHERE a.kind = 'term_marks'") == counts["term_marks"]
    assert 7000 <= counts["term_marks"] <= 16000
    assert 30 <= one(db, "SELECT count(*) FROM assessment WHERE kind != 'term_marks'") <= 60
    assert 40 <= one(db, "SELECT count(*) FROM databank_entry") == counts["databank_entries"] <= 70
    assert counts["databank_entries"] < one(db, "SELECT count(*) FROM support_entry") == counts["support_entries"]


def test_term_marks_cover_last_year_and_the_finished_terms_of_this_one(small):
    db = small[0]
    found = db.execute(
        "SELECT t.academic_year_id, t.number, min(a.grade), max(a.grade), count(DISTINCT a.subject_id), a.date, "
        "t.end_date FROM assessment a JOIN term t ON t.id = a.term_id WHERE a.kind = 'term_marks' "
        "GROUP BY a.term_id ORDER BY t.start_date"
    ).fetchall()
    last, this = year_id(db, YEAR - 1), year_id(db, YEAR)
    finished = [r[0] for r in db.execute(
        "SELECT number FROM term WHERE academic_year_id = ? AND end_date < ? ORDER BY number", (this, TODAY.isoformat())
    )]  # fmt: skip
    assert [(y, n) for y, n, *_rest in found] == [(last, n) for n in (1, 2, 3, 4)] + [(this, n) for n in finished]
    for _year, _number, low, high, subjects, date, end in found:
        assert low >= 2 and high <= 11 and date == end and subjects >= 8  # no marks in grade 1
    assert one(db, "SELECT count(*) FROM assessment WHERE kind = 'term_marks' AND class_letter IS NULL") == 0
    marks = dict(db.execute("SELECT mark, count(*) FROM assessment_result GROUP BY mark").fetchall())
    assert set(marks) <= {None, 2, 3, 4, 5} and 0 < marks[2] < marks[5] < marks[3]


def test_twos_gather_among_weak_pupils(small):
    db = small[0]
    rows_ = db.execute(
        "SELECT r.student_id, avg(r.mark), sum(r.mark = 2) FROM assessment_result r JOIN assessment a "
        "ON a.id = r.assessment_id WHERE a.kind = 'term_marks' AND a.date >= ? GROUP BY r.student_id",
        (f"{YEAR}-09-01",),
    ).fetchall()
    failing = [avg for _s, avg, twos in rows_ if twos]
    others = [avg for _s, avg, twos in rows_ if not twos]
    assert 0 < len(failing) < 0.2 * len(rows_)
    assert sum(failing) / len(failing) < sum(others) / len(others) - 0.6


def test_analytics_of_the_last_finished_term_is_plausible(small):
    db = small[0]
    this = year_id(db, YEAR)
    ended = one(db, "SELECT max(number) FROM term WHERE academic_year_id = ? AND end_date < ?", (this, str(TODAY)))
    period = analytics.Period("term", this, ended)
    total = analytics.class_results(db, period)[-1]
    assert total["is_total"] and total["pupils"] > 250
    assert 82 <= total["pass_rate"] <= 98 and 25 <= total["quality_rate"] <= 60 and 45 <= total["sou"] <= 70
    assert total["quality_change"] is not None  # the term before has marks: dynamics
    assert metrics.value(db, "results_quality_rate", TODAY) == round(total["quality_rate"], 1)
    subjects = dict(options(db, "subject"))
    for subject_id, name in subjects.items():
        if name in ("Русский язык", "Математика", "Алгебра", "Физика"):
            row = analytics.class_results(db, period, subject_id=subject_id)[-1]
            assert 85 <= row["pass_rate"] <= 100 and 30 <= row["quality_rate"] <= 75, name
    points = analytics.dynamics(db, this)
    assert len(points) == 4 + ended and all(25 <= p["quality_rate"] <= 60 for p in points)


def test_works_have_tasks_with_skills_thresholds_and_class_deficits(small):
    db = small[0]
    works = rows(db, assessments.ASSESSMENT, {"kind": "entrance"})
    works += rows(db, assessments.ASSESSMENT, {"kind": "vpr"}) + rows(db, assessments.ASSESSMENT, {"kind": "mock"})
    subjects = dict(options(db, "subject"))
    kinds = {(w["kind"], subjects[w["subject_id"]]) for w in works}
    assert kinds == {("entrance", "Математика"), ("entrance", "Русский язык"), ("vpr", "Математика"),
                     ("vpr", "Русский язык"), ("mock", "Математика"), ("mock", "Русский язык")}  # fmt: skip
    with_deficits = 0
    for w in works:
        tasks = assessments.tasks(db, w["id"])
        assert 8 <= len(tasks) <= 20 and all(t["skill"] and t["max_points"] >= 1 for t in tasks)
        assert w["title"] and w["mark3"] < w["mark4"] < w["mark5"] <= assessments.max_total(db, w)
        if w["kind"] == "entrance":
            assert 5 <= w["grade"] <= 9 and w["date"][5:7] == "09" and w["date"] < TODAY.isoformat()
        elif w["kind"] == "vpr":
            assert 4 <= w["grade"] <= 8 and w["date"].startswith(f"{YEAR}-04")
        else:
            assert (w["grade"], subjects[w["subject_id"]]) in ((9, "Математика"), (11, "Русский язык"))
        for total, points in db.execute(
            "SELECT r.total, (SELECT sum(points) FROM task_result WHERE result_id = r.id) FROM assessment_result r "
            "WHERE r.assessment_id = ? AND r.absent = 0",
            (w["id"],),
        ):
            assert total == points
        with_deficits += bool(assessments.class_deficits(db, w["id"]))
    assert with_deficits >= 0.8 * len(works)
    assert one(db, "SELECT count(*) FROM assessment_result WHERE absent = 1") > 0
    marks = dict(db.execute(
        "SELECT r.mark, count(*) FROM assessment_result r JOIN assessment a ON a.id = r.assessment_id "
        "WHERE a.kind = 'vpr' AND r.absent = 0 GROUP BY r.mark"
    ).fetchall())  # fmt: skip
    assert marks[3] == max(marks.values()) and 0.08 <= marks[2] / sum(marks.values()) <= 0.35


def test_databank_entries_obey_their_rules_and_cover_the_categories(small):
    db = small[0]
    entries = rows(db, DATABANK_ENTRY)
    for entry in entries:
        validate(DATABANK_ENTRY, entry)  # raises on a broken rule
        assert entry["description"] and entry["responsible_id"] and entry["identified_on"] <= TODAY.isoformat()
        if entry["status"] == "resolved":
            assert entry["closed_on"] and entry["outcome"]
    categories = dict(options(db, "difficulty_category"))
    found = {categories[e["category_id"]] for e in entries}
    assert len(found) >= 6
    assert {"Академическая неуспеваемость по предмету", "Группа риска ГИА (9, 11 классы)", "ОВЗ",
            "Одарённость"} <= found  # fmt: skip
    statuses = [e["status"] for e in entries]
    assert statuses.count("active") > len(entries) / 2 and statuses.count("resolved") >= 2
    grades = db.execute(
        "SELECT DISTINCT s.grade FROM databank_entry e JOIN student s ON s.id = e.student_id "
        "JOIN ref_item r ON r.id = e.category_id WHERE r.name = 'Группа риска ГИА (9, 11 классы)'"
    ).fetchall()
    assert grades and {g for (g,) in grades} <= {9, 11}
    from_results = [e for e in entries if e["source"] == "entrance"]
    assert from_results and all(
        one(db, "SELECT assessment_id FROM databank_entry WHERE id = ?", (e["id"],)) for e in from_results
    )
    assert any(e["identified_on"] < f"{YEAR}-09-01" for e in entries)  # last year's too
    restricted = [e for e in entries if e["restricted_note"]]
    assert 0 < len(restricted) < len(entries) / 4
    assert all("restricted_note" not in row for row in databank(db))
    month = summary(db, min(TODAY, dt.date.today()))
    assert sum(r["this_month"] for r in month) > 0


def test_support_log_is_dated_within_the_entry_and_follows_pmpk(small):
    db = small[0]
    for identified, closed, day in db.execute(
        "SELECT e.identified_on, e.closed_on, s.date FROM support_entry s JOIN databank_entry e ON e.id = s.entry_id"
    ):
        assert identified <= day <= (closed or TODAY.isoformat())
        assert dt.date.fromisoformat(day).month not in (7, 8)  # nobody works with pupils in the holidays
    ovz = db.execute(
        "SELECT e.id FROM databank_entry e JOIN ref_item r ON r.id = e.category_id WHERE r.name = 'ОВЗ'"
    ).fetchall()
    assert ovz
    for (entry_id,) in ovz:
        kinds = [k for (k,) in db.execute("SELECT kind FROM support_entry WHERE entry_id = ? ORDER BY date, id",
                                          (entry_id,))]  # fmt: skip
        assert kinds[0] == "pmpk_recommendation" and "consent" in kinds
    assert one(db, "SELECT count(*) FROM support_entry WHERE kind = 'pmpk_fulfilment' AND fulfilled = 1") >= 1


def test_routes_are_made_from_databank_entries(small):
    db = small[0]
    made = one(db, "SELECT count(*) FROM learning_route WHERE databank_entry_id IS NOT NULL")
    assert made >= 5
    stray = one(db, "SELECT count(*) FROM learning_route l JOIN databank_entry e ON e.id = l.databank_entry_id "
                    "WHERE e.student_id != l.student_id")  # fmt: skip
    assert stray == 0


def _summer_days() -> list[dt.date]:
    """Days of the holidays and their edges, in the past (records check some dates against the real clock)."""
    real = dt.date.today()
    year = real.year if real >= dt.date(real.year, 8, 31) else real.year - 1
    return [dt.date(year, 5, 25), dt.date(year, 6, 15), dt.date(year, 7, 20), dt.date(year, 8, 31)]


@pytest.mark.parametrize("day", _summer_days(), ids=str)
def test_the_demo_builds_in_the_summer_holidays_too(tmp_path, day):
    db = open_database(tmp_path / "summer.db")
    counts = build_demo(db, today=day)
    assert counts["teacher_routes"] >= 4 and integrity(db) == "ok"
    db.close()
