"""Individual learning routes (ИОМ) of pupils and teachers (seed 000 #17, #23; seed 002 #24, #35; seed 003
"Формирование индивидуальных маршрутов ликвидации предметных дефицитов" and "Мониторинг эффективности
реализации индивидуальных маршрутов").

A route is one row of `learning_route`: a pupil's (kind 'student') or a teacher's (kind 'teacher') — two record
types over one table. Steps and checkpoints belong to either.

Rules worth knowing:
- Write routes, steps and checkpoints through `save_route`, `save_step` and `save_checkpoint` (`save_record` is
  the same as a form's writer): they check what needs the database — a checkpoint inside the route's period and
  within the route's range, no new steps on a cancelled or completed route, a due date inside the period.
- A completed route has an outcome (achieved / partly / not achieved) and a note; `complete_route` closes one.
- "Needs revision" and "overdue" are computed, never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from models import assessments, fmt, metrics, records
from models.databank import DATABANK_ENTRY, class_name
from models.db import Database, id_chunks, marks, transaction
from models.i18n import N_, _
from models.programs import PD_COURSE
from models.records import Field, Kind, RecordType, ValidationError, register, rows
from models.school import STAFF, STUDENT, full_name

ROUTE_STATUSES = (
    ("draft", N_("draft")),
    ("active", N_("under way")),
    ("completed", N_("finished")),
    ("cancelled", N_("called off")),
)
OUTCOMES = (
    ("achieved", N_("achieved")),
    ("partly", N_("partly achieved")),
    ("not_achieved", N_("not achieved")),
)
CLOSED = ("completed", "cancelled")  # no new steps on these
TARGET_SHARE = 0.7  # the target when the assessment has no threshold for the mark 4
LIMIT_FACTOR = 10  # without a known maximum, a checkpoint above ten times the target is a typing error


class RouteError(Exception):
    """A route cannot be made, found or printed; the message is translated, one sentence for the user."""


def _label(choices, value) -> str:
    return next((_(label) for v, label in choices if v == value), "")


def status_label(status: str | None) -> str:
    return _label(ROUTE_STATUSES, status)


def outcome_label(outcome: str | None) -> str:
    return _label(OUTCOMES, outcome)


def _check_route(r: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if r.get("start_date") and r.get("end_date") and r["end_date"] < r["start_date"]:
        errors["end_date"] = _("The end date is before the start date.")
    if r.get("status") == "completed":
        if not r.get("outcome"):
            errors["outcome"] = _("A completed route needs its outcome: achieved, partly achieved or not achieved.")
        if not (r.get("outcome_note") or "").strip():
            errors["outcome_note"] = _("Say in a few words what the outcome rests on.")
    elif r.get("outcome"):
        errors["outcome"] = _("Only a completed route has an outcome.")
    for name in ("baseline", "target"):
        if r.get(name) is not None and r[name] < 0:
            errors[name] = _("A result cannot be negative.")
    return errors


def _check_teacher_route(r: dict) -> dict[str, str]:
    errors = _check_route(r)
    if r.get("mentor_id") and r["mentor_id"] == r.get("teacher_id"):
        errors["mentor_id"] = _("The mentor is another teacher.")
    return errors


# ---- declarations ----------------------------------------------------------------------------------------------

LEARNING_ROUTE = register(
    RecordType(  # either kind, as the steps and checkpoints refer to it
        name="learning_route",
        table="learning_route",
        title=N_("Learning route"),
        plural=N_("Learning routes"),
        fields=(
            Field("kind", N_("Kind"), required=True),
            Field("status", N_("Status"), Kind.CHOICE, required=True, choices=ROUTE_STATUSES),
        ),
        display=lambda r: _("Route No. {id}").format(id=r.get("id", "")),
    )
)

STUDENT_ROUTE = register(
    RecordType(
        name="student_route",
        table="learning_route",
        title=N_("Pupil's learning route"),
        plural=N_("Pupils' learning routes"),
        fields=(
            Field("student_id", N_("Pupil"), Kind.REF, required=True, ref="student"),
            Field("subject_id", N_("Subject"), Kind.REF, ref="subject"),
            Field("goal", N_("Goal"), Kind.LONGTEXT, max_length=2000, in_list=False),
            Field("deficits", N_("Deficits addressed"), Kind.LONGTEXT, max_length=4000, in_list=False),
            Field("start_date", N_("Start"), Kind.DATE, required=True),
            Field("end_date", N_("End"), Kind.DATE, required=True),
            Field("responsible_id", N_("Responsible teacher"), Kind.REF, ref="staff"),
            Field(
                "participants",
                N_("Participants"),
                max_length=500,
                in_list=False,
                placeholder=N_("for example: class teacher, psychologist, parents"),
            ),
            Field("consent_on", N_("Parents' consent given on"), Kind.DATE, in_list=False),
            Field("baseline", N_("Baseline"), Kind.NUMBER, minimum=-1e6, maximum=1e6, in_list=False),
            Field("target", N_("Target"), Kind.NUMBER, minimum=-1e6, maximum=1e6, in_list=False),
            Field("status", N_("Status"), Kind.CHOICE, required=True, choices=ROUTE_STATUSES, default="draft"),
            Field("outcome", N_("Outcome of the route"), Kind.CHOICE, choices=OUTCOMES),
            Field("outcome_note", N_("Outcome note"), Kind.LONGTEXT, max_length=2000, in_list=False),
            # where the route came from; set when it is made, not typed (the pages keep them out of the form)
            Field("databank_entry_id", N_("Databank entry"), Kind.REF, ref="databank_entry", in_list=False),
            Field("assessment_id", N_("Assessment"), Kind.REF, ref="assessment", in_list=False),
        ),
        display=lambda r: _("Route No. {id}").format(id=r.get("id", "")),
        order_by="start_date DESC, id DESC",
        fixed={"kind": "student"},
        check=_check_route,
    )
)

TEACHER_ROUTE = register(
    RecordType(
        name="teacher_route",
        table="learning_route",
        title=N_("Teacher's learning route"),
        plural=N_("Teachers' learning routes"),
        fields=(
            Field("teacher_id", N_("Teacher"), Kind.REF, required=True, ref="staff"),
            Field(
                "deficits",
                N_("Professional deficits"),
                Kind.LONGTEXT,
                max_length=4000,
                placeholder=N_("from a diagnostic or a self-assessment"),
            ),
            Field("goal", N_("Goal"), Kind.LONGTEXT, max_length=2000, in_list=False),
            Field("start_date", N_("Start"), Kind.DATE, required=True),
            Field("end_date", N_("End"), Kind.DATE, required=True),
            Field("mentor_id", N_("Mentor"), Kind.REF, ref="staff"),
            Field("status", N_("Status"), Kind.CHOICE, required=True, choices=ROUTE_STATUSES, default="draft"),
            Field("outcome", N_("Outcome of the route"), Kind.CHOICE, choices=OUTCOMES),
            Field("outcome_note", N_("Outcome note"), Kind.LONGTEXT, max_length=2000, in_list=False),
        ),
        display=lambda r: _("Route No. {id}").format(id=r.get("id", "")),
        order_by="start_date DESC, id DESC",
        fixed={"kind": "teacher"},
        check=_check_teacher_route,
    )
)


ROUTE_STEP = register(
    RecordType(
        name="route_step",
        table="route_step",
        title=N_("Route step"),
        plural=N_("Route steps"),
        fields=(
            Field("route_id", N_("Learning route"), Kind.REF, required=True, ref="learning_route"),
            Field("topic", N_("Deficit or topic"), required=True, max_length=500),
            Field("work_form_id", N_("Form of work"), Kind.REF, ref="work_form"),
            Field("due_date", N_("Due"), Kind.DATE),
            Field(
                "control_form",
                N_("Control form"),
                max_length=300,
                in_list=False,
                placeholder=N_("for example: a short test, an oral answer"),
            ),
            Field("done_on", N_("Done on"), Kind.DATE),
            Field("result", N_("Result"), Kind.LONGTEXT, max_length=2000),
        ),
        display=lambda r: r.get("topic") or "",
        order_by="route_id, due_date IS NULL, due_date, id",
        parent="route_id",
        show_id=False,  # a step is known by its topic; its number would mean nothing to a teacher
    )
)


def _check_checkpoint(r: dict) -> dict[str, str]:
    return {"value": _("A result cannot be negative.")} if r.get("value") is not None and r["value"] < 0 else {}


ROUTE_CHECKPOINT = register(
    RecordType(
        name="route_checkpoint",
        table="route_checkpoint",
        title=N_("Checkpoint"),
        plural=N_("Checkpoints"),
        fields=(
            Field("route_id", N_("Learning route"), Kind.REF, required=True, ref="learning_route"),
            Field("date", N_("Date"), Kind.DATE, required=True),
            Field("value", N_("Score"), Kind.NUMBER, required=True, minimum=-1e6, maximum=1e6),
            Field("note", N_("Note"), max_length=500),
        ),
        display=lambda r: fmt.format_number(r.get("value")),
        order_by="route_id, date, id",
        parent="route_id",
        check=_check_checkpoint,
        show_id=False,
    )
)

COMPLETION = RecordType(  # the "Complete…" dialog; never saved as such
    name="route_completion",
    table="",
    title=N_("Complete the route"),
    plural=N_("Complete the route"),
    fields=(
        Field("outcome", N_("Outcome of the route"), Kind.CHOICE, required=True, choices=OUTCOMES),
        Field(
            "outcome_note",
            N_("Outcome note"),
            Kind.LONGTEXT,
            required=True,
            max_length=2000,
            placeholder=N_("what the last control work showed, what is left to do"),
        ),
        Field("closed_on", N_("Completed on"), Kind.DATE, required=True),
    ),
    display=lambda r: r.get("outcome") or "",
)


# ---- reading one route ---------------------------------------------------------------------------------------------


def fetch_route(db: Database, route_id: int) -> dict | None:
    """The stored route of either kind, or None."""
    return records.fetch(db, LEARNING_ROUTE, route_id)


def _need_route(db: Database, route_id: int) -> dict:
    route = fetch_route(db, route_id)
    if route is None:
        raise RouteError(_("There is no learning route No. {id}.").format(id=route_id))
    return route


def route_type(route: dict) -> RecordType:
    return STUDENT_ROUTE if route["kind"] == "student" else TEACHER_ROUTE


def maximum_score(db: Database, route: dict) -> float | None:
    """The most a checkpoint can show: the maximum score of the route's assessment, when it has one."""
    found = records.fetch(db, assessments.ASSESSMENT, route["assessment_id"]) if route.get("assessment_id") else None
    return assessments.max_total(db, found) if found else None


