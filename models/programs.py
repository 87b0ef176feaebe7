"""Risk profile, antirisk programs, roadmap measures and indicators (seed 002 #32–33, #40; seed 003's indicators).

A program without a risk factor is the school's general roadmap. Approving a program keeps a snapshot, so
every approved version can be opened and printed later. Overdue is computed, never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from models import metrics, records
from models.db import Database, id_chunks, marks, transaction
from models.i18n import N_, _
from models.records import Field, Kind, RecordType, ValidationError, register, rows, save
from models.school import ACADEMIC_YEAR, full_name

SIGNIFICANCE = (
    ("high", N_("high")),
    ("medium", N_("medium")),
    ("low", N_("low")),
    ("irrelevant", N_("not relevant")),
)
PROGRAM_STATUSES = (
    ("draft", N_("draft")),
    ("approved", N_("approved")),
    ("in_progress", N_("in progress")),
    ("completed", N_("completed")),
)
MEASURE_STATUSES = (
    ("planned", N_("planned")),
    ("in_progress", N_("in progress")),
    ("done", N_("done")),
    ("not_done", N_("not done")),
    ("cancelled", N_("cancelled")),
)
OPEN_STATUSES = ("planned", "in_progress")  # a measure past its due date in one of these is overdue
DIRECTIONS = (("higher", N_("higher is better")), ("lower", N_("lower is better")))
EVIDENCE_LIMIT = 20 * 1024 * 1024  # a scan or a photo report fits; a video does not belong in the database


def _dates_in_order(start: str, end: str, message: str):
    def check(r: dict) -> dict[str, str]:
        return {end: _(message)} if r.get(start) and r.get(end) and r[end] < r[start] else {}

    return check


# ---- declarations ----------------------------------------------------------------------------------------------

RISK_ASSESSMENT = register(
    RecordType(
        name="risk_assessment",
        table="risk_assessment",
        title=N_("Risk factor assessment"),
        plural=N_("Risk profile"),
        fields=(
            Field("academic_year_id", N_("Academic year"), Kind.REF, required=True, ref="academic_year"),
            Field("risk_factor_id", N_("Risk factor"), Kind.REF, required=True, ref="risk_factor"),
            Field("significance", N_("Significance"), Kind.CHOICE, required=True, choices=SIGNIFICANCE),
            Field("justification", N_("Justification"), Kind.LONGTEXT, max_length=4000),
        ),
        display=lambda r: str(r.get("id", "")),
        named_by="risk_factor_id",
        parent="academic_year_id",
    )
)


def _check_program(r: dict) -> dict[str, str]:
    errors = _dates_in_order("start_date", "end_date", N_("The end date is before the start date."))(r)
    if r.get("status") != "draft" and not (r.get("order_number") and r.get("order_date")):
        errors["order_number"] = _("An approved program needs the number and date of its approval order.")
    return errors


PROGRAM = register(
    RecordType(
        name="program",
        table="program",
        title=N_("Program"),
        plural=N_("Programs"),
        fields=(
            Field("title", N_("Title"), required=True, max_length=400),
            Field(
                "risk_factor_id",
                N_("Risk factor"),
                Kind.REF,
                ref="risk_factor",
                placeholder=N_("none: the school's general roadmap"),
            ),
            Field("goal", N_("Goal"), Kind.LONGTEXT, max_length=4000, in_list=False),
            Field("start_date", N_("Start"), Kind.DATE),
            Field("end_date", N_("End"), Kind.DATE),
            Field("responsible_id", N_("Responsible"), Kind.REF, ref="staff"),
            Field("order_number", N_("Approval order No."), max_length=40),
            Field("order_date", N_("Approval order date"), Kind.DATE),
            Field("status", N_("Status"), Kind.CHOICE, required=True, choices=PROGRAM_STATUSES, default="draft"),
        ),
        display=lambda r: r.get("title") or "",
        order_by="risk_factor_id IS NOT NULL, id",
        check=_check_program,
    )
)

PROGRAM_TASK = register(
    RecordType(
        name="program_task",
        table="program_task",
        title=N_("Task"),
        plural=N_("Tasks"),
        fields=(
            Field("program_id", N_("Program"), Kind.REF, required=True, ref="program"),
            Field("position", N_("No."), Kind.INT, required=True, minimum=1, maximum=9999, default=1),
            Field("text", N_("Task"), Kind.LONGTEXT, required=True, max_length=1000),
        ),
        display=lambda r: f"{r.get('position', '')}. {r.get('text', '')}",
        order_by="program_id, position, id",
        parent="program_id",
    )
)


def _check_measure(r: dict) -> dict[str, str]:
    errors = _dates_in_order("start_date", "due_date", N_("The due date is before the start date."))(r)
    if r.get("status") == "done" and not r.get("done_on"):
        errors["done_on"] = _("A done measure needs the date it was done.")
    if r.get("done_on") and r["done_on"] > dt.date.today().isoformat():
        errors["done_on"] = _("The date done cannot be in the future.")
    if r.get("done_on") and r.get("status") not in ("done", "not_done"):
        errors["status"] = _("A measure with a date done is done or not done.")
    return errors


MEASURE = register(
    RecordType(
        name="measure",
        table="measure",
        title=N_("Measure"),
        plural=N_("Measures"),
        fields=(
            Field("program_id", N_("Program"), Kind.REF, required=True, ref="program"),
            Field("task_id", N_("Task"), Kind.REF, ref="program_task", scope="program_id", in_list=False),
            Field("position", N_("No."), Kind.INT, minimum=0, maximum=9999, default=0),
            Field("title", N_("Measure"), required=True, max_length=1000),
            Field("description", N_("Description"), Kind.LONGTEXT, max_length=4000, in_list=False),
            Field("start_date", N_("Start"), Kind.DATE),
            Field("due_date", N_("Due"), Kind.DATE),
            Field(
                "deadline_text",
                N_("Deadline as worded"),
                max_length=200,
                placeholder=N_("for example: в течение года, по отдельному графику"),
            ),
            Field(
                "responsible",
                N_("Responsible staff"),
                Kind.REFS,
                ref="staff",
                link=("measure_responsible", "measure_id", "staff_id"),
                in_list=False,
            ),
            Field(
                "responsible_text",
                N_("Responsible (as worded)"),
                max_length=300,
                placeholder=N_("for example: классные руководители"),
            ),
            Field("participants", N_("Participants"), max_length=500, in_list=False),
            Field("expected_result", N_("Expected result"), Kind.LONGTEXT, max_length=2000, in_list=False),
            Field("report_form_id", N_("Report form"), Kind.REF, ref="report_form", in_list=False),
            Field(
                "status",
                N_("Status"),
                Kind.CHOICE,
                required=True,
                choices=MEASURE_STATUSES,
                default="planned",
            ),
            Field("actual_result", N_("Actual result"), Kind.LONGTEXT, max_length=4000, in_list=False),
            Field("done_on", N_("Done on"), Kind.DATE),
        ),
        display=lambda r: r.get("title") or "",
        order_by="program_id, position, id",
        parent="program_id",
        check=_check_measure,
    )
)

INDICATOR = register(
    RecordType(
        name="indicator",
        table="indicator",
        title=N_("Indicator"),
        plural=N_("Indicators"),
        fields=(
            Field("program_id", N_("Program"), Kind.REF, required=True, ref="program"),
            Field("position", N_("No."), Kind.INT, minimum=0, maximum=999, default=0),
            Field("title", N_("Indicator"), required=True, max_length=500),
            Field("unit", N_("Unit"), max_length=40, placeholder="%"),
            Field("direction", N_("Direction"), Kind.CHOICE, required=True, choices=DIRECTIONS, default="higher"),
            Field("baseline", N_("Baseline"), Kind.NUMBER, minimum=-1e9, maximum=1e9),
            Field("baseline_date", N_("Baseline date"), Kind.DATE),
            Field(
                "metric",
                N_("Computed from"),
                Kind.CHOICE,
                choices=metrics.choices,
                placeholder=N_("empty: values are typed in"),
            ),
        ),
        display=lambda r: r.get("title") or "",
        order_by="program_id, position, id",
        parent="program_id",
    )
)

INDICATOR_TARGET = register(
    RecordType(
        name="indicator_target",
        table="indicator_target",
        title=N_("Target"),
        plural=N_("Targets"),
        fields=(
            Field("indicator_id", N_("Indicator"), Kind.REF, required=True, ref="indicator"),
            Field("academic_year_id", N_("Academic year"), Kind.REF, required=True, ref="academic_year"),
            Field("target", N_("Target"), Kind.NUMBER, required=True, minimum=-1e9, maximum=1e9),
        ),
        display=lambda r: str(r.get("target", "")),
        parent="indicator_id",
    )
)

INDICATOR_VALUE = register(
    RecordType(
        name="indicator_value",
        table="indicator_value",
        title=N_("Measured value"),
        plural=N_("Measured values"),
        fields=(
            Field("indicator_id", N_("Indicator"), Kind.REF, required=True, ref="indicator"),
            Field("measured_on", N_("Date"), Kind.DATE, required=True),
            Field("value", N_("Value"), Kind.NUMBER, required=True, minimum=-1e9, maximum=1e9),
            Field("source", N_("Source"), max_length=300),
            Field("comment", N_("Comment"), Kind.LONGTEXT, max_length=2000),
        ),
        display=lambda r: str(r.get("value", "")),
        order_by="measured_on",
        parent="indicator_id",
    )
)

PD_COURSE = register(
    RecordType(
        name="pd_course",
        table="pd_course",
        title=N_("PD course"),
        plural=N_("PD courses"),
        fields=(
            Field("staff_id", N_("Staff member"), Kind.REF, required=True, ref="staff"),
            Field("title", N_("Course"), required=True, max_length=500),
            Field("provider", N_("Provider"), max_length=300),
            Field("hours", N_("Hours"), Kind.INT, minimum=1, maximum=3000),
            Field("start_date", N_("Start"), Kind.DATE),
            Field("end_date", N_("End"), Kind.DATE, required=True),
            Field("certificate_number", N_("Certificate No."), max_length=60),
        ),
        display=lambda r: r.get("title") or "",
        order_by="end_date DESC",
        check=_dates_in_order("start_date", "end_date", N_("The end date is before the start date.")),
    )
)


# ---- risk profile ------------------------------------------------------------------------------------------------


def previous_year(db: Database, academic_year_id: int) -> dict | None:
    year = records.fetch(db, ACADEMIC_YEAR, academic_year_id)
    earlier = [y for y in rows(db, ACADEMIC_YEAR) if y["start_date"] < year["start_date"]]
    return max(earlier, key=lambda y: y["start_date"]) if earlier else None


def risk_profile(db: Database, academic_year_id: int) -> list[dict]:
    """Every risk factor in use with this year's assessment, last year's significance and its programs."""
    previous = previous_year(db, academic_year_id)
    assessed = {r["risk_factor_id"]: r for r in rows(db, RISK_ASSESSMENT, {"academic_year_id": academic_year_id})}
    before = (
        {r["risk_factor_id"]: r for r in rows(db, RISK_ASSESSMENT, {"academic_year_id": previous["id"]})}
        if previous
        else {}
    )
    programs: dict[int, list[str]] = {}
    for p in rows(db, PROGRAM):
        if p["risk_factor_id"]:
            programs.setdefault(p["risk_factor_id"], []).append(p["title"])
    out = []
    for factor in rows(db, records.record_type("risk_factor")):
        mine = assessed.get(factor["id"], {})
        if not factor["active"] and not mine:
            continue
        out.append(
            {
                "id": factor["id"],
                "assessment_id": mine.get("id"),
                "risk_factor_id": factor["id"],
                "academic_year_id": academic_year_id,
                "significance": mine.get("significance"),
                "justification": mine.get("justification"),
                "previous_significance": before.get(factor["id"], {}).get("significance"),
                "programs": "; ".join(programs.get(factor["id"], [])),
            }
        )
    return out


def create_programs(db: Database, academic_year_id: int, factor_ids: list[int]) -> list[int]:
    """One draft program per chosen risk factor, for the academic year's period (one transaction).

    Factors that already have a program are skipped; returns the ids of the programs made.
    """
    year = records.fetch(db, ACADEMIC_YEAR, academic_year_id)
    have = {
        p["risk_factor_id"]
        for p in rows(db, PROGRAM)  # a factor's program for this year, not an old one
        if (p["start_date"] or "") <= year["end_date"] and (p["end_date"] or "9999") >= year["start_date"]
    }
    names = dict(records.options(db, "risk_factor", keep=factor_ids))
    made = []
    with transaction(db):
        for factor_id in factor_ids:
            if factor_id in have:
                continue
            made.append(
                save(
                    db,
                    PROGRAM,
                    {
                        "title": _("Antirisk program “{factor}”").format(factor=names[factor_id]),
                        "risk_factor_id": factor_id,
                        "start_date": year["start_date"],
                        "end_date": year["end_date"],
                        "status": "draft",
                    },
                )
            )
    return made


# ---- versions ------------------------------------------------------------------------------------------------------


def snapshot(db: Database, program_id: int) -> dict:
    """Everything a printed program shows, as plain data: the program, tasks, indicators with targets, measures."""
    program = records.fetch(db, PROGRAM, program_id)
    if program is None:
        raise ValidationError({"": _("The record no longer exists.")})
    lookups = records.Lookups(db)
    indicators = []
    for ind in rows(db, INDICATOR, {"program_id": program_id}):
        targets = rows(db, INDICATOR_TARGET, {"indicator_id": ind["id"]})
        ind["targets"] = {lookups.name("academic_year", t["academic_year_id"]): t["target"] for t in targets}
        indicators.append(ind)
    measures = rows(db, MEASURE, {"program_id": program_id})
    for m in measures:
        m["responsible_names"] = responsible_label(m, lookups)
        m["deadline"] = deadline_label(m)
        m["report_form"] = lookups.name("report_form", m["report_form_id"])
    return {
        "program": {
            **program,
            "risk_factor": lookups.name("risk_factor", program["risk_factor_id"]),
            "responsible": lookups.name("staff", program["responsible_id"]),
        },
        "tasks": rows(db, PROGRAM_TASK, {"program_id": program_id}),
        "indicators": indicators,
        "measures": measures,
    }


def approve(
    db: Database,
    program_id: int,
    order_number: str,
    order_date: str,
    note: str = "",
    today: dt.date | None = None,
) -> int:
    """Approve the program as it stands now: keep a numbered snapshot and mark the program approved.

    Corrections after an interim review are approved again as the next version; earlier ones stay as they were.
    """
    today = today or dt.date.today()
    with transaction(db):
        current = records.fetch(db, PROGRAM, program_id) or {}
        status = "approved" if current.get("status") in (None, "draft") else current["status"]  # keep "in progress"
        save(
            db,
            PROGRAM,
            {"order_number": order_number, "order_date": order_date, "status": status},
            program_id,
        )
        import json  # a program's approval, not the start, needs it

        data = snapshot(db, program_id)
        version = 1 + (
            db.execute("SELECT max(version) FROM program_version WHERE program_id = ?", [program_id]).fetchone()[0] or 0
        )
        cursor = db.execute(
            "INSERT INTO program_version (program_id, version, approved_on, order_number, order_date, note, snapshot)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                program_id,
                version,
                today.isoformat(),
                data["program"]["order_number"],
                data["program"]["order_date"],
                note or None,
                json.dumps(data, ensure_ascii=False),
            ],
        )
    return cursor.lastrowid


def versions(db: Database, program_id: int) -> list[dict]:
    return db.dicts(
        "SELECT id, version, approved_on, order_number, order_date, note FROM program_version "
        "WHERE program_id = ? ORDER BY version",
        [program_id],
    )


def version_snapshot(db: Database, version_id: int) -> dict:
    import json

    row = db.execute("SELECT snapshot, version, approved_on FROM program_version WHERE id = ?", [version_id]).fetchone()
    if row is None:
        raise ValidationError({"": _("The record no longer exists.")})
    return {**json.loads(row[0]), "version": row[1], "approved_on": row[2]}


# ---- measures ------------------------------------------------------------------------------------------------------


def is_overdue(measure: dict, today: dt.date) -> bool:
    return (
        bool(measure.get("due_date"))
        and measure["due_date"] < today.isoformat()
        and measure.get("status") in OPEN_STATUSES
    )


def deadline_label(m: dict) -> str:
    """The deadline as the roadmap words it, else the dates: '01.09.2026 – 30.09.2026', 'до 30.09.2026'."""
    from models import fmt

    if m.get("deadline_text"):
        return m["deadline_text"]
    start, due = fmt.format_date(m.get("start_date")), fmt.format_date(m.get("due_date"))
    if start and due and start != due:
        return f"{start} – {due}"
    if due:  # a single date is the day it is due (or takes place); "до …" wording is kept in deadline_text
        return due
    return _("from {date}").format(date=start) if start else ""


def responsible_label(m: dict, lookups: records.Lookups) -> str:
    names = [lookups.name("staff", s) for s in m.get("responsible") or []]
    return ", ".join([n for n in names if n] + ([m["responsible_text"]] if m.get("responsible_text") else []))


class RoadmapFilter(NamedTuple):
    program_id: int | None = None
    status: str | None = None
    staff_id: int | None = None
    start: str | None = None  # ISO; a measure is in the period when its dates touch it
    end: str | None = None
    overdue_only: bool = False
    text: str = ""


ROADMAP_ROW = RecordType(  # how the roadmap view lists measures across programs; never saved as such
    name="roadmap_row",
    table="measure",
    title=N_("Measure"),
    plural=N_("Roadmap"),
    fields=(
        Field("program", N_("Program")),
        Field("position", N_("No."), Kind.INT),
        Field("title", N_("Measure")),
        Field("deadline", N_("Deadline")),
        Field("due_date", N_("Due"), Kind.DATE),
        Field("responsible_names", N_("Responsible")),
        Field("status", N_("Status"), Kind.CHOICE, choices=MEASURE_STATUSES),
        Field("overdue", N_("Overdue"), Kind.BOOL),
        Field("done_on", N_("Done on"), Kind.DATE),
    ),
    display=lambda r: r.get("title") or "",
)


def _measures(db: Database, where: str = "", params: Iterable = ()) -> list[dict]:
    """Measures as `rows(db, MEASURE)` reads them (with the responsible staff ids), chosen by a WHERE clause."""
    found = db.dicts(f"SELECT * FROM measure{where} ORDER BY {MEASURE.order_by}", list(params))
    links: dict[int, list[int]] = {}
    if where:
        for chunk in id_chunks(m["id"] for m in found):
            sql = f"SELECT measure_id, staff_id FROM measure_responsible WHERE measure_id IN ({marks(chunk)})"
            for measure_id, staff_id in db.execute(sql, chunk):
                links.setdefault(measure_id, []).append(staff_id)
    else:
        for measure_id, staff_id in db.execute("SELECT measure_id, staff_id FROM measure_responsible"):
            links.setdefault(measure_id, []).append(staff_id)
    for m in found:
        m["responsible"] = sorted(links.get(m["id"], []))
    return found


def _measure_names(db: Database, measures: list[dict], programs: list[dict] | None = None) -> records.Lookups:
    """The names a roadmap row shows, read for these measures only: its program's title, its responsible staff."""
    program_names = (
        {p["id"]: PROGRAM.display(p) for p in programs}
        if programs is not None
        else records.labels(db, PROGRAM, (m["program_id"] for m in measures))
    )
    staff = records.labels(db, records.record_type("staff"), (s for m in measures for s in m["responsible"] or []))
    return records.Lookups(db, {"program": program_names, "staff": staff})


