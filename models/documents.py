"""Printable documents of the antirisk programs: a program for the director's signature and the roadmap.

Both are landscape A4 built with models.pdf. A program prints from its snapshot (the current data, or one
approved version exactly as it was approved); the roadmap prints the measures across programs with their
statuses as of a given day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from models import pdf, records
from models.db import Database
from models.fmt import format_date, format_number
from models.i18n import _
from models.programs import (
    MEASURE_STATUSES,
    PROGRAM,
    RoadmapFilter,
    deadline_label,
    roadmap,
    snapshot,
    staff_name,
    version_snapshot,
    versions,
)
from models.school import STAFF, school_profile


class DocumentError(Exception):
    """The document cannot be made from the data asked for; the message is translated, fit for the user."""


# ---- shared pieces -----------------------------------------------------------------------------------------


def _signature_name(db: Database, staff_id: int | None) -> str:
    """'М. П. Иванова' — initials first, as a name stands after a signature line."""
    person = records.fetch(db, STAFF, staff_id) if staff_id else None
    if not person:
        return ""
    initials = " ".join(f"{p[0]}." for p in (person.get("first_name"), person.get("middle_name")) if p)
    return f"{initials} {person.get('last_name') or ''}".strip()


def _period(start: str | None, end: str | None) -> str:
    first, last = format_date(start), format_date(end)
    if first and last:
        return f"{first} – {last}"
    if last:
        return _("by {date}").format(date=last)
    return _("from {date}").format(date=first) if first else ""


def _bold_cell(text: object) -> Paragraph:
    st = ParagraphStyle("cell_bold", pdf.style("cell"), fontName=pdf.register_fonts().bold)
    return Paragraph(pdf.markup(text), st)


def _number_cell(text: object) -> Paragraph:
    return Paragraph(pdf.markup(text), pdf.style("cell_number"))


def _measure_status_label(status: str | None) -> str:
    return next((_(label) for value, label in MEASURE_STATUSES if value == status), status or "")


def _missing_program(program_id: int) -> DocumentError:
    return DocumentError(_("Program No. {id} does not exist.").format(id=program_id))


def _deadline(text: str) -> str:
    """A date range breaks after its dash, never before it (narrow deadline columns)."""
    return text.replace(" – ", "\u00a0– ")


def _part(header: list[str] | None, rows: list, widths: list[float], start: int) -> Flowable:
    """A table of `rows`, which begin at index `start` of the whole list (to continue its stripes)."""
    cells, extra = [], []
    first = 1 if header else 0
    last = first + len(rows) - 1
    for i, row in enumerate(rows):
        r = first + i
        if isinstance(row, str):  # a group line across the table, kept on the page of the row after it
            cells.append([_bold_cell(row)])
            extra += [
                ("SPAN", (0, r), (-1, r)),
                ("BACKGROUND", (0, r), (-1, r), pdf.HEADER_FILL),
                ("NOSPLIT", (0, r), (-1, min(r + 1, last))),
            ]
        else:
            cells.append(row)
            if not header and (start + i) % 2:
                extra.append(("BACKGROUND", (0, r), (-1, r), pdf.ZEBRA_FILL))
    return pdf.table(header, cells, widths, zebra=bool(header), extra_style=extra)


def _grouped_table(header: list[str], rows: list, widths: list[float], closing: list[Flowable]) -> list[Flowable]:
    """A table whose rows are cell lists or, for a group line (a task, a program), a string; it is followed by
    `closing` (the signature), which keeps the table's last row with it so it never stands alone on a page."""
    tail = len(rows) - 1
    while tail > 0 and isinstance(rows[tail - 1], str):
        tail -= 1
    if tail <= 0:
        return [KeepTogether([_part(header, rows, widths, 0), *closing])]
    last = KeepTogether([_part(None, rows[tail:], widths, tail), *closing])
    return [_part(header, rows[:tail], widths, 0), last]