def checkpoints(db: Database, route_id: int) -> list[dict]:
    return rows(db, ROUTE_CHECKPOINT, {"route_id": route_id})


def steps(db: Database, route_id: int) -> list[dict]:
    return rows(db, ROUTE_STEP, {"route_id": route_id})


def period_label(start: str | None, end: str | None) -> str:
    return " – ".join(x for x in (fmt.format_date(start), fmt.format_date(end)) if x)


# ---- the aim line ----------------------------------------------------------------------------------------------------


def aim(route: dict) -> tuple[tuple[str, float], tuple[str, float]] | None:
    """The planned progress: a straight line from (start, baseline) to (end, target), or None when unknown."""
    if None in (route.get("start_date"), route.get("end_date"), route.get("baseline"), route.get("target")):
        return None
    return (route["start_date"], route["baseline"]), (route["end_date"], route["target"])


def aim_value(route: dict, day: str) -> float | None:
    """Where the aim line stands on `day` (ISO); flat before the start and after the end."""
    line = aim(route)
    if line is None:
        return None
    (d0, v0), (d1, v1) = line
    first, last, at = (dt.date.fromisoformat(d).toordinal() for d in (d0, d1, day))
    share = 1.0 if last <= first else min(1.0, max(0.0, (at - first) / (last - first)))
    return v0 + (v1 - v0) * share


def needs_revision(route: dict, points: Iterable[dict]) -> bool:
    """True when the last three checkpoints all lie on the wrong side of the aim line (below it, when the target
    is above the baseline): the plan is not working and the route needs revising."""
    if aim(route) is None:
        return False
    last = sorted(points, key=lambda p: (p["date"], p.get("id") or 0))[-3:]
    if len(last) < 3:
        return False
    rising = route["target"] >= route["baseline"]
    return all(
        (p["value"] < aim_value(route, p["date"])) if rising else (p["value"] > aim_value(route, p["date"]))
        for p in last
    )


# ---- writing ---------------------------------------------------------------------------------------------------------


