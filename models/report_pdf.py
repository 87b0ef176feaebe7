"""The quarterly report as a PDF with the content of the XLSX: header, execution summary, problems and corrective
actions, every section as a table, the indicators' dynamics as charts, the signatures.

The whole report is landscape A4. Half of its sections (measures, indicators, PD courses, decisions, pupils by
name) have six to eight columns of long text that are unreadable on a portrait page, `pdf.build` gives one
orientation per document, and the school's other documents (program, roadmap, databank) are landscape too, so
the deputy director files them alike. Narrow sections take only the width they need; charts go two abreast.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table, TableStyle

from models import fmt, pdf
from models.i18n import _, language
from models.report import Report, Section
from models.report_xlsx import personal_data_banner, report_title

NUMERIC = ("int", "number", "percent")
CHART_HEIGHT_MM = 62
CELL_FONT_SIZE, CELL_PADDING = 10, 15  # the toolkit's cell font; 6 pt of padding a side and some room
GROUP_COLUMNS = ("program", "meeting")  # a first column that repeats becomes group lines across the table
HEADING_ROOM_MM = 50  # a heading needs room for the table's header, a group line and a row of a few lines
TAIL_ROWS = 2  # rows of the last table kept on the page of the signatures
SUB_ITEM_INDENT = 14  # points: the summary's sub-items ("done", "of them overdue") stand in under their figure


def format_value(value: object, kind: str) -> str:
    """A value as the report prints it: '12', '3,5', '25,0 %', '01.10.2026', or the text itself."""
    if value is None or value == "":
        return ""
    if kind in NUMERIC or kind == "date":  # Babel's formatting is slow, and a report's figures repeat
        try:
            return _formatted(type(value), value, kind, language())
        except TypeError:  # unhashable: formatted as it is
            pass
    return _format(value, kind)


@functools.lru_cache(maxsize=8192)
def _formatted(_type: type, value: object, kind: str, _language: str) -> str:
    return _format(value, kind)  # the type is in the key: True and 1 are equal keys, not equal values


def _format(value: object, kind: str) -> str:
    try:
        if kind == "int" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return fmt.format_number(value, 0)
        if kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return fmt.format_number(value)
        if kind == "percent" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return fmt.format_percent(value)
        if kind == "date":
            return fmt.format_date(value)
    except (TypeError, ValueError):
        pass
    return str(value)


def _cell(value: object, kind: str, width: float | None = None) -> Flowable | str:
    """A table cell; with the column's inner `width` (points), a plain string the table draws itself (numbers
    right-aligned by the table's ALIGN): a text that fits on one line as it is (`pdf.OneLine`), a longer one broken
    into lines where its Paragraph would break them (`pdf.wrapped`) — the same look, the table's FONT and leading
    being the cell style's, without markup parsing, line breaking and drawing by the Paragraph."""
    if width is not None:
        font = pdf.register_fonts().regular
        try:  # a report repeats its values (statuses, classes, dates, names of staff)
            plain = _cached_plain_cell(type(value), value, kind, width, font, language())
        except TypeError:  # unhashable
            plain = _plain_cell(value, kind, width, font)
        if plain is not None:
            return plain
    return Paragraph(pdf.markup(_cell_text(value, kind)), pdf.style("cell_number" if kind in NUMERIC else "cell"))


def _cell_text(value: object, kind: str) -> str:
    text = format_value(value, kind)
    if kind not in NUMERIC and kind != "date":
        text = text.replace(" – ", "\u00a0– ")  # a date range breaks after its dash, never before it
    return text


def _plain_cell(value: object, kind: str, width: float, font: str) -> str | None:
    """The cell as a string the table draws (`pdf.OneLine`, `pdf.Wrapped`), or None when it needs a Paragraph."""
    text = _cell_text(value, kind)
    shown = _SPACES_RUN.sub(" ", pdf.printable(text)).strip(" ")  # as a Paragraph collapses spaces
    if "\n" not in shown and _text_width(shown, font, CELL_FONT_SIZE) <= width:
        return pdf.OneLine(shown)
    return pdf.wrapped(text, width, font)


