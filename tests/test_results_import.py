"""Importing results from XLSX files made the way schools make them: title rows, ФИО in one column or three,
classes written "5 А", "5-а", "11 «Б»", "н" for an absent pupil, a row of maximum points — and every kind of
mistake reported once, as "row N, column C: reason", with nothing written unless invalid rows are skipped."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from models import records, results_import, school
from models.i18n import _
from models.results_import import ResultsImportError, import_results, read_results, run_import_results
from tests.conftest import count
from tests.test_assessments import add_pupils, subject_id


def make_xlsx(path: Path, rows: list[list], sheet: str = "Лист1") -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def pupils(db):
    school.create_academic_year(db, 2026)
    ids = add_pupils(
        db, 5, "А", ["Иванов Иван Иванович", "Петрова Анна", "Сидоров Олег", "Фёдорова Юлия", "Гусев Павел",
                     "Кузнецов Илья"],
    )  # fmt: skip
    ids += add_pupils(db, 5, "А", ["Уехавший Марк"], left_on="2026-09-01")
    ids += add_pupils(db, 5, "Б", ["Иванов Иван Петрович"])
    return ids


MESSY = [
    ["МБОУ «СОШ № 19»"],
    ["Результаты входной контрольной работы по математике, 5 А класс, 15.09.2026"],
    [],
    ["№ п/п", "ФИО обучающегося", "Класс", 1, 2, 3, "Балл", "Отметка"],
    [None, "Макс. балл", None, 2, 2, 4, 8],
    [1, "Иванов Иван", "5 А", 2, 2, 4, 8, 5],
    [2, "Петрова Анна", "5А", 0, 1, 1, 2, 2],
    [3, "Сидоров Олег", "5-а", "н", "н", "н"],
    [4, "Неизвестный Пётр", "5А", 1, 1, 1, 3, 3],
    [5, "петрова анна", "5 а", 1, 1, 1, 3, 3],
    [6, "Уехавший Марк", "5А", 2, 2, 2, 6, 4],
    [7, "Федорова Юлия", "5А", 1, "1,5", None, 2.5, 3],
    [8, "Гусев Павел", "5А", "два", 1, 1, 2, 2],
    [9, "Кузнецов Илья", "5А", 3, 1, 1, 5, 4],
    [None, "Средний балл", None, 1.5, 1.2, 1.8, 4.5],
]


def expected_problems() -> list[str]:
    return [
        str(results_import.RowProblem(*p))
        for p in (
            (9, "B", _("Pupil {name} ({class_name}) not found.").format(name="Неизвестный Пётр", class_name="5А")),
            (10, "B", _("Pupil {name} ({class_name}) is already in row {row}.").format(
                name="петрова анна", class_name="5А", row=7)),
            (11, "B", _("Pupil {name} ({class_name}) left the school on {date}.").format(
                name="Уехавший Марк", class_name="5А", date="01.09.2026")),
            (13, "D", _("“{text}” is not a number of points.").format(text="два")),
            (14, "D", _("{value} points are above the max {max} of task {n}.").format(value="3", max="2", n=1)),
        )
    ]  # fmt: skip


def test_a_messy_file_reports_every_bad_row_once_and_writes_nothing(db, pupils, tmp_path):
    preview = read_results(make_xlsx(tmp_path / "входная.xlsx", MESSY))
    assert (preview.header_row, preview.grade, preview.letter, preview.task_numbers) == (4, 5, "А", [1, 2, 3])
    assert preview.task_max == {1: 2, 2: 2, 3: 4} and preview.max_score == 8 and preview.max_given
    assert len(preview.rows) == 9  # the max row and the average row are not pupils
    result = import_results(db, preview, kind="entrance", subject_id=subject_id(db), date="2026-09-15")
    assert [str(p) for p in result.problems] == expected_problems()
    assert not result.written and result.invalid == 5
    assert count(db, "assessment") == count(db, "assessment_result") == count(db, "task_result") == 0


def test_skipping_invalid_rows_writes_the_rest(db, pupils, tmp_path):
    preview = read_results(make_xlsx(tmp_path / "входная.xlsx", MESSY))
    result = import_results(
        db, preview, kind="entrance", subject_id=subject_id(db), date="2026-09-15", skip_invalid=True
    )
    assert result.written and (result.added, result.updated, result.unchanged, result.invalid) == (4, 0, 0, 5)
    assessment = db.execute("SELECT kind, grade, class_letter, date, max_score, term_id FROM assessment").fetchone()
    assert assessment[:5] == ("entrance", 5, "А", "2026-09-15", 8) and assessment[5] is not None
    assert db.execute("SELECT number, max_points FROM assessment_task ORDER BY number").fetchall() == [
        (1, 2), (2, 2), (3, 4)
    ]  # fmt: skip
    results = db.execute(
        "SELECT s.last_name, r.total, r.mark, r.absent FROM assessment_result r JOIN student s ON s.id = r.student_id "
        "ORDER BY s.last_name"
    ).fetchall()
    # "Федорова" in the file is "Фёдорова" at school; her empty third task is 0
    assert results == [("Иванов", 8, 5, 0), ("Петрова", 2, 2, 0), ("Сидоров", None, None, 1), ("Фёдорова", 2.5, 3, 0)]
    ivanov = db.execute("SELECT id FROM student WHERE last_name = 'Иванов' AND letter = 'А'").fetchone()[0]
    assert (
        db.execute(
            "SELECT count(*) FROM assessment_result WHERE student_id = ?", [ivanov]
        ).fetchone()[0] == 1
    )  # fmt: skip


def test_a_corrected_file_imported_again_updates_the_same_assessment(db, pupils, tmp_path):
    rows = [r for r in MESSY if not (isinstance(r and r[0], int) and r[0] >= 4)]
    first = import_results(db, read_results(make_xlsx(tmp_path / "a.xlsx", rows)), kind="entrance",
                           subject_id=subject_id(db), date="15.09.2026")  # fmt: skip
    assert (first.added, first.invalid) == (3, 0)
    rows[6] = [2, "Петрова Анна", "5А", 1, 1, 1, 3, 3]
    again = import_results(db, read_results(make_xlsx(tmp_path / "a.xlsx", rows)), kind="entrance",
                           subject_id=subject_id(db), date="2026-09-15")  # fmt: skip
    assert (again.added, again.updated, again.unchanged) == (0, 1, 2) and again.assessment_id == first.assessment_id
    assert count(db, "assessment") == 1


def test_names_in_three_columns_classes_in_any_spelling_and_a_two_level_header(db, tmp_path):
    school.create_academic_year(db, 2026)
    add_pupils(db, 11, "Б", ["Орлова Мария Петровна", "Зайцев Лев"])
    rows = [
        ["Пробный ОГЭ"],
        ["Фамилия", "Имя", "Отчество", "Класс", "Задания", None, "Сумма", "Оценка"],
        [None, None, None, None, "№1", "№2"],
        ["ОРЛОВА", "мария", "П.", "11 «Б»", 1, 0, None, None],
        ["Зайцев", "Лев", None, "11 б", "отс", None, None, None],
    ]
    preview = read_results(make_xlsx(tmp_path / "огэ.xlsx", rows))
    assert preview.task_numbers == [1, 2] and preview.problems == [] and preview.class_name == "11Б"
    assert [(r.grade, r.letter, r.absent, r.total) for r in preview.rows] == [
        (11, "Б", False, 1),
        (11, "Б", True, None),
    ]
    result = import_results(db, preview, kind="mock", subject_id=subject_id(db), date="2026-10-01")
    assert result.written and result.added == 2
    # no max row: a task's max points are the most anyone scored (at least 1)
    assert db.execute("SELECT number, max_points FROM assessment_task ORDER BY number").fetchall() == [(1, 1), (2, 1)]


def test_the_class_from_the_title_when_there_is_no_class_column(db, pupils, tmp_path):
    rows = [["ВПР по математике, 5 «А» класс"], ["ФИО", "Балл", "Отметка"], ["Иванов Иван", 12, 4],
            ["Сидоров Олег", None, None]]  # fmt: skip
    preview = read_results(make_xlsx(tmp_path / "впр.xlsx", rows))
    assert (preview.grade, preview.letter, preview.task_numbers) == (5, "А", [])
    assert [r.absent for r in preview.rows] == [False, True]
    assert results_import.guess_settings(db, preview) == {"kind": "vpr", "subject_id": subject_id(db)}


def test_guessing_the_kind_subject_and_date_from_the_title(db, pupils, tmp_path):
    preview = read_results(make_xlsx(tmp_path / "результаты.xlsx", MESSY))
    guess = results_import.guess_settings(db, preview)
    assert guess == {"kind": "entrance", "subject_id": subject_id(db), "date": "2026-09-15"}
    russian = read_results(make_xlsx(tmp_path / "x.xlsx", [["Итоговая КР по русскому языку"], *MESSY[3:6]]))
    assert results_import.guess_settings(db, russian) == {"kind": "final", "subject_id": subject_id(db, "Русский язык")}


def test_a_sum_that_differs_from_the_points_is_a_warning_and_a_wrong_mark_a_problem(db, pupils, tmp_path):
    rows = [
        ["ФИО", "Класс", 1, 2, "Итого", "Отметка"],
        ["Иванов Иван", "5А", 1, 1, 3, 4],
        ["Сидоров Олег", "5А", 1, 0, 1, 6],
    ]
    preview = read_results(make_xlsx(tmp_path / "x.xlsx", rows))
    reason = _("The score {total} is not the sum of the points {sum}; the sum is kept.").format(total="3", sum="2")
    assert [str(w) for w in preview.warnings] == [str(results_import.RowProblem(2, "E", reason))]
    assert [(p.row, p.column) for p in preview.problems] == [(3, "F")]


def test_a_whole_grade_file_matches_pupils_of_every_class_and_refuses_another_grade(db, pupils, tmp_path):
    add_pupils(db, 6, "А", ["Шестов Игорь"])
    rows = [["ФИО", "Класс", "Отметка"], ["Иванов Иван Петрович", "5б", 4], ["Гусев Павел", "5a", 3],  # a Latin a
            ["Шестов Игорь", "6А", 5]]  # fmt: skip
    preview = read_results(make_xlsx(tmp_path / "x.xlsx", rows))
    assert preview.grade == 5 and preview.letter is None
    assert [(p.row, p.column) for p in preview.problems] == [(4, "B")]
    result = import_results(db, preview, kind="vpr", subject_id=subject_id(db), date="2026-10-01", skip_invalid=True)
    assert result.added == 2
    assert db.execute("SELECT class_letter FROM assessment").fetchone()[0] is None


def test_a_name_shared_in_a_class_needs_the_middle_name(db, pupils, tmp_path):
    add_pupils(db, 5, "А", ["Гусев Павел Андреевич"])
    rows = [["ФИО", "Класс", "Отметка"], ["Гусев Павел", "5А", 4]]
    result = import_results(db, read_results(make_xlsx(tmp_path / "x.xlsx", rows)), kind="vpr",
                            subject_id=subject_id(db), date="2026-10-01")  # fmt: skip
    assert result.problems[0].reason == _(
        "Several pupils are named {name} in {class_name}; write the middle name too."
    ).format(name="Гусев Павел", class_name="5А")


def test_last_years_file_finds_the_pupils_in_their_new_class(db, tmp_path):
    school.create_academic_year(db, 2025)
    school.create_academic_year(db, 2026)
    add_pupils(db, 6, "А", ["Иванов Иван"])  # 5А in spring 2026
    rows = [["ФИО", "Класс", "Отметка"], ["Иванов Иван", "5А", 4]]
    result = import_results(db, read_results(make_xlsx(tmp_path / "x.xlsx", rows)), kind="vpr",
                            subject_id=subject_id(db), date="2026-04-20")  # fmt: skip
    assert result.written and db.execute("SELECT grade FROM assessment").fetchone()[0] == 5


# ---- files that are not what they claim --------------------------------------------------------------------------


def test_files_that_cannot_be_read_give_one_sentence(tmp_path, monkeypatch):
    text = tmp_path / "list.xlsx"
    text.write_text("ФИО;Класс\nИванов;5А\n", encoding="utf-8")
    good = make_xlsx(tmp_path / "good.xlsx", MESSY)
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    xls = tmp_path / "old.xlsx"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    empty = make_xlsx(tmp_path / "empty.xlsx", [])
    no_header = make_xlsx(tmp_path / "notes.xlsx", [["Список класса"], ["Иванов", "Петров"], [1, 2, 3]])
    no_pupils = make_xlsx(tmp_path / "blank.xlsx", [["ФИО", "Класс", 1, 2]])
    cases = {
        text: _("The file {name} is not an Excel workbook (.xlsx) or is damaged.").format(name="list.xlsx"),
        truncated: _("The file {name} is not an Excel workbook (.xlsx) or is damaged.").format(name="truncated.xlsx"),
        xls: _("The file {name} is an old Excel workbook (.xls): save it as .xlsx and import that.").format(
            name="old.xlsx"),
        empty: _("The workbook {name} is empty.").format(name="empty.xlsx"),
        no_pupils: _("The table in {name} has no pupils below its header.").format(name="blank.xlsx"),
        tmp_path / "missing.xlsx": _("Cannot read the file {name}.").format(name="missing.xlsx"),
    }  # fmt: skip
    for path, message in cases.items():
        with pytest.raises(ResultsImportError) as err:
            read_results(path)
        assert str(err.value) == message
    with pytest.raises(ResultsImportError) as err:
        read_results(no_header)
    assert "notes.xlsx" in str(err.value) and "ФИО" in str(err.value)
    monkeypatch.setattr(results_import, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ResultsImportError) as err:
        read_results(good)
    assert str(err.value) == _("The file {name} is too large to import: at most {limit} MB.").format(
        name="good.xlsx", limit=0
    )


def test_too_many_rows_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(results_import, "MAX_ROWS", 10)
    path = make_xlsx(
        tmp_path / "big.xlsx", [["ФИО", "Класс", "Отметка"]] + [[f"Ученик {i}", "5А", 4] for i in range(20)]
    )
    with pytest.raises(ResultsImportError) as err:
        read_results(path)
    assert "10" in str(err.value)


# ---- the command line's function -------------------------------------------------------------------------------


def test_run_import_results_prints_counts_and_every_invalid_row(db, pupils, tmp_path):
    path = make_xlsx(tmp_path / "входная.xlsx", MESSY)
    code, lines = run_import_results(db, path, "entrance", "математика", "2026-09-15")
    assert code == 1
    assert lines[0] == _("added: {added}, updated: {updated}, unchanged: {unchanged}, invalid: {invalid}").format(
        added=0, updated=0, unchanged=0, invalid=5
    )
    assert lines[1:6] == expected_problems() and count(db, "assessment") == 0
    code, lines = run_import_results(db, path, "entrance", "Математика", "2026-09-15", skip_invalid=True, dry_run=True)
    assert code == 0 and lines[0] == _("Dry run: nothing was written.") and count(db, "assessment") == 0
    code, lines = run_import_results(db, path, "entrance", "Математика", "2026-09-15", skip_invalid=True)
    assert code == 0 and lines == [
        _("added: {added}, updated: {updated}, unchanged: {unchanged}, invalid: {invalid}").format(
            added=4, updated=0, unchanged=0, invalid=5
        ),
        *expected_problems(),
    ]
    assert count(db, "assessment_result") == 4


def test_run_import_results_refuses_an_unknown_subject_kind_or_date(db, pupils, tmp_path):
    path = make_xlsx(tmp_path / "x.xlsx", MESSY)
    code, lines = run_import_results(db, path, "entrance", "Матемтика", "2026-09-15")
    assert code == 1 and lines == [
        _("The subject “{name}” is not in the list of subjects; nothing was written.").format(name="Матемтика")
        + " " + _("Did you mean “{name}”?").format(name="Математика")
    ]  # fmt: skip
    code, lines = run_import_results(db, path, "exam", "Математика", "2026-09-15")
    assert code == 1 and "exam" in lines[0] and "entrance" in lines[0]
    code, lines = run_import_results(db, path, "entrance", "Математика", "30.02.2026")
    assert code == 1 and lines == [_("Not a date: type it as dd.mm.yyyy, for example 01.09.2026.")]
    assert count(db, "assessment") == 0
    assert records.options(db, "subject")  # nothing else touched