def _merged(db: Database, rtype: RecordType, values: dict, record_id: int | None) -> dict:
    """The record as it will be: the stored values under the given ones, converted and checked field by field."""
    if record_id is not None:
        stored = records.fetch(db, rtype, record_id)
        if stored is None:
            raise ValidationError({"": _("The record no longer exists.")})
        values = {**stored, **values}
    return records.validate(rtype, values)


def save_route(db: Database, rtype: RecordType, values: dict, record_id: int | None = None) -> int:
    """Save a pupil's or a teacher's route (one transaction); baseline and target stay within the assessment's
    maximum score when the route came from an assessment."""
    clean = _merged(db, rtype, values, record_id)
    if rtype is STUDENT_ROUTE:
        top = maximum_score(db, clean)
        errors = {
            name: _("At most {max}: the maximum score of the assessment.").format(max=fmt.format_number(top))
            for name in ("baseline", "target")
            if top is not None and (clean.get(name) or 0) > top
        }
        if errors:
            raise ValidationError(errors)
    return records.save(db, rtype, values, record_id)


def step_refusal(route: dict) -> str:
    """Why no step can be added to the route (it is cancelled or completed), or '' when one can."""
    if route["status"] == "cancelled":
        return _("The route is cancelled: no steps can be added to it.")
    if route["status"] == "completed":
        return _("The route is completed: no steps can be added to it.")
    return ""


def save_step(db: Database, values: dict, record_id: int | None = None, today: dt.date | None = None) -> int:
    """Save a route step (one transaction). Refused: a new step on a cancelled or completed route, a due date
    outside the route's period, a date done in the future or before the route began."""
    today = today or dt.date.today()
    clean = _merged(db, ROUTE_STEP, values, record_id)
    route = fetch_route(db, clean["route_id"])
    if route is None:
        raise ValidationError({"": _("The record no longer exists.")})
    refusal = step_refusal(route) if record_id is None else ""
    if refusal:
        raise ValidationError({"": refusal})
    errors = {}
    if clean["due_date"] and not (route["start_date"] <= clean["due_date"] <= route["end_date"]):
        errors["due_date"] = _("The due date must lie within the route's period, {period}.").format(
            period=period_label(route["start_date"], route["end_date"])
        )
    if clean["done_on"] and clean["done_on"] > today.isoformat():
        errors["done_on"] = _("The date done cannot be in the future.")
    elif clean["done_on"] and clean["done_on"] < route["start_date"]:
        errors["done_on"] = _("The date done is before the route began ({date}).").format(
            date=fmt.format_date(route["start_date"])
        )
    if errors:
        raise ValidationError(errors)
    return records.save(db, ROUTE_STEP, values, record_id)


def value_limit(db: Database, route: dict) -> tuple[float | None, str]:
    """The highest believable checkpoint and why: the assessment's maximum, else ten times the target."""
    top = maximum_score(db, route)
    if top is not None:
        return top, _("At most {max}: the maximum score of the assessment.").format(max=fmt.format_number(top))
    if route.get("target"):
        limit = LIMIT_FACTOR * route["target"]
        return limit, _("More than ten times the target ({target}): check the value.").format(
            target=fmt.format_number(route["target"])
        )
    return None, ""


def save_checkpoint(db: Database, values: dict, record_id: int | None = None, today: dt.date | None = None) -> int:
    """Save a dated result of the route (one transaction). Refused: a date outside the route's period or in the
    future, a negative value, a value above the route's maximum (see `value_limit`)."""
    today = today or dt.date.today()
    clean = _merged(db, ROUTE_CHECKPOINT, values, record_id)
    route = fetch_route(db, clean["route_id"])
    if route is None:
        raise ValidationError({"": _("The record no longer exists.")})
    errors = {}
    if not route["start_date"] <= clean["date"] <= route["end_date"]:
        errors["date"] = _("The date must lie within the route's period, {period}.").format(
            period=period_label(route["start_date"], route["end_date"])
        )
    elif clean["date"] > today.isoformat():
        errors["date"] = _("The date cannot be in the future.")
    limit, why = value_limit(db, route)
    if limit is not None and clean["value"] > limit:
        errors["value"] = why
    if errors:
        raise ValidationError(errors)
    return records.save(db, ROUTE_CHECKPOINT, values, record_id)


def save_record(db: Database, rtype: RecordType, values: dict, record_id: int | None = None) -> int:
    """The writer for a form of any route record type: the checks above, then `records.save`."""
    if rtype is ROUTE_STEP:
        return save_step(db, values, record_id)
    if rtype is ROUTE_CHECKPOINT:
        return save_checkpoint(db, values, record_id)
    if rtype in (STUDENT_ROUTE, TEACHER_ROUTE):
        return save_route(db, rtype, values, record_id)
    return records.save(db, rtype, values, record_id)


def complete_route(
    db: Database, route_id: int, outcome: str, note: str, closed_on: str | None = None, today: dt.date | None = None
) -> None:
    """Close a route under way with its outcome (achieved / partly / not achieved) and a note (one transaction).

    A route closed before its planned end ends on the day it was closed, so its period says how long it ran.
    """
    today = today or dt.date.today()
    route = _need_route(db, route_id)
    if route["status"] != "active":
        raise ValidationError(
            {
                "": _("Only a route under way can be completed; this one is {status}.").format(
                    status=status_label(route["status"])
                )
            }
        )
    closed_on = closed_on or today.isoformat()
    errors = {}
    if closed_on > today.isoformat():
        errors["closed_on"] = _("The date cannot be in the future.")
    elif closed_on < route["start_date"]:
        errors["closed_on"] = _("The route began on {date}; it cannot be completed before that.").format(
            date=fmt.format_date(route["start_date"])
        )
    else:
        last = max((p["date"] for p in checkpoints(db, route_id)), default=None)
        if last and closed_on < last:
            errors["closed_on"] = _(
                "The last checkpoint is dated {date}; the route cannot be completed before it."
            ).format(date=fmt.format_date(last))
    if errors:
        raise ValidationError(errors)
    values = {
        "status": "completed",
        "outcome": outcome,
        "outcome_note": note,
        "end_date": min(route["end_date"], closed_on),
    }
    with transaction(db):
        save_route(db, route_type(route), values, route_id)


def complete_from_form(db: Database, route_id: int, values: dict, today: dt.date | None = None) -> int:
    """Complete with what was typed into the COMPLETION form (checked like any record); returns the route id."""
    clean = records.validate(COMPLETION, values)
    complete_route(db, route_id, clean["outcome"], clean["outcome_note"], clean["closed_on"], today)
    return route_id


