"""Class analytics: the formulas on hand-computed examples; by term, half-year and year with the change against the
previous period (the same pupils a grade lower last year); all subjects by the lowest mark; the school's metrics;
and the time it takes on the large school."""

from __future__ import annotations

import datetime as dt
import random
import time

import pytest

from models import analytics, assessments, metrics, records, school
from models.analytics import Period
from models.db import transaction
from tests.test_assessments import add_pupils, control_work, subject_id, term_id, term_marks


def test_the_formulas_on_the_worked_example():
    # 25 pupils: three "5", eight "4", ten "3", four "2"
    figures = analytics.rates(3, 8, 10, 4)
    assert figures["pupils"] == 25
    assert figures["pass_rate"] == pytest.approx(84.0)
    assert figures["quality_rate"] == pytest.approx(44.0)
    assert figures["sou"] == pytest.approx((300 + 512 + 360 + 64) / 25) == pytest.approx(49.44)
    assert analytics.sou(0, 0, 0, 0, 2) == pytest.approx(7.0)
    assert analytics.rates(0, 0, 0, 0)["pass_rate"] is None


def test_the_worked_example_from_term_marks(db):
    school.create_academic_year(db, 2026)
    marks = [5] * 3 + [4] * 8 + [3] * 10 + [2] * 4
    pupils = add_pupils(db, 7, "В", [f"Ученик{i} Имя{i}" for i in range(25)])
    term_marks(db, term_id(db, 2026, 1), subject_id(db), 7, "В", dict(zip(pupils, marks)))
    (row,) = analytics.class_results(db, Period("term", 1, 1), subject_id=subject_id(db))  # one class: no total row
    assert row["class_name"] == "7В" and row["pupils"] == 25
    assert (row["n5"], row["n4"], row["n3"], row["n2"]) == (3, 8, 10, 4)
    assert row["pass_rate"] == pytest.approx(84) and row["quality_rate"] == pytest.approx(44)
    assert row["sou"] == pytest.approx(49.44)
    assert not row["is_total"] and row["pass_change"] is None


@pytest.fixture
def marks(db):
    """4А in 2025/26 became 5А in 2026/27 (the same four pupils); 5Б has two pupils in 2026/27."""
    y1 = school.create_academic_year(db, 2025)
    y2 = school.create_academic_year(db, 2026)
    a = add_pupils(db, 5, "А", ["Аверин Антон", "Белова Вера", "Громов Глеб", "Дёмина Дарья"])
    b = add_pupils(db, 5, "Б", ["Егоров Егор", "Жукова Жанна"])
    math, russian = subject_id(db), subject_id(db, "Русский язык")
    term_marks(db, term_id(db, 2025, 3), math, 4, "А", dict(zip(a, [4, 3, 2, 3])))
    term_marks(db, term_id(db, 2025, 4), math, 4, "А", dict(zip(a, [4, 4, 2, 2])))
    term_marks(db, term_id(db, 2026, 1), math, 5, "А", dict(zip(a, [5, 4, 3, 2])))
    term_marks(db, term_id(db, 2026, 2), math, 5, "А", dict(zip(a, [5, 5, 3, 3])))
    term_marks(db, term_id(db, 2026, 1), math, 5, "Б", dict(zip(b, [4, 3])))
    term_marks(db, term_id(db, 2026, 1), russian, 5, "А", dict(zip(a, [4, 2, 3, 3])))
    return {"y1": y1, "y2": y2, "a": a, "b": b, "math": math, "russian": russian}


def _by_class(rows):
    return {r["class_name"]: r for r in rows}


