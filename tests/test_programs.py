"""Risk profile, programs with approved versions, measures (overdue computed), indicators and metrics."""

import datetime as dt
import json

import pytest

from models import metrics, programs, records, school
from models.records import ValidationError
from tests.conftest import count

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def year(db):
    school.create_academic_year(db, 2025)
    return school.create_academic_year(db, 2026)


@pytest.fixture
def program(db, year):
    factor = records.options(db, "risk_factor")[2][0]
    (program_id,) = programs.create_programs(db, year, [factor])
    return program_id


def measure(db, program_id, **values):
    return records.save(db, programs.MEASURE, {"program_id": program_id, "title": "Семинар", **values})


def factor_ids(db):
    return [i for i, _name in records.options(db, "risk_factor")]


def test_risk_profile_lists_every_factor_with_last_years_significance(db, year):
    previous = programs.previous_year(db, year)["id"]
    first = factor_ids(db)[0]
    records.save(
        db,
        programs.RISK_ASSESSMENT,
        {
            "academic_year_id": previous,
            "risk_factor_id": first,
            "significance": "high",
            "justification": "Нет кабинета физики",
        },
    )
    records.save(
        db,
        programs.RISK_ASSESSMENT,
        {"academic_year_id": year, "risk_factor_id": first, "significance": "medium"},
    )
    profile = programs.risk_profile(db, year)
    assert len(profile) == 10
    row = next(r for r in profile if r["risk_factor_id"] == first)
    assert (row["significance"], row["previous_significance"]) == ("medium", "high")


def test_one_assessment_per_factor_and_year(db, year):
    first = factor_ids(db)[0]
    values = {"academic_year_id": year, "risk_factor_id": first, "significance": "low"}
    records.save(db, programs.RISK_ASSESSMENT, values)
    with pytest.raises(ValidationError, match="уже есть"):
        records.save(db, programs.RISK_ASSESSMENT, values)


def test_programs_for_chosen_factors_in_one_click_and_not_twice(db, year):
    chosen = factor_ids(db)[:3]
    made = programs.create_programs(db, year, chosen)
    assert len(made) == 3
    assert programs.create_programs(db, year, chosen) == []
    first = records.fetch(db, programs.PROGRAM, made[0])
    assert first["status"] == "draft" and first["start_date"] == "2026-09-01"
    assert first["title"].startswith("Программа антирисковых мер «")


def test_approving_needs_an_order_and_keeps_each_version(db, program):
    task = records.save(db, programs.PROGRAM_TASK, {"program_id": program, "text": "Повысить компетентность"})
    first = measure(db, program, task_id=task, title="Курсы ПК по ФГОС")
    with pytest.raises(ValidationError):
        programs.approve_from_form(db, program, {"order_number": "", "order_date": ""})
    assert programs.versions(db, program) == []
    v1 = programs.approve(db, program, "112-од", "2026-09-10", today=TODAY)
    records.save(db, programs.MEASURE, {"title": "Курсы ПК по ФГОС (скорректировано)"}, first)
    v2 = programs.approve(db, program, "15-од", "2027-01-20", note="Итоги полугодия", today=TODAY)
    assert [v["version"] for v in programs.versions(db, program)] == [1, 2]
    assert programs.version_snapshot(db, v1)["measures"][0]["title"] == "Курсы ПК по ФГОС"
    assert programs.version_snapshot(db, v2)["measures"][0]["title"].endswith("(скорректировано)")
    assert records.fetch(db, programs.PROGRAM, program)["order_number"] == "15-од"


def test_status_other_than_draft_needs_the_order(db, program):
    with pytest.raises(ValidationError) as caught:
        records.save(db, programs.PROGRAM, {"status": "approved"}, program)
    assert "order_number" in caught.value.errors


def test_measure_rules(db, program):
    with pytest.raises(ValidationError) as caught:
        measure(db, program, start_date="01.12.2026", due_date="01.11.2026")
    assert "due_date" in caught.value.errors
    with pytest.raises(ValidationError) as caught:
        measure(db, program, title="   ")
    assert "title" in caught.value.errors
    with pytest.raises(ValidationError) as caught:
        measure(db, program, status="done")
    assert "done_on" in caught.value.errors
    with pytest.raises(ValidationError) as caught:
        measure(db, program, status="planned", done_on="01.10.2026")
    assert "status" in caught.value.errors
    assert count(db, "measure") == 0


def test_a_task_of_another_program_is_refused(db, year, program):
    other = programs.create_programs(db, year, [factor_ids(db)[5]])[0]
    foreign = records.save(db, programs.PROGRAM_TASK, {"program_id": other, "text": "Чужая задача"})
    with pytest.raises(ValidationError) as caught:
        measure(db, program, task_id=foreign)
    assert "task_id" in caught.value.errors


