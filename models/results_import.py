"""Import an assessment's results from the XLSX table a school already keeps:

    ФИО | Класс | 1 | 2 | … | Балл | Отметка

How the sheet is read:
- The header is the first row (within the first 30) naming the pupils — "ФИО" in one column or "Фамилия",
  "Имя" (and "Отчество") in three — with task columns and/or a score or mark column. Title rows above it are
  kept as text (to guess the kind, subject and date). Task columns are headed by whole numbers ("1", "№ 1",
  "Задание 1"), possibly on a second header row under a merged "Задания". "Балл"/"Сумма"/"Итого" and
  "Отметка"/"Оценка" are optional; without a "Класс" column the class is taken from the title ("5 А класс").
- A class is written "5А", "5 А", "5-а", "11 «Б»", "5а класс" (Latin look-alike letters count as Cyrillic); an
  empty class cell under a filled one continues it (a merged cell).
- "н", "отс", "не писал" in a points, score or mark cell, or a row with no points, score or mark at all, is an
  absent pupil. An empty points cell beside filled ones is 0.
- A row named "Макс…" gives the max points of every task (and the max score); without it a task's max points
  are the most any pupil scored. Rows such as "Итого", "Средний балл", "% выполнения" without a class are not
  pupils and are left out.
- Every other row is validated; each problem is reported as "row N, column C: reason" with the sheet's own row
  number and column letter. Pupils are matched by name and class against the pupils of the school (case and ё/е
  do not matter; a pupil who had left by the date of the work is not matched).

The file is untrusted: at most 10 MB, a bounded unpacked size and number of rows and cells (xlsx_guard looks at it
before openpyxl), opened as a stream in read-only mode (openpyxl parses XML with defusedxml); any failure to read
it is one sentence (ResultsImportError).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models import assessments, fmt, records, xlsx_guard
from models.assessments import ASSESSMENT, ASSESSMENT_TASK, KIND_LABELS, KINDS, class_label
from models.db import Database, transaction
from models.i18n import N_, _
from models.records import Field, Kind, RecordType, ValidationError
from models.roadmap_import import RowProblem
from models.school import academic_year_start

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a small zip can unpack to gigabytes; a results table never does
MAX_ROWS = 5000
MAX_COLUMNS = 250
HEADER_ROWS = 30

# Words of the file format (how Russian school tables head their columns), compared lower-case with ё as е.
_FULL_NAME = re.compile(
    r"^(ф\.?\s*и\.?\s*о\b.*|фио\b.*|фамилия,?\s+имя\b.*|фамилия и имя\b.*|обучающи\w*|"
    r"ученик\w*|учащи\w*)$"
)
_LAST_NAME = re.compile(r"^фамилия( ученика| обучающегося)?$")
_FIRST_NAME = re.compile(r"^имя$")
_MIDDLE_NAME = re.compile(r"^отчество$")
_CLASS = re.compile(r"^класс\b")
_TOTAL = re.compile(
    r"^(балл|баллы|сумма|сумма баллов|итого|итог|общий балл|первичный балл|всего баллов|"
    r"кол-во баллов|количество баллов)\b"
)
_MARK = re.compile(r"^(отметка|оценка)\b")
_TASK = re.compile(r"^(?:(?:задание|зад\.?|з\.?|№)\s*)?(\d{1,3})\.?$")
_MAX_ROW = re.compile(
    r"^(макс\.?|максимум|максимальн\w*)(\s+(балл|баллы|баллов|количество баллов))?$"
)  # not "Максимов"
_SUMMARY_ROW = re.compile(
    r"^(%|(итого|всего|средн(ий|ее|яя)|процент|доля|количество|кол-во|выполнени\w*|выполнил\w*|"
    r"справил\w*|не справил\w*|учитель|подпись)\b)"
)
_ABSENT = {
    "н",
    "н.",
    "нб",
    "н/я",
    "неявка",
    "отс",
    "отс.",
    "отсутствовал",
    "отсутствовала",
    "не писал",
    "не писала",
    "болел",
    "болела",
    "б",
}
_DASHES = {"-", "–", "—"}  # a task not done
_LATIN = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")
_CLASS_TEXT = re.compile(r"^(\d{1,2})\s*[-–—]?\s*[«\"'“]?\s*([А-ЯЁ]?)\s*[»\"'”]?\s*(?:КЛАСС|КЛ\.?)?$")
_CLASS_IN_TITLE = re.compile(r"(?<!\d)(\d{1,2})\s*[-–—]?\s*[«\"'“]?([А-ЯЁ]?)[»\"'”]?\s*(?:КЛАСС|КЛ\.)", re.IGNORECASE)
_DATE_IN_TITLE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")
# Stems of the kinds as titles word them; checked in this order ("пробный ОГЭ" is a mock exam).
_KIND_WORDS = (
    ("mock", ("пробн",)),
    ("vpr", ("впр", "всероссийск")),
    ("oge", ("огэ",)),
    ("ege", ("егэ",)),
    ("entrance", ("входн", "стартов")),
    ("intermediate", ("промежуточн", "полугод")),
    ("final", ("итогов", "годов")),
    ("term_marks", ("четверт",)),
)


class ResultsImportError(Exception):
    """A results file that cannot be read or imported, worded for the user (one sentence)."""


@dataclass
class PreviewRow:
    row: int
    name: str  # as written, for messages
    last: str
    first: str
    middle: str
    grade: int | None
    letter: str
    points: dict[int, float] = field(default_factory=dict)
    total: float | None = None
    mark: int | None = None
    absent: bool = False

    @property
    def class_name(self) -> str:
        return class_label(self.grade, self.letter)


@dataclass
class ResultsPreview:
    file_name: str
    sheet: str
    header_row: int
    title: str  # the text above the header
    task_numbers: list[int]
    task_max: dict[int, float]
    max_given: bool  # the file has a "Макс" row
    max_score: float | None
    grade: int | None
    letter: str | None  # None: several classes of the grade
    rows: list[PreviewRow]
    problems: list[RowProblem]
    warnings: list[RowProblem]
    name_column: str
    class_column: str

    @property
    def invalid_rows(self) -> set[int]:
        return {p.row for p in self.problems}

    @property
    def class_name(self) -> str:
        return class_label(self.grade, self.letter)


@dataclass
class ImportResult:
    assessment_id: int | None
    written: bool
    added: int
    updated: int
    unchanged: int
    invalid: int
    problems: list[RowProblem]
    warnings: list[RowProblem]

    def summary(self) -> str:
        return _("added: {added}, updated: {updated}, unchanged: {unchanged}, invalid: {invalid}").format(
            added=self.added, updated=self.updated, unchanged=self.unchanged, invalid=self.invalid
        )


# ---- reading the file ----------------------------------------------------------------------------------------------


def _norm(text: Any) -> str:
    return " ".join(str(text).lower().replace("ё", "е").replace("\xa0", " ").split()).rstrip(":").strip()


def _load(path: Path) -> list[tuple[str, list[list[Any]]]]:
    """Every worksheet: its title and its cell values, row by row (trailing empty cells dropped)."""
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            magic = fh.read(8)
    except OSError as exc:
        raise ResultsImportError(_("Cannot read the file {name}.").format(name=name)) from exc
    too_large = _("The file {name} is too large to import: at most {limit} MB.").format(
        name=name, limit=MAX_FILE_BYTES // (1024 * 1024)
    )
    if size > MAX_FILE_BYTES:
        raise ResultsImportError(too_large)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):  # the OLE2 container of .xls
        raise ResultsImportError(
            _("The file {name} is an old Excel workbook (.xls): save it as .xlsx and import that.").format(name=name)
        )
    sheets = []
    try:
        # before openpyxl: a small zip may unpack to gigabytes, or to millions of cells or strings
        xlsx_guard.check(path, unpacked=MAX_UNPACKED_BYTES, rows=MAX_ROWS, columns=MAX_COLUMNS)
        import openpyxl  # with the first file read (~0.2 s, in the background): not when the Assessments tab opens

        with path.open("rb") as fh:  # a stream, so openpyxl does not judge the file by its extension
            workbook = openpyxl.load_workbook(fh, read_only=True, data_only=True)
            try:
                for sheet in workbook.worksheets:
                    sheet.reset_dimensions()  # the size the file claims is not trusted; the cells are counted
                    rows: list[list[Any]] = []
                    cells = sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS + 1, values_only=True)
                    for number, values in enumerate(cells, start=1):
                        values = [None if isinstance(v, str) and not v.strip() else v for v in values]
                        while values and values[-1] is None:
                            values.pop()
                        if values and (number > MAX_ROWS or len(values) > MAX_COLUMNS):
                            raise ResultsImportError(
                                _(
                                    "The sheet “{sheet}” is too large to import: at most {rows} rows and {columns} "
                                    "columns."
                                ).format(sheet=sheet.title, rows=MAX_ROWS, columns=MAX_COLUMNS)
                            )
                        rows.append(values)
                    sheets.append((sheet.title, rows))
            finally:
                workbook.close()
    except ResultsImportError:
        raise
    except xlsx_guard.XlsxRefused as exc:
        raise ResultsImportError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 — whatever a damaged or foreign file makes the parsers raise
        raise ResultsImportError(
            _("The file {name} is not an Excel workbook (.xlsx) or is damaged.").format(name=name)
        ) from exc
    return sheets


def _cell(cells: list[Any], index: int | None) -> Any:
    return cells[index] if index is not None and index < len(cells) else None


def _task_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() and 1 <= value <= 200 else None
    match = _TASK.match(_norm(value)) if value is not None else None
    return int(match.group(1)) if match and 1 <= int(match.group(1)) <= 200 else None


@dataclass
class _Columns:
    full: int | None = None
    last: int | None = None
    first: int | None = None
    middle: int | None = None
    klass: int | None = None
    total: int | None = None
    mark: int | None = None
    tasks: dict[int, int] = field(default_factory=dict)  # column index → task number

    @property
    def has_name(self) -> bool:
        return self.full is not None or self.last is not None and self.first is not None

    @property
    def name(self) -> int:
        return self.full if self.full is not None else self.last


def _header(cells: list[Any], below: list[Any]) -> tuple[_Columns, bool] | None:
    """The columns, when this row is a results header; and whether the task numbers are on the row below."""
    cols = _Columns()
    for index, value in enumerate(cells):
        if value is None:
            continue
        text = _norm(value)
        for attr, pattern in (
            ("full", _FULL_NAME),
            ("last", _LAST_NAME),
            ("first", _FIRST_NAME),
            ("middle", _MIDDLE_NAME),
            ("klass", _CLASS),
            ("total", _TOTAL),
            ("mark", _MARK),
        ):
            if pattern.match(text) and getattr(cols, attr) is None:
                setattr(cols, attr, index)
                break
        else:
            number = _task_number(value)
            if number is not None:
                cols.tasks[index] = number
    if not cols.has_name:
        return None
    two_level = False
    if not cols.tasks and _cell(below, cols.name) is None:  # a merged "Задания" over a row of task numbers
        taken = {cols.full, cols.last, cols.first, cols.middle, cols.klass, cols.total, cols.mark}
        found = {i: _task_number(v) for i, v in enumerate(below) if i not in taken and _task_number(v) is not None}
        if found:
            cols.tasks, two_level = found, True
    if not cols.tasks and cols.total is None and cols.mark is None:
        return None
    return cols, two_level


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _parse_class(value: Any) -> tuple[int, str] | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (int(value), "") if float(value).is_integer() and 1 <= value <= 11 else None
    match = _CLASS_TEXT.match(_text(value).upper().translate(_LATIN))
    if not match or not 1 <= int(match.group(1)) <= 11:
        return None
    return int(match.group(1)), match.group(2)


def _split_name(text: str) -> list[str]:
    return re.sub(r"\.(?=\S)", ". ", text).split()


class _Reader:
    def __init__(self, file_name: str, sheet: str, rows: list[list[Any]], header: int, cols: _Columns, two: bool):
        self.rows, self.cols = rows, cols
        self.bad_rows: set[int] = set()
        self.first_data = header + (2 if two else 1)
        title_lines = [" ".join(_text(v) for v in r if v is not None) for r in rows[:header]]
        task_numbers = sorted(cols.tasks.values())
        self.preview = ResultsPreview(
            file_name=file_name,
            sheet=sheet,
            header_row=header + 1,
            title="\n".join(t for t in title_lines if t),
            task_numbers=task_numbers,
            task_max={},
            max_given=False,
            max_score=None,
            grade=None,
            letter=None,
            rows=[],
            problems=[],
            warnings=[],
            name_column=xlsx_guard.column_letter(cols.name + 1),
            class_column=xlsx_guard.column_letter(cols.klass + 1) if cols.klass is not None else "",
        )

    def problem(self, row: int, column: int | None, reason: str) -> None:
        letter = xlsx_guard.column_letter(column + 1) if column is not None else self.preview.name_column
        self.preview.problems.append(RowProblem(row, letter, reason))
        self.bad_rows.add(row)

    def warning(self, row: int, column: int | None, reason: str) -> None:
        letter = xlsx_guard.column_letter(column + 1) if column is not None else self.preview.name_column
        self.preview.warnings.append(RowProblem(row, letter, reason))

    def _number(self, value: Any, number: int, column: int, mark: bool = False) -> float | str | None:
        """A cell's number; 'absent' for an absence mark; None when empty; a problem when not a number."""
        if value is None:
            return None
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, (int, float)):
            result = float(value)
        else:
            text = _norm(value)
            if text in _ABSENT:
                return "absent"
            if text in _DASHES:
                return 0.0
            try:
                result = fmt.parse_number(text)
            except ValueError:
                text = _("“{text}” is not a mark.") if mark else _("“{text}” is not a number of points.")
                self.problem(number, column, text.format(text=_text(value)))
                return "bad"
        if not math.isfinite(result):  # "1e999", or a hundred digits: infinity
            self.problem(number, column, _("The number is out of range."))
            return "bad"
        if result < 0:
            self.problem(number, column, _("{value} is below zero.").format(value=fmt.format_number(result)))
            return "bad"
        return result

    def read(self, title_class: tuple[int, str] | None) -> ResultsPreview:
        cols, preview = self.cols, self.preview
        previous_class: tuple[int, str] | None = None
        drafts: list[tuple[PreviewRow, dict[int, float]]] = []
        for index in range(self.first_data, len(self.rows)):
            cells, number = self.rows[index], index + 1
            if not any(v is not None for v in cells):
                continue
            name_text = _text(_cell(cells, cols.name))
            class_value = _cell(cells, cols.klass)
            key = _norm(name_text)
            if _MAX_ROW.match(key):
                self._max_row(cells, number)
                continue
            if class_value is None and (_SUMMARY_ROW.match(key) or not key and not self._has_values(cells)):
                continue
            filled = [_text(v) for v in cells if v is not None]
            if len(filled) >= 3 and filled == [str(n) for n in range(1, len(filled) + 1)]:
                continue  # a row of column numbers under the header
            drafts.append(self._pupil(cells, number, class_value, title_class, previous_class))
            if drafts[-1][0].grade is not None:
                previous_class = (drafts[-1][0].grade, drafts[-1][0].letter)
        if not drafts:
            raise ResultsImportError(
                _("The table in {name} has no pupils below its header.").format(name=preview.file_name)
            )
        self._finish(drafts)
        preview.problems.sort(key=lambda p: p.row)
        preview.warnings.sort(key=lambda p: p.row)
        return preview

    def _has_values(self, cells: list[Any]) -> bool:
        return any(_cell(cells, i) is not None for i in [*self.cols.tasks, self.cols.total, self.cols.mark])

    def _max_row(self, cells: list[Any], number: int) -> None:
        preview = self.preview
        for column, task in self.cols.tasks.items():
            value = self._number(_cell(cells, column), number, column)
            if isinstance(value, float):
                if value <= 0:
                    self.problem(number, column, _("The max points of a task must be above zero."))
                else:
                    preview.task_max[task] = value
        total = (
            self._number(_cell(cells, self.cols.total), number, self.cols.total)
            if self.cols.total is not None
            else None
        )
        if isinstance(total, float) and total > 0:
            preview.max_score = total
        preview.max_given = True

    def _pupil(self, cells, number, class_value, title_class, previous_class) -> tuple[PreviewRow, dict]:
        cols = self.cols
        if cols.full is not None:
            name = _text(_cell(cells, cols.full))
            parts = _split_name(name)
            last, first, middle = (parts + ["", ""])[0], (parts + ["", ""])[1], " ".join(parts[2:])
        else:
            last, first, middle = (
                _text(_cell(cells, c)) if c is not None else "" for c in (cols.last, cols.first, cols.middle)
            )
            name = " ".join(p for p in (last, first, middle) if p)
        row = PreviewRow(number, name, last, first, middle, None, "")
        if not name:
            self.problem(number, cols.name, _("The row has no pupil's name."))
        elif not first:
            self.problem(
                number,
                cols.first if cols.full is None else cols.name,
                _("Write the pupil's last and first name: “{name}”.").format(name=name),
            )
        if cols.klass is None:
            parsed = title_class
        elif class_value is None:
            parsed = previous_class  # a merged class cell continues downwards
            if parsed is None:
                self.problem(number, cols.klass, _("The class is empty."))
        else:
            parsed = _parse_class(class_value)
            if parsed is None:
                self.problem(
                    number,
                    cols.klass,
                    _("“{text}” is not a class such as 5А.").format(text=_text(class_value)),
                )
        if parsed:
            row.grade, row.letter = parsed
        raw: dict[int, float] = {}
        absent_marks = bad = False
        for column, _task in sorted(cols.tasks.items(), key=lambda c: c[1]):
            value = self._number(_cell(cells, column), number, column)
            if value == "absent":
                absent_marks = True
            elif value == "bad":
                bad = True
            elif value is not None:
                raw[column] = value
        total = self._number(_cell(cells, cols.total), number, cols.total) if cols.total is not None else None
        mark_value = _cell(cells, cols.mark) if cols.mark is not None else None
        mark = self._number(mark_value, number, cols.mark, mark=True) if mark_value is not None else None
        absent_marks = absent_marks or total == "absent" or mark == "absent"
        if isinstance(mark, float):
            if not mark.is_integer() or not 1 <= mark <= 5:
                self.problem(
                    number,
                    cols.mark,
                    _("The mark {value} is not one of 1 to 5.").format(value=fmt.format_number(mark)),
                )
                bad = True
            else:
                row.mark = int(mark)
        if isinstance(total, float):
            row.total = total
        if absent_marks and (raw or row.total is not None or row.mark is not None):
            self.problem(number, cols.name, _("The row has both points and an absence mark."))
        elif absent_marks or not (raw or row.total is not None or row.mark is not None or bad):
            row.absent = True
        return row, raw

    def _finish(self, drafts: list[tuple[PreviewRow, dict[int, float]]]) -> None:
        preview, cols = self.preview, self.cols
        found_max: dict[int, float] = {}
        for _row, raw in drafts:
            for column, value in raw.items():
                task = cols.tasks[column]
                found_max[task] = max(found_max.get(task, 0.0), value)
        for task in preview.task_numbers:
            if task not in preview.task_max:
                if preview.max_given:
                    self.warning(
                        preview.header_row,
                        None,
                        _("The max points of task {n} are not given; the most any pupil scored is taken.").format(
                            n=task
                        ),
                    )
                preview.task_max[task] = found_max.get(task) or 1.0
        grades = Counter(r.grade for r, _raw in drafts if r.grade is not None)
        preview.grade = grades.most_common(1)[0][0] if grades else None
        letters = {r.letter for r, _raw in drafts if r.grade == preview.grade}
        preview.letter = letters.pop() if len(letters) == 1 else None
        if preview.letter == "":
            preview.letter = None
        if preview.max_score is None and preview.task_numbers:
            preview.max_score = sum(preview.task_max.values())
        seen: dict[tuple, int] = {}
        for row, raw in drafts:
            if row.grade is not None and row.grade != preview.grade:
                self.problem(
                    row.row,
                    cols.klass,
                    _("Class {name}: the file is for grade {grade}; import each grade separately.").format(
                        name=row.class_name, grade=preview.grade
                    ),
                )
            for column, value in raw.items():
                task = cols.tasks[column]
                if value > preview.task_max[task]:
                    self.problem(
                        row.row,
                        column,
                        _("{value} points are above the max {max} of task {n}.").format(
                            value=fmt.format_number(value),
                            max=fmt.format_number(preview.task_max[task]),
                            n=task,
                        ),
                    )
                else:
                    row.points[task] = value
            if preview.task_numbers and not row.absent and raw and row.row not in self.bad_rows:
                for task in preview.task_numbers:
                    row.points.setdefault(task, 0.0)  # an empty cell beside filled ones: the task not done
                total = sum(row.points.values())
                if row.total is not None and abs(row.total - total) > 1e-9:
                    self.warning(
                        row.row,
                        cols.total,
                        _("The score {total} is not the sum of the points {sum}; the sum is kept.").format(
                            total=fmt.format_number(row.total), sum=fmt.format_number(total)
                        ),
                    )
                row.total = total
            if (
                row.total is not None
                and preview.max_score is not None
                and row.total > preview.max_score
                and not preview.task_numbers
            ):
                self.problem(
                    row.row,
                    cols.total,
                    _("The score {total} is above the max score {max}.").format(
                        total=fmt.format_number(row.total), max=fmt.format_number(preview.max_score)
                    ),
                )
            key = (_norm(row.last), _norm(row.first), _norm(row.middle), row.grade, row.letter)
            if row.name and key in seen:
                self.problem(
                    row.row,
                    cols.name,
                    _("Pupil {name} ({class_name}) is already in row {row}.").format(
                        name=row.name, class_name=row.class_name, row=seen[key]
                    ),
                )
            elif row.name:
                seen[key] = row.row
            preview.rows.append(row)


