"""The Home page's lists are read with SQL doing the choosing (only the pupils, staff, measures and points needed);
they must equal what the straightforward reading of every record gave. The reference implementations below are
the earlier code, kept verbatim, over `records.rows`."""

from __future__ import annotations

import datetime as dt

import pytest

from models import fmt, meetings, metrics, programs, routes
from models.databank import class_name
from models.db import open_database
from models.demo import build_demo
from models.records import Lookups, record_type, rows
from models.school import STAFF, STUDENT, full_name, short_name

# The pupil record checks birth dates against the real year, so the pretended day stays in the real year.
TODAY = dt.date(dt.date.today().year, 11, 22)
DAYS = [
    TODAY,
    dt.date(TODAY.year, 7, 15),  # summer holidays
    dt.date(TODAY.year, 9, 1),
    dt.date(TODAY.year - 1, 9, 1),
    dt.date(TODAY.year - 1, 12, 30),
    dt.date(TODAY.year + 1, 3, 10),
    dt.date(TODAY.year + 2, 9, 1),  # every route over, no academic year
    dt.date(2015, 1, 10),  # before any route, program or year: nothing at all
]


# ---- the reference: the earlier code ------------------------------------------------------------------------


def ref_step_counts(db, today):
    found = db.execute(
        "SELECT s.route_id, count(*), count(s.done_on), "
        "sum(s.done_on IS NULL AND s.due_date < ? AND r.status = 'active') "
        "FROM route_step s JOIN learning_route r ON r.id = s.route_id GROUP BY s.route_id",
        [today.isoformat()],
    )
    return {r[0]: (r[1], r[2], r[3] or 0) for r in found}


def ref_all_checkpoints(db):
    out = {}
    for p in rows(db, routes.ROUTE_CHECKPOINT):
        out.setdefault(p["route_id"], []).append(p)
    return out


def ref_student_routes(db, flt=None, today=None):
    flt, today = flt or routes.RouteFilter(), today or dt.date.today()
    found = rows(db, routes.STUDENT_ROUTE, {"status": flt.status} if flt.status else None)
    if not found:
        return []
    pupils = {s["id"]: s for s in rows(db, STUDENT)}
    counts, points = ref_step_counts(db, today), ref_all_checkpoints(db)
    out = []
    for route in found:
        pupil = pupils[route["student_id"]]
        name = class_name(pupil)
        if flt.class_name and name != flt.class_name and str(pupil["grade"]) != flt.class_name:
            continue
        if flt.subject_id and route["subject_id"] != flt.subject_id:
            continue
        mine = points.get(route["id"], [])
        revision = route["status"] == "active" and routes.needs_revision(route, mine)
        if flt.revision_only and not revision:
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
                "steps": routes._steps_text(counts.get(route["id"])),
                "steps_total": total,
                "steps_done": done,
                "overdue_steps": overdue,
                "last_value": last,
                "score": score,
                "needs_revision": revision,
            }
        )
    return out


def ref_who(db):
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


def ref_open_steps(db, today=None, days=None):
    today = today or dt.date.today()
    horizon = (today + dt.timedelta(days=days)).isoformat() if days is not None else today.isoformat()
    active = {r["id"]: r for r in rows(db, routes.LEARNING_ROUTE, {"status": "active"})}
    who = ref_who(db)
    out = []
    for step in rows(db, routes.ROUTE_STEP):
        route = active.get(step["route_id"])
        if route is None or step["done_on"] or not step["due_date"]:
            continue
        overdue = step["due_date"] < today.isoformat()
        if not overdue and (days is None or step["due_date"] > horizon):
            continue
        name, klass, _grade = who[route["id"]]
        responsible = (
            route["responsible_id"] if route["kind"] == "student" else route["mentor_id"] or route["teacher_id"]
        )
        out.append(
            {
                **step,
                "who": name,
                "class_name": klass,
                "subject_id": route["subject_id"],
                "responsible_id": responsible,
                "kind": route["kind"],
                "overdue": overdue,
            }
        )
    out.sort(key=lambda s: (s["due_date"], s["id"]))
    return out


def ref_routes_attention(db, today=None, days=14):
    today = today or dt.date.today()
    revision = [r for r in ref_student_routes(db, routes.RouteFilter(status="active"), today) if r["needs_revision"]]
    return {"steps": ref_open_steps(db, today, days), "revision": revision}


