"""Import a school's roadmap ("дорожная карта") from the XLSX table it already has: preview, then write.

How rows are read (the seeds' tables, including ones broken across pages):
- The header is the first of the first 30 rows naming a title column and a deadline or responsible column.
  Columns under a merged header cell (002: "Ответственные исполнители" over "Школа – куратор" and "Школа,
  получающая поддержку") are read together. A repeated header, the header's second row again and a row of
  column numbers (1 2 3 4 5) are skipped.
- A measure number ("1.", "29", "1.1") starts a measure. A row without one whose cells all lie in the number
  and title columns is a section, i.e. a task ("Институциональный уровень", "I. Мероприятия, …"), unless it
  is not bold and starts in lower case or with a quote after a measure: that is a sentence carried over.
- A row without a number after a measure continues it when it has no title (and no deadline), when its title
  starts in lower case or with a quote, or when it has neither deadline nor responsible. Its cells are added
  column by column, so "09.01.2023 –" and "29.12.2023" make one range. Any other row is a new measure.
- Cells are text: a formula-looking string stays text, a formula without a cached value is empty, a date cell
  becomes dd.mm.yyyy. Problems (the row is refused) are what the measure form refuses: no title, too long.
  An impossible date (31.02.2027) or a reversed range is a warning only: kept as worded, without dates.
- A report form naming an item of the "report form" list is linked; other wording goes to the description
  as "Report form: …" (translated), so nothing the school wrote is lost.
The file is untrusted: size limits before parsing (xlsx_guard looks at the sheets and strings before openpyxl),
openpyxl reading a stream (its XML through defusedxml), any failure of a damaged or foreign file reported as one
sentence (RoadmapError).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models import records, xlsx_guard
from models.db import Database, transaction
from models.deadlines import Deadline, has_wrong_date, parse_deadline
from models.i18n import _
from models.programs import MEASURE, PROGRAM, PROGRAM_TASK
from models.records import ValidationError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a small zip can unpack to gigabytes; a roadmap never does
MAX_ROWS = 5000
MAX_COLUMNS = 60
HEADER_ROWS = 30  # the header is searched for below a title block of this many rows at most
HEADER_CHARS = 200  # a longer cell is not a column's heading: its words are not looked for

# Column roles and the words that name them in a header (lower case, ё as е), tried in this order so that
# "Сроки исполнения" is a deadline, not a responsible person, and "Форма отчетности" is not a title.
HEADER_WORDS = (
    ("number", ("№", "п/п", "номер")),
    ("deadline", ("срок", "дата", "период")),
    ("responsible", ("ответствен", "исполнител")),
    ("participants", ("участник",)),
    ("result", ("результат", "показател")),
    ("form", ("форм", "отчетн")),
    ("title", ("мероприят", "наименование", "содержание", "описание")),
)
JOINERS = {"responsible": "; ", "deadline": " - "}  # how the columns of one role are joined; others: " "
_MEASURE_NUMBER = re.compile(r"[0-9]{1,4}(?:\.[0-9]{1,3})*\.?")
_ENUMERATION = re.compile(r"^(?:[IVXivx]+|[0-9]+(?:\.[0-9]+)*)\s*[.)]\s+(?=\S)")  # "I. ", "2) " of a section
# A MEASURE field → the column its value came from, where a problem with it is shown (else the title's).
_FIELD_ROLE = {
    "start_date": "deadline",
    "due_date": "deadline",
    "deadline_text": "deadline",
    "responsible_text": "responsible",
    "participants": "participants",
    "expected_result": "result",
    "description": "form",
}


class RoadmapError(Exception):
    """A roadmap file that cannot be read or imported, worded for the user (one sentence)."""


@dataclass(frozen=True)
class RowProblem:
    row: int  # the spreadsheet's own row number
    column: str  # its column letter
    reason: str

    def __str__(self) -> str:
        text = _("row {row}, column {column}: {reason}")
        return text.format(row=self.row, column=self.column, reason=self.reason)


@dataclass
class PreviewMeasure:
    row: int
    number: str
    title: str
    deadline_text: str  # the cell as written
    deadline: Deadline
    responsible_text: str
    expected_result: str
    report_form_text: str
    participants: str = ""


@dataclass
class PreviewTask:
    title: str  # "" for the measures above the first section row
    row: int
    measures: list[PreviewMeasure] = field(default_factory=list)


@dataclass
class RoadmapPreview:
    sheet: str
    header_row: int
    tasks: list[PreviewTask]
    problems: list[RowProblem]  # rows that cannot be imported as they are
    warnings: list[RowProblem]  # rows imported, but not quite as written (a deadline kept without dates)

    @property
    def task_count(self) -> int:
        return sum(1 for t in self.tasks if t.title)

    @property
    def measure_count(self) -> int:
        return sum(len(t.measures) for t in self.tasks)

    @property
    def invalid_rows(self) -> set[int]:
        return {p.row for p in self.problems}


@dataclass(frozen=True)
class ImportResult:
    program_id: int
    tasks_added: int
    measures_added: int
    rows_skipped: int


# ---- reading the file -------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())  # line breaks and runs of spaces of a wrapped cell


def _check_file(path: Path) -> None:
    """Refuse what is too large or plainly not an XLSX before any parser sees it."""
    too_large = _("The file {name} is too large to import: at most {limit} MB.").format(
        name=path.name, limit=MAX_FILE_BYTES // (1024 * 1024)
    )
    try:
        with path.open("rb") as fh:
            magic = fh.read(8)
        if path.stat().st_size > MAX_FILE_BYTES:
            raise RoadmapError(too_large)
    except OSError as exc:
        raise RoadmapError(_("Cannot read the file {name}.").format(name=path.name)) from exc
    if magic.startswith(b"\xd0\xcf\x11\xe0"):  # the OLE2 container of .xls
        text = _("The file {name} is an old Excel workbook (.xls): save it as .xlsx and import that.")
        raise RoadmapError(text.format(name=path.name))
    try:  # a small zip may unpack to gigabytes, or to millions of cells or strings
        xlsx_guard.check(path, unpacked=MAX_UNPACKED_BYTES, rows=MAX_ROWS, columns=MAX_COLUMNS)
    except xlsx_guard.XlsxRefused as exc:
        raise RoadmapError(str(exc)) from None


def _read_sheet(sheet: Any) -> tuple[list[list[str]], set[int]]:
    """A sheet's cells as text, row by row, and the numbers of the rows whose first filled cell is bold."""
    sheet.reset_dimensions()  # the size the file claims is not trusted: the cells are counted
    rows: list[list[str]] = []
    bold: set[int] = set()
    # xlsx_guard has refused a value beyond the limits: nothing past them is read (the check below stays)
    for number, cells in enumerate(sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS + 1), start=1):
        values = [_text(c.value) for c in cells]
        while values and not values[-1]:
            values.pop()
        if values and (number > MAX_ROWS or len(values) > MAX_COLUMNS):
            text = _("The sheet “{sheet}” is too large to import: at most {rows} rows and {columns} columns.")
            raise RoadmapError(text.format(sheet=sheet.title, rows=MAX_ROWS, columns=MAX_COLUMNS))
        first = next((c for c, v in zip(cells, values) if v), None)
        if first is not None and first.font is not None and first.font.b:
            bold.add(number)
        rows.append(values)
    return rows, bold


