"""Class-list import from XLSX and CSV: files made the way schools make them, files refused whole, matching on
re-import, the command line. Every refused file leaves the database exactly as it was."""

import datetime as dt
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import main
from models import records, student_import
from models.i18n import _
from models.school import STUDENT
from models.student_import import (
    StudentImportError,
    import_students,
    plan,
    propose_mapping,
    read_students,
    run_cli,
)
from tests.conftest import count

SNILS = "123-456-789 01"
PHONE = "+7 912 345-67-89"
EMAIL = "ivanova.mama@example.ru"


def write_xlsx(path, rows, *, title="Лист1", merged=(), sheets=()):
    """A workbook with one sheet of `rows` (and more sheets: (title, rows) pairs)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cells in merged:
        sheet.merge_cells(cells)
    for other_title, other_rows in sheets:
        other = workbook.create_sheet(other_title)
        for row in other_rows:
            other.append(list(row))
    workbook.save(path)
    return path


def write_csv(path, lines, *, encoding, delimiter, newline="\r\n"):
    """Lines of cells as Excel saves them: cells with the delimiter, quotes or line breaks in quotes."""

    def cell(value):
        text = "" if value is None else str(value)
        if any(ch in text for ch in (delimiter, '"', "\n", "\r")):
            text = '"' + text.replace('"', '""') + '"'
        return text

    text = newline.join(delimiter.join(cell(v) for v in line) for line in lines) + newline
    path.write_bytes(text.encode(encoding))
    return path


def snapshot(db):
    """Every row of every table: what "nothing changed" is checked against."""
    tables = [t for t in db.table_names() if not t.startswith("sqlite_")]
    return {t: sorted(map(repr, db.execute(f"SELECT * FROM [{t}]").fetchall())) for t in tables}


def stored_texts(db):
    """Every text value stored anywhere in the database."""
    found = []
    for table in db.table_names():
        for column in db.columns(table):
            for (value,) in db.execute(f"SELECT [{column}] FROM [{table}]"):
                if isinstance(value, str):
                    found.append(value)
    return found


def pupils(db):
    cursor = db.execute(
        "SELECT last_name, first_name, middle_name, birth_date, grade, letter, gender, ejournal_id, enrolled_on, "
        "left_on FROM student ORDER BY last_name, first_name, birth_date"
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def where(preview):
    return [(p.row, p.column) for p in preview.problems]


# ---- an e-journal export: title rows, the class in the title, columns the program must never keep ----------------

EJOURNAL = [
    ("МБОУ «Средняя общеобразовательная школа № 7» г. Энска",),
    ("Список обучающихся 5 «А» класса на 2026/2027 учебный год",),
    ("Сформировано: 01.09.2026 10:15",),
    (),
    ("№ п/п", "ФИО", "Дата рождения", "Пол", "СНИЛС", "Адрес регистрации", "Телефон родителя",
     "E-mail родителя", "ФИО родителя", "ID"),
    (1, "Иванова Мария Петровна", dt.datetime(2015, 3, 14), "ж", SNILS, "г. Энск, ул. Ленина, д. 1, кв. 2",
     PHONE, EMAIL, "Иванова Ольга Николаевна", 100234),
    (2, "ПЕТРОВ ПЁТР СЕРГЕЕВИЧ", "1.9.2014", "м", "223-456-789 02", None, None, None, None, "100235"),
    (3, "Семёнов Артём", "2015-01-20", "мужской", None, None, None, None, None, 100236),
    (4, "Мамедов Али Рашид оглы", "05.05.2015", "М", None, None, None, None, None, 100237),
    (5,),
    (6,),
    (None, "Классный руководитель ______________ /Петрова М. П./"),
]


@pytest.fixture
def ejournal(tmp_path):
    return write_xlsx(tmp_path / "Список 5А.xlsx", EJOURNAL, title="Ученики")


def test_an_ejournal_export_with_title_rows_is_read(ejournal):
    preview = read_students(ejournal)
    assert (preview.sheet, preview.header_row, preview.title_class) == ("Ученики", 5, (5, "А"))
    assert preview.mapping == {"full_name": 1, "birth_date": 2, "gender": 3, "ejournal_id": 9}
    assert preview.problems == []
    assert [r.row for r in preview.rows] == [6, 7, 8, 9]
    first, second, third, fourth = (r.values for r in preview.rows)
    assert first == {
        "last_name": "Иванова",
        "first_name": "Мария",
        "middle_name": "Петровна",
        "grade": 5,
        "letter": "А",
        "birth_date": "2015-03-14",
        "gender": "f",
        "ejournal_id": "100234",
    }
    assert (second["last_name"], second["first_name"], second["birth_date"]) == ("Петров", "Пётр", "2014-09-01")
    assert "middle_name" not in third and third["gender"] == "m" and third["birth_date"] == "2015-01-20"
    assert fourth["middle_name"] == "Рашид оглы" and fourth["ejournal_id"] == "100237"
    assert preview.ignored == ["№ п/п", "СНИЛС", "Адрес регистрации", "Телефон родителя", "E-mail родителя",
                               "ФИО родителя"]


def test_columns_the_program_does_not_need_are_never_kept_or_stored(db, ejournal):
    preview = read_students(ejournal)
    held = repr(preview.__dict__) + repr(plan(db, preview))
    for secret in (SNILS, PHONE, EMAIL, "Ленина", "Ольга"):
        assert secret not in held
    result = import_students(db, preview)
    assert (result.added, result.updated, result.unchanged, result.invalid) == (4, 0, 0, 0)
    texts = stored_texts(db)
    assert "Иванова" in texts  # the search does see the pupils' values
    for secret in (SNILS, "223-456-789 02", PHONE, EMAIL, "Ольга", "Николаевна"):
        assert not [t for t in texts if secret in t], secret
    assert not [t for t in texts if "Ленина" in t]


def test_re_importing_the_same_file_changes_nothing(db, ejournal):
    import_students(db, read_students(ejournal))
    before = snapshot(db)
    again = read_students(ejournal)
    todo = plan(db, again)
    assert (todo.added, todo.updated, todo.unchanged, todo.invalid) == (0, 0, 4, 0)
    result = import_students(db, again)
    assert (result.added, result.updated, result.unchanged, result.invalid) == (0, 0, 4, 0)
    assert snapshot(db) == before


# ---- three name columns, the class per row written five ways, dates as text and real dates -----------------------

THREE_COLUMNS = [
    ("Список учащихся 2026/2027",),
    ("Фамилия", "Имя", "Отчество", "Дата рождения", "Класс", "Пол", "Дата зачисления", "Телефон"),
    ("Кузнецов", "Илья", "Андреевич", dt.date(2015, 2, 3), "5А", "м", dt.datetime(2022, 9, 1), PHONE),
    ("Кузнецова", "Анна", "Андреевна", "03.02.2015", "5 А", "ж", "01.09.2022", None),
    ("Смирнов", "Олег", None, "2014-11-30", "5-а", "муж", None, None),
    ("Попова", "Вера", "Ивановна", "12.12.2009", "11 «Б»", "жен.", None, None),
    ("Волков", "Денис", "Олегович", "7.7.2015", "5а класс", "м", None, None),
    ("Зайцев", "Марк", "Львович", "08.08.2015", "5A", "m", None, None),  # a Latin A
    ("Орлова", "Ева", "Игоревна", 42248, 6, "ж", None, None),  # a date cell that lost its format; grade only
]


@pytest.fixture
def three(tmp_path):
    return write_xlsx(tmp_path / "классы.xlsx", THREE_COLUMNS)


def test_three_name_columns_and_the_class_written_five_ways(three):
    preview = read_students(three)
    assert preview.mapping == {
        "last_name": 0, "first_name": 1, "middle_name": 2, "birth_date": 3, "class": 4, "gender": 5, "enrolled_on": 6,
    }
    classes = {r.values["last_name"]: r.class_name for r in preview.rows}
    assert classes == {
        "Кузнецов": "5А", "Кузнецова": "5А", "Смирнов": "5А", "Попова": "11Б", "Волков": "5А", "Зайцев": "5А",
        "Орлова": "6",  # a grade without a letter, as small schools write it
    }
    assert all(r.values["letter"] in ("А", "Б", None) for r in preview.rows)  # Cyrillic, never the Latin look-alike
    dates = {r.values["last_name"]: r.values["birth_date"] for r in preview.rows}
    assert dates["Кузнецов"] == dates["Кузнецова"] == "2015-02-03"
    assert dates["Волков"] == "2015-07-07" and dates["Смирнов"] == "2014-11-30"
    assert preview.rows[0].values["enrolled_on"] == preview.rows[1].values["enrolled_on"] == "2022-09-01"
    assert preview.problems == []


def test_a_two_row_header_under_a_merged_fio(tmp_path):
    rows = [
        ("№", "ФИО обучающегося", None, None, "Класс", "Дата рождения"),
        (None, "Фамилия", "Имя", "Отчество", None, None),
        (1, "Белова", "Алиса", "Романовна", "7 «В»", "10.10.2013"),
    ]
    preview = read_students(write_xlsx(tmp_path / "two.xlsx", rows, merged=["B1:D1", "A1:A2", "E1:E2", "F1:F2"]))
    assert preview.header_row == 2
    assert preview.mapping == {"last_name": 1, "first_name": 2, "middle_name": 3, "class": 4, "birth_date": 5}
    assert [(r.name, r.class_name) for r in preview.rows] == [("Белова Алиса Романовна", "7В")]


def test_a_class_row_inside_the_list_gives_the_class_of_the_rows_below(tmp_path):
    rows = [
        ("ФИО", "Дата рождения", "Класс"),
        ("5 А класс",),
        ("Андреев Андрей Андреевич", "01.01.2015", None),
        ("Борисова Бэлла Борисовна", "02.02.2015", None),
        ("5Б",),
        ("Васильев Василий", "03.03.2015", None),
        ("Григорьева Галина", "04.04.2015", "6В"),
        ("Дмитриев Дмитрий", "05.05.2014", None),  # under a merged "6В"
    ]
    preview = read_students(write_xlsx(tmp_path / "sections.xlsx", rows))
    assert preview.problems == []
    assert [r.class_name for r in preview.rows] == ["5А", "5А", "5Б", "6В", "6В"]


# ---- CSV as Russian Excel saves it -------------------------------------------------------------------------------

CSV_ROWS = [
    ("Список класса", None, None, None, None, None),
    ("ФИО", "Класс", "Дата рождения", "Пол", "СНИЛС", "Адрес"),
    ("Ёлкина Дарья Максимовна", "7Б", "15.04.2013", "ж", SNILS, "ул. Мира; д. 5, кв. \"12\""),
    ("Фомин Глеб Ильич", "7 Б", "2.3.2013", "м", None, "пер. Садовый, 3"),
]


def test_a_cp1251_csv_with_semicolons_and_quoted_cells(tmp_path):
    path = write_csv(tmp_path / "7б.csv", CSV_ROWS, encoding="cp1251", delimiter=";")
    preview = read_students(path)
    assert (preview.sheet, preview.header_row) == ("", 2)
    assert preview.problems == []
    assert [(r.name, r.class_name, r.values["birth_date"]) for r in preview.rows] == [
        ("Ёлкина Дарья Максимовна", "7Б", "2013-04-15"),
        ("Фомин Глеб Ильич", "7Б", "2013-03-02"),
    ]
    assert SNILS not in repr(preview.__dict__) and "Мира" not in repr(preview.__dict__)


def test_a_utf8_bom_csv_with_commas_numbers_rows_by_line(tmp_path):
    lines = [
        ("Фамилия", "Имя", "Отчество", "Класс", "Дата рождения", "Код", "Адрес"),
        ("Жуков", "Лев", "Павлович", "8 «А»", "01.02.2012", "A-17", "г. Энск,\nул. Мира, 5"),  # lines 2–3
        ("Зуева", "Инна", None, "8а", "31.02.2012", "A-18", None),  # line 4: no 31 February
        ("Ильин", "Ян", None, "8 а", "2012-05-06", "A-19", None),
    ]
    path = write_csv(tmp_path / "8a.csv", lines, encoding="utf-8-sig", delimiter=",")
    preview = read_students(path)
    assert preview.mapping["ejournal_id"] == 5
    assert [r.row for r in preview.rows] == [2, 5]
    assert where(preview) == [(4, "E")]
    assert preview.problems[0].reason == _("“{text}” is not a date such as 01.09.2015.").format(text="31.02.2012")


def test_a_utf8_csv_without_bom_and_an_excel_sep_line(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text('sep=,\n"ФИО","Класс"\n"Котов Кирилл","9В"\n', encoding="utf-8")
    preview = read_students(path)
    assert [(r.row, r.name, r.class_name) for r in preview.rows] == [(3, "Котов Кирилл", "9В")]


# ---- rows refused: each named in its own cell, nothing written without --skip-invalid ----------------------------

MESSY = [
    ("ФИО", "Дата рождения", "Класс", "ID"),
    ("Агеев Антон Антонович", "01.03.2015", "5А", "1"),  # 2
    ("Быкова Бэлла", "31.02.2015", "5А", "2"),  # 3: no such day
    ("Васин Виктор", "01.03.2015", "12А", "3"),  # 4: no 12th grade
    ("Глебова Галина", "01.03.2015", "5АБ", "4"),  # 5: two letters
    ("Исаев Иван", "01.03.2015", None, None),  # 6: no class (and no guess under an invalid one)
    ("Агеев Антон Антонович", "01.03.2015", "5А", None),  # 7: row 2 again
    ("Дёмин Денис", "01.03.2015", "5А", "1"),  # 8: the id of row 2
    ("Агеев Антон Антонович", "09.09.2014", "5Б", "8"),  # 9: a namesake born another day
    ("Ершов", "01.03.2015", "5А", None),  # 10: no first name
    ("Жарова Ж. Ж.", "01.03.2015", "5А", None),  # 11: initials
    ("Зотов Захар", "01.03.1990", "5А", None),  # 12: not a pupil's age
    ("Кимов Ким", "01.03.2015", "5А", "x" * 41),  # 13: an id too long
    ("Лунина Лада", "01.03.2015", "5А", None),  # 14: fine
]


@pytest.fixture
def messy(tmp_path):
    return write_xlsx(tmp_path / "messy.xlsx", MESSY)


def test_every_invalid_row_is_named_at_its_cell(messy):
    preview = read_students(messy)
    assert where(preview) == [
        (3, "B"), (4, "C"), (5, "C"), (6, "C"), (7, "A"), (8, "D"), (10, "A"), (11, "A"), (12, "B"), (13, "D")
    ]
    reasons = {p.row: p.reason for p in preview.problems}
    assert reasons[4] == reasons[5].replace("5АБ", "12А") == _("“{text}” is not a class such as 5А.").format(text="12А")
    assert reasons[6] == _("The class is empty.")
    assert reasons[7] == _("Pupil {name} is already in row {row}.").format(name="Агеев Антон Антонович", row=2)
    assert reasons[8] == _("The e-journal id {id} is already in row {row}.").format(id="1", row=2)
    assert reasons[12] == _("A pupil's birth date must be 5 to 21 years ago.")
    assert str(preview.problems[0]) == _("row {row}, column {column}: {reason}").format(
        row=3, column="B", reason=_("“{text}” is not a date such as 01.09.2015.").format(text="31.02.2015")
    )
    assert [r.row for r in preview.rows] == [2, 9, 14]  # the namesake born another day is another pupil


def test_invalid_rows_mean_nothing_is_imported(db, messy):
    before = snapshot(db)
    with pytest.raises(StudentImportError) as caught:
        import_students(db, read_students(messy))
    assert str(caught.value) == _(
        "The list has invalid rows ({n}); nothing was imported. Correct them in the file or skip them."
    ).format(n=10)
    assert snapshot(db) == before


def test_skipping_the_invalid_rows_imports_the_rest(db, messy):
    result = import_students(db, read_students(messy), skip_invalid=True)
    assert (result.added, result.updated, result.unchanged, result.invalid) == (3, 0, 0, 10)
    assert [(p["last_name"], p["birth_date"], p["grade"], p["letter"]) for p in pupils(db)] == [
        ("Агеев", "2014-09-09", 5, "Б"),
        ("Агеев", "2015-03-01", 5, "А"),
        ("Лунина", "2015-03-01", 5, "А"),
    ]


# ---- matching on re-import ---------------------------------------------------------------------------------------


def save_pupil(db, **values):
    return records.save(db, STUDENT, {"grade": 5, "letter": "А", **values})


def test_a_pupil_is_matched_by_name_and_birth_date_and_updated_when_the_class_changed(db, tmp_path):
    kept = save_pupil(db, last_name="Сёмина", first_name="Ольга", middle_name="Ильинична", birth_date="2015-06-01",
                      gender="f", enrolled_on="2022-09-01")
    namesake = save_pupil(db, last_name="Семина", first_name="Ольга", birth_date="2014-01-01", grade=6)
    rows = [("ФИО", "Дата рождения", "Класс"), ("СЕМИНА ОЛЬГА ИЛЬИНИЧНА", "01.06.2015", "5 Б")]
    preview = read_students(write_xlsx(tmp_path / "moved.xlsx", rows))
    todo = plan(db, preview)
    assert [(a.kind, a.student_id, a.changes) for a in todo.actions] == [
        ("update", kept, {"last_name": "Семина", "letter": "Б"})
    ]
    result = import_students(db, preview)
    assert (result.added, result.updated, result.unchanged) == (0, 1, 0)
    stored = records.fetch(db, STUDENT, kept)
    assert (stored["letter"], stored["gender"], stored["enrolled_on"]) == ("Б", "f", "2022-09-01")  # not erased
    assert records.fetch(db, STUDENT, namesake)["grade"] == 6


def test_a_namesake_with_another_birth_date_is_another_pupil(db, tmp_path):
    save_pupil(db, last_name="Орлов", first_name="Олег", birth_date="2014-02-02")
    rows = [("ФИО", "Дата рождения", "Класс"), ("Орлов Олег", "03.03.2015", "5А")]
    result = import_students(db, read_students(write_xlsx(tmp_path / "o.xlsx", rows)))
    assert (result.added, result.updated, result.unchanged) == (1, 0, 0)
    assert count(db, "student") == 2


def test_the_ejournal_id_matches_first_and_a_corrected_name_is_updated(db, tmp_path):
    pupil = save_pupil(db, last_name="Петрова", first_name="Анна", ejournal_id="A-5", birth_date="2015-01-01")
    rows = [("ФИО", "Класс", "Дата рождения", "ID"), ("Петрова-Водкина Анна", "5А", "01.01.2015", "a-5")]
    result = import_students(db, read_students(write_xlsx(tmp_path / "id.xlsx", rows)))
    assert (result.added, result.updated) == (0, 1)
    assert records.fetch(db, STUDENT, pupil)["last_name"] == "Петрова-Водкина"


def test_a_namesake_with_another_ejournal_id_is_another_pupil(db, tmp_path):
    save_pupil(db, last_name="Ким", first_name="Роман", ejournal_id="11")
    rows = [("ФИО", "Класс", "ID"), ("Ким Роман", "8А", "12")]
    result = import_students(db, read_students(write_xlsx(tmp_path / "ids.xlsx", rows)))
    assert (result.added, result.updated) == (1, 0)


def test_a_pupil_who_had_left_and_is_on_the_list_again_is_re_enrolled(db, tmp_path):
    pupil = save_pupil(db, last_name="Титов", first_name="Тимур", birth_date="2013-03-03", grade=7,
                       enrolled_on="2020-09-01", left_on="2025-05-31")
    rows = [("ФИО", "Класс", "Дата рождения"), ("Титов Тимур", "7А", "03.03.2013")]
    preview = read_students(write_xlsx(tmp_path / "back.xlsx", rows))
    assert plan(db, preview).reenrolled == 1
    result = import_students(db, preview)
    assert (result.added, result.updated, result.unchanged, result.reenrolled) == (0, 1, 0, 1)
    assert records.fetch(db, STUDENT, pupil)["left_on"] is None


def test_several_possible_pupils_make_the_row_invalid(db, tmp_path):
    save_pupil(db, last_name="Ли", first_name="Ян", birth_date="2014-01-01")
    save_pupil(db, last_name="Ли", first_name="Ян", birth_date="2015-01-01")
    rows = [("ФИО", "Класс"), ("Ли Ян", "5А")]
    preview = read_students(write_xlsx(tmp_path / "li.xlsx", rows))
    todo = plan(db, preview)
    assert [(p.row, p.column) for p in todo.problems] == [(2, "A")]
    assert (todo.added, todo.updated, todo.unchanged, todo.invalid) == (0, 0, 0, 1)


def test_a_failure_half_way_leaves_nothing_behind(db, ejournal, monkeypatch):
    preview = read_students(ejournal)
    real = records._unknown_references
    calls = []

    def third_fails(db, rtype, clean):  # every pupil written has its references checked against the database first
        calls.append(1)
        return {"last_name": "boom"} if len(calls) == 3 else real(db, rtype, clean)

    monkeypatch.setattr(records, "_unknown_references", third_fails)
    before = snapshot(db)
    with pytest.raises(StudentImportError) as caught:
        import_students(db, preview)
    assert str(caught.value) == _("Row {row}: {reason} Nothing was imported.").format(row=8, reason="boom")
    assert snapshot(db) == before


def test_a_row_the_database_refuses_is_named_and_nothing_is_written(db, ejournal):
    preview = read_students(ejournal)
    before = snapshot(db)
    db.execute(  # the third pupil written is refused by SQLite itself, in the middle of the bulk insert
        "CREATE TEMP TRIGGER refuse_third BEFORE INSERT ON student WHEN (SELECT count(*) FROM student) >= 2 "
        "BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    with pytest.raises(StudentImportError) as caught:
        import_students(db, preview)
    db.execute("DROP TRIGGER refuse_third")
    reason = _("The record refers to something that does not exist.")
    assert str(caught.value) == _("Row {row}: {reason} Nothing was imported.").format(row=8, reason=reason)
    assert snapshot(db) == before
    assert import_students(db, preview).added == len(preview.rows)  # and the same list goes in afterwards


# ---- the column mapping ------------------------------------------------------------------------------------------


def test_the_proposed_mapping_reads_the_usual_headers():
    headers = ["№", "Ф.И.О. обучающегося", "Дата рожд.", "Пол (м/ж)", "Класс", "УИН", "Дата поступления в ОО",
               "Дата рождения матери", "Классный руководитель", "Код ОО", "Полис ОМС"]
    assert propose_mapping(headers) == {
        "full_name": 1, "birth_date": 2, "gender": 3, "class": 4, "ejournal_id": 5, "enrolled_on": 6,
    }
    assert propose_mapping(["Фамилия", "Имя", "Отчество", "ФИО", "Идентификатор"]) == {
        "last_name": 0, "first_name": 1, "middle_name": 2, "ejournal_id": 4,
    }
    assert propose_mapping(["ФИО родителя", "Телефон", "СНИЛС", "Адрес"]) == {}


def test_a_changed_mapping_reads_the_file_again(tmp_path):
    rows = [
        ("Ученик", "Класс", "Примечание", "Дата"),
        ("Носов Никита", "6Г", "01.09.2023", "01.09.2023"),
    ]
    path = write_xlsx(tmp_path / "m.xlsx", rows)
    proposed = read_students(path)
    assert proposed.mapping == {"full_name": 0, "class": 1}
    assert "enrolled_on" not in proposed.rows[0].values
    chosen = read_students(path, {**proposed.mapping, "enrolled_on": 3})
    assert chosen.proposed == proposed.mapping and chosen.mapping["enrolled_on"] == 3
    assert chosen.rows[0].values["enrolled_on"] == "2023-09-01"
    assert chosen.ignored == ["Примечание"]


NO_NAME = "Choose the column with the pupils' full names, or the columns with their last and first names."


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"class": 1}, NO_NAME),
        ({"full_name": 0, "last_name": 0, "class": 1}, None),
        ({"full_name": 0}, None),
        ({"full_name": 0, "class": 99}, "The file has no column {column}."),
    ],
)
def test_a_mapping_that_cannot_work_is_one_clear_error(tmp_path, mapping, message):
    path = write_xlsx(tmp_path / "m.xlsx", [("ФИО", "Класс"), ("Носов Никита", "6Г")])
    with pytest.raises(StudentImportError) as caught:
        read_students(path, mapping)
    if message == "The file has no column {column}.":
        assert str(caught.value) == _(message).format(column="CV")
    elif message:
        assert str(caught.value) == _(message)
    else:
        assert str(caught.value)


def test_only_the_first_list_of_a_workbook_is_read_and_the_others_are_named(tmp_path):
    header = ("ФИО", "Класс")
    path = write_xlsx(tmp_path / "all.xlsx", [header, ("Носов Никита", "6Г")], title="6Г",
                      sheets=[("6Д", [header, ("Рыбин Роман", "6Д")])])
    preview = read_students(path)
    assert [r.name for r in preview.rows] == ["Носов Никита"]
    assert preview.warnings == [
        _(
            "Only the sheet “{sheet}” was read; other sheets hold lists too ({others}): import each from its "
            "own file."
        ).format(sheet="6Г", others="6Д")
    ]


def test_the_class_may_come_from_the_sheet_name(tmp_path):
    path = write_xlsx(tmp_path / "list.xlsx", [("ФИО", "Дата рождения"), ("Носов Никита", "02.02.2014")], title="6 Г")
    assert [r.class_name for r in read_students(path).rows] == ["6Г"]


# ---- files refused whole: one clear sentence, and the database exactly as it was ---------------------------------


def refused(db, path, message, mapping=None):
    before = snapshot(db)
    with pytest.raises(StudentImportError) as caught:
        import_students(db, read_students(path, mapping))
    assert str(caught.value) == message
    assert snapshot(db) == before
    code, lines = run_cli(db, path, skip_invalid=True, dry_run=False)
    assert (code, lines) == (1, [message])
    assert snapshot(db) == before


NOT_XLSX = "The file {name} is not an Excel workbook (.xlsx) or is damaged."
NOT_TEXT = (
    "The file {name} is not a CSV table in UTF-8 or Windows-1251 encoding: save the list from Excel as "
    "“CSV (разделители — точка с запятой)” or as an Excel workbook (.xlsx)."
)


def test_a_text_file_renamed_xlsx_is_refused(db, tmp_path):
    path = tmp_path / "список.xlsx"
    path.write_text("ФИО;Класс\nИванов Иван;5А\n", encoding="utf-8")
    refused(db, path, _(NOT_XLSX).format(name=path.name))


def test_a_truncated_workbook_is_refused(db, tmp_path, ejournal):
    path = tmp_path / "обрезанный.xlsx"
    path.write_bytes(ejournal.read_bytes()[:2500])
    refused(db, path, _(NOT_XLSX).format(name=path.name))


def test_a_zip_that_is_no_workbook_is_refused(db, tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    refused(db, path, _(NOT_XLSX).format(name=path.name))


def test_an_old_xls_is_refused_with_advice(db, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    refused(db, path, _("The file {name} is an old Excel workbook (.xls): save it as .xlsx and import that.")
            .format(name=path.name))


def test_a_password_protected_workbook_is_refused_with_advice(db, tmp_path):
    path = tmp_path / "с паролем.xlsx"  # Excel keeps an encrypted .xlsx in the old OLE2 container
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    refused(
        db,
        path,
        _(
            "The file {name} is protected with a password (or is an old .xls workbook): open it in Excel, "
            "remove the password or save it as .xlsx, and import that."
        ).format(name=path.name),
    )


def test_a_utf16_unicode_text_from_excel_is_read(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("ФИО\tКласс\r\nКотов Кирилл\t9В\r\n".encode("utf-16"))
    assert [(r.name, r.class_name) for r in read_students(path).rows] == [("Котов Кирилл", "9В")]


def test_an_empty_csv_is_refused(db, tmp_path):
    for content in (b"", b"\r\n\r\n", b";;;\r\n;;\r\n", b"\xef\xbb\xbf"):
        path = tmp_path / "пустой.csv"
        path.write_bytes(content)
        refused(db, path, _("The file {name} is empty.").format(name=path.name))


def test_an_empty_workbook_is_refused(db, tmp_path):
    path = write_xlsx(tmp_path / "empty.xlsx", [])
    refused(db, path, _("The workbook {name} is empty.").format(name=path.name))


def test_binary_junk_named_csv_is_refused(db, tmp_path):
    path = tmp_path / "junk.csv"
    path.write_bytes(bytes(range(256)) * 40)
    refused(db, path, _(NOT_TEXT).format(name=path.name))


def test_a_file_that_is_neither_xlsx_nor_csv_is_refused(db, tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8)
    refused(db, path, _("The file {name} is neither an Excel workbook (.xlsx) nor a CSV table.").format(name=path.name))


def test_a_sheet_without_a_header_is_refused(db, tmp_path):
    path = write_xlsx(tmp_path / "noheader.xlsx", [("Иванов Иван", "5А"), ("Петрова Мария", "5А")])
    message = _(
        "No class list was found in {name}: none of the first {n} rows is a header naming the pupils "
        "(“ФИО”, or “Фамилия” and “Имя”) and their class (“Класс”)."
    )
    refused(db, path, message.format(name=path.name, n=30))


def test_a_list_without_any_class_is_refused(db, tmp_path):
    path = write_xlsx(tmp_path / "noclass.xlsx", [("Список учеников",), ("ФИО", "Дата рождения"),
                                                   ("Иванов Иван", "01.01.2015")])
    refused(db, path, _(
        "The list in {name} has no “Класс” column and its title names no class (such as “Список 5 А класса”)."
    ).format(name=path.name))


def test_a_header_without_pupils_is_refused(db, tmp_path):
    path = write_xlsx(tmp_path / "header.xlsx", [("№", "ФИО", "Класс"), (1,), (2, None, "5А")])
    refused(db, path, _("The list in {name} has no pupils below its header.").format(name=path.name))


def test_a_file_over_the_size_limit_is_refused(db, monkeypatch, ejournal):
    unpacked = _("The file {name} is too large to import: its contents unpack to more than {limit} MB.")
    monkeypatch.setattr(student_import, "MAX_UNPACKED_BYTES", 10_000)  # a small zip that unpacks large
    refused(db, ejournal, unpacked.format(name=ejournal.name, limit=1))
    message = _("The file {name} is too large to import: at most {limit} MB.")
    monkeypatch.setattr(student_import, "MAX_FILE_BYTES", 1024)
    refused(db, ejournal, message.format(name=ejournal.name, limit=0))


def test_a_table_over_the_row_or_column_limit_is_refused(db, monkeypatch, tmp_path):
    message = _("The sheet “{sheet}” is too large to import: at most {rows} rows and {columns} columns.")
    wide = write_xlsx(tmp_path / "wide.xlsx", [("ФИО", "Класс"), ("Иванов Иван", "5А", *[None] * 58, "x")])
    refused(db, wide, message.format(sheet="Лист1", rows=5000, columns=60))
    monkeypatch.setattr(student_import, "MAX_ROWS", 10)
    long = write_xlsx(tmp_path / "long.xlsx", [("ФИО", "Класс"), *[(f"Иванов Иван{'а' * i}", "5А") for i in range(10)]])
    refused(db, long, message.format(sheet="Лист1", rows=10, columns=60))
    long_csv = write_csv(tmp_path / "long.csv", [("ФИО", "Класс"), *[("Иванов Иван", "5А")] * 10],
                         encoding="utf-8", delimiter=";")
    refused(db, long_csv, message.format(sheet="long.csv", rows=10, columns=60))


# ---- the command line --------------------------------------------------------------------------------------------


def test_the_command_prints_every_invalid_row_and_writes_nothing_without_skip(db, messy):
    before = snapshot(db)
    code, lines = run_cli(db, messy, skip_invalid=False, dry_run=False)
    assert code == 1
    assert lines[:10] == [str(p) for p in read_students(messy).problems]
    assert lines[10] == student_import.summary(0, 0, 0, 10)
    assert snapshot(db) == before


def test_the_command_dry_run_counts_and_writes_nothing(db, messy):
    before = snapshot(db)
    code, lines = run_cli(db, messy, skip_invalid=True, dry_run=True)
    assert code == 0
    assert student_import.summary(3, 0, 0, 10) in lines
    assert lines[-1] == _("Dry run: nothing was written.")
    assert snapshot(db) == before


def test_the_command_through_main(db, db_path, ejournal, capsys):
    db.conn.close()
    assert main.main(["import", "students", "--db", str(db_path), str(ejournal)]) == 0
    assert capsys.readouterr().out.strip() == student_import.summary(4, 0, 0, 0)
    assert main.main(["import", "students", "--db", str(db_path), str(ejournal)]) == 0
    assert capsys.readouterr().out.strip() == student_import.summary(0, 0, 4, 0)


def test_the_command_with_skip_invalid_imports_the_rest(db, messy):
    code, lines = run_cli(db, messy, skip_invalid=True, dry_run=False)
    assert code == 0
    assert lines[-1] == student_import.summary(3, 0, 0, 10)
    assert count(db, "student") == 3


def test_the_command_with_skip_invalid_but_no_valid_row_fails(db, tmp_path):
    path = write_xlsx(tmp_path / "bad.xlsx", [("ФИО", "Класс"), ("Иванов Иван", "13А"), ("Петров", "5А")])
    before = snapshot(db)
    code, lines = run_cli(db, path, skip_invalid=True, dry_run=False)
    assert code == 1
    assert lines[-2:] == [student_import.summary(0, 0, 0, 2), _("No valid row to import; nothing was written.")]
    assert snapshot(db) == before


# ---- any table: a preview or one clear error, never a crash ------------------------------------------------------

CELLS = st.sampled_from(
    [None, None, "", "ФИО", "Класс", "Фамилия", "Имя", "Дата рождения", "Пол", "ID", "СНИЛС", "Иванов Иван",
     "ИВАНОВА", "5А", "5 «Б»", "12А", "5АБ", 5, 7.0, "м", "ж", "x", "01.09.2015", "31.02.2015",
     dt.datetime(2015, 3, 1), 42248, "Список 5 А класса", "Итого", "x" * 70, "=1+1"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELLS, max_size=7), max_size=10))
def test_any_table_gives_a_preview_or_one_clear_error(db, tmp_path, grid):
    path = write_xlsx(tmp_path / "any.xlsx", [("ФИО", "Класс", "Дата рождения"), *grid] if len(grid) % 2 else grid)
    try:
        preview = read_students(path)
    except StudentImportError as exc:
        assert str(exc)
        return
    assert all(r.row > preview.header_row for r in preview.rows)
    assert all(p.row > preview.header_row and p.column.isalpha() for p in preview.problems)
    assert not {r.row for r in preview.rows} & preview.invalid_rows
    todo = plan(db, preview)
    assert todo.added + todo.updated + todo.unchanged + todo.invalid >= len(preview.rows)


def _tidy_word_reference(word: str) -> str:
    """_tidy_word as it was before its quick path for a word without a hyphen."""
    out = []
    for part in word.split("-"):
        if part.lower() in student_import._LOWER_PARTICLES:
            out.append(part.lower())
        elif len(part) > 1 and (part.isupper() or part.islower()):
            out.append(part[0].upper() + part[1:].lower())
        else:
            out.append(part)
    return "-".join(out)


@pytest.mark.parametrize(
    "word",
    ["ИВАНОВ", "иванов", "Иванов", "ОГЛЫ", "Оглы", "оглы", "кЫзЫ", "И.И.", "и.", "А", "я", "", "-", "Петров-ВОДКИН",
     "İSMAİL", "ǅAMAL", "Д'АРТАНЬЯН", "О'", "x.", "1А"],
)
def test_tidy_word_as_before(word):
    assert student_import._tidy_word(word) == _tidy_word_reference(word)


@given(st.text(alphabet="АаБбЁёЪъIİiıǅǆOoГглыЫкз-'. ", max_size=12))
@settings(max_examples=300, deadline=None)
def test_tidy_word_as_before_on_any_text(word):
    assert student_import._tidy_word(word) == _tidy_word_reference(word)


def test_a_repeated_header_with_a_date_column_is_passed_over(tmp_path):
    """A header repeated after a page break is passed over; a row whose date sits under a header is not."""
    day = dt.datetime(2015, 5, 5)
    path = write_xlsx(
        tmp_path / "5А.xlsx",
        [("ФИО", "Дата рождения", "Класс"), ("Иванов Иван Иванович", day, "5А"), ("ФИО", "Дата рождения", "Класс"),
         ("Петров Пётр Петрович", day, "5А")],
    )
    preview = read_students(path)
    assert [r.values["last_name"] for r in preview.rows] == ["Иванов", "Петров"] and not preview.problems


@given(st.text(alphabet="АаЁёIİǅ1 -'’._\u00ad", max_size=10))
@settings(max_examples=300, deadline=None)
def test_is_name_as_before(text):
    assert student_import._is_name(text) == text.translate(student_import._NAME_MARKS).isalpha()


def test_new_pupils_are_written_as_the_preview_validated_them(db, ejournal, monkeypatch):
    """Each row is checked by the pupil record's rules once, for the preview; the import writes those records."""
    preview = read_students(ejournal)
    checked = []
    real = records.validate
    monkeypatch.setattr(records, "validate", lambda rtype, values: checked.append(1) or real(rtype, values))
    result = import_students(db, preview)
    assert checked == [] and result.added == len(preview.rows) > 0
    stored = {r["last_name"] + r["first_name"]: r for r in records.rows(db, STUDENT)}
    for row in preview.rows:
        assert {k: stored[row.values["last_name"] + row.values["first_name"]][k] for k in row.record} == row.record


def test_records_given_as_validated_still_name_only_stored_references(db):
    from models.programs import PD_COURSE

    clean = records.validate(PD_COURSE, {"staff_id": 999, "title": "Курс", "end_date": "2026-09-01"})
    with pytest.raises(records.ValidationError) as caught:
        records.insert_many(db, PD_COURSE, [clean], validated=True)
    assert "staff_id" in caught.value.errors and count(db, "pd_course") == 0