@functools.lru_cache(maxsize=16384)
def _cached_plain_cell(_type: type, value: object, kind: str, width: float, font: str, _language: str) -> str | None:
    return _plain_cell(value, kind, width, font)  # the type is in the key: True and 1 are equal keys


_SPACES_RUN = re.compile(r"[ \t\r\f\v]+")  # not the no-break space, which a Paragraph keeps too


@functools.lru_cache(maxsize=16384)
def _text_width(text: str, font: str, size: float) -> float:
    return stringWidth(text, font, size)


def _bold_cell(text: object, width: float) -> Flowable | str:
    """A group line's text in bold, as the table draws it in its bold FONT (set by the caller) or as a Paragraph."""
    bold = pdf.register_fonts().bold
    lines = pdf.wrapped(text, width, bold)
    if lines is not None:
        return lines
    return Paragraph(pdf.markup(text), ParagraphStyle("cell_bold", pdf.style("cell"), fontName=bold))


def frame_width() -> float:
    """The width of a landscape A4 frame in points, computed as reportlab's SimpleDocTemplate and Frame compute it
    (to the last bit: cells are broken into lines for the widths the table will give them)."""
    left, right, _top, _bottom = (v * mm for v in pdf.MARGINS_MM[True])
    width = (A4[1] - right) - left
    return (left + width) - left - 6 - 6  # the frame's own padding, 6 pt a side


_SPACES = re.compile(r"[\s\u00a0]+")


@functools.lru_cache(maxsize=16384)
def _longest_word(text: str, font: str) -> float:
    words = {w for w in _SPACES.split(text) if w} if text else set()
    return max((_text_width(w, font, CELL_FONT_SIZE) for w in words), default=0.0)


def column_fractions(
    titles: Sequence[str],
    kinds: Sequence[str],
    weights: Sequence[float],
    rows: Sequence[Sequence[object]],
    total: float,
) -> list[float]:
    """Fractions of the frame: number and date columns as wide as their widest value, text columns share the rest
    by weight; no column is narrower than its longest word (unless even the longest words cannot fit)."""
    fonts = pdf.register_fonts()
    frame = frame_width()
    cap = 0.3 * frame
    need = [min(cap, _longest_word(t, fonts.bold)) for t in titles]
    for row in rows:
        for i, (value, kind) in enumerate(zip(row, kinds)):
            if value is None or value == "":
                continue
            text = format_value(value, kind)
            if kind in NUMERIC or kind == "date":
                width = _text_width(text, fonts.regular, CELL_FONT_SIZE)
            else:
                width = min(cap, _longest_word(text, fonts.regular))
            if width > need[i]:
                need[i] = width
    mins = [(n + CELL_PADDING) / frame for n in need]
    if sum(mins) >= total:
        return [m * total / sum(mins) for m in mins]
    fractions = list(mins)
    text = [i for i, k in enumerate(kinds) if k not in NUMERIC and k != "date"]
    if not text:  # only numbers: spread the room evenly
        extra = (total - sum(mins)) / len(mins)
        return [m + extra for m in mins]
    left = total - sum(mins[i] for i in range(len(kinds)) if i not in text)
    open_ = set(text)
    while open_:  # water-filling: a text column whose longest word needs more than its share keeps that width
        share = sum(weights[i] for i in open_)
        wide = [i for i in open_ if mins[i] > left * weights[i] / share]
        if not wide:
            for i in open_:
                fractions[i] = left * weights[i] / share
            break
        for i in wide:
            fractions[i] = mins[i]
            left -= mins[i]
            open_.discard(i)
    return fractions


def _group_rows(section: Section) -> tuple[list, list[int]]:
    """Rows for the table, with a group line (a str) wherever the first column (program, meeting) changes, and
    the indexes of the columns printed. Only for a first column that repeats; other sections print as they are."""
    columns = list(range(len(section.columns)))
    first = section.columns[0].key if section.columns else ""
    values = [row[0] for row in section.rows if row]
    if first not in GROUP_COLUMNS or len(set(values)) == len(values):
        return [list(row) for row in section.rows], columns
    out: list = []
    current: object = object()
    for row in section.rows:
        if row[0] != current:
            current = row[0]
            out.append(str(row[0] or "—"))
        out.append(list(row[1:]))
    return out, columns[1:]