def _load_sheets(path: Path) -> list[tuple[str, list[list[str]], set[int]]]:
    """Every worksheet of the file: title, rows of text, bold rows."""
    try:
        _check_file(path)
        import openpyxl  # with the first file read (~0.2 s): not with the modules that import this one

        with path.open("rb") as fh:  # a stream, so openpyxl does not judge the file by its extension
            workbook = openpyxl.load_workbook(fh, read_only=True, data_only=True)
            try:
                return [(sheet.title, *_read_sheet(sheet)) for sheet in workbook.worksheets]
            finally:
                workbook.close()
    except RoadmapError:
        raise
    except Exception as exc:  # whatever a damaged or foreign file makes zipfile, XML parsing, openpyxl raise
        text = _("The file {name} is not an Excel workbook (.xlsx) or is damaged.")
        raise RoadmapError(text.format(name=path.name)) from exc


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").replace("\xad", "").split())


def _role(text: str) -> str | None:
    if len(text) > HEADER_CHARS:
        return None
    cell = _normal(text)  # a word's start: "форм" is in "Формы отчетности", not in "Информационное"
    return next(
        (role for role, words in HEADER_WORDS if any(re.search(r"(?<!\w)" + re.escape(w), cell) for w in words)),
        None,
    )


def _header_columns(cells: list[str]) -> dict[str, list[int]]:
    """Role → column indexes, when the row is a roadmap header (a title column, a deadline or responsible)."""
    columns: dict[str, list[int]] = {}
    for index, text in enumerate(cells):
        role = _role(text)
        if role and role not in columns:
            columns[role] = [index]
    return columns if "title" in columns and ({"deadline", "responsible"} & columns.keys()) else {}