def mark_steps_done(db: Database, step_ids: Iterable[int], on: str | None = None, today: dt.date | None = None) -> int:
    """Mark steps done on `on` (today by default) in one transaction; steps already done keep their date.

    Only steps of routes under way; returns how many were marked.
    """
    today = today or dt.date.today()
    on = on or today.isoformat()
    marked = 0
    with transaction(db):
        for step_id in step_ids:
            step = records.fetch(db, ROUTE_STEP, step_id)
            if step is None or step["done_on"]:
                continue
            route = fetch_route(db, step["route_id"])
            if route["status"] != "active":
                raise ValidationError(
                    {
                        "": _("Steps are marked done only on a route under way; route No. {id} is {status}.").format(
                            id=route["id"], status=status_label(route["status"])
                        )
                    }
                )
            save_step(db, {"done_on": on}, step_id, today)
            marked += 1
    return marked


def delete_route(db: Database, route_id: int) -> None:
    """Delete a draft route with its steps and checkpoints; a route that has begun is cancelled instead."""
    route = _need_route(db, route_id)
    if route["status"] != "draft":
        raise RouteError(_("Only a draft route can be deleted; cancel this one instead (status “called off”)."))
    records.delete(db, LEARNING_ROUTE, route_id)


# ---- made in one action --------------------------------------------------------------------------------------------


def default_end(db: Database, start: dt.date) -> dt.date:
    """The end of the school term after the one under way on `start` (about four months), or 90 days later."""
    ends = [
        dt.date.fromisoformat(r[0])
        for r in db.execute(
            "SELECT end_date FROM term WHERE end_date >= ? ORDER BY end_date LIMIT 2", [start.isoformat()]
        )
    ]
    return ends[-1] if ends else start + dt.timedelta(days=90)


def spread_due_dates(start: dt.date, end: dt.date, n: int) -> list[str]:
    """Due dates of n steps spread over the period, the last well before the end (room for the final control)."""
    days = (end - start).days
    return [(start + dt.timedelta(days=round(days * i / (n + 1)))).isoformat() for i in range(1, n + 1)]


def assessment_label(db: Database, assessment_id: int | None) -> str:
    """'ВПР, Математика, 6А, 15.10.2026' — how an assessment is named in lists and messages."""
    found = records.fetch(db, assessments.ASSESSMENT, assessment_id) if assessment_id else None
    return assessments.describe(db, found) if found else ""


def assessment_choices(db: Database) -> list[tuple[int, str]]:
    """(id, label) of every assessment with results, the latest first, for the "From results…" dialog."""
    found = db.execute(
        "SELECT id FROM assessment WHERE id IN (SELECT assessment_id FROM assessment_result) "
        "ORDER BY date DESC, id DESC"
    ).fetchall()
    return [(r[0], assessment_label(db, r[0])) for r in found]


def _result(db: Database, assessment_id: int, student_id: int) -> dict | None:
    found = records.rows(db, assessments.ASSESSMENT_RESULT, {"assessment_id": assessment_id, "student_id": student_id})
    return found[0] if found else None


def pupil_deficits(db: Database, assessment_id: int, student_id: int) -> list[str]:
    """The skills of the tasks the pupil solved below half of their points, in task order (the rule of
    `models.assessments`, so the databank and the routes name the same deficits)."""
    return assessments.student_deficits(db, assessment_id, student_id)


def assessment_pupils(db: Database, assessment_id: int) -> list[tuple[int, str]]:
    """(pupil id, 'Иванов Иван (6А) — 7 of 20, deficits: 3') of everyone who wrote the assessment, weakest first."""
    assessment = records.fetch(db, assessments.ASSESSMENT, assessment_id)
    maximum = assessments.max_total(db, assessment) if assessment else None
    found = db.execute(
        "SELECT student_id, total FROM assessment_result WHERE assessment_id = ? AND absent = 0 "
        "ORDER BY total IS NULL, total",
        [assessment_id],
    ).fetchall()
    pupils = {s["id"]: s for s in rows(db, STUDENT)}
    out = []
    for student_id, total in found:
        pupil = pupils[student_id]
        score = (
            _("{score} of {max}").format(score=fmt.format_number(total), max=fmt.format_number(maximum))
            if total is not None and maximum
            else fmt.format_number(total)
        )
        n = len(pupil_deficits(db, assessment_id, student_id))
        out.append(
            (
                student_id,
                _("{pupil} ({class_name}) — {score}, deficits: {n}").format(
                    pupil=full_name(pupil), class_name=class_name(pupil), score=score, n=n
                ),
            )
        )
    return out


def _open_route(db: Database, **where) -> int | None:
    sql = " AND ".join(f"[{k}] = ?" for k in where)
    found = db.execute(
        f"SELECT id FROM learning_route WHERE kind = 'student' AND status IN ('draft', 'active') AND {sql} ORDER BY id",
        list(where.values()),
    ).fetchone()
    return found[0] if found else None


def _pupil(db: Database, student_id: int) -> dict:
    pupil = records.fetch(db, STUDENT, student_id)
    if pupil is None:
        raise RouteError(_("There is no pupil No. {id}.").format(id=student_id))
    if pupil["left_on"]:
        raise RouteError(_("{pupil} has left the school.").format(pupil=full_name(pupil)))
    return pupil