def ref_roadmap(db, flt=None, today=None):
    flt, today = flt or programs.RoadmapFilter(), today or dt.date.today()
    lookups = Lookups(db)
    periods = {p["id"]: (p["start_date"], p["end_date"]) for p in rows(db, programs.PROGRAM)}
    found = []
    for m in rows(db, programs.MEASURE):
        if flt.program_id and m["program_id"] != flt.program_id:
            continue
        if flt.status and m["status"] != flt.status:
            continue
        if flt.staff_id and flt.staff_id not in (m["responsible"] or []):
            continue
        first, last = m["start_date"] or m["due_date"], m["due_date"] or m["start_date"]
        if not first:
            first, last = periods[m["program_id"]]
        if flt.end and first and first > flt.end or flt.start and last and last < flt.start:
            continue
        m["overdue"] = programs.is_overdue(m, today)
        if flt.overdue_only and not m["overdue"]:
            continue
        m["program"] = lookups.name("program", m["program_id"])
        m["deadline"] = programs.deadline_label(m)
        m["responsible_names"] = programs.responsible_label(m, lookups)
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


def ref_indicator_values(db, indicator, today=None):
    today = today or dt.date.today()
    if not indicator.get("metric"):
        found = rows(db, programs.INDICATOR_VALUE, {"indicator_id": indicator["id"]})
        return [(v["measured_on"], v["value"]) for v in found]
    ends = [
        r[0] for r in db.execute("SELECT end_date FROM term WHERE end_date <= ? ORDER BY end_date", [today.isoformat()])
    ]
    points = []
    for day in [*ends[-8:], today.isoformat()]:
        value = metrics.value(db, indicator["metric"], dt.date.fromisoformat(day))
        if value is not None:
            points.append((day, value))
    return points


def ref_indicator_status(db, indicator, today=None):
    today = today or dt.date.today()
    year = db.execute(
        "SELECT id, start_date, end_date FROM academic_year WHERE start_date <= ? AND end_date >= ?",
        [today.isoformat()] * 2,
    ).fetchone()
    target = None
    if year:
        found = db.execute(
            "SELECT target FROM indicator_target WHERE indicator_id = ? AND academic_year_id = ?",
            [indicator["id"], year[0]],
        ).fetchone()
        target = found[0] if found else None
    points = ref_indicator_values(db, indicator, today)
    if year:
        points = [p for p in points if p[0] >= year[1]]
    latest = points[-1] if points else None
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


def ref_indicator_overview(db, today=None, program_id=None):
    today = today or dt.date.today()
    lookups = Lookups(db)
    out = []
    for ind in rows(db, programs.INDICATOR, {"program_id": program_id} if program_id else None):
        status = ref_indicator_status(db, ind, today)
        out.append(
            {**ind, **status, "program": lookups.name("program", ind["program_id"]), "computed": bool(ind["metric"])}
        )
    return out


def ref_programs_attention(db, today=None, days=14):
    today = today or dt.date.today()
    horizon = (today + dt.timedelta(days=days)).isoformat()
    drafts = {p["id"] for p in rows(db, programs.PROGRAM) if p["status"] == "draft"}
    all_open = [
        m
        for m in ref_roadmap(db, today=today)
        if m["status"] in programs.OPEN_STATUSES and m["due_date"] and m["program_id"] not in drafts
    ]
    return {
        "overdue": sorted((m for m in all_open if m["overdue"]), key=lambda m: m["due_date"]),
        "upcoming": sorted(
            (m for m in all_open if today.isoformat() <= m["due_date"] <= horizon), key=lambda m: m["due_date"]
        ),
        "indicators": [
            i
            for i in ref_indicator_overview(db, today)
            if i["status"] in ("behind", "no_data") and i["program_id"] not in drafts
        ],
    }


def ref_short_names(db):
    return {s["id"]: short_name(s) for s in rows(db, record_type("staff"))}


def ref_decision_rows(db, meeting_id=None, *, include_closed=True, overdue_only=False, today=None):
    today = today or dt.date.today()
    names = ref_short_names(db)
    found_meetings = {m["id"]: m for m in rows(db, meetings.MEETING, {"id": meeting_id} if meeting_id else None)}
    measures = {
        mid: title
        for mid, title in db.execute("SELECT m.id, m.title FROM measure m JOIN decision d ON d.measure_id = m.id")
    }
    out = []
    for d in rows(db, meetings.DECISION, {"meeting_id": meeting_id} if meeting_id else None):
        if not include_closed and d["status"] != "open":
            continue
        d["overdue"] = meetings.is_overdue(d, today)
        d["state"] = "overdue" if d["overdue"] else d["status"]
        if overdue_only and not d["overdue"]:
            continue
        meeting = found_meetings.get(d["meeting_id"], {})
        d["meeting"] = meetings.minutes_label(meeting) if meeting else ""
        d["meeting_date"] = meeting.get("date")
        d["meeting_number"] = meeting.get("number")
        d["owner"] = meetings.owner_label(d, names)
        d["measure"] = measures.get(d["measure_id"], "")
        out.append(d)
    if meeting_id is None:
        out.sort(key=lambda d: (d["status"] != "open", d["due_date"] or "9999", d["meeting_date"] or "", d["position"]))
    return out