# ---- reading the table ------------------------------------------------------------------------------------


def _continues(title: str, deadline: str, responsible: str) -> bool:
    """Whether a row without a number, after a measure, is the rest of that measure (see the docstring)."""
    if not title:
        return not deadline
    return not (title[0].isupper() or title[0].isdigit()) or not (deadline or responsible)


class _Table:
    """Walks the rows below the header, building tasks, measures and problems."""

    def __init__(self, sheet: str, rows: list[list[str]], bold: set[int], header: int, default_year: int):
        self.rows, self.bold, self.header, self.default_year = rows, bold, header, default_year
        self.columns = _header_columns(rows[header])
        self.preview = RoadmapPreview(sheet, header + 1, [PreviewTask("", 0)], [], [])
        self.sub_header: list[str] | None = None
        # A two-level header: its second row names the columns under a merged cell (their header cells empty).
        below = rows[header + 1] if header + 1 < len(rows) else []
        first = min(indexes[0] for indexes in self.columns.values())
        if (
            not self._value(below, "number")
            and not self._value(below, "title")
            and any(v and not _cell(rows[header], j) for j, v in enumerate(below) if j > first)
        ):
            self.sub_header = below
            for indexes in self.columns.values():
                extra = indexes[0] + 1
                while _cell(below, extra) and not _cell(rows[header], extra):
                    indexes.append(extra)
                    extra += 1

    def _value(self, cells: list[str], role: str) -> str:
        parts = [_cell(cells, i) for i in self.columns.get(role, [])]
        return JOINERS.get(role, " ").join(p for p in parts if p)

    def _letter(self, role: str) -> str:
        return xlsx_guard.column_letter(self.columns.get(role, self.columns["title"])[0] + 1)

    def _skipped(self, cells: list[str]) -> bool:
        """A header repeated after a page break, the second header row again, or a row of column numbers."""
        if cells == self.sub_header:
            return True
        header = self.rows[self.header]
        same = [
            role
            for role, (i, *_more) in self.columns.items()
            if _cell(cells, i) and _normal(_cell(cells, i)) == _normal(_cell(header, i))
        ]
        filled = [v for v in cells if v]
        return (
            "title" in same
            and len(same) >= 2
            or len(filled) >= 3
            and filled == [str(n) for n in range(1, len(filled) + 1)]
        )

    def _is_section(self, number: int, cells: list[str], after_measure: bool) -> bool:
        left = max(self.columns["title"][0], self.columns.get("number", [0])[0])
        filled = [i for i, v in enumerate(cells) if v]
        if max(filled) > left:  # a deadline, a responsible… : a measure or a part of one
            return False
        if number in self.bold or self._value(cells, "number") or not after_measure:
            return True
        return cells[filled[0]][0].isupper() or cells[filled[0]][0].isdigit()

    def read(self, name: str) -> RoadmapPreview:
        task, current = self.preview.tasks[0], None
        drafts: list[tuple[PreviewTask, int, dict[int, list[str]]]] = []  # task, row, column → its texts
        for index in range(self.header + 1, len(self.rows)):
            cells, number = self.rows[index], index + 1
            if not any(cells) or self._skipped(cells):
                continue
            numbered = bool(_MEASURE_NUMBER.fullmatch(self._value(cells, "number")))
            if not numbered and self._is_section(number, cells, current is not None):
                task, current = PreviewTask(_ENUMERATION.sub("", " ".join(filter(None, cells))), number), None
                self.preview.tasks.append(task)
            elif (
                not numbered
                and current is not None
                and _continues(*(self._value(cells, role) for role in ("title", "deadline", "responsible")))
            ):
                for i, value in enumerate(cells):
                    if value:
                        current.setdefault(i, []).append(value)
            else:
                current = {i: [v] for i, v in enumerate(cells) if v}
                drafts.append((task, number, current))
        if not drafts:
            text = _("The roadmap table in {name} has no measures below its header.")
            raise RoadmapError(text.format(name=name))
        for task, number, parts in drafts:
            merged = [" ".join(parts.get(i, [])) for i in range(max(parts) + 1)]
            task.measures.append(self._measure(number, merged))
        for task in self.preview.tasks[1:]:
            self._check(PROGRAM_TASK, {"program_id": 1, "position": 1, "text": task.title}, task.row)
        if not self.preview.tasks[0].measures:
            del self.preview.tasks[0]
        self.preview.problems.sort(key=lambda p: p.row)
        return self.preview

    def _measure(self, number: int, cells: list[str]) -> PreviewMeasure:
        deadline = self._value(cells, "deadline")
        measure = PreviewMeasure(
            row=number,
            number=self._value(cells, "number").rstrip("."),
            title=self._value(cells, "title"),
            deadline_text=deadline,
            deadline=parse_deadline(deadline, self.default_year),
            responsible_text=self._value(cells, "responsible"),
            expected_result=self._value(cells, "result"),
            report_form_text=self._value(cells, "form"),
            participants=self._value(cells, "participants"),
        )
        if has_wrong_date(deadline, self.default_year):
            text = _(
                "“{text}” is not a real date or the period ends before it starts; it is kept as worded, without dates."
            )
            warning = RowProblem(number, self._letter("deadline"), text.format(text=deadline))
            self.preview.warnings.append(warning)
        self._check(MEASURE, _measure_values(measure, 1, None, 1, None), number)
        return measure

    def _check(self, rtype: records.RecordType, values: dict, number: int) -> None:
        """What the record's own validation refuses, placed in the row and column the value came from."""
        try:
            records.validate(rtype, values)
        except ValidationError as exc:
            for name, message in exc.errors.items():
                if name == "title" and not values.get("title"):
                    message = _("The row has no measure title.")
                column = self._letter(_FIELD_ROLE.get(name, "title"))
                self.preview.problems.append(RowProblem(number, column, message))


