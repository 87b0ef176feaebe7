"""Assessments and their results (seed 003: entrance control works, "перечень предметных дефицитов", routes to
close them; seed 000 #21: analysis by terms, half-years and the year).

An assessment is one procedure for one grade (or one class of it) in one subject: a school control work, a
national test (ВПР), a state exam (ОГЭ, ЕГЭ) or its mock, or the term marks of a class. Its tasks name the skill
each one checks; a result holds a pupil's total, mark and points per task. A deficit is a skill whose task a pupil
(or a class) solved below a threshold — half the points by default. Pupils with a "2" or with deficits can be
proposed for the databank in one action.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from models import fmt, records
from models.db import Database, transaction
from models.i18n import N_, _
from models.records import Field, Kind, RecordType, ValidationError, register
from models.school import TERM, academic_year_start, full_name, term_on

KINDS = (
    ("entrance", N_("entrance test")),
    ("intermediate", N_("intermediate test")),
    ("final", N_("final test")),
    ("vpr", N_("VPR")),
    ("oge", N_("OGE")),
    ("ege", N_("EGE")),
    ("mock", N_("mock exam")),
    ("term_marks", N_("term marks")),
)
KIND_LABELS = dict(KINDS)
GIA_KINDS = ("oge", "ege", "mock")  # in grades 9 and 11 a failure there puts a pupil in the GIA risk group
DEFICIT_THRESHOLD = 0.5  # a task solved below half its points marks its skill as a deficit
# Names of seeded items of the 'difficulty_category' list (reference data, looked up by name, never by id).
ACADEMIC_CATEGORY = "Академическая неуспеваемость по предмету"
GIA_CATEGORY = "Группа риска ГИА (9, 11 классы)"
MAX_SCORE = 1000.0


def class_label(grade: int | None, letter: str | None) -> str:
    """'5А', or '5' for a whole grade."""
    return f"{grade}{letter or ''}" if grade is not None else ""


def _year_name(start_date: str | None) -> str:
    # Terms start between September and May, so the academic year follows from the start date alone.
    if not start_date:
        return ""
    year = academic_year_start(dt.date.fromisoformat(start_date))
    return f"{year}/{year + 1}"


# Terms named with their academic year ("2026/2027, 1 четверть"): an assessment's term is picked among all years.
TERM_OF_YEAR = register(
    RecordType(
        name="term_of_year",
        table="term",
        title=N_("Term"),
        plural=N_("Terms"),
        fields=TERM.fields,
        display=lambda r: (
            _("{year}, term {n}").format(year=_year_name(r.get("start_date")), n=r.get("number", ""))
            if r.get("start_date")
            else ""
        ),
        order_by="start_date DESC",
        parent="academic_year_id",
    )
)


def _check_assessment(r: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    given = [(k, r[k]) for k in ("mark3", "mark4", "mark5") if r.get(k) is not None]
    if given and r.get("mark3") is None:
        errors["mark3"] = _("Give the minimum score for 3 first.")
    for (_low, low), (name, value) in zip(given, given[1:]):
        if value <= low:
            errors[name] = _("Each minimum score must be above the one for the lower mark.")
    if r.get("max_score") is not None:
        for name, value in given:
            if value > r["max_score"]:
                errors[name] = _("A minimum score cannot be above the max score.")
    letter = r.get("class_letter") or ""
    if letter and not re.fullmatch(r"[А-ЯЁA-Z]", letter):
        errors["class_letter"] = _("The class letter is one letter, for example А.")
    return errors


def _assessment_display(r: dict) -> str:
    if r.get("title"):
        return r["title"]
    kind = _(KIND_LABELS.get(r.get("kind"), r.get("kind") or ""))
    return ", ".join(
        p for p in (kind, class_label(r.get("grade"), r.get("class_letter")), fmt.format_date(r.get("date"))) if p
    )


ASSESSMENT = register(
    RecordType(
        name="assessment",
        table="assessment",
        title=N_("Assessment"),
        plural=N_("Assessments"),
        fields=(
            Field("kind", N_("Kind"), Kind.CHOICE, required=True, choices=KINDS, default="entrance"),
            Field("subject_id", N_("Subject"), Kind.REF, required=True, ref="subject"),
            Field("grade", N_("Grade"), Kind.INT, required=True, minimum=1, maximum=11),
            Field(
                "class_letter",
                N_("Class letter"),
                max_length=1,
                upper=True,
                placeholder=N_("empty: the whole grade"),
            ),
            Field("date", N_("Date"), Kind.DATE, required=True),
            Field("term_id", N_("Term"), Kind.REF, ref="term_of_year", placeholder=N_("empty: from the date")),
            Field(
                "max_score",
                N_("Max score"),
                Kind.NUMBER,
                minimum=0.5,
                maximum=MAX_SCORE,
                placeholder=N_("empty: the sum of the tasks' max points"),
            ),  # fmt: skip
            Field("mark3", N_("Min score for 3"), Kind.NUMBER, minimum=0, maximum=MAX_SCORE, in_list=False),
            Field("mark4", N_("Min score for 4"), Kind.NUMBER, minimum=0, maximum=MAX_SCORE, in_list=False),
            Field("mark5", N_("Min score for 5"), Kind.NUMBER, minimum=0, maximum=MAX_SCORE, in_list=False),
            Field("title", N_("Title"), max_length=300, placeholder=N_("for example: Входная КР по математике")),
        ),
        display=_assessment_display,
        order_by="date DESC, grade, class_letter, id",
        check=_check_assessment,
    )
)

ASSESSMENT_TASK = register(
    RecordType(
        name="assessment_task",
        table="assessment_task",
        title=N_("Assessment task"),
        plural=N_("Assessment tasks"),
        fields=(
            Field("assessment_id", N_("Assessment"), Kind.REF, required=True, ref="assessment"),
            Field("number", N_("Task No."), Kind.INT, required=True, minimum=1, maximum=200, default=1),
            Field(
                "max_points",
                N_("Max points"),
                Kind.NUMBER,
                required=True,
                minimum=0.5,
                maximum=100,
                default=1,
            ),
            Field(
                "skill",
                N_("Skill checked"),
                max_length=500,
                placeholder=N_("for example: действия с обыкновенными дробями"),
            ),
        ),
        display=lambda r: f"{r.get('number', '')}. {r.get('skill') or ''}".strip(),
        order_by="assessment_id, number",
        parent="assessment_id",
    )
)


def _check_result(r: dict) -> dict[str, str]:
    if r.get("absent") and (r.get("total") is not None or r.get("mark") is not None):
        return {"absent": _("An absent pupil has neither a score nor a mark.")}
    return {}


ASSESSMENT_RESULT = register(
    RecordType(
        name="assessment_result",
        table="assessment_result",
        title=N_("Result"),
        plural=N_("Results"),
        fields=(
            Field("assessment_id", N_("Assessment"), Kind.REF, required=True, ref="assessment"),
            Field("student_id", N_("Pupil"), Kind.REF, required=True, ref="student"),
            Field("total", N_("Score"), Kind.NUMBER, minimum=0, maximum=MAX_SCORE),
            Field("mark", N_("Mark"), Kind.INT, minimum=1, maximum=5),
            Field("absent", N_("Absent"), Kind.BOOL),
        ),
        display=lambda r: str(r.get("id", "")),
        named_by="student_id",
        parent="assessment_id",
        check=_check_result,
    )
)


# ---- assessments ------------------------------------------------------------------------------------------------


def _iso(value) -> str | None:
    try:
        return fmt.parse_date(str(value)) if value else None
    except ValueError:
        return None


def save_assessment(db: Database, values: dict, record_id: int | None = None) -> int:
    """Validate and save an assessment (one transaction). An empty term is taken from the date; term marks need
    one. When the thresholds change, marks that followed the old thresholds (or were missing) follow the new ones.
    """
    stored = records.fetch(db, ASSESSMENT, record_id) if record_id is not None else None
    merged = {**(stored or {}), **values}
    errors: dict[str, str] = {}
    try:
        records.validate(ASSESSMENT, merged)
    except ValidationError as exc:
        errors = dict(exc.errors)
    values = dict(values)
    day = _iso(merged.get("date"))
    if stored and day != stored["date"] and merged.get("term_id") == stored["term_id"]:
        derived = term_on(db, dt.date.fromisoformat(stored["date"]))
        if stored["term_id"] is None or derived and derived["id"] == stored["term_id"]:
            merged["term_id"] = None  # the term came from the old date: it follows the new one
    if not merged.get("term_id") and day:
        term = term_on(db, dt.date.fromisoformat(day))
        values["term_id"] = term["id"] if term else None
        if term is None and merged.get("kind") == "term_marks":
            errors.setdefault("term_id", _("The date falls in no term: choose the term of these marks."))
    if errors:
        raise ValidationError(errors)
    with transaction(db):
        assessment_id = records.save(db, ASSESSMENT, values, record_id)
        if stored and any(stored[k] != merged.get(k) for k in ("mark3", "mark4", "mark5")):
            new = records.fetch(db, ASSESSMENT, assessment_id)
            for result_id, total, mark in db.execute(
                "SELECT id, total, mark FROM assessment_result WHERE assessment_id = ? AND total IS NOT NULL",
                [assessment_id],
            ).fetchall():
                if mark is None or mark == mark_for(stored, total):
                    db.execute(
                        "UPDATE assessment_result SET mark = ? WHERE id = ?",
                        [mark_for(new, total), result_id],
                    )
    return assessment_id


def mark_for(assessment: dict, total: float | None) -> int | None:
    """The mark a total earns by the assessment's thresholds (minimum scores for 3, 4, 5); None without them."""
    if total is None or assessment.get("mark3") is None:
        return None
    for mark in (5, 4, 3):
        threshold = assessment.get(f"mark{mark}")
        if threshold is not None and total >= threshold:
            return mark
    return 2