# ---- the program -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ProgramContent:
    """What a printed program says, apart from its approval: equal contents print the same pages."""

    title: str
    passport: tuple[tuple[str, str], ...]
    years: tuple[str, ...]
    indicators: tuple[tuple[str, ...], ...]  # No., title, unit, baseline, then one target per year
    measures: tuple[tuple[str, ...], ...]  # a group row has one cell; a measure row has six


def _program_content(data: dict) -> _ProgramContent:
    """The printed content of a snapshot (current or approved). Wording that depends on the language —
    deadlines, dates — is made now from the stored values, so an old version prints in today's language."""
    program = data["program"]
    tasks = data.get("tasks") or []
    passport = [
        (_("Risk factor"), program.get("risk_factor") or ""),  # none: the school's general roadmap
        (_("Period of implementation"), _period(program.get("start_date"), program.get("end_date"))),
        (_("Responsible"), program.get("responsible") or ""),
        (_("Goal"), program.get("goal") or ""),
        (_("Tasks"), "\n".join(f"{n}. {t['text']}" for n, t in enumerate(tasks, 1))),
    ]
    passport = [(label, value) for label, value in passport if value]  # an empty line says nothing

    indicators = data.get("indicators") or []
    years = tuple(sorted({year for ind in indicators for year in (ind.get("targets") or {})}))
    indicator_rows = []
    for n, ind in enumerate(indicators, 1):
        baseline = format_number(ind.get("baseline"))
        if baseline and ind.get("baseline_date"):
            baseline += "\n" + _("as of {date}").format(date=format_date(ind["baseline_date"]))
        targets = ind.get("targets") or {}
        indicator_rows.append(
            (
                str(n),
                ind["title"],
                ind.get("unit") or "",
                baseline,
                *(format_number(targets.get(y)) for y in years),
            )
        )

    def measure_row(number: str, m: dict) -> tuple[str, ...]:
        return (
            number,
            m["title"],
            deadline_label(m),
            m.get("responsible_names") or "",
            m.get("expected_result") or "",
            m.get("report_form") or "",
        )

    measures = data.get("measures") or []
    rows: list[tuple[str, ...]] = []
    if not tasks:
        rows = [measure_row(str(n), m) for n, m in enumerate(measures, 1)]
    else:
        task_numbers = {t["id"]: n for n, t in enumerate(tasks, 1)}
        for n, task in enumerate(tasks, 1):
            rows.append((_("Task {n}. {text}").format(n=n, text=task["text"]),))
            mine = [m for m in measures if m.get("task_id") == task["id"]]
            rows += [measure_row(f"{n}.{j}", m) for j, m in enumerate(mine, 1)]
        others = [m for m in measures if m.get("task_id") not in task_numbers]
        if others:
            k = len(tasks) + 1
            rows.append((f"{k}. " + _("Other measures"),))
            rows += [measure_row(f"{k}.{j}", m) for j, m in enumerate(others, 1)]
    return _ProgramContent(program["title"], tuple(passport), years, tuple(indicator_rows), tuple(rows))


def _indicator_table(content: _ProgramContent) -> Flowable:
    fixed = [0.05, 0.0, 0.08, 0.12]
    year_width = min(0.12, 0.55 / len(content.years)) if content.years else 0.0
    fixed[1] = 1 - sum(fixed) - year_width * len(content.years)
    header = [_("No. in order"), _("Indicator"), _("Unit of measure"), _("Baseline")]
    header += [_("Target {year}").format(year=y) for y in content.years]
    rows = [
        [no, title, unit, _number_cell(base), *(_number_cell(t) for t in targets)]
        for no, title, unit, base, *targets in content.indicators
    ]
    return pdf.table(header, rows, fixed + [year_width] * len(content.years))


MEASURE_WIDTHS = [0.06, 0.31, 0.12, 0.17, 0.21, 0.13]