def _roadmap_row(m: dict, today: dt.date, names: records.Lookups) -> dict:
    m["overdue"] = is_overdue(m, today)
    m["program"] = names.name("program", m["program_id"])
    m["deadline"] = deadline_label(m)
    m["responsible_names"] = responsible_label(m, names)
    return m


def roadmap(db: Database, flt: RoadmapFilter | None = None, today: dt.date | None = None) -> list[dict]:
    """Measures across all programs, with program title, deadline wording, responsible names and overdue flag."""
    flt, today = flt or RoadmapFilter(), today or dt.date.today()
    programs = rows(db, PROGRAM)
    periods = {p["id"]: (p["start_date"], p["end_date"]) for p in programs}
    measures = _measures(db)
    lookups = _measure_names(db, measures, programs)
    found = []
    for m in measures:
        if flt.program_id and m["program_id"] != flt.program_id:
            continue
        if flt.status and m["status"] != flt.status:
            continue
        if flt.staff_id and flt.staff_id not in (m["responsible"] or []):
            continue
        first, last = m["start_date"] or m["due_date"], m["due_date"] or m["start_date"]
        if not first:  # "в течение года": the measure runs as long as its program does
            first, last = periods[m["program_id"]]
        if flt.end and first and first > flt.end or flt.start and last and last < flt.start:
            continue
        if flt.overdue_only and not is_overdue(m, today):
            continue
        _roadmap_row(m, today, lookups)
        if (
            flt.text
            and flt.text.casefold()
            not in " ".join(
                str(m.get(k) or "") for k in ("title", "program", "responsible_names", "description")
            ).casefold()
        ):
            continue
        found.append(m)
    return found


