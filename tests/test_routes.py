"""Learning routes of pupils and teachers: the rules, the aim line, routes made in one action from the databank and
from an assessment, effectiveness, the computed metrics and what the Home page is told."""

import datetime as dt
import random

import pytest

from models import assessments, metrics, records, routes, school
from models.databank import DATABANK_ENTRY
from models.i18n import _
from models.records import ValidationError
from tests.conftest import count

TODAY = dt.date(2026, 11, 22)


def option(db, ref: str, name: str) -> int:
    return next(i for i, label in records.options(db, ref) if label == name)


@pytest.fixture
def data(db):
    school.create_academic_year(db, 2025)
    school.create_academic_year(db, 2026)
    maths, russian = option(db, "subject", "Математика"), option(db, "subject", "Русский язык")
    teacher = records.save(
        db,
        school.STAFF,
        {"last_name": "Иванова", "first_name": "Мария", "middle_name": "Петровна", "subjects": [maths]},
    )
    mentor = records.save(db, school.STAFF, {"last_name": "Орлова", "first_name": "Анна", "subjects": [maths]})
    pupils = [
        records.save(
            db,
            school.STUDENT,
            {"last_name": last, "first_name": first, "grade": grade, "letter": "А", "birth_date": "2013-03-01"},
        )
        for last, first, grade in (("Петров", "Илья", 6), ("Сидорова", "Ева", 6), ("Котов", "Лев", 7))
    ]
    return {"maths": maths, "russian": russian, "teacher": teacher, "mentor": mentor, "pupils": pupils}


def route(db, data, **values) -> int:
    base = {
        "student_id": data["pupils"][0],
        "subject_id": data["maths"],
        "responsible_id": data["teacher"],
        "start_date": "2026-09-01",
        "end_date": "2026-12-25",
        "baseline": 6,
        "target": 14,
        "status": "active",
    }
    return routes.save_route(db, routes.STUDENT_ROUTE, {**base, **values})


def checkpoint(db, route_id, date, value):
    return routes.save_checkpoint(db, {"route_id": route_id, "date": date, "value": value}, today=TODAY)


def make_assessment(db, data, mark4=14.0, results=None) -> int:
    """An entrance test in maths for 6А: 4 tasks of 5 points; two of them check the same skill."""
    assessment_id = assessments.save_assessment(
        db,
        {
            "kind": "entrance",
            "subject_id": data["maths"],
            "grade": 6,
            "class_letter": "А",
            "date": "2026-09-15",
            "max_score": 20,
            "mark3": 8,
            "mark4": mark4,
            "mark5": 18,
        },
    )
    for number, skill in enumerate(("Дроби", "Проценты", "Дроби", None), start=1):
        records.save(
            db,
            assessments.ASSESSMENT_TASK,
            {"assessment_id": assessment_id, "number": number, "max_points": 5, "skill": skill},
        )
    assessments.save_results(
        db,
        assessment_id,
        results
        or [
            {"student_id": data["pupils"][0], "points": {1: 1, 2: 4, 3: 2, 4: 0}},  # deficits: Дроби, task 4
            {"student_id": data["pupils"][1], "points": {1: 5, 2: 5, 3: 5, 4: 4}},
            {"student_id": data["pupils"][2], "absent": True},
        ],
    )
    return assessment_id


# ---- one route: its record, dates, outcome ---------------------------------------------------------------------


def test_pupils_and_teachers_routes_share_one_table_and_list_apart(db, data):
    pupil_route = route(db, data)
    teacher_route = routes.save_route(
        db,
        routes.TEACHER_ROUTE,
        {
            "teacher_id": data["teacher"],
            "mentor_id": data["mentor"],
            "deficits": "Формирующее оценивание",
            "start_date": "2026-09-01",
            "end_date": "2027-05-29",
            "status": "active",
        },
    )
    assert count(db, "learning_route") == 2
    assert [r["id"] for r in records.rows(db, routes.STUDENT_ROUTE)] == [pupil_route]
    assert [r["id"] for r in routes.teacher_routes(db, today=TODAY)] == [teacher_route]
    assert db.execute("SELECT kind FROM learning_route WHERE id = ?", [teacher_route]).fetchone()[0] == "teacher"