def read_roadmap(path: str | Path, default_year: int) -> RoadmapPreview:
    """Read a roadmap table from an XLSX file into a preview; nothing is written anywhere.

    `default_year` is the start year of the academic year, which places deadlines written without a year.
    Raises RoadmapError (one translated sentence) for a file that is too large, not an XLSX, damaged or empty,
    or holds no sheet with a recognisable roadmap header. Row problems are listed in the preview instead.
    """
    path = Path(path)
    sheets = _load_sheets(path)
    if not any(any(row) for _title, rows, _bold in sheets for row in rows):
        raise RoadmapError(_("The workbook {name} is empty.").format(name=path.name))
    for title, rows, bold in sheets:
        for index, cells in enumerate(rows[:HEADER_ROWS]):
            if _header_columns(cells):
                return _Table(title, rows, bold, index, default_year).read(path.name)
    text = _(
        "No roadmap table was found in {name}: none of the first {n} rows of a sheet is a header naming "
        "the measures and their deadlines or responsible people."
    )
    raise RoadmapError(text.format(name=path.name, n=HEADER_ROWS))


# ---- writing -----------------------------------------------------------------------------------------------


def _key(text: str) -> str:
    return _normal(text).rstrip(".")


def _measure_values(
    m: PreviewMeasure,
    program_id: int,
    task_id: int | None,
    position: int,
    report_forms: dict[str, int] | None,
) -> dict:
    """The MEASURE record of a preview row. A report form from the list is linked; other wording goes to the
    description (the preview, with no list at hand, checks the longer case)."""
    form_id = (report_forms or {}).get(_key(m.report_form_text)) if m.report_form_text else None
    return {
        "program_id": program_id,
        "task_id": task_id,
        "position": position,
        "title": m.title,
        "start_date": m.deadline.start,
        "due_date": m.deadline.due,
        "deadline_text": m.deadline.text,
        "responsible_text": m.responsible_text,
        "participants": m.participants,
        "expected_result": m.expected_result,
        "report_form_id": form_id,
        "description": _("Report form: {text}").format(text=m.report_form_text)
        if m.report_form_text and form_id is None
        else None,
    }


def _next_position(db: Database, table: str, program_id: int) -> int:
    """After the program's own tasks or measures, so a second import appends."""
    sql = f"SELECT coalesce(max(position), 0) + 1 FROM [{table}] WHERE program_id = ?"
    return db.execute(sql, [program_id]).fetchone()[0]


def _save(db: Database, rtype: records.RecordType, values: dict, row: int) -> int:
    try:
        return records.save(db, rtype, values)
    except ValidationError as exc:
        reason = "; ".join(exc.errors.values())
        text = _("Row {row}: {reason} Nothing was imported.")
        raise RoadmapError(text.format(row=row, reason=reason)) from exc