def set_status(db: Database, measure_ids: list[int], status: str, done_on: str | None = None) -> None:
    """Change the status of several measures at once (one transaction); done ones get today's date unless given."""
    if status not in dict(MEASURE_STATUSES):
        raise ValidationError({"status": _("Choose one of the listed values.")})
    with transaction(db):
        for measure_id in measure_ids:
            values = {"status": status}
            if status in ("done", "not_done"):
                stored = records.fetch(db, MEASURE, measure_id) or {}
                values["done_on"] = done_on or stored.get("done_on") or dt.date.today().isoformat()
            else:
                values["done_on"] = None
            save(db, MEASURE, values, measure_id)


def attention(db: Database, today: dt.date | None = None, days: int = 14) -> dict[str, list[dict]]:
    """For the Home page: overdue measures, those due in the next `days` days, and the indicators of programs in
    force that are behind this year's target or not yet measured this year (rows of INDICATOR_ROW)."""
    today = today or dt.date.today()
    day, horizon = today.isoformat(), (today + dt.timedelta(days=days)).isoformat()
    drafts = {p[0] for p in db.execute("SELECT id FROM program WHERE status = 'draft'")}  # not yet in force: no alarms
    # open measures of programs in force that are overdue (due before today) or due by the horizon
    due, until = ("<=", horizon) if horizon >= day else ("<", day)
    all_open = _measures(
        db,
        f" WHERE status IN ({marks(OPEN_STATUSES)}) AND coalesce(due_date, '') != '' AND due_date {due} ?"
        " AND program_id NOT IN (SELECT id FROM program WHERE status = 'draft')",
        [*OPEN_STATUSES, until],
    )
    names = _measure_names(db, all_open)
    for m in all_open:
        _roadmap_row(m, today, names)
    return {
        "overdue": sorted((m for m in all_open if m["overdue"]), key=lambda m: m["due_date"]),
        "upcoming": sorted(
            (m for m in all_open if day <= m["due_date"] <= horizon),
            key=lambda m: m["due_date"],
        ),
        "indicators": [
            i
            for i in indicator_overview(db, today)
            if i["status"] in ("behind", "no_data") and i["program_id"] not in drafts
        ],
    }


