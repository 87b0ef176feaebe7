"""Import the pupils from a class list (XLSX or CSV) as schools really have them: preview, then write.

How the file is read:
- XLSX (openpyxl, read-only, cached values of formulas) or CSV as Russian Excel saves it: UTF-8 with or without
  BOM, UTF-16 ("Unicode text"), else Windows-1251; `;`, `,` or tab between cells (the one under which a header
  is found; an Excel "sep=;" first line is obeyed); quoted cells may hold the separator and line breaks.
- The header is the first of the first 30 rows (of the first sheet that has one) naming the pupils — "ФИО" in
  one column or "Фамилия", "Имя" (and "Отчество") in three, also as a second header row under a merged "ФИО" —
  and their class ("Класс"). A list without a class column needs a class in the title rows ("Список 5 А
  класса"), else in the sheet's or the file's name ("5А.xlsx"). Birth date, gender, e-journal id ("ID", "Код",
  "Идентификатор", "УИН"…) and enrolment date are read when there; columns of parents, teachers and any other
  column (СНИЛС, address, phone, e-mail) are never read beyond the row being looked at, and never kept.
- The user may change the proposed mapping (program field → column index); the file is then read again.
- A class is written "5А", "5 А", "5-а", "11 «Б»", "5а класс" (Latin look-alike letters count as Cyrillic); an
  empty class cell takes the class of the row above (a merged cell), else the title's. A row holding nothing
  but a class ("5 Б класс") gives the class of the rows below it. Dates are date cells or text "01.09.2015",
  "1.9.2015", "2015-09-01"; gender "м"/"ж"/"мужской"/"женский"… Names written all in capitals or all in lower
  case are written as names ("ИВАНОВ" → "Иванов"). A class without a letter ("5", "5 класс") is refused per
  row for now: the pupil record cannot store an empty letter (records.convert makes "" NULL, the column is NOT
  NULL).
- Rows without a name and without any other pupil's data (a numbered empty template row), repeated headers, a
  row of column numbers and signatures under the list ("Классный руководитель …") are not pupils and are passed
  over. Every other row is validated by the pupil record's own rules; each problem is "row N, column C: reason"
  with the sheet's own row number (CSV: the line number) and the column letter Excel shows. A second row with
  the same e-journal id, or with the same name and birth date (namesakes with different ids aside), is an
  error in that second row.

How pupils are matched (plan, import): by the e-journal id, else by last and first name (and the middle name
when both have one; case and ё/е do not matter) with the birth date — namesakes with other birth dates are
other pupils, and so are pupils with other e-journal ids unless both birth dates are given and equal (an
e-journal changed: the id is updated). A row without a birth date matches the one pupil of that name. Several
possible pupils make the row invalid. A matched pupil whose values differ from the file's is updated; an empty
cell never erases a stored value. A matched pupil who had left (left_on set) and is in the list again is
re-enrolled: left_on is cleared (counted as updated, and as re-enrolled). Pupils missing from the file are left
alone. Everything is written in one transaction through the pupil record (all or nothing; with skip_invalid
the invalid rows are left out).

The file is untrusted: at most 10 MB, a bounded unpacked size, 5 000 rows and 60 columns (an XLSX is looked at
by xlsx_guard before openpyxl reads it); any failure to read it (not XLSX or CSV, damaged, under a password, not
text, empty, no header) is one translated sentence (StudentImportError) and nothing is written. Only the first
sheet with a list is read; other sheets with a list are named in a warning.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from models import fmt, records, xlsx_guard, xlsx_rows
from models.db import Database, transaction
from models.i18n import N_, _
from models.records import ValidationError
from models.roadmap_import import RowProblem, _normal, _text
from models.school import STUDENT, full_name

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a small zip can unpack to gigabytes; a class list never does
MAX_ROWS = 5000
MAX_COLUMNS = 60
# Files people attach by mistake under a .csv name: PDF, PNG, JPEG, GIF, gzip, RAR, 7-Zip, RTF.
_NOT_TEXT = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf", b"{\\rtf")
HEADER_ROWS = 30  # the header is searched for in this many rows at most

# The program's fields a column can be mapped to, in the order the dialog shows them.
FIELDS = (
    ("last_name", N_("Last name")),
    ("first_name", N_("First name")),
    ("middle_name", N_("Middle name")),
    ("full_name", N_("Last, first and middle name")),
    ("birth_date", N_("Birth date")),
    ("class", N_("Class")),
    ("gender", N_("Gender")),
    ("ejournal_id", N_("E-journal id")),
    ("enrolled_on", N_("Enrolled on")),
)
FIELD_NAMES = tuple(name for name, _label in FIELDS)
STORED = (
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "grade",
    "letter",
    "gender",
    "ejournal_id",
    "enrolled_on",
)

# Words of the file format (how Russian class lists head their columns), compared lower-case with ё as е.
_OTHER_PERSON = re.compile(
    r"родител|мам[аы]|матер|мать|отц|отец|опекун|представител|законн|руководител|учител|педагог|"
    r"сотрудник|врач|брат|сестр"
)
_HEADER_WORDS = (
    (
        "full_name",
        re.compile(
            r"^(ф\.?\s*и\.?\s*о\.?|фамилия,?\s+имя(,?\s+(и\s+)?отчество)?|фамилия и имя|фамилия,? и\.\s*о\.?|"
            r"обучающ\w*|ученик\w*|учащ\w*|воспитанник\w*)(\s+(обучающ\w*|ученик\w*|учащ\w*|ребенка|полностью))?"
            r"(\s*\(\s*(полностью|при наличии)\s*\))?$"
        ),
    ),
    ("last_name", re.compile(r"^фамилия(\s+(обучающ\w*|ученик\w*|учащ\w*|ребенка))?$")),
    ("first_name", re.compile(r"^имя(\s+(обучающ\w*|ученик\w*|учащ\w*|ребенка))?$")),
    ("middle_name", re.compile(r"^отчество(\s+(обучающ\w*|ученик\w*|учащ\w*|ребенка))?(\s*\(при наличии\))?$")),
    ("birth_date", re.compile(r"^(дата\s+рожд\w*\.?|д\.?\s*р\.?|д/р|день рождения)(\s+\S+)?$")),
    (
        "enrolled_on",
        re.compile(
            r"^(дата\s+(приказа\s+о\s+)?(зачислен|поступлен|прибыти|прием|приема)\w*|"
            r"зачислен\w*|поступил\w*|прибыл\w*)(\s+\S+){0,3}$"
        ),
    ),
    ("class", re.compile(r"^(класс|кл\.?)(\s*[(/]?\s*(группа|литера|буква)\s*\)?)?$")),
    ("gender", re.compile(r"^пол(\s*\(м/ж\))?$")),
    (
        "ejournal_id",
        re.compile(
            r"^(id|уин|uid|guid|уид|код|идентификатор|уникальный идентификатор|персона id|id персоны|"
            r"(код|id|идентификатор|номер)\s+(ученика|обучающегося|учащегося|персоны|в\s+\S+\s*журнале|в\s+эж|"
            r"в\s+\S+\s+дневнике|эж)|(id|код)\s+(в\s+)?(эж|эд|сго|ais|аис))$"
        ),
    ),
)
_SKIPPED_NAMES = re.compile(
    r"^(итого|всего|количество|кол-во|классный руководитель|кл\.?\s*руководитель|директор|зам\.?\s*директора|"
    r"заместитель директора|подпись|исп\.|исполнитель|составил|дата составления|м\.\s*п\.?|список составлен)"
)
_LATIN = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")
_QUOTES_OPEN, _QUOTES_CLOSE = "[«\"'“„]?", "[»\"'”“]?"
_CLASS_TEXT = re.compile(rf"^(\d{{1,2}})\s*[-–—/.]?\s*{_QUOTES_OPEN}\s*([А-ЯЁ]?)\s*{_QUOTES_CLOSE}\s*(?:КЛАСС|КЛ\.?)?$")
_CLASS_IN_TITLE = (
    re.compile(rf"(?<![\d/.])(\d{{1,2}})\s*[-–—]?\s*{_QUOTES_OPEN}\s*([А-ЯЁ]?)\s*{_QUOTES_CLOSE}\s*(?:КЛАСС|КЛ\.)"),
    re.compile(rf"КЛАСС\w*\s*[:№]?\s*(\d{{1,2}})\s*[-–—]?\s*{_QUOTES_OPEN}\s*([А-ЯЁ]?)\s*{_QUOTES_CLOSE}(?![А-ЯЁ\d])"),
)
_BARE_CLASS = re.compile(rf"^(\d{{1,2}})\s*[-–—]?\s*{_QUOTES_OPEN}\s*([А-ЯЁ])\s*{_QUOTES_CLOSE}$")
_GENDERS = {
    "m": ("м", "муж", "мужской", "мужск", "мальчик", "мал", "m", "male"),
    "f": ("ж", "жен", "женский", "женск", "девочка", "дев", "f", "female", "w"),
}
_GENDER_OF = {word: value for value, words in _GENDERS.items() for word in words}
_LOWER_PARTICLES = {"оглы", "кызы", "улы", "кизи", "уулу"}  # parts of a Turkic patronymic, written small
_TIME = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")


class StudentImportError(Exception):
    """A class list that cannot be read or imported, worded for the user (one sentence)."""


@dataclass(frozen=True)
class StudentRow:
    """One valid row of the file: only the values a pupil record stores, as they would be stored."""

    row: int  # the spreadsheet's own row number (CSV: the line number)
    values: dict[str, Any]  # STORED fields the file gives (grade and letter always)
    # the whole pupil record as the record's rules made it (records.validate): what a new pupil is added as
    record: dict[str, Any] = field(compare=False, repr=False)

    @property
    def name(self) -> str:
        return full_name(self.values)

    @property
    def class_name(self) -> str:
        return f"{self.values['grade']}{self.values.get('letter') or ''}"


@dataclass
class StudentPreview:
    file_name: str
    sheet: str  # "" for a CSV file
    header_row: int
    headers: list[str]  # the header cells as text, column A first
    proposed: dict[str, int]  # program field → column index, as the header suggests
    mapping: dict[str, int]  # the mapping used
    title_class: tuple[int, str] | None  # the class for rows without one (from the title)
    rows: list[StudentRow]  # the valid rows
    problems: list[RowProblem]
    warnings: list[str] = field(default_factory=list)

    @property
    def invalid_rows(self) -> set[int]:
        return {p.row for p in self.problems}

    @property
    def ignored(self) -> list[str]:
        """Headers of the columns that are not imported."""
        used = set(self.mapping.values())
        return [h for i, h in enumerate(self.headers) if h and i not in used]


@dataclass(frozen=True)
class Action:
    row: int
    kind: str  # "add", "update" or "unchanged"
    student_id: int | None
    changes: dict[str, Any]  # add: every value; update: the changed ones only
    reenrol: bool = False
    record: dict[str, Any] | None = None  # add: the whole record as the preview validated it (StudentRow.record)


@dataclass
class ImportPlan:
    actions: list[Action]
    problems: list[RowProblem]  # the preview's and those found against the database

    def _count(self, kind: str) -> int:
        return sum(1 for a in self.actions if a.kind == kind)

    @property
    def added(self) -> int:
        return self._count("add")

    @property
    def updated(self) -> int:
        return self._count("update")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def reenrolled(self) -> int:
        return sum(1 for a in self.actions if a.reenrol)

    @property
    def invalid(self) -> int:
        return len({p.row for p in self.problems})


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    invalid: int  # rows left out (only with skip_invalid; otherwise nothing is written)
    reenrolled: int = 0  # of the updated: pupils who had left and are in the list again


def summary(added: int, updated: int, unchanged: int, invalid: int) -> str:
    """The one line an import tells: added / updated / unchanged / invalid."""
    return _("added: {added}, updated: {updated}, unchanged: {unchanged}, invalid: {invalid}").format(
        added=added, updated=updated, unchanged=unchanged, invalid=invalid
    )


# ---- the columns ------------------------------------------------------------------------------------------------


def _header_key(text: Any) -> str:
    return _normal(_text(text)).strip(" :*").strip()


def header_field(text: Any) -> str | None:
    """The program field a header cell names, or None ("Телефон родителя", "СНИЛС": none)."""
    key = _header_key(text)
    if not key or len(key) > 60 or _OTHER_PERSON.search(key):
        return None
    return next((name for name, pattern in _HEADER_WORDS if pattern.match(key)), None)


def propose_mapping(headers: list[Any]) -> dict[str, int]:
    """Program field → column index (0 for column A), as the header cells suggest; the first column wins.

    Separate last-name and first-name columns are preferred to a full-name column."""
    mapping: dict[str, int] = {}
    for index, text in enumerate(headers):
        name = header_field(text)
        if name and name not in mapping:
            mapping[name] = index
    if "last_name" in mapping and "first_name" in mapping:
        mapping.pop("full_name", None)
    elif "full_name" in mapping:
        for part in ("last_name", "first_name", "middle_name"):
            mapping.pop(part, None)
    return mapping


def _has_name(mapping: dict[str, int]) -> bool:
    return "full_name" in mapping or "last_name" in mapping and "first_name" in mapping


def _check_mapping(mapping: dict[str, Any], headers: list[str], title_class, file_name: str) -> dict[str, int]:
    unknown = [k for k in mapping if k not in FIELD_NAMES]
    if unknown:
        raise StudentImportError(_("Unknown field “{name}” in the column mapping.").format(name=unknown[0]))
    try:
        mapping = {k: int(v) for k, v in mapping.items() if v is not None}
    except (TypeError, ValueError):
        raise StudentImportError(_("A column is chosen by its number: 0 for A, 1 for B…")) from None
    labels = dict(FIELDS)
    seen: dict[int, str] = {}
    for name, index in mapping.items():
        if not 0 <= index < MAX_COLUMNS:
            raise StudentImportError(
                _("The file has no column {column}.").format(column=get_column_letter(min(max(index, 0), 16383) + 1))
            )
        if index in seen:
            raise StudentImportError(
                _("Column {column} is chosen for both “{one}” and “{other}”.").format(
                    column=get_column_letter(index + 1), one=_(labels[seen[index]]), other=_(labels[name])
                )
            )
        seen[index] = name
    if "full_name" in mapping and {"last_name", "first_name", "middle_name"} & mapping.keys():
        raise StudentImportError(
            _("Choose either the column with the full name or the columns with the last, first and middle name.")
        )
    if not _has_name(mapping):
        raise StudentImportError(
            _("Choose the column with the pupils' full names, or the columns with their last and first names.")
        )
    if "class" not in mapping and title_class is None:
        raise StudentImportError(_no_class(file_name))
    return mapping


def _no_class(file_name: str) -> str:
    return _(
        "The list in {name} has no “Класс” column and its title names no class (such as “Список 5 А класса”)."
    ).format(name=file_name)


# ---- values --------------------------------------------------------------------------------------------------------


def _upper(text: str) -> str:
    return " ".join(text.upper().translate(_LATIN).split())


def parse_class(value: Any) -> tuple[int, str] | None:
    """(grade, letter) of a class as written: "5А", "5 А", "5-а", "11 «Б»", "5а класс", 7; None if not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return (int(value), "") if float(value).is_integer() and 1 <= value <= 11 else None
    match = _CLASS_TEXT.match(_upper(_text(value)))
    if not match or not 1 <= int(match.group(1)) <= 11:
        return None
    return int(match.group(1)), match.group(2)