def import_roadmap(
    db: Database,
    preview: RoadmapPreview,
    *,
    program_id: int | None = None,
    new_program_title: str | None = None,
    skip_invalid: bool = False,
) -> ImportResult:
    """Write the preview into a program in one transaction: all of it or none of it.

    With `new_program_title` a draft program (no risk factor) is made; otherwise the tasks and measures are
    appended to program `program_id`, after its own. Each section becomes a task, each row a measure.
    Refuses (RoadmapError) a preview with problems unless `skip_invalid`, which leaves those rows out.
    """
    if (program_id is None) == (new_program_title is None):
        raise RoadmapError(_("Choose an existing program or give the title of a new one."))
    if preview.problems and not skip_invalid:
        text = _("The roadmap has invalid rows ({n}); nothing was imported. Correct them in the file or skip them.")
        raise RoadmapError(text.format(n=len(preview.invalid_rows)))
    invalid = preview.invalid_rows
    forms = {_key(name): item_id for item_id, name in records.options(db, "report_form")}
    tasks_added = measures_added = 0
    with transaction(db):
        if new_program_title is not None:
            try:
                program_id = records.save(db, PROGRAM, {"title": new_program_title, "status": "draft"})
            except ValidationError as exc:
                raise RoadmapError(
                    _("The new program cannot be made: {reason}").format(reason="; ".join(exc.errors.values()))
                ) from exc
        elif records.fetch(db, PROGRAM, program_id) is None:
            raise RoadmapError(_("The program No. {id} does not exist.").format(id=program_id))
        task_position = _next_position(db, "program_task", program_id)
        position = _next_position(db, "measure", program_id)
        for task in preview.tasks:
            task_id = None
            if task.title and task.row not in invalid:  # a refused section leaves its measures without a task
                task_id = _save(
                    db,
                    PROGRAM_TASK,
                    {"program_id": program_id, "position": task_position, "text": task.title},
                    task.row,
                )
                task_position, tasks_added = task_position + 1, tasks_added + 1
            for m in task.measures:
                if m.row in invalid:
                    continue
                _save(db, MEASURE, _measure_values(m, program_id, task_id, position, forms), m.row)
                position, measures_added = position + 1, measures_added + 1
    return ImportResult(program_id, tasks_added, measures_added, len(invalid))


def default_year_for(db: Database, program_id: int | None, today: dt.date | None = None) -> int:
    """The academic year that places deadlines written without a year: the program's, else the current one."""
    from models.school import academic_year_start

    program = records.fetch(db, PROGRAM, program_id) if program_id else None
    if program and program.get("start_date"):
        return academic_year_start(dt.date.fromisoformat(program["start_date"]))
    return academic_year_start(today or dt.date.today())


def run_cli(
    db: Database,
    path: str | Path,
    *,
    program_id: int | None,
    new_program_title: str | None,
    skip_invalid: bool,
    dry_run: bool,
) -> tuple[int, list[str]]:
    """The `import roadmap` command: (exit code, lines to print). Invalid rows are listed one per line."""
    try:
        preview = read_roadmap(path, default_year_for(db, program_id))
    except RoadmapError as exc:
        return 1, [str(exc)]
    lines = [str(p) for p in preview.problems] + [str(w) for w in preview.warnings]
    counts = _("tasks: {tasks}, measures: {measures}, invalid rows: {invalid}").format(
        tasks=preview.task_count, measures=preview.measure_count, invalid=len(preview.invalid_rows)
    )
    if preview.problems and not skip_invalid:
        return 1, [*lines, _("Nothing was imported: {counts}.").format(counts=counts)]
    if dry_run:
        return 0, [*lines, _("Checked, nothing written (--dry-run): {counts}.").format(counts=counts)]
    try:
        result = import_roadmap(
            db, preview, program_id=program_id, new_program_title=new_program_title, skip_invalid=skip_invalid
        )
    except RoadmapError as exc:
        return 1, [*lines, str(exc)]
    return 0, [
        *lines,
        _("Added to program No. {program}: tasks {tasks}, measures {measures}; skipped rows {skipped}.").format(
            program=result.program_id,
            tasks=result.tasks_added,
            measures=result.measures_added,
            skipped=result.rows_skipped,
        ),
    ]