# ---- evidence ------------------------------------------------------------------------------------------------------


def add_evidence(db: Database, measure_id: int, path: str | Path, note: str = "") -> int:
    """Keep a file (a scan of the order, a photo report) inside the database, with the measure."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ValidationError({"": _("Cannot read the file {name}.").format(name=path.name)}) from exc
    if size > EVIDENCE_LIMIT:
        raise ValidationError(
            {
                "": _("The file {name} is {size} MB; at most {limit} MB can be kept.").format(
                    name=path.name, size=round(size / 1048576, 1), limit=EVIDENCE_LIMIT // 1048576
                )
            }
        )
    content = path.read_bytes()
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO evidence (measure_id, file_name, size, content, added_on, note) VALUES (?, ?, ?, ?, ?, ?)",
            [measure_id, path.name, len(content), content, dt.date.today().isoformat(), note or None],
        )
    return cursor.lastrowid


def evidence_list(db: Database, measure_id: int) -> list[dict]:
    return db.dicts(
        "SELECT id, file_name, size, added_on, note FROM evidence WHERE measure_id = ? ORDER BY id",
        [measure_id],
    )


def evidence_content(db: Database, evidence_id: int) -> tuple[str, bytes]:
    row = db.execute("SELECT file_name, content FROM evidence WHERE id = ?", [evidence_id]).fetchone()
    if row is None:
        raise ValidationError({"": _("The record no longer exists.")})
    return row[0], row[1]


def delete_evidence(db: Database, evidence_id: int) -> None:
    with transaction(db):
        db.execute("DELETE FROM evidence WHERE id = ?", [evidence_id])


# ---- indicators ------------------------------------------------------------------------------------------------------

STATUS_LABELS = {
    "achieved": N_("achieved"),
    "on_track": N_("on track"),
    "behind": N_("behind"),
    "no_data": N_("no data"),
    "no_target": N_("no target"),
}


def indicator_values(db: Database, indicator: dict, today: dt.date | None = None) -> list[tuple[str, float]]:
    """(date, value) points: measured ones, or for a computed indicator one per term end up to today."""
    today = today or dt.date.today()
    if not indicator.get("metric"):
        return [(v["measured_on"], v["value"]) for v in rows(db, INDICATOR_VALUE, {"indicator_id": indicator["id"]})]
    points = []
    for day in _computed_days(db, today):
        value = metrics.value(db, indicator["metric"], dt.date.fromisoformat(day))
        if value is not None:
            points.append((day, value))
    return points


def _computed_days(db: Database, today: dt.date) -> list[str]:
    """The days a computed indicator has a point on: the last eight term ends up to today, and today."""
    ends = [
        r[0] for r in db.execute("SELECT end_date FROM term WHERE end_date <= ? ORDER BY end_date", [today.isoformat()])
    ]
    return [*ends[-8:], today.isoformat()]


def _year_on(db: Database, today: dt.date) -> tuple | None:
    """(id, start_date, end_date) of the academic year covering the day, or None."""
    return db.execute(
        "SELECT id, start_date, end_date FROM academic_year WHERE start_date <= ? AND end_date >= ?",
        [today.isoformat()] * 2,
    ).fetchone()


def _latest(db: Database, indicator: dict, today: dt.date, since: str | None) -> tuple[str, float] | None:
    """The last point of `indicator_values` dated `since` or later (any, when None), read without the others:
    the latest measured value, or for a computed indicator the metric on the latest day that has one."""
    if not indicator.get("metric"):
        return db.execute(  # ties on a day: the last typed, as the values are listed (their index's order)
            "SELECT measured_on, value FROM indicator_value WHERE indicator_id = ? AND measured_on >= ? "
            "ORDER BY measured_on DESC, id DESC LIMIT 1",
            [indicator["id"], since or ""],
        ).fetchone()
    for day in reversed(_computed_days(db, today)):  # the points `indicator_values` computes, latest first
        if since is not None and day < since:
            break
        value = metrics.value(db, indicator["metric"], dt.date.fromisoformat(day))
        if value is not None:
            return day, value
    return None


def _status(db: Database, indicator: dict, today: dt.date, year: tuple | None, target: float | None) -> dict:
    """`indicator_status` with the academic year and this year's target already known."""
    latest = _latest(db, indicator, today, year[1] if year else None)  # this year's target: this year's values
    result = {
        "target": target,
        "value": latest[1] if latest else None,
        "measured_on": latest[0] if latest else None,
    }
    if target is None:
        return {**result, "status": "no_target"}
    if latest is None:
        return {**result, "status": "no_data"}
    better = (lambda a, b: a >= b) if indicator["direction"] == "higher" else (lambda a, b: a <= b)
    if better(latest[1], target):
        return {**result, "status": "achieved"}
    baseline = indicator.get("baseline")
    if baseline is None:
        return {**result, "status": "behind"}
    start, end = dt.date.fromisoformat(year[1]), dt.date.fromisoformat(year[2])
    measured = dt.date.fromisoformat(latest[0])
    share = min(1.0, max(0.0, (measured - start).days / max(1, (end - start).days)))
    expected = baseline + (target - baseline) * share
    return {**result, "status": "on_track" if better(latest[1], expected) else "behind"}