def tasks(db: Database, assessment_id: int) -> list[dict]:
    return records.rows(db, ASSESSMENT_TASK, {"assessment_id": assessment_id})


def max_total(db: Database, assessment: dict) -> float | None:
    """The assessment's max score, or the sum of its tasks' max points."""
    if assessment.get("max_score") is not None:
        return assessment["max_score"]
    found = db.execute(
        "SELECT sum(max_points) FROM assessment_task WHERE assessment_id = ?", [assessment["id"]]
    ).fetchone()[0]
    return found


def describe(db: Database, assessment: dict) -> str:
    """'ВПР, Математика, 5А, 15.10.2026' — how messages and proposals name an assessment."""
    subject = records.Lookups(db).name("subject", assessment.get("subject_id"))
    name = assessment.get("title") or ", ".join(
        p
        for p in (
            _(KIND_LABELS.get(assessment["kind"], assessment["kind"])),
            subject,
            class_label(assessment["grade"], assessment.get("class_letter")),
        )
        if p
    )
    return f"{name}, {fmt.format_date(assessment['date'])}"


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    return fmt.parse_number(value) if isinstance(value, str) else float(value)


def save_results(db: Database, assessment_id: int, rows: Iterable[dict]) -> dict[str, int]:
    """Write pupils' results in one transaction: all of them or, on any problem, none (ValidationError).

    A row: {"student_id", "points": {task number: points}, "total", "mark", "absent"}. With tasks, the total is
    the sum of the points; the mark comes from the thresholds unless given. A pupil's earlier result in this
    assessment is replaced. Returns how many results were added, updated and left unchanged.
    """
    assessment = records.fetch(db, ASSESSMENT, assessment_id)
    if assessment is None:
        raise ValidationError({"": _("The record no longer exists.")})
    task_rows = {t["number"]: t for t in tasks(db, assessment_id)}
    limit = max_total(db, assessment)
    known = {r[0]: r[1:] for r in db.execute("SELECT id, last_name, first_name, middle_name FROM student")}
    errors: dict[str, str] = {}
    prepared: list[tuple[int, float | None, int | None, int, dict[int, float]]] = []
    seen: set[int] = set()

    def fail(student_id: int, message: str) -> None:
        person = known.get(student_id)
        who = " ".join(p for p in person if p) if person else str(student_id)
        key = f"student:{student_id}"
        errors[key] = f"{errors[key]} {message}" if key in errors else f"{who}: {message}"

    for row in rows:
        student_id = int(row["student_id"])
        if student_id not in known:
            errors[f"student:{student_id}"] = _("Choose one of the listed values.")
            continue
        if student_id in seen:
            fail(student_id, _("the pupil is listed twice."))
            continue
        seen.add(student_id)
        absent = bool(row.get("absent"))
        try:
            points = {int(n): _number(p) for n, p in (row.get("points") or {}).items()}
            total, mark = _number(row.get("total")), row.get("mark")
            mark = int(mark) if mark not in (None, "") else None
        except (TypeError, ValueError):
            fail(student_id, _("Not a number."))
            continue
        points = {n: p for n, p in points.items() if p is not None}
        if absent:
            total, mark, points = None, None, {}
        for number, value in sorted(points.items()):
            task = task_rows.get(number)
            if task is None:
                fail(student_id, _("the assessment has no task {n}.").format(n=number))
            elif not 0 <= value <= task["max_points"]:
                fail(
                    student_id,
                    _("task {n}: {points} points, the task gives 0 to {max}.").format(
                        n=number, points=fmt.format_number(value), max=fmt.format_number(task["max_points"])
                    ),
                )
        if points and task_rows:
            total = sum(points.values())
        if total is not None and (total < 0 or limit is not None and total > limit):
            fail(
                student_id,
                _("the score {total} is outside 0 to {max}.").format(
                    total=fmt.format_number(total), max=fmt.format_number(limit)
                ),
            )
        if mark is None and total is not None:
            mark = mark_for(assessment, total)
        if mark is not None and not 1 <= mark <= 5:
            fail(student_id, _("a mark is 1 to 5."))
        if not absent and total is None and mark is None:
            fail(student_id, _("neither a score nor a mark is given."))
        prepared.append((student_id, total, mark, int(absent), points))
    if errors:
        raise ValidationError(errors)

    existing = {
        r[1]: (r[0], r[2], r[3], r[4])
        for r in db.execute(
            "SELECT id, student_id, total, mark, absent FROM assessment_result WHERE assessment_id = ?",
            [assessment_id],
        )
    }
    stored_points: dict[int, dict[int, float]] = {}
    for result_id, number, value in db.execute(
        "SELECT tr.result_id, t.number, tr.points FROM task_result tr "
        "JOIN assessment_task t ON t.id = tr.task_id WHERE t.assessment_id = ?",
        [assessment_id],
    ):
        stored_points.setdefault(result_id, {})[number] = value
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    with transaction(db):
        for student_id, total, mark, absent, points in prepared:
            before = existing.get(student_id)
            if before is None:
                result_id = db.execute(
                    "INSERT INTO assessment_result (assessment_id, student_id, total, mark, absent) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [assessment_id, student_id, total, mark, absent],
                ).lastrowid
                counts["added"] += 1
            else:
                result_id = before[0]
                if before[1:] == (total, mark, absent) and stored_points.get(result_id, {}) == points:
                    counts["unchanged"] += 1
                    continue
                db.execute(
                    "UPDATE assessment_result SET total = ?, mark = ?, absent = ? WHERE id = ?",
                    [total, mark, absent, result_id],
                )
                db.execute("DELETE FROM task_result WHERE result_id = ?", [result_id])
                counts["updated"] += 1
            db.conn.executemany(
                "INSERT INTO task_result (result_id, task_id, points) VALUES (?, ?, ?)",
                [(result_id, task_rows[n]["id"], p) for n, p in sorted(points.items())],
            )
    return counts


