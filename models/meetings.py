"""Meetings with the curator and the working group (seed 002 #30, #40): the schedule, held meetings with
numbered minutes, participants, the agenda with what was heard, and decisions tracked until they are done.

Rules worth knowing:
- A meeting's academic year follows from its date; a date outside every academic year is refused.
- Only a held meeting has a number ("Протокол № N"): the next free number of its academic year, assigned when
  it is held (by `hold` or by saving it as held). Planned and cancelled meetings have none.
- Write meetings, participants and decisions through `save_meeting`, `save_participant` and `save_decision`:
  they derive what the record type cannot (the year, the number, the next position) and check what needs the
  database (a decision due before its meeting). Agenda items go through `records.save` as they are.
- Overdue is computed, never stored: an open decision whose due date has passed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from models import fmt, records
from models.db import Database, id_chunks, marks, transaction
from models.i18n import N_, _
from models.programs import MEASURE
from models.records import Field, Kind, RecordType, ValidationError, register, rows
from models.school import CURATOR, WORKING_GROUP_MEMBER, academic_year_on, short_name

# Words of their own, so that Russian can agree them with "встреча" (запланирована, проведена, не состоялась).
MEETING_STATUSES = (
    ("planned", N_("scheduled")),
    ("held", N_("held")),
    ("cancelled", N_("did not take place")),
)
DECISION_STATUSES = (
    ("open", N_("open")),
    ("done", N_("done")),
    ("cancelled", N_("cancelled")),
)
_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")
_DATE_SEPARATORS = re.compile(r"[,;\s]+")


def normal_time(text: object) -> object:
    """'9.30' or '9:30' → '09:30'; anything else is returned as it came, for the check to name."""
    if not isinstance(text, str):
        return text
    match = _TIME.fullmatch(text.strip())
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else text


def meeting_label(m: dict) -> str:
    """'Протокол № 3 от 15.10.2026' for a held meeting, 'Встреча 15.10.2026' otherwise."""
    date = fmt.format_date(m.get("date"))
    if m.get("number"):
        return _("Minutes No. {number} of {date}").format(number=m["number"], date=date)
    return _("Meeting of {date}").format(date=date)


def minutes_label(m: dict) -> str:
    """'№ 3 от 15.10.2026' for a held meeting, the date alone otherwise: a short column of decision lists."""
    date = fmt.format_date(m.get("date"))
    return _("No. {number} of {date}").format(number=m["number"], date=date) if m.get("number") else date


# ---- declarations ------------------------------------------------------------------------------------------


def _check_meeting(r: dict) -> dict[str, str]:
    errors = {}
    if r.get("time") and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", r["time"]):
        errors["time"] = _("Type the time as hh:mm, for example 14:30.")
    if r.get("chair_id") and r.get("chair_id") == r.get("secretary_id"):
        errors["secretary_id"] = _("The chair and the secretary are two different people.")
    if r.get("number") and r.get("status") != "held":
        errors["number"] = _("Only a held meeting has a minutes number.")
    return errors


MEETING = register(
    RecordType(
        name="meeting",
        table="meeting",
        title=N_("Meeting"),
        plural=N_("Meetings"),
        fields=(
            Field("kind_id", N_("Kind of meeting"), Kind.REF, required=True, ref="meeting_kind"),
            Field("date", N_("Date"), Kind.DATE, required=True),
            Field("time", N_("Time"), max_length=20, placeholder=N_("hh:mm, for example 14:30")),
            Field(
                "place",
                N_("Place or format"),
                max_length=300,
                placeholder=N_("for example: кабинет директора; онлайн, Сферум"),
            ),
            Field(
                "status",
                N_("Status"),
                Kind.CHOICE,
                required=True,
                choices=MEETING_STATUSES,
                default="planned",
            ),
            Field("chair_id", N_("Chair"), Kind.REF, ref="staff"),
            Field("secretary_id", N_("Secretary"), Kind.REF, ref="staff"),
            Field("notes", N_("Notes"), Kind.LONGTEXT, max_length=4000, in_list=False),
            # Derived by save_meeting, never typed: the form gets them as hidden values.
            Field("academic_year_id", N_("Academic year"), Kind.REF, required=True, ref="academic_year"),
            Field("number", N_("Minutes No."), Kind.INT, minimum=1, maximum=999),
        ),
        display=meeting_label,
        order_by="date, time, id",
        check=_check_meeting,
    )
)


def _check_participant(r: dict) -> dict[str, str]:
    if not r.get("staff_id") and not r.get("outside_name"):
        return {"staff_id": _("Choose a staff member or type the name of an invited person.")}
    if r.get("staff_id") and (r.get("outside_name") or r.get("outside_position")):
        return {"outside_name": _("Either a staff member or an invited person: clear one of them.")}
    return {}


PARTICIPANT = register(
    RecordType(
        name="meeting_participant",
        table="meeting_participant",
        title=N_("Participant"),
        plural=N_("Participants"),
        fields=(
            Field("meeting_id", N_("Meeting"), Kind.REF, required=True, ref="meeting"),
            Field("staff_id", N_("Staff member"), Kind.REF, ref="staff"),
            Field(
                "outside_name",
                N_("Invited person (full name)"),
                max_length=150,
                placeholder=N_("someone from outside the school, for example the curator"),
            ),
            Field(
                "outside_position",
                N_("Invited person's position"),
                max_length=300,
                placeholder=N_("for example: директор МБОУ «Гимназия № 2», куратор"),
            ),
            Field("present", N_("Present"), Kind.BOOL, default=1),
        ),
        display=lambda r: r.get("outside_name") or str(r.get("id", "")),
        order_by="meeting_id, id",
        parent="meeting_id",
        check=_check_participant,
    )
)

AGENDA_ITEM = register(
    RecordType(
        name="agenda_item",
        table="agenda_item",
        title=N_("Agenda item"),
        plural=N_("Agenda"),
        fields=(
            Field("meeting_id", N_("Meeting"), Kind.REF, required=True, ref="meeting"),
            Field("position", N_("No."), Kind.INT, required=True, minimum=1, maximum=99, default=1),
            Field("title", N_("Agenda item"), required=True, max_length=500),
            Field(
                "speaker",
                N_("Speaker"),
                max_length=200,
                placeholder=N_("for example: Иванова М. П., заместитель директора по УВР"),
            ),
            Field("heard", N_("Heard (what was reported)"), Kind.LONGTEXT, max_length=8000),
        ),
        display=lambda r: f"{r.get('position', '')}. {r.get('title', '')}",
        order_by="meeting_id, position, id",
        parent="meeting_id",
        show_id=False,
    )
)


def _check_decision(r: dict) -> dict[str, str]:
    errors = {}
    if r.get("status") == "done" and not r.get("done_on"):
        errors["done_on"] = _("A done decision needs the date it was done.")
    if r.get("done_on") and r.get("status") != "done":
        errors["status"] = _("A decision with a date done is done.")
    return errors


DECISION = register(
    RecordType(
        name="decision",
        table="decision",
        title=N_("Decision"),
        plural=N_("Decisions"),
        fields=(
            Field("meeting_id", N_("Meeting"), Kind.REF, required=True, ref="meeting"),
            Field(
                "agenda_item_id",
                N_("Agenda item"),
                Kind.REF,
                ref="agenda_item",
                scope="meeting_id",
                in_list=False,
            ),
            Field("position", N_("No."), Kind.INT, required=True, minimum=1, maximum=99, default=1),
            Field("text", N_("Decision"), Kind.LONGTEXT, required=True, max_length=1000),
            Field("owner_id", N_("Responsible"), Kind.REF, ref="staff"),
            Field(
                "owner_text",
                N_("Responsible (as worded)"),
                max_length=300,
                placeholder=N_("for example: классные руководители"),
            ),
            Field("due_date", N_("Due"), Kind.DATE),
            Field("status", N_("Status"), Kind.CHOICE, required=True, choices=DECISION_STATUSES, default="open"),
            Field("done_on", N_("Done on"), Kind.DATE),
            Field("note", N_("Note"), Kind.LONGTEXT, max_length=2000, in_list=False),
        ),
        display=lambda r: r.get("text") or "",
        order_by="meeting_id, position, id",
        parent="meeting_id",
        check=_check_decision,
    )
)

# ---- form-only types: what a dialog asks, validated like any record, never saved as such -------------------

HOLD = RecordType(
    name="meeting_hold",
    table="",
    title=N_("Hold the meeting"),
    plural=N_("Hold the meeting"),
    fields=(
        Field("number", N_("Minutes No."), Kind.INT, required=True, minimum=1, maximum=999),
        Field("date", N_("Date held"), Kind.DATE, required=True),
        Field("time", N_("Time"), max_length=20, placeholder=N_("hh:mm, for example 14:30")),
        Field("place", N_("Place or format"), max_length=300),
        Field("chair_id", N_("Chair"), Kind.REF, ref="staff"),
        Field("secretary_id", N_("Secretary"), Kind.REF, ref="staff"),
        Field("add_working_group", N_("Add the working group members as participants"), Kind.BOOL),
        Field("add_curator", N_("Add the curator as a participant"), Kind.BOOL),
    ),
    display=lambda r: str(r.get("number") or ""),
)

SERIES = RecordType(
    name="meeting_series",
    table="",
    title=N_("Plan a series of meetings"),
    plural=N_("Plan a series of meetings"),
    fields=(
        Field("kind_id", N_("Kind of meeting"), Kind.REF, required=True, ref="meeting_kind"),
        Field(
            "dates",
            N_("Dates"),
            required=True,
            max_length=1000,
            placeholder=N_("for example: 25.09.2026, 23.10.2026, 11.12.2026"),
        ),
        Field("time", N_("Time"), max_length=20, placeholder=N_("hh:mm, for example 14:30")),
        Field("place", N_("Place or format"), max_length=300),
    ),
    display=lambda r: r.get("dates") or "",
)

# ---- views: how the pages list computed rows (declared like records, never saved as such) ------------------

MEETING_ROW = RecordType(
    name="meeting_row",
    table="meeting",
    title=N_("Meeting"),
    plural=N_("Meetings"),
    fields=(
        Field("number", N_("Minutes No."), Kind.INT),
        Field("date", N_("Date"), Kind.DATE),
        Field("time", N_("Time")),
        Field("kind_id", N_("Kind of meeting"), Kind.REF, ref="meeting_kind"),
        Field("status", N_("Status"), Kind.CHOICE, choices=MEETING_STATUSES),
        Field("place", N_("Place or format")),
        Field("decisions", N_("Decisions")),
        Field("academic_year_id", N_("Academic year"), Kind.REF, ref="academic_year"),
    ),
    display=meeting_label,
)

PARTICIPANT_ROW = RecordType(
    name="participant_row",
    table="meeting_participant",
    title=N_("Participant"),
    plural=N_("Participants"),
    fields=(
        Field("name", N_("Participant")),
        Field("position", N_("Position")),
        Field("present", N_("Present"), Kind.BOOL),
    ),
    display=lambda r: r.get("name") or "",
    show_id=False,
)

# An open decision past its due date reads "overdue" in the lists' status column (computed, never stored).
DECISION_STATES = (*DECISION_STATUSES, ("overdue", N_("overdue")))

_DECISION_COLUMNS = (
    Field("position", N_("No."), Kind.INT),
    Field("text", N_("Decision")),
    Field("owner", N_("Responsible")),
    Field("due_date", N_("Deadline"), Kind.DATE),
    Field("state", N_("Status"), Kind.CHOICE, choices=DECISION_STATES),
    Field("done_on", N_("Done on"), Kind.DATE),
    Field("measure", N_("In the roadmap")),
)

DECISION_ROW = RecordType(  # decisions across all meetings
    name="decision_row",
    table="decision",
    title=N_("Decision"),
    plural=N_("Decisions"),
    fields=(Field("meeting", N_("Minutes")), *_DECISION_COLUMNS[1:]),
    display=lambda r: r.get("text") or "",
    show_id=False,
)

MEETING_DECISION_ROW = RecordType(  # the decisions of one meeting
    name="meeting_decision_row",
    table="decision",
    title=N_("Decision"),
    plural=N_("Decisions"),
    fields=_DECISION_COLUMNS,
    display=lambda r: r.get("text") or "",
    show_id=False,
)


# ---- meetings ----------------------------------------------------------------------------------------------


def _missing(record_id: int | None) -> ValidationError:
    return ValidationError({"": _("Meeting No. {id} does not exist.").format(id=record_id)})


def next_number(db: Database, academic_year_id: int) -> int:
    """The number the next held meeting of the academic year gets: one more than the highest so far."""
    found = db.execute("SELECT max(number) FROM meeting WHERE academic_year_id = ?", [academic_year_id])
    return (found.fetchone()[0] or 0) + 1


def _iso(value: object) -> str | None:
    try:
        return fmt.parse_date(str(value)) if value else None
    except ValueError:
        return None  # the record's own validation names the bad date


def save_meeting(db: Database, values: dict, record_id: int | None = None, today: dt.date | None = None) -> int:
    """Validate and write one meeting (one transaction); return its id.

    The academic year follows from the date. A held meeting keeps its number, or gets `values["number"]`
    when given, or the next free number of its year; a planned or cancelled one has none. A held meeting
    cannot be dated after `today`. Fields missing from `values` keep their stored values. Every problem is
    named at once (ValidationError), and nothing is written.
    """
    today = today or dt.date.today()
    stored = records.fetch(db, MEETING, record_id) if record_id is not None else None
    if record_id is not None and stored is None:
        raise _missing(record_id)
    merged = {**(stored or {}), **values}
    merged["time"] = normal_time(merged.get("time"))
    iso = _iso(merged.get("date"))
    errors: dict[str, str] = {}
    with transaction(db):  # the number is chosen and written under one write lock
        year = academic_year_on(db, dt.date.fromisoformat(iso)) if iso else None
        if iso and year is None:
            message = _("No academic year covers {date}. Add the academic year under School and team first.")
            errors["date"] = message.format(date=fmt.format_date(iso))
        merged["academic_year_id"] = year["id"] if year else None
        if merged.get("status") != "held":
            merged["number"] = None
        elif iso and iso > today.isoformat():
            errors["date"] = _("A held meeting cannot be dated in the future.")
        elif year:
            wanted = values.get("number")
            kept = stored and stored["status"] == "held" and stored["academic_year_id"] == year["id"]
            if wanted not in (None, ""):
                errors.update(_number_taken(db, year, wanted, record_id))
                merged["number"] = wanted
            else:
                merged["number"] = stored["number"] if kept and stored["number"] else next_number(db, year["id"])
        try:
            # a missing year is already named at the date; the record's own checks (the time…) still run
            records.validate(MEETING, {**merged, "academic_year_id": merged["academic_year_id"] or 0})
        except ValidationError as exc:
            errors = {**exc.errors, **errors}
        if errors:
            raise ValidationError(errors)
        return records.save(db, MEETING, merged, record_id)


def _number_taken(db: Database, year: dict, number: object, record_id: int | None) -> dict[str, str]:
    try:
        number = int(number)
    except (TypeError, ValueError):
        return {}  # validation names it
    other = db.execute(
        "SELECT id, date FROM meeting WHERE academic_year_id = ? AND number = ? AND id IS NOT ?",
        [year["id"], number, record_id],
    ).fetchone()
    if other is None:
        return {}
    message = _("Minutes No. {number} of {year} already exist (the meeting of {date}).")
    return {"number": message.format(number=number, year=year["name"], date=fmt.format_date(other[1]))}


def _holdable(db: Database, meeting_id: int) -> dict:
    """The meeting, if it can be held now; else ValidationError: unknown, already held or cancelled."""
    meeting = records.fetch(db, MEETING, meeting_id)
    if meeting is None:
        raise _missing(meeting_id)
    if meeting["status"] == "held":
        raise ValidationError(
            {"": _("This meeting is already held: minutes No. {number}.").format(number=meeting["number"])}
        )
    if meeting["status"] == "cancelled":
        message = _(
            "This meeting is marked as not taken place. If it did take place, set its status to scheduled first."
        )
        raise ValidationError({"status": message})
    return meeting


def hold(
    db: Database,
    meeting_id: int,
    *,
    number: int | None = None,
    date: str | None = None,
    time: str | None = None,
    place: str | None = None,
    chair_id: int | None = None,
    secretary_id: int | None = None,
    add_working_group: bool = False,
    add_curator: bool = False,
    today: dt.date | None = None,
) -> int:
    """A planned meeting becomes a held one: status held, the next minutes number of its academic year (or
    `number`), the actual date and people when given; the chair and the secretary become participants, and
    optionally the working group members and the current curator — one transaction. Returns the number.

    Refuses (ValidationError) an unknown, already held or cancelled meeting and a date in the future.
    """
    _holdable(db, meeting_id)
    values: dict = {"status": "held", "number": number}
    for key, value in (
        ("date", date),
        ("time", time),
        ("place", place),
        ("chair_id", chair_id),
        ("secretary_id", secretary_id),
    ):
        if value not in (None, ""):
            values[key] = value
    with transaction(db):
        save_meeting(db, values, meeting_id, today=today)
        held = records.fetch(db, MEETING, meeting_id)
        listed = {p["staff_id"] for p in rows(db, PARTICIPANT, {"meeting_id": meeting_id})}
        for staff_id in (held["chair_id"], held["secretary_id"]):  # they were there: the minutes say so
            if staff_id and staff_id not in listed:
                records.save(db, PARTICIPANT, {"meeting_id": meeting_id, "staff_id": staff_id, "present": 1})
                listed.add(staff_id)
        if add_working_group:
            add_working_group_members(db, meeting_id)
        if add_curator:
            add_curator_participant(db, meeting_id)
    return records.fetch(db, MEETING, meeting_id)["number"]


def hold_defaults(db: Database, meeting_id: int, today: dt.date | None = None) -> dict:
    """What the hold form starts with: the next number, the planned date (today if that is still ahead), the
    planned people or the working group's head and secretary, and whom to add as participants."""
    today = today or dt.date.today()
    meeting = _holdable(db, meeting_id)
    roles = _group_roles(db)
    people = rows(db, PARTICIPANT, {"meeting_id": meeting_id})
    return {
        "number": next_number(db, meeting["academic_year_id"]),
        "date": min(meeting["date"], today.isoformat()),
        "time": meeting["time"],
        "place": meeting["place"],
        "chair_id": meeting["chair_id"] or roles.get("head"),
        "secretary_id": meeting["secretary_id"] or roles.get("secretary"),
        "add_working_group": not any(p["staff_id"] for p in people),
        "add_curator": _curator_usual(db, meeting) and not any(p["outside_name"] for p in people),
    }


