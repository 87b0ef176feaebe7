"""Class and subject analytics (seed 000 #21: "анализ результатов … по четвертям, полугодиям, за год"; seed 003:
"анализ динамики результатов"): pass rate, quality rate and SOU by class, subject and period, with the change
against the previous period of the same kind, and the school-wide figures that indicators compute by themselves.

Formulas (n5…n1: how many pupils have that mark, N = n5 + n4 + n3 + n2 + n1):
    pass rate (успеваемость) = (n5 + n4 + n3) / N,  quality rate (качество) = (n5 + n4) / N,
    SOU (степень обученности) = (100·n5 + 64·n4 + 36·n3 + 16·n2 + 7·n1) / N   — all in per cent.

What is counted:
- A pupil's mark for a period in a subject is their mark of the chosen kinds (term marks by default) in that
  period; over a half-year or a year it is the rounded mean of their term marks (3.5 → 4), as a year mark is.
  Absent pupils and results without a mark are not counted.
- For one subject a pupil counts by that mark. For all subjects together a pupil counts by their lowest mark
  (only 5s: excellent; 4s and 5s: good; …), so the pass rate is the share of pupils without a "2", the quality
  rate the share with only 4s and 5s; SOU is then taken over all the marks.
- A class is the grade of the assessment and its class letter (the pupil's letter for a whole-grade work).
  The previous period of a class is the same pupils' class then: 6А now against 5А last year.
- A half-year is terms 1–2 or 3–4 of an academic year; a year is all its terms. Work dated outside any term
  counts in the half-year or year its date falls in.

Every aggregate is one SQL query with GROUP BY; nothing loops over results in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models import fmt, metrics
from models.assessments import KINDS, TERM_OF_YEAR, class_label
from models.db import Database, marks
from models.i18n import N_, _
from models.metrics import Metric
from models.records import Field, Kind, RecordType

PERIOD_KINDS = (("term", N_("term")), ("half", N_("half-year")), ("year", N_("academic year")))
DEFAULT_KINDS = ("term_marks",)
WEIGHTS = {5: 100, 4: 64, 3: 36, 2: 16, 1: 7}


def rates(n5: int, n4: int, n3: int, n2: int, n1: int = 0) -> dict:
    """Pupils, pass rate, quality rate and SOU (per cent; None when there is nobody) of a distribution of marks."""
    total = n5 + n4 + n3 + n2 + n1
    if not total:
        return {"pupils": 0, "pass_rate": None, "quality_rate": None, "sou": None}
    return {
        "pupils": total,
        "pass_rate": 100.0 * (n5 + n4 + n3) / total,
        "quality_rate": 100.0 * (n5 + n4) / total,
        "sou": sou(n5, n4, n3, n2, n1),
    }


def sou(n5: int, n4: int, n3: int, n2: int, n1: int = 0) -> float | None:
    """Степень обученности учащихся: (100·n5 + 64·n4 + 36·n3 + 16·n2 + 7·n1) / N, per cent."""
    total = n5 + n4 + n3 + n2 + n1
    return (100 * n5 + 64 * n4 + 36 * n3 + 16 * n2 + 7 * n1) / total if total else None


# ---- periods -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: str  # "term", "half" or "year"
    academic_year_id: int
    number: int | None = None  # the term (1–4) or the half-year (1–2); None for the year


@dataclass(frozen=True)
class Span:
    """What a period covers: its terms, its dates (for work outside any term) and, for a cohort, the grade."""

    term_ids: tuple[int, ...]
    start: str
    end: str
    grade: int | None = None


def _terms(db: Database, academic_year_id: int) -> list[dict]:
    return db.dicts("SELECT * FROM term WHERE academic_year_id = ? ORDER BY number", [academic_year_id])


def _year(db: Database, academic_year_id: int) -> dict:
    return db.first("SELECT * FROM academic_year WHERE id = ?", [academic_year_id]) or {}


def _day_before(iso: str) -> str:
    return (dt.date.fromisoformat(iso) - dt.timedelta(days=1)).isoformat()


def span(db: Database, period: Period, grade: int | None = None) -> Span:
    year, terms = _year(db, period.academic_year_id), _terms(db, period.academic_year_id)
    if period.kind == "term":
        chosen = [t for t in terms if t["number"] == period.number]
        if not chosen:
            return Span((), year.get("start_date", ""), year.get("start_date", ""), grade)
        return Span((chosen[0]["id"],), chosen[0]["start_date"], chosen[0]["end_date"], grade)
    if period.kind == "half":
        second = [t for t in terms if t["number"] >= 3]
        border = min(t["start_date"] for t in second) if second else None
        chosen = [t for t in terms if (t["number"] >= 3) == (period.number == 2)]
        if period.number == 1:
            return Span(
                tuple(t["id"] for t in chosen),
                year["start_date"],
                _day_before(border) if border else year["end_date"],
                grade,
            )
        return Span(tuple(t["id"] for t in chosen), border or year["end_date"], year["end_date"], grade)
    return Span(tuple(t["id"] for t in terms), year["start_date"], year["end_date"], grade)


def periods(db: Database, academic_year_id: int, kind: str) -> list[Period]:
    """The periods of that kind in the academic year: its terms, its two half-years, or the year itself."""
    if kind == "term":
        return [Period("term", academic_year_id, t["number"]) for t in _terms(db, academic_year_id)]
    if kind == "half":
        return [Period("half", academic_year_id, 1), Period("half", academic_year_id, 2)]
    return [Period("year", academic_year_id)]


def period_label(db: Database, period: Period) -> str:
    year = _year(db, period.academic_year_id).get("name", "")
    if period.kind == "term":
        return _("{year}, term {n}").format(year=year, n=period.number)
    if period.kind == "half":
        return _("{year}, half-year {n}").format(year=year, n=period.number)
    return year


def _years(db: Database) -> list[dict]:
    return db.dicts("SELECT id, name, start_date, end_date FROM academic_year ORDER BY start_date", [])


def previous_period(db: Database, period: Period) -> Period | None:
    """The period of the same kind just before: the term before (across a summer), the half-year before, the year
    before."""
    years = [y["id"] for y in _years(db)]
    position = years.index(period.academic_year_id) if period.academic_year_id in years else -1
    earlier_year = years[position - 1] if position > 0 else None
    if period.kind == "term":
        current = span(db, period)
        found = db.first(
            "SELECT academic_year_id, number FROM term WHERE start_date < ? ORDER BY start_date DESC LIMIT 1",
            [current.start],
        )
        return Period("term", found["academic_year_id"], found["number"]) if found and current.term_ids else None
    if period.kind == "half":
        if period.number == 2:
            return Period("half", period.academic_year_id, 1)
        return Period("half", earlier_year, 2) if earlier_year else None
    return Period("year", earlier_year) if earlier_year else None


def year_shift(db: Database, later: Period, earlier: Period) -> int:
    """How many academic years lie between two periods: a class's cohort was that many grades lower then."""
    a, b = _year(db, later.academic_year_id), _year(db, earlier.academic_year_id)
    return int(a["start_date"][:4]) - int(b["start_date"][:4]) if a and b else 0