def test_an_end_before_the_start_is_refused_and_nothing_is_saved(db, data):
    with pytest.raises(ValidationError) as error:
        route(db, data, start_date="2026-12-01", end_date="2026-11-01")
    assert set(error.value.errors) == {"end_date"}
    assert count(db, "learning_route") == 0


def test_the_mentor_is_another_teacher(db, data):
    with pytest.raises(ValidationError) as error:
        routes.save_route(
            db,
            routes.TEACHER_ROUTE,
            {
                "teacher_id": data["teacher"],
                "mentor_id": data["teacher"],
                "start_date": "2026-09-01",
                "end_date": "2027-05-29",
            },
        )
    assert set(error.value.errors) == {"mentor_id"}


def test_a_completed_route_needs_an_outcome_with_a_note_and_nothing_in_between(db, data):
    route_id = route(db, data)
    with pytest.raises(ValidationError) as error:
        routes.save_route(db, routes.STUDENT_ROUTE, {"status": "completed"}, route_id)
    assert set(error.value.errors) == {"outcome", "outcome_note"}
    for outcome in ("in_progress", ""):  # "in progress" is no outcome at close
        with pytest.raises(ValidationError):
            routes.complete_from_form(
                db,
                route_id,
                {"outcome": outcome, "outcome_note": "Итоговая работа: 12", "closed_on": "2026-11-20"},
                today=TODAY,
            )
    with pytest.raises(ValidationError) as error:
        routes.complete_from_form(
            db, route_id, {"outcome": "partly", "outcome_note": " ", "closed_on": "2026-11-20"}, today=TODAY
        )
    assert set(error.value.errors) == {"outcome_note"}
    assert records.fetch(db, routes.STUDENT_ROUTE, route_id)["status"] == "active"
    routes.complete_route(db, route_id, "partly", "Закрыт дефицит по дробям", "2026-11-20", today=TODAY)
    stored = records.fetch(db, routes.STUDENT_ROUTE, route_id)
    assert (stored["status"], stored["outcome"], stored["end_date"]) == ("completed", "partly", "2026-11-20")


def test_an_outcome_belongs_to_a_completed_route_only(db, data):
    with pytest.raises(ValidationError) as error:
        route(db, data, outcome="achieved")
    assert set(error.value.errors) == {"outcome"}


def test_only_a_route_under_way_is_completed_and_not_before_its_last_checkpoint(db, data):
    draft = route(db, data, status="draft")
    with pytest.raises(ValidationError):
        routes.complete_route(db, draft, "achieved", "Цель достигнута", today=TODAY)
    active = route(db, data)
    checkpoint(db, active, "2026-11-10", 12)
    with pytest.raises(ValidationError) as error:
        routes.complete_route(db, active, "achieved", "Цель достигнута", "2026-11-01", today=TODAY)
    assert set(error.value.errors) == {"closed_on"}
    with pytest.raises(ValidationError):
        routes.complete_route(db, active, "achieved", "Цель достигнута", "2026-11-30", today=TODAY)  # future
    with pytest.raises(routes.RouteError):
        routes.complete_route(db, 999, "achieved", "Цель достигнута", today=TODAY)


# ---- checkpoints and steps ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("date", ["2026-08-31", "2026-12-26"])
def test_a_checkpoint_outside_the_routes_period_is_refused(db, data, date):
    route_id = route(db, data, end_date="2026-12-25")
    with pytest.raises(ValidationError) as error:
        routes.save_checkpoint(db, {"route_id": route_id, "date": date, "value": 9}, today=dt.date(2027, 1, 10))
    assert set(error.value.errors) == {"date"}
    assert count(db, "route_checkpoint") == 0


def test_a_checkpoint_in_the_future_is_refused(db, data):
    route_id = route(db, data)
    with pytest.raises(ValidationError) as error:
        checkpoint(db, route_id, "2026-11-23", 9)
    assert error.value.errors["date"] == _("The date cannot be in the future.")