def _group_roles(db: Database) -> dict[str, int]:
    """Working group role → staff id (the head, the deputy, the secretary; a member)."""
    return {r["role"]: r["staff_id"] for r in reversed(rows(db, WORKING_GROUP_MEMBER))}


def new_meeting_defaults(db: Database) -> dict:
    """What the form of a new meeting starts with: planned, chaired by the working group's head, with its
    secretary."""
    roles = _group_roles(db)
    return {"status": "planned", "chair_id": roles.get("head"), "secretary_id": roles.get("secretary")}


def _curator_usual(db: Database, meeting: dict) -> bool:
    """Whether the curator takes part in meetings of this kind: yes, unless the last held one went without."""
    if active_curator(db) is None:
        return False
    last = db.execute(
        "SELECT id FROM meeting WHERE kind_id IS ? AND status = 'held' AND id != ? ORDER BY date DESC LIMIT 1",
        [meeting["kind_id"], meeting["id"]],
    ).fetchone()
    if last is None:
        return True
    found = db.execute(
        "SELECT 1 FROM meeting_participant WHERE meeting_id = ? AND outside_name IS NOT NULL", [last[0]]
    ).fetchone()
    return found is not None


def hold_from_form(db: Database, meeting_id: int, values: dict, today: dt.date | None = None) -> int:
    """Hold with what the HOLD form holds (validated like any record); returns the minutes number."""
    clean = records.validate(HOLD, {**values, "time": normal_time(values.get("time"))})
    return hold(
        db,
        meeting_id,
        number=clean["number"],
        date=clean["date"],
        time=clean["time"],
        place=clean["place"],
        chair_id=clean["chair_id"],
        secretary_id=clean["secretary_id"],
        add_working_group=bool(clean["add_working_group"]),
        add_curator=bool(clean["add_curator"]),
        today=today,
    )