def read_results(path: str | Path) -> ResultsPreview:
    """Read an assessment's results from an XLSX file into a preview; nothing is written anywhere.

    Raises ResultsImportError (one translated sentence) for a file that is too large, not an XLSX, damaged or
    empty, or has no recognisable header. Row problems are listed in the preview instead.
    """
    path = Path(path)
    sheets = _load(path)
    if not any(any(v is not None for v in row) for _title, rows in sheets for row in rows):
        raise ResultsImportError(_("The workbook {name} is empty.").format(name=path.name))
    for title, rows in sheets:
        for index, cells in enumerate(rows[:HEADER_ROWS]):
            found = _header(cells, rows[index + 1] if index + 1 < len(rows) else [])
            if found is None:
                continue
            cols, two_level = found
            repeated = [n for n, times in Counter(cols.tasks.values()).items() if times > 1]
            if repeated:
                raise ResultsImportError(
                    _("In {name} task {n} heads two columns; number the tasks 1, 2, 3…").format(
                        name=path.name, n=repeated[0]
                    )
                )
            title_text = " ".join(_text(v) for r in rows[:index] for v in r if v is not None)
            title_class = None
            if cols.klass is None:
                match = _CLASS_IN_TITLE.search(title_text.upper().translate(_LATIN))
                if match is None or not 1 <= int(match.group(1)) <= 11:
                    raise ResultsImportError(
                        _(
                            "The table in {name} has no “Класс” column and its title names no class (such as “5 А "
                            "класс”)."
                        ).format(name=path.name)
                    )
                title_class = (int(match.group(1)), match.group(2))
            return _Reader(path.name, title, rows, index, cols, two_level).read(title_class)
    raise ResultsImportError(
        _(
            "No results table was found in {name}: none of the first {n} rows of a sheet is a header with the "
            "pupils' names (“ФИО”) and task numbers, a score or a mark."
        ).format(name=path.name, n=HEADER_ROWS)
    )


