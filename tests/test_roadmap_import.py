"""Roadmap import from XLSX: tables shaped like the seeds' real roadmaps, and files refused whole."""

import datetime as dt
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font

from models import records, roadmap_import
from models.db import table_counts
from models.deadlines import Deadline
from models.i18n import _
from models.programs import MEASURE, PROGRAM, PROGRAM_TASK
from models.roadmap_import import RoadmapError, RowProblem, import_roadmap, read_roadmap


def write_xlsx(path, rows, *, bold=(), merged=(), text_cells=()):
    """A workbook with one sheet of `rows`; `text_cells`: coordinates of strings that look like formulas."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Дорожная карта"
    for row in rows:
        sheet.append(list(row))
    for number in bold:
        for cell in sheet[number]:
            cell.font = Font(bold=True)
    for cells in merged:
        sheet.merge_cells(cells)
    for coordinate in text_cells:
        sheet[coordinate].data_type = "s"  # typed text, not a formula
    workbook.save(path)
    return path


def row_of(rows, title):
    """The spreadsheet row number of the row whose title cell starts with `title`."""
    return next(i for i, r in enumerate(rows, start=1) if any(str(c or "").startswith(title) for c in r))


# ---- seed 002: the institutional level, with curator school and supported school columns -----------------

SEED_002 = [
    ("ДОРОЖНАЯ КАРТА",),
    ("ПОДДЕРЖКИ ОБРАЗОВАТЕЛЬНОЙ ОРГАНИЗАЦИИ С НИЗКИМИ ОБРАЗОВАТЕЛЬНЫМИ РЕЗУЛЬТАТАМИ ОБУЧАЮЩИХСЯ",),
    (),
    (
        "№ п/п",
        "Наименование мероприятий",
        "Сроки реализации",
        "Ответственные исполнители",
        None,
        None,
        "Ожидаемый результат",
    ),
    (None, None, None, "Школа – куратор", "Школа, получающ ая поддержку", "АУ «Институт развития»", None),
    ("Региональный уровень",),
    (
        "12.",
        "Информационно-методическое обеспечение страницы «Виртуальная методическая площадка поддержки "
        "школ с низкими образовательными результатами и школ, функционирующих в сложных социальных условиях. "
        "Проект 500+» на официальном сайте АУ «Институт развития образования»",
        "в течение года",
        None,
        None,
        "Методический отдел",
        "Систематически (еженедельно) обновлять информацию на виртуальной площадке",
    ),
    (
        "13.",
        "Мониторинг качества образовательных результатов на основе методики комплексной оценки "
        "качества образовательных результатов обучающихся образовательных организаций Югры (идентификация "
        "школ)",
        "30.11.2023",
        None,
        None,
        "РЦОКО",
        "Наличие утвержденных на региональном уровне критериев и показателей",
    ),
    ("Институциональный уровень",),
    (
        "29.",
        "Реализация Программы перехода в",
        "09.01.2023 –",
        None,
        "МБОУ",
        None,
        "Создание рабочей группы,",
    ),
    (
        None,
        "эффективный режим функционирования/ повышения качества образования на 2023-2024 годы",
        "29.12.2023",
        None,
        "«СШ №19",
        None,
        "утверждение состава группы, назначение руководителя группы по "
        "реализации Программы. Создание условий для повышения качества образования",
    ),
    (
        "30.",
        "Рабочая встреча директора школы, рабочей группы с куратором",
        "28.02.2023 31.03.2023 25.04.2023 16.06.2023 05.09.2023 27.10.2023 15.12.2023",
        "МБОУ «СШ №14",
        "МБОУ «СШ №19»",
        None,
        "Анализ результатов исполнения задач, поставленных на 1 полугодие 2022-2023 учебного года. Анализ "
        "выполнения и коррекция концепции, среднесрочной программы развития, программы антирисковых мер. "
        "Утверждение комплекса мер, направленных на корректировку полученных данных, на 2024 год.",
    ),
    (
        "31.",
        "Входное интервьюирование / анкетирование педагогов, обучающихся и родителей (законных "
        "представителей) обучающихся",
        "20.02.2023 - 28.02.2023",
        None,
        "МБОУ «СШ №19»",
        None,
        "Охват 50% участников образовательного процесса. Определение уровня удовлетворенности качеством "
        "предоставляемых услуг",
    ),
    (
        "32.",
        "Проведение самодиагностики, оценки рисков образовательной организации, составление карты рискового профиля",
        "16.02.2023 – 18.02.2023",
        "МБОУ «СШ №14",
        "МБОУ «СШ №19",
        None,
        "Определение значимости фактора риска, рискового профиля. Краткое описание мер по фактору риска",
    ),
    (
        "33.",
        "Разработка и утверждение Программы антирисковых мер «Недостаточная предметная и методическая "
        "компетентность педагогических работников»",
        "20.02.2023 – 25.02.2023",
        "МБОУ «СШ №14",
        "МБОУ «СШ №19",
        None,
        "Повышение предметной и методической компетентности учителей",
    ),
    (
        "34.",
        "Тестирование педагогов «Стиль обучения»",
        "01.03.2023 – 06.03.2023",
        None,
        "МБОУ «СШ №19»",
        None,
        "Определение продуктивного стиля обучения педагогов",
    ),
    ("35.", "Курсы повышения квалификации", "21.02.2023 –", None, "МБОУ", None, "Повышение квалификации 12"),
    (
        None,
        "«Реализация системы наставничества педагогических работников в образовательных организациях»",
        "23.03.2023",
        None,
        "«СШ №19»",
        None,
        "педагогических работников по программе повышения квалификации",
    ),
    (
        36,
        "Методический семинар «Формирование функциональной грамотности обучающихся в контексте обновленных ФГОС»",
        dt.datetime(2023, 3, 28),
        "МБОУ «СШ №14»",
        "МБОУ «СШ №19»",
        None,
        "Совершенствование профессиональных компетенций педагогов",
    ),
    (
        "37.",
        "Методический семинар «Организация содержания образования в контексте развития функциональной "
        "грамотности школьников на всех уровнях обучения»",
        "29.03.2023",
        "МБОУ «СШ №14»",
        "МБОУ «СШ №19»",
        None,
        "Совершенствование профессиональных компетенций педагогов",
    ),
    (
        "38.",
        "Открытые уроки учителей. Взаимопосещение уроков.",
        "10.04.2023 - 21.04.2023, 13.11.2023 – 24.11.2023",
        None,
        "МБОУ «СШ №19»",
        None,
        "Охват «Рождественскими классами» 95% педагогических работников.",
    ),
    (
        "39.",
        "Методический тренинг",
        "21.04.2023",
        "МБОУ «СШ №14»",
        "МБОУ «СШ №19»",
        None,
        "Охват методическим тренингом 100% учителей – предметников.",
    ),
    (
        "40.",
        "Подведение промежуточных итогов реализации Программы перехода в эффективный режим "
        "функционирования/ повышения качества образования, Программы антирисковых мер",
        "25.04.2023 05.09.2023",
        "МБОУ «СШ №14»",
        "МБОУ «СШ №19»",
        None,
        "Анализ выполнения и коррекция "
        "Программы перехода в эффективный режим функционирования/ повышения качества образования, Программы "
        "антирисковых мер",
    ),
    (
        "41.",
        "Консультация для членов административной команды «Об эффективных мерах внутришкольной системы "
        "профессионального развития педагогов»",
        "12.05.2023",
        "МБОУ «СШ №14»",
        "МБОУ «СШ №19»",
        None,
        "Обмен опытом школы - куратора",
    ),
    (
        "42.",
        "Мастер-класс «Инновационные технологии в деятельности педагога: опыт и перспективы»",
        "17.05.2023",
        "МБОУ «СШ №14»",
        "МБОУ «СШ №19»",
        None,
        "Совершенствование предметных компетенций педагогов",
    ),
    (
        "43.",
        "Мастер – класс «Внедрение в учебный процесс банка заданий для оценки функциональной "
        "грамотности обучающихся. Промежуточные итоги»",
        "18.09.2023",
        None,
        "МБОУ «СШ №19»",
        None,
        "Тиражирование лучших педагогических практик",
    ),
    (
        "44.",
        "Круглый стол «Сотрудничество с ООО «Якласс»: о новых возможностях предметного и методического "
        "развития педагогов»",
        "06.11.2023",
        "МБОУ «СШ №14»",
        "МБОУ «СШ №19»",
        None,
        "Повышение предметной и методической компетентности учителей",
    ),
    (
        45,
        "Ярмарка педагогических идей",
        "04.12.2023",
        None,
        "МБОУ «СШ №19»",
        None,
        "Методическая и предметная поддержка педагогов",
    ),
]


@pytest.fixture
def seed_002(tmp_path):
    sections = [row_of(SEED_002, "Региональный"), row_of(SEED_002, "Институциональный")]
    return write_xlsx(
        tmp_path / "дорожная карта 2023.xlsx",
        SEED_002,
        bold=sections,
        merged=["D4:F4", *(f"A{n}:G{n}" for n in sections)],
    )


def measures_by_title(preview):
    return {m.title: m for t in preview.tasks for m in t.measures}


def test_seed_002_sections_become_tasks_and_rows_measures(seed_002):
    preview = read_roadmap(seed_002, 2022)
    assert (preview.header_row, preview.problems, preview.warnings) == (4, [], [])
    assert [(t.title, t.row, len(t.measures)) for t in preview.tasks] == [
        ("Региональный уровень", 6, 2),
        ("Институциональный уровень", 9, 17),
    ]
    assert (preview.task_count, preview.measure_count) == (2, 19)
    assert [m.number for m in preview.tasks[1].measures] == [str(n) for n in range(29, 46)]


def test_seed_002_rows_broken_across_pages_are_merged_into_one_measure(seed_002):
    first = read_roadmap(seed_002, 2022).tasks[1].measures[0]
    assert first.row == 10
    assert first.title == (
        "Реализация Программы перехода в эффективный режим функционирования/ повышения "
        "качества образования на 2023-2024 годы"
    )
    assert first.deadline_text == "09.01.2023 – 29.12.2023"
    assert first.deadline == Deadline("2023-01-09", "2023-12-29", None)
    assert first.responsible_text == "МБОУ «СШ №19"
    assert first.expected_result.startswith("Создание рабочей группы, утверждение состава группы")
    courses = measures_by_title(read_roadmap(seed_002, 2022))[
        "Курсы повышения квалификации «Реализация системы наставничества педагогических работников в "
        "образовательных организациях»"
    ]
    assert (courses.deadline.start, courses.deadline.due) == ("2023-02-21", "2023-03-23")


def test_seed_002_deadlines_and_both_responsible_columns(seed_002):
    by_title = measures_by_title(read_roadmap(seed_002, 2022))
    meeting = by_title["Рабочая встреча директора школы, рабочей группы с куратором"]
    dates = "28.02.2023 31.03.2023 25.04.2023 16.06.2023 05.09.2023 27.10.2023 15.12.2023"
    assert meeting.deadline == Deadline(None, None, dates)
    assert meeting.responsible_text == "МБОУ «СШ №14; МБОУ «СШ №19»"
    seminar = next(m for t, m in by_title.items() if t.startswith("Методический семинар «Формирование"))
    assert (seminar.deadline_text, seminar.deadline) == ("28.03.2023", Deadline(None, "2023-03-28", None))
    website = next(m for title, m in by_title.items() if title.startswith("Информационно-методическое"))
    assert (website.deadline.text, website.deadline.due, website.responsible_text) == (
        "в течение года",
        None,
        "Методический отдел",
    )


def test_seed_002_imports_into_a_new_draft_program(db, seed_002):
    result = import_roadmap(db, read_roadmap(seed_002, 2022), new_program_title="Дорожная карта 2023")
    assert (result.tasks_added, result.measures_added, result.rows_skipped) == (2, 19, 0)
    program = records.fetch(db, PROGRAM, result.program_id)
    assert (program["title"], program["status"], program["risk_factor_id"]) == (
        "Дорожная карта 2023",
        "draft",
        None,
    )
    tasks = records.rows(db, PROGRAM_TASK, {"program_id": result.program_id})
    assert [(t["position"], t["text"]) for t in tasks] == [
        (1, "Региональный уровень"),
        (2, "Институциональный уровень"),
    ]
    measures = records.rows(db, MEASURE, {"program_id": result.program_id})
    assert [m["position"] for m in measures] == list(range(1, 20))
    assert {m["task_id"] for m in measures[2:]} == {tasks[1]["id"]}
    first = measures[2]
    assert (first["start_date"], first["due_date"], first["deadline_text"], first["status"]) == (
        "2023-01-09",
        "2023-12-29",
        None,
        "planned",
    )
    website = measures[0]
    assert (website["deadline_text"], website["due_date"], website["responsible_text"]) == (
        "в течение года",
        None,
        "Методический отдел",
    )


# ---- seed 003: no number column, numbered section rows, the header repeated on every page ----------------

HEADER_003 = ("Мероприятие", "Сроки", "Ответственные", "Показатель реализации", "Формы отчётных\nдокументов")
SEED_003 = [
    (
        "План мероприятий («Дорожная карта») по организации ресурсной поддержки школ с низкими результатами "
        "обучения на 2023-2025 годы",
    ),
    ("Разработка плана-графика реализации мероприятий дорожной карты",),
    (" МЕРОПРИЯТИЕ ", "Сроки  ", "ОТВЕТСТВЕННЫЕ", "Показатель\nреализации", "Формы  отчетных документов"),
    ("I. Мероприятия, направленные на улучшение материально-технических условий в общеобразовательных организациях",),
    (
        "Обновление библиотечного фонда",
        "ежегодно, январь – декабрь",
        "комитет образования МБУ ГИМЦ, Руководитель ОО",
        "100% обеспеченность обучающихся ОО учебниками",
        "мониторинг обеспеченности",
    ),
    (
        "Анализ мероприятий в общеобразовательных учреждениях по формированию учебных фондов",
        "ежегодно, ноябрь",
        "комитет образования МБУ ГИМЦ, Руководитель ОО",
        "обеспечение обучающихся учебниками а соответствии с Федеральным перечнем учебников",
        "формирование заказа учебников",
    ),
    (
        "Обновление современной мебелью и оборудованием учебных кабинетов ОО в рамках проведения капитального ремонта",
        "август 2023",
        "Комитет образования, руководитель ОО",
        "увеличение процента оснащенности",
        "Справка",
    ),
    (
        "Становление и реализация системы платных образовательных услуг в общеобразовательных учреждениях "
        "города Ставрополя с последующим",
        "сентябрь -2023 год сентябрь -2024 год",
        "Комитет образования, руководитель ОО",
        "Не менее 10% ОУ из числа ШКНОР и ШНУС, реализующие платные услуги",
        "Локальные нормативные акты о реализации платных образовательных услуг в",
    ),
    ("Мероприятие", "Сроки", "Ответственные", "Показатель реализации", "Формы отчётных\nдокументов"),
    ("вложением средств в развитие материально-технических условий", None, None, None, "ОУ"),
    (
        "Материально-технического оснащение (переход школы по коэффициенту материально-технического оснащения "
        "школы на более высокий уровень) образовательных организаций ШНОР",
        "декабрь 2024",
        "Комитет образования, руководитель ОО",
        "увеличение процента оснащённости",
        "мониторинг обеспеченности",
    ),
    ("2. Мероприятия, направленные на преодоление кадрового дефицита в общеобразовательных организациях",),
    (
        "Организация внутришкольного повышения профессиональной компетентности педагогов через проведение "
        "семинаров, мастер-классов,",
        "ежегодно, февраль – декабрь",
        "администрация ОУ",
        "выстроена работа по развитию внутришкольной системы профилактики учебной неуспешности, включающей",
        "информационная справка",
    ),
    ("Мероприятие", "Сроки", "Ответственные", "Показатель реализации", "Формы отчётных\nдокументов"),
    (
        "тренингов",
        None,
        None,
        "повышение профессионального мастерства педагогических работников и "
        "руководителей общеобразовательных организаций сопровождения",
    ),
    (
        "Проведение анализа результатов мониторинга показателей системы повышения квалификации педагогов.",
        "ежегодно, март, август",
        "МБУ ГИМЦ, руководители ОУ",
        "повышение процента охвата прохождения курсовых мероприятий педагогическими работниками",
        "аналитическая справка по результатам мониторинга",
    ),
    ("3. Мероприятия по адресному методическому сопровождению общеобразовательных организаций",),
    (
        "Организация выездных педагогических десантов",
        "ежегодно, март, октябрь, декабрь",
        "комитет образования администрации города Ставрополя,",
        "проведены педагогические десанты",
        "информационная справка, методических рекомендаций",
    ),
    ("Мероприятие", "Сроки", "Ответственные", "Показатель реализации", "Формы отчётных\nдокументов"),
    (None, None, "МБУ ГИМЦ, ответственные кураторы"),
    (
        "Утверждение кураторов по работе со школами с низкими результатами обучения",
        "Ежегодно, февраль",
        "комитет образования администрации города Ставрополя, МБУ ГИМЦ",
        "назначены кураторы по осуществлению адресного методического сопровождения",
        "Приказ",
    ),
    ("4. Мероприятия по профилактике учебной неуспешности в общеобразовательных организациях",),
    (
        "Формирование индивидуальных маршрутов ликвидации предметных дефицитов",
        "сентябрь",
        "МБУ ГИМЦ, Руководители ОУ",
        "Разработаны индивидуальные маршруты ликвидации предметных дефицитов",
    ),
    (
        "Проведение контрольных работ в рамках промежуточной аттестации (1 полугодие 2023-2024 учебного года) "
        "по математике, русскому языку (5-6 классы, 8 классы)",
        "декабрь",
        "Администрация ОУ",
        "Разработан и согласован график проведения диагностических работ",
    ),
    ("Горячая линия по вопросам ГИА", "в течение года", "+7 (8652) 35-12-00", "=SUM(A1)", "-"),
    (
        "Мониторинг эффективности реализации индивидуальных маршрутов ликвидации дефицитов для обучающихся",
        "=DATE(2024,12,1)",
        "комитет образования, администрация ОУ",
        "@gimc: скорректированы приемы и формы",
    ),
]


@pytest.fixture
def seed_003(tmp_path):
    hotline = row_of(SEED_003, "Горячая линия")
    return write_xlsx(tmp_path / "план-график.xlsx", SEED_003, text_cells=[f"D{hotline}"])


def test_seed_003_numbered_sections_repeated_headers_and_continuations(seed_003):
    preview = read_roadmap(seed_003, 2022)
    assert (preview.header_row, preview.problems) == (3, [])
    assert [t.title for t in preview.tasks] == [
        "Мероприятия, направленные на улучшение материально-технических условий в общеобразовательных организациях",
        "Мероприятия, направленные на преодоление кадрового дефицита в общеобразовательных организациях",
        "Мероприятия по адресному методическому сопровождению общеобразовательных организаций",
        "Мероприятия по профилактике учебной неуспешности в общеобразовательных организациях",
    ]
    assert [len(t.measures) for t in preview.tasks] == [5, 2, 2, 4]
    by_title = measures_by_title(preview)
    assert "Мероприятие" not in by_title and "МЕРОПРИЯТИЕ" not in by_title  # repeated headers skipped
    paid = by_title[
        "Становление и реализация системы платных образовательных услуг в общеобразовательных "
        "учреждениях города Ставрополя с последующим вложением средств в развитие "
        "материально-технических условий"
    ]
    assert paid.report_form_text == ("Локальные нормативные акты о реализации платных образовательных услуг в ОУ")
    assert paid.deadline.text == "сентябрь -2023 год сентябрь -2024 год"
    assert by_title["Организация выездных педагогических десантов"].responsible_text == (
        "комитет образования администрации города Ставрополя, МБУ ГИМЦ, ответственные кураторы"
    )
    seminars = next(m for title, m in by_title.items() if title.startswith("Организация внутришкольного"))
    assert seminars.title.endswith("мастер-классов, тренингов")
    assert seminars.expected_result.endswith(
        "включающей повышение профессионального мастерства педагогических работников и руководителей "
        "общеобразовательных организаций сопровождения"
    )
    routes = by_title["Формирование индивидуальных маршрутов ликвидации предметных дефицитов"]
    assert (routes.deadline.start, routes.deadline.due, routes.deadline.text) == (
        "2022-09-01",
        "2022-09-30",
        "сентябрь",
    )


def test_formula_looking_text_stays_text_and_a_formula_without_value_is_empty(seed_003):
    by_title = measures_by_title(read_roadmap(seed_003, 2022))
    hotline = by_title["Горячая линия по вопросам ГИА"]
    assert (hotline.responsible_text, hotline.expected_result, hotline.report_form_text) == (
        "+7 (8652) 35-12-00",
        "=SUM(A1)",
        "-",
    )
    monitoring = next(m for title, m in by_title.items() if title.startswith("Мониторинг эффективности"))
    assert (monitoring.deadline_text, monitoring.deadline) == ("", Deadline(None, None, None))
    assert monitoring.expected_result == "@gimc: скорректированы приемы и формы"


def test_report_forms_from_the_list_are_linked_and_other_wording_kept_in_the_description(db, seed_003):
    result = import_roadmap(db, read_roadmap(seed_003, 2022), new_program_title="План-график")
    assert (result.tasks_added, result.measures_added) == (4, 13)
    measures = {m["title"]: m for m in records.rows(db, MEASURE, {"program_id": result.program_id})}
    order = dict(records.options(db, "report_form"))
    curators = measures["Утверждение кураторов по работе со школами с низкими результатами обучения"]
    assert (order[curators["report_form_id"]], curators["description"]) == ("Приказ", None)
    books = measures["Обновление библиотечного фонда"]
    assert books["report_form_id"] is None
    assert books["description"] == _("Report form: {text}").format(text="мониторинг обеспеченности")
    hotline = measures["Горячая линия по вопросам ГИА"]
    assert (hotline["responsible_text"], hotline["expected_result"]) == ("+7 (8652) 35-12-00", "=SUM(A1)")


# ---- seed 000: municipal level, then the school's own; other column order; a row of column numbers -------

SEED_000 = [
    (
        "План мероприятий «дорожная карта» по организации методической поддержки общеобразовательным "
        "организациям, имеющим низкие образовательные результаты обучающихся в Новошахтинске в 2026 году",
    ),
    ("№ п/п", "Мероприятия", "Ответственные", "Сроки", "Форма"),
    (1, 2, 3, 4, 5),
    ("Муниципальный уровень (организационно-методические мероприятия)",),
    (
        "1.",
        "Разработка муниципальных нормативно-правовых документов, регламентирующих реализацию "
        "мероприятий, направленных на положительную динамику образовательных результатов в школах с низкими "
        "образовательными результатами (далее – ШНОР)",
        "Управление образования Администрации города",
        "декабрь 2025 года",
        "Приказ",
    ),
    (
        "2.",
        "Сбор отчетов ШНОР о реализации антирисковых программ/дорожных карт",
        "Управление образования Администрации города",
        "февраль 2026 года",
        "Аналитическая справка",
    ),
    (
        "5.",
        "Организация участия вебинаров/семинаров для",
        "Управление образования",
        "в течение года",
        "Семинары, вебинары",
    ),
    (
        None,
        "административных команд ШНОР в рамках работы городских методических объединений.",
        "Администрации города",
    ),
    (
        "Уровень образовательной организации (мероприятия по выравниванию возможностей доступа обучающихся к "
        "современным условиям обучения и образовательным ресурсам)",
    ),
    (
        "16.",
        "Создание банка данных обучающихся, испытывающих затруднения в обучении",
        "Образовательные организации",
        "сентябрь 2026 года",
        "Банк данных обучающихся",
    ),
    (
        "17.",
        "Разработка и реализация индивидуальных образовательных маршрутов обучающихся",
        "Образовательные организации",
        "в течение всего периода",
        "Планы работы с одаренными и слабоуспевающими детьми, детьми с ОВЗ",
    ),
    ("Уровень образовательной организации (организационно-методические мероприятия)",),
    (
        "18.",
        "Предоставление отчета о реализации программы перехода в режим эффективного функционирования и "
        "развития (Дорожная карта)",
        "Образовательные организации",
        "февраль 2026 года",
        "Отчет",
    ),
    (
        "21.",
        "Анализ результатов текущей, тематической и промежуточной",
        "Образовательные организации",
        "по четвертям, полугодиям, за год",
        "Аналитический отчет",
    ),
    (None, "оценки планируемых результатов"),
    (
        "23.",
        "Восполнение профессиональных дефицитов через мероприятия, предусмотренные планами работы "
        "Управления образования, муниципального наставнического центра: семинары/вебинары, круглые столы, "
        "конференции, КПК.",
        "Образовательные организации",
        "по плану работы (в течение года)",
        "Индивидуальный образовательный маршрут",
    ),
]


def test_seed_000_levels_column_order_and_column_numbers(db, tmp_path):
    path = write_xlsx(tmp_path / "dk.xlsx", SEED_000)
    preview = read_roadmap(path, 2025)
    assert (preview.header_row, preview.problems) == (2, [])
    assert [(t.title, [m.number for m in t.measures]) for t in preview.tasks] == [
        ("Муниципальный уровень (организационно-методические мероприятия)", ["1", "2", "5"]),
        (SEED_000[8][0], ["16", "17"]),
        ("Уровень образовательной организации (организационно-методические мероприятия)", ["18", "21", "23"]),
    ]
    by_number = {m.number: m for t in preview.tasks for m in t.measures}
    assert by_number["5"].title.endswith(
        "для административных команд ШНОР в рамках работы городских методических объединений."
    )
    assert by_number["5"].responsible_text == "Управление образования Администрации города"
    assert by_number["21"].title == (
        "Анализ результатов текущей, тематической и промежуточной оценки планируемых результатов"
    )
    assert (by_number["16"].deadline.start, by_number["16"].deadline.due) == ("2026-09-01", "2026-09-30")
    assert by_number["1"].deadline.text == "декабрь 2025 года"
    result = import_roadmap(db, preview, new_program_title="Дорожная карта 2026")
    forms = dict(records.options(db, "report_form"))
    stored = {m["title"]: m for m in records.rows(db, MEASURE, {"program_id": result.program_id})}
    report = stored[by_number["18"].title]
    assert forms[report["report_form_id"]] == "Отчёт"  # "Отчет" in the file, "Отчёт" in the list
    assert forms[stored[by_number["23"].title]["report_form_id"]] == "Индивидуальный образовательный маршрут"


def test_a_second_import_into_the_same_program_appends(db, seed_002, seed_003):
    first = import_roadmap(db, read_roadmap(seed_003, 2022), new_program_title="Дорожная карта школы")
    second = import_roadmap(db, read_roadmap(seed_002, 2022), program_id=first.program_id)
    assert (second.program_id, second.tasks_added, second.measures_added) == (first.program_id, 2, 19)
    assert records.rows(db, PROGRAM) == [records.fetch(db, PROGRAM, first.program_id)]
    tasks = records.rows(db, PROGRAM_TASK, {"program_id": first.program_id})
    assert [t["position"] for t in tasks] == [1, 2, 3, 4, 5, 6]
    assert tasks[4]["text"] == "Региональный уровень"
    measures = records.rows(db, MEASURE, {"program_id": first.program_id})
    assert [m["position"] for m in measures] == list(range(1, 33))
    assert measures[13]["title"].startswith("Информационно-методическое обеспечение страницы")


def test_measures_above_the_first_section_belong_to_no_task(db, tmp_path):
    rows = [
        ("№", "Мероприятие", "Срок", "Ответственный"),
        (
            "1",
            "Создание банка данных обучающихся, испытывающих затруднения в обучении",
            "сентябрь",
            "Иванова М. П.",
        ),
        ("Работа с обучающимися",),
        ("2", "Разработка индивидуальных образовательных маршрутов", "октябрь", "учителя-предметники"),
        (None, "обучающихся 5-9 классов"),  # a sentence carried over
        (None, "работа с родителями"),  # in bold: a section, whatever its case
        ("3", "Родительское собрание «Итоги первой четверти»", "ноябрь", "классные руководители"),
    ]
    preview = read_roadmap(write_xlsx(tmp_path / "r.xlsx", rows, bold=[6]), 2026)
    assert [(t.title, t.row, [m.number for m in t.measures]) for t in preview.tasks] == [
        ("", 0, ["1"]),
        ("Работа с обучающимися", 3, ["2"]),
        ("работа с родителями", 6, ["3"]),
    ]
    assert preview.tasks[1].measures[0].title.endswith("маршрутов обучающихся 5-9 классов")
    assert preview.task_count == 2
    result = import_roadmap(db, preview, new_program_title="Дорожная карта")
    measures = records.rows(db, MEASURE, {"program_id": result.program_id})
    assert measures[0]["task_id"] is None and measures[1]["task_id"] is not None
    assert (measures[0]["start_date"], measures[0]["due_date"], measures[0]["deadline_text"]) == (
        "2026-09-01",
        "2026-09-30",
        "сентябрь",
    )


def test_seed_001_participants_column_and_sections_in_the_number_column(db, tmp_path):
    rows = [
        (
            "«Дорожная карта» по повышению качества образования в школах, показывающих низкие "
            "образовательные результаты на 2020 год",
        ),
        ("№ п/п", "Мероприятия", "Сроки", "Ответственные", "Участники"),
        (
            "1. Совершенствование управления в системе образования по повышению качества и результативности "
            "деятельности",
        ),
        (
            "4.",
            "Составление плана работы методистов по методической поддержке педагогов школ, "
            "работающих в сложных социальных условиях",
            "Август",
            "МБУ «Отдел образования»",
            "Методисты отдела образования",
        ),
        (
            "5.",
            "Заседание совета по реализации муниципальной программы («дорожной карты»)",
            "Сентябрь",
            "МБУ «Отдел образования»",
            "Школы района, руководители общеобразовательных организаций,",
        ),
        (None, None, None, None, "заместители руководителей общеобразовательных организаций, педагоги"),
        ("2. Мониторинговые мероприятия",),
        (
            "1.",
            "Диагностика качества результатов, качества преподавания и управления школой.",
            "В соответствии с планом",
            "МБУ «Отдел образования»",
            "Методисты отдела образования, школы района",
        ),
    ]
    preview = read_roadmap(write_xlsx(tmp_path / "2020.xlsx", rows), 2019)
    assert [t.title for t in preview.tasks] == [
        "Совершенствование управления в системе образования по повышению качества и результативности деятельности",
        "Мониторинговые мероприятия",
    ]
    council = preview.tasks[0].measures[1]
    assert council.participants == (
        "Школы района, руководители общеобразовательных организаций, заместители "
        "руководителей общеобразовательных организаций, педагоги"
    )
    assert council.deadline == Deadline("2019-09-01", "2019-09-30", "Сентябрь")
    assert preview.tasks[0].measures[0].deadline == Deadline("2020-08-01", "2020-08-31", "Август")
    result = import_roadmap(db, preview, new_program_title="Дорожная карта 2020")
    stored = records.rows(db, MEASURE, {"program_id": result.program_id})
    assert stored[1]["participants"] == council.participants
    assert stored[2]["deadline_text"] == "В соответствии с планом"


def test_a_deadline_split_into_start_and_end_columns_is_one_range(tmp_path):
    rows = [
        ("№", "Мероприятие", "Сроки", None, "Ответственный"),
        (None, None, "начало", "окончание", None),
        (
            1,
            "Входные контрольные работы",
            dt.datetime(2026, 9, 15),
            dt.datetime(2026, 9, 30),
            "Администрация ОУ",
        ),
        (2, "Анализ входных контрольных работ", "октябрь", None, "учителя-предметники"),
    ]
    measures = read_roadmap(write_xlsx(tmp_path / "r.xlsx", rows, merged=["C1:D1"]), 2026).tasks[0].measures
    assert [(m.deadline_text, m.deadline.start, m.deadline.due) for m in measures] == [
        ("15.09.2026 - 30.09.2026", "2026-09-15", "2026-09-30"),
        ("октябрь", "2026-10-01", "2026-10-31"),
    ]


# ---- rows that cannot be imported as they are ------------------------------------------------------------

HEADER = ("№ п/п", "Наименование мероприятий", "Сроки реализации", "Ответственные", "Ожидаемый результат")
GOOD = ("1.", "Методический тренинг", "21.04.2023", "МБОУ «СШ №14»", "Охват тренингом 100% учителей")


def test_a_measure_without_title_is_a_problem_and_nothing_is_imported(db, tmp_path):
    rows = [HEADER, GOOD, ("2.", None, "12.05.2023", "МБОУ «СШ №19»", "Обмен опытом школы - куратора"), GOOD]
    preview = read_roadmap(write_xlsx(tmp_path / "r.xlsx", rows), 2022)
    assert preview.problems == [RowProblem(3, "B", _("The row has no measure title."))]
    assert str(preview.problems[0]) == _("row {row}, column {column}: {reason}").format(
        row=3, column="B", reason=_("The row has no measure title.")
    )
    before = table_counts(db)
    with pytest.raises(RoadmapError) as caught:
        import_roadmap(db, preview, new_program_title="Дорожная карта")
    message = _("The roadmap has invalid rows ({n}); nothing was imported. Correct them in the file or skip them.")
    assert str(caught.value) == message.format(n=1)
    assert table_counts(db) == before
    result = import_roadmap(db, preview, new_program_title="Дорожная карта", skip_invalid=True)
    assert (result.measures_added, result.rows_skipped) == (2, 1)


def test_a_title_over_1000_characters_is_a_problem_in_its_own_cell(tmp_path):
    rows = [("Ответственный", "Мероприятие", "Срок"), ("МБУ ГИМЦ", "Анализ " * 200, "май 2027")]
    preview = read_roadmap(write_xlsx(tmp_path / "r.xlsx", rows), 2026)
    assert [(p.row, p.column) for p in preview.problems] == [(2, "B")]
    assert preview.problems[0].reason == _("Too long: at most {n} characters.").format(n=1000)


def test_an_impossible_date_is_kept_as_worded_with_a_warning(db, tmp_path):
    rows = [HEADER, ("1.", "Методический семинар", "31.02.2023", "МБОУ «СШ №14»", "Рост компетенций")]
    preview = read_roadmap(write_xlsx(tmp_path / "r.xlsx", rows), 2022)
    assert preview.problems == []
    assert [(w.row, w.column) for w in preview.warnings] == [(2, "C")]
    result = import_roadmap(db, preview, new_program_title="Дорожная карта")
    stored = records.rows(db, MEASURE, {"program_id": result.program_id})[0]
    assert (stored["deadline_text"], stored["start_date"], stored["due_date"]) == ("31.02.2023", None, None)


# ---- files refused whole: one clear sentence, and the database unchanged ---------------------------------


def refused(db, path, message, **options):
    before = table_counts(db)
    with pytest.raises(RoadmapError) as caught:
        import_roadmap(db, read_roadmap(path, 2026), new_program_title="Дорожная карта", **options)
    assert str(caught.value) == message
    assert table_counts(db) == before


NOT_XLSX = "The file {name} is not an Excel workbook (.xlsx) or is damaged."


def test_a_text_file_renamed_xlsx_is_refused(db, tmp_path):
    path = tmp_path / "дорожная карта.xlsx"
    path.write_text("№;Мероприятие;Сроки\n1;Методический тренинг;21.04.2023\n", encoding="utf-8")
    refused(db, path, _(NOT_XLSX).format(name=path.name))


def test_a_truncated_workbook_is_refused(db, tmp_path, seed_002):
    path = tmp_path / "обрезанный.xlsx"
    path.write_bytes(seed_002.read_bytes()[:3000])
    refused(db, path, _(NOT_XLSX).format(name=path.name))


def test_a_zip_that_is_no_workbook_is_refused(db, tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    refused(db, path, _(NOT_XLSX).format(name=path.name))


def test_an_old_xls_workbook_is_refused_with_advice(db, tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    refused(
        db,
        path,
        _("The file {name} is an old Excel workbook (.xls): save it as .xlsx and import that.").format(name=path.name),
    )


def test_an_empty_workbook_is_refused(db, tmp_path):
    path = write_xlsx(tmp_path / "empty.xlsx", [])
    refused(db, path, _("The workbook {name} is empty.").format(name=path.name))


def test_a_sheet_without_a_header_is_refused(db, tmp_path):
    path = write_xlsx(tmp_path / "list.xlsx", [("Иванов Иван", "5А"), ("Петрова Мария", "5А")])
    message = _(
        "No roadmap table was found in {name}: none of the first {n} rows of a sheet is a header "
        "naming the measures and their deadlines or responsible people."
    )
    refused(db, path, message.format(name=path.name, n=30))


def test_a_header_without_measures_is_refused(db, tmp_path):
    path = write_xlsx(tmp_path / "header.xlsx", [("ДОРОЖНАЯ КАРТА",), HEADER])
    message = _("The roadmap table in {name} has no measures below its header.")
    refused(db, path, message.format(name=path.name))


def test_a_file_over_the_size_limit_is_refused(db, monkeypatch, seed_002):
    unpacked = _("The file {name} is too large to import: its contents unpack to more than {limit} MB.")
    monkeypatch.setattr(roadmap_import, "MAX_UNPACKED_BYTES", 10_000)  # a small zip that unpacks large
    refused(db, seed_002, unpacked.format(name=seed_002.name, limit=1))
    message = _("The file {name} is too large to import: at most {limit} MB.")
    monkeypatch.setattr(roadmap_import, "MAX_FILE_BYTES", 1024)
    refused(db, seed_002, message.format(name=seed_002.name, limit=0))


def test_a_sheet_over_the_row_or_column_limit_is_refused(db, monkeypatch, tmp_path):
    message = _("The sheet “{sheet}” is too large to import: at most {rows} rows and {columns} columns.")
    wide = write_xlsx(tmp_path / "wide.xlsx", [HEADER, GOOD, ("2.", "Ярмарка", *[None] * 58, "x")])
    refused(db, wide, message.format(sheet="Дорожная карта", rows=5000, columns=60))
    monkeypatch.setattr(roadmap_import, "MAX_ROWS", 10)
    long = write_xlsx(tmp_path / "long.xlsx", [HEADER, *[GOOD] * 10])
    refused(db, long, message.format(sheet="Дорожная карта", rows=10, columns=60))


def test_an_unknown_program_is_refused(db, seed_002):
    before = table_counts(db)
    with pytest.raises(RoadmapError) as caught:
        import_roadmap(db, read_roadmap(seed_002, 2022), program_id=999)
    assert str(caught.value) == _("The program No. {id} does not exist.").format(id=999)
    assert table_counts(db) == before


def test_a_failure_half_way_leaves_nothing_behind(db, monkeypatch, seed_002):
    preview = read_roadmap(seed_002, 2022)
    real = roadmap_import._measure_values

    def one_too_long(m, *args):  # a row the preview let through but the database refuses, late in the table
        values = real(m, *args)
        return {**values, "title": "x" * 2000} if m.number == "38" else values

    monkeypatch.setattr(roadmap_import, "_measure_values", one_too_long)
    before = table_counts(db)
    with pytest.raises(RoadmapError) as caught:
        import_roadmap(db, preview, new_program_title="Дорожная карта")
    reason = _("Too long: at most {n} characters.").format(n=1000)
    assert str(caught.value) == _("Row {row}: {reason} Nothing was imported.").format(
        row=row_of(SEED_002, "38."), reason=reason
    )
    assert table_counts(db) == before


# ---- any table: a preview or one clear error, never a crash ----------------------------------------------

CELLS = st.sampled_from(
    [
        None,
        None,
        "",
        "№",
        "Мероприятие",
        "Сроки",
        "Ответственный",
        "Форма",
        "1.",
        "2",
        7,
        1.5,
        "Анализ результатов",
        "анализ результатов",
        "I. Раздел",
        "март 2027",
        "31.02.2027",
        "в течение года",
        "x" * 1100,
        dt.datetime(2027, 3, 1),
        "@",
        "-",
        "+7",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELLS, max_size=7), max_size=10))
def test_any_table_gives_a_preview_or_one_clear_error(tmp_path, grid):
    path = write_xlsx(tmp_path / "any.xlsx", [HEADER, *grid] if len(grid) % 2 else grid)
    try:
        preview = read_roadmap(path, 2026)
    except RoadmapError as exc:
        assert str(exc)
        return
    rows = [m.row for t in preview.tasks for m in t.measures]
    assert rows == sorted(rows) and all(r > preview.header_row for r in rows)
    assert all(p.row > preview.header_row and p.column.isalpha() for p in preview.problems)