def plan_series(
    db: Database, kind_id: int, dates: Iterable[str], time: str | None = None, place: str | None = None
) -> list[int]:
    """Planned meetings of one kind on each of `dates` (ISO or дд.мм.гггг), in one transaction; dates that
    already have a meeting of this kind are skipped. Returns the ids of the meetings made."""
    made = []
    with transaction(db):
        for day in dates:
            iso = _iso(day)
            twin = iso and db.execute("SELECT 1 FROM meeting WHERE kind_id = ? AND date = ?", [kind_id, iso])
            if twin and twin.fetchone():
                continue
            made.append(
                save_meeting(db, {"kind_id": kind_id, "date": day, "time": time, "place": place, "status": "planned"})
            )
    return made


def plan_series_from_form(db: Database, values: dict) -> list[int]:
    """Plan with what the SERIES form holds: dates typed as дд.мм.гггг, separated by commas or spaces."""
    clean = records.validate(SERIES, {**values, "time": normal_time(values.get("time"))})
    dates = []
    for text in _DATE_SEPARATORS.split(clean["dates"].strip()):
        try:
            iso = fmt.parse_date(text)
        except ValueError:
            raise ValidationError(
                {
                    "dates": _("“{text}” is not a date: type the dates as dd.mm.yyyy, separated by commas.").format(
                        text=text
                    )
                }
            ) from None
        if academic_year_on(db, dt.date.fromisoformat(iso)) is None:
            raise ValidationError(
                {
                    "dates": _(
                        "No academic year covers {date}. Add the academic year under School and team first."
                    ).format(date=fmt.format_date(iso))
                }
            )
        dates.append(iso)
    if clean["time"] and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", clean["time"]):
        raise ValidationError({"time": _("Type the time as hh:mm, for example 14:30.")})
    made = plan_series(db, clean["kind_id"], sorted(set(dates)), clean["time"], clean["place"])
    if not made:
        raise ValidationError({"dates": _("Every one of these dates already has a meeting of this kind.")})
    return made