def plan_from_results(db: Database, assessment_id: int, student_id: int, start: dt.date, end: dt.date) -> dict:
    """What an assessment gives a pupil's route: {"values": subject, assessment, baseline (the pupil's total),
    target (the mark-4 threshold or 70 % of the maximum), deficits text, goal; "steps": one per deficit skill, due
    dates spread over the period}. RouteError for an unknown assessment or a pupil without a result there."""
    assessment = records.fetch(db, assessments.ASSESSMENT, assessment_id)
    if assessment is None:
        raise RouteError(_("There is no assessment No. {id}.").format(id=assessment_id))
    result = _result(db, assessment_id, student_id)
    pupil = full_name(records.fetch(db, STUDENT, student_id) or {})
    label = assessments.describe(db, assessment)
    if result is None:
        raise RouteError(
            _("{pupil} has no result in the assessment “{assessment}”.").format(pupil=pupil, assessment=label)
        )
    if result["absent"]:
        raise RouteError(
            _("{pupil} was absent from the assessment “{assessment}”.").format(pupil=pupil, assessment=label)
        )
    topics = pupil_deficits(db, assessment_id, student_id)
    maximum = assessments.max_total(db, assessment)
    baseline = result["total"]
    if baseline is None:
        baseline = db.execute("SELECT sum(points) FROM task_result WHERE result_id = ?", [result["id"]]).fetchone()[0]
    target = assessment["mark4"] or (round(TARGET_SHARE * maximum, 1) if maximum else None)
    if target is not None and baseline is not None and baseline >= target:  # already there: aim for the top
        target = assessment["mark5"] if assessment["mark5"] and assessment["mark5"] > baseline else maximum
    goal = None
    if target is not None and maximum:
        goal = _("Close the deficits found by “{assessment}” and reach {target} points out of {max}.").format(
            assessment=label, target=fmt.format_number(target), max=fmt.format_number(maximum)
        )
    return {
        "values": {
            "subject_id": assessment["subject_id"],
            "assessment_id": assessment_id,
            "baseline": baseline,
            "target": target,
            "deficits": "\n".join(topics) or None,
            "goal": goal,
        },
        "steps": [
            {"topic": topic, "due_date": due} for topic, due in zip(topics, spread_due_dates(start, end, len(topics)))
        ],
    }


def _make(db: Database, values: dict, route_steps: list[dict]) -> int:
    with transaction(db):
        route_id = save_route(db, STUDENT_ROUTE, values)
        for step in route_steps:
            save_step(db, {**step, "route_id": route_id})
    return route_id


