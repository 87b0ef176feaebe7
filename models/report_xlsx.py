"""The quarterly report as an XLSX workbook: a summary sheet, one sheet per section, the indicators' dynamics and a
machine-readable "data" sheet (key | value) that the education department's consolidation reads.

openpyxl's write-only mode writes the package and everything of a sheet around its rows: named cell styles, column
widths, frozen header rows, A4 page setup with fit-to-width and repeated header rows, merged cells, print header
and footer, line charts. The rows themselves — nearly every cell of a report — are written by RowWriter below as
the same SpreadsheetML openpyxl would write (inline strings), at a fraction of openpyxl's cost per styled cell, and
put into each sheet's part when the Book is saved. Every string — above all text a user typed — is written as a
string cell, never as a formula or an error value. The file is written atomically: a temporary file in the same
folder, then a rename.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.packaging.custom import BoolProperty, StringProperty
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from models import files, fmt
from models.i18n import N_, _, language
from models.report import FORMAT_VERSION, Report, Section

GENERATOR = "antirisk"  # the "generator" value of the data sheet: consolidation accepts only this
DATA_SHEET = "data"  # machine-readable, never translated
MAX_CELL_CHARS = 32767  # Excel's limit for one cell
MAX_WIDTH, MIN_WIDTH = 60, 6  # column widths in characters
PAGE_WIDTH = {False: 95, True: 145}  # characters across an A4 page, portrait / landscape, at 100 %
SHEET_NAME_MAX = 31
CHART_ROWS = 13  # rows a chart of the dynamics sheet takes
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")

# Short sheet names for the report's sections (a section title is often longer than Excel's 31 characters).
SHEET_NAMES = {
    "programs": N_("By program"),
    "measures": N_("Measures"),
    "indicators": N_("Indicators"),
    "databank": N_("Databank"),
    "databank_grades": N_("Databank, by grade"),
    "routes": N_("Pupils' routes"),
    "pd": N_("PD courses"),
    "meetings": N_("Meetings, sessions"),
    "decisions": N_("Decisions taken"),
    "databank_names": N_("Pupils by name"),
}

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOP = Alignment(vertical="top", wrap_text=True)


class ReportExportError(OSError):
    """The workbook cannot be written; the message is translated, fit to show to the user."""


def report_title() -> str:
    return _("Report on the results of monitoring the implementation of the action plan (roadmap)")


def personal_data_banner() -> str:
    """The words of databank_print's banner (one msgid), without importing the PDF machinery for a workbook."""
    return _("Contains personal data of pupils: for use inside the school only")


# ---- cells ---------------------------------------------------------------------------------------------------


def clean_text(value: object) -> str:
    """A string a cell can hold: control characters XML forbids go, at most Excel's 32,767 characters."""
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


class Cell(NamedTuple):
    """One cell of a row: its value and its named style (see add_styles). The value's type is the cell's type: a str
    is always a string cell, whatever it looks like ("=1+1", "@x", "#N/A" stay text); an int or float a number, a
    date a date (a number with the style's date format), a bool a boolean, None an empty (styled) cell."""

    value: object
    style: str | None = None


def text_cell(value: object, style: str | None = None) -> Cell:
    """A string cell; empty text, an empty cell."""
    return Cell(clean_text(value) or None, style)


def _number(value: object) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return round(value, 10)  # 0.6970000000000001 → 0.697; nothing a report shows is that fine
    return value


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            try:
                return dt.date.fromisoformat(fmt.parse_date(value))
            except ValueError:
                return None
    return None


def typed_cell(value: object, kind: str, style_prefix: str = "ar") -> Cell:
    """A cell of the column's kind: int, number, percent (a share, 0.25), date, or text (always a string)."""
    if value is None or value == "":
        return Cell(None, f"{style_prefix}_{'text' if kind not in ('int', 'number', 'percent', 'date') else kind}")
    if kind in ("int", "number", "percent"):
        number = _number(value)
        if number is not None:
            return Cell(number, f"{style_prefix}_{kind}")
    elif kind == "date":
        day = _date(value)
        if day is not None:
            return Cell(day, f"{style_prefix}_date")
    return text_cell(value, f"{style_prefix}_text")