def test_a_negative_checkpoint_or_one_above_ten_times_the_target_is_refused(db, data):
    route_id = route(db, data, target=14)
    for value in (-1, 141):
        with pytest.raises(ValidationError) as error:
            checkpoint(db, route_id, "2026-10-01", value)
        assert set(error.value.errors) == {"value"}
    checkpoint(db, route_id, "2026-10-01", 140)
    assert count(db, "route_checkpoint") == 1


def test_a_route_from_an_assessment_knows_its_maximum_score(db, data):
    assessment_id = make_assessment(db, data)
    route_id = routes.route_from_assessment(db, assessment_id, data["pupils"][0], start=dt.date(2026, 9, 20))
    with pytest.raises(ValidationError) as error:
        checkpoint(db, route_id, "2026-10-01", 21)
    assert error.value.errors["value"] == _("At most {max}: the maximum score of the assessment.").format(max="20")
    with pytest.raises(ValidationError):
        routes.save_route(db, routes.STUDENT_ROUTE, {"target": 25}, route_id)
    checkpoint(db, route_id, "2026-10-01", 20)


@pytest.mark.parametrize("status", ["cancelled", "completed"])
def test_no_step_is_added_to_a_cancelled_or_completed_route(db, data, status):
    route_id = route(db, data)
    routes.save_step(db, {"route_id": route_id, "topic": "Дроби", "due_date": "2026-10-01"}, today=TODAY)
    if status == "completed":
        routes.complete_route(db, route_id, "achieved", "Цель достигнута", today=TODAY)
    else:
        routes.save_route(db, routes.STUDENT_ROUTE, {"status": "cancelled"}, route_id)
    with pytest.raises(ValidationError) as error:
        routes.save_step(db, {"route_id": route_id, "topic": "Проценты"}, today=TODAY)
    assert list(error.value.errors) == [""]
    assert count(db, "route_step") == 1


def test_a_step_is_due_within_the_period_and_done_not_in_the_future(db, data):
    route_id = route(db, data)
    with pytest.raises(ValidationError) as error:
        routes.save_step(db, {"route_id": route_id, "topic": "Дроби", "due_date": "2027-01-15"}, today=TODAY)
    assert set(error.value.errors) == {"due_date"}
    with pytest.raises(ValidationError) as error:
        routes.save_step(db, {"route_id": route_id, "topic": "Дроби", "done_on": "2026-11-30"}, today=TODAY)
    assert set(error.value.errors) == {"done_on"}
    assert count(db, "route_step") == 0


def test_steps_are_marked_done_at_once_only_on_a_route_under_way(db, data):
    route_id = route(db, data)
    ids = [routes.save_step(db, {"route_id": route_id, "topic": t}, today=TODAY) for t in ("Дроби", "Проценты")]
    assert routes.mark_steps_done(db, ids, today=TODAY) == 2
    assert {s["done_on"] for s in routes.steps(db, route_id)} == {TODAY.isoformat()}
    draft = route(db, data, status="draft")
    step = routes.save_step(db, {"route_id": draft, "topic": "Дроби"}, today=TODAY)
    with pytest.raises(ValidationError):
        routes.mark_steps_done(db, [step], today=TODAY)
    assert routes.steps(db, draft)[0]["done_on"] is None


def test_only_a_draft_is_deleted_with_its_steps(db, data):
    draft, active = route(db, data, status="draft"), route(db, data)
    routes.save_step(db, {"route_id": draft, "topic": "Дроби"}, today=TODAY)
    with pytest.raises(routes.RouteError):
        routes.delete_route(db, active)
    routes.delete_route(db, draft)
    assert count(db, "learning_route") == 1 and count(db, "route_step") == 0


# ---- the aim line ----------------------------------------------------------------------------------------------


AIMED = {"start_date": "2026-09-01", "end_date": "2026-12-10", "baseline": 6.0, "target": 16.0}  # 100 days, +0.1/day


def points(*pairs):
    return [{"date": d, "value": v} for d, v in pairs]