def meeting_rows(db: Database, academic_year_id: int | None = None) -> list[dict]:
    """Meetings in date order with a word on their decisions: '4' or '4, open: 1'."""
    counts = {
        mid: (total, still)
        for mid, total, still in db.execute(
            "SELECT meeting_id, count(*), sum(status = 'open') FROM decision GROUP BY meeting_id"
        )
    }
    out = []
    for m in rows(db, MEETING, {"academic_year_id": academic_year_id} if academic_year_id else None):
        total, still = counts.get(m["id"], (0, 0))
        m["decisions"] = (
            "" if not total else str(total) if not still else _("{total}, open: {open}").format(total=total, open=still)
        )
        out.append(m)
    return out


def upcoming(db: Database, today: dt.date | None = None) -> list[dict]:
    """Planned meetings from `today` on, the nearest first: the curator's visit plan."""
    return _planned_from(meeting_rows(db), (today or dt.date.today()).isoformat())


def _planned_from(meetings: list[dict], day: str) -> list[dict]:
    """The planned ones of `meetings` on `day` (ISO) or later, the nearest first."""
    ahead = [m for m in meetings if m["status"] == "planned" and m["date"] >= day]
    return sorted(ahead, key=lambda m: (m["date"], m["time"] or ""))


# ---- participants ------------------------------------------------------------------------------------------


