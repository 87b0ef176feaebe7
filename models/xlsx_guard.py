"""A streaming look at an XLSX from outside before openpyxl is given it (class lists, results, roadmaps, reports).

openpyxl does work in proportion to what a package unpacks to before an importer can apply its own limits: it
reads every shared string when the workbook is loaded, measures a sheet without a <dimension> by parsing all of
it, and builds a whole row before the row can be looked at. A file of a few hundred kilobytes can therefore cost
minutes and gigabytes. check() streams every worksheet and the shared strings through expat (an entity
declaration stops the look, so nothing is ever expanded; nothing is kept) and refuses as soon as a limit is crossed:
- a package that unpacks to more than `unpacked` bytes (the sizes the zip declares: zipfile never reads past them);
- a value in a row below `rows` or right of `columns`: the importer's own table limits, so a sheet the guard lets
  through is one the importer reads in full with iter_rows(max_row=rows + 1, max_col=columns + 1) (empty rows and
  formatted empty cells beyond the limits are allowed: they are never read);
- more than MAX_CELLS cells or MAX_ROW_TAGS rows in all sheets, MAX_STRINGS shared strings, MAX_TEXT characters of
  text, a cell or shared string longer than Excel's own limit of 32 767 characters.
Those bound what openpyxl does afterwards to a few seconds. A package that cannot be read (not a zip, a damaged
member) raises XlsxUnreadable for the importer to word in its own terms; malformed XML is left to openpyxl,
which stops at the same place (both use expat).

That look costs Python calls for every element (40 ms for a class list of 2,000 pupils), so _quick() comes first:
it reads the parts whole and counts at C speed (bytes.count, split, a few regular expressions) what bounds each
figure above from above. When every bound is within its limit nothing can be refused, and the streaming look is
not needed. It only lets a file through, never refuses one: what it cannot bound (a comment, a CDATA section, a
DOCTYPE, an encoding other than UTF-8, a namespace prefix on a cell or a row, a cell or row without its reference,
a value the bounds put beyond the limits) is left to the streaming look, so every refusal and its message come
from there.
"""

from __future__ import annotations

import lzma
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from xml.parsers import expat

from models import fmt
from models.i18n import _

EXCEL_CELL_CHARS = 32767  # Excel's own limit on the text of a cell
MAX_CELLS = 100_000  # <c> elements in all sheets, filled or not: openpyxl and an importer take 30-40 µs for each
# (a class list of a whole school, 1 500 pupils and 25 columns, is under 40 000)
MAX_ROW_TAGS = 50_000  # <row> elements in all sheets, filled or not (ten times the importers' row limit)
MAX_STRINGS = 100_000  # shared strings, all read when the workbook is loaded (about 20 µs each)
MAX_TEXT = 10_000_000  # characters in the shared strings and the cells together
MAX_TOKEN = 1024 * 1024  # a tag or comment still open after this many bytes: expat rescans it with each chunk
SMALL_PART = 4 * 1024 * 1024  # the workbook and its relationships, read whole to learn the sheets' names
CHUNK = 1 << 20

# What zipfile and its decompressors raise for a damaged or foreign package.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    NotImplementedError,
    ValueError,
    RuntimeError,  # an encrypted member
    zlib.error,
    lzma.LZMAError,
)


class XlsxRefused(Exception):
    """The workbook is refused; str() is one translated sentence."""


class XlsxUnreadable(Exception):
    """Not a zip package, or a damaged one: the importer words the refusal."""


class _Stop(Exception):
    """A part is not looked at further: not a sheet, or XML openpyxl refuses by itself (a DTD entity)."""


def _forbidden(*_args) -> None:
    raise _Stop


def hardened_parser(forbidden: Callable[..., None], namespace_separator: str | None = None) -> expat.XMLParserType:
    """An expat parser for a file from outside: no DTD is read and no entity declared, so none is expanded
    (defusedxml's rule); `forbidden` is called on a declaration and raises. Text comes in one piece per element."""
    parser = expat.ParserCreate(namespace_separator=namespace_separator)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = forbidden
    parser.UnparsedEntityDeclHandler = forbidden
    parser.ExternalEntityRefHandler = forbidden
    parser.buffer_text = True
    return parser


def _parser() -> expat.XMLParserType:
    parser = hardened_parser(_forbidden)
    parser.buffer_size = 1 << 16
    return parser


def _local(tag: str) -> str:
    return tag.rpartition(":")[2]


_COLUMNS: dict[str, int] = {}