FONT = "Calibri"  # the workbook's default face; LibreOffice shows it with the metric-equal Carlito


def add_styles(wb: Workbook) -> None:
    def add(name: str, font: Font | None = None, **kw) -> None:
        wb.add_named_style(NamedStyle(name=name, font=font or Font(name=FONT, size=11), **kw))

    bold = Font(name=FONT, size=11, bold=True)
    add("ar_title", Font(name=FONT, bold=True, size=13))
    add("ar_caption", Font(name=FONT, size=10, color="404040"))
    add("ar_banner", Font(name=FONT, size=11, bold=True, color="A00000"))
    add("ar_heading", bold, alignment=Alignment(vertical="bottom"))
    add("ar_para", alignment=_TOP)
    add("ar_note", Font(name=FONT, size=11, italic=True), alignment=Alignment(vertical="top"))
    header_fill = PatternFill("solid", fgColor="E6E6E6")
    add(
        "ar_header",
        bold,
        fill=header_fill,
        border=_BORDER,
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    )
    add("ar_text", border=_BORDER, alignment=_TOP)
    add("ar_int", border=_BORDER, alignment=_TOP, number_format="0")
    add("ar_number", border=_BORDER, alignment=_TOP, number_format="General")
    add("ar_percent", border=_BORDER, alignment=_TOP, number_format="0.0%")
    add("ar_date", border=_BORDER, alignment=Alignment(vertical="top", horizontal="left"), number_format="DD.MM.YYYY")
    add("ar_label", border=_BORDER, alignment=_TOP)
    sub = Alignment(horizontal="left", vertical="top", wrap_text=True, indent=2)
    add("ar_label_sub", border=_BORDER, alignment=sub)
    add("ar_total_text", bold, border=_BORDER, alignment=_TOP)
    add("ar_total_int", bold, border=_BORDER, alignment=_TOP, number_format="0")
    add("ar_total_number", bold, border=_BORDER, alignment=_TOP, number_format="0.0")
    add("ar_total_percent", bold, border=_BORDER, alignment=_TOP, number_format="0.0%")
    add("ar_plain", alignment=Alignment(vertical="top"))