# ---- the one aggregate query -------------------------------------------------------------------------------


# A whole-grade work's class is the pupil's letter, looked up only for such works (coalesce stops at the first value).
_LETTER = "coalesce(nullif(c.class_letter, ''), (SELECT s.letter FROM student s WHERE s.id = r.student_id), '')"


def _aggregate(
    db: Database,
    spans: list[Span],
    *,
    subject_id: int | None,
    letter: str | None,
    kinds: tuple[str, ...],
    by_class: bool,
) -> list[dict]:
    """Counts per span ("bucket") and, with `by_class`, per class: pupils by their (lowest) mark, and all marks.

    A pupil counts once per span, in one class (the later letter if they changed class within it), so the classes
    add up to the whole.
    """
    if not spans or not kinds:
        return []
    cases, params = [], []
    for index, s in enumerate(spans):
        if s.term_ids:
            cond = f"(a.term_id IN ({marks(s.term_ids)}) OR a.term_id IS NULL AND a.date BETWEEN ? AND ?)"
            params += [*s.term_ids, s.start, s.end]
        else:
            cond = "(a.date BETWEEN ? AND ?)"
            params += [s.start, s.end]
        if s.grade is not None:
            cond += " AND a.grade = ?"
            params.append(s.grade)
        cases.append(f"WHEN {cond} THEN {index}")
    where = f"a.kind IN ({marks(kinds)})"
    params += list(kinds)
    if subject_id is not None:
        where += " AND a.subject_id = ?"
        params.append(subject_id)
    grades = {s.grade for s in spans}
    if None not in grades:
        where += f" AND a.grade IN ({marks(grades)})"
        params += sorted(grades)
    letter_filter = ""
    if letter:
        letter_filter = f"AND {_LETTER} = ?"
        params.append(letter)
    sql = f"""
        WITH chosen AS (
            SELECT a.id, a.grade, a.class_letter, a.subject_id, CASE {" ".join(cases)} END AS bucket
            FROM assessment a WHERE {where}
            LIMIT -1  -- never flattened into the join: the CASE is worked out once per assessment, not per result
        ), src AS (
            SELECT c.bucket, c.grade, {_LETTER} AS letter, r.student_id, c.subject_id, r.mark
            FROM chosen c CROSS JOIN assessment_result r ON r.assessment_id = c.id  -- assessments stay the outer loop
            WHERE c.bucket IS NOT NULL AND r.absent = 0 AND r.mark IS NOT NULL {letter_filter}
        ), period_mark AS (
            SELECT bucket, student_id, subject_id, max(grade) AS grade, max(letter) AS letter,
                   CAST(round(avg(mark)) AS INTEGER) AS mark
            FROM src GROUP BY bucket, student_id, subject_id
        ), pupil AS (
            SELECT bucket, student_id, max(grade) AS grade, max(letter) AS letter, min(mark) AS worst,
                   sum(mark = 5) AS m5, sum(mark = 4) AS m4, sum(mark = 3) AS m3, sum(mark = 2) AS m2,
                   sum(mark <= 1) AS m1
            FROM period_mark GROUP BY bucket, student_id
        )
        SELECT bucket, grade, letter, count(*) AS pupils,
               sum(worst = 5) AS n5, sum(worst = 4) AS n4, sum(worst = 3) AS n3, sum(worst = 2) AS n2,
               sum(worst <= 1) AS n1, sum(m5) AS m5, sum(m4) AS m4, sum(m3) AS m3, sum(m2) AS m2, sum(m1) AS m1
        FROM pupil GROUP BY bucket{", grade, letter" if by_class else ""} ORDER BY bucket, grade, letter
    """
    return db.dicts(sql, params)


