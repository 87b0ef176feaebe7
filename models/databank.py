"""The databank of pupils with learning difficulties (seed 000 #16, seed 001 #6): entries by category and subject,
a dated support log, a restricted note that never leaves the school, and the new academic year's promotion.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from models import records
from models.assessments import KINDS as ASSESSMENT_KINDS
from models.db import Database, transaction
from models.i18n import N_, _
from models.records import Field, Kind, RecordType, ValidationError, register, rows
from models.school import STUDENT, full_name

# "Identified by": every kind of assessment (an entry made from one says which), then people and other ways.
SOURCES = (
    ("entrance", N_("entrance control work")),
    *((kind, label) for kind, label in ASSESSMENT_KINDS if kind != "entrance"),
    ("teacher", N_("teacher")),
    ("psychologist", N_("psychologist")),
    ("pmpk", N_("PMPK")),
    ("other", N_("other")),
)
ENTRY_STATUSES = (("active", N_("active")), ("resolved", N_("resolved")), ("closed", N_("closed")))
SUPPORT_KINDS = (
    ("psychologist", N_("psychologist session")),
    ("speech_therapist", N_("speech therapist session")),
    ("tutoring", N_("tutoring, extra lessons")),
    ("parents_informed", N_("parents informed")),
    ("consent", N_("parents' consent given")),
    ("pmpk_recommendation", N_("PMPK recommendation")),
    ("pmpk_fulfilment", N_("PMPK recommendation fulfilled")),
    ("other", N_("other")),
)


def _check_entry(r: dict) -> dict[str, str]:
    errors = {}
    today = dt.date.today().isoformat()
    if r.get("identified_on") and r["identified_on"] > today:
        errors["identified_on"] = _("The date cannot be in the future.")
    if r.get("status") != "active" and not r.get("closed_on"):
        errors["closed_on"] = _("A resolved or closed entry needs the date it was closed.")
    if r.get("closed_on") and r.get("status") == "active":
        errors["status"] = _("An entry with a closing date is resolved or closed.")
    if r.get("closed_on") and r.get("identified_on") and r["closed_on"] < r["identified_on"]:
        errors["closed_on"] = _("The closing date is before the date identified.")
    return errors


DATABANK_ENTRY = register(
    RecordType(
        name="databank_entry",
        table="databank_entry",
        title=N_("Databank entry"),
        plural=N_("Databank"),
        fields=(
            Field("student_id", N_("Pupil"), Kind.REF, required=True, ref="student"),
            Field("category_id", N_("Category"), Kind.REF, required=True, ref="difficulty_category"),
            Field("subject_id", N_("Subject"), Kind.REF, ref="subject"),
            Field("identified_on", N_("Identified on"), Kind.DATE, required=True),
            Field("source", N_("Identified by"), Kind.CHOICE, required=True, choices=SOURCES, default="teacher"),
            Field("description", N_("Description"), Kind.LONGTEXT, max_length=4000, in_list=False),
            Field("responsible_id", N_("Responsible teacher"), Kind.REF, ref="staff"),
            Field("status", N_("Status"), Kind.CHOICE, required=True, choices=ENTRY_STATUSES, default="active"),
            Field("closed_on", N_("Closed on"), Kind.DATE),
            Field("outcome", N_("Outcome"), Kind.LONGTEXT, max_length=4000, in_list=False),
            Field("restricted_note", N_("Restricted note"), Kind.LONGTEXT, max_length=4000, restricted=True),
        ),
        display=lambda r: str(r.get("id", "")),
        named_by="student_id",
        check=_check_entry,
    )
)

SUPPORT_ENTRY = register(
    RecordType(
        name="support_entry",
        table="support_entry",
        title=N_("Support given"),
        plural=N_("Support log"),
        fields=(
            Field("entry_id", N_("Databank entry"), Kind.REF, required=True, ref="databank_entry"),
            Field("date", N_("Date"), Kind.DATE, required=True),
            Field("kind", N_("Kind"), Kind.CHOICE, required=True, choices=SUPPORT_KINDS),
            Field("text", N_("What was done"), Kind.LONGTEXT, max_length=4000),
            Field("by_id", N_("By"), Kind.REF, ref="staff"),
            Field("fulfilled", N_("Fulfilled"), Kind.BOOL),
        ),
        display=lambda r: str(r.get("id", "")),
        order_by="date, id",
        parent="entry_id",
    )
)

DATABANK_ROW = RecordType(  # the databank list: entries with the pupil's name and class
    name="databank_row",
    table="databank_entry",
    title=N_("Databank entry"),
    plural=N_("Databank"),
    fields=(
        Field("student", N_("Pupil")),
        Field("class_name", N_("Class")),
        Field("category_id", N_("Category"), Kind.REF, ref="difficulty_category"),
        Field("subject_id", N_("Subject"), Kind.REF, ref="subject"),
        Field("identified_on", N_("Identified on"), Kind.DATE),
        Field("source", N_("Identified by"), Kind.CHOICE, choices=SOURCES),
        Field("responsible_id", N_("Responsible teacher"), Kind.REF, ref="staff"),
        Field("status", N_("Status"), Kind.CHOICE, choices=ENTRY_STATUSES),
        Field("support_count", N_("Support entries"), Kind.INT),
    ),
    display=lambda r: r.get("student") or "",
)


def class_name(student: dict) -> str:
    return f"{student.get('grade', '')}{student.get('letter') or ''}"


class DatabankFilter(NamedTuple):
    class_name: str | None = None  # "5А", or a whole grade "5"
    category_id: int | None = None
    subject_id: int | None = None
    status: str | None = "active"
    responsible_id: int | None = None


def databank(db: Database, flt: DatabankFilter | None = None) -> list[dict]:
    """Entries with the pupil's full name and class, filtered; the restricted note is never part of a row."""
    flt = flt or DatabankFilter()
    exact = {k: getattr(flt, k) for k in ("category_id", "subject_id", "status", "responsible_id") if getattr(flt, k)}
    entries = rows(db, DATABANK_ENTRY, exact)  # filtered by SQLite
    pupils = db.dicts("SELECT * FROM student WHERE id IN (SELECT student_id FROM databank_entry)")
    students = {s["id"]: s for s in pupils}  # the entries' pupils, not the whole school
    support = dict(db.execute("SELECT entry_id, count(*) FROM support_entry GROUP BY entry_id").fetchall())
    out = []
    for entry in entries:
        entry.pop("restricted_note", None)
        pupil = students[entry["student_id"]]
        name = class_name(pupil)
        if flt.class_name and name != flt.class_name and str(pupil["grade"]) != flt.class_name:
            continue
        out.append(
            {
                **entry,
                "student": full_name(pupil),
                "class_name": name,
                "grade": pupil["grade"],
                "support_count": support.get(entry["id"], 0),
            }
        )
    out.sort(key=lambda r: (r["grade"], r["class_name"], r["student"]))
    return out