# ---- the result form: one pupil's points per task, built from the assessment's tasks ---------------------------


def result_form_type(db: Database, assessment_id: int, keep_student: int | None = None) -> RecordType:
    """A record type for typing one pupil's result: the pupil (from the assessment's class), absent, the points
    of every task (or the score when there are no tasks) and the mark (empty: from the thresholds)."""
    assessment = records.fetch(db, ASSESSMENT, assessment_id) or {}
    pupils = _class_pupils(db, assessment, keep_student)
    fields = [
        Field("student_id", N_("Pupil"), Kind.CHOICE, required=True, choices=tuple(pupils)),
        Field("absent", N_("Absent"), Kind.BOOL),
    ]
    task_list = tasks(db, assessment_id)
    for t in task_list:
        fields.append(
            Field(
                f"task_{t['number']}",
                _("Task {n} (0 to {max})").format(n=t["number"], max=fmt.format_number(t["max_points"])),
                Kind.NUMBER,
                minimum=0,
                maximum=t["max_points"],
            )
        )
    if not task_list:
        fields.append(
            Field("total", N_("Score"), Kind.NUMBER, minimum=0, maximum=max_total(db, assessment) or MAX_SCORE)
        )
    fields.append(
        Field(
            "mark",
            N_("Mark"),
            Kind.INT,
            minimum=1,
            maximum=5,
            placeholder=N_("empty: from the minimum scores"),
        )
    )
    return RecordType(
        name="result_form",
        table="assessment_result",
        title=N_("Result"),
        plural=N_("Results"),
        fields=tuple(fields),
        display=lambda r: str(r.get("id", "")),
    )