def active_curator(db: Database) -> dict | None:
    return next((c for c in rows(db, CURATOR) if c["active"]), None)


def curator_position(curator: dict) -> str:
    """'куратор, директор МБОУ «Гимназия № 2»' — how the minutes name the curator's position."""
    position = curator.get("position") or ""
    position = position[:1].lower() + position[1:]
    school = curator.get("curator_school") or ""
    text = _("curator, {position} {school}").format(position=position, school=school)
    return " ".join(text.split())


def save_participant(db: Database, values: dict, record_id: int | None = None) -> int:
    """Validate and write one participant; the same staff member or invited person is not listed twice."""
    stored = records.fetch(db, PARTICIPANT, record_id) if record_id is not None else None
    merged = {**(stored or {}), **values}
    clean = records.validate(PARTICIPANT, merged)
    if clean["staff_id"]:
        twin = db.execute(
            "SELECT 1 FROM meeting_participant WHERE meeting_id = ? AND staff_id = ? AND id IS NOT ?",
            [clean["meeting_id"], clean["staff_id"], record_id],
        ).fetchone()
        field, name = "staff_id", records.Lookups(db).name("staff", clean["staff_id"])
    else:
        twin = db.execute(
            "SELECT 1 FROM meeting_participant WHERE meeting_id = ? AND outside_name = ? AND id IS NOT ?",
            [clean["meeting_id"], clean["outside_name"], record_id],
        )
        twin = twin.fetchone()
        field, name = "outside_name", clean["outside_name"]
    if twin:
        raise ValidationError({field: _("{name} is already among the participants.").format(name=name)})
    return records.save(db, PARTICIPANT, merged, record_id)