def _column(ref: str) -> int:
    """The column of a cell reference ("BH12" → 60); 0 when it is not one."""
    letters = ref.rstrip("0123456789").lstrip("$").upper()
    column = _COLUMNS.get(letters)
    if column is None:
        if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
            return 0
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - 64
        _COLUMNS[letters] = column
    return column


def column_letter(column: int) -> str:
    """A column's letters, as Excel names it (60 → "BH"): openpyxl's get_column_letter, without importing openpyxl
    (~0.2 s) for a message."""
    if not 1 <= column <= 18278:
        raise ValueError(f"no column {column}")
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---- the sheets' names, for the messages ----------------------------------------------------------------------


def _attributes(archive: zipfile.ZipFile, member: str, names: set[str]) -> list[dict[str, str]]:
    """The attributes (by local name) of the elements called `names` in a small part; [] when it is missing or odd."""
    try:
        info = archive.getinfo(member)
    except KeyError:
        return []
    if info.file_size > SMALL_PART:
        return []
    found: list[dict[str, str]] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) in names:
            found.append({_local(k): v for k, v in attrs.items()})

    parser = _parser()
    parser.StartElementHandler = start
    try:
        parser.Parse(archive.read(info), True)
    except (_Stop, expat.ExpatError):
        pass
    return found


def _resolve(folder: str, target: str) -> str:
    path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
    return posixpath.normpath(path)


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Member name → the sheet's title, as the workbook and its relationships give them."""
    book = next(
        (r.get("Target", "") for r in _attributes(archive, "_rels/.rels", {"Relationship"})
         if r.get("Type", "").endswith("/officeDocument")),
        "xl/workbook.xml",
    )
    book = _resolve("", book)
    folder, base = posixpath.split(book)
    rels = _attributes(archive, posixpath.join(folder, "_rels", base + ".rels"), {"Relationship"})
    targets = {r.get("Id"): _resolve(folder, r.get("Target", "")) for r in rels}
    sheets = _attributes(archive, book, {"sheet"})
    return {targets[s["id"]]: s.get("name", "") for s in sheets if s.get("id") in targets}


# ---- the look at the parts ------------------------------------------------------------------------------------