@pytest.mark.parametrize(
    ("values", "revise"),
    [
        ((("2026-09-21", 7), ("2026-10-11", 9), ("2026-10-31", 11)), True),  # aim there: 8, 10, 12
        ((("2026-09-21", 7), ("2026-10-11", 9), ("2026-10-31", 12)), False),  # the last one on the line
        ((("2026-09-21", 9), ("2026-10-11", 9), ("2026-10-31", 11)), False),  # the first one above
        ((("2026-10-11", 9), ("2026-10-31", 11)), False),  # only two
        ((("2026-09-11", 9), ("2026-09-21", 7), ("2026-10-11", 9), ("2026-10-31", 11)), True),  # the last three count
        ((("2026-10-31", 11), ("2026-09-21", 7), ("2026-10-11", 9)), True),  # order as dated, not as typed
        ((("2026-09-21", 7), ("2026-10-11", 9), ("2027-01-10", 15.9)), True),  # after the end the aim is the target
    ],
)
def test_needs_revision_when_the_last_three_checkpoints_lie_below_the_aim_line(values, revise):
    assert routes.needs_revision(AIMED, points(*values)) is revise


def test_without_a_baseline_or_target_there_is_no_aim_and_no_revision():
    low = points(("2026-09-21", 1), ("2026-10-11", 1), ("2026-10-31", 1))
    assert routes.needs_revision({**AIMED, "baseline": None}, low) is False
    assert routes.aim({**AIMED, "target": None}) is None


def test_a_falling_aim_is_missed_from_above():
    falling = {**AIMED, "baseline": 16.0, "target": 6.0}  # fewer errors is better: aim 15, 13, 11
    assert routes.needs_revision(falling, points(("2026-09-11", 15.5), ("2026-10-01", 13.5), ("2026-10-21", 11.5)))
    assert routes.aim_value(falling, "2026-10-21") == pytest.approx(11.0)


def test_revision_is_computed_for_routes_under_way_only_and_never_stored(db, data):
    route_id = route(db, data, start_date="2026-09-01", end_date="2026-12-10", baseline=6, target=16)
    for date, value in (("2026-09-21", 7), ("2026-10-11", 9), ("2026-10-31", 11)):
        checkpoint(db, route_id, date, value)
    assert routes.student_routes(db, today=TODAY)[0]["needs_revision"] is True
    assert [r["id"] for r in routes.attention(db, TODAY)["revision"]] == [route_id]
    routes.complete_route(db, route_id, "not_achieved", "Динамики нет", today=TODAY)
    assert routes.student_routes(db, today=TODAY)[0]["needs_revision"] is False


# ---- made in one action ----------------------------------------------------------------------------------------


def test_a_route_from_an_assessment_has_one_step_per_deficit_skill(db, data):
    assessment_id = make_assessment(db, data)
    route_id = routes.route_from_assessment(
        db, assessment_id, data["pupils"][0], start=dt.date(2026, 9, 20), end=dt.date(2026, 12, 20)
    )
    stored = records.fetch(db, routes.STUDENT_ROUTE, route_id)
    assert (stored["status"], stored["subject_id"], stored["assessment_id"]) == ("draft", data["maths"], assessment_id)
    assert (stored["baseline"], stored["target"]) == (7, 14)  # the total; the threshold of the mark 4
    step_rows = routes.steps(db, route_id)
    assert [s["topic"] for s in step_rows] == assessments.student_deficits(db, assessment_id, data["pupils"][0])
    assert len(step_rows) == 2 and step_rows[0]["topic"] == "Дроби"  # tasks 1 and 3 check one skill
    assert all("2026-09-20" <= s["due_date"] < "2026-12-20" for s in step_rows)
    assert stored["deficits"].splitlines() == [s["topic"] for s in step_rows]


def test_a_route_made_in_one_action_is_all_or_nothing(db, data, monkeypatch):
    assessment_id = make_assessment(db, data)
    real, calls = routes.save_step, []

    def second_step_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ValidationError({"": "disk full"})
        return real(*args, **kwargs)

    monkeypatch.setattr(routes, "save_step", second_step_fails)
    with pytest.raises(ValidationError):
        routes.route_from_assessment(db, assessment_id, data["pupils"][0], start=dt.date(2026, 9, 20))
    assert count(db, "learning_route") == 0 and count(db, "route_step") == 0