def _table_part(header: list[str] | None, rows: list, kinds: list[str], widths: list[float], start: int) -> Flowable:
    """A table of `rows` (cell lists, or a str for a group line across the table) that begin at index `start`
    of the whole list, so that the stripes go on where another part left off."""
    # A cell's room for text: its share of the frame less the cell padding (6 pt a side); a wide section spans the
    # frame, a narrow one is never wider, so the frame's width is the one the table is laid out in.
    frame = frame_width()
    inner = [pdf.cell_room(w * frame) for w in widths]
    across = pdf.cell_room(sum(w * frame for w in widths))  # a group line spans the table
    bold = pdf.register_fonts().bold
    cells, extra = [], []
    first = 1 if header else 0
    last = first + len(rows) - 1
    for i, row in enumerate(rows):
        r = first + i
        if isinstance(row, str):
            cells.append([_bold_cell(row, across)] + [pdf.OneLine("")] * (len(widths) - 1))  # under the span
            extra += [
                ("SPAN", (0, r), (-1, r)),
                ("FONT", (0, r), (-1, r), bold, CELL_FONT_SIZE),
                ("BACKGROUND", (0, r), (-1, r), pdf.HEADER_FILL),
                ("NOSPLIT", (0, r), (-1, min(r + 1, last))),
            ]
        else:
            cells.append([_cell(v, k, w) for v, k, w in zip(row, kinds, inner)])
            if (start + i) % 2:
                extra.append(("BACKGROUND", (0, r), (-1, r), pdf.ZEBRA_FILL))
    extra += [("ALIGN", (c, first), (c, -1), "RIGHT") for c, kind in enumerate(kinds) if kind in NUMERIC]
    return pdf.table(header, cells, widths, zebra=False, extra_style=extra)


def _section_tables(section: Section, closing: list[Flowable] | None = None) -> list[Flowable]:
    """The section as a table whose header repeats on every page; with `closing` (the signatures), the last rows
    stay on the page of what closes the report, so that the signatures never stand alone on a page."""
    rows, columns = _group_rows(section)
    cols = [section.columns[i] for i in columns]
    kinds = [c.kind for c in cols]
    weights = [max(c.width, 0.1) for c in cols]
    # A wide section spans the page; a narrow one (a few number columns) only as much as its columns need.
    total = 1.0 if section.wide else min(1.0, max(0.45, 0.09 * sum(weights)))
    plain = [r for r in rows if not isinstance(r, str)]
    header = [c.title for c in cols]
    widths = column_fractions(header, kinds, weights, plain, total)
    if not closing:
        return [_table_part(header, rows, kinds, widths, 0)]
    tail = max(0, len(rows) - TAIL_ROWS)
    while tail > 0 and isinstance(rows[tail - 1], str):
        tail -= 1
    if tail == 0:
        return [KeepTogether([_table_part(header, rows, kinds, widths, 0), *closing])]
    return [
        _table_part(header, rows[:tail], kinds, widths, 0),
        KeepTogether([_table_part(None, rows[tail:], kinds, widths, tail), *closing]),
    ]


def heading(text: str, room_mm: float = HEADING_ROOM_MM) -> list[Flowable]:
    """A section heading that starts a new page when less than `room_mm` is left under it.

    Not the toolkit's keep-with-next heading: that keeps the heading with the whole table after it, so a table
    a little longer than the rest of a page would leave the rest of that page empty."""
    style = ParagraphStyle("report_heading", pdf.style("heading"), keepWithNext=0)
    return [CondPageBreak(room_mm * mm), Paragraph(pdf.markup(text), style)]