def add_working_group_members(db: Database, meeting_id: int) -> int:
    """Every working group member not yet listed becomes a participant (present); returns how many."""
    have = {p["staff_id"] for p in rows(db, PARTICIPANT, {"meeting_id": meeting_id})}
    added = 0
    with transaction(db):
        for member in rows(db, WORKING_GROUP_MEMBER):
            if member["staff_id"] not in have:
                records.save(db, PARTICIPANT, {"meeting_id": meeting_id, "staff_id": member["staff_id"], "present": 1})
                added += 1
    return added


def add_curator_participant(db: Database, meeting_id: int) -> int:
    """The current curator as an invited participant (present), unless already listed; returns its id.

    Raises ValidationError when no current curator is entered under School and team.
    """
    curator = active_curator(db)
    if curator is None:
        raise ValidationError({"": _("No current curator is entered. Add one under School and team.")})
    found = db.execute(
        "SELECT id FROM meeting_participant WHERE meeting_id = ? AND outside_name = ?",
        [meeting_id, curator["full_name"]],
    ).fetchone()
    if found:
        return found[0]
    return records.save(
        db,
        PARTICIPANT,
        {
            "meeting_id": meeting_id,
            "outside_name": curator["full_name"],
            "outside_position": curator_position(curator),
            "present": 1,
        },
    )


def participant_rows(db: Database, meeting_id: int | None) -> list[dict]:
    """The participants of a meeting with name and position: staff from the registry, invited as typed."""
    if meeting_id is None:
        return []
    staff = {s["id"]: s for s in rows(db, records.record_type("staff"))}
    lookups = records.Lookups(db)
    out = []
    for p in rows(db, PARTICIPANT, {"meeting_id": meeting_id}):
        person = staff.get(p["staff_id"])
        if person:
            p["name"], p["position"] = (
                lookups.name("staff", p["staff_id"]),
                lookups.name("position", person["position_id"]),
            )
            p["short_name"] = short_name(person)
        else:
            p["name"], p["position"], p["short_name"] = (
                p["outside_name"],
                p["outside_position"] or "",
                p["outside_name"],
            )
        out.append(p)
    return out


def set_presence(db: Database, participant_ids: list[int], present: bool) -> None:
    """Mark several participants present or absent at once (one transaction)."""
    with transaction(db):
        for participant_id in participant_ids:
            records.save(db, PARTICIPANT, {"present": 1 if present else 0}, participant_id)


# ---- agenda and decisions ----------------------------------------------------------------------------------


def next_position(db: Database, rtype: RecordType, meeting_id: int | None) -> int:
    """The position a new agenda item or decision of the meeting takes: after the last one."""
    if meeting_id is None:
        return 1
    found = db.execute(f"SELECT max(position) FROM [{rtype.table}] WHERE meeting_id = ?", [meeting_id])
    return min(99, (found.fetchone()[0] or 0) + 1)


def new_decision_defaults(db: Database, meeting_id: int | None) -> dict:
    """A new decision of the meeting: after the last one, on the first agenda item still without decisions
    (else the last item), open."""
    if meeting_id is None:
        return {}
    items = rows(db, AGENDA_ITEM, {"meeting_id": meeting_id})
    decided = {d["agenda_item_id"] for d in rows(db, DECISION, {"meeting_id": meeting_id})}
    item = next((i for i in items if i["id"] not in decided), items[-1] if items else None)
    return {
        "position": next_position(db, DECISION, meeting_id),
        "status": "open",
        "agenda_item_id": item["id"] if item else None,
    }