def test_without_a_threshold_for_4_the_target_is_70_percent_of_the_maximum(db, data):
    assessment_id = make_assessment(db, data)
    assessments.save_assessment(db, {"mark4": None, "mark5": None}, assessment_id)
    route_id = routes.route_from_assessment(db, assessment_id, data["pupils"][0], start=dt.date(2026, 9, 20))
    assert records.fetch(db, routes.STUDENT_ROUTE, route_id)["target"] == 14.0


def test_a_route_from_an_assessment_is_refused_for_the_absent_the_unknown_and_twice(db, data):
    assessment_id = make_assessment(db, data)
    pupil, _other, absent = data["pupils"]
    for args in ((assessment_id, absent), (999, pupil)):
        with pytest.raises(routes.RouteError):
            routes.route_from_assessment(db, *args, start=dt.date(2026, 9, 20))
    routes.route_from_assessment(db, assessment_id, pupil, start=dt.date(2026, 9, 20))
    with pytest.raises(routes.RouteError, match=r"\d"):
        routes.route_from_assessment(db, assessment_id, pupil, start=dt.date(2026, 9, 20))
    assert count(db, "learning_route") == 1


def test_a_route_from_a_databank_entry_takes_its_pupil_subject_teacher_and_description(db, data):
    category = option(db, "difficulty_category", "Низкая учебная мотивация")
    entry = records.save(
        db,
        DATABANK_ENTRY,
        {
            "student_id": data["pupils"][2],
            "category_id": category,
            "subject_id": data["russian"],
            "identified_on": "2026-10-01",
            "responsible_id": data["teacher"],
            "description": "Не выполняет домашние",
        },
    )
    route_id = routes.route_from_databank_entry(db, entry, start=dt.date(2026, 11, 2))
    stored = records.fetch(db, routes.STUDENT_ROUTE, route_id)
    assert (
        stored["student_id"],
        stored["subject_id"],
        stored["responsible_id"],
        stored["deficits"],
        stored["databank_entry_id"],
    ) == (data["pupils"][2], data["russian"], data["teacher"], "Не выполняет домашние", entry)
    assert (stored["start_date"], stored["end_date"]) == ("2026-11-02", "2027-03-20")  # to the end of the next term
    assert routes.steps(db, route_id) == []
    with pytest.raises(routes.RouteError):
        routes.route_from_databank_entry(db, entry)  # one open route per entry
    with pytest.raises(routes.RouteError):
        routes.route_from_databank_entry(db, 999)


def test_an_entry_made_from_an_assessment_gives_the_steps(db, data):
    assessment_id = make_assessment(db, data)
    proposals = assessments.propose_databank_entries(db, assessment_id)
    assessments.create_databank_entries(db, [p for p in proposals if p["student_id"] == data["pupils"][0]])
    entry = db.execute("SELECT id FROM databank_entry").fetchone()[0]
    route_id = routes.route_from_databank_entry(db, entry, start=dt.date(2026, 9, 20))
    stored = records.fetch(db, routes.STUDENT_ROUTE, route_id)
    assert stored["assessment_id"] == assessment_id and stored["baseline"] == 7
    assert [s["topic"] for s in routes.steps(db, route_id)] == ["Дроби", assessments._skill(4, None)]


def test_a_closed_entry_or_a_pupil_who_left_gets_no_route(db, data):
    category = option(db, "difficulty_category", "Низкая учебная мотивация")
    closed = records.save(
        db,
        DATABANK_ENTRY,
        {
            "student_id": data["pupils"][0],
            "category_id": category,
            "identified_on": "2026-09-10",
            "status": "closed",
            "closed_on": "2026-10-10",
        },
    )
    with pytest.raises(routes.RouteError):
        routes.route_from_databank_entry(db, closed)
    records.save(db, school.STUDENT, {"left_on": "2026-10-01"}, data["pupils"][1])
    entry = records.save(
        db, DATABANK_ENTRY, {"student_id": data["pupils"][1], "category_id": category, "identified_on": "2026-09-10"}
    )
    with pytest.raises(routes.RouteError):
        routes.route_from_databank_entry(db, entry)
    assert count(db, "learning_route") == 0


# ---- effectiveness, metrics, attention ------------------------------------------------------------------------