def indicator_status(db: Database, indicator: dict, today: dt.date | None = None) -> dict:
    """This year's target, the latest value and the status: achieved / on track / behind / no data / no target.

    'On track' means the latest value is at least where a straight line from the baseline (at the start of the
    academic year) to the target (at its end) would be on the day it was measured.
    """
    today = today or dt.date.today()
    year = _year_on(db, today)
    target = None
    if year:
        found = db.execute(
            "SELECT target FROM indicator_target WHERE indicator_id = ? AND academic_year_id = ?",
            [indicator["id"], year[0]],
        ).fetchone()
        target = found[0] if found else None
    return _status(db, indicator, today, year, target)


def staff_name(db: Database, staff_id: int | None) -> str:
    row = records.fetch(db, records.record_type("staff"), staff_id) if staff_id else None
    return full_name(row) if row else ""


# ---- views: how the pages list computed rows (declared like records, never saved as such) ------------------------

PROFILE_ROW = RecordType(
    name="profile_row",
    table="risk_assessment",
    title=N_("Risk factor assessment"),
    plural=N_("Risk profile"),
    fields=(
        Field("risk_factor_id", N_("Risk factor"), Kind.REF, ref="risk_factor"),
        Field("significance", N_("Significance"), Kind.CHOICE, choices=SIGNIFICANCE),
        Field("previous_significance", N_("Previous year"), Kind.CHOICE, choices=SIGNIFICANCE),
        Field("justification", N_("Justification")),
        Field("programs", N_("Program")),
    ),
    display=lambda r: str(r.get("id", "")),
    named_by="risk_factor_id",
    show_id=False,
)

