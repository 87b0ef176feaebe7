"""The report as XLSX: typed cells, user text never a formula, frozen headers, A4 print setup, the data sheet, the
names rule both ways, hostile text, atomic writes; LibreOffice opens it when it is installed."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

from models import databank, files, periods, programs, records, report, report_xlsx
from models.i18n import _
from models.report_xlsx import ReportExportError, sheet_name, write_xlsx

HOSTILE_TITLES = [
    '=HYPERLINK("http://x","y")',
    "=1+1",
    "+7 (900) 000",
    "-2+3",
    "@SUM(A1)",
    "#N/A",
    "<b>жирный</b> & «ёлка» 😀",
]
LONG = "Длинная проблема " * 588 + "конец"  # 10,001 characters without a line break


def period() -> periods.Period:
    return periods.last_finished_quarter(dt.date.today())


def staff_pairs(db) -> set[str]:
    return {f"{r[0]} {r[1]}" for r in db.execute("SELECT last_name, first_name FROM staff")}


def pupil_names(db) -> set[str]:
    """Pupils' "Фамилия Имя" pairs; a pair a staff member also bears (the demo has a few) proves nothing."""
    return report.student_names(db) - staff_pairs(db)


def add_databank(db, n: int = 12) -> list[str]:
    """Active databank entries for `n` pupils (the demo has none yet); returns their names."""
    category = db.execute("SELECT id FROM ref_item WHERE list = 'difficulty_category' LIMIT 1").fetchone()[0]
    rows = db.execute(
        "SELECT id, last_name, first_name FROM student WHERE left_on IS NULL ORDER BY id LIMIT ?", [n]
    ).fetchall()
    day = (period().start + dt.timedelta(days=3)).isoformat()
    for student_id, _last, _first in rows:
        records.save(
            db,
            databank.DATABANK_ENTRY,
            {
                "student_id": student_id,
                "category_id": category,
                "identified_on": day,
                "source": "teacher",
                "status": "active",
            },
        )
    staff = staff_pairs(db)
    return [f"{last} {first}" for _id, last, first in rows if f"{last} {first}" not in staff]


def add_hostile(db) -> None:
    program = db.execute("SELECT id FROM program ORDER BY id LIMIT 1").fetchone()[0]
    due = (period().start + dt.timedelta(days=10)).isoformat()
    for title in HOSTILE_TITLES:
        records.save(
            db, programs.MEASURE, {"program_id": program, "title": title, "due_date": due, "status": "planned"}
        )
    report.save_notes(db, period(), LONG + "\nвторая строка\x07 =2+2", "Меры: <b>&amp;</b>\n@команда")


@pytest.fixture
def school(demo_db):
    add_databank(demo_db)
    add_hostile(demo_db)
    return demo_db


def build(db, with_names: bool = False) -> report.Report:
    return report.build(db, period(), with_names=with_names)


def cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws, cell


def strings(wb) -> list[str]:
    return [c.value for _ws, c in cells(wb) if isinstance(c.value, str)]


def find(ws, value):
    return next((c for row in ws.iter_rows() for c in row if c.value == value), None)


def header_row(ws, first_title: str) -> int:
    cell = next(c for row in ws.iter_rows() for c in row if c.value == first_title and c.style == "ar_header")
    return cell.row


@pytest.fixture
def written(school, tmp_path):
    rep = build(school)
    path = write_xlsx(rep, tmp_path / "отчёт.xlsx")
    return rep, path, openpyxl.load_workbook(path)


