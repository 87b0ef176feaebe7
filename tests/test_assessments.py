"""Assessments: thresholds and marks, terms from dates, results with per-task points in one transaction, deficits,
and the databank entries proposed for pupils with a "2" or with deficits."""

from __future__ import annotations

import pytest

from models import assessments, records, school
from models.assessments import ASSESSMENT, ASSESSMENT_TASK
from models.i18n import _
from models.records import ValidationError
from tests.conftest import count

# ---- helpers shared by the assessment, analytics, import and UI tests --------------------------------------------


def subject_id(db, name: str = "Математика") -> int:
    return next(i for i, n in records.options(db, "subject") if n == name)


def add_pupils(db, grade: int, letter: str, names: list[str], **extra) -> list[int]:
    """Pupils of a class from 'Фамилия Имя [Отчество]' strings."""
    ids = []
    for name in names:
        parts = name.split()
        ids.append(
            records.save(
                db,
                school.STUDENT,
                {
                    "last_name": parts[0],
                    "first_name": parts[1],
                    "middle_name": parts[2] if len(parts) > 2 else None,
                    "grade": grade,
                    "letter": letter,
                    **extra,
                },
            )
        )
    return ids


def term_id(db, start_year: int, number: int) -> int:
    return db.execute(
        "SELECT t.id FROM term t JOIN academic_year y ON y.id = t.academic_year_id WHERE y.name = ? AND t.number = ?",
        [f"{start_year}/{start_year + 1}", number],
    ).fetchone()[0]


def term_marks(db, term: int, subject: int, grade: int, letter: str, marks: dict[int, int]) -> int:
    """The term marks of a class in a subject: one assessment of kind term_marks with a result per pupil."""
    end = db.execute("SELECT end_date FROM term WHERE id = ?", [term]).fetchone()[0]
    aid = assessments.save_assessment(
        db,
        {"kind": "term_marks", "subject_id": subject, "grade": grade, "class_letter": letter, "date": end,
         "term_id": term},
    )  # fmt: skip
    assessments.save_results(db, aid, [{"student_id": s, "mark": m} for s, m in marks.items()])
    return aid


TASKS = ((1, 2, "Дроби"), (2, 2, "Проценты"), (3, 4, "Текстовые задачи"))


def control_work(
    db, subject: int, grade=5, letter="А", day="2026-09-20", kind="entrance", tasks=TASKS, thresholds=(3, 5, 7)
):  # noqa: E501
    aid = assessments.save_assessment(
        db,
        {"kind": kind, "subject_id": subject, "grade": grade, "class_letter": letter, "date": day,
         "mark3": thresholds[0], "mark4": thresholds[1], "mark5": thresholds[2]},
    )  # fmt: skip
    for number, points, skill in tasks:
        records.save(
            db, ASSESSMENT_TASK, {"assessment_id": aid, "number": number, "max_points": points, "skill": skill}
        )
    return aid


@pytest.fixture
def year(db):
    return school.create_academic_year(db, 2026)


@pytest.fixture
def klass(db, year):
    return add_pupils(db, 5, "А", ["Иванов Иван Иванович", "Петрова Анна Сергеевна", "Сидоров Олег", "Фёдорова Юлия"])


# ---- thresholds and marks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "mark"), [(0, 2), (6.5, 2), (7, 3), (11.5, 3), (12, 4), (15.99, 4), (16, 5), (20, 5), (None, None)]
)
def test_mark_follows_the_minimum_scores(total, mark):
    assert assessments.mark_for({"mark3": 7, "mark4": 12, "mark5": 16}, total) == mark


def test_no_thresholds_no_mark_and_only_a_pass_mark():
    assert assessments.mark_for({"mark3": None, "mark4": None, "mark5": None}, 10) is None
    assert assessments.mark_for({"mark3": 7, "mark4": None, "mark5": None}, 10) == 3
    assert assessments.mark_for({"mark3": 7, "mark4": None, "mark5": None}, 6) == 2


