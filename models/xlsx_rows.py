"""A worksheet's rows read straight from its XML: the values openpyxl's read-only `iter_rows(values_only=True)`
gives, in less than half of its time.

openpyxl's reader builds an element tree and a dict for every cell of a read-only sheet; reading a class list of
2,000 pupils spent more than half of its time there. This reads the same XML with expat, with no DTD or entity (the
rule defusedxml gives openpyxl), and turns each cell into its value with openpyxl's own rules and helpers, using
the shared strings, date formats and epoch openpyxl read from the workbook: the same values, the same rows (a
missing row is an empty list, a row's width is its last cell's column), the same exceptions for a damaged sheet.
tests/test_xlsx_rows.py compares the two on every kind of cell and on hand-written sheets.

Written against openpyxl 3.1 (pyproject pins <3.2): it reads a ReadOnlyWorksheet's source and its workbook's
date formats, which that version keeps in private attributes.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import TreeBuilder
from xml.parsers import expat

from openpyxl.cell.text import Text
from openpyxl.utils import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHEET_MAIN_NS

from models.xlsx_guard import hardened_parser

CHUNK = 64 * 1024
_NS = SHEET_MAIN_NS + "}"  # expat's name of an element in the sheet's namespace: "<uri>}<local>"
_ROW, _VALUE, _INLINE = _NS + "row", _NS + "v", _NS + "is"
_TEXT = "{" + SHEET_MAIN_NS + "}t"  # as the element tree of an inline string names it


class _Forbidden(ValueError):
    pass


def _forbidden(*_args) -> None:
    raise _Forbidden("DTDs and entities are not read")


def _parser() -> expat.XMLParserType:
    return hardened_parser(_forbidden, namespace_separator="}")


def _cast_number(text: str) -> int | float:  # openpyxl's _cast_number
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class _Rows:
    """expat's handlers: complete rows collect in `done` as (row number, cells), cells as (column, value)."""

    def __init__(self, sheet: Any):
        book = sheet.parent
        self.strings = sheet._shared_strings
        self.epoch = book.epoch
        self.dates = book._date_formats
        self.durations = book._timedelta_formats
        self.columns: dict[str, int] = {}  # "AB" → 28: a sheet's cells name few columns, over and over
        self.done: list[tuple[int, list[tuple[int, Any]]]] = []
        self.depth = 0
        self.row_depth = -1  # the depth of the open <row>; -1: none open
        self.row_number = 0
        self.column = 0
        self.cells: list[tuple[int, Any]] = []
        self.cell: tuple[str, str, Any] | None = None  # the open cell's (r, t, s)
        self.value: list[str] | None = None  # the text of the open cell's first <v>, while it is read
        self.value_seen = False
        self.text: str | None = None
        self.inline: TreeBuilder | None = None  # the open cell's first <is>, built as openpyxl's Text reads it
        self.inline_depth = 0
        self.inline_element = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        depth = self.depth
        if self.inline is not None:
            self.inline.start("{" + name if "}" in name else name, attrs)
            return
        if self.row_depth < 0:
            if name == _ROW:
                self._open_row(attrs)
            return
        if depth == self.row_depth + 1:  # every child of a row is one of its cells, as openpyxl reads them
            self.cell = (attrs.get("r"), attrs.get("t", "n"), attrs.get("s", 0))
            self.value_seen = False
            self.text = None
            self.inline_element = None
        elif depth == self.row_depth + 2 and self.cell is not None:
            if name == _VALUE and not self.value_seen:
                self.value_seen, self.value = True, []
            elif name == _INLINE and self.inline_element is None and self.cell[1] == "inlineStr":
                self.inline, self.inline_depth = TreeBuilder(), depth
                self.inline.start("{" + name, attrs)
        elif self.value is not None:
            self.text = "".join(self.value)  # <v> with an element inside: its text is what comes before it
            self.value = None

    def data(self, text: str) -> None:
        if self.inline is not None:
            self.inline.data(text)
        elif self.value is not None:
            self.value.append(text)

    def end(self, name: str) -> None:
        depth = self.depth
        self.depth -= 1
        if self.inline is not None:
            self.inline.end("{" + name if "}" in name else name)
            if depth == self.inline_depth:
                self.inline_element, self.inline = self.inline.close(), None
            return
        if self.row_depth < 0:
            return
        if depth == self.row_depth:
            self.done.append((self.row_number, self.cells))
            self.row_depth, self.cells = -1, []
        elif depth == self.row_depth + 1:
            self.cells.append(self._close_cell())
            self.cell = None
        elif depth == self.row_depth + 2 and self.value is not None:
            self.text, self.value = "".join(self.value), None

    def _open_row(self, attrs: dict[str, str]) -> None:
        number = attrs.get("r")
        if number is not None:
            try:
                self.row_number = int(number)
            except ValueError:
                value = float(number)
                if not value.is_integer():
                    raise ValueError(f"{number} is not a valid row number") from None
                self.row_number = int(value)
        else:
            self.row_number += 1
        self.column = 0
        self.row_depth = self.depth
        self.cells = []

    def _column(self, ref: str) -> int:
        """The column of a cell's reference ("AB12" → 28) as openpyxl's coordinate_to_tuple reads it, refusing what
        it refuses; a reference of capital letters and digits is looked up by its letters after the first time."""
        letters = ref.rstrip("0123456789")
        column = self.columns.get(letters)
        if column is not None and len(letters) < len(ref):
            return column
        column = coordinate_to_tuple(ref)[1]
        if letters.isalpha() and letters.isascii() and letters.isupper():
            self.columns[letters] = column
        return column

    def _close_cell(self) -> tuple[int, Any]:
        ref, kind, style = self.cell
        if style:
            style = int(style)
        if ref:
            column = self.column = self._column(ref)
        else:
            self.column += 1
            column = self.column
        value: Any = None if kind == "inlineStr" else (self.text or None)
        if value is not None:
            if kind == "n":
                value = _cast_number(value)
                if style in self.dates:
                    try:
                        value = from_excel(value, self.epoch, timedelta=style in self.durations)
                    except (OverflowError, ValueError):
                        warnings.warn(
                            f"Cell {ref} is marked as a date but the serial value {value} is outside the limits "
                            "for dates. The cell will be treated as an error.",
                            stacklevel=2,
                        )
                        value = "#VALUE!"
            elif kind == "s":
                value = self.strings[int(value)]
            elif kind == "b":
                value = bool(int(value))
            elif kind == "d":
                value = from_ISO8601(value)
        elif kind == "inlineStr" and self.inline_element is not None:
            inline = self.inline_element
            if len(inline) == 1 and inline[0].tag == _TEXT and not len(inline[0]):
                value = inline[0].text or ""  # <is><t>…</t></is>, what most programs write: Text's content
            else:
                value = Text.from_tree(inline).content  # runs, phonetics: openpyxl's own reading
        return column, value