def _figures(counts: dict) -> dict:
    out = rates(counts["n5"], counts["n4"], counts["n3"], counts["n2"], counts["n1"])
    out["sou"] = sou(counts["m5"], counts["m4"], counts["m3"], counts["m2"], counts["m1"])
    return {**out, **{k: counts[k] for k in ("n5", "n4", "n3", "n2", "n1")}}


def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def signed(value: float | None) -> str:
    """'+3,2', '−1,5', '0' — a change in percentage points as the table shows it."""
    if value is None:
        return ""
    value = round(value, 1)
    text = fmt.format_number(abs(value), 1)
    return f"+{text}" if value > 0 else f"−{text}" if value < 0 else text


def class_results(
    db: Database,
    period: Period,
    *,
    subject_id: int | None = None,
    grade: int | None = None,
    letter: str | None = None,
    kinds: tuple[str, ...] = DEFAULT_KINDS,
) -> list[dict]:
    """One row per class (of the grade, or one class), and a last row for them all together (`is_total`):
    class_name, pupils, pass_rate, quality_rate, sou, n5…n1, their changes against the previous period
    (pass_change, quality_change, sou_change; None without data then) and `id` (the row's position)."""
    previous = previous_period(db, period)
    shift = year_shift(db, period, previous) if previous else 0
    spans = [span(db, period, grade)]
    if previous:
        spans.append(span(db, previous, grade - shift if grade is not None else None))
    found = _aggregate(db, spans, subject_id=subject_id, letter=letter, kinds=tuple(kinds), by_class=True)
    before = {(r["grade"] + shift, r["letter"]): _figures(r) for r in found if r["bucket"] == 1}
    now = [r for r in found if r["bucket"] == 0]
    out = [
        _row(i, class_label(r["grade"], r["letter"]), r["grade"], r["letter"], _figures(r),
             before.get((r["grade"], r["letter"])))
        for i, r in enumerate(now, start=1)
    ]  # fmt: skip
    if len(now) > 1:  # the classes together: every pupil counts in one class, so their counts add up
        name = _("grade {n}, all classes").format(n=grade) if grade is not None else _("all classes")
        earlier = [r for r in found if r["bucket"] == 1]
        total = _row(len(out) + 1, name, grade, "", _figures(_sum(now)), _figures(_sum(earlier)) if earlier else None)
        out.append({**total, "is_total": True})
    return out


