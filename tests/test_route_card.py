"""The route card PDF, read back with poppler's pdftotext: who, what, the steps, the signatures, and the
personal-data banner on every page of a pupil's card."""

import datetime as dt
import shutil
import subprocess

import pytest

from models import records, route_card, routes, school
from models.databank_print import personal_data_banner
from models.i18n import _
from models.programs import PD_COURSE

TODAY = dt.date(2026, 11, 22)
TOPICS = [
    "Действия с обыкновенными дробями",
    "Нахождение процента от числа",
    "Решение текстовых задач на движение",
    "Единицы измерения величин",
    "Чтение таблиц и диаграмм",
    "Периметр и площадь прямоугольника",
]


def pages(path) -> list[str]:
    """The text of every page, whitespace collapsed (table cells wrap anywhere)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in out.split("\f") if page.strip()]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def data(db):
    school.setup_school(
        db,
        {
            "full_name": "Муниципальное бюджетное общеобразовательное учреждение «СОШ № 19»",
            "short_name": "МБОУ «СОШ № 19»",
            "director_last_name": "Лебедева",
            "director_first_name": "Ольга",
            "deputy_last_name": "Зайцева",
            "deputy_first_name": "Нина",
            "deputy_middle_name": "Игоревна",
        },
        today=TODAY,
    )
    school.create_academic_year(db, 2025)
    maths = next(i for i, name in records.options(db, "subject") if name == "Математика")
    teacher = records.save(
        db,
        school.STAFF,
        {"last_name": "Иванова", "first_name": "Мария", "middle_name": "Петровна", "subjects": [maths]},
    )
    pupil = records.save(
        db,
        school.STUDENT,
        {
            "last_name": "Петров",
            "first_name": "Илья",
            "middle_name": "Олегович",
            "grade": 6,
            "letter": "Б",
            "birth_date": "2014-02-03",
        },
    )
    route_id = routes.save_route(
        db,
        routes.STUDENT_ROUTE,
        {
            "student_id": pupil,
            "subject_id": maths,
            "responsible_id": teacher,
            "start_date": "2026-09-01",
            "end_date": "2027-03-20",
            "baseline": 6,
            "target": 14,
            "status": "active",
            "goal": "Выполнить итоговую работу не ниже чем на 14 баллов",
            "participants": "Классный руководитель",
        },
    )
    form = next(i for i, name in records.options(db, "work_form") if name == "Дополнительное занятие")
    for n, topic in enumerate(TOPICS):  # enough steps to run onto a second page
        due = (dt.date(2026, 9, 20) + dt.timedelta(days=25 * n)).isoformat()
        routes.save_step(
            db,
            {
                "route_id": route_id,
                "topic": topic,
                "work_form_id": form,
                "due_date": due,
                "control_form": "Проверочная работа",
                "done_on": due if due < "2026-11-01" else None,
                "result": "Тема усвоена" if due < "2026-11-01" else None,
            },
            today=TODAY,
        )
    for date, value in (("2026-10-01", 7), ("2026-10-20", 7), ("2026-11-10", 8)):  # below the aim line
        routes.save_checkpoint(
            db, {"route_id": route_id, "date": date, "value": value, "note": "Проверочная работа"}, today=TODAY
        )
    return {"route": route_id, "teacher": teacher, "maths": maths, "pupil": pupil}


def test_a_pupils_card_names_the_pupil_the_steps_and_carries_the_banner_on_every_page(db, data, tmp_path):
    out = route_card.print_route(db, data["route"], tmp_path / "маршрут.pdf", today=TODAY)
    text = pages(out)
    whole = " ".join(text)
    assert len(text) >= 2
    assert all(flat(personal_data_banner()) in page for page in text)
    for words in (
        _("Individual learning route of a pupil"),
        "Петров Илья Олегович, 6Б",
        "Математика",
        "01.09.2026 – 20.03.2027",
        "Иванова Мария Петровна",
        "Классный руководитель",
        _("I have read the route: parent (legal guardian)"),
        _("Outcome of the route"),
        "Дополнительное занятие",
        "«СОШ № 19»",
        *TOPICS,
    ):
        assert flat(words).casefold() in whole.casefold(), words
    assert _("planned progress (aim line)") in whole  # the chart's legend: the aim line is drawn
    assert _("The last three checkpoints are below the planned progress: the route needs revising.")[:30] in whole
    assert "М. П. Иванова" in whole  # the responsible teacher signs


def test_a_completed_route_prints_its_outcome(db, data, tmp_path):
    routes.complete_route(
        db,
        data["route"],
        "partly",
        "Закрыт дефицит по дробям, проценты — в следующей четверти",
        "2026-11-15",
        today=TODAY,
    )
    whole = " ".join(pages(route_card.print_route(db, data["route"], tmp_path / "card.pdf", today=TODAY)))
    assert "Закрыт дефицит по дробям" in whole
    assert "01.09.2026 – 15.11.2026" in whole


def test_a_teachers_card_shows_the_pd_courses_and_the_mentor_without_the_pupils_banner(db, data, tmp_path):
    mentor = records.save(db, school.STAFF, {"last_name": "Орлова", "first_name": "Анна", "middle_name": "Юрьевна"})
    records.save(
        db,
        PD_COURSE,
        {
            "staff_id": data["teacher"],
            "title": "Формирование функциональной грамотности",
            "provider": "ИРО",
            "hours": 36,
            "end_date": "2026-04-10",
        },
    )
    route_id = routes.save_route(
        db,
        routes.TEACHER_ROUTE,
        {
            "teacher_id": data["teacher"],
            "mentor_id": mentor,
            "deficits": "Формирующее оценивание",
            "start_date": "2026-09-01",
            "end_date": "2027-05-29",
            "status": "active",
        },
    )
    routes.save_step(db, {"route_id": route_id, "topic": "Открытый урок для МО", "due_date": "2026-12-10"}, today=TODAY)
    text = pages(route_card.print_route(db, route_id, tmp_path / "teacher.pdf", today=TODAY))
    whole = " ".join(text)
    for words in (
        _("Individual learning route of a teacher"),
        "Иванова Мария Петровна",
        "Орлова Анна Юрьевна",
        "Формирующее оценивание",
        "Открытый урок для МО",
        "Формирование функциональной грамотности",
        "А. Ю. Орлова",
        "Н. И. Зайцева",
    ):
        assert flat(words) in whole, words
    assert flat(personal_data_banner()) not in whole


def test_an_unknown_route_is_refused_and_nothing_is_written(db, data, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(route_card.RouteError, match="999"):
        route_card.print_route(db, 999, folder / "none.pdf")
    assert list(folder.iterdir()) == []