def test_overdue_is_computed_not_stored(db, program):
    late = measure(db, program, due_date="2026-11-01", status="in_progress")
    measure(db, program, due_date="2026-11-01", status="done", done_on="2026-10-30")
    measure(db, program, deadline_text="в течение года")
    soon = measure(db, program, due_date="2026-11-30")
    assert programs.attention(db, TODAY)["overdue"] == []  # a draft program raises no alarms
    programs.approve(db, program, "112-од", "2026-09-10", today=TODAY)
    columns = [r[1] for r in db.execute("PRAGMA table_info(measure)")]
    assert "overdue" not in columns
    rows = {r["id"]: r for r in programs.roadmap(db, today=TODAY)}
    assert rows[late]["overdue"] and not rows[soon]["overdue"]
    attention = programs.attention(db, TODAY)
    assert [m["id"] for m in attention["overdue"]] == [late]
    assert [m["id"] for m in attention["upcoming"]] == [soon]


def test_roadmap_filters(db, year, program):
    teacher = records.save(db, school.STAFF, {"last_name": "Орлова", "first_name": "Нина"})
    a = measure(
        db,
        program,
        title="Входная контрольная работа",
        start_date="2026-09-10",
        due_date="2026-09-20",
        responsible=[teacher],
    )
    b = measure(db, program, title="Анализ ВПР", due_date="2027-04-30", status="in_progress")
    other = programs.create_programs(db, year, [factor_ids(db)[7]])[0]
    c = measure(db, other, title="Родительское собрание", due_date="2026-10-15")
    ids = lambda **kw: [m["id"] for m in programs.roadmap(db, programs.RoadmapFilter(**kw), TODAY)]  # noqa: E731
    assert ids(program_id=program) == [a, b]
    assert ids(staff_id=teacher) == [a]
    assert ids(status="in_progress") == [b]
    assert ids(start="2026-09-01", end="2026-12-31") == [a, c]
    assert ids(overdue_only=True) == [a, c]
    assert ids(text="впр") == [b]


def test_bulk_status_change_is_one_transaction(db, program):
    first, second = measure(db, program), measure(db, program)
    programs.set_status(db, [first, second], "done", done_on="2026-11-20")
    assert {records.fetch(db, programs.MEASURE, i)["done_on"] for i in (first, second)} == {"2026-11-20"}
    programs.set_status(db, [first], "planned")
    assert records.fetch(db, programs.MEASURE, first)["done_on"] is None
    with pytest.raises(ValidationError):
        programs.set_status(db, [first, second], "lost")


def test_deadline_labels():
    assert programs.deadline_label({"deadline_text": "в течение года", "due_date": None}) == "в течение года"
    assert (
        programs.deadline_label({"start_date": "2026-09-01", "due_date": "2026-09-30"})
        == "01.09.2026 – 30.09.2026"
    )
    assert programs.deadline_label({"due_date": "2026-09-30"}) == "30.09.2026"
    assert programs.deadline_label({"start_date": "2026-09-30"}) == "с 30.09.2026"


def test_evidence_is_kept_in_the_database_with_a_size_limit(db, program, tmp_path, monkeypatch):
    m = measure(db, program)
    scan = tmp_path / "приказ.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    evidence = programs.add_evidence(db, m, scan)
    assert programs.evidence_content(db, evidence) == ("приказ.pdf", b"%PDF-1.4 scan")
    monkeypatch.setattr(programs, "EVIDENCE_LIMIT", 10)
    with pytest.raises(ValidationError, match="не более"):
        programs.add_evidence(db, m, scan)
    assert len(programs.evidence_list(db, m)) == 1


def test_indicator_status_against_the_target(db, year, program):
    ind = records.save(
        db,
        programs.INDICATOR,
        {
            "program_id": program,
            "title": "Качество знаний",
            "unit": "%",
            "baseline": 30,
            "direction": "higher",
        },
    )
    indicator = records.fetch(db, programs.INDICATOR, ind)
    assert programs.indicator_status(db, indicator, TODAY)["status"] == "no_target"
    records.save(db, programs.INDICATOR_TARGET, {"indicator_id": ind, "academic_year_id": year, "target": 40})
    assert programs.indicator_status(db, indicator, TODAY)["status"] == "no_data"
    records.save(
        db, programs.INDICATOR_VALUE, {"indicator_id": ind, "measured_on": "2026-10-24", "value": 33}
    )
    assert programs.indicator_status(db, indicator, TODAY)["status"] == "on_track"  # a sixth of the year gone
    records.save(
        db, programs.INDICATOR_VALUE, {"indicator_id": ind, "measured_on": "2026-11-20", "value": 30}
    )
    assert programs.indicator_status(db, indicator, TODAY)["status"] == "behind"
    records.save(
        db, programs.INDICATOR_VALUE, {"indicator_id": ind, "measured_on": "2026-11-21", "value": 41}
    )
    assert programs.indicator_status(db, indicator, TODAY)["status"] == "achieved"


