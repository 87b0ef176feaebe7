"""Meetings with the curator: numbering per academic year, holding, participants, decisions tracked to done and
turned into roadmap measures, the Home page's attention list, the demo year of meetings."""

from __future__ import annotations

import datetime as dt

import pytest

from models import meetings, programs, records, school
from models.records import ValidationError
from tests.conftest import count

TODAY = dt.date(2026, 11, 22)

# ---- data ------------------------------------------------------------------------------------------------------


@pytest.fixture
def years(db):
    return {2025: school.create_academic_year(db, 2025), 2026: school.create_academic_year(db, 2026)}


@pytest.fixture
def people(db, years):
    def person(last, first, middle, role=None):
        staff_id = records.save(db, school.STAFF, {"last_name": last, "first_name": first, "middle_name": middle})
        if role:
            records.save(db, school.WORKING_GROUP_MEMBER, {"staff_id": staff_id, "role": role})
        return staff_id

    found = {
        "director": person("Соколова", "Марина", "Петровна", "head"),
        "deputy": person("Орлова", "Нина", "Ивановна", "deputy"),
        "secretary": person("Ильина", "Ольга", "Сергеевна", "secretary"),
        "teacher": person("Зайцев", "Игорь", "Павлович"),
    }
    records.save(
        db,
        school.CURATOR,
        {"curator_school": "МБОУ «Гимназия № 2»", "full_name": "Белова Анна Викторовна", "position": "Директор"},
    )
    return found


def kind(db, name="Рабочая встреча с куратором") -> int:
    return dict((n, i) for i, n in records.options(db, "meeting_kind"))[name]


def meeting(db, day="2026-10-15", status="planned", **values) -> int:
    return meetings.save_meeting(db, {"kind_id": kind(db), "date": day, "status": status, **values}, today=TODAY)


def decision(db, meeting_id, text="Провести семинар", **values) -> int:
    return meetings.save_decision(db, {"meeting_id": meeting_id, "text": text, **values}, today=TODAY)


def number(db, meeting_id):
    return records.fetch(db, meetings.MEETING, meeting_id)["number"]


# ---- meetings and their numbers --------------------------------------------------------------------------------


def test_minutes_numbers_count_the_held_meetings_of_each_academic_year(db, years):
    first = meeting(db, "2025-10-01", "held")
    second = meeting(db, "2026-03-01", "held")
    planned = meeting(db, "2026-05-01")
    cancelled = meeting(db, "2026-04-01", "cancelled")
    new_year = meeting(db, "2026-09-25", "held")
    assert [number(db, m) for m in (first, second, planned, cancelled, new_year)] == [1, 2, None, None, 1]
    assert records.fetch(db, meetings.MEETING, new_year)["academic_year_id"] == years[2026]
    assert meetings.meeting_label(records.fetch(db, meetings.MEETING, second)) == "Протокол № 2 от 01.03.2026"
    assert meetings.meeting_label(records.fetch(db, meetings.MEETING, planned)) == "Встреча 01.05.2026"


def test_holding_assigns_the_next_number_and_adds_the_people(db, people):
    meeting(db, "2026-09-20", "held")
    planned = meeting(db, "2026-10-15", time="14:30")
    assert meetings.hold_defaults(db, planned, TODAY)["number"] == 2
    assert (
        meetings.hold(
            db,
            planned,
            add_working_group=True,
            add_curator=True,
            chair_id=people["director"],
            secretary_id=people["secretary"],
            today=TODAY,
        )
        == 2
    )
    held = records.fetch(db, meetings.MEETING, planned)
    assert (held["status"], held["number"], held["time"]) == ("held", 2, "14:30")
    rows = meetings.participant_rows(db, planned)
    assert len(rows) == 4 and all(p["present"] for p in rows)
    curator = next(p for p in rows if not p["staff_id"])
    assert curator["name"] == "Белова Анна Викторовна"
    assert curator["position"] == "куратор, директор МБОУ «Гимназия № 2»"