def save_decision(db: Database, values: dict, record_id: int | None = None, today: dt.date | None = None) -> int:
    """Validate and write one decision (one transaction); return its id.

    A done decision without a date done is done today; the due date and the date done cannot be before the
    meeting, nor the date done after `today`; a new decision without a position goes after the last one.
    """
    today = today or dt.date.today()
    stored = records.fetch(db, DECISION, record_id) if record_id is not None else None
    if record_id is not None and stored is None:
        raise ValidationError({"": _("The record no longer exists.")})
    merged = {**(stored or {}), **values}
    if merged.get("status") == "done" and not merged.get("done_on"):
        merged["done_on"] = today.isoformat()
    if merged.get("position") in (None, "") and record_id is None:
        merged["position"] = next_position(db, DECISION, _int(merged.get("meeting_id")))
    clean = records.validate(DECISION, merged)
    meeting = records.fetch(db, MEETING, clean["meeting_id"])
    if meeting is None:
        raise ValidationError({"meeting_id": _("Choose one of the listed values.")})
    errors = {}
    if clean["due_date"] and clean["due_date"] < meeting["date"]:
        errors["due_date"] = _("The due date is before the meeting ({date}).").format(
            date=fmt.format_date(meeting["date"])
        )
    if clean["done_on"] and clean["done_on"] < meeting["date"]:
        errors["done_on"] = _("The date done is before the meeting ({date}).").format(
            date=fmt.format_date(meeting["date"])
        )
    elif clean["done_on"] and clean["done_on"] > today.isoformat():
        errors["done_on"] = _("The date done cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    return records.save(db, DECISION, merged, record_id)


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def set_decision_status(
    db: Database,
    decision_ids: list[int],
    status: str,
    done_on: str | None = None,
    today: dt.date | None = None,
) -> None:
    """Change the status of several decisions at once (one transaction); done ones get today unless given."""
    if status not in dict(DECISION_STATUSES):
        raise ValidationError({"status": _("Choose one of the listed values.")})
    today = today or dt.date.today()
    with transaction(db):
        for decision_id in decision_ids:
            stored = records.fetch(db, DECISION, decision_id) or {}
            day = (done_on or stored.get("done_on") or today.isoformat()) if status == "done" else None
            save_decision(db, {"status": status, "done_on": day}, decision_id, today=today)


def is_overdue(decision: dict, today: dt.date) -> bool:
    return (
        decision.get("status") == "open" and bool(decision.get("due_date")) and decision["due_date"] < today.isoformat()
    )


def short_names(db: Database, ids: Iterable[int] | None = None) -> dict[int, str]:
    """Staff id → 'Иванова М. П.', as minutes and decision lists name people; with `ids`, of those staff only."""
    if ids is None:
        return {s["id"]: short_name(s) for s in rows(db, records.record_type("staff"))}
    out = {}
    for chunk in id_chunks(ids):
        sql = f"SELECT id, last_name, first_name, middle_name FROM staff WHERE id IN ({marks(chunk)})"
        found = db.dicts(sql, chunk)
        out.update((s["id"], short_name(s)) for s in found)
    return out


def owner_label(decision: dict, names: dict[int, str]) -> str:
    """The owner from the registry and/or as worded: 'Иванова М. П., классные руководители'."""
    parts = [names.get(decision.get("owner_id"), ""), decision.get("owner_text") or ""]
    return ", ".join(p for p in parts if p)


def decision_rows(
    db: Database,
    meeting_id: int | None = None,
    *,
    include_closed: bool = True,
    overdue_only: bool = False,
    today: dt.date | None = None,
) -> list[dict]:
    """Decisions with their meeting, owner, overdue flag and roadmap measure.

    Across all meetings (open first, by due date) or of one meeting (in their order); `include_closed=False`
    keeps the open ones only.
    """
    today = today or dt.date.today()
    meetings = {m["id"]: m for m in rows(db, MEETING, {"id": meeting_id} if meeting_id else None)}
    measures = {
        mid: title
        for mid, title in db.execute("SELECT m.id, m.title FROM measure m JOIN decision d ON d.measure_id = m.id")
    }
    found = rows(db, DECISION, {"meeting_id": meeting_id} if meeting_id else None)
    if not include_closed:
        found = [d for d in found if d["status"] == "open"]
    names = short_names(db, (d["owner_id"] for d in found if d.get("owner_id") is not None))  # only the owners
    out = []
    for d in found:
        d["overdue"] = is_overdue(d, today)
        d["state"] = "overdue" if d["overdue"] else d["status"]
        if overdue_only and not d["overdue"]:
            continue
        meeting = meetings.get(d["meeting_id"], {})
        d["meeting"] = minutes_label(meeting) if meeting else ""
        d["meeting_date"] = meeting.get("date")
        d["meeting_number"] = meeting.get("number")
        d["owner"] = owner_label(d, names)
        d["measure"] = measures.get(d["measure_id"], "")
        out.append(d)
    if meeting_id is None:
        out.sort(
            key=lambda d: (
                d["status"] != "open",
                d["due_date"] or "9999",
                d["meeting_date"] or "",
                d["position"],
            )
        )
    return out


# ---- the roadmap -------------------------------------------------------------------------------------------


def decision_to_measure(db: Database, decision_id: int, program_id: int) -> int:
    """The decision becomes a measure of the program's roadmap — its text, owner as responsible, due date,
    the meeting's date as start — and the decision points to it; one transaction. Returns the measure id.

    Refuses (ValidationError) an unknown decision or program, a cancelled decision, one already in the
    roadmap, and a decision of a meeting that has not been held.
    """
    decision = records.fetch(db, DECISION, decision_id)
    if decision is None:
        raise ValidationError({"": _("The record no longer exists.")})
    program = records.fetch(db, records.record_type("program"), program_id)
    if program is None:
        raise ValidationError({"": _("Program No. {id} does not exist.").format(id=program_id)})
    if decision["measure_id"]:
        title = records.Lookups(db).name("measure", decision["measure_id"])
        message = _("The decision is already in the roadmap: “{title}”.")
        raise ValidationError({"": message.format(title=title)})
    if decision["status"] == "cancelled":
        raise ValidationError({"": _("A cancelled decision does not go to the roadmap.")})
    meeting = records.fetch(db, MEETING, decision["meeting_id"])
    if meeting["status"] != "held":
        raise ValidationError({"": _("Decisions go to the roadmap once their meeting is held.")})
    position = db.execute("SELECT max(position) FROM measure WHERE program_id = ?", [program_id])
    position = position.fetchone()[0]
    with transaction(db):
        measure_id = records.save(
            db,
            MEASURE,
            {
                "program_id": program_id,
                "position": min(9999, (position or 0) + 1),
                "title": decision["text"],
                "description": decision_label(meeting),
                "start_date": meeting["date"] if (decision["due_date"] or "9999") >= meeting["date"] else None,
                "due_date": decision["due_date"],
                "responsible": [decision["owner_id"]] if decision["owner_id"] else [],
                "responsible_text": decision["owner_text"],
                "status": "done" if decision["status"] == "done" else "planned",
                "done_on": decision["done_on"] if decision["status"] == "done" else None,
            },
        )
        db.execute("UPDATE decision SET measure_id = ? WHERE id = ?", [measure_id, decision_id])
    return measure_id


def decision_label(meeting: dict) -> str:
    """'Решение протокола № 3 от 15.10.2026' — where a decision comes from, as the measure side shows it."""
    date = fmt.format_date(meeting.get("date"))
    if meeting.get("number"):
        return _("Decision of the minutes No. {number} of {date}").format(number=meeting["number"], date=date)
    return _("Decision of the meeting of {date}").format(date=date)


def decisions_for_measure(db: Database, measure_id: int) -> list[dict]:
    """The decisions that became this measure, with their meeting and `label` ('Решение протокола № N')."""
    out = []
    for d in rows(db, DECISION, {"measure_id": measure_id}):
        meeting = records.fetch(db, MEETING, d["meeting_id"]) or {}
        out.append(
            {
                **d,
                "meeting_number": meeting.get("number"),
                "meeting_date": meeting.get("date"),
                "label": decision_label(meeting),
            }
        )
    return out


# ---- the Home page -----------------------------------------------------------------------------------------


def schedule(db: Database, today: dt.date | None = None) -> dict:
    """Where the plan stands: `next_meeting` (the nearest planned one from today, a MEETING_ROW dict, or
    None) and `not_recorded` (planned meetings whose date has passed — to hold or cancel, oldest first)."""
    today = today or dt.date.today()
    every = meeting_rows(db)  # read once for both
    ahead = _planned_from(every, today.isoformat())
    past = [m for m in every if m["status"] == "planned" and m["date"] < today.isoformat()]
    return {"next_meeting": ahead[0] if ahead else None, "not_recorded": past}


def attention(db: Database, today: dt.date | None = None) -> dict:
    """For the Home page: `next_meeting` and `not_recorded` as in `schedule`, and `open_decisions` and
    `overdue_decisions` (DECISION_ROW dicts, the nearest due date first)."""
    today = today or dt.date.today()
    open_ones = decision_rows(db, include_closed=False, today=today)
    return {
        **schedule(db, today),
        "open_decisions": open_ones,
        "overdue_decisions": [d for d in open_ones if d["overdue"]],
    }