def test_thresholds_must_grow_and_fit_the_max_score(db, year):
    base = {"kind": "vpr", "subject_id": subject_id(db), "grade": 5, "date": "2026-10-01", "max_score": 20}
    with pytest.raises(ValidationError) as err:
        assessments.save_assessment(db, {**base, "mark3": 8, "mark4": 8, "mark5": 15})
    assert set(err.value.errors) == {"mark4"}
    with pytest.raises(ValidationError) as err:
        assessments.save_assessment(db, {**base, "mark3": 8, "mark4": 12, "mark5": 25})
    assert set(err.value.errors) == {"mark5"}
    with pytest.raises(ValidationError) as err:
        assessments.save_assessment(db, {**base, "mark4": 12})
    assert set(err.value.errors) == {"mark3"}
    assert count(db, "assessment") == 0
    assessments.save_assessment(db, {**base, "mark3": 8, "mark4": 12, "mark5": 17, "class_letter": "б"})
    assert db.execute("SELECT class_letter FROM assessment").fetchone()[0] == "Б"


def test_the_term_comes_from_the_date_and_follows_it(db, year):
    aid = assessments.save_assessment(db, {"kind": "entrance", "subject_id": subject_id(db), "grade": 5,
                                           "date": "15.09.2026"})  # fmt: skip
    assert records.fetch(db, ASSESSMENT, aid)["term_id"] == term_id(db, 2026, 1)
    assessments.save_assessment(db, {"date": "20.01.2027"}, aid)
    assert records.fetch(db, ASSESSMENT, aid)["term_id"] == term_id(db, 2026, 3)
    # a term chosen by hand stays
    assessments.save_assessment(db, {"term_id": term_id(db, 2026, 2)}, aid)
    assessments.save_assessment(db, {"date": "22.01.2027"}, aid)
    assert records.fetch(db, ASSESSMENT, aid)["term_id"] == term_id(db, 2026, 2)


def test_term_marks_in_the_holidays_need_a_term(db, year):
    values = {"kind": "term_marks", "subject_id": subject_id(db), "grade": 5, "date": "2026-10-30"}
    with pytest.raises(ValidationError) as err:
        assessments.save_assessment(db, values)
    assert "term_id" in err.value.errors
    assessments.save_assessment(db, {**values, "term_id": term_id(db, 2026, 1)})
    assert count(db, "assessment") == 1


# ---- results -----------------------------------------------------------------------------------------------------


def test_results_total_is_the_sum_of_points_and_the_mark_follows_the_thresholds(db, klass):
    aid = control_work(db, subject_id(db))
    ivanov, petrova, sidorov, fedorova = klass
    counts = assessments.save_results(
        db,
        aid,
        [
            {"student_id": ivanov, "points": {1: 2, 2: 2, 3: 4}},
            {"student_id": petrova, "points": {1: 1, 2: 1, 3: 1}},
            {"student_id": sidorov, "points": {1: 2, 2: 1, 3: 1}, "mark": 3},  # a mark given is kept
            {"student_id": fedorova, "absent": True, "points": {1: 2}},
        ],
    )
    assert counts == {"added": 4, "updated": 0, "unchanged": 0}
    rows = db.execute(
        "SELECT student_id, total, mark, absent FROM assessment_result ORDER BY student_id"
    ).fetchall()  # fmt: skip
    assert rows == [(ivanov, 8, 5, 0), (petrova, 3, 3, 0), (sidorov, 4, 3, 0), (fedorova, None, None, 1)]
    assert count(db, "task_result") == 9
    again = assessments.save_results(
        db, aid, [{"student_id": ivanov, "points": {1: 2, 2: 2, 3: 4}}, {"student_id": petrova, "points": {1: 0}}]
    )
    assert again == {"added": 0, "updated": 1, "unchanged": 1}
    assert db.execute("SELECT total, mark FROM assessment_result WHERE student_id = ?", [petrova]).fetchone() == (0, 2)