def class_in_title(text: str, bare: bool = False) -> tuple[int, str] | None:
    """The one class a title names ("Список 5 «А» класса", "Класс: 5А"); with `bare`, also "5А" alone."""
    upper = _upper(text)
    found = {(int(m.group(1)), m.group(2)) for pattern in _CLASS_IN_TITLE for m in pattern.finditer(upper)}
    if bare:
        match = _BARE_CLASS.match(upper)
        if match:
            found.add((int(match.group(1)), match.group(2)))
    found = {c for c in found if 1 <= c[0] <= 11}
    return found.pop() if len(found) == 1 else None


def parse_day(value: Any) -> str:
    """ISO date of a date cell or of text "01.09.2015", "1.9.2015", "2015-09-01"; ValueError otherwise."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 20000 <= value <= 80000:  # a date cell that lost its format
            return from_excel(value).date().isoformat()
        raise ValueError(_text(value))
    text = _TIME.sub("", _text(value))
    text = re.sub(r"\s*г\.?$", "", text)
    return fmt.parse_date(text)


def parse_gender(value: Any) -> str:
    """'m' or 'f' of "м", "ж", "мужской", "жен." …; ValueError otherwise."""
    key = _normal(_text(value)).rstrip(".")
    if key in _GENDER_OF:
        return _GENDER_OF[key]
    raise ValueError(key)


def _tidy_word(word: str) -> str:
    if "-" not in word:  # the usual case, as the loop below handles it
        low = word.lower()
        if low in _LOWER_PARTICLES:
            return low
        return word[0].upper() + word[1:].lower() if len(word) > 1 and (word.isupper() or word.islower()) else word
    parts = word.split("-")
    out = []
    for part in parts:
        if part.lower() in _LOWER_PARTICLES:
            out.append(part.lower())
        elif len(part) > 1 and (part.isupper() or part.islower()):
            out.append(part[0].upper() + part[1:].lower())
        else:
            out.append(part)
    return "-".join(out)


def tidy_name(text: Any) -> str:
    """A name part as a name: spaces tidied, "ИВАНОВ"/"иванов" → "Иванов" (mixed case is kept)."""
    cleaned = " ".join(text.split()) if type(text) is str else _text(text)  # _text's, without its calls
    if not cleaned.isprintable():  # a printable text has no format characters (category Cf): the usual case
        cleaned = "".join(ch for ch in cleaned if unicodedata.category(ch) != "Cf")  # soft hyphens, zero widths
    return " ".join(_tidy_word(w) for w in cleaned.split())


_NAME_MARKS = str.maketrans("", "", " -'’.")


def _is_name(text: str) -> bool:
    """Letters, with spaces, hyphens, apostrophes and dots between them (and at least one letter)."""
    return text.isalpha() or text.translate(_NAME_MARKS).isalpha()  # letters alone: no marks to take out


def _is_initial(text: str) -> bool:
    return len(text.rstrip(".")) == 1


def _key(text: str | None) -> str:
    return _normal(text or "")


def _id_key(text: str | None) -> str:
    return (text or "").strip().casefold()


# ---- reading the file ----------------------------------------------------------------------------------------------

Rows = Iterator[tuple[int, list[Any]]]  # (row number in the file, cell values from column A)


def _too_large(name: str) -> StudentImportError:
    return StudentImportError(
        _("The file {name} is too large to import: at most {limit} MB.").format(
            name=name, limit=MAX_FILE_BYTES // (1024 * 1024)
        )
    )


def _not_xlsx(name: str) -> StudentImportError:
    return StudentImportError(_("The file {name} is not an Excel workbook (.xlsx) or is damaged.").format(name=name))


def _not_text(name: str) -> StudentImportError:
    return StudentImportError(
        _(
            "The file {name} is not a CSV table in UTF-8 or Windows-1251 encoding: save the list from Excel as "
            "“CSV (разделители — точка с запятой)” or as an Excel workbook (.xlsx)."
        ).format(name=name)
    )


def _table_too_large(where: str) -> StudentImportError:
    return StudentImportError(
        _("The sheet “{sheet}” is too large to import: at most {rows} rows and {columns} columns.").format(
            sheet=where, rows=MAX_ROWS, columns=MAX_COLUMNS
        )
    )


def _bounded(rows: Iterator[tuple[int, list[Any]]], where: str) -> Rows:
    """Rows with trailing empty cells dropped, refused beyond the row and column limits."""
    for number, values in rows:
        values = [None if isinstance(v, str) and not v.strip() else v for v in values]
        while values and values[-1] is None:
            values.pop()
        if values and (number > MAX_ROWS or len(values) > MAX_COLUMNS):
            raise _table_too_large(where)
        yield number, values


def _xlsx_rows(sheet: Any, name: str) -> Rows:
    sheet.reset_dimensions()  # the size the file claims is not trusted: each row is as long as its own cells
    # xlsx_guard has refused a value beyond the limits and bounded the rows and cells, so the sheet is read as it
    # is: asking openpyxl for max_row/max_col would pad every row to 61 cells and the list to 5,001 rows.
    # The values are openpyxl's iter_rows(values_only=True), read by xlsx_rows in less than half of its time.
    cells = xlsx_rows.sheet_values(sheet)
    number = 0
    while True:
        try:
            values = next(cells)
        except StopIteration:
            return
        except Exception as exc:  # a damaged sheet: whatever zipfile, the XML parser or openpyxl raise
            raise _not_xlsx(name) from exc
        number += 1
        yield number, list(values)


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]  # Excel's "Unicode text"
    elif data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    else:
        encodings = ["utf-8", "cp1251"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
        if "\x00" in text or controls > len(text) // 200:
            break  # binary data that happens to decode
        return text
    raise _not_text(name)


def _csv_rows(text: str, delimiter: str, name: str) -> Rows:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        start = reader.line_num + 1  # a record's own first line, though a quoted cell may span lines
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise StudentImportError(
                _("The file {name} is a damaged CSV table: a cell is too long or its quotes are not closed.").format(
                    name=name
                )
            ) from exc
        yield start, values


# ---- the table -----------------------------------------------------------------------------------------------------


@dataclass
class _Header:
    index: int  # of the header row in the buffered rows
    rows: int  # header rows: 1, or 2 for a second row under a merged "ФИО"
    headers: list[str]
    proposed: dict[str, int]
    title_class: tuple[int, str] | None


def _title_class(title_rows: list[list[Any]], *names: str) -> tuple[int, str] | None:
    text = "\n".join(" ".join(_text(v) for v in r if v is not None) for r in title_rows)
    found = class_in_title(text)
    for name in names:
        if found is None and name:
            found = class_in_title(name, bare=True)
    return found


def _find_header(rows: list[tuple[int, list[Any]]], *names: str) -> _Header | str | None:
    """The header among the first rows; "no class" when a names header has no class anywhere; else None."""
    no_class = False
    for index, (_number, cells) in enumerate(rows[:HEADER_ROWS]):
        proposed = propose_mapping(cells)
        if not {"full_name", "last_name", "first_name"} & proposed.keys():
            continue
        headers = [_text(v) for v in cells]
        depth = 1
        below = rows[index + 1][1] if index + 1 < len(rows) else []
        under = propose_mapping(below)
        if {"last_name", "first_name"} & under.keys() and not {"last_name", "first_name"} & proposed.keys():
            width = max(len(headers), len(below))
            headers = [_text(_cell(below, i)) or _text(_cell(cells, i)) for i in range(width)]
            proposed, depth = propose_mapping(headers), 2
        if not _has_name(proposed):
            continue
        title = _title_class([c for _n, c in rows[:index]], *names)
        if "class" not in proposed and title is None:
            no_class = True
            continue
        while headers and not headers[-1]:
            headers.pop()
        return _Header(index, depth, headers, proposed, title)
    return "no class" if no_class else None


def _cell(cells: list[Any], index: int | None) -> Any:
    return cells[index] if index is not None and index < len(cells) else None


class _Reader:
    """Turns the rows below the header into valid pupil rows and problems."""

    def __init__(self, file_name: str, sheet: str, header: _Header, mapping: dict[str, int], header_number: int):
        self.mapping = mapping
        self.header_cells = [_header_key(h) for h in header.headers]
        self.preview = StudentPreview(
            file_name=file_name,
            sheet=sheet,
            header_row=header_number,
            headers=header.headers,
            proposed=header.proposed,
            mapping=mapping,
            title_class=header.title_class,
            rows=[],
            problems=[],
        )
        self.current_class = header.title_class
        self.by_id: dict[str, int] = {}
        self.by_name: dict[tuple, list[tuple[int, str]]] = {}
        self._classes: dict[str, tuple[int, str] | None] = {}

    def letter(self, *names: str) -> str:
        for name in names:
            if name in self.mapping:
                return get_column_letter(self.mapping[name] + 1)
        return get_column_letter(self.mapping.get("full_name", self.mapping.get("last_name", 0)) + 1)

    def problem(self, number: int, column: str, reason: str) -> None:
        self.preview.problems.append(RowProblem(number, column, reason))

    def _passed_over(self, cells: list[Any], first: Any) -> bool:
        """A header repeated after a page break, or a row of column numbers (1 2 3 …); `first`: its first value."""
        if first is not None and not (isinstance(first, str) and "1" not in first) and _text(first) == "1":
            filled = [_text(v) for v in cells if v is not None]
            if len(filled) >= 3 and filled == [str(n) for n in range(1, len(filled) + 1)]:
                return True
        hits = 0  # cells that read as the header's cell above them
        for header, value in zip(self.header_cells, cells):
            if not header or value is None:
                continue
            if isinstance(value, str):  # its key's first letter is in it (ё read as е): most names go here
                low = value.lower()
                if header[0] not in low and not (header[0] == "е" and "ё" in low):
                    continue
            elif isinstance(value, dt.date) and not header[0].isdigit():
                continue  # a date's key is "01.09.2015"
            if _header_key(value) == header:
                hits += 1
                if hits == 2:
                    return True
        return False

    def read(self, rows: Rows) -> None:
        for number, cells in rows:
            filled = [v for v in cells if v is not None]
            if not filled or self._passed_over(cells, filled[0]):
                continue
            if len(filled) == 1:
                section = class_in_title(_text(filled[0]), bare=True) if isinstance(filled[0], str) else None
                if section:  # "5 Б класс" or "5Б" alone on a row: the class of the rows below
                    self.current_class = section
                    continue
            raw = {name: _cell(cells, index) for name, index in self.mapping.items()}
            del cells, filled  # the other columns (СНИЛС, address, phone…) go no further
            self._row(number, raw)
        self.preview.problems.sort(key=lambda p: p.row)

    def _name(self, number: int, raw: dict[str, Any]) -> tuple[str, str, str] | None:
        if "full_name" in self.mapping:
            text = tidy_name(raw["full_name"])
            parts = (re.sub(r"\.(?=\S)", ". ", text) if "." in text else text).split()
            last, first, middle = (parts + ["", ""])[0], (parts + ["", ""])[1], " ".join(parts[2:])
            columns = ("full_name",) * 3
        else:
            last, first, middle = (tidy_name(raw.get(k)) for k in ("last_name", "first_name", "middle_name"))
            text = " ".join(p for p in (last, first, middle) if p)
            columns = ("last_name", "first_name", "middle_name")
        ok = True
        if not first and not last:
            self.problem(number, self.letter(columns[0]), _("The row has no pupil's name."))
            return None
        if not last or not first:
            self.problem(
                number,
                self.letter(columns[1] if last else columns[0]),
                _("Write the pupil's last and first name: “{name}”.").format(name=text),
            )
            return None
        for part, column in zip((last, first, middle), columns):
            if part and not _is_name(part):
                self.problem(number, self.letter(column), _("“{text}” is not a pupil's name.").format(text=text))
                return None
        if _is_initial(first) or middle and _is_initial(middle.split()[0]):
            self.problem(
                number,
                self.letter(columns[1]),
                _("Write the pupil's first and middle name in full, not as initials: “{name}”.").format(name=text),
            )
            ok = False
        return (last, first, middle) if ok else None

    def _row(self, number: int, raw: dict[str, Any]) -> None:
        others = not (
            raw.get("birth_date") is None
            and raw.get("ejournal_id") is None
            and raw.get("gender") is None
            and raw.get("enrolled_on") is None
        )
        if not others:
            name_text = " ".join(_text(raw.get(k)) for k in ("full_name", "last_name", "first_name") if raw.get(k))
            if not name_text:
                return  # a template row: a number, perhaps a class, no pupil
            if _SKIPPED_NAMES.match(_normal(name_text)):
                return  # "Классный руководитель ______ /Петрова/" under the list
        before = len(self.preview.problems)
        values: dict[str, Any] = {}
        names = self._name(number, raw)
        if names:
            values.update(zip(("last_name", "first_name", "middle_name"), names))
            if not values["middle_name"]:
                del values["middle_name"]
        klass = self._class(number, raw)
        if klass:
            values["grade"], values["letter"] = klass
        for name in ("birth_date", "enrolled_on"):
            if raw.get(name) is not None:
                try:
                    values[name] = parse_day(raw[name])
                except ValueError:
                    self.problem(
                        number,
                        self.letter(name),
                        _("“{text}” is not a date such as 01.09.2015.").format(text=_text(raw[name])),
                    )
        if raw.get("gender") is not None:
            try:
                values["gender"] = parse_gender(raw["gender"])
            except ValueError:
                self.problem(
                    number,
                    self.letter("gender"),
                    _("“{text}” is not a gender: write м or ж.").format(text=_text(raw["gender"])),
                )
        if raw.get("ejournal_id") is not None:
            values["ejournal_id"] = _text(raw["ejournal_id"])
        record = self._validate(number, values) if len(self.preview.problems) == before else None
        if record is not None and len(self.preview.problems) == before:
            row = StudentRow(number, {k: record[k] for k in values}, record)
            if self._unique(row):
                self.preview.rows.append(row)

    def _class(self, number: int, raw: dict[str, Any]) -> tuple[int, str] | None:
        value = raw.get("class")
        if value is None:
            if self.current_class is None:
                self.problem(number, self.letter("class"), _("The class is empty."))
            return self.current_class
        if type(value) is str:  # a class is written the same way on many rows: parsed once
            parsed = self._classes.get(value, False)
            if parsed is False:
                parsed = self._classes[value] = parse_class(value)
        else:
            parsed = parse_class(value)
        if parsed is None:
            self.problem(
                number, self.letter("class"), _("“{text}” is not a class such as 5А.").format(text=_text(value))
            )
            self.current_class = None  # the empty cells below it are not guessed
            return None
        self.current_class = parsed
        return parsed

    def _validate(self, number: int, values: dict[str, Any]) -> dict[str, Any] | None:
        """The pupil record these values make, as it is stored; or None, and what its rules refuse, in the column
        the value came from."""
        try:
            clean = records.validate(STUDENT, values)
        except ValidationError as exc:
            columns = {
                "last_name": ("last_name", "full_name"),
                "first_name": ("first_name", "full_name"),
                "middle_name": ("middle_name", "full_name"),
                "grade": ("class",),
                "letter": ("class",),
            }
            for name, message in exc.errors.items():
                self.problem(number, self.letter(*columns.get(name, (name,))), message)
            return None
        return clean

    def _unique(self, row: StudentRow) -> bool:
        """False (and a problem) for a second row of the same pupil."""
        v = row.values
        ident = _id_key(v.get("ejournal_id"))
        if ident and ident in self.by_id:
            self.problem(
                row.row,
                self.letter("ejournal_id"),
                _("The e-journal id {id} is already in row {row}.").format(id=v["ejournal_id"], row=self.by_id[ident]),
            )
            return False
        key = (_key(v["last_name"]), _key(v["first_name"]), _key(v.get("middle_name")), v.get("birth_date"))
        for other_row, other_id in self.by_name.get(key, []):
            if not (ident and other_id and ident != other_id):  # namesakes with other ids are other pupils
                self.problem(
                    row.row,
                    self.letter("full_name", "last_name"),
                    _("Pupil {name} is already in row {row}.").format(name=row.name, row=other_row),
                )
                return False
        if ident:
            self.by_id[ident] = row.row
        self.by_name.setdefault(key, []).append((row.row, ident))
        return True


def _read_rows(
    file_name: str, sheets: list[tuple[str, Rows]], mapping: dict[str, int] | None, empty: str
) -> StudentPreview:
    """The first sheet with a header is read; the others are only looked at for a warning. `empty`: the message
    for a file without a single filled cell."""
    chosen: StudentPreview | None = None
    others: list[str] = []
    no_class = filled = False
    stem = Path(file_name).stem
    for title, rows in sheets:
        head = deque(islice(rows, HEADER_ROWS + 1))
        filled = filled or any(values for _n, values in head)
        found = _find_header(list(head), title, stem)
        if not isinstance(found, _Header):
            no_class = no_class or found == "no class"
            continue
        if chosen is not None:
            others.append(title)
            continue
        used = _check_mapping(
            found.proposed if mapping is None else mapping, found.headers, found.title_class, file_name
        )
        header_number = head[found.index + found.rows - 1][0]
        for _i in range(found.index + found.rows):
            head.popleft()  # the title and the header: not needed any more
        reader = _Reader(file_name, title, found, used, header_number)

        def body(head=head, rows=rows) -> Rows:
            while head:
                yield head.popleft()  # no row is kept once read
            yield from rows

        reader.read(body())
        chosen = reader.preview
        if not chosen.rows and not chosen.problems:
            raise StudentImportError(_("The list in {name} has no pupils below its header.").format(name=file_name))
    if chosen is None:
        if not filled and not any(values for _title, rows in sheets for _n, values in rows):
            raise StudentImportError(empty)
        if no_class:
            raise StudentImportError(_no_class(file_name))
        raise StudentImportError(
            _(
                "No class list was found in {name}: none of the first {n} rows is a header naming the pupils "
                "(“ФИО”, or “Фамилия” and “Имя”) and their class (“Класс”)."
            ).format(name=file_name, n=HEADER_ROWS)
        )
    if others:
        chosen.warnings.append(
            _(
                "Only the sheet “{sheet}” was read; other sheets hold lists too ({others}): import each from its "
                "own file."
            ).format(sheet=chosen.sheet, others=", ".join(others))
        )
    return chosen


def _read_xlsx(path: Path, mapping: dict[str, int] | None) -> StudentPreview:
    name = path.name
    try:  # before openpyxl: a small zip may unpack to gigabytes, or to millions of cells or strings
        xlsx_guard.check(path, unpacked=MAX_UNPACKED_BYTES, rows=MAX_ROWS, columns=MAX_COLUMNS)
    except xlsx_guard.XlsxRefused as exc:
        raise StudentImportError(str(exc)) from None
    except xlsx_guard.XlsxUnreadable as exc:  # not a zip at all, or a damaged one
        raise _not_xlsx(name) from exc
    with path.open("rb") as fh:  # a stream, so openpyxl does not judge the file by its extension
        try:
            workbook = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except Exception as exc:  # whatever a damaged or foreign file makes zipfile, XML parsing, openpyxl raise
            raise _not_xlsx(name) from exc
        try:
            sheets = [(s.title, _bounded(_xlsx_rows(s, name), s.title)) for s in workbook.worksheets]
            return _read_rows(name, sheets, mapping, _("The workbook {name} is empty.").format(name=name))
        finally:
            workbook.close()


def _read_csv(path: Path, data: bytes, mapping: dict[str, int] | None) -> StudentPreview:
    name = path.name
    if not data.strip():
        raise StudentImportError(_("The file {name} is empty.").format(name=name))
    text = _decode(data, name)
    if not "".join(text.split()).strip(";,\"'"):
        raise StudentImportError(_("The file {name} is empty.").format(name=name))
    first, _sep, rest = text.partition("\n")
    forced = re.fullmatch(r"\ufeff?\"?sep=(.)\"?\r?", first.strip("\ufeff"))
    candidates = [forced.group(1)] if forced else [";", ",", "\t"]
    if forced:
        text = "\n" + rest  # the hint line keeps its number
    best: tuple[int, str] | None = None
    for delimiter in candidates:
        head = list(islice(_csv_rows(text, delimiter, name), HEADER_ROWS + 1))
        found = _find_header(head, "", path.stem)
        if isinstance(found, _Header):
            score = len(found.proposed)
            if best is None or score > best[0]:
                best = (score, delimiter)
    delimiter = best[1] if best else candidates[0]
    rows = _bounded(_csv_rows(text, delimiter, name), name)
    return _read_rows(name, [("", rows)], mapping, _("The file {name} is empty.").format(name=name))


def read_students(path: str | Path, mapping: dict[str, int] | None = None) -> StudentPreview:
    """Read a class list from an XLSX or CSV file into a preview; nothing is written anywhere.

    `mapping` (program field → column index, 0 for A) replaces the proposed one; see FIELDS for the fields.
    Raises StudentImportError (one translated sentence) for a file that is too large, neither XLSX nor CSV,
    damaged, empty, without a recognisable header, or for a mapping that cannot work. Row problems are listed in
    the preview instead.
    """
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _too_large(name)
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise StudentImportError(_("Cannot read the file {name}.").format(name=name)) from exc
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(name)
    suffix = path.suffix.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # the OLE2 container: an .xls, or an .xlsx under a password
        if suffix in (".xlsx", ".xlsm"):
            raise StudentImportError(
                _(
                    "The file {name} is protected with a password (or is an old .xls workbook): open it in Excel, "
                    "remove the password or save it as .xlsx, and import that."
                ).format(name=name)
            )
        raise StudentImportError(
            _("The file {name} is an old Excel workbook (.xls): save it as .xlsx and import that.").format(name=name)
        )
    if data.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm", ".xltx", ".xltm"):
        del data
        return _read_xlsx(path, mapping)
    if data.startswith(_NOT_TEXT):
        raise StudentImportError(
            _("The file {name} is neither an Excel workbook (.xlsx) nor a CSV table.").format(name=name)
        )
    if suffix not in (".csv", ".txt", ".tsv", ""):
        try:
            _decode(data[:65536], name)
        except StudentImportError:
            raise StudentImportError(
                _("The file {name} is neither an Excel workbook (.xlsx) nor a CSV table.").format(name=name)
            ) from None
    return _read_csv(path, data, mapping)


# ---- matching and writing ------------------------------------------------------------------------------------------


class _Pupils:
    """The school's pupils (those who left too), looked up by e-journal id and by name."""

    def __init__(self, db: Database):
        self.all = {s["id"]: s for s in records.rows(db, STUDENT)}
        self.by_id = {_id_key(s["ejournal_id"]): s for s in self.all.values() if s["ejournal_id"]}
        self.by_name: dict[tuple[str, str], list[dict]] = {}
        for s in self.all.values():
            self.by_name.setdefault((_key(s["last_name"]), _key(s["first_name"])), []).append(s)

    def match(self, row: StudentRow) -> tuple[dict | None, str]:
        """The stored pupil the row stands for (None: a new pupil), or the reason no decision is possible."""
        if not self.all:  # a school's first list: every row is a new pupil
            return None, ""
        v = row.values
        ident = _id_key(v.get("ejournal_id"))
        if ident and ident in self.by_id:
            return self.by_id[ident], ""
        born = v.get("birth_date")
        middle = _key(v.get("middle_name"))
        same = [
            s
            for s in self.by_name.get((_key(v["last_name"]), _key(v["first_name"])), [])
            if not middle or not s["middle_name"] or _key(s["middle_name"]) == middle
        ]
        if ident:  # another e-journal id is another pupil, unless the same birth date says it is an id changed
            same = [s for s in same if not s["ejournal_id"] or born and s["birth_date"] == born]
        if born:
            exact = [s for s in same if s["birth_date"] == born]
            same = exact or [s for s in same if not s["birth_date"]]
        if len(same) > 1 and middle:
            same = [s for s in same if _key(s["middle_name"]) == middle] or same
        if len(same) > 1:
            return None, _(
                "Several pupils named {name} are in the program already; add the birth date or the e-journal id "
                "to the row."
            ).format(name=row.name)
        return (same[0] if same else None), ""