def test_summary_sheet_has_the_header_summary_problems_and_signatures(written):
    rep, path, wb = written
    ws = wb.worksheets[0]
    assert ws.title == _("Overview")
    assert find(ws, rep.school["full_name"]) is not None
    assert find(ws, rep.school["municipality"]) is not None
    assert find(ws, rep.period.label) is not None
    date = find(ws, _("Date of the report")).offset(column=1)
    assert date.value == dt.datetime.combine(rep.generated_on, dt.time()) and date.number_format == "DD.MM.YYYY"
    for label, value, kind in rep.summary:
        cell = find(ws, label).offset(column=1)
        if value is None:
            assert cell.value is None
        elif kind == "percent":
            assert cell.value == pytest.approx(value) and cell.number_format == "0.0%"
        else:
            assert cell.value == value and isinstance(cell.value, int)
    assert find(ws, LONG) is not None  # one paragraph a row, 10,001 characters intact
    assert find(ws, "вторая строка =2+2").data_type == "s"  # the bell character is dropped, the text kept
    assert find(ws, "@команда").data_type == "s"
    for role, name in rep.signers:
        assert find(ws, role) is not None and name in find(ws, role).offset(column=1).value
    assert path.name == "отчёт.xlsx"


def test_sheet_per_section_with_valid_unique_names_and_russian_headings(written):
    rep, _path, wb = written
    names = wb.sheetnames
    assert len(names) == len(set(n.lower() for n in names))
    assert len(names) == 1 + len(rep.sections) + bool(rep.charts) + 1
    assert names[-1] == "data"
    for name in names:
        assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
    for section, ws in zip(rep.sections, wb.worksheets[1:]):
        assert ws["A1"].value == section.title
        row = header_row(ws, section.columns[0].title)
        assert [c.value for c in ws[row]][: len(section.columns)] == [c.title for c in section.columns]
        assert ws.freeze_panes == f"A{row + 1}"
        assert ws.print_title_rows == f"${row}:${row}"
    assert find(wb[_("Measures")], "Программа").style == "ar_header"  # the catalog's Russian column title


def test_cells_are_typed_by_column_kind(written):
    rep, _path, wb = written
    checked = set()
    for section, ws in zip(rep.sections, wb.worksheets[1:]):
        if not section.rows:
            continue
        first = header_row(ws, section.columns[0].title) + 1
        for r, row in enumerate(section.rows):
            for c, (column, value) in enumerate(zip(section.columns, row)):
                cell = ws.cell(first + r, c + 1)
                if value is None or value == "":
                    assert cell.value is None
                    continue
                checked.add(column.kind)
                if column.kind == "date":
                    assert isinstance(cell.value, dt.datetime), (section.key, column.key, cell.value)
                    assert cell.value.date().isoformat() == str(value)[:10]
                    assert cell.number_format == "DD.MM.YYYY"
                elif column.kind == "percent":
                    assert cell.value == pytest.approx(value) and 0 <= cell.value <= 1
                    assert cell.number_format == "0.0%"
                elif column.kind == "int":
                    assert cell.value == value and isinstance(cell.value, int)
                elif column.kind == "number":
                    assert isinstance(cell.value, (int, float)) and cell.value == pytest.approx(value)
                else:
                    assert cell.value == str(value) and cell.data_type == "s"
    assert checked >= {"text", "int", "number", "percent", "date"}


def test_no_formula_anywhere_and_user_text_stays_text(written):
    _rep, path, wb = written
    for ws, cell in cells(wb):
        assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    measures = wb[_("Measures")]
    for title in HOSTILE_TITLES:
        cell = find(measures, title)
        assert cell is not None and cell.data_type == "s", title
    with zipfile.ZipFile(path) as package:  # and in the XML itself: no <f> element, no error cell
        for name in package.namelist():
            if name.startswith("xl/worksheets/"):
                xml = package.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml and 't="e"' not in xml, name


def test_print_setup_is_a4_fit_to_width_with_landscape_for_wide_sections(written):
    rep, _path, wb = written
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    for section, ws in zip(rep.sections, wb.worksheets[1:]):
        if section.wide:
            assert ws.page_setup.orientation == "landscape", section.key
        for letter, dim in ws.column_dimensions.items():
            assert report_xlsx.MIN_WIDTH <= dim.width <= report_xlsx.MAX_WIDTH, (section.key, letter)
    assert wb.worksheets[0].page_setup.orientation == "portrait"