def _summary(report: Report) -> list[Flowable]:
    widths = [0.5, 0.14]
    frame = frame_width()
    label_room, value_room = (pdf.cell_room(w * frame) for w in widths)
    rows, extra = [], [("ALIGN", (1, 1), (1, -1), "RIGHT")]
    for r, (label, value, kind) in enumerate(report.summary, 1):
        room = label_room
        if label[:1].islower():  # "done", "of them overdue": sub-items, indented as by the style's leftIndent
            extra.append(("LEFTPADDING", (0, r), (0, r), 6 + SUB_ITEM_INDENT))
            room -= SUB_ITEM_INDENT
        shown = format_value(value, kind) or "—"
        label_cell = pdf.wrapped(label, room) or Paragraph(pdf.markup(label), pdf.style("cell"))
        value_cell = pdf.wrapped(shown, value_room) or Paragraph(pdf.markup(shown), pdf.style("cell_number"))
        rows.append([label_cell, value_cell])
    return [*heading(_("Execution summary")), pdf.table([_("Figure"), _("Value")], rows, widths, extra_style=extra)]


def _text_block(title: str, text: str) -> list[Flowable]:
    paragraphs = [p for p in (text or "").replace("\r\n", "\n").split("\n") if p.strip()] or ["—"]
    return [*heading(title, 20), *(pdf.paragraph(p) for p in paragraphs)]


_FULL_DATE = re.compile(r"^(\d{2}\.\d{2}\.)\d{2}(\d{2})$")


def _short_date(label: str) -> str:
    """'28.12.2024' → '28.12.24': eight dates side by side on a half-page chart."""
    return _FULL_DATE.sub(r"\1\2", label)


def _charts(report: Report) -> list[Flowable]:
    if not report.charts:
        return []
    cells = []
    for title, points, target in report.charts:
        points = [(_short_date(label), value) for label, value in points]
        chart = pdf.line_chart(
            points, target=target, series_label=_("Value"), target_label=_("Target"), height_mm=CHART_HEIGHT_MM
        )
        cells.append([pdf.paragraph(title, "small", align="center"), chart])
    if len(cells) % 2:
        cells.append("")
    grid = [cells[i : i + 2] for i in range(0, len(cells), 2)]
    style = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ]
    )
    return [
        *heading(_("Dynamics of indicators"), CHART_HEIGHT_MM + 20),
        Table(grid, colWidths=["50%", "50%"], style=style, hAlign="LEFT"),
    ]


def story(report: Report) -> list[Flowable]:
    """The report's flowables, in the order of the XLSX sheets."""
    school = report.school
    parts: list[Flowable] = []
    if school.get("full_name") or school.get("short_name"):
        parts.append(pdf.paragraph(school.get("full_name") or school.get("short_name"), align="center"))
    parts.append(pdf.title(report_title()))
    parts.append(pdf.paragraph(_("Reporting period") + f": {report.period.label}", "bold", align="center"))
    details = [_("Municipality") + f": {school['municipality']}"] if school.get("municipality") else []
    details.append(_("Date of the report") + f": {fmt.format_date(report.generated_on)}")
    parts += [pdf.paragraph(line, "small", align="right") for line in details]
    parts += _summary(report)
    parts += _text_block(_("Problems identified"), report.problems)
    parts += _text_block(_("Corrective actions"), report.actions)
    closing = [pdf.spacer(10), signatures(report.signers)]
    for n, section in enumerate(report.sections, 1):
        last = n == len(report.sections)
        parts += heading(section.title)
        after = [pdf.paragraph(section.note, "small")] if section.note else []
        if section.key == "indicators":
            after += _charts(report)
        if not section.rows:
            after.insert(0, pdf.paragraph(_("No data for the period."), "small"))
        elif last and not after:
            parts += _section_tables(section, closing)
            return parts
        else:
            parts += _section_tables(section)
        parts += after
    parts.append(KeepTogether(closing))
    return parts


def signatures(signers: Sequence[tuple[str, str]]) -> Flowable:
    return pdf.signature_block(list(signers))


def write_pdf(report: Report, out: str | Path) -> Path:
    """Write the report as a landscape A4 PDF to `out` (atomically); return the path.

    Every page has "page X of Y"; a report with names says on every page that it holds personal data. Raises
    pdf.PdfError (translated) when no font is found or the file cannot be written; nothing is left behind then.
    """
    school = report.school.get("short_name") or report.school.get("full_name") or ""
    pdf.build(
        out,
        story(report),
        landscape=True,
        title=f"{report_title()}: {report.period.label}",
        author=school,
        subject=report.period.label,
        personal_data_banner=personal_data_banner() if report.with_names else None,
    )
    return Path(out)