def _name_column(preview: StudentPreview) -> str:
    return get_column_letter(preview.mapping.get("full_name", preview.mapping.get("last_name", 0)) + 1)


def plan(db: Database, preview: StudentPreview) -> ImportPlan:
    """What importing the preview would do to the database: an action per valid row, and the rows that cannot
    be imported (the preview's problems and those found against the stored pupils). Writes nothing."""
    pupils = _Pupils(db)
    problems = list(preview.problems)
    actions: list[Action] = []
    taken: dict[int, int] = {}  # stored pupil id → the row that has it
    column = _name_column(preview)
    for row in preview.rows:
        stored, reason = pupils.match(row)
        if reason:
            problems.append(RowProblem(row.row, column, reason))
            continue
        if stored is None:
            actions.append(Action(row.row, "add", None, dict(row.values), record=row.record))
            continue
        if stored["id"] in taken:
            problems.append(
                RowProblem(
                    row.row,
                    column,
                    _("Pupil {name} is already in row {row}.").format(name=row.name, row=taken[stored["id"]]),
                )
            )
            continue
        taken[stored["id"]] = row.row
        changes = {k: v for k, v in row.values.items() if stored.get(k) != v}
        reenrol = bool(stored["left_on"])
        if reenrol:
            changes["left_on"] = None
        if changes:
            try:
                records.validate(STUDENT, {**stored, **changes})
            except ValidationError as exc:
                problems.append(RowProblem(row.row, column, " ".join(exc.errors.values())))
                continue
        actions.append(Action(row.row, "update" if changes else "unchanged", stored["id"], changes, reenrol))
    problems.sort(key=lambda p: p.row)
    return ImportPlan(actions, problems)