class _Scan:
    def __init__(self, name: str, rows: int | None, columns: int | None):
        self.name, self.rows, self.columns = name, rows, columns
        self.cells = self.row_tags = self.strings = self.text = 0

    # the refusals

    def _sheet_too_large(self, sheet: str) -> XlsxRefused:
        return XlsxRefused(
            _("The sheet “{sheet}” is too large to import: at most {rows} rows and {columns} columns.").format(
                sheet=sheet, rows=self.rows or MAX_ROW_TAGS, columns=self.columns or 16384
            )
        )

    def _too_many_cells(self) -> XlsxRefused:
        return XlsxRefused(
            _("The file {name} is too large to import: it holds more than {n} cells.").format(
                name=self.name, n=fmt.format_number(MAX_CELLS, 0)
            )
        )

    def _too_much_text(self) -> XlsxRefused:
        return XlsxRefused(
            _("The file {name} is too large to import: it holds more than {n} characters of text.").format(
                name=self.name, n=fmt.format_number(MAX_TEXT, 0)
            )
        )

    def _counted(self, data: str) -> bool:
        """Add a piece of a value's text to the file's total; false for white space alone (maybe what lies between
        the value's end and the next tag: not the value's)."""
        self.text += len(data)
        if self.text > MAX_TEXT:
            raise self._too_much_text()
        return not data.isspace()

    # the parts

    def part(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str) -> None:
        parser = _parser()

        def root(tag: str, _attrs: dict[str, str]) -> None:
            kind = _local(tag)
            if kind == "worksheet":
                self._sheet(parser, sheet)
            elif kind == "sst":
                self._strings(parser)
            else:
                raise _Stop

        parser.StartElementHandler = root
        fed = 0
        with archive.open(info) as stream:
            try:
                while chunk := stream.read(CHUNK):
                    parser.Parse(chunk, False)
                    fed += len(chunk)
                    if fed - max(parser.CurrentByteIndex, 0) > MAX_TOKEN:  # where the parser stands: an open tag
                        raise XlsxUnreadable(self.name)  # openpyxl's 16 KB chunks would take minutes over it
                parser.Parse(b"", True)
            except (_Stop, expat.ExpatError):
                return

    def _sheet(self, parser: expat.XMLParserType, sheet: str) -> None:
        """Text is counted after the start of a <v>, <is>, <t> or <f> until the next element starts (no end handler:
        half the callbacks); what lies between an end tag and the next start is only white space."""
        rows, columns = self.rows or 0, self.columns or 0
        kinds: dict[str, int] = {}  # tag → 1 row, 2 cell, 3 a cell's value, 4 a cell's text or formula, 0 other
        row = column = chars = 0
        in_text = beyond = False  # text of a cell is read; the value read lies beyond the limits

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal row, column, chars, in_text, beyond
            kind = kinds.get(tag)
            if kind is None:
                kind = kinds[tag] = {"row": 1, "c": 2, "v": 3, "is": 3, "t": 4, "f": 4}.get(_local(tag), 0)
            if kind == 2:
                self.cells += 1
                if self.cells > MAX_CELLS:
                    raise self._too_many_cells()
                ref = attrs.get("r")
                column = (_column(ref) if ref else 0) or column + 1
                chars, in_text, beyond = 0, False, False
            elif kind == 1:
                self.row_tags += 1
                if self.row_tags > MAX_ROW_TAGS:
                    raise self._sheet_too_large(sheet)
                number = attrs.get("r", "")
                row = int(number) if number.isascii() and number.isdigit() and len(number) < 10 else row + 1
                column, in_text, beyond = 0, False, False
            elif kind == 3:
                in_text = True
                if (rows and row > rows) or (columns and column > columns):
                    beyond = True  # refused when it holds more than spaces: "" is what IF(…;"";…) leaves
            else:
                in_text = kind == 4

        def text(data: str) -> None:
            nonlocal chars
            if in_text and self._counted(data):
                if beyond:
                    raise self._sheet_too_large(sheet)
                chars += len(data)
                if chars > EXCEL_CELL_CHARS:
                    raise XlsxRefused(
                        _(
                            "The cell {cell} on the sheet “{sheet}” of {name} holds more than {n} characters, more "
                            "than Excel allows: the file is damaged or was not made by Excel."
                        ).format(cell=f"{column_letter(min(max(column, 1), 18278))}{row}", sheet=sheet,
                                 name=self.name, n=fmt.format_number(EXCEL_CELL_CHARS, 0))
                    )

        parser.StartElementHandler = start
        parser.CharacterDataHandler = text

    def _strings(self, parser: expat.XMLParserType) -> None:
        """Text is counted after the start of a <t> until the next element starts, as in _sheet."""
        kinds: dict[str, int] = {}  # tag → 1 <si> (a shared string), 2 <t> (its text), 0 other
        chars = 0
        in_text = False

        def start(tag: str, _attrs: dict[str, str]) -> None:
            nonlocal chars, in_text
            kind = kinds.get(tag)
            if kind is None:
                kind = kinds[tag] = {"si": 1, "t": 2}.get(_local(tag), 0)
            in_text = kind == 2
            if kind == 1:
                self.strings += 1
                if self.strings > MAX_STRINGS:
                    raise XlsxRefused(
                        _("The file {name} is too large to import: it holds more than {n} different texts.").format(
                            name=self.name, n=fmt.format_number(MAX_STRINGS, 0)
                        )
                    )
                chars = 0

        def text(data: str) -> None:
            nonlocal chars
            if in_text and self._counted(data):
                chars += len(data)
                if chars > EXCEL_CELL_CHARS:
                    raise XlsxRefused(
                        _(
                            "The file {name} holds a text of more than {n} characters, more than Excel allows: the "
                            "file is damaged or was not made by Excel."
                        ).format(name=self.name, n=fmt.format_number(EXCEL_CELL_CHARS, 0))
                    )

        parser.StartElementHandler = start
        parser.CharacterDataHandler = text


# ---- the quick look: bounds read off the bytes --------------------------------------------------------------------

# An XML declaration (UTF-8 or no encoding named), then the root element's name: anything else (a byte-order mark of
# UTF-16, an encoding expat would translate, a comment or a DOCTYPE before the root) is left to the streaming look.
_PROLOG = re.compile(
    rb"(?:\xef\xbb\xbf)?(?:<\?xml[ \t\r\n]([^<>?]*)\?>)?[ \t\r\n]*<([A-Za-z_][A-Za-z0-9_.:-]*)[ \t\r\n/>]"
)
_ENCODING = re.compile(rb"encoding[ \t\r\n]*=[ \t\r\n]*[\"']([^\"']*)[\"']")
# With no "<!" and no "<?" past the declaration, every "<" is a tag (neither text nor an attribute may hold one, and
# XML that breaks that rule stops expat, and the streaming look's counting, where it does).
_ODD_CELL = re.compile(rb'<c(?=[ \t\r\n/>])(?! r="[A-Z]{1,3}[0-9]+")')  # a cell without a reference such as "BH12"
_ODD_ROW = re.compile(rb'<row(?=[ \t\r\n/>])(?! r="[0-9]{1,9}")')  # a row without its number
_PREFIXED = re.compile(rb":(?:c|row|si)[ \t\r\n/>]")  # <x:c …>, or text that merely looks like it
_WIDE_REF = re.compile(rb'<c r="([A-Z]{2,3})[0-9]')  # the columns from AA on (fewer than the cells)
_ROW_REF = re.compile(rb'<row r="([0-9]{1,9})"')