def _class_pupils(db: Database, assessment: dict, keep: int | None) -> list[tuple[int, str]]:
    sql = "SELECT id, last_name, first_name, middle_name, grade, letter FROM student WHERE (grade = ?"
    params: list = [assessment.get("grade")]
    if assessment.get("class_letter"):
        sql += " AND letter = ?"
        params.append(assessment["class_letter"])
    sql += " AND (left_on IS NULL OR left_on > ?)) OR id = ? ORDER BY grade, letter, last_name, first_name"
    params += [assessment.get("date") or "", keep or 0]
    return [
        (
            r[0],
            f"{full_name(dict(zip(('last_name', 'first_name', 'middle_name'), r[1:4])))} ({class_label(r[4], r[5])})",
        )
        for r in db.execute(sql, params)
    ]


def result_form_values(db: Database, result_id: int) -> dict:
    """A stored result as the result form shows it (points as task_N)."""
    row = records.fetch(db, ASSESSMENT_RESULT, result_id) or {}
    assessment = records.fetch(db, ASSESSMENT, row.get("assessment_id")) if row else None
    if assessment and row["mark"] is not None and row["mark"] == mark_for(assessment, row["total"]):
        row["mark"] = None  # it follows the points: shown empty, computed again when they change
    for number, value in db.execute(
        "SELECT t.number, tr.points FROM task_result tr JOIN assessment_task t ON t.id = tr.task_id "
        "WHERE tr.result_id = ?",
        [result_id],
    ):
        row[f"task_{number}"] = value
    return row