def route_from_databank_entry(
    db: Database,
    entry_id: int,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> int:
    """A draft route for the pupil of an active databank entry, in one transaction; returns its id.

    Pupil, subject, responsible teacher and the description come from the entry; when the entry came from an
    assessment, the pupil's deficits there become the steps and the total the baseline. The period runs from
    `start` (today) to `end` (the end of the next school term). Raises RouteError for an unknown or closed entry,
    or one that already has an open route.
    """
    entry = records.fetch(db, DATABANK_ENTRY, entry_id)
    if entry is None:
        raise RouteError(_("There is no databank entry No. {id}.").format(id=entry_id))
    if entry["status"] != "active":
        raise RouteError(
            _("The databank entry No. {id} is closed; a route is made for an active entry.").format(id=entry_id)
        )
    existing = _open_route(db, databank_entry_id=entry_id)
    if existing:
        raise RouteError(_("This databank entry already has a route: No. {id}.").format(id=existing))
    _pupil(db, entry["student_id"])
    start = start or today or dt.date.today()
    end = end or default_end(db, start)
    values = {
        "student_id": entry["student_id"],
        "subject_id": entry["subject_id"],
        "responsible_id": entry["responsible_id"],
        "deficits": entry["description"],
        "databank_entry_id": entry_id,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "status": "draft",
    }
    route_steps: list[dict] = []
    if entry.get("assessment_id"):
        made = plan_from_results(db, entry["assessment_id"], entry["student_id"], start, end)
        given = made["values"]
        values.update({k: v for k, v in given.items() if v is not None and k != "deficits"})
        if not entry["description"]:  # an entry made from the results names the deficits already
            values["deficits"] = given["deficits"]
        values["subject_id"] = entry["subject_id"] or given["subject_id"]
        route_steps = made["steps"]
    return _make(db, values, route_steps)


def route_from_assessment(
    db: Database,
    assessment_id: int,
    student_id: int,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    responsible_id: int | None = None,
    today: dt.date | None = None,
) -> int:
    """A draft route closing the pupil's deficits found by an assessment, in one transaction; returns its id.

    One step per deficit skill (due dates spread over the period); baseline = the pupil's total, target = the
    threshold of the mark 4, or 70 % of the maximum. The pupil's active databank entry in the subject, if any,
    is linked and gives the responsible teacher unless one is given. Raises RouteError for an unknown
    assessment, a pupil without a result there, or one who already has an open route from these results.
    """
    _pupil(db, student_id)
    existing = _open_route(db, assessment_id=assessment_id, student_id=student_id)
    if existing:
        raise RouteError(_("The pupil already has a route from these results: No. {id}.").format(id=existing))
    start = start or today or dt.date.today()
    end = end or default_end(db, start)
    made = plan_from_results(db, assessment_id, student_id, start, end)
    subject_id = made["values"]["subject_id"]
    entry = db.execute(
        "SELECT id, responsible_id FROM databank_entry WHERE student_id = ? AND status = 'active' "
        "AND (assessment_id = ? OR subject_id = ?) ORDER BY assessment_id = ? DESC, id DESC",
        [student_id, assessment_id, subject_id, assessment_id],
    ).fetchone()
    values = {
        "student_id": student_id,
        "status": "draft",
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        **made["values"],
        "responsible_id": responsible_id or (entry[1] if entry else None),
        "databank_entry_id": entry[0] if entry else None,
    }
    return _make(db, values, made["steps"])


# ---- lists ---------------------------------------------------------------------------------------------------------


class RouteFilter(NamedTuple):
    class_name: str | None = None  # "5А", or a whole grade "5"
    subject_id: int | None = None
    status: str | None = None
    revision_only: bool = False


def _step_counts(
    db: Database, today: dt.date, route_ids: Iterable[int] | None = None
) -> dict[int, tuple[int, int, int]]:
    """route id → (steps, done, overdue); with `route_ids`, of those routes only."""
    sql = (
        "SELECT s.route_id, count(*), count(s.done_on), "
        "sum(s.done_on IS NULL AND s.due_date < ? AND r.status = 'active') "
        "FROM route_step s JOIN learning_route r ON r.id = s.route_id{where} GROUP BY s.route_id"
    )
    if route_ids is None:
        found = db.execute(sql.format(where=""), [today.isoformat()]).fetchall()
    else:
        found = []
        for chunk in id_chunks(route_ids):
            where = f" WHERE s.route_id IN ({marks(chunk)})"
            found += db.execute(sql.format(where=where), [today.isoformat(), *chunk]).fetchall()
    return {r[0]: (r[1], r[2], r[3] or 0) for r in found}


def _all_checkpoints(db: Database, status: str | None = None) -> dict[int, list[dict]]:
    """route id → its checkpoints in date order; with `status`, only those of pupils' routes in that status."""
    if status is None:
        found = rows(db, ROUTE_CHECKPOINT)
    else:
        found = db.dicts(
            "SELECT * FROM route_checkpoint WHERE route_id IN "
            "(SELECT id FROM learning_route WHERE kind = 'student' AND status = ?) "
            f"ORDER BY {ROUTE_CHECKPOINT.order_by}",
            [status],
        )
    out: dict[int, list[dict]] = {}
    for p in found:
        out.setdefault(p["route_id"], []).append(p)
    return out


def _pupils(db: Database, ids: Iterable[int]) -> dict[int, dict]:
    """pupil id → what a list of routes shows of the pupil (names, grade, letter), read for these pupils only."""
    out: dict[int, dict] = {}
    for chunk in id_chunks(ids):
        found = db.dicts(
            f"SELECT id, last_name, first_name, middle_name, grade, letter FROM student WHERE id IN ({marks(chunk)})",
            chunk,
        )
        out.update((r["id"], r) for r in found)
    return out


def _steps_text(counts: tuple[int, int, int] | None) -> str:
    total, done, _overdue = counts or (0, 0, 0)
    return _("{done} of {total}").format(done=done, total=total) if total else ""


def student_routes(db: Database, flt: RouteFilter | None = None, today: dt.date | None = None) -> list[dict]:
    """Pupils' routes with the pupil's name and class, steps done, the last checkpoint and "needs revision"."""
    flt, today = flt or RouteFilter(), today or dt.date.today()
    routes = rows(db, STUDENT_ROUTE, {"status": flt.status} if flt.status else None)
    if not routes:
        return []
    points = _all_checkpoints(db, flt.status or None)  # as the routes were chosen
    chosen = []  # the filters that need no pupil first: then only the chosen routes' pupils are read
    for route in routes:
        if flt.subject_id and route["subject_id"] != flt.subject_id:  # the status was chosen in SQL
            continue
        mine = points.get(route["id"], [])
        revision = route["status"] == "active" and needs_revision(route, mine)
        if flt.revision_only and not revision:
            continue
        chosen.append((route, mine, revision))
    if not chosen:
        return []
    pupils = _pupils(db, (route["student_id"] for route, _mine, _revision in chosen))
    counts = _step_counts(db, today, (route["id"] for route, _mine, _revision in chosen))
    out = []
    for route, mine, revision in chosen:
        pupil = pupils[route["student_id"]]
        name = class_name(pupil)
        if flt.class_name and name != flt.class_name and str(pupil["grade"]) != flt.class_name:
            continue
        total, done, overdue = counts.get(route["id"], (0, 0, 0))
        last = mine[-1]["value"] if mine else None
        score = " / ".join((fmt.format_number(last) or "—", fmt.format_number(route["target"]) or "—"))
        out.append(
            {
                **route,
                "student": full_name(pupil),
                "class_name": name,
                "grade": pupil["grade"],
                "steps": _steps_text(counts.get(route["id"])),
                "steps_total": total,
                "steps_done": done,
                "overdue_steps": overdue,
                "last_value": last,
                "score": score,
                "needs_revision": revision,
            }
        )
    return out


def teacher_routes(db: Database, status: str | None = None, today: dt.date | None = None) -> list[dict]:
    """Teachers' routes with the teacher's name and position, steps done and PD courses of the last 3 years."""
    today = today or dt.date.today()
    staff = {s["id"]: s for s in rows(db, STAFF)}
    counts = _step_counts(db, today)
    since = (today - dt.timedelta(days=3 * 365)).isoformat()
    courses = dict(
        db.execute(
            "SELECT staff_id, count(*) FROM pd_course WHERE end_date > ? AND end_date <= ? GROUP BY staff_id",
            [since, today.isoformat()],
        ).fetchall()
    )
    out = []
    for route in rows(db, TEACHER_ROUTE, {"status": status} if status else None):
        person = staff[route["teacher_id"]]
        total, done, overdue = counts.get(route["id"], (0, 0, 0))
        out.append(
            {
                **route,
                "teacher": full_name(person),
                "position_id": person["position_id"],
                "steps": _steps_text(counts.get(route["id"])),
                "steps_total": total,
                "steps_done": done,
                "overdue_steps": overdue,
                "pd_courses": courses.get(route["teacher_id"], 0),
            }
        )
    return out


def teacher_pd_courses(db: Database, staff_id: int) -> list[dict]:
    """The teacher's PD courses from the registry, the latest first."""
    return rows(db, PD_COURSE, {"staff_id": staff_id})


def _who(db: Database) -> dict[int, tuple[str, str, int]]:
    """route id → (pupil or teacher name, class, grade) for every route."""
    found = db.execute(
        "SELECT r.id, coalesce(s.last_name, t.last_name), coalesce(s.first_name, t.first_name), "
        "coalesce(s.middle_name, t.middle_name), s.grade, s.letter FROM learning_route r "
        "LEFT JOIN student s ON s.id = r.student_id LEFT JOIN staff t ON t.id = r.teacher_id"
    )
    return {
        r[0]: (
            full_name({"last_name": r[1], "first_name": r[2], "middle_name": r[3]}),
            f"{r[4]}{r[5] or ''}" if r[4] else "",
            r[4] or 0,
        )
        for r in found
    }


def open_steps(db: Database, today: dt.date | None = None, days: int | None = None) -> list[dict]:
    """Steps not done of routes under way that are overdue or, with `days`, due within that many days; both
    kinds of route, the earliest due first. Each row has the step, the route, who it is for and `overdue`."""
    today = today or dt.date.today()
    day = today.isoformat()
    horizon = (today + dt.timedelta(days=days)).isoformat() if days is not None else day
    # overdue (before today) or, with `days`, due by the horizon — which, when it is not before today, is both
    due, until = ("s.due_date <= ?", horizon) if days is not None and horizon >= day else ("s.due_date < ?", day)
    cursor = db.execute(  # the steps wanted, with their route and who it is for (as `_who` names them)
        "SELECT s.*, r.kind AS _kind, r.subject_id AS _subject_id, r.responsible_id AS _responsible_id, "
        "r.mentor_id AS _mentor_id, r.teacher_id AS _teacher_id, coalesce(p.last_name, t.last_name) AS _last, "
        "coalesce(p.first_name, t.first_name) AS _first, coalesce(p.middle_name, t.middle_name) AS _middle, "
        "p.grade AS _grade, p.letter AS _letter "
        "FROM route_step s JOIN learning_route r ON r.id = s.route_id "
        "LEFT JOIN student p ON p.id = r.student_id LEFT JOIN staff t ON t.id = r.teacher_id "
        f"WHERE r.status = 'active' AND coalesce(s.done_on, '') = '' AND coalesce(s.due_date, '') != '' AND {due} "
        "ORDER BY s.due_date, s.id",
        [until],
    )
    names = [d[0] for d in cursor.description]
    own, due_at = names.index("_kind"), names.index("due_date")  # the step's own columns come first
    out = []
    for r in cursor.fetchall():
        kind, subject_id, responsible_id, mentor_id, teacher_id, last, first, middle, grade, letter = r[own:]
        responsible = responsible_id if kind == "student" else mentor_id or teacher_id
        out.append(
            {
                **dict(zip(names[:own], r[:own])),
                "who": full_name({"last_name": last, "first_name": first, "middle_name": middle}),
                "class_name": f"{grade}{letter or ''}" if grade else "",
                "subject_id": subject_id,
                "responsible_id": responsible,
                "kind": kind,
                "overdue": r[due_at] < day,
            }
        )
    return out


def overdue_steps(db: Database, today: dt.date | None = None) -> list[dict]:
    """Steps due before today, not done, of routes under way."""
    return open_steps(db, today)


def attention(db: Database, today: dt.date | None = None, days: int = 14) -> dict[str, list[dict]]:
    """For the Home page: "steps" — overdue or due in the next `days` days, of routes under way (rows of
    STEP_ROW, `route_id` opens the route); "revision" — pupils' routes under way that need revision (ROUTE_ROW)."""
    today = today or dt.date.today()
    revision = student_routes(db, RouteFilter(status="active", revision_only=True), today)
    return {"steps": open_steps(db, today, days), "revision": revision}


# ---- effectiveness ---------------------------------------------------------------------------------------------------

GROUPINGS = ("class", "subject", "category")


def effectiveness(db: Database, by: str, start: str | None = None, end: str | None = None) -> list[dict]:
    """Share of pupils' routes achieved among those completed (ending between `start` and `end`), grouped by the
    pupil's current class, the subject or the databank category (routes made from an entry)."""
    if by not in GROUPINGS:
        raise ValueError(by)
    lookups = records.Lookups(db)
    who = _who(db)
    categories = dict(db.execute("SELECT id, category_id FROM databank_entry").fetchall())
    groups: dict[str, dict] = {}
    for route in rows(db, STUDENT_ROUTE, {"status": "completed"}):
        if start and route["end_date"] < start or end and route["end_date"] > end:
            continue
        if by == "class":
            _name, key, grade = who[route["id"]]
            order: tuple = (grade, key)
        elif by == "subject":
            key = lookups.name("subject", route["subject_id"]) or _("no subject")
            order = (route["subject_id"] is None, key)
        else:
            category = categories.get(route["databank_entry_id"])
            key = lookups.name("difficulty_category", category) or _("not from the databank")
            order = (category is None, key)
        group = groups.setdefault(
            key,
            {
                "id": len(groups) + 1,
                "group": key,
                "order": order,
                "completed": 0,
                "achieved": 0,
                "partly": 0,
                "not_achieved": 0,
            },
        )
        group["completed"] += 1
        group[route["outcome"]] += 1
    out = sorted(groups.values(), key=lambda g: g["order"])
    for g in out:
        g["share"] = round(100.0 * g["achieved"] / g["completed"], 1)
    return out


def effectiveness_summary(
    db: Database, start: str | None = None, end: str | None = None, today: dt.date | None = None
) -> dict:
    """Totals for the effectiveness tab: completed, achieved, share; routes under way, overdue steps, revision."""
    rows_ = effectiveness(db, "subject", start, end)
    completed, achieved = sum(r["completed"] for r in rows_), sum(r["achieved"] for r in rows_)
    today = today or dt.date.today()
    active = student_routes(db, RouteFilter(status="active"), today)
    return {
        "completed": completed,
        "achieved": achieved,
        "share": round(100.0 * achieved / completed, 1) if completed else None,
        "active": len(active),
        "revision": sum(1 for r in active if r["needs_revision"]),
        "overdue_steps": len(overdue_steps(db, today)),
    }


# ---- metrics ---------------------------------------------------------------------------------------------------------


def _achieved_share(db: Database, on: dt.date) -> float | None:
    since = (on - dt.timedelta(days=365)).isoformat()
    found = db.execute(
        "SELECT count(*), sum(outcome = 'achieved') FROM learning_route WHERE kind = 'student' AND "
        "status = 'completed' AND end_date > ? AND end_date <= ?",
        [since, on.isoformat()],
    ).fetchone()
    return round(100.0 * (found[1] or 0) / found[0], 1) if found[0] else None


def _under_way(kind: str):
    def count(db: Database, on: dt.date) -> float | None:
        """Routes under way on the day: begun by then and still active, or completed on or after it."""
        day = on.isoformat()
        return float(
            db.execute(
                "SELECT count(*) FROM learning_route WHERE kind = ? AND start_date <= ? AND "
                "(status = 'active' OR (status = 'completed' AND end_date >= ?))",
                [kind, day, day],
            ).fetchone()[0]
        )

    return count


metrics.register(
    metrics.Metric(
        "routes_achieved_share",
        N_("Share of pupils' learning routes completed in the last 12 months whose goal was achieved"),
        "%",
        _achieved_share,
    )
)
metrics.register(metrics.Metric("routes_active", N_("Pupils' learning routes under way"), "", _under_way("student")))
metrics.register(
    metrics.Metric("teacher_routes_active", N_("Teachers' learning routes under way"), "", _under_way("teacher"))
)


# ---- details, for the page and the route card --------------------------------------------------------------------


def route_details(db: Database, route_id: int, today: dt.date | None = None) -> dict:
    """Everything one route shows, names resolved: the route, who it is for, steps with their forms of work,
    checkpoints, the aim line, "needs revision", and for a teacher the PD courses. RouteError if unknown."""
    today = today or dt.date.today()
    route = _need_route(db, route_id)
    lookups = records.Lookups(db)
    step_rows = steps(db, route_id)
    for s in step_rows:
        s["work_form"] = lookups.name("work_form", s["work_form_id"])
        s["overdue"] = (
            route["status"] == "active"
            and not s["done_on"]
            and bool(s["due_date"])
            and s["due_date"] < today.isoformat()
        )
    points = checkpoints(db, route_id)
    out = {
        "route": route,
        "kind": route["kind"],
        "steps": step_rows,
        "checkpoints": points,
        "aim": aim(route),
        "maximum": maximum_score(db, route),
        "status": status_label(route["status"]),
        "outcome": outcome_label(route["outcome"]),
        "period": period_label(route["start_date"], route["end_date"]),
        "subject": lookups.name("subject", route["subject_id"]),
        "responsible": lookups.name("staff", route["responsible_id"]),
        "mentor": lookups.name("staff", route["mentor_id"]),
        "needs_revision": route["status"] == "active" and needs_revision(route, points),
    }
    if route["kind"] == "student":
        pupil = records.fetch(db, STUDENT, route["student_id"])
        out.update(person=full_name(pupil), class_name=class_name(pupil), pupil=pupil, courses=[])
        entry = records.fetch(db, DATABANK_ENTRY, route["databank_entry_id"]) if route["databank_entry_id"] else None
        out["category"] = lookups.name("difficulty_category", entry["category_id"]) if entry else ""
        out["assessment"] = assessment_label(db, route["assessment_id"]) if route["assessment_id"] else ""
    else:
        teacher = records.fetch(db, STAFF, route["teacher_id"])
        out.update(
            person=full_name(teacher),
            class_name="",
            teacher=teacher,
            category="",
            assessment="",
            position=lookups.name("position", teacher["position_id"]),
            courses=teacher_pd_courses(db, route["teacher_id"]),
        )
    return out


# ---- views: how the pages list computed rows (declared like records, never saved as such) ----------------------

ROUTE_ROW = RecordType(
    name="route_row",
    table="learning_route",
    title=N_("Pupil's learning route"),
    plural=N_("Pupils' learning routes"),
    fields=(
        Field("student", N_("Pupil")),
        Field("class_name", N_("Class")),
        Field("subject_id", N_("Subject"), Kind.REF, ref="subject"),
        Field("status", N_("Status"), Kind.CHOICE, choices=ROUTE_STATUSES),
        Field("needs_revision", N_("Needs revision"), Kind.BOOL),
        Field("steps", N_("Steps done")),
        Field("overdue_steps", N_("Overdue"), Kind.INT),
        Field("score", N_("Score / target")),
        Field("responsible_id", N_("Responsible teacher"), Kind.REF, ref="staff"),
        Field("start_date", N_("Start"), Kind.DATE),
        Field("end_date", N_("End"), Kind.DATE),
        Field("outcome", N_("Outcome of the route"), Kind.CHOICE, choices=OUTCOMES),
    ),
    display=lambda r: r.get("student") or "",
)

TEACHER_ROUTE_ROW = RecordType(
    name="teacher_route_row",
    table="learning_route",
    title=N_("Teacher's learning route"),
    plural=N_("Teachers' learning routes"),
    fields=(
        Field("teacher", N_("Teacher")),
        Field("position_id", N_("Position"), Kind.REF, ref="position"),
        Field("status", N_("Status"), Kind.CHOICE, choices=ROUTE_STATUSES),
        Field("steps", N_("Steps done")),
        Field("overdue_steps", N_("Overdue"), Kind.INT),
        Field("mentor_id", N_("Mentor"), Kind.REF, ref="staff"),
        Field("pd_courses", N_("PD courses, 3 years"), Kind.INT),
        Field("start_date", N_("Start"), Kind.DATE),
        Field("end_date", N_("End"), Kind.DATE),
        Field("outcome", N_("Outcome of the route"), Kind.CHOICE, choices=OUTCOMES),
    ),
    display=lambda r: r.get("teacher") or "",
)

STEP_ROW = RecordType(  # steps across routes, for the Home page: `route_id` opens the route
    name="route_step_row",
    table="route_step",
    title=N_("Route step"),
    plural=N_("Route steps"),
    fields=(
        Field("who", N_("Pupil or teacher")),
        Field("class_name", N_("Class")),
        Field("topic", N_("Deficit or topic")),
        Field("due_date", N_("Due"), Kind.DATE),
        Field("overdue", N_("Overdue"), Kind.BOOL),
        Field("responsible_id", N_("Responsible"), Kind.REF, ref="staff"),
        Field("subject_id", N_("Subject"), Kind.REF, ref="subject"),
    ),
    display=lambda r: r.get("topic") or "",
    show_id=False,
)

OVERDUE_ROW = RecordType(  # the overdue steps of the effectiveness tab: all overdue, so no such column
    name="route_overdue_row",
    table="route_step",
    title=N_("Route step"),
    plural=N_("Overdue steps"),
    fields=(
        Field("who", N_("Pupil or teacher")),
        Field("class_name", N_("Class")),
        Field("due_date", N_("Due"), Kind.DATE),
        Field("topic", N_("Deficit or topic")),
        Field("responsible_id", N_("Responsible"), Kind.REF, ref="staff"),
    ),
    display=lambda r: r.get("topic") or "",
    show_id=False,
)


def _effect_row(name: str, label: str) -> RecordType:
    return RecordType(
        name=name,
        table="learning_route",
        title=label,
        plural=label,
        fields=(
            Field("group", label),
            Field("completed", N_("Completed"), Kind.INT),
            Field("achieved", N_("Achieved"), Kind.INT),
            Field("partly", N_("Partly"), Kind.INT),
            Field("not_achieved", N_("Not achieved"), Kind.INT),
            Field("share", N_("Achieved, %"), Kind.NUMBER),
        ),
        display=lambda r: r.get("group") or "",
        show_id=False,
    )


EFFECT_ROWS = {
    "class": _effect_row("route_effect_class", N_("Class")),
    "subject": _effect_row("route_effect_subject", N_("Subject")),
    "category": _effect_row("route_effect_category", N_("Databank category")),
}

PD_COURSE_ROW = RecordType(  # one teacher's PD courses, without the teacher's name on every line
    name="pd_course_row",
    table="pd_course",
    title=N_("PD course"),
    plural=N_("PD courses"),
    fields=(
        Field("title", N_("Course")),
        Field("hours", N_("Hours"), Kind.INT),
        Field("end_date", N_("End"), Kind.DATE),
        Field("provider", N_("Provider")),
        Field("certificate_number", N_("Certificate No.")),
    ),
    display=lambda r: r.get("title") or "",
    show_id=False,
)