def _wider(data: bytes, columns: int) -> bool:
    """Whether a cell lies right of `columns`, in a sheet whose every cell is written <c r="A1" …>."""
    if any(_column(letters.decode("ascii")) > columns for letters in set(_WIDE_REF.findall(data))):
        return True
    if columns >= 26:
        return False
    return re.search(rb'<c r="[%c-Z][0-9]' % (65 + columns), data) is not None


def _quick(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], rows: int | None, columns: int | None) -> bool:
    """True when the bounds read off the parts' bytes keep every limit check() applies: the file cannot be refused.
    False when they do not tell (check() then looks at the file the streaming way, which decides and words it).

    Every bound is of what the streaming look would count: cells ≤ the <c r="…"> tags, rows ≤ the <row r="…">
    tags, shared strings ≤ "<si" and ":si", text ≤ the parts' bytes, a cell's text ≤ the bytes from its tag to the
    next cell's (the count is reset only at a cell or a row), a shared string's ≤ the bytes to the next <si>, an
    unfinished token ≤ the bytes between two "<"."""
    cells = row_tags = strings = text = 0
    try:
        for member in members:
            if member.file_size > MAX_TEXT:  # also keeps the parts read whole small
                return False
            with archive.open(member) as stream:
                data = stream.read(CHUNK)
                prolog = _PROLOG.match(data)
                if prolog is None:
                    return False
                declared = prolog.group(1)
                encoding = _ENCODING.search(declared) if declared else None
                if encoding and encoding.group(1).lower() != b"utf-8":
                    return False
                kind = _local(prolog.group(2).decode("ascii"))
                if kind not in ("worksheet", "sst"):
                    continue  # the streaming look stops at such a root too
                data += stream.read()
            if data.find(b"<!") >= 0 or data.find(b"<?", prolog.end()) >= 0 or _PREFIXED.search(data):
                return False
            text += len(data)
            if text > MAX_TEXT:
                return False
            if len(data) > MAX_TOKEN and max(map(len, data.split(b"<"))) >= MAX_TOKEN:
                return False
            if kind == "sst":
                strings += data.count(b"<si")
                if strings > MAX_STRINGS or max(map(len, data.split(b"<si>"))) > EXCEL_CELL_CHARS:
                    return False
                continue
            if _ODD_CELL.search(data) or _ODD_ROW.search(data):
                return False
            cells += data.count(b'<c r="')  # every cell is written so (_ODD_CELL, _PREFIXED)
            numbers = _ROW_REF.findall(data)  # and every row
            row_tags += len(numbers)
            if cells > MAX_CELLS or row_tags > MAX_ROW_TAGS:
                return False
            if max(map(len, data.split(b"<c "))) > EXCEL_CELL_CHARS:
                return False
            if rows and max(map(int, numbers), default=0) > rows:
                return False
            if columns and _wider(data, columns):
                return False
    except ZIP_ERRORS:
        return False  # the streaming look reads the same members and words it
    return True


def check(path: str | Path, *, unpacked: int, rows: int | None = None, columns: int | None = None) -> None:
    """Refuse a workbook openpyxl should not be given (see the module's docstring).

    `unpacked`: the most all members may unpack to, in bytes; `rows`, `columns`: the importer's table limits
    (None: no limit). Raises XlsxRefused (one translated sentence naming the file, the sheet or the cell) or
    XlsxUnreadable (not a zip, or a damaged one)."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > unpacked:
                raise XlsxRefused(
                    _("The file {name} is too large to import: its contents unpack to more than {limit} MB.").format(
                        name=path.name, limit=-(-unpacked // (1024 * 1024))
                    )
                )
            names = _sheet_names(archive)
            looked = [
                m for m in members if m.file_size and (m.filename in names or m.filename.lower().endswith(".xml"))
            ]
            if _quick(archive, looked, rows, columns):
                return
            scan = _Scan(path.name, rows, columns)
            for member in looked:
                fallback = posixpath.splitext(posixpath.basename(member.filename))[0]
                scan.part(archive, member, names.get(member.filename) or fallback)
    except (XlsxRefused, XlsxUnreadable):
        raise
    except ZIP_ERRORS as exc:
        raise XlsxUnreadable(path.name) from exc