def save_result_form(db: Database, assessment_id: int, values: dict, result_id: int | None = None) -> int:
    """Save what the result form holds (validated like a record), through `save_results`; returns the result id."""
    rtype = result_form_type(db, assessment_id, keep_student=values.get("student_id"))
    clean = records.validate(rtype, values)
    if result_id is not None:
        stored = records.fetch(db, ASSESSMENT_RESULT, result_id)
        if stored is None:
            raise ValidationError({"": _("The record no longer exists.")})
    points = {int(k[5:]): v for k, v in clean.items() if k.startswith("task_") and v is not None}
    row = {
        "student_id": clean["student_id"],
        "absent": clean["absent"],
        "points": points,
        "total": clean.get("total"),
        "mark": clean["mark"],
    }
    with transaction(db):
        if result_id is not None and stored["student_id"] != clean["student_id"]:
            db.execute("DELETE FROM assessment_result WHERE id = ?", [result_id])
        try:
            save_results(db, assessment_id, [row])
        except ValidationError as exc:
            raise ValidationError({"": " ".join(exc.errors.values())}) from exc
    return db.execute(
        "SELECT id FROM assessment_result WHERE assessment_id = ? AND student_id = ?",
        [assessment_id, clean["student_id"]],
    ).fetchone()[0]