def test_points_above_the_max_write_nothing(db, klass):
    aid = control_work(db, subject_id(db))
    with pytest.raises(ValidationError) as err:
        assessments.save_results(
            db,
            aid,
            [{"student_id": klass[0], "points": {1: 2, 2: 2}}, {"student_id": klass[1], "points": {1: 3, 4: 1}}],
        )
    message = " ".join(err.value.errors.values())
    assert "Петрова Анна" in message and "1" in message and "4" in message
    assert count(db, "assessment_result") == 0 and count(db, "task_result") == 0


def test_changed_thresholds_move_the_computed_marks_only(db, klass):
    aid = control_work(db, subject_id(db))
    assessments.save_results(
        db,
        aid,
        [
            {"student_id": klass[0], "points": {1: 2, 2: 2, 3: 2}},  # 6 → "4" by 3/5/7
            {"student_id": klass[1], "points": {1: 2, 2: 2, 3: 2}, "mark": 3},  # the teacher's own mark
        ],
    )
    assessments.save_assessment(db, {"mark3": 2, "mark4": 3, "mark5": 6}, aid)
    marks = dict(db.execute("SELECT student_id, mark FROM assessment_result").fetchall())
    assert marks == {klass[0]: 5, klass[1]: 3}


def test_result_form_saves_points_of_every_task(db, klass):
    aid = control_work(db, subject_id(db))
    rtype = assessments.result_form_type(db, aid)
    assert [f.name for f in rtype.fields] == ["student_id", "absent", "task_1", "task_2", "task_3", "mark"]
    assert len(rtype.field("student_id").choice_list()) == 4
    rid = assessments.save_result_form(db, aid, {"student_id": klass[0], "task_1": "1,5", "task_2": "2", "task_3": ""})
    assert db.execute("SELECT total, mark FROM assessment_result WHERE id = ?", [rid]).fetchone() == (3.5, 3)
    assert assessments.result_form_values(db, rid)["task_1"] == 1.5
    with pytest.raises(ValidationError) as err:
        assessments.save_result_form(db, aid, {"student_id": klass[1], "task_1": "5"})
    assert "task_1" in err.value.errors


# ---- deficits ----------------------------------------------------------------------------------------------------


@pytest.fixture
def written(db, klass):
    aid = control_work(db, subject_id(db))
    ivanov, petrova, sidorov, fedorova = klass
    assessments.save_results(
        db,
        aid,
        [
            {"student_id": ivanov, "points": {1: 2, 2: 2, 3: 4}},  # 8: "5", nothing missing
            {"student_id": petrova, "points": {1: 0, 2: 1, 3: 1}},  # 2: "2"; fractions 0/2, word problems 1/4
            {"student_id": sidorov, "points": {1: 2, 2: 0, 3: 3}},  # 5: "4"; percents 0/2
            {"student_id": fedorova, "absent": True},
        ],
    )
    return aid


def test_deficits_of_a_pupil_are_the_skills_solved_below_half(db, written, klass):
    assert assessments.student_deficits(db, written, klass[0]) == []
    assert assessments.student_deficits(db, written, klass[1]) == ["Дроби", "Текстовые задачи"]
    assert assessments.student_deficits(db, written, klass[2]) == ["Проценты"]
    # half the points is not a deficit at 50 %, but is at 60 %
    assert assessments.student_deficits(db, written, klass[1], threshold=0.6) == [
        "Дроби",
        "Проценты",
        "Текстовые задачи",
    ]


def test_solve_rates_of_the_class(db, written):
    # task 1: (2+0+2)/(3·2); task 2: (2+1+0)/(3·2); task 3: (4+1+3)/(3·4); the absent pupil is not counted
    rates = assessments.task_solve_rates(db, written)
    assert [(n, s) for n, s, _r in rates] == [(1, "Дроби"), (2, "Проценты"), (3, "Текстовые задачи")]
    assert [round(r, 4) for _n, _s, r in rates] == [round(4 / 6, 4), 0.5, round(8 / 12, 4)]
    assert assessments.class_deficits(db, written) == []
    assert assessments.class_deficits(db, written, threshold=0.6) == ["Проценты"]