def _measure_rows(content: _ProgramContent) -> list:
    return [row[0] if len(row) == 1 else [row[0], row[1], _deadline(row[2]), *row[3:]] for row in content.measures]


def print_program(
    db: Database,
    program_id: int,
    out: str | Path,
    *,
    version_id: int | None = None,
    today: dt.date | None = None,
) -> Path:
    """The antirisk program as a landscape A4 document for the director's signature; returns the path.

    Without `version_id` the current data print; with it, that approved version exactly as it was approved.
    A draft, or an approved program changed since its last approved version, prints "DRAFT" where the
    approval order would be. Raises DocumentError for an unknown program or version (nothing is written),
    PdfError when the file cannot be written.
    """
    today = today or dt.date.today()
    if records.fetch(db, PROGRAM, program_id) is None:
        raise _missing_program(program_id)
    history = versions(db, program_id)
    note = ""
    if version_id is not None:
        if version_id not in {v["id"] for v in history}:
            message = _("The approved version {id} of program No. {program} does not exist.")
            raise DocumentError(message.format(id=version_id, program=program_id))
        data = version_snapshot(db, version_id)
        content = _program_content(data)
        approved = True
        note = _("Version {version}, approved on {date}").format(
            version=data["version"], date=format_date(data["approved_on"])
        )
    else:
        data = snapshot(db, program_id)
        content = _program_content(data)
        approved = data["program"].get("status") != "draft"
        if approved and history:
            last = history[-1]
            if content != _program_content(version_snapshot(db, last["id"])):
                approved = False  # the order approved other content: this is a draft of the next version
                note = _("Draft of changes to version {version} approved on {date}, as of {today}").format(
                    version=last["version"], date=format_date(last["approved_on"]), today=format_date(today)
                )

    program = data["program"]
    school = school_profile(db) or {}
    position = _("Director of {school}").format(school=school["short_name"]) if school else _("Director")
    if approved:
        details = [
            _("order No. {number} of {date}").format(
                number=program.get("order_number") or "", date=format_date(program.get("order_date"))
            )
        ]
    else:
        details = [_("DRAFT")]

    story: list[Flowable] = [
        pdf.approval_block(_("APPROVED"), position, _signature_name(db, school.get("director_id")), details)
    ]
    if school.get("full_name"):
        story.append(pdf.paragraph(school["full_name"], align="center"))
    story.append(pdf.title(content.title))
    if note:
        story.append(pdf.paragraph(note, "bold", align="center"))
    if content.passport:
        passport = [[_bold_cell(label), value] for label, value in content.passport]
        story += [pdf.heading(_("Program passport")), pdf.table(None, passport, [0.22, 0.78], zebra=False)]
    if content.indicators:
        story += [pdf.heading(_("Target indicators")), _indicator_table(content)]
    signature = [
        pdf.spacer(8),
        pdf.signature_block(
            [
                (
                    _("Developer: deputy director for academic work"),
                    _signature_name(db, school.get("deputy_id")),
                )
            ]
        ),
    ]
    story.append(pdf.heading(_("Action plan")))
    if content.measures:
        header = [
            _("No. in order"),
            _("Measure"),
            _("Deadline"),
            _("Responsible persons"),
            _("Expected result"),
            _("Report form"),
        ]
        story += _grouped_table(header, _measure_rows(content), MEASURE_WIDTHS, signature)
    else:
        story.append(KeepTogether([pdf.paragraph(_("No measures are planned yet.")), *signature]))

    pdf.build(
        out,
        story,
        landscape=True,
        title=content.title,
        author=school.get("short_name") or "",
        subject=note or _("Antirisk program"),
    )
    return Path(out)


# ---- the roadmap -------------------------------------------------------------------------------------------