def guess_settings(db: Database, preview: ResultsPreview) -> dict:
    """The kind, subject and date the title rows (or the file name) suggest; a key is missing when unsure."""
    text = _norm(f"{preview.title} {Path(preview.file_name).stem.replace('_', ' ')}")
    out: dict = {}
    for kind, stems in _KIND_WORDS:
        if any(stem in text for stem in stems):
            out["kind"] = kind
            break
    found = []
    for subject_id, name in records.options(db, "subject"):
        words = [w for w in re.findall(r"\w+", _norm(name)) if len(w) >= 4]
        if words and all(re.search(r"(?<!\w)" + re.escape(w[:-2] if len(w) > 5 else w), text) for w in words):
            found.append((len(name), subject_id))
    if found:
        out["subject_id"] = max(found)[1]  # "русский язык" rather than "язык" alone
    match = _DATE_IN_TITLE.search(preview.title)
    if match:
        try:
            out["date"] = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1))).isoformat()
        except ValueError:
            pass
    return out


# ---- matching and writing ------------------------------------------------------------------------------------------


def _same(given: str, stored: str | None) -> bool:
    """A name part as written in the file against the stored one: equal, or an initial ("И." / "И")."""
    given, stored = _norm(given).rstrip("."), _norm(stored or "")
    if not given:
        return True
    if len(given) == 1:
        return stored.startswith(given)
    return given == stored