def test_by_term_with_the_change_against_the_term_before(db, marks):
    first = _by_class(analytics.class_results(db, Period("term", marks["y2"], 1), subject_id=marks["math"]))
    assert list(first) == ["5А", "5Б", analytics._("all classes")]
    a = first["5А"]
    assert (a["pass_rate"], a["quality_rate"], a["sou"]) == pytest.approx((75, 50, 54))  # 5 4 3 2
    # the term before is last year's 4th term: the same pupils in 4А got 4 4 2 2
    assert a["pass_change"] == pytest.approx(75 - 50) and a["pass_change_text"] == "+25"
    assert first["5Б"]["pass_change"] is None
    second = _by_class(analytics.class_results(db, Period("term", marks["y2"], 2), subject_id=marks["math"]))
    a = second["5А"]  # 5 5 3 3
    assert (a["pass_rate"], a["quality_rate"]) == pytest.approx((100, 50))
    assert (a["pass_change"], a["quality_change"]) == pytest.approx((25, 0)) and a["quality_change_text"] == "0"


def test_by_half_year_the_mark_is_the_rounded_mean_of_the_terms(db, marks):
    rows = _by_class(analytics.class_results(db, Period("half", marks["y2"], 1), subject_id=marks["math"], grade=5,
                                             letter="А"))  # fmt: skip
    a = rows["5А"]  # 5/5 → 5, 4/5 → 5 (4.5 rounds up), 3/3 → 3, 2/3 → 3
    assert (a["n5"], a["n4"], a["n3"], a["n2"]) == (2, 0, 2, 0)
    assert (a["pass_rate"], a["quality_rate"]) == pytest.approx((100, 50))
    # the half-year before: 2025/26 terms 3–4 of the same pupils in 4А: 4/4, 3/4, 2/2, 3/2 → 4 4 2 3
    assert a["pass_change"] == pytest.approx(100 - 75)
    assert a["sou_change"] == pytest.approx((100 * 2 + 36 * 2) / 4 - (64 * 2 + 16 + 36) / 4)
    assert list(rows) == ["5А"]  # one class: no total row


def test_by_year_against_the_year_before(db, marks):
    rows = _by_class(analytics.class_results(db, Period("year", marks["y2"]), subject_id=marks["math"], grade=5))
    assert set(rows) == {"5А", "5Б", analytics._("grade {n}, all classes").format(n=5)}
    a = rows["5А"]  # 5/5 → 5, 4/5 → 5, 3/3 → 3, 2/3 → 3
    assert a["pass_rate"] == pytest.approx(100)
    assert a["pass_change"] == pytest.approx(25)  # 2025/26 of the same pupils: 75 %


def test_all_subjects_count_a_pupil_by_the_lowest_mark(db, marks):
    rows = _by_class(analytics.class_results(db, Period("term", marks["y2"], 1)))
    a = rows["5А"]  # math 5 4 3 2, Russian 4 2 3 3 → lowest 4, 2, 3, 2
    assert (a["pupils"], a["n5"], a["n4"], a["n3"], a["n2"]) == (4, 0, 1, 1, 2)
    assert (a["pass_rate"], a["quality_rate"]) == pytest.approx((50, 25))
    assert a["sou"] == pytest.approx((100 + 64 * 2 + 36 * 3 + 16 * 2) / 8)  # over all eight marks
    total = rows[analytics._("all classes")]
    assert total["pupils"] == 6 and total["pass_rate"] == pytest.approx(4 / 6 * 100)


def test_other_kinds_of_assessment_can_be_analysed(db, marks):
    aid = control_work(db, marks["math"], day="2026-09-20", tasks=())
    assessments.save_results(db, aid, [{"student_id": s, "mark": m} for s, m in zip(marks["a"], [2, 2, 3, 4])])
    rows = _by_class(analytics.class_results(db, Period("term", marks["y2"], 1), kinds=("entrance",)))
    assert rows["5А"]["pass_rate"] == pytest.approx(50) and "5Б" not in rows


def test_dynamics_over_the_terms_follow_the_same_pupils(db, marks):
    points = analytics.dynamics(db, marks["y2"], subject_id=marks["math"], grade=5, letter="А")
    assert [p["date"] for p in points] == ["2026-03-20", "2026-05-26", "2026-10-24", "2026-12-28"]
    assert [round(p["pass_rate"]) for p in points] == [75, 50, 75, 100]


