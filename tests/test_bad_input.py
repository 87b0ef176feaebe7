"""Bad input corpus (issue 8, item 4): malformed files for every importer, each generated here in tmp_path.

Every case is a file from outside that the program must refuse or report, never crash on:
- "refused": the importer raises its own error class with one sentence in Russian (no traceback, no Python
  exception text), and nothing changes: every table of the database has the same rows (compared row by row, so
  an update counts too), a restore leaves the database file byte for byte, a consolidation writes no summary.
- "row problem": a file whose contract is "problems listed, all or nothing": the cell is named as
  "строка N, столбец C: …", and importing without skipping invalid rows raises (the results importer returns
  written=False with the problems instead) and changes nothing.
Every case must also finish within a few seconds without raising the process's peak memory by much: a small file
that unpacks or parses into something huge must be refused before it is inflated.

Cases that currently break that contract are marked xfail(strict=True) with the reason; the fix belongs in the
importer, not here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from models import backup, records
from models import db as storage
from models.consolidate import ConsolidationError, consolidate
from models.results_import import ResultsImportError, import_results, read_results
from models.roadmap_import import RoadmapError, import_roadmap, read_roadmap
from models.school import STUDENT
from models.student_import import StudentImportError, import_students, read_students
from tests.conftest import ROOT, count

pytestmark = pytest.mark.filterwarnings("ignore:Cell .* is marked as a date:UserWarning")  # a serial overflowing

# A refusal takes well under a second; a small file that is parsed instead of refused takes minutes.
SECONDS = float(os.environ.get("BAD_INPUT_SECONDS", 3.0))
SLOW = 4 * SECONDS  # a cell in the sheet's last row: a million empty rows are walked before the refusal (2 s here)
EXTRA_MB = 200  # growth of the peak memory while one bad file is handled

# ---- the database every case runs against ------------------------------------------------------------------

# Pupils of the template, so that a results file can name real pupils beside a bad row.
PUPILS = [("Тестов", "Пётр", "Ильич"), ("Проверкина", "Анна", "Сергеевна"), ("Образцов", "Олег", "Львович")]
CLASS = (7, "Я")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A demo school (every table has rows) plus three known pupils of 7Я; copied for each case."""
    from models import i18n
    from models.demo import build_demo

    i18n.set_language("ru")
    path = tmp_path_factory.mktemp("template") / "school.db"
    db = storage.open_database(path)
    build_demo(db, size="small", seed=7)
    for last, first, middle in PUPILS:
        values = {"last_name": last, "first_name": first, "middle_name": middle, "birth_date": "2013-03-01"}
        records.save(db, STUDENT, {**values, "grade": CLASS[0], "letter": CLASS[1]})
    db.conn.close()
    return path


@pytest.fixture
def school(template, tmp_path) -> Path:
    """A closed copy of the template database."""
    path = tmp_path / "db" / "school.db"
    path.parent.mkdir()
    shutil.copyfile(template, path)
    return path


def snapshot(db) -> dict[str, tuple[int, str]]:
    """Per table: the row count and a digest of every row (an update counts as a change too)."""
    out = {}
    for table in db.table_names():
        rows = sorted(map(repr, db.execute(f"SELECT * FROM [{table}]").fetchall()))
        out[table] = (count(db, table), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return out


# ---- what a clear refusal is ----------------------------------------------------------------------------------

CYRILLIC = re.compile("[А-Яа-яЁё]")
PYTHON_TEXT = re.compile(r"Traceback|\w+(Error|Exception)\b|errno|\\x[0-9a-f]{2}|File \"|line \d+|<[a-z]", re.I)


def assert_one_sentence(message: str) -> None:
    """One line of Russian, worded for a person: no traceback, no Python or SQLite text, a sentence's end."""
    assert message, "an empty message"
    assert "\n" not in message and "\r" not in message, f"more than one line: {message!r}"
    assert CYRILLIC.search(message), f"not in Russian: {message!r}"
    assert not PYTHON_TEXT.search(message), f"programmer's text in the message: {message!r}"
    assert len(message) <= 400, f"not one clear sentence ({len(message)} characters): {message[:200]!r}…"
    assert message.rstrip("»”\"')")[-1] in ".!?…", f"not a sentence: {message!r}"


class TooSlow(BaseException):
    """Raised by the timer inside the importer; a BaseException, so no `except Exception` can swallow it."""


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MB (0 where the platform does not tell)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


@contextlib.contextmanager
def bounded(seconds: float = SECONDS, megabytes: int = EXTRA_MB):
    """Fail when the block uses more than `seconds` of CPU time (it is stopped there; a busy machine does not
    count, and a wait of ten times as long on the clock is stopped too) or raises the process's peak memory by
    more than `megabytes` (a peak reached by an earlier test hides a smaller one: never a false alarm)."""
    timer = hasattr(signal, "setitimer")  # POSIX; elsewhere only the memory is checked

    def stop(_signum, _frame):
        raise TooSlow

    before = peak_rss_mb()
    if timer:
        previous = signal.signal(signal.SIGPROF, stop), signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_PROF, seconds)
        signal.setitimer(signal.ITIMER_REAL, 10 * seconds)
    slow = False
    try:
        yield
    except TooSlow:
        slow = True  # its traceback may hold a frame without a line number, which pytest cannot print
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGPROF, previous[0])
            signal.signal(signal.SIGALRM, previous[1])
    if slow:
        message = f"still working after {seconds} s of CPU time: the file was parsed instead of refused"
        raise pytest.fail.Exception(message, pytrace=False) from None
    grown = peak_rss_mb() - before
    assert grown < megabytes, f"the peak memory grew by {grown:.0f} MB for one bad file"