def _values(cells: list[tuple[int, Any]]) -> tuple:
    """A row's values from column A to its last cell's column (openpyxl's _get_row with no width asked)."""
    if not cells:
        return ()
    width = cells[-1][0]
    values = [None] * width if width > 0 else []
    for column, value in cells:
        if 1 <= column <= width:
            values[column - 1] = value
    return tuple(values)


def sheet_values(sheet: Any) -> Iterator[tuple | list]:
    """The rows of a read-only worksheet (`load_workbook(read_only=True, data_only=True)`, after its
    `reset_dimensions()`) as `sheet.iter_rows(values_only=True)` yields them: a row as long as its last cell, an
    empty list for each row missing from the file, a row numbered below one already read left out."""
    rows = _Rows(sheet)
    parser = _parser()
    parser.StartElementHandler = rows.start
    parser.EndElementHandler = rows.end
    parser.CharacterDataHandler = rows.data
    parser.StartDoctypeDeclHandler = _forbidden
    counter = 1
    with sheet._get_source() as source:
        while True:
            chunk = source.read(CHUNK)
            parser.Parse(chunk, not chunk)
            for number, cells in rows.done:
                while counter < number:
                    counter += 1
                    yield []
                if counter <= number:
                    counter += 1
                    yield _values(cells)
            rows.done.clear()
            if not chunk:
                return