_COUNTS = ("pupils", "n5", "n4", "n3", "n2", "n1", "m5", "m4", "m3", "m2", "m1")


def _sum(rows: list[dict]) -> dict:
    return {k: sum(r[k] for r in rows) for k in _COUNTS}


def _row(position: int, name: str, grade, letter, now: dict, before: dict | None) -> dict:
    row = {
        "id": position,
        "class_name": name,
        "grade": grade,
        "letter": letter,
        "is_total": False,
        **now,
        "n2_and_1": now["n2"] + now["n1"],
    }
    for key, change in (
        ("pass_rate", "pass_change"),
        ("quality_rate", "quality_change"),
        ("sou", "sou_change"),
    ):
        row[change] = _change(now[key], before[key]) if before else None
        row[f"{change}_text"] = signed(row[change])
    return row


def dynamics(
    db: Database,
    academic_year_id: int,
    *,
    subject_id: int | None = None,
    grade: int | None = None,
    letter: str | None = None,
    kinds: tuple[str, ...] = DEFAULT_KINDS,
    years: int = 2,
) -> list[dict]:
    """The figures term by term over this academic year and the `years - 1` before it (the same pupils: a class's
    grade is lower in earlier years): [{term_id, date (its end), label, pupils, pass_rate, quality_rate, sou}]."""
    chosen = _year(db, academic_year_id)
    if not chosen:
        return []
    earlier = [y for y in _years(db) if y["start_date"] <= chosen["start_date"]][-years:]
    terms, spans = [], []
    for y in earlier:
        shift = int(chosen["start_date"][:4]) - int(y["start_date"][:4])
        for t in _terms(db, y["id"]):
            terms.append((t, y))
            spans.append(Span((t["id"],), t["start_date"], t["end_date"], grade - shift if grade is not None else None))
    found = _aggregate(db, spans, subject_id=subject_id, letter=letter, kinds=tuple(kinds), by_class=False)
    out = []
    for r in found:
        term, year = terms[r["bucket"]]
        out.append(
            {
                "term_id": term["id"],
                "date": term["end_date"],
                "label": _("{year}, term {n}").format(year=year["name"], n=term["number"]),
                **_figures(r),
            }
        )
    return out


def class_choices(db: Database, academic_year_id: int | None = None) -> list[tuple[tuple[int, str], str]]:
    """((grade, letter), label) for the class picker: every grade ('5 — all classes') followed by its classes, from
    the pupils at school now and the classes of that year's assessments."""
    found = {
        (g, letter or "")
        for g, letter in db.execute("SELECT DISTINCT grade, letter FROM student WHERE left_on IS NULL")
    }
    if academic_year_id:
        year = _year(db, academic_year_id)
        found |= {
            (g, letter or "")
            for g, letter in db.execute(
                "SELECT DISTINCT grade, class_letter FROM assessment WHERE date BETWEEN ? AND ?",
                [year.get("start_date", ""), year.get("end_date", "")],
            )
        }
    out = []
    for grade in sorted({g for g, _l in found}):
        out.append(((grade, ""), _("grade {n}, all classes").format(n=grade)))
        out += [((grade, letter), class_label(grade, letter)) for g, letter in sorted(found) if g == grade and letter]
    return out


# ---- one assessment ----------------------------------------------------------------------------------------