# ---- making files: workbooks, hand-made packages, zips that inflate --------------------------------------------


def book(path: Path, rows, *, sheet: str = "Лист1", merge: tuple[str, ...] = (), dates: dict | None = None) -> Path:
    """An ordinary workbook as openpyxl saves it. A string starting with "=" becomes a formula without a cached
    value, as openpyxl writes it (Excel would compute it; the importers read cached values only)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    for cells in merge:
        ws.merge_cells(cells)
    for coordinate, number_format in (dates or {}).items():
        ws[coordinate].number_format = number_format
    wb.save(path)
    return path


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8"?>'
CONTENT_TYPES = (
    f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


def cell_xml(ref: str, value) -> str:
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, tuple):  # (kind, raw xml inside <c>): a cell written by hand
        return f'<c r="{ref}" t="{value[0]}">{value[1]}</c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def sheet_xml(rows, *, doctype: str = "", dimension: str | None = None) -> str:
    """A worksheet; `dimension` is the size it claims (Excel always writes one; without it openpyxl reads the
    whole sheet once just to measure it)."""
    rows = list(rows)
    dimension = dimension or f"A1:{get_column_letter(max((len(r) for r in rows), default=1))}{max(len(rows), 1)}"
    body = "".join(
        f'<row r="{r}">'
        + "".join(cell_xml(f"{get_column_letter(c)}{r}", v) for c, v in enumerate(row, 1) if v is not None)
        + "</row>"
        for r, row in enumerate(rows, 1)
    )
    size = f'<dimension ref="{dimension}"/>' if dimension != "none" else ""
    return f'{XML}{doctype}<worksheet xmlns="{MAIN}">{size}<sheetData>{body}</sheetData></worksheet>'


def package(rows=(), *, sheet="Лист1", strings=(), doctype="", sst_doctype="", dimension=None) -> dict:
    """The members of a minimal workbook written by hand (what any program may send): one sheet, inline
    strings, and a shared-strings part with `strings` (a cell refers to one as ("s", "<v>0</v>"))."""
    sst = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": f'{XML}<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
        f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
        f'<sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'{XML}<Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        SHEET: sheet_xml(rows, doctype=doctype, dimension=dimension),
        STRINGS: f'{XML}{sst_doctype}<sst xmlns="{MAIN}" count="{len(strings)}">{sst}</sst>',
    }


def write_zip(path: Path, members: dict) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


@dataclass(frozen=True)
class Inflating:
    """A member made of `head`, then `chunk` repeated `times`, then `tail`: deflated once per piece and repeated
    in the compressed stream, so a member of hundreds of megabytes costs a few hundred kilobytes and no time."""

    head: bytes
    chunk: bytes
    times: int
    tail: bytes
    declared: int | None = None  # the size the zip claims (a forged one), else the true size

    def deflated(self) -> tuple[bytes, int, int]:
        stream, crc, size = [], 0, 0
        for piece, times in ((self.head, 1), (self.chunk, self.times), (self.tail, 1)):
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            stream.append((compressor.compress(piece) + compressor.flush(zlib.Z_FULL_FLUSH)) * times)
            for _i in range(times):
                crc = zlib.crc32(piece, crc)
            size += len(piece) * times
        stream.append(b"\x03\x00")  # an empty final block
        return b"".join(stream), crc, size


def raw_zip(path: Path, members: dict) -> Path:
    """A zip written byte by byte, so a member may be an Inflating one (and may lie about its size)."""
    out, central = io.BytesIO(), []
    for name, content in members.items():
        if isinstance(content, Inflating):
            data, crc, size = content.deflated()
            declared = size if content.declared is None else content.declared
        else:
            raw = content.encode("utf-8") if isinstance(content, str) else content
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            data, crc, declared = compressor.compress(raw) + compressor.flush(), zlib.crc32(raw), len(raw)
        encoded, offset = name.encode("utf-8"), out.tell()
        fields = (20, 0x800, 8, 0, 0x21, crc, len(data), declared, len(encoded))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + encoded + data)
        central.append(
            struct.pack("<IH", 0x02014B50, 20) + struct.pack("<HHHHHIIIHHHHHII", *fields, 0, 0, 0, 0, 0, offset)
            + encoded
        )
    start = out.tell()
    out.write(b"".join(central))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    path.write_bytes(out.getvalue())
    return path


SHEET_TAIL = b"</sheetData></worksheet>"
ROW = b'<row><c t="inlineStr"><is><t>\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd\xd0\xbe\xd0\xb2 \xd0\x98</t></is></c></row>'
CELL = b'<c t="inlineStr"><is><t>x</t></is></c>'


def zip_bomb(path: Path, rows, *, megabytes: int, declared=None, sheet="Лист1", dimension=None) -> Path:
    """A workbook whose sheet, after `rows`, unpacks to about `megabytes` of rows (the file stays small)."""
    members = package(rows, sheet=sheet, dimension=dimension)
    head = members[SHEET].encode().split(b"</sheetData>")[0]
    times = megabytes * 2**20 // (len(ROW) * 1000)
    members[SHEET] = Inflating(head, ROW * 1000, times, SHEET_TAIL, declared)
    return raw_zip(path, members)


def wide_row(path: Path, rows, *, megabytes: int, sheet: str = "Лист1") -> Path:
    """A workbook whose sheet, after `rows`, has one row of `megabytes` of cells, under the unpacked-size limit."""
    members = package(rows, sheet=sheet)
    head = members[SHEET].encode().split(b"</sheetData>")[0] + f'<row r="{len(rows) + 1}">'.encode()
    members[SHEET] = Inflating(head, CELL * 1000, megabytes * 2**20 // (len(CELL) * 1000), b"</row>" + SHEET_TAIL)
    return raw_zip(path, members)


def many_strings(path: Path, rows, *, megabytes: int, sheet: str = "Лист1") -> Path:
    """A valid workbook whose shared-strings part holds millions of strings no cell uses."""
    members = package(rows, sheet=sheet)
    si = b"<si><t>x</t></si>"
    members[STRINGS] = Inflating(
        f'{XML}<sst xmlns="{MAIN}">'.encode(), si * 1000, megabytes * 2**20 // (len(si) * 1000), b"</sst>"
    )
    return raw_zip(path, members)


def long_cell(path: Path, rows, *, megabytes: int, sheet: str = "Лист1") -> Path:
    """`rows`, then a cell of `megabytes` of text (Excel's own limit is 32 767 characters)."""
    members = package([*rows, ["LONG"]], sheet=sheet)
    head, tail = members[SHEET].encode().split(b"LONG")
    members[SHEET] = Inflating(head, b"a-" * 50_000, megabytes * 2**20 // 100_000, tail)
    return raw_zip(path, members)


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1 if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
).replace("&lol0;", "&lol;")
XXE = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def entity_bomb(path: Path, rows, *, where: str, sheet: str = "Лист1", entity: str = "lol9") -> Path:
    """Billion laughs (or an external entity) in the sheet or in the shared strings."""
    doctype = XXE if entity == "xxe" else LAUGHS
    if where == "sheet":
        rows = [*rows, [("inlineStr", f"<is><t>&{entity};</t></is>")]]
        return write_zip(path, package(rows, sheet=sheet, doctype=doctype))
    rows = [*rows, [("s", "<v>0</v>")]]
    members = package(rows, sheet=sheet, strings=["x"], sst_doctype=doctype)
    members[STRINGS] = members[STRINGS].replace("<t>x</t>", f"<t>&{entity};</t>")
    return write_zip(path, members)


def truncated(path: Path, rows, *, sheet: str = "Лист1") -> Path:
    book(path, rows, sheet=sheet)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


def bit_flipped(path: Path, rows, *, sheet: str = "Лист1") -> Path:
    """A complete zip whose sheet's compressed bytes were damaged on the way (the CRC no longer matches)."""
    write_zip(path, package(rows, sheet=sheet))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + info.compress_size - 2, 7):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def not_a_workbook(path: Path, kind: str) -> Path:
    """Files people attach by mistake, under a workbook's name."""
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "png":
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    elif kind == "xls":  # the OLE2 container of Excel 97-2003
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    elif kind == "docx":  # a zip package, but a Word document: no xl/ inside
        write_zip(path, {
            "[Content_Types].xml": CONTENT_TYPES.replace("spreadsheetml.sheet.main", "wordprocessingml.document.main"),
            "_rels/.rels": f'{XML}<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="word/document.xml"/></Relationships>',
            "word/document.xml": f'{XML}<w:document xmlns:w="x"><w:body><w:p>ФИО Класс</w:p></w:body></w:document>',
        })  # fmt: skip
    elif kind == "ods":  # LibreOffice Calc (Astra Linux, ALT) saved under .xlsx
        write_zip(path, {
            "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": f"{XML}<office:document-content xmlns:office='x'>ФИО;Класс</office:document-content>",
            "META-INF/manifest.xml": f"{XML}<manifest/>",
        })  # fmt: skip
    elif kind == "pdf":
        path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    elif kind == "folder":
        path.mkdir()
    return path