def import_students(db: Database, preview: StudentPreview, *, skip_invalid: bool = False) -> ImportResult:
    """Write the preview's pupils in one transaction: all of them or none.

    New pupils are added, matched ones updated (re-enrolled if they had left), unchanged ones left alone — each
    through the pupil record, so its rules apply. Refuses (StudentImportError) when a row is invalid, unless
    `skip_invalid`, which leaves those rows out.
    """
    with transaction(db):
        todo = plan(db, preview)
        if todo.problems and not skip_invalid:
            raise StudentImportError(
                _(
                    "The list has invalid rows ({n}); nothing was imported. Correct them in the file or skip them."
                ).format(n=todo.invalid)
            )
        # The matched pupils one by one (a changed e-journal id frees the old one), then the new ones together.
        adds = [a for a in todo.actions if a.kind == "add"]
        failed = None
        try:
            for failed in (a for a in todo.actions if a.kind == "update"):
                records.save(db, STUDENT, failed.changes, failed.student_id)
            failed = None
            # new pupils as the preview validated them: each row is checked by the record's rules once
            records.insert_many(db, STUDENT, [a.record for a in adds], validated=True)
        except ValidationError as exc:
            row = (failed or adds[getattr(exc, "index", 0)]).row
            raise StudentImportError(
                _("Row {row}: {reason} Nothing was imported.").format(row=row, reason=" ".join(exc.errors.values()))
            ) from exc
    return ImportResult(todo.added, todo.updated, todo.unchanged, todo.invalid, todo.reenrolled)