def skill_solve_rates(db: Database, assessment_id: int) -> list[dict]:
    """Per skill (tasks checking the same skill together): tasks, points scored, points possible and the solve rate
    (0…1) among the pupils who wrote the work, in the order of the first task of each skill."""
    found = db.dicts(
        """
        SELECT coalesce(nullif(t.skill, ''), '#' || t.number) AS skill, min(t.number) AS first_task,
               group_concat(DISTINCT t.number) AS tasks,
               sum(CASE WHEN r.id IS NOT NULL THEN tr.points END) AS scored,
               sum(CASE WHEN r.id IS NOT NULL THEN t.max_points END) AS possible
        FROM assessment_task t
        LEFT JOIN task_result tr ON tr.task_id = t.id
        LEFT JOIN assessment_result r ON r.id = tr.result_id AND r.absent = 0
        WHERE t.assessment_id = ?
        GROUP BY 1 ORDER BY first_task""",
        [assessment_id],
    )
    for position, row in enumerate(found, start=1):
        row["id"] = position
        if row["skill"].startswith("#"):
            row["skill"] = _("task {n}").format(n=row["skill"][1:])
        row["rate"] = row["scored"] / row["possible"] if row["possible"] else None
    return found


def assessment_overview(
    db: Database, academic_year_id: int | None = None, kind: str | None = None, with_term_marks: bool = False
) -> list[dict]:
    """Assessments with their class and figures: pupils who wrote, who did not, pass and quality rate, SOU, 2s."""
    where, params = ["1"], []
    if academic_year_id:
        year = _year(db, academic_year_id)
        where.append("a.date BETWEEN ? AND ?")
        params += [year.get("start_date", ""), year.get("end_date", "")]
    if kind:
        where.append("a.kind = ?")
        params.append(kind)
    elif not with_term_marks:
        where.append("a.kind != 'term_marks'")
    found = db.dicts(
        f"""
        SELECT a.*, coalesce(sum(r.absent = 0), 0) AS wrote, coalesce(sum(r.absent = 1), 0) AS missed,
               coalesce(sum(r.mark = 5), 0) AS n5, coalesce(sum(r.mark = 4), 0) AS n4,
               coalesce(sum(r.mark = 3), 0) AS n3, coalesce(sum(r.mark = 2), 0) AS n2,
               coalesce(sum(r.mark = 1), 0) AS n1
        FROM assessment a LEFT JOIN assessment_result r ON r.assessment_id = a.id AND r.absent IN (0, 1)
        WHERE {" AND ".join(where)} GROUP BY a.id ORDER BY a.date DESC, a.grade, a.class_letter, a.id""",
        params,
    )
    for row in found:
        figures = rates(row["n5"], row["n4"], row["n3"], row["n2"], row["n1"])
        row.update({k: figures[k] for k in ("pass_rate", "quality_rate", "sou")})
        row["class_name"] = class_label(row["grade"], row["class_letter"])
        row["n2_and_1"] = row["n2"] + row["n1"]
    return found


# ---- views: how the pages list these rows (declared like records, never saved as such) ---------------------

ANALYTICS_ROW = RecordType(
    name="analytics_row",
    table="assessment_result",
    title=N_("Class"),
    plural=N_("Analytics"),
    fields=(
        Field("class_name", N_("Class")),
        Field("pupils", N_("Pupils"), Kind.INT),
        Field("pass_rate", N_("Pass rate, %"), Kind.NUMBER),
        Field("quality_rate", N_("Quality rate, %"), Kind.NUMBER),
        Field("sou", N_("SOU, %"), Kind.NUMBER),
        Field("n5", "5", Kind.INT),
        Field("n4", "4", Kind.INT),
        Field("n3", "3", Kind.INT),
        Field("n2_and_1", "2", Kind.INT),
        Field("pass_change_text", N_("Pass rate change, p.p.")),
        Field("quality_change_text", N_("Quality change, p.p.")),
        Field("sou_change_text", N_("SOU change, p.p.")),
    ),
    display=lambda r: r.get("class_name") or "",
    show_id=False,
)