INDICATOR_ROW = RecordType(
    name="indicator_row",
    table="indicator",
    title=N_("Indicator"),
    plural=N_("Indicators"),
    fields=(
        Field("program", N_("Program")),
        Field("title", N_("Indicator")),
        Field("unit", N_("Unit")),
        Field("baseline", N_("Baseline"), Kind.NUMBER),
        Field("target", N_("Target this year"), Kind.NUMBER),
        Field("value", N_("Latest value"), Kind.NUMBER),
        Field("measured_on", N_("Measured on"), Kind.DATE),
        Field("status", N_("Status"), Kind.CHOICE, choices=tuple(STATUS_LABELS.items())),
        Field("computed", N_("Computed"), Kind.BOOL),
    ),
    display=lambda r: r.get("title") or "",
    show_id=False,
)

VERSION_ROW = RecordType(
    name="version_row",
    table="program_version",
    title=N_("Approved version"),
    plural=N_("Approved versions"),
    fields=(
        Field("version", N_("Version"), Kind.INT),
        Field("approved_on", N_("Approved on"), Kind.DATE),
        Field("order_number", N_("Approval order No.")),
        Field("order_date", N_("Approval order date"), Kind.DATE),
        Field("note", N_("Note")),
    ),
    display=lambda r: str(r.get("version", "")),
    show_id=False,
)

