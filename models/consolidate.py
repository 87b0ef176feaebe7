"""Municipal consolidation: the education department merges the report workbooks of many schools into one summary.

Each school's XLSX carries a machine-readable "data" sheet (key | value, see report_xlsx.data_items); this module
reads only that sheet and writes a workbook with a row per school ("Сводная") and the schools' indicators side by
side ("Показатели"). The files come from outside and are untrusted: size and unpacked-size limits, a zip check,
xlsx_guard's look at the sheets and strings (cells, rows, texts counted before openpyxl), openpyxl in read-only mode
with defusedxml (openpyxl uses it by itself when it is installed; without it nothing is opened), a row limit, every
value checked. One bad file refuses the whole consolidation and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from models import fmt, xlsx_guard
from models.i18n import N_, _
from models.report import FORMAT_VERSION
from models.report_xlsx import (  # the workbook's styles and safe cells are the report's own
    DATA_SHEET,
    GENERATOR,
    Book,
    ReportExportError,
    clean_text,
    column_widths,
    header_height,
    print_setup,
    row_height,
    sheet_name,
    text_cell,
    typed_cell,
)

MAX_FILES = 500
MAX_FILE_BYTES = 20 * 1024 * 1024  # a report with names of a large school is well under 1 MB
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # and xlsx_guard's limits on cells and strings
MAX_MEMBERS = 1000
MAX_DATA_ROWS = 20000
MAX_KEY_CHARS = 200

# The figures of the summary sheet: stable key of the data sheet, heading, kind.
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("measures_due", N_("Measures due in the period"), "int"),
    ("measures_done", N_("Measures done"), "int"),
    ("measures_done_share", N_("Measures done, % of due"), "percent"),
    ("measures_overdue", N_("Measures overdue"), "int"),
    ("databank_at_end", N_("Pupils in the databank at the end of the period"), "int"),
    ("databank_new", N_("Pupils identified in the period"), "int"),
    ("routes_active", N_("Active learning routes of pupils"), "int"),
    ("routes_achieved_share", N_("Routes with the goal achieved, % of finished"), "percent"),
    ("pd_courses", N_("PD courses finished in the period"), "int"),
    ("pd_share_3y", N_("Staff with a PD course in the last three years, %"), "percent"),
    ("meetings_held", N_("Meetings held"), "int"),
    ("decisions_overdue", N_("Decisions overdue"), "int"),
)
_TEXT_KEYS = ("school.full_name", "school.short_name", "school.municipality", "period.key", "period.label")
_INDICATOR = re.compile(r"^indicator\.([^.]+)\.(title|target|value)$")


class ConsolidationError(Exception):
    """A file cannot be consolidated (or the summary cannot be written); the message is translated and names
    the file."""


@dataclass
class SchoolReport:
    """What the summary takes from one school's workbook."""

    path: Path
    data: dict[str, object]
    indicators: list[tuple[str, float | None, float | None]]  # title, target, value, in the file's order

    @property
    def school(self) -> str:
        return str(self.data.get("school.short_name") or self.data.get("school.full_name") or self.path.name)

    @property
    def period_label(self) -> str:
        return str(self.data.get("period.label") or self.data.get("period.key") or "")