ASSESSMENT_ROW = RecordType(
    name="assessment_row",
    table="assessment",
    title=N_("Assessment"),
    plural=N_("Assessments"),
    fields=(
        Field("date", N_("Date"), Kind.DATE),
        Field("kind", N_("Kind"), Kind.CHOICE, choices=KINDS),
        Field("subject_id", N_("Subject"), Kind.REF, ref="subject"),
        Field("class_name", N_("Class")),
        Field("wrote", N_("Wrote"), Kind.INT),
        Field("missed", N_("Did not write"), Kind.INT),
        Field("pass_rate", N_("Pass rate, %"), Kind.NUMBER),
        Field("quality_rate", N_("Quality rate, %"), Kind.NUMBER),
        Field("sou", N_("SOU, %"), Kind.NUMBER),
        Field("n2_and_1", N_("Got a “2”"), Kind.INT),
        Field("max_score", N_("Max score"), Kind.NUMBER),
        Field("term_id", N_("Term"), Kind.REF, ref=TERM_OF_YEAR.name),
        Field("title", N_("Title")),  # last: the long one stretches
    ),
    display=lambda r: r.get("title") or r.get("class_name") or "",
)

SKILL_ROW = RecordType(
    name="skill_row",
    table="assessment_task",
    title=N_("Skill checked"),
    plural=N_("Skills"),
    fields=(
        Field("tasks", N_("Task numbers")),
        Field("skill", N_("Skill checked")),
        Field("rate_percent", N_("Solved, %"), Kind.NUMBER),
        Field("deficit", N_("Deficit"), Kind.BOOL),
    ),
    display=lambda r: r.get("skill") or "",
    show_id=False,
)


# ---- metrics for indicators --------------------------------------------------------------------------------


def _school_term(db: Database, on: dt.date) -> dict | None:
    """The whole school's figures (all subjects, term marks) in the latest term ended by that day."""
    term = db.first(
        "SELECT id, academic_year_id, number FROM term WHERE end_date <= ? ORDER BY end_date DESC LIMIT 1",
        [on.isoformat()],
    )
    if term is None:
        return None
    found = _aggregate(
        db,
        [span(db, Period("term", term["academic_year_id"], term["number"]))],
        subject_id=None,
        letter=None,
        kinds=DEFAULT_KINDS,
        by_class=False,
    )
    return _figures(found[0]) if found else None


def _rounded(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _pass_rate(db: Database, on: dt.date) -> float | None:
    figures = _school_term(db, on)
    return _rounded(figures["pass_rate"]) if figures else None


def _quality_rate(db: Database, on: dt.date) -> float | None:
    figures = _school_term(db, on)
    return _rounded(figures["quality_rate"]) if figures else None


def _fail_share(db: Database, on: dt.date) -> float | None:
    figures = _school_term(db, on)
    return _rounded(100.0 * (figures["n2"] + figures["n1"]) / figures["pupils"]) if figures else None


_ACTIVE_ON = "identified_on <= ? AND CASE WHEN closed_on IS NOT NULL THEN closed_on > ? ELSE status = 'active' END"


def _databank_active(db: Database, on: dt.date) -> float | None:
    day = on.isoformat()
    return float(db.execute(f"SELECT count(*) FROM databank_entry WHERE {_ACTIVE_ON}", [day, day]).fetchone()[0])


def _databank_pupils(db: Database, on: dt.date) -> float | None:
    day = on.isoformat()
    return float(
        db.execute(f"SELECT count(DISTINCT student_id) FROM databank_entry WHERE {_ACTIVE_ON}", [day, day]).fetchone()[
            0
        ]
    )


metrics.register(Metric("results_pass_rate", N_("Pass rate of the school, all subjects, latest term"), "%", _pass_rate))
metrics.register(
    Metric(
        "results_quality_rate",
        N_("Quality rate of the school, all subjects, latest term"),
        "%",
        _quality_rate,
    )
)
metrics.register(Metric("results_fail_share", N_("Share of pupils with a “2” in the latest term"), "%", _fail_share))
metrics.register(Metric("databank_active", N_("Active entries in the databank"), "", _databank_active))
metrics.register(Metric("databank_pupils", N_("Pupils with an active entry in the databank"), "", _databank_pupils))