def restricted_note(db: Database, entry_id: int) -> str:
    """The restricted note, read only when the user asks to see it."""
    row = db.execute("SELECT restricted_note FROM databank_entry WHERE id = ?", [entry_id]).fetchone()
    return (row[0] or "") if row else ""


def classes(db: Database) -> list[str]:
    """Classes of the pupils who study at the school now, in school order: 1А, 1Б, …, 11А."""
    found = db.execute("SELECT DISTINCT grade, letter FROM student WHERE left_on IS NULL ORDER BY grade, letter")
    return [f"{g}{letter or ''}" for g, letter in found]


def students_of(db: Database, class_filter: str | None, include_left: bool = False) -> list[dict]:
    """Pupils of a class ("5А") or a whole grade ("5"), or all, for the pupils list."""
    out = []
    for s in rows(db, STUDENT):
        if s["left_on"] and not include_left:
            continue
        if class_filter and class_name(s) != class_filter and str(s["grade"]) != class_filter:
            continue
        out.append(s)
    return out


def summary(db: Database, today: dt.date | None = None) -> list[dict]:
    """Active entries by category, and how many were identified this month (for the Home page)."""
    today = today or dt.date.today()
    month = today.replace(day=1).isoformat()
    found = db.execute(
        "SELECT category_id, count(*), sum(identified_on >= ?) FROM databank_entry WHERE status = 'active' "
        "GROUP BY category_id",
        [month],
    ).fetchall()
    names = records.Lookups(db)
    result = [
        {"id": c, "category": names.name("difficulty_category", c), "active": n, "this_month": m or 0}
        for c, n, m in found
    ]
    return sorted(result, key=lambda r: -r["active"])