@dataclass
class ConsolidationResult:
    out: Path
    schools: list[SchoolReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ---- reading one school's workbook ------------------------------------------------------------------------------


def _refuse(path: Path, message: str) -> ConsolidationError:
    return ConsolidationError(message.format(file=path.name))


def _check_package(path: Path) -> None:
    """The file is a sane zip package: within the size limits, undamaged, not a zip bomb."""
    try:
        size = path.stat().st_size
    except OSError:
        raise _refuse(path, _("{file} cannot be read: it does not exist or is not accessible.")) from None
    if not path.is_file():
        raise _refuse(path, _("{file} cannot be read: it does not exist or is not accessible."))
    if size > MAX_FILE_BYTES:
        raise ConsolidationError(
            _("{file} is larger than {limit} MB: it is not a report of this program.").format(
                file=path.name, limit=MAX_FILE_BYTES // (1024 * 1024)
            )
        )
    if not zipfile.is_zipfile(path):
        raise _refuse(path, _("{file} is not an XLSX workbook."))
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            unpacked = sum(m.file_size for m in members)
            if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
                raise _refuse(path, _("{file} is too large when unpacked: it is not a report of this program."))
            if package.testzip() is not None:
                raise _refuse(path, _("{file} is damaged: the workbook cannot be read."))
        xlsx_guard.check(path, unpacked=MAX_UNPACKED_BYTES)  # cells, strings: what openpyxl would read at length
    except xlsx_guard.XlsxRefused:
        raise _refuse(path, _("{file} is too large when unpacked: it is not a report of this program.")) from None
    except (xlsx_guard.XlsxUnreadable, *xlsx_guard.ZIP_ERRORS):  # zlib.error from testzip() too
        raise _refuse(path, _("{file} is damaged: the workbook cannot be read.")) from None


def _number(path: Path, key: str, value: object) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConsolidationError(
            _("{file}: the value of “{key}” in the data sheet is not a number.").format(file=path.name, key=key)
        )
    return value


def read_report(path: str | Path) -> SchoolReport:
    """The data sheet of one school's report workbook, checked; raises ConsolidationError naming the file."""
    path = Path(path)
    if not openpyxl.DEFUSEDXML:
        raise ConsolidationError(
            _("Files from outside cannot be opened safely: the defusedxml package is missing or switched off.")
        )
    _check_package(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception:  # an untrusted file: any parse failure means "not a workbook we can read"
        raise _refuse(path, _("{file} is damaged or is not an XLSX workbook.")) from None
    try:
        if DATA_SHEET not in wb.sheetnames:
            raise _refuse(path, _("{file} is not a report of this program: it has no “data” sheet."))
        data: dict[str, object] = {}
        try:
            rows = wb[DATA_SHEET].iter_rows(min_row=2, max_row=MAX_DATA_ROWS + 1, max_col=2, values_only=True)
            for number, row in enumerate(rows, start=2):
                if number > MAX_DATA_ROWS:
                    raise _refuse(path, _("{file} has too many rows in its data sheet."))
                key, value = (tuple(row) + (None, None))[:2]
                if key is None or (isinstance(key, str) and not key.strip()):
                    continue
                if not isinstance(key, str) or len(key) > MAX_KEY_CHARS:
                    raise ConsolidationError(
                        _("{file}: row {row} of the data sheet has no valid key.").format(file=path.name, row=number)
                    )
                key = key.strip()
                if key in data:
                    raise ConsolidationError(
                        _("{file}: the key “{key}” appears twice in the data sheet.").format(file=path.name, key=key)
                    )
                data[key] = value
        except ConsolidationError:
            raise
        except Exception:
            raise _refuse(path, _("{file} is damaged or is not an XLSX workbook.")) from None
    finally:
        wb.close()
    return _checked(path, data)


def _checked(path: Path, data: dict[str, object]) -> SchoolReport:
    if data.get("generator") != GENERATOR:
        raise _refuse(path, _("{file} is not a report of this program."))
    version = data.get("format_version")
    if isinstance(version, float) and version.is_integer():
        version = int(version)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _refuse(path, _("{file} is not a report of this program: its format version is missing."))
    if version > FORMAT_VERSION:
        raise ConsolidationError(
            _(
                "{file} was made by a newer version of the program (format {version}); update the program to "
                "consolidate it."
            ).format(file=path.name, version=version)
        )
    data["format_version"] = version
    for key in _TEXT_KEYS:
        value = data.get(key)
        data[key] = clean_text(value if value is not None else "")
    if not data["school.full_name"] and not data["school.short_name"]:
        raise _refuse(path, _("{file} does not name its school."))
    if not data["period.key"]:
        raise _refuse(path, _("{file} does not name its period."))
    for key, _title, _kind in FIGURES:
        data[key] = _number(path, key, data.get(key))
    indicators: dict[str, dict[str, object]] = {}
    for key, value in data.items():
        if m := _INDICATOR.match(key):
            part = indicators.setdefault(m[1], {})
            part[m[2]] = clean_text(value) if m[2] == "title" else _number(path, key, value)
    rows = [(str(i.get("title") or ""), i.get("target"), i.get("value")) for i in indicators.values()]
    return SchoolReport(path, data, [r for r in rows if r[0].strip()])  # type: ignore[misc]


# ---- warnings -----------------------------------------------------------------------------------------------------


def _names(reports: list[SchoolReport]) -> str:
    return ", ".join(r.path.name for r in reports)


def _warnings(reports: list[SchoolReport]) -> list[str]:
    out = []
    periods: dict[str, list[SchoolReport]] = {}
    for r in reports:
        periods.setdefault(str(r.data["period.key"]), []).append(r)
    if len(periods) > 1:
        listed = "; ".join(f"{group[0].period_label} — {_names(group)}" for group in periods.values())
        out.append(_("The files are for different periods: {list}.").format(list=listed))
    versions: dict[int, list[SchoolReport]] = {}
    for r in reports:
        versions.setdefault(int(r.data["format_version"]), []).append(r)  # type: ignore[call-overload]
    if len(versions) > 1:
        listed = "; ".join(f"{v} — {_names(group)}" for v, group in sorted(versions.items()))
        out.append(_("The files have different format versions: {list}.").format(list=listed))
    schools: dict[tuple, list[SchoolReport]] = {}
    for r in reports:
        identity = (
            str(r.data["school.full_name"] or r.data["school.short_name"]).casefold(),
            str(r.data["school.municipality"]).casefold(),
            r.data["period.key"],
        )
        schools.setdefault(identity, []).append(r)
    for group in schools.values():
        if len(group) > 1:
            out.append(
                _("{school} is in more than one file for the same period: {files}.").format(
                    school=group[0].school, files=_names(group)
                )
            )
    for r in reports:
        if r.data.get("with_names") is True:
            out.append(
                _("{file} was made with pupils' names; the summary takes only its figures.").format(file=r.path.name)
            )
    return out


# ---- writing the summary ----------------------------------------------------------------------------------------


def _average(values: list) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _summary_sheet(book: Book, name: str, reports: list[SchoolReport], warnings: list[str], today: dt.date):
    out = book.sheet(name)
    ws = out.ws
    fixed = [(_("No."), 5), (_("School"), 30), (_("Municipality"), 22), (_("Period"), 18)]
    figure_titles = [_(title) for _key, title, _kind in FIGURES]
    titles = [t for t, _w in fixed] + figure_titles + [_("File")]
    # A figure's column is as wide as the longest word of its heading (the heading wraps), at least 12.
    figure_widths = [max(12.0, w) for w in column_widths(figure_titles, ["text"] * len(FIGURES), [])]
    widths = [w for _t, w in fixed] + figure_widths + [24]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    periods = {str(r.data["period.key"]): r.period_label for r in reports}
    period_line = (
        _("Period: {period}").format(period=next(iter(periods.values())))
        if len(periods) == 1
        else _("Periods differ: see the notes.")
    )
    top: list[tuple[list, float | None]] = [
        ([text_cell(_("Summary of the schools' reports"), "ar_title")], None),
        ([text_cell(period_line, "ar_caption")], None),
        (
            [
                text_cell(
                    _("Files: {n}. Made on {date}.").format(n=len(reports), date=fmt.format_date(today)),
                    "ar_caption",
                )
            ],
            None,
        ),
    ]
    for warning in warnings:
        top.append(([text_cell(_("Note") + f": {warning}", "ar_banner")], None))
    top.append(([], None))
    header_row = len(top) + 1
    ws.freeze_panes = f"C{header_row + 1}"
    print_setup(ws, landscape=True, title_row=header_row, with_names=False)
    rows = top + [([text_cell(t, "ar_header") for t in titles], header_height(figure_titles, figure_widths))]
    for n, r in enumerate(reports, 1):
        cells = [
            typed_cell(n, "int"),
            text_cell(r.school, "ar_text"),
            text_cell(r.data["school.municipality"], "ar_text"),
            text_cell(r.period_label, "ar_text"),
        ]
        cells += [typed_cell(r.data[key], kind) for key, _title, kind in FIGURES]
        cells.append(text_cell(r.path.name, "ar_text"))
        rows.append((cells, row_height([None, r.school, r.data["school.municipality"], r.period_label], widths)))
    totals = [text_cell("", "ar_total_text"), text_cell(_("Total"), "ar_total_text")]
    averages = [text_cell("", "ar_total_text"), text_cell(_("Average per school"), "ar_total_text")]
    for cells in (totals, averages):
        cells += [text_cell("", "ar_total_text"), text_cell("", "ar_total_text")]
    for key, _title, kind in FIGURES:
        values = [r.data[key] for r in reports]
        if kind == "int":
            present = [v for v in values if v is not None]
            totals.append(typed_cell(sum(present) if present else None, "int", "ar_total"))
            averages.append(typed_cell(_average(values), "number", "ar_total"))
        else:
            totals.append(typed_cell(None, "text", "ar_total"))
            averages.append(typed_cell(_average(values), "percent", "ar_total"))
    totals.append(typed_cell(None, "text", "ar_total"))
    averages.append(typed_cell(None, "text", "ar_total"))
    rows += [(totals, None), (averages, None)]
    for cells, height in rows:
        out.add(cells, height)


def _indicator_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _indicator_sheet(book: Book, name: str, reports: list[SchoolReport]) -> None:
    """Each school's indicators side by side: a row per indicator title (the same title in two schools shares
    the row), two columns per school: target and value."""
    out = book.sheet(name)
    ws = out.ws
    order: dict[str, str] = {}
    by_school: list[dict[str, tuple]] = []
    for r in reports:
        mine: dict[str, tuple] = {}
        for title, target, value in r.indicators:
            key = _indicator_key(title)
            order.setdefault(key, title)
            mine.setdefault(key, (target, value))
        by_school.append(mine)
    ws.column_dimensions["A"].width = 50
    for i in range(len(reports) * 2):
        ws.column_dimensions[get_column_letter(i + 2)].width = 12
    header_row = 3
    ws.freeze_panes = f"B{header_row + 2}"
    print_setup(ws, landscape=True, title_row=None, with_names=False)
    if len(reports) > 6:  # a page cannot hold more schools legibly: let the columns run on to further pages
        ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.print_title_rows = f"{header_row}:{header_row + 1}"
    ws.print_title_cols = "A:A"
    out.add([text_cell(_("Indicators of the schools"), "ar_title")])
    out.add([])
    # Two files of one school (or two schools of one name) stay apart by municipality and period.
    several_places = len({str(r.data["school.municipality"]) for r in reports}) > 1
    several_periods = len({str(r.data["period.key"]) for r in reports}) > 1
    names = [
        "\n".join(
            [r.school]
            + ([str(r.data["school.municipality"])] if several_places else [])
            + ([r.period_label] if several_periods else [])
        )
        for r in reports
    ]
    schools = [text_cell(_("Indicator"), "ar_header")]
    for n, name in enumerate(names):
        column = 2 + 2 * n
        ws.merged_cells.add(f"{get_column_letter(column)}{header_row}:{get_column_letter(column + 1)}{header_row}")
        schools += [text_cell(name, "ar_header"), text_cell("", "ar_header")]
    ws.merged_cells.add(f"A{header_row}:A{header_row + 1}")
    out.add(schools, header_height(names, [24] * len(names)))
    pair = [_("Target"), _("Value")]
    out.add(
        [text_cell("", "ar_header")] + [text_cell(t, "ar_header") for _r in reports for t in pair],
        header_height(pair, [12, 12]),
    )
    for key, title in order.items():
        cells = [text_cell(title, "ar_text")]
        for mine in by_school:
            target, value = mine.get(key, (None, None))
            cells += [typed_cell(target, "number"), typed_cell(value, "number")]
        out.add(cells, row_height([title], [50]))
    if not order:
        out.add([text_cell(_("No indicators in the files."), "ar_note")])


def consolidate(inputs: list[Path], out: Path, *, today: dt.date | None = None) -> ConsolidationResult:
    """Merge the report workbooks `inputs` into one summary workbook at `out` (written atomically).

    Every file is read and checked first: one that is not this program's report, is damaged or too large
    raises ConsolidationError naming it, and nothing is written. Mixed periods, format versions, a school in
    two files are warnings: in `result.warnings` and as notes at the top of the summary sheet.
    """
    today = today or dt.date.today()
    paths = [Path(p) for p in inputs]
    if not paths:
        raise ConsolidationError(_("No files to consolidate."))
    if len(paths) > MAX_FILES:
        raise ConsolidationError(_("Too many files: at most {n} at a time.").format(n=MAX_FILES))
    out = Path(out)
    target = out.resolve()
    for p in paths:
        if p.resolve() == target:
            raise ConsolidationError(
                _("The summary cannot be written over {file}, one of the files being consolidated.").format(file=p.name)
            )
    reports = [read_report(p) for p in paths]
    warnings = _warnings(reports)
    book = Book()
    taken: set[str] = set()
    _summary_sheet(book, sheet_name(_("Consolidated"), taken), reports, warnings, today)
    _indicator_sheet(book, sheet_name(_("Indicators by school"), taken), reports)
    book.wb.properties.title = clean_text(_("Summary of the schools' reports"))
    book.wb.properties.creator = "Antirisk"
    try:
        book.save(out)
    except ReportExportError as exc:
        raise ConsolidationError(str(exc)) from exc
    return ConsolidationResult(out, reports, warnings)