def test_periods_and_their_predecessors(db, marks):
    y1, y2 = marks["y1"], marks["y2"]
    assert analytics.previous_period(db, Period("term", y2, 1)) == Period("term", y1, 4)
    assert analytics.previous_period(db, Period("half", y2, 2)) == Period("half", y2, 1)
    assert analytics.previous_period(db, Period("half", y2, 1)) == Period("half", y1, 2)
    assert analytics.previous_period(db, Period("year", y1)) is None
    half = analytics.span(db, Period("half", y2, 1))
    assert (half.start, half.end) == ("2026-09-01", "2027-01-11")  # the winter holidays belong to the first half
    assert analytics.period_label(db, Period("half", y2, 2)) == analytics._("{year}, half-year {n}").format(
        year="2026/2027", n=2
    )
    assert [p.number for p in analytics.periods(db, y2, "term")] == [1, 2, 3, 4]


def test_class_choices_list_grades_then_classes(db, marks):
    labels = [label for _value, label in analytics.class_choices(db, marks["y2"])]
    assert labels == [analytics._("grade {n}, all classes").format(n=5), "5А", "5Б"]


def test_skill_solve_rates_join_tasks_of_one_skill(db, marks):
    aid = control_work(db, marks["math"], tasks=((1, 2, "Дроби"), (2, 2, "Дроби"), (3, 4, "")))
    assessments.save_results(db, aid, [{"student_id": marks["a"][0], "points": {1: 2, 2: 0, 3: 1}}])
    rows = analytics.skill_solve_rates(db, aid)
    assert [(r["skill"], r["tasks"], r["rate"]) for r in rows] == [
        ("Дроби", "1,2", 0.5),
        (analytics._("task {n}").format(n=3), "3", 0.25),
    ]


def test_assessment_overview_counts_who_wrote(db, marks):
    aid = control_work(db, marks["math"], tasks=())
    assessments.save_results(
        db, aid, [{"student_id": marks["a"][0], "mark": 5}, {"student_id": marks["a"][1], "absent": True}]
    )
    (row,) = analytics.assessment_overview(db, marks["y2"])
    assert (row["id"], row["wrote"], row["missed"], row["pass_rate"], row["class_name"]) == (aid, 1, 1, 100, "5А")
    assert len(analytics.assessment_overview(db, marks["y2"], with_term_marks=True)) == 5


def test_metrics_for_indicators(db, marks):
    on = dt.date(2026, 11, 1)  # the latest term ended is 2026/27 term 1: all subjects, 5А and 5Б
    assert metrics.value(db, "results_pass_rate", on) == pytest.approx(66.7)
    assert metrics.value(db, "results_quality_rate", on) == pytest.approx(33.3)
    assert metrics.value(db, "results_fail_share", on) == pytest.approx(33.3)
    assert metrics.value(db, "results_pass_rate", dt.date(2025, 9, 1)) is None
    category = db.execute("SELECT id FROM ref_item WHERE list = 'difficulty_category'").fetchone()[0]
    a = marks["a"]
    for student, identified, status, closed in (
        (a[0], "2026-10-01", "active", None),
        (a[1], "2026-09-15", "resolved", "2026-11-15"),
        (a[1], "2026-09-15", "active", None),
        (a[2], "2026-11-10", "active", None),
    ):
        db.execute(
            "INSERT INTO databank_entry (student_id, category_id, identified_on, status, closed_on) "
            "VALUES (?, ?, ?, ?, ?)",
            [student, category, identified, status, closed],
        )
    assert metrics.value(db, "databank_active", on) == 3
    assert metrics.value(db, "databank_active", dt.date(2026, 11, 20)) == 3
    assert metrics.value(db, "databank_pupils", dt.date(2026, 11, 20)) == 3
    assert metrics.value(db, "databank_pupils", on) == 2
    assert {"results_pass_rate", "results_quality_rate", "results_fail_share", "databank_active"} <= {
        key for key, _label in metrics.choices()
    }


# ---- the large school -----------------------------------------------------------------------------------------------