class _Students:
    def __init__(self, db: Database):
        self.by_last: dict[str, list[dict]] = {}
        for s in db.dicts("SELECT id, last_name, first_name, middle_name, grade, letter, left_on FROM student"):
            self.by_last.setdefault(_norm(s["last_name"]), []).append(s)
        promoted = (
            db.execute("SELECT value FROM app_state WHERE key = 'promoted_into'").fetchone()
            if "app_state" in db.table_names()
            else None
        )
        self.classes_year = int(promoted[0]) if promoted else academic_year_start(dt.date.today())

    def match(self, row: PreviewRow, day: str) -> tuple[int | None, str]:
        """The pupil's id, or None and the reason."""
        shift = max(0, self.classes_year - academic_year_start(dt.date.fromisoformat(day)))
        grades = {row.grade, row.grade + shift}  # a past year's class: its pupils have moved up since
        named = [
            s
            for s in self.by_last.get(_norm(row.last), [])
            if _same(row.first, s["first_name"]) and _same(row.middle, s["middle_name"])
        ]
        placed = [s for s in named if s["grade"] in grades and (not row.letter or (s["letter"] or "") == row.letter)]
        here = [s for s in placed if not s["left_on"] or s["left_on"] > day]
        who = {"name": row.name, "class_name": row.class_name}
        if len(here) == 1:
            return here[0]["id"], ""
        if len(here) > 1:
            exact = [s for s in here if s["grade"] == row.grade]
            if len(exact) == 1:
                return exact[0]["id"], ""
            return None, _("Several pupils are named {name} in {class_name}; write the middle name too.").format(**who)
        if placed:
            return None, _("Pupil {name} ({class_name}) left the school on {date}.").format(
                date=fmt.format_date(placed[0]["left_on"]), **who
            )
        return None, _("Pupil {name} ({class_name}) not found.").format(**who)