# ---- proposals for the databank ----------------------------------------------------------------------------------


def test_proposals_for_a_two_and_for_deficits(db, written, klass):
    proposals = assessments.propose_databank_entries(db, written)
    assert [p["student_id"] for p in proposals] == [klass[1], klass[2]]
    petrova = proposals[0]
    assert petrova["category"] == "Академическая неуспеваемость по предмету"
    assert petrova["subject"] == "Математика" and petrova["identified_on"] == "2026-09-20"
    assert petrova["source"] == "entrance" and petrova["mark"] == 2 and petrova["class_name"] == "5А"
    assert "Дроби; Текстовые задачи" in petrova["description"] and not petrova["exists"]
    assert [p["suggested"] for p in proposals] == [True, False]  # a "4" with one gap is left to the teacher
    assert assessments.create_databank_entries(db, proposals) == 2
    row = db.execute(
        "SELECT student_id, category_id, subject_id, identified_on, source, status, assessment_id, description "
        "FROM databank_entry WHERE student_id = ?",
        [klass[1]],
    ).fetchone()
    assert row[3:7] == ("2026-09-20", "entrance", "active", written) and "Дроби" in row[7]


def test_proposals_skip_pupils_already_in_the_databank(db, written, klass):
    first = assessments.propose_databank_entries(db, written)
    assessments.create_databank_entries(db, first[:1])
    again = assessments.propose_databank_entries(db, written)
    assert [p["exists"] for p in again] == [True, False]
    assert assessments.create_databank_entries(db, again + again) == 1  # the existing one and the repeat are skipped
    assert count(db, "databank_entry") == 2


def test_a_pupil_who_left_is_not_proposed(db, written, klass):
    records.save(db, school.STUDENT, {"left_on": "2026-10-01"}, klass[1])
    assert [p["student_id"] for p in assessments.propose_databank_entries(db, written)] == [klass[2]]


def test_a_failed_mock_exam_in_grade_9_proposes_the_gia_risk_group(db, year):
    pupils = add_pupils(db, 9, "Б", ["Орлов Глеб", "Зайцева Ева"])
    aid = control_work(db, subject_id(db, "Русский язык"), grade=9, letter="Б", kind="mock", day="2026-11-10")
    assessments.save_results(
        db, aid, [{"student_id": pupils[0], "points": {1: 1, 2: 0, 3: 1}}, {"student_id": pupils[1], "mark": 4}]
    )
    (proposal,) = assessments.propose_databank_entries(db, aid)
    assert proposal["category"] == "Группа риска ГИА (9, 11 классы)" and proposal["source"] == "mock"
    assert assessments.create_databank_entries(db, [proposal]) == 1


def test_a_renamed_category_is_reported_not_guessed(db, written):
    db.execute("UPDATE ref_item SET name = 'Неуспеваемость' WHERE name = ?", [assessments.ACADEMIC_CATEGORY])
    with pytest.raises(ValidationError) as err:
        assessments.propose_databank_entries(db, written)
    assert assessments.ACADEMIC_CATEGORY in str(err.value)


def test_deleting_an_assessment_removes_its_tasks_and_results(db, written):
    records.delete(db, ASSESSMENT, written)
    assert count(db, "assessment_task") == count(db, "assessment_result") == count(db, "task_result") == 0


def test_term_of_year_names_the_year(db, year):
    names = dict(records.options(db, "term_of_year"))
    assert names[term_id(db, 2026, 3)] == _("{year}, term {n}").format(year="2026/2027", n=3)
    assert list(names)[0] == term_id(db, 2026, 4)  # the latest first