def make_large_school(db, pupils: int = 2000, subjects: int = 10, years: int = 5, seed: int = 1) -> dict:
    """Term marks of a large school: `pupils` pupils in classes of about 26, every subject, every term of `years`
    academic years (written straight into the tables: the test is about reading them)."""
    rng = random.Random(seed)
    first = 2026 - years + 1
    year_ids = [school.create_academic_year(db, y) for y in range(first, 2027)]
    subject_ids = [s for s, _n in records.options(db, "subject")][:subjects]
    letters = "АБВГДЕЖ"
    classes = [(g, letters[i]) for g in range(1, 12) for i in range(7)]
    per_class = pupils // len(classes) + 1
    students = []
    with transaction(db):
        for grade, letter in classes:
            for _i in range(per_class):
                if len(students) >= pupils:
                    break
                cursor = db.conn.execute(
                    "INSERT INTO student (last_name, first_name, grade, letter) VALUES (?, ?, ?, ?)",
                    [f"Фамилия{len(students)}", "Имя", grade, letter],
                )
                students.append((cursor.lastrowid, grade, letter, rng.choice((2, 3, 3, 4, 4, 4, 5, 5))))
    terms = db.execute(
        "SELECT t.id, t.end_date, y.start_date FROM term t JOIN academic_year y ON y.id = t.academic_year_id"
    ).fetchall()
    by_class: dict[tuple, list] = {}
    for sid, grade, letter, level in students:
        by_class.setdefault((grade, letter), []).append((sid, level))
    with transaction(db):  # the pupils who finished school before this year, so every year has all its classes
        for grade in range(12, 12 + years - 1):
            for letter in letters:
                for sid, _g, _l, level in [s for s in students if s[1] == 11 and s[2] == letter]:
                    cursor = db.conn.execute(
                        "INSERT INTO student (last_name, first_name, grade, letter, left_on) VALUES (?, ?, 11, ?, ?)",
                        [f"Выпускник{sid}-{grade}", "Имя", letter, f"{2026 - (grade - 11)}-08-31"],
                    )
                    by_class.setdefault((grade, letter), []).append((cursor.lastrowid, level))
    results = []
    with transaction(db):
        for term, end, year_start in terms:
            back = 2026 - int(year_start[:4])
            for (grade, letter), members in by_class.items():
                if not 1 <= grade - back <= 11:
                    continue
                for subject in subject_ids:
                    aid = db.conn.execute(
                        "INSERT INTO assessment (kind, subject_id, grade, class_letter, date, term_id) "
                        "VALUES ('term_marks', ?, ?, ?, ?, ?)",
                        [subject, grade - back, letter, end, term],
                    ).lastrowid
                    for sid, level in members:
                        results.append((aid, sid, max(2, min(5, level + rng.choice((-1, 0, 0, 1))))))
        db.conn.executemany("INSERT INTO assessment_result (assessment_id, student_id, mark) VALUES (?, ?, ?)", results)
    return {"years": year_ids, "subjects": subject_ids, "results": len(results)}


def test_the_large_school_is_analysed_quickly(db):
    data = make_large_school(db)
    assert data["results"] > 390_000  # about 2,000 pupils × 10 subjects × 4 terms × 5 years
    year = data["years"][-1]
    timings = {}
    for name, call in (
        ("term, all classes, one subject", lambda: analytics.class_results(db, Period("term", year, 2),
                                                                           subject_id=data["subjects"][0])),
        ("year, all classes, all subjects", lambda: analytics.class_results(db, Period("year", year))),
        ("half-year, grade 5, all subjects", lambda: analytics.class_results(db, Period("half", year, 1), grade=5)),
        ("dynamics of 5А over two years", lambda: analytics.dynamics(db, year, subject_id=data["subjects"][0],
                                                                      grade=5, letter="А")),
        ("metric: school pass rate", lambda: metrics.value(db, "results_pass_rate", dt.date(2027, 6, 1))),
    ):  # fmt: skip
        start = time.perf_counter()
        result = call()
        timings[name] = time.perf_counter() - start
        assert result
    print({k: f"{v * 1000:.0f} ms" for k, v in timings.items()})
    assert max(timings.values()) < 2.0, timings