APPROVAL = RecordType(
    name="approval",
    table="",
    title=N_("Approve the program"),
    plural=N_("Approve the program"),
    fields=(
        Field("order_number", N_("Approval order No."), required=True, max_length=40),
        Field("order_date", N_("Approval order date"), Kind.DATE, required=True),
        Field("note", N_("What changed in this version"), Kind.LONGTEXT, max_length=2000),
    ),
    display=lambda r: r.get("order_number") or "",
)


def indicator_overview(db: Database, today: dt.date | None = None, program_id: int | None = None) -> list[dict]:
    """Every indicator with its program, this year's target, the latest value and the status against the target."""
    today = today or dt.date.today()
    lookups = records.Lookups(db)
    year = _year_on(db, today)  # once for all the indicators, as their targets
    targets = (
        dict(db.execute("SELECT indicator_id, target FROM indicator_target WHERE academic_year_id = ?", [year[0]]))
        if year
        else {}
    )
    out = []
    for ind in rows(db, INDICATOR, {"program_id": program_id} if program_id else None):
        status = _status(db, ind, today, year, targets.get(ind["id"]))
        out.append(
            {
                **ind,
                **status,
                "program": lookups.name("program", ind["program_id"]),
                "computed": bool(ind["metric"]),
            }
        )
    return out


def approve_from_form(db: Database, program_id: int, values: dict) -> int:
    """Approve with the order typed into the APPROVAL form (validated like any record)."""
    clean = records.validate(APPROVAL, values)
    return approve(db, program_id, clean["order_number"], clean["order_date"], clean["note"] or "")