def completed(db, data, pupil, subject, outcome, end="2026-11-15", entry=None):
    start = "2026-09-01" if end >= "2026-09-01" else "2025-09-01"
    route_id = route(
        db, data, student_id=pupil, subject_id=subject, databank_entry_id=entry, start_date=start, end_date="2026-12-20"
    )
    routes.complete_route(db, route_id, outcome, "Итоговая работа", end, today=TODAY)
    return route_id


def test_share_achieved_by_class_subject_and_databank_category(db, data):
    p6a, p6a_too, p7a = data["pupils"]
    category = option(db, "difficulty_category", "Академическая неуспеваемость по предмету")
    entry = records.save(
        db,
        DATABANK_ENTRY,
        {"student_id": p7a, "category_id": category, "subject_id": data["russian"], "identified_on": "2026-09-10"},
    )
    completed(db, data, p6a, data["maths"], "achieved")
    completed(db, data, p6a_too, data["maths"], "not_achieved")
    completed(db, data, p7a, data["russian"], "achieved", entry=entry)
    completed(db, data, p7a, data["russian"], "partly", end="2026-02-01")
    route(db, data)  # under way: not counted
    by_class = {r["group"]: (r["completed"], r["achieved"], r["share"]) for r in routes.effectiveness(db, "class")}
    assert by_class == {"6А": (2, 1, 50.0), "7А": (2, 1, 50.0)}
    by_subject = {r["group"]: r["share"] for r in routes.effectiveness(db, "subject")}
    assert by_subject == {"Математика": 50.0, "Русский язык": 50.0}
    by_category = {r["group"]: r["completed"] for r in routes.effectiveness(db, "category")}
    assert by_category == {"Академическая неуспеваемость по предмету": 1, _("not from the databank"): 3}
    this_year = routes.effectiveness(db, "class", "2026-09-01", "2027-08-31")
    assert {r["group"]: r["share"] for r in this_year} == {"6А": 50.0, "7А": 100.0}
    assert routes.effectiveness_summary(db, today=TODAY)["share"] == 50.0


def test_metrics_of_routes_are_registered_and_computed(db, data):
    assert {"routes_achieved_share", "routes_active", "teacher_routes_active"} <= set(metrics.METRICS)
    assert metrics.value(db, "routes_achieved_share", TODAY) is None
    completed(db, data, data["pupils"][0], data["maths"], "achieved")
    completed(db, data, data["pupils"][1], data["maths"], "partly")
    completed(db, data, data["pupils"][2], data["maths"], "achieved", end="2025-10-01")  # over a year ago
    route(db, data)
    route(db, data, status="draft")
    routes.save_route(
        db,
        routes.TEACHER_ROUTE,
        {"teacher_id": data["teacher"], "start_date": "2026-09-01", "end_date": "2027-05-29", "status": "active"},
    )
    assert metrics.value(db, "routes_achieved_share", TODAY) == 50.0
    assert metrics.value(db, "routes_active", TODAY) == 1
    assert metrics.value(db, "routes_active", dt.date(2026, 11, 10)) == 3  # the completed two were under way then
    assert metrics.value(db, "teacher_routes_active", TODAY) == 1
    assert metrics.value(db, "teacher_routes_active", dt.date(2026, 8, 1)) == 0


def test_home_is_told_of_steps_overdue_or_due_in_14_days_on_routes_under_way(db, data):
    active, draft = route(db, data), route(db, data, status="draft")
    for route_id in (active, draft):
        for topic, due in (
            ("Просрочен", "2026-11-20"),
            ("Скоро", "2026-12-06"),
            ("Позже", "2026-12-07"),
            ("Сделан", "2026-11-01"),
        ):
            routes.save_step(
                db,
                {
                    "route_id": route_id,
                    "topic": topic,
                    "due_date": due,
                    "done_on": "2026-11-01" if topic == "Сделан" else None,
                },
                today=TODAY,
            )
    found = routes.attention(db, TODAY)["steps"]
    assert [(s["topic"], s["overdue"], s["route_id"]) for s in found] == [
        ("Просрочен", True, active),
        ("Скоро", False, active),
    ]
    assert found[0]["who"] == "Петров Илья" and found[0]["class_name"] == "6А"
    assert [s["topic"] for s in routes.overdue_steps(db, TODAY)] == ["Просрочен"]
    assert {r["id"]: r["overdue_steps"] for r in routes.student_routes(db, today=TODAY)} == {active: 1, draft: 0}