class _DryRun(Exception):
    pass


def _existing_assessment(
    db: Database, kind: str, subject_id: int, grade: int, letter: str | None, date: str
) -> int | None:
    found = db.execute(
        "SELECT id FROM assessment WHERE kind = ? AND subject_id = ? AND grade = ? AND "
        "coalesce(class_letter, '') = ? AND date = ? ORDER BY id LIMIT 1",
        [kind, subject_id, grade, letter or "", date],
    ).fetchone()
    return found[0] if found else None


def import_results(
    db: Database,
    preview: ResultsPreview,
    *,
    kind: str,
    subject_id: int,
    date: str,
    skip_invalid: bool = False,
    dry_run: bool = False,
    mark3: float | None = None,
    mark4: float | None = None,
    mark5: float | None = None,
    title: str | None = None,
) -> ImportResult:
    """Write the preview as an assessment with its tasks and results, in one transaction: all or nothing.

    The assessment (kind, subject, the file's grade and class letter, date; thresholds and title optional) is
    made, or found when one with the same kind, subject, class and date exists (a corrected file re-imported:
    results are updated). Pupils are matched by name and class. A row with a problem means nothing is written
    (`written` is false and `problems` lists every one) unless `skip_invalid`, which leaves such rows out.
    `dry_run` does everything and then rolls it back, to count what would happen.
    """
    if kind not in KIND_LABELS:
        raise ResultsImportError(
            _("Unknown kind of assessment “{kind}”: choose one of {kinds}.").format(
                kind=kind, kinds=", ".join(KIND_LABELS)
            )
        )
    try:
        day = fmt.parse_date(date)
    except ValueError:
        raise ResultsImportError(_("Not a date: type it as dd.mm.yyyy, for example 01.09.2026.")) from None
    if preview.grade is None:
        raise ResultsImportError(_("No row of {name} names a class.").format(name=preview.file_name))
    problems = list(preview.problems)
    students = _Students(db)
    matched: dict[int, int] = {}  # student id → the row that has it
    rows = []
    for row in preview.rows:
        if row.row in preview.invalid_rows or row.grade != preview.grade or not row.first:
            continue
        student_id, reason = students.match(row, day)
        if student_id is None:
            problems.append(RowProblem(row.row, preview.name_column, reason))
        elif student_id in matched:
            problems.append(
                RowProblem(
                    row.row,
                    preview.name_column,
                    _("Pupil {name} ({class_name}) is already in row {row}.").format(
                        name=row.name, class_name=row.class_name, row=matched[student_id]
                    ),
                )
            )
        else:
            matched[student_id] = row.row
            rows.append((row, student_id))
    problems.sort(key=lambda p: p.row)
    invalid = {p.row for p in problems}
    result = ImportResult(None, False, 0, 0, 0, len(invalid), problems, list(preview.warnings))
    if invalid and not skip_invalid or not rows:
        return result
    values = {
        "kind": kind,
        "subject_id": subject_id,
        "grade": preview.grade,
        "class_letter": preview.letter,
        "date": day,
        "max_score": preview.max_score,
        "mark3": mark3,
        "mark4": mark4,
        "mark5": mark5,
        "title": title or None,
    }
    try:
        with transaction(db):
            assessment_id = _write(db, preview, values, rows)
            result.assessment_id = assessment_id
            counts = assessments.save_results(
                db,
                assessment_id,
                [
                    {
                        "student_id": sid,
                        "points": row.points,
                        "total": row.total,
                        "mark": row.mark,
                        "absent": row.absent,
                    }
                    for row, sid in rows
                ],
            )
            result.added, result.updated, result.unchanged = (
                counts["added"],
                counts["updated"],
                counts["unchanged"],
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        result.assessment_id = None
        return result
    except ValidationError as exc:
        raise ResultsImportError(
            _("Nothing was imported: {reason}").format(reason=" ".join(exc.errors.values()))
        ) from exc
    result.written = True
    return result


def _write(db: Database, preview: ResultsPreview, values: dict, rows) -> int:
    """The assessment (found or made) with its tasks; returns its id."""
    assessment_id = _existing_assessment(
        db, values["kind"], values["subject_id"], values["grade"], values["class_letter"], values["date"]
    )
    if assessment_id is None:
        assessment_id = assessments.save_assessment(db, values)
    else:
        stored = records.fetch(db, ASSESSMENT, assessment_id)
        changes = {k: values[k] for k in ("mark3", "mark4", "mark5", "title") if values[k] is not None}
        if preview.max_given or stored["max_score"] is None:
            changes["max_score"] = values["max_score"]
        if changes:
            assessments.save_assessment(db, changes, assessment_id)
    have = {t["number"]: t for t in assessments.tasks(db, assessment_id)}
    for number in preview.task_numbers:
        wanted = preview.task_max[number]
        task = have.get(number)
        if task is None:
            records.save(db, ASSESSMENT_TASK, {"assessment_id": assessment_id, "number": number, "max_points": wanted})
        elif preview.max_given and task["max_points"] != wanted or task["max_points"] < wanted:
            records.save(db, ASSESSMENT_TASK, {"max_points": wanted}, task["id"])
    return assessment_id


IMPORT_SETTINGS = RecordType(  # what the import dialog asks; validated like a record, never saved as such
    name="results_import",
    table="",
    title=N_("Load results"),
    plural=N_("Load results"),
    fields=(
        Field("kind", N_("Kind"), Kind.CHOICE, required=True, choices=KINDS),
        Field("subject_id", N_("Subject"), Kind.REF, required=True, ref="subject"),
        Field("date", N_("Date"), Kind.DATE, required=True),
        Field("mark3", N_("Min score for 3"), Kind.NUMBER, minimum=0, maximum=assessments.MAX_SCORE),
        Field("mark4", N_("Min score for 4"), Kind.NUMBER, minimum=0, maximum=assessments.MAX_SCORE),
        Field("mark5", N_("Min score for 5"), Kind.NUMBER, minimum=0, maximum=assessments.MAX_SCORE),
        Field("title", N_("Title"), max_length=300),
        Field("skip_invalid", N_("Skip the rows with problems"), Kind.BOOL),
    ),
    display=lambda r: "",
)


def import_from_form(db: Database, preview: ResultsPreview, values: dict, dry_run: bool = False) -> ImportResult:
    """Import with what the import dialog holds (validated like a record: ValidationError at its fields)."""
    clean = records.validate(IMPORT_SETTINGS, values)
    errors = assessments._check_assessment({**clean, "max_score": preview.max_score})
    if errors:
        raise ValidationError(errors)
    try:
        return import_results(
            db, preview, kind=clean["kind"], subject_id=clean["subject_id"], date=clean["date"],
            skip_invalid=bool(clean["skip_invalid"]), dry_run=dry_run, mark3=clean["mark3"], mark4=clean["mark4"],
            mark5=clean["mark5"], title=clean["title"],
        )  # fmt: skip
    except ResultsImportError as exc:
        raise ValidationError({"": str(exc)}) from exc


def subject_by_name(db: Database, name: str) -> int:
    """The id of the subject named so in the 'subject' list (case and ё/е do not matter)."""
    subjects = records.options(db, "subject")
    for subject_id, label in subjects:
        if _norm(label) == _norm(name):
            return subject_id
    close = difflib.get_close_matches(_norm(name), [_norm(label) for _i, label in subjects], n=1)
    hint = next((label for _i, label in subjects if close and _norm(label) == close[0]), None)
    text = _("The subject “{name}” is not in the list of subjects; nothing was written.").format(name=name)
    if hint:
        text += " " + _("Did you mean “{name}”?").format(name=hint)
    raise ResultsImportError(text)


def run_import_results(
    db: Database,
    path: str | Path,
    kind: str,
    subject_name: str,
    date_iso: str,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> tuple[int, list[str]]:
    """The command line's `import results`: the exit code and the lines to print (to stderr when the code is not 0).

    Prints the counts (added / updated / unchanged / invalid) and every invalid row as "row N, column C: reason".
    """
    try:
        subject_id = subject_by_name(db, subject_name)
        preview = read_results(path)
        result = import_results(
            db,
            preview,
            kind=kind,
            subject_id=subject_id,
            date=date_iso,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
        )
    except ResultsImportError as exc:
        return 1, [str(exc)]
    lines = [result.summary()] + [str(p) for p in result.problems]
    lines += [_("warning: {text}").format(text=str(w)) for w in result.warnings]
    blocked = bool(result.problems) and not skip_invalid or not (result.added or result.updated or result.unchanged)
    if dry_run:
        lines.insert(0, _("Dry run: nothing was written."))
    elif blocked and skip_invalid:
        lines.append(_("No valid row to import; nothing was written."))
    elif blocked:
        lines.append(_("Nothing was written: correct the rows in the file, or skip them with --skip-invalid."))
    return (1 if blocked else 0), lines