def test_home_lists_indicators_behind_or_not_measured_of_programs_in_force(db, year, program):
    def indicator(title: str, *values: float) -> int:
        ind = records.save(db, programs.INDICATOR, {"program_id": program, "title": title, "baseline": 30})
        records.save(db, programs.INDICATOR_TARGET, {"indicator_id": ind, "academic_year_id": year, "target": 40})
        for day, value in zip(("2026-11-20", "2026-11-21"), values):
            records.save(db, programs.INDICATOR_VALUE, {"indicator_id": ind, "measured_on": day, "value": value})
        return ind

    behind, silent = indicator("Качество знаний", 30), indicator("Успеваемость")
    indicator("Доля КПК", 42)  # achieved: nothing to look at
    assert programs.attention(db, TODAY)["indicators"] == []  # a draft program raises no alarms
    programs.approve(db, program, "112-од", "2026-09-10", today=TODAY)
    found = programs.attention(db, TODAY)["indicators"]
    assert {(i["id"], i["status"]) for i in found} == {(behind, "behind"), (silent, "no_data")}


def test_lower_is_better_indicator(db, year, program):
    ind = records.save(
        db,
        programs.INDICATOR,
        {"program_id": program, "title": "Доля «2» по математике", "baseline": 20, "direction": "lower"},
    )
    records.save(db, programs.INDICATOR_TARGET, {"indicator_id": ind, "academic_year_id": year, "target": 10})
    records.save(db, programs.INDICATOR_VALUE, {"indicator_id": ind, "measured_on": "2026-11-20", "value": 9})
    status = programs.indicator_status(db, records.fetch(db, programs.INDICATOR, ind), TODAY)
    assert status["status"] == "achieved"


def test_computed_indicator_needs_no_typing(db, year, program):
    staff = [
        records.save(
            db,
            school.STAFF,
            {"last_name": f"Учитель{i}", "first_name": "А", "birth_year": 1980, "hired_on": "2010-08-30"},
        )
        for i in range(4)
    ]
    records.save(
        db, programs.PD_COURSE, {"staff_id": staff[0], "title": "ФГОС ООО", "end_date": "2025-03-01"}
    )
    records.save(
        db, programs.PD_COURSE, {"staff_id": staff[1], "title": "ФГОС ООО", "end_date": "2022-03-01"}
    )
    assert metrics.value(db, "staff_pd_3y", TODAY) == 25.0
    ind = records.save(
        db,
        programs.INDICATOR,
        {"program_id": program, "title": "Доля педагогов с КПК", "metric": "staff_pd_3y"},
    )
    records.save(db, programs.INDICATOR_TARGET, {"indicator_id": ind, "academic_year_id": year, "target": 20})
    status = programs.indicator_status(db, records.fetch(db, programs.INDICATOR, ind), TODAY)
    assert (status["value"], status["status"]) == (25.0, "achieved")


def test_staff_metrics(db):
    records.save(db, school.STAFF, {"last_name": "А", "first_name": "Б", "birth_year": 1960, "gender": "f"})
    records.save(db, school.STAFF, {"last_name": "В", "first_name": "Г", "birth_year": 1963, "gender": "m"})
    records.save(
        db, school.STAFF, {"last_name": "Д", "first_name": "Е", "birth_year": 2000, "young_specialist": True}
    )
    assert metrics.value(db, "staff_pension", TODAY) == pytest.approx(33.3)  # the woman of 66; the man is 63
    assert metrics.value(db, "staff_young", TODAY) == pytest.approx(33.3)
    assert metrics.value(db, "staff_young", dt.date(1990, 1, 1)) == pytest.approx(33.3)


def test_snapshot_is_plain_json(db, program):
    measure(db, program, deadline_text="по отдельному графику")
    data = programs.snapshot(db, program)
    assert (
        json.loads(json.dumps(data, ensure_ascii=False))["measures"][0]["deadline"] == "по отдельному графику"
    )


def test_a_measure_worded_for_the_whole_year_is_in_every_period_of_its_program(db, program):
    yearly = measure(db, program, deadline_text="в течение года")
    in_term = programs.roadmap(db, programs.RoadmapFilter(start="2026-11-01", end="2026-12-31"), TODAY)
    assert [m["id"] for m in in_term] == [yearly]
    next_summer = programs.roadmap(db, programs.RoadmapFilter(start="2027-09-01", end="2027-12-31"), TODAY)
    assert next_summer == []