def many_rows(path: Path, rows, n: int, *, sheet: str = "Лист1", row=("Иванов Иван", "5А")) -> Path:
    """`rows`, then copies of `row` up to row `n` (written by hand: openpyxl would take seconds)."""
    one = "".join(cell_xml(get_column_letter(c), v) for c, v in enumerate(row, 1)).replace(' r="', ' x="')
    members = package(rows, sheet=sheet, dimension=f"A1:{get_column_letter(len(rows[0]))}{n}")
    body = "".join(f'<row r="{r}">{one}</row>' for r in range(len(rows) + 1, n + 1))
    members[SHEET] = members[SHEET].replace("</sheetData>", body + "</sheetData>")
    return write_zip(path, members)


def far_cell(path: Path, rows, *, sheet: str = "Лист1") -> Path:
    """`rows`, then one cell in the sheet's very last row and column (XFD1048576)."""
    members = package(rows, sheet=sheet, dimension="A1:XFD1048576")
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    members[SHEET] = members[SHEET].replace("</sheetData>", far + "</sheetData>")
    return write_zip(path, members)


def text(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def oversized(path: Path) -> Path:
    """A file over every importer's 20 MB limit (sparse: costs no disk and no time)."""
    with path.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(21 * 2**20)
    return path


# ---- the importers, each driven the way the program drives it ----------------------------------------------------


@dataclass(frozen=True)
class Refused:
    """The file is refused whole with one sentence."""


@dataclass(frozen=True)
class Problem:
    """The file is read; the preview reports this cell, and nothing is imported without skipping it."""

    row: int
    column: str


Build = Callable[[Path], Path]


@dataclass(frozen=True)
class Case:
    importer: str
    build: Build
    expect: Refused | Problem = Refused()
    seconds: float = SECONDS


def case(name: str, importer: str, build: Build, expect=Refused(), *, xfail: str = "", seconds: float = SECONDS):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(Case(importer, build, expect, seconds), id=f"{importer}-{name}", marks=marks)


def check_problem(preview_problems, expect: Problem) -> None:
    cells = {(p.row, p.column) for p in preview_problems}
    assert (expect.row, expect.column) in cells, f"expected a problem at {expect}, got {sorted(cells)}"
    for problem in preview_problems:
        line = str(problem)
        assert line.startswith(f"строка {problem.row}, столбец {problem.column}: "), line
        assert "\n" not in line and not PYTHON_TEXT.search(line), line


def run_students(db, path: Path, expect) -> None:
    if isinstance(expect, Refused):
        with pytest.raises(StudentImportError) as caught:
            read_students(path)  # refused whole, before any preview
        assert_one_sentence(str(caught.value))
        return
    preview = read_students(path)
    check_problem(preview.problems, expect)
    with pytest.raises(StudentImportError) as caught:
        import_students(db, preview)
    assert_one_sentence(str(caught.value))


def run_results(db, path: Path, expect) -> None:
    subject = next(i for i, name in records.options(db, "subject") if name.lower() == "математика")
    settings = {"kind": "intermediate", "subject_id": subject, "date": dt.date.today().isoformat()}
    if isinstance(expect, Refused):
        with pytest.raises(ResultsImportError) as caught:
            read_results(path)
        assert_one_sentence(str(caught.value))
        return
    preview = read_results(path)  # pupils are matched only when importing: the import lists every problem
    result = import_results(db, preview, **settings)  # and reports them instead of raising
    check_problem(result.problems, expect)
    assert not result.written and result.assessment_id is None


def run_roadmap(db, path: Path, expect) -> None:
    if isinstance(expect, Refused):
        with pytest.raises(RoadmapError) as caught:
            read_roadmap(path, 2026)
        assert_one_sentence(str(caught.value))
        return
    preview = read_roadmap(path, 2026)
    check_problem(preview.problems, expect)
    with pytest.raises(RoadmapError) as caught:
        import_roadmap(db, preview, new_program_title="Импорт")
    assert_one_sentence(str(caught.value))


IMPORTERS = {"students": run_students, "results": run_results, "roadmap": run_roadmap}


# ---- what each importer is fed -----------------------------------------------------------------------------------

LIST = [("ФИО", "Класс", "Дата рождения"), ("Иванов Иван", "5А", "01.09.2015")]
RESULTS = [["ФИО", "Класс", 1, 2, "Балл"], *[[" ".join(p), "7Я", 1, 1, 2] for p in PUPILS]]
ROADMAP = [("№", "Мероприятие", "Срок", "Ответственный"), (1, "Провести педсовет", "до 01.02.2027", "Директор")]


def report_rows(**changes) -> list:
    """The data sheet of a report (key | value), as report_xlsx writes it; `changes` replace or drop values."""
    data = {
        "format_version": 1,
        "generator": "antirisk",
        "school.full_name": "МБОУ «СОШ № 1»",
        "school.short_name": "СОШ № 1",
        "school.municipality": "Город",
        "period.key": "2026-Q3",
        "period.label": "III квартал 2026",
        "measures_due": 10,
        "measures_done": 7,
        "indicator.1.title": "Доля педагогов с КПК",
        "indicator.1.target": 80,
        "indicator.1.value": 75.5,
    }
    data.update(changes)
    return [("key", "value"), *((k, v) for k, v in data.items() if v is not ...)]


def good_report(path: Path) -> Path:
    return book(path, report_rows(), sheet="data")


def students(name: str, build: Build, expect=Refused(), **kw):
    return case(name, "students", build, expect, **kw)


def results(name: str, build: Build, expect=Refused(), **kw):
    return case(name, "results", build, expect, **kw)


def roadmap(name: str, build: Build, expect=Refused(), **kw):
    return case(name, "roadmap", build, expect, **kw)


def xlsx(tmp: Path) -> Path:
    return tmp / "list.xlsx"


def csv(tmp: Path) -> Path:
    return tmp / "list.csv"


CSV_LIST = "ФИО;Класс;Дата рождения\r\nИванов Иван;5А;01.09.2015\r\n"

STUDENT_CASES = [
    students("empty-file", lambda t: not_a_workbook(xlsx(t), "empty")),
    students("png-renamed-xlsx", lambda t: not_a_workbook(xlsx(t), "png")),
    students("ods-renamed-xlsx", lambda t: not_a_workbook(xlsx(t), "ods")),
    students("pdf-renamed-csv", lambda t: not_a_workbook(csv(t), "pdf")),
    students("folder-named-xlsx", lambda t: not_a_workbook(xlsx(t), "folder")),
    students("over-20-mb", lambda t: oversized(xlsx(t))),
    students("bit-flipped-zip", lambda t: bit_flipped(xlsx(t), LIST)),
    students("zip-bomb-245-mb-sheet", lambda t: zip_bomb(xlsx(t), LIST, megabytes=245)),
    students("zip-bomb-forged-size", lambda t: zip_bomb(xlsx(t), LIST, megabytes=245, declared=50_000)),
    students("billion-laughs-sheet", lambda t: entity_bomb(xlsx(t), LIST, where="sheet")),
    students("billion-laughs-shared-strings", lambda t: entity_bomb(xlsx(t), LIST, where="strings")),
    students("external-entity", lambda t: entity_bomb(xlsx(t), LIST, where="sheet", entity="xxe")),
    students("100000-rows", lambda t: many_rows(xlsx(t), LIST, 100_000)),
    students("90-mb-of-rows-no-dimension", lambda t: zip_bomb(xlsx(t), LIST, megabytes=90, dimension="none")),
    students("cell-at-XFD1048576", lambda t: far_cell(xlsx(t), LIST), seconds=SLOW),
    students("wide-row-40-mb", lambda t: wide_row(xlsx(t), LIST, megabytes=40)),
    students("shared-strings-40-mb", lambda t: many_strings(xlsx(t), LIST, megabytes=40)),
    students("merged-title-instead-of-header", lambda t: book(
        xlsx(t), [("Список обучающихся: ФИО, класс, дата рождения",), ("Иванов Иван", "5А", "01.09.2015")],
        merge=("A1:C1",))),
    students("formulas-in-every-cell", lambda t: book(xlsx(t), [("=\"ФИО\"", "=\"Класс\""), ("=A1", "=B1")])),
    students("nul-character-reference", lambda t: write_zip(xlsx(t), package(
        [LIST[0], [("inlineStr", "<is><t>Иванов&#0;Иван</t></is>"), "5А"]]))),
    students("date-serial-overflow", lambda t: book(xlsx(t), [LIST[0], ("Иванов Иван", "5А", 10**9)],
                                                   dates={"C2": "dd.mm.yyyy"}), Problem(2, "C")),
    # the contract "problems listed, all or nothing"
    students("formula-text-as-name", lambda t: write_zip(xlsx(t), package(
        [*LIST, ["=HYPERLINK(\"http://x\",\"Петров Пётр\")", "5А", "01.09.2015"]])), Problem(3, "A")),
    students("date-31-02", lambda t: book(xlsx(t), [*LIST, ("Петров Пётр", "5А", "31.02.2015")]), Problem(3, "C")),
    students("date-1812", lambda t: book(xlsx(t), [*LIST, ("Петров Пётр", "5А", "01.01.1812")]), Problem(3, "C")),
    students("date-cell-9999-12-31", lambda t: book(
        xlsx(t), [*LIST, ("Петров Пётр", "5А", dt.date(9999, 12, 31))]), Problem(3, "C")),
    students("10000-character-name", lambda t: book(xlsx(t), [*LIST, ("Петров " + "П" * 10_000, "5А")]),
             Problem(3, "A")),
    students("emoji-and-rtl-name", lambda t: book(xlsx(t), [*LIST, ("Петров 😀 \u202eПётр", "5А")]),
             Problem(3, "A")),
    students("class-13", lambda t: book(xlsx(t), [*LIST, ("Петров Пётр", "13Б")]), Problem(3, "B")),
    students("merged-header-over-two-name-columns", lambda t: book(
        xlsx(t), [("ФИО", None, "Класс"), ("Петров", "Пётр", "5А")], merge=("A1:B1",)), Problem(2, "A")),
    # CSV
    students("csv-nul-bytes", lambda t: text(csv(t), CSV_LIST.replace("Иван;", "Ив\0ан;").encode())),
    students("csv-cp1251-with-utf8-bom", lambda t: text(csv(t), b"\xef\xbb\xbf" + CSV_LIST.encode("cp1251"))),
    students("csv-utf8-read-as-cp1251", lambda t: text(  # mojibake saved again: "Р¤РРћ;РљР»Р°СЃСЃ"
        csv(t), CSV_LIST.encode("utf-8").decode("cp1251", errors="replace").encode("utf-8"))),
    students("csv-utf8-header-cp1251-rows", lambda t: text(
        csv(t), "ФИО;Класс\r\n".encode() + "Иванов Иван;5А\r\n".encode("cp1251"))),
    students("csv-utf16-bom-only", lambda t: text(csv(t), b"\xff\xfe")),
    students("csv-10000-columns", lambda t: text(csv(t), (";".join(["ФИО", "Класс"] + ["x"] * 10_000)).encode())),
    students("csv-100000-rows", lambda t: text(csv(t), (CSV_LIST + "Петров Пётр;5А;\r\n" * 100_000).encode())),
    students("csv-200000-character-cell", lambda t: text(csv(t), (CSV_LIST + '"' + "x" * 200_000 + '";5А\r\n')
                                                         .encode())),
    students("csv-unclosed-quote", lambda t: text(csv(t), (CSV_LIST + '"Петров Пётр;5А\r\n' * 3).encode()),
             Problem(3, "A")),
]

def scored(*cells) -> list:
    """RESULTS with the last pupil's class and points replaced by `cells` (row 4: "Образцов Олег Львович")."""
    return [*RESULTS[:-1], [RESULTS[-1][0], *cells]]


RESULT_CASES = [
    results("png-renamed-xlsx", lambda t: not_a_workbook(xlsx(t), "png")),
    results("docx-renamed-xlsx", lambda t: not_a_workbook(xlsx(t), "docx")),
    results("csv-instead-of-xlsx", lambda t: text(csv(t), CSV_LIST.encode("cp1251"))),
    results("empty-file", lambda t: not_a_workbook(xlsx(t), "empty")),
    results("bit-flipped-zip", lambda t: bit_flipped(xlsx(t), RESULTS)),
    results("zip-bomb-245-mb-sheet", lambda t: zip_bomb(xlsx(t), RESULTS, megabytes=245)),
    results("zip-bomb-forged-size", lambda t: zip_bomb(xlsx(t), RESULTS, megabytes=245, declared=50_000)),
    results("billion-laughs-shared-strings", lambda t: entity_bomb(xlsx(t), RESULTS, where="strings")),
    results("external-entity-shared-strings", lambda t: entity_bomb(xlsx(t), RESULTS, where="strings", entity="xxe")),
    results("500-columns", lambda t: book(xlsx(t), [RESULTS[0] + list(range(3, 500)), *RESULTS[1:]])),
    results("100000-rows", lambda t: many_rows(xlsx(t), RESULTS, 100_000, row=("Тестов Пётр", "7Я", 1))),
    results("wide-row-40-mb", lambda t: wide_row(xlsx(t), RESULTS, megabytes=40)),
    results("wrong-headers", lambda t: book(xlsx(t), [("Фамилия", "Имя", "Примечание"), ("Тестов", "Пётр", "x")])),
    results("task-1-twice", lambda t: book(xlsx(t), [["ФИО", "Класс", 1, 1], ["Тестов Пётр", "7Я", 1, 1]])),
    results("formulas-in-every-cell", lambda t: book(xlsx(t), [("=\"ФИО\"", "=\"Класс\"", "=1"), ("=A1", "=1")])),
    results("merged-title-instead-of-header", lambda t: book(
        xlsx(t), [("Результаты: ФИО, класс, баллы",), ("Тестов Пётр", "7Я", 1)], merge=("A1:E1",))),
    results("nul-character-reference", lambda t: write_zip(xlsx(t), package(
        [RESULTS[0], [("inlineStr", "<is><t>&#0;</t></is>"), "7Я", 1, 1, 2]]))),
    # the contract "problems listed, nothing written"
    results("formula-text-as-points", lambda t: write_zip(xlsx(t), package(scored("7Я", "=1+1", 1))),
            Problem(4, "C")),
    results("negative-points", lambda t: book(xlsx(t), scored("7Я", -1, 1)), Problem(4, "C")),
    results("emoji-points", lambda t: book(xlsx(t), scored("7Я", "😀", 1)), Problem(4, "C")),
    results("date-cell-as-points", lambda t: book(xlsx(t), scored("7Я", dt.date(9999, 12, 31), 1)), Problem(4, "C")),
    results("10000-character-points", lambda t: book(xlsx(t), scored("7Я", "9" * 10_000, 1)), Problem(4, "C")),
    results("infinite-points", lambda t: write_zip(xlsx(t), package(scored("7Я", ("n", "<v>1e999</v>"), 1))),
            Problem(4, "C")),
    results("date-as-class", lambda t: book(xlsx(t), scored("31.02.2026", 1, 1)), Problem(4, "B")),
    results("mark-9999", lambda t: book(xlsx(t), [["ФИО", "Класс", "Отметка"], ["Тестов Пётр", "7Я", 9999]]),
            Problem(2, "C")),
    results("unknown-pupil-with-emoji", lambda t: book(xlsx(t), [*RESULTS, ["Петров 😀 Пётр", "7Я", 1, 1]]),
            Problem(5, "A")),
]

ROADMAP_CASES = [
    roadmap("png-renamed-xlsx", lambda t: not_a_workbook(xlsx(t), "png")),
    roadmap("docx-renamed-xlsx", lambda t: not_a_workbook(xlsx(t), "docx")),
    roadmap("ods-renamed-xlsx", lambda t: not_a_workbook(xlsx(t), "ods")),
    roadmap("empty-file", lambda t: not_a_workbook(xlsx(t), "empty")),
    roadmap("over-20-mb", lambda t: oversized(xlsx(t))),
    roadmap("bit-flipped-zip", lambda t: bit_flipped(xlsx(t), ROADMAP)),
    roadmap("truncated-zip", lambda t: truncated(xlsx(t), ROADMAP)),
    roadmap("zip-bomb-245-mb-sheet", lambda t: zip_bomb(xlsx(t), ROADMAP, megabytes=245)),
    roadmap("zip-bomb-forged-size", lambda t: zip_bomb(xlsx(t), ROADMAP, megabytes=245, declared=50_000)),
    roadmap("billion-laughs-sheet", lambda t: entity_bomb(xlsx(t), ROADMAP, where="sheet")),
    roadmap("external-entity-sheet", lambda t: entity_bomb(xlsx(t), ROADMAP, where="sheet", entity="xxe")),
    roadmap("100000-rows", lambda t: many_rows(xlsx(t), ROADMAP, 100_000, row=(2, "Мероприятие", "2027", "Директор"))),
    roadmap("500-columns", lambda t: book(xlsx(t), [ROADMAP[0] + (None,) * 496 + ("Примечание",), ROADMAP[1]])),
    roadmap("cell-at-XFD1048576", lambda t: far_cell(xlsx(t), ROADMAP), seconds=SLOW),
    roadmap("wide-row-40-mb", lambda t: wide_row(xlsx(t), ROADMAP, megabytes=40)),
    roadmap("30-mb-cell-and-no-header", lambda t: long_cell(xlsx(t), [("План",)], megabytes=30)),
    roadmap("wrong-headers", lambda t: book(xlsx(t), [("№", "Мероприятие", "Примечание"), (1, "Педсовет", "x")])),
    roadmap("merged-title-instead-of-header", lambda t: book(
        xlsx(t), [("План мероприятий: срок, ответственный",), (1, "Педсовет", "до 01.02.2027")], merge=("A1:D1",))),
    roadmap("formulas-in-every-cell", lambda t: book(xlsx(t), [("=\"№\"", "=\"Мероприятие\"", "=\"Срок\""), ("=1",)])),
    roadmap("nul-character-reference", lambda t: write_zip(xlsx(t), package(
        [ROADMAP[0], [1, ("inlineStr", "<is><t>&#0;</t></is>"), "2027"]]))),
    # the contract "problems listed, all or nothing"
    roadmap("10000-character-deadline-of-dashes", lambda t: book(
        xlsx(t), [*ROADMAP, (2, "Педсовет", "01.09.2026 " + "- " * 5000 + "01.10.2026", "Директор")]),
        Problem(3, "C")),
    roadmap("10000-character-title-emoji", lambda t: book(
        xlsx(t), [*ROADMAP, (2, "😀\u202e" * 5000, "2027", "Директор")]), Problem(3, "B")),
    roadmap("untitled-measure-with-formula-deadline", lambda t: write_zip(xlsx(t), package(
        [*ROADMAP, [2, None, "=TODAY()", "Директор"]])), Problem(3, "B")),
]


def report(name: str, build: Build, *, xfail: str = ""):
    return case(name, "consolidate", build, xfail=xfail)


CONSOLIDATION_CASES = [
    report("old-xls-renamed-xlsx", lambda t: not_a_workbook(xlsx(t), "xls")),
    report("png-renamed-xlsx", lambda t: not_a_workbook(xlsx(t), "png")),
    report("empty-file", lambda t: not_a_workbook(xlsx(t), "empty")),
    report("over-20-mb", lambda t: oversized(xlsx(t))),
    report("bit-flipped-zip", lambda t: bit_flipped(xlsx(t), report_rows(), sheet="data")),
    report("zip-bomb-245-mb-sheet", lambda t: zip_bomb(xlsx(t), report_rows(), megabytes=245, sheet="data")),
    report("zip-bomb-forged-size", lambda t: zip_bomb(
        xlsx(t), report_rows(), megabytes=245, declared=50_000, sheet="data")),
    report("1001-members", lambda t: write_zip(
        xlsx(t), {**package(report_rows(), sheet="data"), **{f"xl/media/{i}.txt": "" for i in range(1001)}})),
    report("billion-laughs-shared-strings", lambda t: entity_bomb(
        xlsx(t), report_rows(), where="strings", sheet="data")),
    report("external-entity-sheet", lambda t: entity_bomb(xlsx(t), report_rows(), where="sheet", sheet="data",
                                                          entity="xxe")),
    report("100000-rows", lambda t: many_rows(xlsx(t), report_rows(), 100_000, sheet="data", row=(" ",))),
    report("wide-row-40-mb", lambda t: wide_row(xlsx(t), report_rows(), megabytes=40, sheet="data")),
    report("shared-strings-40-mb", lambda t: many_strings(xlsx(t), report_rows(), megabytes=40, sheet="data")),
    report("10000-character-key", lambda t: book(xlsx(t), [*report_rows(), ("k" * 10_000, 1)], sheet="data")),
    report("number-as-key", lambda t: book(xlsx(t), [*report_rows(), (42, 1)], sheet="data")),
    report("key-twice", lambda t: book(xlsx(t), [*report_rows(), ("measures_due", 3)], sheet="data")),
    report("format-version-text", lambda t: book(xlsx(t), report_rows(format_version="один"), sheet="data")),
    report("format-version-newer", lambda t: book(xlsx(t), report_rows(format_version=2), sheet="data")),
    report("no-period", lambda t: book(xlsx(t), report_rows(**{"period.key": ...}), sheet="data")),
    report("infinite-figure", lambda t: write_zip(xlsx(t), package(
        [*report_rows(), ["measures_overdue", ("n", "<v>1e999</v>")]], sheet="data"))),
    report("figure-date-cell", lambda t: book(xlsx(t), report_rows(measures_done=dt.date(2026, 9, 1)), sheet="data")),
    report("formulas-in-every-cell", lambda t: book(
        xlsx(t), [("=\"key\"", "=\"value\""), ("=\"generator\"", "=\"antirisk\"")], sheet="data")),
]


@pytest.mark.parametrize("bad", STUDENT_CASES + RESULT_CASES + ROADMAP_CASES)
def test_a_bad_file_is_one_sentence_and_changes_nothing(bad: Case, school, tmp_path):
    path = bad.build(tmp_path)
    db = storage.open_database(school, create=False)
    try:
        before = snapshot(db)
        with bounded(bad.seconds):
            IMPORTERS[bad.importer](db, path, bad.expect)
        assert snapshot(db) == before
    finally:
        db.conn.close()


def test_the_good_report_consolidates(tmp_path):
    """The control for the consolidation cases: the same report, unspoilt, is accepted."""
    good = good_report(tmp_path / "good.xlsx")
    result = consolidate([good, good_report(tmp_path / "good2.xlsx")], tmp_path / "out.xlsx")
    assert [r.school for r in result.schools] == ["СОШ № 1", "СОШ № 1"]


@pytest.mark.parametrize("bad", CONSOLIDATION_CASES)
def test_a_bad_report_stops_the_consolidation_and_nothing_is_written(bad: Case, tmp_path):
    good = good_report(tmp_path / "good.xlsx")
    path = bad.build(tmp_path)
    out = tmp_path / "out" / "summary.xlsx"
    out.parent.mkdir()
    with bounded(bad.seconds), pytest.raises(ConsolidationError) as caught:
        consolidate([good, path], out)
    message = str(caught.value)
    assert_one_sentence(message)
    assert path.name in message and "good.xlsx" not in message
    assert list(out.parent.iterdir()) == []


# ---- restore: backups that are not ------------------------------------------------------------------------------


def antirisk_copy(school: Path, path: Path) -> Path:
    shutil.copyfile(school, path)
    return path


def sqlite_file(path: Path, *statements: str) -> Path:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


def scribbled(school: Path, path: Path) -> Path:
    """A real backup with garbage written over many pages (a bad sector, a broken USB stick)."""
    data = bytearray(school.read_bytes())
    for page in range(5, len(data) // 4096, 7):
        data[page * 4096 + 100 : page * 4096 + 300] = bytes((i * 37 + page) % 256 for i in range(200))
    path.write_bytes(bytes(data))
    return path


NEWER = f"PRAGMA user_version = {storage.SCHEMA_VERSION + 1}"
OURS = f"PRAGMA application_id = {storage.APPLICATION_ID}"

BACKUPS = [
    pytest.param(build, id=name, marks=[pytest.mark.xfail(strict=True, reason=reason)] if reason else [])
    for name, build, reason in [
        ("png", lambda s, p: not_a_workbook(p, "png"), ""),
        ("xlsx-workbook", lambda s, p: book(p, LIST), ""),
        ("folder", lambda s, p: not_a_workbook(p, "folder"), ""),
        ("truncated-to-half", lambda s, p: text(p, s.read_bytes()[: s.stat().st_size // 2]), ""),
        ("header-only", lambda s, p: text(p, s.read_bytes()[:100]), ""),
        ("header-and-junk", lambda s, p: text(p, s.read_bytes()[:100] + bytes(range(256)) * 64), ""),
        ("another-programs-database", lambda s, p: sqlite_file(p, "CREATE TABLE moz_places (id, url)"), ""),
        ("another-programs-application-id", lambda s, p: sqlite_file(
            p, "CREATE TABLE t (x)", "PRAGMA application_id = 1836674157", "PRAGMA user_version = 3"), ""),
        ("newer-antirisk", lambda s, p: sqlite_file(antirisk_copy(s, p), NEWER), ""),
        ("many-pages-scribbled", scribbled, ""),
        ("foreign-tables-under-our-header", lambda s, p: sqlite_file(
            p, "CREATE TABLE notes (x)", OURS, f"PRAGMA user_version = {storage.SCHEMA_VERSION}"), ""),
        ("foreign-tables-under-an-older-header", lambda s, p: sqlite_file(
            p, "CREATE TABLE notes (x)", OURS, "PRAGMA user_version = 1"), ""),
        ("our-header-at-version-0", lambda s, p: sqlite_file(p, "CREATE TABLE notes (x)", OURS), ""),
    ]
]


@pytest.mark.parametrize("build", BACKUPS)
def test_a_bad_backup_is_refused_and_the_database_is_untouched(build, school, tmp_path):
    bad = build(school, tmp_path / "backup.db")
    before, files = school.read_bytes(), sorted(school.parent.iterdir())
    with bounded(), pytest.raises(backup.BackupError) as caught:
        backup.restore(school, bad)
    assert_one_sentence(str(caught.value))
    assert school.read_bytes() == before
    assert sorted(school.parent.iterdir()) == files  # no safety copy either: nothing was started


def test_a_backup_whose_name_has_a_question_mark_creates_no_stray_file(school, tmp_path):
    (tmp_path / "copies").mkdir()
    source = antirisk_copy(school, tmp_path / "copies" / "good?.db")
    with contextlib.suppress(backup.BackupError):
        backup.check_backup(source)
    assert sorted(p.name for p in source.parent.iterdir()) == ["good?.db"]


def test_a_backup_whose_name_has_a_hash_sign_is_accepted(school, tmp_path):
    assert backup.check_backup(antirisk_copy(school, tmp_path / "школа #2.db")) == storage.SCHEMA_VERSION


# ---- through the command line: exit code, one sentence on stderr, nothing written --------------------------------


def main_py(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True, text=True, timeout=60, cwd=ROOT, encoding="utf-8",
    )  # fmt: skip


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


CLI = [
    pytest.param(["import", "students"], lambda t: zip_bomb(xlsx(t), LIST, megabytes=245), id="students-zip-bomb"),
    pytest.param(["import", "students"], lambda t: text(csv(t), b"\xef\xbb\xbf" + CSV_LIST.encode("cp1251")),
                 id="students-cp1251-as-utf8"),
    pytest.param(["import", "results", "--kind", "intermediate", "--subject", "Математика", "--date", "2026-10-01"],
                 lambda t: entity_bomb(xlsx(t), RESULTS, where="strings"), id="results-billion-laughs"),
    pytest.param(["import", "roadmap", "--new-program", "Импорт"], lambda t: not_a_workbook(xlsx(t), "docx"),
                 id="roadmap-docx"),
]


@pytest.mark.parametrize(("command", "build"), CLI)
def test_the_command_line_refuses_with_one_sentence_and_writes_nothing(command, build, school, tmp_path):
    path = build(tmp_path)
    before = folder_state(school.parent)
    done = main_py(*command, "--db", str(school), str(path))
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert_one_sentence(lines[0])
    assert folder_state(school.parent) == before


def test_the_command_line_lists_row_problems_and_writes_nothing(school, tmp_path):
    path = book(xlsx(tmp_path), [*LIST, ("Петров Пётр", "5А", "31.02.2015")])
    before = folder_state(school.parent)
    done = main_py("import", "students", "--db", str(school), str(path))
    assert done.returncode != 0
    assert done.stderr.splitlines()[0].startswith("строка 3, столбец C: ")
    assert "Traceback" not in done.stderr
    assert folder_state(school.parent) == before


def test_the_command_line_restore_refuses_a_foreign_database(school, tmp_path):
    bad = sqlite_file(tmp_path / "places.sqlite", "CREATE TABLE moz_places (id, url)")
    before = folder_state(school.parent)
    done = main_py("restore", "--db", str(school), "--from", str(bad))
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Ошибка: "), done.stderr
    assert_one_sentence(lines[0])
    assert folder_state(school.parent) == before


def test_the_command_line_consolidation_names_the_bad_file_and_writes_nothing(tmp_path):
    good = good_report(tmp_path / "good.xlsx")
    bad = entity_bomb(tmp_path / "bad.xlsx", report_rows(), where="strings", sheet="data")
    out = tmp_path / "out" / "summary.xlsx"
    out.parent.mkdir()
    done = main_py("consolidate", "--out", str(out), str(good), str(bad))
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.xlsx" in lines[0], done.stderr
    assert_one_sentence(lines[0])
    assert list(out.parent.iterdir()) == []


def test_the_corpus_has_at_least_fifty_files_across_every_importer():
    by_importer: dict[str, int] = {}
    for param in STUDENT_CASES + RESULT_CASES + ROADMAP_CASES + CONSOLIDATION_CASES:
        by_importer[param.values[0].importer] = by_importer.get(param.values[0].importer, 0) + 1
    by_importer["restore"] = len(BACKUPS)
    assert sum(by_importer.values()) >= 50
    assert all(n >= 10 for n in by_importer.values()), by_importer