def run_cli(db: Database, path: str | Path, *, skip_invalid: bool, dry_run: bool) -> tuple[int, list[str]]:
    """The `import students` command: (exit code, lines to print). Every invalid row is a line, then the counts."""
    try:
        preview = read_students(path)
        todo = plan(db, preview)
    except StudentImportError as exc:
        return 1, [str(exc)]
    lines = [*preview.warnings, *(str(p) for p in todo.problems)]
    if todo.problems and not skip_invalid:
        return 1, [
            *lines,
            summary(0, 0, 0, todo.invalid),
            _("Nothing was written: correct the rows in the file, or skip them with --skip-invalid."),
        ]
    if dry_run:
        return 0, [
            *lines,
            summary(todo.added, todo.updated, todo.unchanged, todo.invalid),
            _("Dry run: nothing was written."),
        ]
    try:
        result = import_students(db, preview, skip_invalid=skip_invalid)
    except StudentImportError as exc:
        return 1, [*lines, str(exc)]
    lines.append(summary(result.added, result.updated, result.unchanged, result.invalid))
    if result.reenrolled:
        lines.append(_("Enrolled again (they had left): {n}.").format(n=result.reenrolled))
    if not (result.added or result.updated or result.unchanged):
        return 1, [*lines, _("No valid row to import; nothing was written.")]
    return 0, lines