# ---- deficits -----------------------------------------------------------------------------------------------------


def _skill(number: int, skill: str | None) -> str:
    return skill or _("task {n}").format(n=number)


def task_solve_rates(db: Database, assessment_id: int) -> list[tuple[int, str, float | None]]:
    """(task number, skill, solve rate 0…1) for every task: the points scored over the points possible, among the
    pupils who wrote the work; None while nobody has."""
    found = db.execute(
        "SELECT t.number, t.skill, sum(CASE WHEN r.id IS NOT NULL THEN tr.points END) / (count(r.id) * t.max_points) "
        "FROM assessment_task t "
        "LEFT JOIN task_result tr ON tr.task_id = t.id "
        "LEFT JOIN assessment_result r ON r.id = tr.result_id AND r.absent = 0 "
        "WHERE t.assessment_id = ? GROUP BY t.id ORDER BY t.number",
        [assessment_id],
    ).fetchall()
    return [(number, _skill(number, skill), rate) for number, skill, rate in found]


def class_deficits(db: Database, assessment_id: int, threshold: float = DEFICIT_THRESHOLD) -> list[str]:
    """Skills the class as a whole solved below the threshold, in task order."""
    return _unique(
        skill for _n, skill, rate in task_solve_rates(db, assessment_id) if rate is not None and rate < threshold
    )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _deficits_by_student(
    db: Database, assessment_id: int, threshold: float, student_id: int | None = None
) -> dict[int, list[str]]:
    sql = (
        "SELECT r.student_id, t.number, t.skill FROM task_result tr "
        "JOIN assessment_task t ON t.id = tr.task_id JOIN assessment_result r ON r.id = tr.result_id "
        "WHERE r.assessment_id = ? AND r.absent = 0 AND tr.points < t.max_points * ?"
    )
    params: list = [assessment_id, threshold]
    if student_id is not None:
        sql += " AND r.student_id = ?"
        params.append(student_id)
    out: dict[int, list[str]] = {}
    for sid, number, skill in db.execute(sql + " ORDER BY r.student_id, t.number", params):
        out.setdefault(sid, []).append(_skill(number, skill))
    return {sid: _unique(skills) for sid, skills in out.items()}


def student_deficits(
    db: Database, assessment_id: int, student_id: int, threshold: float = DEFICIT_THRESHOLD
) -> list[str]:
    """Skills of the tasks this pupil solved below the threshold (points / max points), in task order."""
    return _deficits_by_student(db, assessment_id, threshold, student_id).get(student_id, [])


# ---- proposals for the databank -----------------------------------------------------------------------------------


def _databank_type() -> RecordType:
    import models.databank  # noqa: F401 — registers the databank entry record type

    return records.record_type("databank_entry")


def _category_id(db: Database, name: str) -> int:
    found = db.execute(
        "SELECT id FROM ref_item WHERE list = 'difficulty_category' AND lower(name) = lower(?)", [name]
    ).fetchone()
    if found is None:
        raise ValidationError(
            {
                "": _(
                    "The difficulty category “{name}” is missing from the reference lists; "
                    "add it back under Reference lists."
                ).format(name=name)
            }
        )
    return found[0]