def test_data_sheet_holds_stable_keys_and_every_figure(written):
    rep, _path, wb = written
    ws = wb["data"]
    assert [ws["A1"].value, ws["B1"].value] == ["key", "value"]
    data = {row[0]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)}
    keys = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert keys[:11] == [
        "format_version",
        "generator",
        "school.full_name",
        "school.short_name",
        "school.municipality",
        "period.key",
        "period.label",
        "period.start",
        "period.end",
        "generated_on",
        "with_names",
    ]
    assert data["format_version"] == report.FORMAT_VERSION and data["generator"] == "antirisk"
    assert data["school.full_name"] == rep.school["full_name"]
    assert data["period.key"] == rep.period.key and data["period.start"] == rep.period.start.isoformat()
    assert data["with_names"] is False
    for key, value in rep.figures.items():
        if isinstance(value, float):
            assert data[key] == pytest.approx(value), key
        else:
            assert data[key] == value, key
    for _ws, cell in cells(wb):
        if _ws.title == "data" and cell.column == 1:
            assert cell.data_type == "s"


def test_default_report_holds_no_pupil_name(school, tmp_path):
    names = pupil_names(school)
    assert names
    path = write_xlsx(build(school), tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    text = "\n".join(strings(wb))
    assert not [n for n in names if n in text]
    assert "персональные данные" not in text
    assert not wb.properties.keywords
    assert wb.custom_doc_props["ContainsPersonalData"].value is False


def test_report_with_names_holds_them_and_says_so_on_every_sheet(school, tmp_path):
    expected = add_databank(school, 3)  # (twice for these pupils: a second category)
    path = write_xlsx(build(school, with_names=True), tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    text = "\n".join(strings(wb))
    assert expected and all(any(n in s for s in strings(wb)) for n in expected)
    assert sum(n in text for n in pupil_names(school)) >= 12
    for ws in wb.worksheets:
        if ws.title == "data":
            assert find(ws, "with_names").offset(column=1).value is True
        else:
            assert any("персональные данные" in (c.value or "") for row in ws.iter_rows(max_row=3) for c in row), (
                ws.title
            )
        assert "персональные данные" in ws.oddHeader.center.text
    assert "персональные данные" in wb.properties.keywords
    assert wb.custom_doc_props["ContainsPersonalData"].value is True


def test_sheet_names_are_shortened_cleaned_and_unique():
    taken: set[str] = set()
    long = "Банк данных обучающихся, испытывающих затруднения в обучении"
    first, second = sheet_name(long, taken), sheet_name(long, taken)
    assert len(first) <= 31 and len(second) <= 31 and first.lower() != second.lower()
    assert second.endswith("(2)")
    assert sheet_name("a[b]:c*d?e/f\\g", taken) == "a b c d e f g"
    assert sheet_name("'История'", taken) == "История"
    assert sheet_name("History", taken) != "History"
    assert sheet_name("", taken) == "Sheet"
    assert sheet_name("SHEET", taken) == "SHEET (2)"


def test_empty_section_says_so_and_empty_school_still_writes(db, tmp_path):
    path = write_xlsx(report.build(db, period()), tmp_path / "empty.xlsx")
    wb = openpyxl.load_workbook(path)
    assert _("No data for the period.") in strings(wb)
    assert {row[0] for row in wb["data"].iter_rows(min_row=2, values_only=True)} >= {"generator", "period.key"}


def test_write_is_atomic(written, tmp_path, monkeypatch):
    rep, path, _wb = written
    before = path.read_bytes()

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken)
    with pytest.raises(ReportExportError, match="No space left"):
        write_xlsx(rep, path)
    assert path.read_bytes() == before  # the old file is untouched
    with pytest.raises(ReportExportError):
        write_xlsx(rep, tmp_path / "new.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir() if ".xlsx" in p.name) == [path.name]  # nor a temporary


def test_unwritable_folder_is_a_translated_error(written, tmp_path):
    rep = written[0]
    with pytest.raises(ReportExportError) as err:
        write_xlsx(rep, tmp_path / "нет такой папки" / "r.xlsx")
    assert "r.xlsx" in str(err.value)


def test_text_cells_drop_control_characters_and_respect_excel_limits():
    cell = report_xlsx.text_cell("a\x00b\x1fc=1")
    assert cell.value == "abc=1"
    assert len(report_xlsx.text_cell("я" * 40000).value) == report_xlsx.MAX_CELL_CHARS
    assert report_xlsx.text_cell("=1+1").value == "=1+1"  # a str: written as a string cell, never a formula
    assert report_xlsx.text_cell("").value is None


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice is not installed")
def test_libreoffice_converts_the_workbook(written, tmp_path):
    _rep, path, _wb = written
    office = shutil.which("soffice") or shutil.which("libreoffice")
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf_path = tmp_path / "out" / "отчёт.pdf"
    assert pdf_path.exists(), result.stdout + result.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True).stdout
        assert _("Report on the results of monitoring the implementation of the action plan (roadmap)")[:20] in text


def test_an_academic_year_is_a_period_with_the_schools_own_dates(tmp_path):
    from models import periods
    from models.db import open_database
    from models.school import create_academic_year

    db = open_database(tmp_path / "s.db")
    year_id = create_academic_year(db, 2025)
    db.execute("UPDATE academic_year SET end_date = '2026-06-30' WHERE id = ?", [year_id])
    found = periods.parse("2025/2026", db)
    assert (found.kind, found.start.isoformat(), found.end.isoformat()) == ("academic_year", "2025-09-01", "2026-06-30")
    assert found.label == "2025/2026 учебный год"
    assert periods.parse("2027/2028").end.isoformat() == "2028-08-31"  # none in the database: the usual dates
    assert "2025/2026" in [p.key for p in periods.choices(db, today=dt.date(2026, 3, 1))]


def test_row_writer_cells_read_back_as_written(tmp_path):
    """RowWriter writes the rows' markup itself: every kind of value comes back from openpyxl with its type and
    named style, markup-like text stays text, edge spaces and line breaks are kept, empty cells hold no value."""
    from models.report_xlsx import Book, Cell

    texts = ["  с пробелами  ", "a & b < c > d", '</t></is></c><c r="Z9"><v>1</v></c>', "две\nстроки", "=1+1", "ё"]
    values = [True, False, 0, -1.5, 1e-7, 12345678901234, 0.1 + 0.2, dt.date(2026, 11, 22), dt.date(1900, 3, 1)]
    book = Book()
    out = book.sheet("Лист")
    out.add([Cell(t, "ar_text") for t in texts], 45.5)
    out.add([Cell(v, "ar_date" if isinstance(v, dt.date) else "ar_number") for v in values])
    out.add([None, Cell(None, "ar_header"), Cell(None), report_xlsx.typed_cell("", "date")])
    out.add([])
    out.add([report_xlsx.text_cell("после пустой строки")])
    path = book.save(tmp_path / "rows.xlsx")
    ws = openpyxl.load_workbook(path)["Лист"]
    row = ws[1][: len(texts)]
    assert [c.value for c in row] == texts and all(c.value is None for c in ws[1][len(texts) :])
    assert all(c.data_type == "s" and c.style == "ar_text" for c in row)
    assert ws.row_dimensions[1].height == 45.5 and ws.row_dimensions[2].height is None
    back = [c.value for c in ws[2]]
    assert back[:7] == values[:7] and [type(v) for v in back[:2]] == [bool, bool]
    assert [v.date() for v in back[7:]] == values[7:]  # a date cell: a number with the date format
    assert ws["H2"].number_format == "DD.MM.YYYY" and ws["G2"].number_format == "General"
    assert [c.value for c in ws[3]][:4] == [None, None, None, None]
    assert ws["B3"].style == "ar_header" and ws["D3"].style == "ar_date"
    assert ws["A5"].value == "после пустой строки" and ws.max_row == 5
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and '<c r="Z9"' not in sheet


def test_a_saved_workbook_is_not_kept_alive(school, tmp_path):
    """Once written, a report's workbook (openpyxl's book, every sheet's rows as text) is freed: nothing caches the
    sheets' row writers, so exporting report after report in one session does not pile up their memory."""
    import gc
    import weakref

    book = report_xlsx.build_workbook(build(school))
    book.save(tmp_path / "r.xlsx")
    alive = weakref.ref(book)
    del book
    gc.collect()
    assert alive() is None