# ---- sheets ---------------------------------------------------------------------------------------------------


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unique (case-insensitive) sheet name: no []:*?/\\, at most 31 characters, no edge apostrophes."""
    base = _BAD_SHEET_CHARS.sub(" ", clean_text(wanted))
    base = re.sub(r"\s+", " ", base).strip().strip("'").strip() or "Sheet"
    if base.lower() == "history":  # reserved by Excel
        base += " 1"
    base = base[:SHEET_NAME_MAX].rstrip().rstrip("'")
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)].rstrip().rstrip("'") + suffix
        n += 1
    taken.add(name.lower())
    return name


@functools.lru_cache(maxsize=4096)
def _number_length(_type: type, value: float, _language: str) -> int:
    """How many characters a number takes as shown (Babel's formatting is slow; a report's figures repeat)."""
    return len(fmt.format_number(value))


def _display_length(value: object, kind: str) -> int:
    if value is None:
        return 0
    if kind == "date":
        return 10
    if kind == "percent":
        return 7
    if kind in ("int", "number") and isinstance(value, (int, float)):
        return _number_length(type(value), value, language())
    text = str(value)
    if len(text) > 4 * MAX_WIDTH:  # wraps anyway
        return MAX_WIDTH
    return max((len(line) for line in text.splitlines()), default=0)


def _chars(n: float) -> float:
    """Column width units for `n` characters: Cyrillic letters are a little wider than the digit the unit is."""
    return round(n * 1.1 + 2, 1)


def column_widths(
    titles: Sequence[str],
    kinds: Sequence[str],
    rows: Iterable[Sequence[object]],
    weights: Sequence[float] | None = None,
    budget: float | None = None,
) -> list[float]:
    """Widths (in characters) that fit the content, capped at MAX_WIDTH; a header wraps, so its longest word counts.

    With a `budget` (the width of a printed page) and more content than fits, text columns share what the
    number and date columns leave, by `weights`, and their text wraps.
    """
    words = [max([len(w) for w in (t or "").split()] + [min(len(t or ""), 12)]) for t in titles]
    longest = list(words)
    for row in rows:
        for i, (value, kind) in enumerate(zip(row, kinds)):
            length = _display_length(value, kind)
            if length > longest[i]:
                longest[i] = length
    desired = [min(MAX_WIDTH, max(MIN_WIDTH, _chars(n))) for n in longest]
    if budget is None or sum(desired) <= budget:
        return desired
    weights = list(weights or [1.0] * len(titles))
    text = [i for i, k in enumerate(kinds) if k not in ("int", "number", "percent", "date")]
    widths = list(desired)
    left = budget - sum(desired[i] for i in range(len(kinds)) if i not in text)
    open_ = set(text)
    while open_:  # water-filling: a column that needs less than its share gives the rest to the others
        total = sum(weights[i] for i in open_) or 1.0
        fits = [i for i in open_ if desired[i] <= left * weights[i] / total]
        if not fits:
            for i in open_:
                floor = min(desired[i], max(MIN_WIDTH + 4, _chars(words[i])))
                widths[i] = max(floor, round(left * weights[i] / total, 1))
            break
        for i in fits:
            widths[i] = desired[i]
            left -= desired[i]
            open_.discard(i)
    return widths


def _lines(value: object, width: float) -> int:
    """How many lines a wrapped text takes in a column `width` characters wide (an estimate, a bit generous)."""
    if value is None:
        return 1
    per_line = max(1.0, width - 1.5)
    return sum(max(1, math.ceil(len(p) * 1.1 / per_line)) for p in str(value).split("\n")) or 1


def row_height(values: Sequence[object], widths: Sequence[float], kinds: Sequence[str] | None = None) -> float | None:
    """A row height in points for wrapped text (None: the default height will do); at most Excel's 409."""
    lines = 1
    for i, (value, width) in enumerate(zip(values, widths)):
        if isinstance(value, str) and (kinds is None or kinds[i] not in ("date",)):
            lines = max(lines, _lines(value, width))
    return None if lines == 1 else min(409.0, lines * 15.0)


def print_setup(ws, *, landscape: bool, title_row: int | None, with_names: bool) -> None:
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left, ws.page_margins.right = (0.6, 0.4) if landscape else (0.8, 0.4)
    ws.page_margins.top, ws.page_margins.bottom = 0.7, 0.6
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
    if title_row:
        ws.print_title_rows = f"{title_row}:{title_row}"
    # Header/footer codes: "&P" the page, "&N" the pages; "&&" is a literal ampersand.
    footer = _("page {page} of {pages}").replace("&", "&&").format(page="&P", pages="&N")
    ws.oddFooter.center.text = footer
    ws.oddFooter.center.size = 9
    if with_names:
        ws.oddHeader.center.text = personal_data_banner().replace("&", "&&")
        ws.oddHeader.center.size = 9
        ws.oddHeader.center.color = "A00000"


def _school_line(report: Report) -> str:
    school = report.school.get("short_name") or report.school.get("full_name") or ""
    return ", ".join(p for p in (school, report.period.label) if p)


def _sheet_top(report: Report, title: str) -> list[list[Cell]]:
    """The lines above a sheet's table: title, school and period, the personal-data line, a blank row."""
    rows = [[text_cell(title, "ar_title")], [text_cell(_school_line(report), "ar_caption")]]
    if report.with_names:
        rows.append([text_cell(personal_data_banner(), "ar_banner")])
    rows.append([])
    return rows


def header_height(titles: Sequence[str], widths: Sequence[float]) -> float | None:
    """The height of a header row: bold letters are wider, so its lines are counted in narrower columns."""
    return row_height(list(titles), [w * 0.85 for w in widths])


# ---- the rows, written as SpreadsheetML text ---------------------------------------------------------------------

_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")