def source_for(kind: str) -> str:
    """The databank's "identified by" value for an assessment kind (its own, or "other" if the list lacks it)."""
    known = {value for value, _label in _databank_type().field("source").choice_list()}
    return kind if kind in known else "other"


def propose_databank_entries(db: Database, assessment_id: int, threshold: float = DEFICIT_THRESHOLD) -> list[dict]:
    """Databank entries for the pupils of this assessment who got a "2" (or "1") or have deficits.

    Each proposal: student_id, student, class_name, category_id, category, subject_id, subject, identified_on,
    source, description, assessment_id, mark, deficits, exists (the pupil already has an active entry of that
    category and subject, so creating it would be skipped) and suggested (a "2", or a "3" with deficits: ticked at
    first in the page). Pupils who left the school are not proposed.
    """
    assessment = records.fetch(db, ASSESSMENT, assessment_id)
    if assessment is None:
        raise ValidationError({"": _("The record no longer exists.")})
    gia = assessment["kind"] in GIA_KINDS and assessment["grade"] in (9, 11)
    category = GIA_CATEGORY if gia else ACADEMIC_CATEGORY
    category_id = _category_id(db, category)
    category = records.Lookups(db).name("difficulty_category", category_id)
    subject = records.Lookups(db).name("subject", assessment["subject_id"])
    deficits = _deficits_by_student(db, assessment_id, threshold)
    already = {
        r[0]
        for r in db.execute(
            "SELECT student_id FROM databank_entry WHERE category_id = ? AND subject_id IS ? AND status = 'active'",
            [category_id, assessment["subject_id"]],
        )
    }
    name = describe(db, assessment)
    source = source_for(assessment["kind"])
    out = []
    for sid, last, first, middle, grade, letter, mark in db.execute(
        "SELECT s.id, s.last_name, s.first_name, s.middle_name, s.grade, s.letter, r.mark "
        "FROM assessment_result r JOIN student s ON s.id = r.student_id "
        "WHERE r.assessment_id = ? AND r.absent = 0 AND s.left_on IS NULL "
        "ORDER BY s.grade, s.letter, s.last_name, s.first_name, s.middle_name",
        [assessment_id],
    ):
        skills = deficits.get(sid, [])
        failed = mark is not None and mark <= 2
        if not failed and not skills:
            continue
        parts = [name + "."]
        if mark is not None:
            parts.append(_("Mark: {mark}.").format(mark=mark))
        if skills:
            parts.append(_("Deficits: {skills}.").format(skills="; ".join(skills)))
        out.append(
            {
                "student_id": sid,
                "student": full_name({"last_name": last, "first_name": first, "middle_name": middle}),
                "class_name": class_label(grade, letter),
                "category_id": category_id,
                "category": category,
                "subject_id": assessment["subject_id"],
                "subject": subject,
                "identified_on": assessment["date"],
                "source": source,
                "description": " ".join(parts),
                "assessment_id": assessment_id,
                "mark": mark,
                "deficits": skills,
                "exists": sid in already,
                # a "2", or a "3" with deficits; a good mark with a gap or two is the teacher's work in class
                "suggested": failed or bool(skills) and (mark is None or mark <= 3),
            }
        )
    return out


def create_databank_entries(db: Database, proposals: Iterable[dict]) -> int:
    """Write the chosen proposals as databank entries in one transaction; a pupil who already has an active entry
    of that category and subject is skipped. Returns how many entries were made."""
    rtype = _databank_type()
    made = 0
    with transaction(db):
        for p in proposals:
            if db.execute(
                "SELECT 1 FROM databank_entry WHERE student_id = ? AND category_id = ? AND subject_id IS ? "
                "AND status = 'active'",
                [p["student_id"], p["category_id"], p.get("subject_id")],
            ).fetchone():
                continue
            entry_id = records.save(
                db,
                rtype,
                {
                    "student_id": p["student_id"],
                    "category_id": p["category_id"],
                    "subject_id": p.get("subject_id"),
                    "identified_on": p["identified_on"],
                    "source": p.get("source") or "other",
                    "description": p.get("description"),
                    "status": "active",
                },
            )
            if p.get("assessment_id"):  # the record type does not declare the link; the column exists
                db.execute("UPDATE databank_entry SET assessment_id = ? WHERE id = ?", [p["assessment_id"], entry_id])
            made += 1
    return made