def test_lists_filter_by_class_subject_status_and_revision(db, data):
    route(db, data)
    route(db, data, student_id=data["pupils"][2], subject_id=data["russian"], status="draft")
    flt = routes.RouteFilter
    assert len(routes.student_routes(db, flt(class_name="6"), TODAY)) == 1
    assert len(routes.student_routes(db, flt(class_name="7А"), TODAY)) == 1
    assert len(routes.student_routes(db, flt(subject_id=data["russian"]), TODAY)) == 1
    assert len(routes.student_routes(db, flt(status="active"), TODAY)) == 1
    assert routes.student_routes(db, flt(revision_only=True), TODAY) == []


def test_details_of_a_teachers_route_show_the_pd_courses(db, data):
    from models.programs import PD_COURSE

    records.save(
        db,
        PD_COURSE,
        {"staff_id": data["teacher"], "title": "Функциональная грамотность", "end_date": "2026-03-01", "hours": 36},
    )
    route_id = routes.save_route(
        db, routes.TEACHER_ROUTE, {"teacher_id": data["teacher"], "start_date": "2026-09-01", "end_date": "2027-05-29"}
    )
    details = routes.route_details(db, route_id, TODAY)
    assert [c["title"] for c in details["courses"]] == ["Функциональная грамотность"]
    assert routes.teacher_routes(db, today=TODAY)[0]["pd_courses"] == 1
    with pytest.raises(routes.RouteError):
        routes.route_details(db, 999)


# ---- the demo ---------------------------------------------------------------------------------------------------


def test_demo_routes_cover_every_state_and_obey_the_rules(demo_db):
    from models.db import transaction
    from models.demo_routes import build_routes

    today = dt.date.today()
    with transaction(demo_db):
        counts = build_routes(demo_db, random.Random(5), today)
    assert counts["student_routes"] >= 12 and counts["teacher_routes"] >= 2
    assert counts["routes_needing_revision"] >= 1 and counts["route_checkpoints"] > 0
    found = demo_db.execute("SELECT DISTINCT kind, status, outcome FROM learning_route").fetchall()
    for state in (
        ("student", "draft", None),
        ("student", "active", None),
        ("student", "cancelled", None),
        ("student", "completed", "achieved"),
        ("student", "completed", "partly"),
        ("student", "completed", "not_achieved"),
        ("teacher", "active", None),
    ):
        assert state in found
    assert (
        demo_db.execute(
            "SELECT count(*) FROM learning_route WHERE kind = 'teacher' AND mentor_id IS NOT NULL "
            "AND teacher_id IN (SELECT id FROM staff WHERE young_specialist = 1)"
        ).fetchone()[0]
        >= 1
    )
    active = routes.student_routes(demo_db, routes.RouteFilter(status="active"), today)
    assert any(0 < r["steps_done"] < r["steps_total"] for r in active)


def test_demo_routes_come_from_the_databank_and_the_results_when_there_are_some(demo_db):
    from models.db import transaction
    from models.demo_routes import build_routes

    pupil = demo_db.execute("SELECT id FROM student WHERE grade = 6 AND left_on IS NULL LIMIT 1").fetchone()[0]
    data = {"maths": option(demo_db, "subject", "Математика"), "pupils": [pupil, pupil, pupil]}
    assessment_id = make_assessment(demo_db, data, results=[{"student_id": pupil, "points": {1: 0, 2: 1, 3: 1, 4: 2}}])
    proposals = assessments.propose_databank_entries(demo_db, assessment_id)
    assessments.create_databank_entries(demo_db, proposals)
    with transaction(demo_db):
        build_routes(demo_db, random.Random(5), dt.date.today())
    assert demo_db.execute("SELECT count(*) FROM learning_route WHERE databank_entry_id IS NOT NULL").fetchone()[0]
