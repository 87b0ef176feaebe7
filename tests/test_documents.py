"""Printed programs and roadmaps: approved versions print as approved, drafts say so, overdue shows."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from models import documents, i18n, programs, records, school
from models.documents import DocumentError
from models.programs import INDICATOR, INDICATOR_TARGET, MEASURE, PROGRAM, PROGRAM_TASK, RoadmapFilter

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 20)
OLD_TITLE = "Входные контрольные работы по математике"
NEW_TITLE = "Входные и рубежные контрольные работы по математике"
HOSTILE = "Программа <b>& =1+1"
SCHOOL = "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 5»"
FACTOR = "Высокая доля обучающихся с рисками учебной неуспешности"
TITLE = f"Программа антирисковых мер «{FACTOR}»"

# The Russian of the documents' strings, as handed to the catalog's maintainer. Used only while the catalog
# lacks a string, so these tests read Russian before and after the catalog catches up.
def poppler(tool: str) -> str:
    if not shutil.which(tool):
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return tool


def pages_text(path: Path) -> list[str]:
    """Every page's text with runs of white space made one space (table cells wrap their lines)."""
    out = subprocess.run([poppler("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True)
    return [" ".join(page.split()) for page in out.stdout.split("\f")[:-1]]


def text_of(path: Path) -> str:
    return " ".join(pages_text(path))


def page_size(path: Path) -> tuple[float, float]:
    info = subprocess.run([poppler("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    return float(width), float(height)


def ref_id(db, kind: str, name: str) -> int:
    return db.execute("SELECT id FROM ref_item WHERE list = ? AND name = ?", [kind, name]).fetchone()[0]


@pytest.fixture
def program(db) -> dict:
    return make_program(db)


def make_program(db) -> dict:
    """A school with a draft program: two tasks, five measures (one overdue on TODAY), two indicators."""
    school.setup_school(
        db,
        {
            "full_name": SCHOOL,
            "short_name": "МБОУ «СОШ № 5»",
            "status": "shnor",
            "director_last_name": "Иванова",
            "director_first_name": "Мария",
            "director_middle_name": "Петровна",
            "deputy_last_name": "Петрова",
            "deputy_first_name": "Анна",
            "deputy_middle_name": "Борисовна",
        },
        today=TODAY,
    )
    profile = school.school_profile(db)
    year_ids = {y["name"]: y["id"] for y in records.rows(db, school.ACADEMIC_YEAR)}
    year_ids["2027/2028"] = school.create_academic_year(db, 2027)
    teacher = records.save(
        db, school.STAFF, {"last_name": "Сидоров", "first_name": "Виктор", "middle_name": "Геннадьевич"}
    )
    program_id = records.save(
        db,
        PROGRAM,
        {
            "title": TITLE,
            "risk_factor_id": ref_id(db, "risk_factor", FACTOR),
            "goal": "Снижение доли обучающихся с рисками учебной неуспешности",
            "start_date": "2026-09-01",
            "end_date": "2027-08-31",
            "responsible_id": profile["deputy_id"],
            "status": "draft",
        },
    )
    tasks = [
        records.save(db, PROGRAM_TASK, {"program_id": program_id, "position": n, "text": text})
        for n, text in enumerate(
            ["Выявить обучающихся с трудностями в обучении", "Организовать адресную помощь обучающимся"], 1
        )
    ]
    plan = [
        (
            tasks[0],
            "Создание банка данных обучающихся, испытывающих затруднения в обучении",
            {
                "due_date": "2026-09-30",
                "status": "done",
                "done_on": "2026-09-28",
                "actual_result": "Банк данных сформирован: 34 обучающихся",
                "report_form_id": "Банк данных",
            },
        ),
        (
            tasks[0],
            OLD_TITLE,
            {
                "start_date": "2026-09-10",
                "due_date": "2026-10-15",
                "status": "planned",
                "responsible": [teacher],
                "report_form_id": "Аналитическая справка",
            },
        ),
        (
            tasks[1],
            "Индивидуальные консультации по математике",
            {
                "deadline_text": "в течение года",
                "start_date": "2026-09-01",
                "due_date": "2027-05-31",
                "status": "in_progress",
                "responsible_text": "учителя-предметники",
            },
        ),
        (
            tasks[1],
            "Заседание рабочей группы с куратором",
            {"due_date": "2026-12-15", "status": "planned", "report_form_id": "Протокол"},
        ),
        (None, "Информация о программе на сайте школы", {"due_date": "2026-10-01", "status": "cancelled"}),
    ]
    measures = {}
    for position, (task_id, title, extra) in enumerate(plan, 1):
        if "report_form_id" in extra:
            extra = {**extra, "report_form_id": ref_id(db, "report_form", extra["report_form_id"])}
        measures[title] = records.save(
            db,
            MEASURE,
            {
                "program_id": program_id,
                "task_id": task_id,
                "position": position,
                "title": title,
                "responsible": [profile["deputy_id"]],
                "expected_result": "Адресная помощь каждому ученику",
                **extra,
            },
        )
    for position, (title, unit, baseline, targets) in enumerate(
        [
            ("Доля обучающихся, успевающих по математике", "%", 78.5, (85, 90)),
            ("Количество обучающихся в банке данных", "чел.", 34, (30, 25)),
        ],
        1,
    ):
        indicator = records.save(
            db,
            INDICATOR,
            {
                "program_id": program_id,
                "position": position,
                "title": title,
                "unit": unit,
                "baseline": baseline,
                "baseline_date": "2026-09-01",
            },
        )
        for year, target in zip(("2026/2027", "2027/2028"), targets, strict=True):
            records.save(
                db,
                INDICATOR_TARGET,
                {"indicator_id": indicator, "academic_year_id": year_ids[year], "target": target},
            )
    return {"id": program_id, "measures": measures, "teacher": teacher}


def approve_twice(db, program: dict) -> tuple[int, int]:
    """Version 1 by order 45-о; then a measure renamed and version 2 by order 112-о."""
    first = programs.approve(db, program["id"], "45-о", "2026-08-29", today=dt.date(2026, 8, 30))
    records.save(db, MEASURE, {"title": NEW_TITLE}, program["measures"][OLD_TITLE])
    second = programs.approve(db, program["id"], "112-о", "2026-11-02", today=dt.date(2026, 11, 3))
    return first, second


def footers_count_pages(path: Path) -> None:
    pages = pages_text(path)
    for number, text in enumerate(pages, 1):
        assert i18n._("page {page} of {pages}").format(page=number, pages=len(pages)) in text


# ---- the program -------------------------------------------------------------------------------------------


def test_draft_program_prints_draft_instead_of_the_order(db, program, tmp_path):
    out = documents.print_program(db, program["id"], tmp_path / "draft.pdf", today=TODAY)

    text = text_of(out)
    assert out == tmp_path / "draft.pdf"
    assert "УТВЕРЖДАЮ" in text and "ПРОЕКТ" in text
    assert "приказ №" not in text
    assert "Директор МБОУ «СОШ № 5»" in text and "М. П. Иванова" in text
    assert "Разработчик: заместитель директора по УВР" in text and "А. Б. Петрова" in text
    footers_count_pages(out)


def test_current_and_approved_versions_print_what_was_approved(db, program, tmp_path):
    first, second = approve_twice(db, program)

    current = text_of(documents.print_program(db, program["id"], tmp_path / "now.pdf", today=TODAY))
    v1_path = documents.print_program(db, program["id"], tmp_path / "v1.pdf", version_id=first, today=TODAY)
    v1 = text_of(v1_path)
    v2 = text_of(documents.print_program(db, program["id"], tmp_path / "v2.pdf", version_id=second))

    for text in (current, v1, v2):
        assert "УТВЕРЖДАЮ" in text and "ПРОЕКТ" not in text
        assert SCHOOL in text and TITLE in text and FACTOR in text
        assert "Создание банка данных обучающихся, испытывающих затруднения в обучении" in text
        assert "в течение года" in text
        assert "Задача 2. Организовать адресную помощь обучающимся" in text
        assert "Целевое значение 2027/2028" in text and "78,5" in text
    assert "приказ № 112-о от 02.11.2026" in current and NEW_TITLE in current and "Версия" not in current
    assert "приказ № 45-о от 29.08.2026" in v1 and "Версия 1, утверждена 30.08.2026" in v1
    assert OLD_TITLE in v1 and NEW_TITLE not in v1
    assert "приказ № 112-о от 02.11.2026" in v2 and "Версия 2, утверждена 03.11.2026" in v2
    assert NEW_TITLE in v2
    footers_count_pages(v1_path)


def test_measures_are_numbered_by_task_with_deadlines_as_worded(db, program, tmp_path):
    text = text_of(documents.print_program(db, program["id"], tmp_path / "p.pdf", today=TODAY))

    assert "1.1 Создание банка данных" in text
    assert f"1.2 {OLD_TITLE} 10.09.2026 – 15.10.2026 Сидоров Виктор Геннадьевич" in text
    assert "2.1 Индивидуальные консультации по математике в течение года" in text
    assert "2.2 Заседание рабочей группы с куратором 15.12.2026" in text
    assert "3. Прочие мероприятия 3.1 Информация о программе на сайте школы" in text
    for word in ("Ответственные", "Ожидаемый", "отчётности", "Показатель", "п/п"):
        assert re.search(rf"(^|\s){word}(\s|$)", text), word  # header words are whole, never split


def test_a_change_after_approval_prints_as_a_draft_of_the_next_version(db, program, tmp_path):
    programs.approve(db, program["id"], "45-о", "2026-08-29", today=dt.date(2026, 8, 30))
    records.save(db, MEASURE, {"deadline_text": "по отдельному графику"}, program["measures"][OLD_TITLE])

    text = text_of(documents.print_program(db, program["id"], tmp_path / "p.pdf", today=TODAY))

    assert "ПРОЕКТ" in text and "приказ №" not in text
    assert "Проект изменений к версии 1, утверждённой 30.08.2026, по состоянию на 20.11.2026" in text


def test_progress_on_measures_does_not_make_an_approved_program_a_draft(db, program, tmp_path):
    programs.approve(db, program["id"], "45-о", "2026-08-29", today=dt.date(2026, 8, 30))
    programs.set_status(db, [program["measures"][OLD_TITLE]], "done", "2026-10-14")
    records.save(db, PROGRAM, {"status": "in_progress"}, program["id"])

    text = text_of(documents.print_program(db, program["id"], tmp_path / "p.pdf", today=TODAY))

    assert "приказ № 45-о от 29.08.2026" in text and "ПРОЕКТ" not in text


def test_hostile_text_in_a_title_prints_literally(db, program, tmp_path):
    records.save(db, PROGRAM, {"title": HOSTILE}, program["id"])
    records.save(db, MEASURE, {"title": "=1+1 <i>курсив</i> &amp;"}, program["measures"][OLD_TITLE])

    text = text_of(documents.print_program(db, program["id"], tmp_path / "p.pdf", today=TODAY))

    assert HOSTILE in text
    assert "=1+1 <i>курсив</i> &amp;" in text


def test_general_roadmap_without_school_risk_factor_or_tasks_still_prints(db, tmp_path):
    program_id = records.save(db, PROGRAM, {"title": "Дорожная карта школы", "status": "draft"})
    records.save(
        db,
        MEASURE,
        {"program_id": program_id, "title": "Педагогический совет", "deadline_text": "в течение года"},
    )

    text = text_of(documents.print_program(db, program_id, tmp_path / "p.pdf", today=TODAY))

    assert "Педагогический совет" in text and "в течение года" in text and "ПРОЕКТ" in text
    assert i18n._("Risk factor") not in text and "Паспорт программы" not in text  # nothing to say there


def test_program_is_landscape_a4(db, program, tmp_path):
    width, height = page_size(documents.print_program(db, program["id"], tmp_path / "p.pdf", today=TODAY))
    assert (round(width), round(height)) == (842, 595)


def test_unknown_program_or_version_is_a_document_error_and_writes_nothing(db, program, tmp_path):
    out = tmp_path / "none.pdf"
    with pytest.raises(DocumentError, match="Программа № 999 не найдена"):
        documents.print_program(db, 999, out)
    other = records.save(db, PROGRAM, {"title": "Другая программа", "status": "draft"})
    foreign = programs.approve(db, other, "1", "2026-09-01")
    with pytest.raises(DocumentError, match="версия"):
        documents.print_program(db, program["id"], out, version_id=foreign)
    with pytest.raises(DocumentError):
        documents.print_roadmap(db, out, flt=RoadmapFilter(program_id=999))
    assert list(tmp_path.glob("*none.pdf*")) == []


# ---- the roadmap -------------------------------------------------------------------------------------------


def test_roadmap_marks_overdue_and_speaks_russian_in_landscape(db, program, tmp_path):
    out = documents.print_roadmap(db, tmp_path / "roadmap.pdf", today=TODAY)

    text = text_of(out)
    assert page_size(out)[0] > page_size(out)[1]
    assert "Дорожная карта" in text and "Все мероприятия всех программ" in text
    assert "Дата печати: 20.11.2026" in text
    # the one overdue measure: planned, due 15.10.2026, TODAY is 20.11.2026
    overdue = f"{i18n._('planned')} просрочено"
    assert text.count(overdue) == 1 and text.index(OLD_TITLE) < text.index(overdue)
    for status in ("planned", "in progress", "done", "cancelled"):
        label = i18n._(status)
        assert label in text and re.search("[а-яё]", label), status
    assert "28.09.2026 Банк данных сформирован: 34 обучающихся" in text
    assert re.search(r"Всего 5 из них просрочено 1", text)
    assert "Заместитель директора по УВР" in text and "А. Б. Петрова" in text
    footers_count_pages(out)


def test_roadmap_filter_is_said_in_words(db, program, tmp_path):
    flt = RoadmapFilter(program_id=program["id"], start="2026-10-01", end="2026-12-31", overdue_only=True)
    text = text_of(documents.print_roadmap(db, tmp_path / "r.pdf", flt=flt, today=TODAY))

    assert f"Программа: {TITLE}" in text
    assert "Период: 01.10.2026 – 31.12.2026" in text and "только просроченные мероприятия" in text
    assert OLD_TITLE in text and "Заседание рабочей группы" not in text
    assert re.search(r"Всего 1 из них просрочено 1", text)


def test_empty_roadmap_says_so(db, tmp_path):
    flt = RoadmapFilter(text="ничего такого")
    text = text_of(documents.print_roadmap(db, tmp_path / "r.pdf", flt=flt, today=TODAY))
    assert "Нет мероприятий, отвечающих условиям отбора." in text and "Поиск: «ничего такого»" in text


# ---- the words ---------------------------------------------------------------------------------------------


def test_every_string_of_the_documents_has_its_russian():
    from translations import catalog

    translated = {m.id: m.string for m in catalog.read("ru") if m.id and m.string}
    found = extract_from_file("python", str(ROOT / "models" / "documents.py"), keywords=catalog.KEYWORDS)
    strings = {message for _line, message, _comments, _context in found}
    assert strings and not [s for s in strings if s not in translated]