def ref_schedule(db, today=None):
    today = today or dt.date.today()
    ahead = sorted(
        (m for m in meetings.meeting_rows(db) if m["status"] == "planned" and m["date"] >= today.isoformat()),
        key=lambda m: (m["date"], m["time"] or ""),
    )
    past = [m for m in meetings.meeting_rows(db) if m["status"] == "planned" and m["date"] < today.isoformat()]
    return {"next_meeting": ahead[0] if ahead else None, "not_recorded": past}


def ref_meetings_attention(db, today=None):
    today = today or dt.date.today()
    open_ones = ref_decision_rows(db, include_closed=False, today=today)
    return {
        **ref_schedule(db, today),
        "open_decisions": open_ones,
        "overdue_decisions": [d for d in open_ones if d["overdue"]],
    }


# ---- the school: the demo, and the odd records real data may hold ------------------------------------------


def _add_odd_records(db) -> None:
    """What the demo does not make but a school's data may: written straight, as an older version or an import
    might have left them."""
    one = lambda sql, params=(): db.execute(sql, params).fetchone()  # noqa: E731
    route_id, start, end = one(
        "SELECT id, start_date, end_date FROM learning_route WHERE status = 'active' AND kind = 'student' ORDER BY id"
    )
    teacher = one("SELECT id FROM staff ORDER BY id")[0]
    with db.conn:
        # steps "done" on an empty date and due on an empty one; two steps due the same day
        step = "INSERT INTO route_step (route_id, topic, due_date, done_on) VALUES (?, ?, ?, ?)"
        db.execute(step, [route_id, "a", start, ""])
        db.execute("INSERT INTO route_step (route_id, topic, due_date) VALUES (?, 'b', '')", [route_id])
        db.execute("INSERT INTO route_step (route_id, topic, due_date) VALUES (?, 'c', ?)", [route_id, start])
        # a pupil's route that names a teacher too, under way, falling behind its aim line on three checkpoints
        pupil = one("SELECT id FROM student WHERE left_on IS NULL ORDER BY id DESC")[0]
        cursor = db.execute(
            "INSERT INTO learning_route (kind, student_id, teacher_id, start_date, end_date, baseline, target, status)"
            " VALUES ('student', ?, ?, ?, ?, 5, 20, 'active')",
            [pupil, teacher, start, end],
        )
        odd = cursor.lastrowid
        for day in (start, start, end):
            db.execute("INSERT INTO route_checkpoint (route_id, date, value) VALUES (?, ?, 4)", [odd, day])
        db.execute("INSERT INTO route_step (route_id, topic, due_date) VALUES (?, 'd', ?)", [odd, start])
        # a teacher's route under way without a mentor
        cursor = db.execute(
            "INSERT INTO learning_route (kind, teacher_id, start_date, end_date, status) VALUES ('teacher', ?, ?, ?, "
            "'active')",
            [teacher, start, end],
        )
        db.execute("INSERT INTO route_step (route_id, topic, due_date) VALUES (?, 'e', ?)", [cursor.lastrowid, end])
        # a draft program with an overdue measure; a measure due on an empty date; one with several responsible
        program = one("SELECT id FROM program WHERE status != 'draft' ORDER BY id")[0]
        draft = db.execute("INSERT INTO program (title, status) VALUES ('Черновик', 'draft')").lastrowid
        db.execute(
            "INSERT INTO measure (program_id, title, due_date, status) VALUES (?, 'x', '2000-01-01', 'planned')",
            [draft],
        )
        db.execute(
            "INSERT INTO measure (program_id, title, due_date, status) VALUES (?, 'y', '', 'planned')",
            [program],
        )
        measure = db.execute(
            "INSERT INTO measure (program_id, title, start_date, due_date, status, responsible_text) "
            "VALUES (?, 'z', ?, ?, 'in_progress', 'классные руководители')",
            [program, start, start],
        ).lastrowid
        for (staff_id,) in db.execute("SELECT id FROM staff ORDER BY id DESC LIMIT 3").fetchall():
            db.execute("INSERT INTO measure_responsible (measure_id, staff_id) VALUES (?, ?)", [measure, staff_id])
        # two values of an indicator typed on one day: the later typed is the latest
        indicator, measured_on = one(
            "SELECT indicator_id, max(measured_on) FROM indicator_value GROUP BY indicator_id ORDER BY indicator_id"
        )
        for value in (1.0, 99.0):
            db.execute(
                "INSERT INTO indicator_value (indicator_id, measured_on, value) VALUES (?, ?, ?)",
                [indicator, measured_on, value],
            )


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("attention") / "demo.db")
    build_demo(db, size="small", seed=7, today=TODAY)
    _add_odd_records(db)
    yield db
    db.conn.close()


