"""The quarterly report for the municipality (seed 003, order item 4.2): what the school did in a period.

The report is assembled once as plain data — sections of typed columns and rows, plus machine-readable
figures under stable keys — and then written as XLSX (report_xlsx) and PDF (report_pdf) with the same content.
Pupils' names, birth dates and restricted notes are never in it unless `with_names` is asked for explicitly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from models import fmt, metrics, programs, records
from models.db import Database, transaction
from models.i18n import N_, _
from models.periods import Period
from models.school import STAFF, full_name, school_profile

FORMAT_VERSION = 1  # of the machine-readable sheet; consolidation refuses files it does not know


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = "text"  # text | int | number | percent | date
    width: float = 1.0  # relative


@dataclass
class Section:
    key: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    wide: bool = False  # printed on a landscape page


@dataclass
class Report:
    period: Period
    school: dict
    generated_on: dt.date
    with_names: bool
    summary: list[tuple[str, object, str]]  # (label, value, kind) for the first sheet and page
    sections: list[Section]
    figures: dict[str, object]  # stable key → value, for the machine-readable sheet
    problems: str
    actions: str
    signers: list[tuple[str, str]]
    charts: list[tuple[str, list[tuple[str, float]], float | None]]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _label(choices, value) -> str:
    return next((_(label) for v, label in choices if v == value), value or "")


# ---- report notes (problems and corrective actions typed at report time) ------------------------------------------


def notes(db: Database, period: Period) -> dict[str, str]:
    row = db.execute("SELECT problems, actions FROM report_note WHERE period_key = ?", [period.key]).fetchone()
    return {"problems": row[0] or "", "actions": row[1] or ""} if row else {"problems": "", "actions": ""}


def save_notes(db: Database, period: Period, problems: str, actions: str) -> None:
    """Keep the typed problems and corrective actions with the period (one transaction)."""
    for text in (problems, actions):
        if len(text) > 20000:
            raise ValueError(_("Too long: at most {n} characters.").format(n=20000))
    with transaction(db):
        db.execute(
            "INSERT INTO report_note (period_key, problems, actions, updated_on) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (period_key) DO UPDATE SET problems = excluded.problems, actions = excluded.actions, "
            "updated_on = excluded.updated_on",
            [period.key, problems.strip(), actions.strip(), dt.date.today().isoformat()],
        )


def record_export(db: Database, period: Period, fmt_name: str, path: str | None, with_names: bool) -> None:
    with transaction(db):
        db.execute(
            "INSERT INTO report_export (exported_at, period_key, period_label, format, path, with_names) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                dt.datetime.now().isoformat(timespec="seconds"),
                period.key,
                period.label,
                fmt_name,
                path,
                int(with_names),
            ],
        )


def export_history(db: Database, limit: int = 50) -> list[dict]:
    return db.dicts("SELECT * FROM report_export ORDER BY id DESC LIMIT ?", [limit])


EXPORT_ROW = records.RecordType(  # the export history on the Reports page
    name="report_export_row",
    table="report_export",
    title=N_("Export"),
    plural=N_("Export history"),
    fields=(
        records.Field("exported_at", N_("When")),
        records.Field("period_label", N_("Period")),
        records.Field("format", N_("Format")),
        records.Field("with_names", N_("With names"), records.Kind.BOOL),
        records.Field("path", N_("File")),
    ),
    display=lambda r: r.get("period_label") or "",
    show_id=False,
)


# ---- sections --------------------------------------------------------------------------------------------------------


def _measures(db: Database, period: Period, today: dt.date) -> tuple[list[dict], dict]:
    """Measures due in the period (or running through it without a date), with their status as of today."""
    flt = programs.RoadmapFilter(start=period.start.isoformat(), end=period.end.isoformat())
    measures = [m for m in programs.roadmap(db, flt, today) if m["status"] != "cancelled"]
    evidence = dict(db.execute("SELECT measure_id, count(*) FROM evidence GROUP BY measure_id").fetchall())
    for m in measures:
        m["evidence"] = evidence.get(m["id"], 0)
    due = [m for m in measures if m["due_date"] and period.contains(m["due_date"])]
    counts = {
        "measures_total": len(measures),
        "measures_due": len(due),
        "measures_done": sum(m["status"] == "done" for m in due),
        "measures_not_done": sum(m["status"] == "not_done" for m in due),
        "measures_in_progress": sum(m["status"] in programs.OPEN_STATUSES for m in due),
        "measures_overdue": sum(m["overdue"] for m in due),
    }
    counts["measures_done_share"] = _share(counts["measures_done"], counts["measures_due"])
    return measures, counts


def _measure_sections(db, period, today) -> tuple[list[Section], dict]:
    measures, counts = _measures(db, period, today)
    by_program: dict[str, list[dict]] = {}
    for m in measures:
        by_program.setdefault(m["program"], []).append(m)
    summary = Section(
        "programs",
        _("Execution by program"),
        [
            Column("program", _("Program"), width=4),
            Column("total", _("Measures in the period"), "int"),
            Column("due", _("Due in the period"), "int"),
            Column("done", _("Done"), "int"),
            Column("not_done", _("Not done"), "int"),
            Column("open", _("In progress (not finished)"), "int"),
            Column("overdue", _("Overdue"), "int"),
            Column("share", _("Done, % of due"), "percent"),
        ],
    )
    for title, items in by_program.items():
        due = [m for m in items if m["due_date"] and period.contains(m["due_date"])]
        done = sum(m["status"] == "done" for m in due)
        summary.rows.append(
            [
                title,
                len(items),
                len(due),
                done,
                sum(m["status"] == "not_done" for m in due),
                sum(m["status"] in programs.OPEN_STATUSES for m in due),
                sum(m["overdue"] for m in due),
                _share(done, len(due)),
            ]
        )
    detail = Section(
        "measures",
        _("Measures"),
        [
            Column("program", _("Program"), width=2.2),
            Column("title", _("Measure"), width=3.2),
            Column("deadline", _("Deadline"), width=1.3),
            Column("responsible", _("Responsible"), width=1.8),
            Column("status", _("Status"), width=1.1),
            Column("done_on", _("Done on"), "date", 1),
            Column("actual_result", _("Actual result"), width=2.6),
            Column("evidence", _("Evidence files"), "int", 0.8),
        ],
        wide=True,
    )
    for m in measures:
        status = _label(programs.MEASURE_STATUSES, m["status"])
        if m["overdue"]:
            status = f"{status} (" + _("overdue") + ")"
        detail.rows.append(
            [
                m["program"],
                m["title"],
                m["deadline"],
                m["responsible_names"],
                status,
                m["done_on"],
                m["actual_result"] or "",
                m["evidence"],
            ]
        )
    return [summary, detail], counts


def _indicator_section(db, period, today) -> tuple[Section, dict, list]:
    section = Section(
        "indicators",
        _("Target indicators"),
        [
            Column("program", _("Program"), width=2.2),
            Column("title", _("Indicator"), width=3),
            Column("unit", _("Unit"), width=0.7),
            Column("baseline", _("Baseline"), "number"),
            Column("target", _("Target"), "number"),
            Column("value", _("Value"), "number"),
            Column("change", _("Change"), "number"),
            Column("status", _("Status"), width=1.2),
        ],
        wide=True,
    )
    figures, charts = {}, []
    end = min(period.end, today)
    for ind in records.rows(db, programs.INDICATOR):
        status = programs.indicator_status(db, ind, end)
        points = [p for p in programs.indicator_values(db, ind, end) if p[0] <= period.end.isoformat()]
        before = [p for p in points if p[0] < period.start.isoformat()]
        value = status["value"]
        reference = before[-1][1] if before else ind["baseline"]
        change = round(value - reference, 6) if value is not None and reference is not None else None
        program = records.Lookups(db).name("program", ind["program_id"])
        section.rows.append(
            [
                program,
                ind["title"],
                ind["unit"] or "",
                ind["baseline"],
                status["target"],
                value,
                change,
                _(programs.STATUS_LABELS[status["status"]]),
            ]
        )
        figures[f"indicator.{ind['id']}.value"] = value
        figures[f"indicator.{ind['id']}.target"] = status["target"]
        figures[f"indicator.{ind['id']}.title"] = ind["title"]
        if len(points) >= 2:
            unit = f", {ind['unit']}" if ind["unit"] else ""
            charts.append(
                (f"{ind['title']}{unit}", [(fmt.format_date(d), v) for d, v in points[-8:]], status["target"])
            )
    return section, figures, charts


def _databank_sections(db, period) -> tuple[list[Section], dict]:
    start, end = period.start.isoformat(), period.end.isoformat()
    # "at period end": identified by then and not closed by then
    by_category = db.dicts(
        """
        SELECT c.name AS category,
               sum(e.identified_on <= :end AND (e.closed_on IS NULL OR e.closed_on > :end)) AS at_end,
               sum(e.identified_on BETWEEN :start AND :end) AS new,
               sum(e.closed_on BETWEEN :start AND :end AND e.status = 'resolved') AS resolved
        FROM databank_entry e JOIN ref_item c ON c.id = e.category_id
        GROUP BY c.id ORDER BY c.sort_order""",
        {"start": start, "end": end},
    )
    section = Section(
        "databank",
        _("Databank of pupils with learning difficulties"),
        [
            Column("category", _("Category"), width=3),
            Column("at_end", _("At the end of the period"), "int"),
            Column("new", _("Identified in the period"), "int"),
            Column("resolved", _("Resolved in the period"), "int"),
        ],
    )
    section.rows = [[r["category"], r["at_end"] or 0, r["new"] or 0, r["resolved"] or 0] for r in by_category]
    by_grade = db.dicts(
        """
        SELECT s.grade AS grade,
               sum(e.identified_on <= :end AND (e.closed_on IS NULL OR e.closed_on > :end)) AS at_end,
               sum(e.identified_on BETWEEN :start AND :end) AS new
        FROM databank_entry e JOIN student s ON s.id = e.student_id GROUP BY s.grade ORDER BY s.grade""",
        {"start": start, "end": end},
    )
    grades = Section(
        "databank_grades",
        _("Databank by grade"),
        [
            Column("grade", _("Grade"), "int"),
            Column("at_end", _("At the end of the period"), "int"),
            Column("new", _("Identified in the period"), "int"),
        ],
    )
    grades.rows = [[r["grade"], r["at_end"] or 0, r["new"] or 0] for r in by_grade]
    figures = {
        "databank_at_end": sum(r[1] for r in section.rows),
        "databank_new": sum(r[2] for r in section.rows),
        "databank_resolved": sum(r[3] for r in section.rows),
    }
    return [section, grades], figures


def _route_section(db, period) -> tuple[Section, dict]:
    start, end = period.start.isoformat(), period.end.isoformat()
    rows = db.dicts(
        """
        SELECT coalesce(subj.name, '—') AS subject,
               sum(r.status = 'active' AND (r.start_date IS NULL OR r.start_date <= :end)) AS active,
               sum(r.status = 'completed' AND r.end_date BETWEEN :start AND :end) AS finished,
               sum(r.status = 'completed' AND r.end_date BETWEEN :start AND :end AND r.outcome = 'achieved') AS achieved
        FROM learning_route r LEFT JOIN ref_item subj ON subj.id = r.subject_id
        WHERE r.kind = 'student' GROUP BY subj.id ORDER BY subject""",
        {"start": start, "end": end},
    )
    section = Section(
        "routes",
        _("Individual learning routes of pupils"),
        [
            Column("subject", _("Subject"), width=2.5),
            Column("active", _("Active"), "int"),
            Column("finished", _("Finished in the period"), "int"),
            Column("achieved", _("Goal achieved"), "int"),
            Column("share", _("Achieved, % of finished"), "percent"),
        ],
    )
    for r in rows:
        section.rows.append(
            [
                r["subject"],
                r["active"] or 0,
                r["finished"] or 0,
                r["achieved"] or 0,
                _share(r["achieved"] or 0, r["finished"] or 0),
            ]
        )
    totals = [sum(r[i] for r in section.rows) for i in (1, 2, 3)]
    teacher_active = db.execute(
        "SELECT count(*) FROM learning_route WHERE kind = 'teacher' AND status = 'active'"
    ).fetchone()[0]
    figures = {
        "routes_active": totals[0],
        "routes_finished": totals[1],
        "routes_achieved": totals[2],
        "routes_achieved_share": _share(totals[2], totals[1]),
        "teacher_routes_active": teacher_active,
    }
    return section, figures


def _pd_section(db, period, today) -> tuple[Section, dict]:
    courses = db.dicts(
        """
        SELECT c.staff_id, c.title, c.provider, c.hours, c.end_date, c.certificate_number
        FROM pd_course c WHERE c.end_date BETWEEN ? AND ? ORDER BY c.end_date""",
        [period.start.isoformat(), period.end.isoformat()],
    )
    staff = {s["id"]: full_name(s) for s in records.rows(db, STAFF)}
    section = Section(
        "pd",
        _("Professional development of teachers"),
        [
            Column("teacher", _("Staff member"), width=2.2),
            Column("title", _("Course"), width=3.5),
            Column("provider", _("Provider"), width=2.3),
            Column("hours", _("Hours"), "int", 0.7),
            Column("end_date", _("End"), "date", 1),
            Column("certificate", _("Certificate No."), width=1.3),
        ],
        wide=True,
    )
    section.rows = [
        [
            staff.get(c["staff_id"], ""),
            c["title"],
            c["provider"] or "",
            c["hours"],
            c["end_date"],
            c["certificate_number"] or "",
        ]
        for c in courses
    ]
    end = min(period.end, today)
    share = metrics.value(db, "staff_pd_3y", end)
    section.note = _("Staff with a PD course in the last three years: {share}.").format(
        share=fmt.format_percent(share / 100) if share is not None else "—"
    )
    figures = {
        "pd_courses": len(courses),
        "pd_teachers": len({c["staff_id"] for c in courses}),
        "pd_hours": sum(c["hours"] or 0 for c in courses),
        "pd_share_3y": share / 100 if share is not None else None,
    }
    return section, figures


def _meeting_sections(db, period, today) -> tuple[list[Section], dict]:
    start, end = period.start.isoformat(), period.end.isoformat()
    meetings = db.dicts(
        """
        SELECT m.id, m.number, m.date, m.status, k.name AS kind, m.place,
               (SELECT count(*) FROM decision d WHERE d.meeting_id = m.id) AS decisions
        FROM meeting m LEFT JOIN ref_item k ON k.id = m.kind_id
        WHERE m.date BETWEEN ? AND ? AND m.status != 'cancelled' ORDER BY m.date""",
        [start, end],
    )
    held = Section(
        "meetings",
        _("Meetings with the curator and the working group"),
        [
            Column("number", _("Minutes No."), "int", 0.8),
            Column("date", _("Date"), "date", 1),
            Column("kind", _("Kind"), width=2.5),
            Column("place", _("Place"), width=2),
            Column("status", _("Status"), width=1),
            Column("decisions", _("Decisions"), "int", 0.8),
        ],
    )
    statuses = {"planned": _("planned"), "held": _("held")}
    held.rows = [
        [
            m["number"],
            m["date"],
            m["kind"] or "",
            m["place"] or "",
            statuses.get(m["status"], m["status"]),
            m["decisions"],
        ]
        for m in meetings
    ]
    decisions = db.dicts(
        """
        SELECT d.text, d.owner_id, d.owner_text, d.due_date, d.status, d.done_on, m.number, m.date
        FROM decision d JOIN meeting m ON m.id = d.meeting_id
        WHERE m.date BETWEEN ? AND ? OR (d.status = 'open' AND m.date <= ?)
        ORDER BY m.date, d.position""",
        [start, end, end],
    )
    staff = {s["id"]: full_name(s) for s in records.rows(db, STAFF)}
    dec = Section(
        "decisions",
        _("Decisions and their execution"),
        [
            Column("meeting", _("Minutes"), width=1.4),
            Column("text", _("Decision"), width=4),
            Column("owner", _("Responsible"), width=2),
            Column("due", _("Due"), "date", 1),
            Column("status", _("Status"), width=1.3),
            Column("done_on", _("Done on"), "date", 1),
        ],
        wide=True,
    )
    dstatus = {"open": _("open"), "done": _("done"), "cancelled": _("cancelled")}
    overdue = 0
    for d in decisions:
        late = d["status"] == "open" and d["due_date"] and d["due_date"] < today.isoformat()
        overdue += bool(late)
        meeting = _("No. {number} of {date}").format(number=d["number"] or "—", date=fmt.format_date(d["date"]))
        status = dstatus.get(d["status"], d["status"]) + (" (" + _("overdue") + ")" if late else "")
        dec.rows.append(
            [meeting, d["text"], staff.get(d["owner_id"]) or d["owner_text"] or "", d["due_date"], status, d["done_on"]]
        )
    figures = {
        "meetings_held": sum(m["status"] == "held" for m in meetings),
        "decisions": len(decisions),
        "decisions_done": sum(d["status"] == "done" for d in decisions),
        "decisions_overdue": overdue,
    }
    return [held, dec], figures


def _names_section(db) -> Section:
    """Pupils in the databank by name — only in a report made "with names", for use inside the school."""
    from models import databank

    section = Section(
        "databank_names",
        _("Databank: pupils by name"),
        [
            Column("student", _("Pupil"), width=2.5),
            Column("class", _("Class"), width=0.7),
            Column("birth_date", _("Birth date"), "date", 1),
            Column("category", _("Category"), width=2.5),
            Column("subject", _("Subject"), width=1.5),
            Column("identified_on", _("Identified on"), "date", 1),
        ],
        wide=True,
    )
    births = dict(db.execute("SELECT id, birth_date FROM student").fetchall())
    lookups = records.Lookups(db)
    for e in databank.databank(db, databank.DatabankFilter(status="active")):
        section.rows.append(
            [
                e["student"],
                e["class_name"],
                births.get(e["student_id"]),
                lookups.name("difficulty_category", e["category_id"]),
                lookups.name("subject", e["subject_id"]),
                e["identified_on"],
            ]
        )
    return section


# ---- the whole report ----------------------------------------------------------------------------------------------


def build(db: Database, period: Period, *, with_names: bool = False, today: dt.date | None = None) -> Report:
    """Assemble the report for `period` as of `today` (default: now)."""
    today = today or dt.date.today()
    profile = school_profile(db) or {}
    sections: list[Section] = []
    figures: dict[str, object] = {}
    measure_sections, counts = _measure_sections(db, period, today)
    indicator_section, indicator_figures, charts = _indicator_section(db, period, today)
    databank_sections, databank_figures = _databank_sections(db, period)
    route_section, route_figures = _route_section(db, period)
    pd_section, pd_figures = _pd_section(db, period, today)
    meeting_sections, meeting_figures = _meeting_sections(db, period, today)
    sections += measure_sections + [indicator_section] + databank_sections + [route_section, pd_section]
    sections += meeting_sections
    if with_names:
        sections.append(_names_section(db))
    for part in (counts, indicator_figures, databank_figures, route_figures, pd_figures, meeting_figures):
        figures.update({k: round(v, 6) if isinstance(v, float) else v for k, v in part.items()})
    summary = [
        (_("Measures due in the period"), counts["measures_due"], "int"),
        (_("done"), counts["measures_done"], "int"),
        (_("not done"), counts["measures_not_done"], "int"),
        (_("in progress (not finished)"), counts["measures_in_progress"], "int"),
        (_("of them overdue"), counts["measures_overdue"], "int"),
        (_("Done, % of due"), counts["measures_done_share"], "percent"),
        (_("Pupils in the databank at the end of the period"), databank_figures["databank_at_end"], "int"),
        (_("Identified in the period"), databank_figures["databank_new"], "int"),
        (_("Active learning routes of pupils"), route_figures["routes_active"], "int"),
        (_("Routes finished in the period, goal achieved, %"), route_figures["routes_achieved_share"], "percent"),
        (_("PD courses finished in the period"), pd_figures["pd_courses"], "int"),
        (_("Staff with a PD course in the last three years"), pd_figures["pd_share_3y"], "percent"),
        (_("Meetings held"), meeting_figures["meetings_held"], "int"),
        (_("Decisions overdue"), meeting_figures["decisions_overdue"], "int"),
    ]
    note = notes(db, period)
    director = records.fetch(db, STAFF, profile["director_id"]) if profile.get("director_id") else None
    deputy = records.fetch(db, STAFF, profile["deputy_id"]) if profile.get("deputy_id") else None
    signers = [
        (_("Director"), signature_name(director)),
        (_("Deputy director for academic work"), signature_name(deputy)),
    ]
    return Report(
        period,
        profile,
        today,
        with_names,
        summary,
        sections,
        figures,
        note["problems"],
        note["actions"],
        signers,
        charts[:6],
    )


def signature_name(person: dict | None) -> str:
    """'М. П. Иванова' — initials first, as a name stands after a signature line."""
    if not person:
        return ""
    initials = " ".join(f"{p[0]}." for p in (person.get("first_name"), person.get("middle_name")) if p)
    return f"{initials} {person.get('last_name') or ''}".strip()


def student_names(db: Database) -> set[str]:
    """Every pupil's last name + first name, to check that an export holds none of them."""
    return {f"{r[0]} {r[1]}" for r in db.execute("SELECT last_name, first_name FROM student")}


def make_files(
    db_path: str,
    period_key: str,
    *,
    with_names: bool = False,
    xlsx: str | None = None,
    pdf: str | None = None,
    today: dt.date | None = None,
) -> Report:
    """Build the report and write the files asked for, on a connection of its own (a worker thread or the CLI).

    A wrong period raises PeriodError before anything is written; each file is written whole or not at all.
    """
    from models import db as storage
    from models import periods, report_pdf, report_xlsx

    database = Database(storage.connect(db_path))
    try:
        period = periods.parse(period_key, database)
        report = build(database, period, with_names=with_names, today=today)
        if xlsx:
            report_xlsx.write_xlsx(report, xlsx)
        if pdf:
            report_pdf.write_pdf(report, pdf)
    finally:
        database.conn.close()
    return report