def test_holding_is_one_transaction(db, people):
    planned = meeting(db)
    db.execute(
        "CREATE TEMP TRIGGER no_people BEFORE INSERT ON meeting_participant BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    with pytest.raises(ValidationError):
        meetings.hold(db, planned, add_working_group=True, today=TODAY)
    stored = records.fetch(db, meetings.MEETING, planned)
    assert (stored["status"], stored["number"]) == ("planned", None)


def test_holding_a_cancelled_or_held_meeting_is_refused_with_one_message(db, years):
    cancelled = meeting(db, status="cancelled")
    with pytest.raises(ValidationError) as caught:
        meetings.hold(db, cancelled, today=TODAY)
    assert list(caught.value.errors.values()) == [
        "Встреча отмечена как не состоявшаяся. Если она всё же состоялась, сначала верните ей статус «запланирована»."
    ]
    assert records.fetch(db, meetings.MEETING, cancelled)["status"] == "cancelled"
    held = meeting(db, "2026-10-01", "held")
    with pytest.raises(ValidationError, match="уже проведена: протокол № 1"):
        meetings.hold(db, held, today=TODAY)
    with pytest.raises(ValidationError, match="Встречи № 999 нет"):
        meetings.hold(db, 999, today=TODAY)


def test_a_chosen_number_is_kept_unless_taken(db, years):
    meeting(db, "2026-09-20", "held")
    planned = meeting(db, "2026-10-15")
    with pytest.raises(ValidationError) as caught:
        meetings.hold(db, planned, number=1, today=TODAY)
    assert caught.value.errors == {"number": "Протокол № 1 за 2026/2027 уже есть (встреча 20.09.2026)."}
    assert meetings.hold(db, planned, number=5, today=TODAY) == 5  # paper minutes 2–4 came before the program
    assert meetings.next_number(db, years[2026]) == 6


def test_a_held_meeting_keeps_its_number_and_loses_it_when_planned_again(db, years):
    first = meeting(db, "2026-09-20", "held")
    second = meeting(db, "2026-10-15", "held")
    meetings.save_meeting(db, {"place": "Актовый зал"}, second, today=TODAY)
    assert number(db, second) == 2
    meetings.save_meeting(db, {"date": "15.05.2026"}, second, today=TODAY)  # typed into last year by mistake
    assert (number(db, second), records.fetch(db, meetings.MEETING, second)["academic_year_id"]) == (1, years[2025])
    meetings.save_meeting(db, {"status": "planned"}, first, today=TODAY)
    assert number(db, first) is None


def test_a_date_outside_every_academic_year_is_refused(db, years):
    with pytest.raises(ValidationError) as caught:
        meeting(db, "2024-10-15")
    assert caught.value.errors == {
        "date": "Дата 15.10.2024 не входит ни в один учебный год. Сначала добавьте "
        "учебный год в разделе «Школа и команда»."
    }
    with pytest.raises(ValidationError) as caught:
        meeting(db, "31.02.2027")
    assert list(caught.value.errors) == ["date"]
    assert count(db, "meeting") == 0


def test_time_is_typed_as_hours_and_minutes(db, years):
    assert records.fetch(db, meetings.MEETING, meeting(db, time="9.30"))["time"] == "09:30"
    for wrong in ("25:00", "14:3", "в обед"):
        with pytest.raises(ValidationError) as caught:
            meeting(db, time=wrong)
        assert caught.value.errors == {"time": "Введите время как чч:мм, например 14:30."}
    assert count(db, "meeting") == 1


def test_a_held_meeting_is_not_in_the_future_and_chair_is_not_secretary(db, people):
    with pytest.raises(ValidationError) as caught:
        meeting(db, "2026-12-01", "held")
    assert "date" in caught.value.errors
    with pytest.raises(ValidationError) as caught:
        meeting(db, chair_id=people["deputy"], secretary_id=people["deputy"])
    assert "secretary_id" in caught.value.errors
    assert count(db, "meeting") == 0


def test_plan_a_series_of_dates_at_once(db, years):
    values = {"kind_id": kind(db), "dates": "25.09.2026, 23.10.2026;11.12.2026  26.02.2027", "time": "14.00"}
    made = meetings.plan_series_from_form(db, values)
    assert len(made) == 4
    assert {m["time"] for m in meetings.meeting_rows(db)} == {"14:00"}
    assert len(meetings.plan_series_from_form(db, {**values, "dates": "25.09.2026, 16.06.2027"})) == 1
    with pytest.raises(ValidationError) as caught:
        meetings.plan_series_from_form(db, {**values, "dates": "25.09.2026"})
    assert "уже есть" in caught.value.errors["dates"]
    with pytest.raises(ValidationError) as caught:
        meetings.plan_series_from_form(db, {**values, "dates": "01.03.2027, 32.03.2027"})
    assert caught.value.errors["dates"].startswith("«32.03.2027» — не дата")
    assert count(db, "meeting") == 5
    assert [m["date"] for m in meetings.upcoming(db, TODAY)] == ["2026-12-11", "2027-02-26", "2027-06-16"]


# ---- participants ------------------------------------------------------------------------------------------------


def test_participants_are_staff_or_invited_and_never_twice(db, people):
    m = meeting(db)
    meetings.save_participant(db, {"meeting_id": m, "staff_id": people["teacher"]})
    with pytest.raises(ValidationError, match="уже в списке участников"):
        meetings.save_participant(db, {"meeting_id": m, "staff_id": people["teacher"]})
    with pytest.raises(ValidationError) as caught:
        meetings.save_participant(db, {"meeting_id": m})
    assert caught.value.errors == {"staff_id": "Выберите сотрудника или введите ФИО приглашённого."}
    with pytest.raises(ValidationError) as caught:
        meetings.save_participant(db, {"meeting_id": m, "staff_id": people["deputy"], "outside_name": "Петров"})
    assert "outside_name" in caught.value.errors
    with pytest.raises(ValidationError) as caught:
        meetings.save_participant(db, {"meeting_id": m, "staff_id": 9999})
    assert caught.value.errors == {"staff_id": "Выберите одно из значений списка."}
    assert meetings.add_working_group_members(db, m) == 3
    assert meetings.add_working_group_members(db, m) == 0
    curator = meetings.add_curator_participant(db, m)
    assert meetings.add_curator_participant(db, m) == curator
    meetings.set_presence(db, [curator], present=False)
    assert count(db, "meeting_participant") == 5
    assert [p["present"] for p in meetings.participant_rows(db, m) if not p["staff_id"]] == [0]


def test_without_a_curator_adding_one_says_where_to_enter_it(db, years):
    m = meeting(db)
    with pytest.raises(ValidationError, match="Школа и команда"):
        meetings.add_curator_participant(db, m)
    assert meetings.hold_defaults(db, m, TODAY)["add_curator"] is False


# ---- decisions ---------------------------------------------------------------------------------------------------


def test_decision_rules_and_one_clear_message_for_bad_input(db, people):
    m = meeting(db, "2026-10-15", "held")
    with pytest.raises(ValidationError) as caught:
        decision(db, m, text="   ")
    assert caught.value.errors == {"text": "Заполните это поле."}
    with pytest.raises(ValidationError) as caught:
        decision(db, m, owner_id=4242)
    assert caught.value.errors == {"owner_id": "Выберите одно из значений списка."}
    with pytest.raises(ValidationError) as caught:
        decision(db, m, due_date="01.10.2026")
    assert caught.value.errors == {"due_date": "Срок исполнения раньше даты встречи (15.10.2026)."}
    with pytest.raises(ValidationError) as caught:
        decision(db, m, status="done", done_on="2026-12-01")
    assert "done_on" in caught.value.errors
    with pytest.raises(ValidationError) as caught:
        decision(db, m, status="open", done_on="2026-11-01")
    assert "status" in caught.value.errors
    assert count(db, "decision") == 0
    first = decision(db, m, status="done")  # done today when no date is given
    assert records.fetch(db, meetings.DECISION, first)["done_on"] == TODAY.isoformat()
    second = decision(db, m)
    assert [records.fetch(db, meetings.DECISION, d)["position"] for d in (first, second)] == [1, 2]


def test_overdue_is_computed_not_stored(db, people):
    m = meeting(db, "2026-10-15", "held")
    late = decision(db, m, due_date="2026-11-01")
    decision(db, m, due_date="2026-11-01", status="done", done_on="2026-10-30")
    soon = decision(db, m, due_date="2026-12-01")
    undated = decision(db, m)
    assert "overdue" not in [r[1] for r in db.execute("PRAGMA table_info(decision)")]
    rows = {d["id"]: d for d in meetings.decision_rows(db, today=TODAY)}
    assert [i for i, d in rows.items() if d["overdue"]] == [late]
    open_ones = meetings.decision_rows(db, include_closed=False, today=TODAY)
    assert [d["id"] for d in open_ones] == [late, soon, undated]  # the nearest due date first
    assert [d["id"] for d in meetings.decision_rows(db, overdue_only=True, today=TODAY)] == [late]
    assert meetings.meeting_rows(db)[0]["decisions"] == "4, не выполнено: 3"


def test_bulk_done_is_one_transaction(db, people):
    early = meeting(db, "2026-10-15", "held")
    later = meeting(db, "2026-11-20", "held")
    a, b = decision(db, early), decision(db, later)
    with pytest.raises(ValidationError) as caught:  # done before the later meeting was held: nothing changes
        meetings.set_decision_status(db, [a, b], "done", done_on="2026-11-01", today=TODAY)
    assert "done_on" in caught.value.errors
    assert {r[0] for r in db.execute("SELECT status FROM decision")} == {"open"}
    meetings.set_decision_status(db, [a, b], "done", today=TODAY)
    assert {r for r in db.execute("SELECT status, done_on FROM decision")} == {("done", "2026-11-22")}
    meetings.set_decision_status(db, [a], "open", today=TODAY)
    assert records.fetch(db, meetings.DECISION, a)["done_on"] is None


def test_a_decision_becomes_a_roadmap_measure_and_both_sides_show_the_link(db, people, years):
    (program,) = programs.create_programs(db, years[2026], [records.options(db, "risk_factor")[0][0]])
    m = meeting(db, "2026-10-15", "held")
    d = decision(
        db,
        m,
        text="Организовать дополнительные занятия по математике",
        owner_id=people["teacher"],
        owner_text="учителя математики",
        due_date="2026-11-30",
    )
    measure_id = meetings.decision_to_measure(db, d, program)
    measure = records.fetch(db, programs.MEASURE, measure_id)
    assert (
        measure["title"],
        measure["due_date"],
        measure["responsible"],
        measure["responsible_text"],
        measure["status"],
    ) == (
        "Организовать дополнительные занятия по математике",
        "2026-11-30",
        [people["teacher"]],
        "учителя математики",
        "planned",
    )
    assert measure["start_date"] == "2026-10-15"
    assert records.fetch(db, meetings.DECISION, d)["measure_id"] == measure_id
    row = next(r for r in meetings.decision_rows(db, today=TODAY) if r["id"] == d)
    assert row["measure"] == measure["title"]
    (linked,) = meetings.decisions_for_measure(db, measure_id)
    assert linked["label"] == "Решение протокола № 1 от 15.10.2026" and linked["id"] == d
    with pytest.raises(ValidationError, match="уже в дорожной карте"):
        meetings.decision_to_measure(db, d, program)
    assert count(db, "measure") == 1


def test_decision_to_measure_is_one_transaction_and_refuses_what_cannot_go(db, people, years):
    (program,) = programs.create_programs(db, years[2026], [records.options(db, "risk_factor")[0][0]])
    held = meeting(db, "2026-10-15", "held")
    d = decision(db, held)
    db.execute(
        "CREATE TEMP TRIGGER no_link BEFORE UPDATE OF measure_id ON decision BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    with pytest.raises(Exception, match="refused"):
        meetings.decision_to_measure(db, d, program)
    db.execute("DROP TRIGGER no_link")
    assert count(db, "measure") == 0 and records.fetch(db, meetings.DECISION, d)["measure_id"] is None
    cancelled = decision(db, held, status="cancelled")
    with pytest.raises(ValidationError, match="Отменённое решение"):
        meetings.decision_to_measure(db, cancelled, program)
    planned = decision(db, meeting(db, "2026-12-10"))
    with pytest.raises(ValidationError, match="после проведения встречи"):
        meetings.decision_to_measure(db, planned, program)
    with pytest.raises(ValidationError):
        meetings.decision_to_measure(db, d, 999)
    assert count(db, "measure") == 0


def test_attention_names_the_next_meeting_and_open_and_overdue_decisions(db, people):
    assert meetings.attention(db, TODAY) == {
        "next_meeting": None,
        "open_decisions": [],
        "overdue_decisions": [],
        "not_recorded": [],
    }
    held = meeting(db, "2026-10-15", "held")
    late = decision(db, held, due_date="2026-11-01")
    decision(db, held, due_date="2026-12-20")
    decision(db, held, status="done", done_on="2026-11-02")
    forgotten = meeting(db, "2026-11-10")
    meeting(db, "2027-02-26")
    nearest = meeting(db, "2026-12-11")
    found = meetings.attention(db, TODAY)
    assert found["next_meeting"]["id"] == nearest
    assert len(found["open_decisions"]) == 2
    assert [d["id"] for d in found["overdue_decisions"]] == [late]
    assert [m["id"] for m in found["not_recorded"]] == [forgotten]


# ---- the demo ----------------------------------------------------------------------------------------------------


def test_demo_year_of_meetings_in_the_rhythm_of_the_curator_visits(demo_db):
    today = dt.date.today()  # the demo school (build_demo) makes its year of meetings
    overdue = sum(d["overdue"] for d in meetings.decision_rows(demo_db, include_closed=True, today=today))
    one = lambda sql: demo_db.execute(sql).fetchone()[0]  # noqa: E731
    counts = {"meetings_held": one("SELECT count(*) FROM meeting WHERE status = 'held'"),
              "decisions": one("SELECT count(*) FROM decision"), "decisions_overdue": overdue,
              "measures_from_decisions": one("SELECT count(*) FROM decision WHERE measure_id IS NOT NULL"),
              "participants": count(demo_db, "meeting_participant")}
    rows = meetings.meeting_rows(demo_db)
    assert len(rows) >= 10
    names = dict(records.options(demo_db, "meeting_kind"))
    this_year = [m for m in rows if m["academic_year_id"] == school.academic_year_on(demo_db, today)["id"]]
    curator_kinds = [m for m in this_year if names[m["kind_id"]] != "Заседание рабочей группы"]
    assert len(curator_kinds) == 7 and len(this_year) == 10
    assert sorted({int(m["date"][5:7]) for m in curator_kinds}) == [2, 3, 4, 6, 9, 10, 12]
    held = [m for m in rows if m["status"] == "held"]
    assert len(held) == counts["meetings_held"] and all(m["date"] < today.isoformat() for m in held)
    for year in {m["academic_year_id"] for m in held}:
        mine = sorted((m for m in held if m["academic_year_id"] == year), key=lambda m: m["date"])
        assert [m["number"] for m in mine] == list(range(1, len(mine) + 1))
    assert all(m["number"] is None and m["date"] >= today.isoformat() for m in rows if m["status"] == "planned")
    decisions = meetings.decision_rows(demo_db, today=today)
    assert len(decisions) == counts["decisions"] and counts["decisions_overdue"] >= 1
    dates = {m["id"]: m["date"] for m in rows}
    assert all(d["due_date"] >= dates[d["meeting_id"]] for d in decisions)
    per_meeting = [sum(d["meeting_id"] == m["id"] for d in decisions) for m in held]
    assert all(2 <= n <= 4 for n in per_meeting)
    assert counts["measures_from_decisions"] == sum(bool(d["measure_id"]) for d in decisions)
    if count(demo_db, "program"):
        assert counts["measures_from_decisions"] >= 1
    assert count(demo_db, "meeting_participant") == counts["participants"] > 0