# ---- the comparisons --------------------------------------------------------------------------------------


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_home_lists_are_as_before(school, today):
    assert routes.attention(school, today) == ref_routes_attention(school, today)
    assert programs.attention(school, today) == ref_programs_attention(school, today)
    assert meetings.attention(school, today) == ref_meetings_attention(school, today)


def test_the_demo_gives_the_lists_something_to_show(school):
    """The comparisons mean something: on the demo's day every list has rows, odd ones among them."""
    steps = routes.attention(school, TODAY)["steps"]
    assert steps and any(s["overdue"] for s in steps) and any(not s["overdue"] for s in steps)
    assert {s["kind"] for s in steps} == {"student", "teacher"}
    assert len(routes.attention(school, TODAY)["revision"]) >= 2
    found = programs.attention(school, TODAY)
    assert found["upcoming"] or found["overdue"]
    assert any(len(m["responsible"]) == 3 for m in found["overdue"] + found["upcoming"])
    assert found["indicators"]
    assert meetings.attention(school, TODAY)["open_decisions"]
    assert routes.attention(school, DAYS[-1])["steps"] == []  # before every route


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_route_lists_are_as_before(school, today):
    subject = school.execute("SELECT subject_id FROM learning_route WHERE subject_id IS NOT NULL").fetchone()[0]
    filters = [
        None,
        routes.RouteFilter(status="active"),
        routes.RouteFilter(status=""),
        routes.RouteFilter(status="completed"),
        routes.RouteFilter(status="draft", revision_only=True),
        routes.RouteFilter(revision_only=True),
        routes.RouteFilter(class_name="5"),
        routes.RouteFilter(class_name="7А", status="active"),
        routes.RouteFilter(subject_id=subject),
    ]
    for flt in filters:
        assert routes.student_routes(school, flt, today) == ref_student_routes(school, flt, today), flt
    for days in (None, 0, 1, 14, 400, -3):
        assert routes.open_steps(school, today, days) == ref_open_steps(school, today, days), days
    assert routes.overdue_steps(school, today) == ref_open_steps(school, today)


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_roadmap_and_indicators_are_as_before(school, today):
    staff_id = school.execute("SELECT staff_id FROM measure_responsible").fetchone()[0]
    filters = [
        None,
        programs.RoadmapFilter(overdue_only=True),
        programs.RoadmapFilter(staff_id=staff_id),
        programs.RoadmapFilter(status="planned", start=today.isoformat()),
        programs.RoadmapFilter(text="а"),
    ]
    for flt in filters:
        assert programs.roadmap(school, flt, today) == ref_roadmap(school, flt, today), flt
    assert programs.indicator_overview(school, today) == ref_indicator_overview(school, today)
    for program_id in [p["id"] for p in rows(school, programs.PROGRAM)]:
        assert programs.indicator_overview(school, today, program_id) == ref_indicator_overview(
            school, today, program_id
        )
    for indicator in rows(school, programs.INDICATOR):
        assert programs.indicator_status(school, indicator, today) == ref_indicator_status(school, indicator, today)


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_decisions_and_names_are_as_before(school, today):
    assert meetings.schedule(school, today) == ref_schedule(school, today)
    for include_closed in (True, False):
        for overdue_only in (True, False):
            assert meetings.decision_rows(
                school, include_closed=include_closed, overdue_only=overdue_only, today=today
            ) == ref_decision_rows(school, include_closed=include_closed, overdue_only=overdue_only, today=today)
    for (meeting_id,) in school.execute("SELECT id FROM meeting").fetchall():
        assert meetings.decision_rows(school, meeting_id, today=today) == ref_decision_rows(
            school, meeting_id, today=today
        )
    everyone = ref_short_names(school)
    assert meetings.short_names(school) == everyone
    some = [s["id"] for s in rows(school, STAFF)][::3]
    assert meetings.short_names(school, some) == {i: everyone[i] for i in some}
    assert meetings.short_names(school, []) == {}
