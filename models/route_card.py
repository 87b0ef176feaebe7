"""The route card: one learning route on portrait A4, for the teacher and the parents (or the teacher and the
mentor) to read and sign. A pupil's card holds personal data, so every page says so.

The progress chart is drawn here rather than with `pdf.line_chart`: that one spaces its points evenly and has no
third series, while a route's chart needs real dates and the aim line from the baseline to the target.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.graphics.charts.legends import LineLegend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from models import fmt, pdf, records, routes
from models.databank_print import personal_data_banner
from models.db import Database
from models.i18n import _
from models.routes import RouteError
from models.school import STAFF, school_profile

__all__ = ["RouteError", "print_route"]

AIM_COLOR = colors.HexColor("#7f8c8d")  # the same grey as the aim line on screen


def _signature_name(person: dict | None) -> str:
    """'М. П. Иванова' — initials first, as a name stands after a signature line."""
    if not person:
        return ""
    initials = " ".join(f"{p[0]}." for p in (person.get("first_name"), person.get("middle_name")) if p)
    return f"{initials} {person.get('last_name') or ''}".strip()


def _bold_cell(text: object) -> Paragraph:
    return Paragraph(
        pdf.markup(text), ParagraphStyle("cell_bold", pdf.style("cell"), fontName=pdf.register_fonts().bold)
    )


def _ticked(checked: bool, text: str) -> Flowable:
    """A tick box with its words beside it, as one table cell."""
    cell = Table([[pdf.Checkbox(checked), Paragraph(pdf.markup(text), pdf.style("cell"))]], colWidths=[5 * mm, None])
    cell.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return cell


def _frame_width() -> float:
    left, right, _top, _bottom = pdf.MARGINS_MM[False]
    return (210 - left - right) * mm


def _x_steps(days: list[int], first: int, last: int) -> list[int]:
    """Dates to label on the time axis: start, checkpoints and end, leaving out those that would overlap."""
    gap = max(1, (last - first) * 0.11)
    chosen: list[int] = []
    for day in sorted({first, last, *days}):
        if chosen and day - chosen[-1] < gap:
            if day == last:
                chosen[-1] = day  # the end date matters more than a checkpoint just before it
            continue
        chosen.append(day)
    return chosen


def progress_chart(details: dict, height_mm: float = 62) -> Flowable | None:
    """Checkpoints over real time, the aim line from (start, baseline) to (end, target) and the dashed target;
    None when the route has neither checkpoints nor an aim."""
    route, points, line = details["route"], details["checkpoints"], details["aim"]
    if not points and line is None:
        return None
    fonts = pdf.register_fonts()
    day = lambda iso: dt.date.fromisoformat(iso).toordinal()  # noqa: E731
    measured = [(day(p["date"]), p["value"]) for p in points]
    first = min([day(route["start_date"]), *(x for x, _v in measured)])
    last = max([day(route["end_date"]), *(x for x, _v in measured)])
    if last - first < 2:
        first, last = first - 15, last + 15
    series = []  # (points, colour, width, dash, labels)
    if measured:
        series.append((measured, pdf.VALUE_COLOR, 1.6, None, [fmt.format_number(v) for _x, v in measured]))
    if line:
        (d0, v0), (d1, v1) = line
        series.append(([(day(d0), v0), (day(d1), v1)], AIM_COLOR, 1.2, (1, 2), ["", ""]))
    target = route.get("target")
    if target is not None:
        series.append(([(first, target), (last, target)], pdf.TARGET_COLOR, 1, (4, 3), ["", ""]))

    width, height = _frame_width(), height_mm * mm
    drawing = Drawing(width, height)
    drawing.initialFontName = fonts.regular
    plot = LinePlot()
    plot.x, plot.y = 36, 40
    plot.width, plot.height = width - plot.x - 14, height - plot.y - 8
    plot.data = [s[0] for s in series]
    for n, (_points, colour, stroke, dash, _labels) in enumerate(series):
        plot.lines[n].strokeColor, plot.lines[n].strokeWidth = colour, stroke
        if dash:
            plot.lines[n].strokeDashArray = dash
    if measured:
        plot.lines[0].symbol = makeMarker("FilledCircle", size=4)
    plot.lineLabelFormat = "values"
    plot.lineLabelArray = [s[4] for s in series]
    plot.lineLabels.fontName, plot.lineLabels.fontSize = fonts.regular, 8
    pad = max(1, round((last - first) * 0.02))
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = first - pad, last + pad
    plot.xValueAxis.valueSteps = _x_steps([x for x, _v in measured], first, last)
    plot.xValueAxis.labelTextFormat = lambda x: fmt.format_date(dt.date.fromordinal(int(round(x))))
    top = details.get("maximum")
    values = [v for s in series for _x, v in s[0]]
    plot.yValueAxis.valueMin = min(0, *values)
    if top is not None and top >= max(values):
        plot.yValueAxis.valueMax = top
    plot.yValueAxis.labelTextFormat = fmt.format_number
    plot.yValueAxis.visibleGrid, plot.yValueAxis.gridStrokeColor = 1, colors.HexColor("#dddddd")
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize = fonts.regular, 8
    drawing.add(plot)

    legend = LineLegend()
    legend.x, legend.y, legend.dx, legend.dy = plot.x, 10, 18, 2
    legend.columnMaximum, legend.deltax = 1, 150
    legend.fontName, legend.fontSize, legend.alignment = fonts.regular, 8, "right"
    names = [_("checkpoints")] if measured else []
    names += [_("planned progress (aim line)")] if line else []
    names += [_("target")] if target is not None else []
    legend.colorNamePairs = [(s[1], pdf.printable(name)) for s, name in zip(series, names)]
    drawing.add(legend)
    drawing.hAlign = "LEFT"
    return drawing


def _passport(details: dict) -> list[tuple[str, str]]:
    route = details["route"]
    top = details["maximum"]

    def score(value) -> str:
        if value is None:
            return ""
        if top:
            return _("{score} of {max}").format(score=fmt.format_number(value), max=fmt.format_number(top))
        return fmt.format_number(value)

    if details["kind"] == "student":
        source = "; ".join(x for x in (details["category"], details["assessment"]) if x)
        lines = [
            (_("Pupil"), f"{details['person']}, {details['class_name']}"),
            (_("Subject"), details["subject"]),
            (_("Period of implementation"), details["period"]),
            (_("Responsible teacher"), details["responsible"]),
            (_("Participants"), route["participants"] or ""),
            (_("Parents' consent given on"), fmt.format_date(route["consent_on"]) or "_" * 14),  # to fill in
            (_("Identified by"), source),
            (_("Goal"), route["goal"] or ""),
            (_("Deficits addressed"), route["deficits"] or ""),
            (_("Baseline"), score(route["baseline"])),
            (_("Target"), score(route["target"])),
        ]
    else:
        teacher = details["teacher"]
        lines = [
            (_("Teacher"), ", ".join(x for x in (details["person"], details["position"]) if x)),
            (_("Mentor"), details["mentor"] or (_("not assigned") if teacher.get("young_specialist") else "")),
            (_("Period of implementation"), details["period"]),
            (_("Professional deficits"), route["deficits"] or ""),
            (_("Goal"), route["goal"] or ""),
        ]
    lines.append((_("Status"), details["status"]))
    return [(label, value) for label, value in lines if value]


def _steps_table(details: dict) -> Flowable:
    """The steps with a tick box each: what, how (the form of work over the form of control), when, done, result."""
    header = [
        _("No."),
        _("Deficit or topic"),
        " / ".join((_("Form of work"), _("Control form"))),
        _("Due"),
        _("Done"),
        _("Result"),
    ]
    late = _("overdue")
    body = []
    for n, s in enumerate(details["steps"], 1):
        due = fmt.format_date(s["due_date"])
        how = "\n".join(x for x in (s["work_form"], s["control_form"]) if x)
        when: object = due
        if s["overdue"]:  # the date in bold, the word small enough for the narrow column
            when = Paragraph(f"<b>{pdf.markup(due)}</b><br/><font size=8>{pdf.markup(late)}</font>", pdf.style("cell"))
        body.append(
            [
                str(n),
                s["topic"],
                how,
                when,
                _ticked(bool(s["done_on"]), fmt.format_date(s["done_on"])),
                s["result"] or "",
            ]
        )
    return pdf.table(header, body, [0.05, 0.27, 0.21, 0.14, 0.17, 0.16])


def _plain_table(cells: list[list], widths: list[float], commands: list) -> Table:
    """A borderless table laid out on the frame width (`widths` are fractions of it)."""
    table = Table(cells, [w * _frame_width() for w in widths], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0), *commands]))
    return table


def _outcome(details: dict) -> list[Flowable]:
    """The three outcomes with tick boxes (the chosen one ticked once the route is completed) and the note, or
    lines to write it on."""
    route = details["route"]
    chosen = route["outcome"] if route["status"] == "completed" else None
    boxes = [[_ticked(chosen == value, _(label)) for value, label in routes.OUTCOMES]]
    story: list[Flowable] = [pdf.heading(_("Outcome of the route")), _plain_table(boxes, [0.3, 0.35, 0.35], [])]
    if chosen and route["outcome_note"]:
        story.append(pdf.paragraph(route["outcome_note"]))
    elif not chosen:
        story.append(
            _plain_table(
                [[""], [""]],
                [1.0],
                [("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black), ("TOPPADDING", (0, 0), (-1, -1), 14)],
            )
        )
    return story


def print_route(db: Database, route_id: int, out: str | Path, *, today: dt.date | None = None) -> Path:
    """The route card as a portrait A4 PDF; returns the path.

    Raises RouteError (translated) for an unknown route, before anything is written; PdfError when the file
    cannot be written.
    """
    today = today or dt.date.today()
    details = routes.route_details(db, route_id, today)
    route, student = details["route"], details["kind"] == "student"
    school = school_profile(db) or {}
    story: list[Flowable] = []
    if school.get("full_name"):
        story.append(pdf.paragraph(school["full_name"].replace("№ ", "№\u00a0"), "small", align="center"))
    title = _("Individual learning route of a pupil") if student else _("Individual learning route of a teacher")
    story.append(pdf.title(title))
    story.append(
        pdf.paragraph(
            _("No. {id} · printed on {date}").format(id=route_id, date=fmt.format_date(today)), "small", align="center"
        )
    )
    story.append(pdf.spacer(2))
    passport = [[_bold_cell(label), value] for label, value in _passport(details)]
    story.append(pdf.table(None, passport, [0.3, 0.7], zebra=False))

    story.append(pdf.heading(_("Steps of the route")))
    story.append(_steps_table(details) if details["steps"] else pdf.paragraph(_("No steps are planned yet.")))

    if student:
        chart = progress_chart(details)
        if chart is not None:
            progress = [pdf.heading(_("Progress")), chart]
            if details["needs_revision"]:
                progress.append(
                    pdf.paragraph(
                        _("The last three checkpoints are below the planned progress: the route needs revising."),
                        "bold",
                    )
                )
            story.append(KeepTogether(progress))
            if details["checkpoints"]:
                rows = [[fmt.format_date(p["date"]), p["value"], p["note"] or ""] for p in details["checkpoints"]]
                story.append(pdf.table([_("Date"), _("Score"), _("Note")], rows, [0.18, 0.14, 0.68]))
    elif details["courses"]:
        rows = [
            [
                c["title"],
                c["provider"] or "",
                c["hours"] or "",
                fmt.format_date(c["end_date"]),
                c["certificate_number"] or "",
            ]
            for c in details["courses"]
        ]
        story += [
            pdf.heading(_("PD courses")),
            pdf.table(
                [_("Course"), _("Provider"), _("Hours"), _("End"), _("Certificate No.")],
                rows,
                [0.33, 0.24, 0.09, 0.14, 0.2],
            ),
        ]

    closing = _outcome(details) + [pdf.spacer(6)]
    if student:
        signers = [
            (
                _("Responsible teacher"),
                details["responsible"] and _signature_name(records.fetch(db, STAFF, route["responsible_id"])),
            ),
            (_("Class teacher"), ""),
            (_("I have read the route: parent (legal guardian)"), ""),
        ]
    else:
        signers = [
            (_("I have read the route: teacher"), _signature_name(details["teacher"])),
            (_("Mentor"), _signature_name(records.fetch(db, STAFF, route["mentor_id"])) if route["mentor_id"] else ""),
            (
                _("Deputy director for academic work"),
                _signature_name(records.fetch(db, STAFF, school["deputy_id"])) if school.get("deputy_id") else "",
            ),
        ]
    closing.append(pdf.signature_block(signers))
    story.append(KeepTogether(closing))

    pdf.build(
        out,
        story,
        title=f"{title}: {details['person']}",
        author=school.get("short_name") or "",
        subject=details["subject"] or title,
        personal_data_banner=personal_data_banner() if student else None,
    )
    return Path(out)