# ---- views: the results of one assessment, a column per task (declared like records, never saved as such) -------


def results_view_type(db: Database, assessment_id: int) -> RecordType:
    """The results list of one assessment: the pupil, class, absent, score, mark, the points of every task, deficits."""
    task_fields = tuple(Field(f"task_{t['number']}", str(t["number"]), Kind.NUMBER) for t in tasks(db, assessment_id))
    return RecordType(
        name="result_row",
        table="assessment_result",
        title=N_("Result"),
        plural=N_("Results"),
        fields=(
            Field("student", N_("Pupil")),
            Field("class_name", N_("Class")),
            Field("absent_text", N_("Absent")),
            Field("total", N_("Score"), Kind.NUMBER),
            Field("mark", N_("Mark"), Kind.INT),
            *task_fields,
            Field("deficits", N_("Deficits")),
        ),
        display=lambda r: r.get("student") or "",
        show_id=False,
    )


def results_table(db: Database, assessment_id: int, threshold: float = DEFICIT_THRESHOLD) -> list[dict]:
    """The rows of `results_view_type`: every result with the pupil's name and class, points by task, deficits."""
    assessment = records.fetch(db, ASSESSMENT, assessment_id)
    if assessment is None:
        return []
    out = db.dicts(
        "SELECT r.id, r.student_id, r.total, r.mark, r.absent, s.last_name, s.first_name, s.middle_name, s.grade, "
        "s.letter FROM assessment_result r JOIN student s ON s.id = r.student_id WHERE r.assessment_id = ? "
        "ORDER BY s.last_name, s.first_name, s.middle_name",
        [assessment_id],
    )
    points: dict[int, dict[str, float]] = {}
    for result_id, number, value in db.execute(
        "SELECT tr.result_id, t.number, tr.points FROM task_result tr JOIN assessment_task t ON t.id = tr.task_id "
        "WHERE t.assessment_id = ?",
        [assessment_id],
    ):
        points.setdefault(result_id, {})[f"task_{number}"] = value
    deficits = _deficits_by_student(db, assessment_id, threshold)
    for row in out:
        row.update(points.get(row["id"], {}))
        row["student"] = full_name(row)
        row["class_name"] = class_label(assessment["grade"], assessment.get("class_letter") or row["letter"])
        row["deficits"] = "; ".join(deficits.get(row["student_id"], []))
        row["absent_text"] = _("yes") if row["absent"] else ""
    return out


TASK_ROW = RecordType(  # the tasks of one assessment with how the class solved them
    name="task_row",
    table="assessment_task",
    title=N_("Assessment task"),
    plural=N_("Assessment tasks"),
    fields=(
        Field("number", N_("Task No."), Kind.INT),
        Field("max_points", N_("Max points"), Kind.NUMBER),
        Field("skill", N_("Skill checked")),
        Field("rate_percent", N_("Solved, %"), Kind.NUMBER),
        Field("deficit_text", N_("Deficit of the class")),
    ),
    display=lambda r: r.get("skill") or "",
    show_id=False,
)


def tasks_table(db: Database, assessment_id: int, threshold: float = DEFICIT_THRESHOLD) -> list[dict]:
    """The rows of TASK_ROW: every task with its solve rate in per cent and whether the class solved it below the
    threshold."""
    rates = {number: rate for number, _skill, rate in task_solve_rates(db, assessment_id)}
    out = tasks(db, assessment_id)
    for row in out:
        rate = rates.get(row["number"])
        row["rate_percent"] = round(100 * rate, 1) if rate is not None else None
        row["deficit_text"] = _("yes") if rate is not None and rate < threshold else ""
    return out