class RowWriter:
    """The rows of one sheet, as the `<sheetData>` text of the sheet's part.

    openpyxl writes everything else of the sheet (columns, frozen panes, merged cells, print setup, charts);
    its own way of writing a styled cell costs two cell objects and an exception each, so the rows — nearly all
    of a report's cells — are written here, to the same markup openpyxl writes in write-only mode (inline strings),
    and put into the package when the book is saved.
    """

    def __init__(self, book: Book, ws) -> None:
        self.book, self.ws, self.next = book, ws, 1
        self.parts: list[str] = []

    def add(self, cells: Sequence[Cell | None], height: float | None = None) -> int:
        """Append a row of cells (None: an empty cell), `height` points high (None: the default height)."""
        r = self.next
        parts = self.parts
        parts.append(f'<row r="{r}" ht="{height:g}" customHeight="1">' if height else f'<row r="{r}">')
        styles = self.book.style_ids
        for col, cell in enumerate(cells, 1):
            if cell is None:
                continue
            value, style = cell
            if value is None and style is None:
                continue
            if style:
                sid = styles.get(style)
                if sid is None:
                    sid = self.book.style_id(style, self.ws)
                head = f'<c r="{get_column_letter(col)}{r}" s="{sid}"'
            else:
                head = f'<c r="{get_column_letter(col)}{r}"'
            if value is None:
                parts.append(head + "/>")
            elif isinstance(value, str):
                space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
                parts.append(f'{head} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>')
            elif isinstance(value, bool):
                parts.append(f'{head} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (int, float)):
                parts.append(f'{head} t="n"><v>{value!r}</v></c>')
            elif isinstance(value, dt.date):
                parts.append(f'{head} t="n"><v>{to_excel(value)}</v></c>')
            else:
                raise TypeError(f"a cell cannot hold {type(value).__name__}")
        parts.append("</row>")
        self.next += 1
        return r

    def sheet_data(self) -> bytes:
        return ("<sheetData>" + "".join(self.parts) + "</sheetData>").encode("utf-8")


class Book:
    """A write-only openpyxl workbook with the report's named styles, whose sheets' rows are RowWriters."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)
        add_styles(self.wb)
        self.style_ids: dict[str, int] = {}  # named style → the index of its cell format in the workbook
        self.sheets: list[RowWriter] = []

    def style_id(self, name: str, ws) -> int:
        """The index of the named style's cell format, registered on first use as openpyxl does for a cell."""
        probe = WriteOnlyCell(ws)
        probe.style = name
        self.style_ids[name] = probe.style_id
        return self.style_ids[name]

    def sheet(self, name: str) -> RowWriter:
        out = RowWriter(self, self.wb.create_sheet(name))
        self.sheets.append(out)
        return out

    def package(self) -> bytes:
        """The whole .xlsx file: openpyxl's package, each sheet's part with its rows put in."""
        buffer = io.BytesIO()
        self.wb.save(buffer)  # a write-only workbook: built here, once; each sheet's part has an empty <sheetData>
        rows = {out.ws.path.lstrip("/"): out for out in self.sheets}
        result = io.BytesIO()
        with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                out = rows.pop(info.filename, None)
                if out is not None:
                    data, n = _SHEET_DATA.subn(lambda _m, out=out: out.sheet_data(), data, count=1)
                    if n != 1:
                        raise RuntimeError(f"no empty sheetData in {info.filename}")
                dst.writestr(info, data)
        if rows:
            raise RuntimeError(f"sheets missing from the package: {sorted(rows)}")
        return result.getvalue()

    def save(self, out: str | Path) -> Path:
        """Write the book to `out` atomically; ReportExportError (translated) when it cannot be written."""
        return files.write_atomically(self.package(), out, ReportExportError)


def _write_section(book: Book, report: Report, section: Section, name: str) -> None:
    out = book.sheet(name)
    ws = out.ws
    kinds = [c.kind for c in section.columns]
    titles = [c.title for c in section.columns]
    weights = [c.width for c in section.columns]
    widths = column_widths(titles, kinds, section.rows, weights, PAGE_WIDTH[section.wide])
    # A narrow section that still does not fit a portrait page (many number columns) is printed landscape too.
    landscape = section.wide or sum(widths) > PAGE_WIDTH[False] + 1
    if landscape and not section.wide:
        widths = column_widths(titles, kinds, section.rows, weights, PAGE_WIDTH[True])
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    top = _sheet_top(report, section.title)
    header_row = len(top) + 1
    ws.freeze_panes = f"A{header_row + 1}"
    print_setup(ws, landscape=landscape, title_row=header_row, with_names=report.with_names)
    for row in top:
        out.add(row)
    out.add([text_cell(t, "ar_header") for t in titles], header_height(titles, widths))
    for row in section.rows:
        out.add([typed_cell(v, k) for v, k in zip(row, kinds)], row_height(row, widths, kinds))
    if not section.rows:
        out.add([text_cell(_("No data for the period."), "ar_note")])
    if section.note:
        out.add([])
        out.add([text_cell(section.note, "ar_note")])


def _write_summary(book: Book, report: Report, name: str) -> None:
    out = book.sheet(name)
    ws = out.ws
    widths = (58, 37)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = widths
    print_setup(ws, landscape=False, title_row=None, with_names=report.with_names)
    school = report.school
    rows: list[tuple[list, float | None]] = [([text_cell(report_title(), "ar_title")], None)]
    if report.with_names:
        rows.append(([text_cell(personal_data_banner(), "ar_banner")], None))
    rows.append(([], None))

    def pair(label: str, value: object, kind: str, style: str = "ar_label") -> None:
        rows.append(([text_cell(label, style), typed_cell(value, kind)], row_height([label, value], widths)))

    pair(_("School"), school.get("full_name") or school.get("short_name") or "", "text")
    pair(_("Municipality"), school.get("municipality") or "", "text")
    pair(_("Reporting period"), report.period.label, "text")
    pair(_("Date of the report"), report.generated_on, "date")
    rows.append(([], None))
    rows.append(([text_cell(_("Execution summary"), "ar_heading")], None))
    rows.append(([text_cell(_("Figure"), "ar_header"), text_cell(_("Value"), "ar_header")], None))
    for label, value, kind in report.summary:
        pair(label, value, kind, "ar_label_sub" if label[:1].islower() else "ar_label")  # "done": a sub-item
    for heading, text in ((_("Problems identified"), report.problems), (_("Corrective actions"), report.actions)):
        rows.append(([], None))
        rows.append(([text_cell(heading, "ar_heading")], None))
        paragraphs = [p for p in clean_text(text).replace("\r\n", "\n").split("\n") if p.strip()] or ["—"]
        for paragraph in paragraphs:
            ws.merged_cells.add(f"A{len(rows) + 1}:B{len(rows) + 1}")  # the text runs across both columns
            rows.append(([text_cell(paragraph, "ar_para")], row_height([paragraph], [sum(widths)])))
    rows.append(([], None))
    for role, person in report.signers:
        rows.append(([], None))
        line = f"________________  {person}".rstrip()
        rows.append(([text_cell(role, "ar_plain"), text_cell(line, "ar_plain")], None))
    for cells, height in rows:
        out.add(cells, height)


def _write_dynamics(book: Book, report: Report, name: str) -> None:
    """The indicators' dynamics of the PDF's charts: per indicator a small table and a line chart beside it."""
    out = book.sheet(name)
    ws = out.ws
    for letter, width in zip("ABCD", (13, 13, 13, 3)):
        ws.column_dimensions[letter].width = width
    rows = _sheet_top(report, _("Dynamics of indicators"))
    heights: dict[int, float] = {}  # row number → its height, where not the default
    print_setup(ws, landscape=True, title_row=None, with_names=report.with_names)
    titles = [_("Date"), _("Value"), _("Target")]
    header_row_height = header_height(titles, [13, 13, 13])
    for n, (title, points, target) in enumerate(report.charts):
        block = len(rows) + 1
        if n and n % 2 == 0:  # two indicators a page: a chart is never cut by a page break
            ws.row_breaks.append(Break(id=block - 1))
        rows.append([text_cell(title, "ar_heading")])
        if header_row_height:
            heights[len(rows) + 1] = header_row_height
        rows.append([text_cell(t, "ar_header") for t in titles])
        first = len(rows) + 1
        for day, value in points:
            cells = [typed_cell(day, "date"), typed_cell(value, "number"), typed_cell(target, "number")]
            rows.append(cells)
        last = len(rows)
        rows += [[] for _i in range(max(0, block + CHART_ROWS - len(rows)))]  # room for the chart beside
        if not points:
            continue
        chart = LineChart()
        chart.height, chart.width = CHART_ROWS * 0.5, 16  # cm; a row is about half a centimetre
        chart.legend.position = "b"
        chart.x_axis.number_format = "DD.MM.YYYY"
        chart.x_axis.delete = chart.y_axis.delete = False  # newer Excel hides axes that are not said to stay
        for col, label, color in ((2, _("Value"), "1F4E79"), (3, _("Target"), "C00000")):
            chart.add_data(Reference(ws, min_col=col, min_row=first, max_row=last))
            series = chart.series[-1]
            series.tx = SeriesLabel(v=clean_text(label))
            series.smooth = False
            series.graphicalProperties.line.solidFill = color
        chart.series[1].graphicalProperties.line.dashStyle = "dash"
        chart.series[0].marker.symbol = "circle"
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        chart.anchor = f"E{block + 1}"
        ws.add_chart(chart)
    for n, row in enumerate(rows, 1):
        out.add(row, heights.get(n))


def data_items(report: Report) -> list[tuple[str, object]]:
    """The machine-readable sheet's rows: stable keys first, then every figure of the report."""
    school = report.school
    items: list[tuple[str, object]] = [
        ("format_version", FORMAT_VERSION),
        ("generator", GENERATOR),
        ("school.full_name", school.get("full_name") or ""),
        ("school.short_name", school.get("short_name") or ""),
        ("school.municipality", school.get("municipality") or ""),
        ("period.key", report.period.key),
        ("period.label", report.period.label),
        ("period.start", report.period.start.isoformat()),
        ("period.end", report.period.end.isoformat()),
        ("generated_on", report.generated_on.isoformat()),
        ("with_names", bool(report.with_names)),
    ]
    items += [(key, value) for key, value in report.figures.items()]
    return items


def _write_data(book: Book, report: Report) -> None:
    out = book.sheet(DATA_SHEET)
    ws = out.ws
    items = data_items(report)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 60
    ws.freeze_panes = "A2"
    print_setup(ws, landscape=False, title_row=1, with_names=report.with_names)
    out.add([text_cell("key", "ar_header"), text_cell("value", "ar_header")])
    for key, value in items:
        if isinstance(value, bool):
            cell = Cell(value)
        elif isinstance(value, (int, float)):
            cell = Cell(_number(value))
        elif value is None:
            cell = None
        else:
            cell = text_cell(value)
        out.add([text_cell(key), cell])


# ---- the workbook -----------------------------------------------------------------------------------------------


def build_workbook(report: Report) -> Book:
    """The report as a Book, ready to save once."""
    book = Book()
    taken: set[str] = {DATA_SHEET}
    _write_summary(book, report, sheet_name(_("Overview"), taken))
    for section in report.sections:
        wanted = _(SHEET_NAMES[section.key]) if section.key in SHEET_NAMES else section.title
        _write_section(book, report, section, sheet_name(wanted, taken))
    if report.charts:
        _write_dynamics(book, report, sheet_name(_("Dynamics"), taken))
    _write_data(book, report)
    props = book.wb.properties
    school = report.school.get("short_name") or report.school.get("full_name") or ""
    props.title = clean_text(f"{report_title()}: {report.period.label}")[:250]
    props.subject = clean_text(school)[:250]
    props.creator = "Antirisk"
    props.created = props.modified = dt.datetime.now().replace(microsecond=0)
    props.language = "ru-RU"
    if report.with_names:
        props.keywords = personal_data_banner()
        props.description = personal_data_banner()
        props.category = personal_data_banner()
    book.wb.custom_doc_props.append(BoolProperty(name="ContainsPersonalData", value=bool(report.with_names)))
    book.wb.custom_doc_props.append(StringProperty(name="AntiriskPeriod", value=report.period.key))
    return book


def write_xlsx(report: Report, out: str | Path) -> Path:
    """Write the report as an XLSX workbook to `out` (atomically); return the path.

    Raises ReportExportError (translated) when the file cannot be written; nothing is left behind then.
    """
    return build_workbook(report).save(out)