def _filter_words(db: Database, flt: RoadmapFilter) -> list[str]:
    words = []
    if flt.program_id:
        words.append(_("Program: {title}").format(title=records.fetch(db, PROGRAM, flt.program_id)["title"]))
    if flt.start or flt.end:
        words.append(_("Period: {period}").format(period=_period(flt.start, flt.end)))
    if flt.status:
        words.append(_("Status: {status}").format(status=_measure_status_label(flt.status)))
    if flt.staff_id:
        words.append(_("Responsible: {name}").format(name=staff_name(db, flt.staff_id)))
    if flt.overdue_only:
        words.append(_("only overdue measures"))
    if flt.text:
        words.append(_("Search: “{text}”").format(text=flt.text))
    return words or [_("All measures of all programs")]


def print_roadmap(
    db: Database, out: str | Path, *, flt: RoadmapFilter | None = None, today: dt.date | None = None
) -> Path:
    """The roadmap across programs (or as filtered) as a landscape A4 table with statuses as of `today`.

    Overdue measures are marked in bold; counts by status close the table. Raises DocumentError when the
    filter names a program that does not exist, PdfError when the file cannot be written.
    """
    flt, today = flt or RoadmapFilter(), today or dt.date.today()
    if flt.program_id and records.fetch(db, PROGRAM, flt.program_id) is None:
        raise _missing_program(flt.program_id)
    measures = roadmap(db, flt, today)
    school = school_profile(db) or {}

    story: list[Flowable] = []
    if school.get("full_name"):
        story.append(pdf.paragraph(school["full_name"], align="center"))
    story.append(pdf.title(_("Roadmap")))
    selection = "; ".join(_filter_words(db, flt))
    story.append(pdf.paragraph(selection, align="center"))
    printed = _("Printed on {date}").format(date=format_date(today))
    story.append(pdf.paragraph(printed, "small", align="right"))

    groups: dict[int, list[dict]] = {}  # by program, in the roadmap's order
    for m in measures:
        groups.setdefault(m["program_id"], []).append(m)
    rows: list = []
    number = 0
    for program_measures in groups.values():
        if not flt.program_id:  # one program's roadmap names it in the header instead
            rows.append(program_measures[0]["program"])
        for m in program_measures:
            status, deadline = _measure_status_label(m["status"]), _deadline(m["deadline"])
            if m["overdue"]:
                status_cell: object = _bold_cell(f"{status}\n" + _("overdue"))
                deadline_cell: object = _bold_cell(deadline)
            else:
                status_cell, deadline_cell = status, deadline
            done = "\n".join(x for x in (format_date(m.get("done_on")), m.get("actual_result") or "") if x)
            number += 1
            rows.append([str(number), m["title"], deadline_cell, m["responsible_names"], status_cell, done])

    counts = [
        (_measure_status_label(value), sum(m["status"] == value for m in measures))
        for value, _label in MEASURE_STATUSES
    ]
    summary = [[label, n] for label, n in counts if n]
    summary.append([_bold_cell(_("Total")), len(measures)])
    summary.append([_bold_cell(_("of them overdue")), sum(bool(m["overdue"]) for m in measures)])
    closing = [
        pdf.heading(_("Summary")),
        pdf.table([_("Status"), _("Measures")], summary, [0.3, 0.16]),
        pdf.spacer(8),
        pdf.signature_block([(_("Deputy director for academic work"), _signature_name(db, school.get("deputy_id")))]),
    ]
    if rows:
        header = [
            _("No. in order"),
            _("Measure"),
            _("Deadline"),
            _("Responsible persons"),
            _("Status"),
            _("Done on / actual result"),
        ]
        story.append(_part(header, rows, [0.05, 0.31, 0.12, 0.17, 0.15, 0.20], 0))
    else:
        story.append(pdf.paragraph(_("No measures match the filter.")))
    story.append(KeepTogether(closing))  # the counts and the signature: a page of their own if need be

    pdf.build(
        out,
        story,
        landscape=True,
        title=_("Roadmap"),
        author=school.get("short_name") or "",
        subject=selection,
    )
    return Path(out)