SUMMARY_ROW = RecordType(
    name="databank_summary_row",
    table="databank_entry",
    title=N_("Category"),
    plural=N_("Databank by category"),
    fields=(
        Field("category", N_("Category")),
        Field("active", N_("Active entries"), Kind.INT),
        Field("this_month", N_("Identified this month"), Kind.INT),
    ),
    display=lambda r: r.get("category") or "",
    show_id=False,
)


def student_card(db: Database, student_id: int) -> dict:
    """Everything about one pupil: the record, databank entries with their support logs, results."""
    student = records.fetch(db, STUDENT, student_id)
    if student is None:
        raise ValidationError({"": _("The record no longer exists.")})
    lookups = records.Lookups(db)
    entries = []
    for entry in rows(db, DATABANK_ENTRY, {"student_id": student_id}):
        entry.pop("restricted_note", None)
        entry["category"] = lookups.name("difficulty_category", entry["category_id"])
        entry["subject"] = lookups.name("subject", entry["subject_id"])
        entry["responsible"] = lookups.name("staff", entry["responsible_id"])
        entry["support"] = rows(db, SUPPORT_ENTRY, {"entry_id": entry["id"]})
        entries.append(entry)
    results = db.dicts(
        "SELECT a.id, a.kind, a.subject_id, a.date, a.max_score, r.total, r.mark, r.absent "
        "FROM assessment_result r JOIN assessment a ON a.id = r.assessment_id "
        "WHERE r.student_id = ? ORDER BY a.date",
        [student_id],
    )
    for r in results:
        r["subject"] = lookups.name("subject", r["subject_id"])
    return {"student": student, "class_name": class_name(student), "entries": entries, "results": results}


# ---- the new academic year ------------------------------------------------------------------------------------------


def promote(db: Database, start_year: int, today: dt.date | None = None) -> dict[str, int]:
    """Move every pupil who studies here into the next grade for the academic year starting in `start_year`;
    9th and 11th graders finish the school and are marked as left on 31 August. Nothing is deleted.

    Refused if the classes were already promoted into that year (one transaction either way).
    """
    key = "promoted_into"
    done = db.execute("SELECT value FROM app_state WHERE key = ?", [key]).fetchone()
    if done and int(done[0]) >= start_year:
        raise ValidationError(
            {
                "": _("The classes were already moved into the academic year {year}/{next}.").format(
                    year=start_year, next=start_year + 1
                )
            }
        )
    left_on = f"{start_year}-08-31"
    with transaction(db):
        graduated = db.execute(
            "UPDATE student SET left_on = ? WHERE left_on IS NULL AND grade IN (9, 11)", [left_on]
        ).rowcount
        promoted = db.execute("UPDATE student SET grade = grade + 1 WHERE left_on IS NULL AND grade < 11").rowcount
        db.execute("INSERT OR REPLACE INTO app_state (key, value) VALUES (?, ?)", [key, str(start_year)])
    return {"promoted": promoted, "graduated": graduated}
