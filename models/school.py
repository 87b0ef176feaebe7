"""School and people: the school profile, academic years and terms, staff, working group, curator, students,
and the reference lists. Each entity is one record-type declaration; the rest is the few domain rules.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from models.db import Database, transaction
from models.i18n import N_, _
from models.records import Field, Kind, RecordType, register, rows, save
from models.records import validate as records_validate
from models.reference import LISTS

# ---- reference lists: one record type per list, all in the table ref_item --------------------------------

for _key, (_title, _items) in LISTS.items():
    register(
        RecordType(
            name=_key,
            table="ref_item",
            title=N_("Item"),
            plural=_title,
            fields=(
                Field("name", N_("Name"), required=True),
                Field("sort_order", N_("Order"), Kind.INT, minimum=0, maximum=9999, default=0),
                Field("active", N_("In use"), Kind.BOOL, default=1),
            ),
            display=lambda r: r.get("name") or "",
            order_by="sort_order, name",
            fixed={"list": _key},
        )
    )


def full_name(r: dict) -> str:
    return " ".join(p for p in (r.get("last_name"), r.get("first_name"), r.get("middle_name")) if p)


def short_name(r: dict) -> str:
    """'Иванова М. П.' — how documents name a person."""
    initials = " ".join(f"{p[0]}." for p in (r.get("first_name"), r.get("middle_name")) if p)
    return f"{r.get('last_name', '')} {initials}".strip()


def _check_dates(start: str, end: str, strict: bool = False):
    def check(r: dict) -> dict[str, str]:
        if r.get(start) and r.get(end) and (r[end] <= r[start] if strict else r[end] < r[start]):
            return {end: _("The end date is before the start date.")}
        return {}

    return check


# ---- staff -------------------------------------------------------------------------------------------

GENDERS = (("f", N_("female")), ("m", N_("male")))


def _check_staff(r: dict) -> dict[str, str]:
    errors = {}
    if r.get("birth_year") and r["birth_year"] > dt.date.today().year - 14:
        errors["birth_year"] = _("A staff member is at least 14 years old.")
    if r.get("hired_on") and r.get("birth_year") and int(r["hired_on"][:4]) - r["birth_year"] < 14:
        errors["hired_on"] = _("The hiring date does not fit the birth year.")
    return errors


STAFF = register(
    RecordType(
        name="staff",
        table="staff",
        title=N_("Staff member"),
        plural=N_("Staff"),
        fields=(
            Field("last_name", N_("Last name"), required=True, max_length=60),
            Field("first_name", N_("First name"), required=True, max_length=60),
            Field("middle_name", N_("Middle name"), max_length=60),
            Field("position_id", N_("Position"), Kind.REF, ref="position"),
            Field(
                "subjects",
                N_("Subjects"),
                Kind.REFS,
                ref="subject",
                link=("staff_subject", "staff_id", "subject_id"),
            ),
            Field("category_id", N_("Qualification category"), Kind.REF, ref="qualification_category"),
            Field("gender", N_("Gender"), Kind.CHOICE, choices=GENDERS, in_list=False),
            Field("birth_year", N_("Birth year"), Kind.INT, minimum=1930, maximum=2100),
            Field("young_specialist", N_("Young specialist"), Kind.BOOL),
            Field("hired_on", N_("Hired on"), Kind.DATE),
            Field("active", N_("Works at the school"), Kind.BOOL, default=1),
            Field("phone", N_("Phone"), max_length=40, in_list=False),
            Field("email", N_("E-mail"), max_length=120, in_list=False),
        ),
        display=full_name,
        order_by="last_name, first_name, middle_name",
        check=_check_staff,
    )
)

# ---- school profile --------------------------------------------------------------------------------------

SCHOOL_STATUSES = (
    ("shnor", N_("School with low educational results (SHNOR)")),
    ("shnsu", N_("School in unfavourable social conditions (SHNSU)")),
    ("risk_group", N_("Risk group")),
)

SCHOOL = register(
    RecordType(
        name="school",
        table="school",
        title=N_("School profile"),
        plural=N_("School profile"),
        fields=(
            Field("full_name", N_("Full name"), required=True, max_length=400),
            Field("short_name", N_("Short name"), required=True, max_length=120),
            Field("municipality", N_("Municipality"), max_length=200),
            Field("region", N_("Region"), max_length=200),
            Field("address", N_("Address"), max_length=300),
            Field("status", N_("Status"), Kind.CHOICE, required=True, choices=SCHOOL_STATUSES, default="shnor"),
            Field(
                "years_identified",
                N_("Years identified"),
                max_length=100,
                placeholder=N_("for example: 2023, 2024, 2025"),
            ),
            Field("director_id", N_("Director"), Kind.REF, ref="staff"),
            Field("deputy_id", N_("Deputy director for academic work"), Kind.REF, ref="staff"),
            Field("phone", N_("Phone"), max_length=40),
            Field("email", N_("E-mail"), max_length=120),
        ),
        display=lambda r: r.get("short_name") or "",
        singleton=True,
    )
)


def school_profile(db: Database) -> dict | None:
    found = rows(db, SCHOOL)
    return found[0] if found else None


# ---- academic years and terms ------------------------------------------------------------------------------

_YEAR_NAME = re.compile(r"^(\d{4})/(\d{4})$")


def _check_year(r: dict) -> dict[str, str]:
    errors = _check_dates("start_date", "end_date", strict=True)(r)
    match = _YEAR_NAME.match(r.get("name") or "")
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        errors["name"] = _("Write the academic year as 2026/2027.")
    return errors


ACADEMIC_YEAR = register(
    RecordType(
        name="academic_year",
        table="academic_year",
        title=N_("Academic year"),
        plural=N_("Academic years"),
        fields=(
            Field("name", N_("Academic year"), required=True, max_length=9, placeholder="2026/2027"),
            Field("start_date", N_("Start"), Kind.DATE, required=True),
            Field("end_date", N_("End"), Kind.DATE, required=True),
        ),
        display=lambda r: r.get("name") or "",
        order_by="start_date DESC",
        check=_check_year,
    )
)

TERM = register(
    RecordType(
        name="term",
        table="term",
        title=N_("Term"),
        plural=N_("Terms"),
        fields=(
            Field("academic_year_id", N_("Academic year"), Kind.REF, required=True, ref="academic_year"),
            Field("number", N_("Term number"), Kind.INT, required=True, minimum=1, maximum=4),
            Field("start_date", N_("Start"), Kind.DATE, required=True),
            Field("end_date", N_("End"), Kind.DATE, required=True),
        ),
        display=lambda r: _("Term {n}").format(n=r.get("number", "")),
        order_by="academic_year_id, number",
        parent="academic_year_id",
        check=_check_dates("start_date", "end_date"),
    )
)


def default_terms(start_year: int) -> list[tuple[str, str]]:
    """The usual four terms of a Russian school year starting in September of `start_year`."""
    y, n = start_year, start_year + 1
    return [
        (f"{y}-09-01", f"{y}-10-24"),
        (f"{y}-11-05", f"{y}-12-28"),
        (f"{n}-01-12", f"{n}-03-20"),
        (f"{n}-03-30", f"{n}-05-26"),
    ]


def create_academic_year(db: Database, start_year: int) -> int:
    """Add the academic year starting in September of `start_year` with its four default terms (one transaction)."""
    with transaction(db):
        year_id = save(
            db,
            ACADEMIC_YEAR,
            {
                "name": f"{start_year}/{start_year + 1}",
                "start_date": f"{start_year}-09-01",
                "end_date": f"{start_year + 1}-08-31",
            },
        )
        for number, (start, end) in enumerate(default_terms(start_year), start=1):
            save(
                db,
                TERM,
                {"academic_year_id": year_id, "number": number, "start_date": start, "end_date": end},
            )
    return year_id


def add_next_academic_year(db: Database, today: dt.date | None = None) -> int:
    """Add the year after the latest one (or the current one when there is none), with its four terms."""
    latest = db.execute("SELECT max(start_date) FROM academic_year").fetchone()[0]
    start_year = int(latest[:4]) + 1 if latest else academic_year_start(today or dt.date.today())
    return create_academic_year(db, start_year)


def academic_year_start(day: dt.date) -> int:
    """The calendar year in which the academic year containing `day` began (September to August)."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_on(db: Database, day: dt.date) -> dict | None:
    iso = day.isoformat()
    return db.first(
        "SELECT * FROM academic_year WHERE start_date <= ? AND end_date >= ? ORDER BY start_date DESC LIMIT 1",
        [iso, iso],
    )


def term_on(db: Database, day: dt.date) -> dict | None:
    iso = day.isoformat()
    return db.first(
        "SELECT * FROM term WHERE start_date <= ? AND end_date >= ? ORDER BY start_date LIMIT 1", [iso, iso]
    )


# ---- working group and curator ---------------------------------------------------------------------------

WORKING_GROUP_ROLES = (
    ("head", N_("Head of the working group")),
    ("deputy", N_("Deputy head")),
    ("secretary", N_("Secretary")),
    ("member", N_("Member")),
)

WORKING_GROUP_MEMBER = register(
    RecordType(
        name="working_group_member",
        table="working_group_member",
        title=N_("Working group member"),
        plural=N_("Working group"),
        fields=(
            Field("staff_id", N_("Staff member"), Kind.REF, required=True, ref="staff"),
            Field("role", N_("Role"), Kind.CHOICE, required=True, choices=WORKING_GROUP_ROLES, default="member"),
            Field("duties", N_("Duties in the group"), Kind.LONGTEXT, max_length=1000),
            Field("since", N_("Member since"), Kind.DATE),
        ),
        display=lambda r: str(r.get("id", "")),
        named_by="staff_id",
        order_by="CASE role WHEN 'head' THEN 0 WHEN 'deputy' THEN 1 WHEN 'secretary' THEN 2 ELSE 3 END, id",
    )
)

CURATOR = register(
    RecordType(
        name="curator",
        table="curator",
        title=N_("Curator"),
        plural=N_("Curators"),
        fields=(
            Field("curator_school", N_("Curator school"), required=True, max_length=300),
            Field("full_name", N_("Curator's full name"), required=True, max_length=150),
            Field("position", N_("Position"), max_length=150),
            Field("phone", N_("Phone"), max_length=40),
            Field("email", N_("E-mail"), max_length=120),
            Field("active", N_("Current curator"), Kind.BOOL, default=1),
        ),
        display=lambda r: r.get("full_name") or "",
        order_by="active DESC, id",
    )
)

# ---- students ------------------------------------------------------------------------------------------------


_ENROLLED_BEFORE_LEFT = _check_dates("enrolled_on", "left_on")
_CLASS_LETTER = re.compile(r"[А-ЯЁA-Z]")


@functools.cache
def _birth_dates(year: int) -> tuple[str, str]:
    """The earliest and the latest birth date of a pupil in `year`."""
    return f"{year - 21}-01-01", f"{year - 5}-12-31"


def _check_student(r: dict) -> dict[str, str]:  # an importer checks thousands: nothing made anew per pupil
    errors = _ENROLLED_BEFORE_LEFT(r)
    birth = r.get("birth_date")
    if birth:
        earliest, latest = _birth_dates(dt.date.today().year)
        if not earliest <= birth <= latest:
            errors["birth_date"] = _("A pupil's birth date must be 5 to 21 years ago.")
    letter = r.get("letter") or ""
    if letter and not _CLASS_LETTER.fullmatch(letter):
        errors["letter"] = _("The class letter is one letter, for example А.")
    return errors


STUDENT = register(
    RecordType(
        name="student",
        table="student",
        title=N_("Pupil"),
        plural=N_("Pupils"),
        fields=(
            Field("last_name", N_("Last name"), required=True, max_length=60),
            Field("first_name", N_("First name"), required=True, max_length=60),
            Field("middle_name", N_("Middle name"), max_length=60),
            Field("birth_date", N_("Birth date"), Kind.DATE),
            Field("grade", N_("Grade"), Kind.INT, required=True, minimum=1, maximum=11),
            Field("letter", N_("Class letter"), max_length=1, upper=True),
            Field("gender", N_("Gender"), Kind.CHOICE, choices=GENDERS),
            Field("ejournal_id", N_("E-journal id"), max_length=40),
            Field("enrolled_on", N_("Enrolled on"), Kind.DATE, in_list=False),
            Field("left_on", N_("Left on"), Kind.DATE),
        ),
        display=lambda r: f"{full_name(r)} ({r.get('grade', '')}{r.get('letter') or ''})",
        order_by="grade, letter, last_name, first_name",
        check=_check_student,
    )
)


# ---- what the first page tells ----------------------------------------------------------------------------------


def overview(db: Database, today: dt.date) -> dict:
    """Figures for the Home page: the school, the current year and term, counts of people."""
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "school": school_profile(db),
        "year": academic_year_on(db, today),
        "term": term_on(db, today),
        "staff": one("SELECT count(*) FROM staff WHERE active = 1"),
        "young_specialists": one("SELECT count(*) FROM staff WHERE active = 1 AND young_specialist = 1"),
        "working_group": one("SELECT count(*) FROM working_group_member"),
        "students": one("SELECT count(*) FROM student WHERE left_on IS NULL"),
        "classes": one("SELECT count(DISTINCT grade || letter) FROM student WHERE left_on IS NULL"),
        "curator": next((r for r in rows(db, CURATOR) if r["active"]), None),
    }


# ---- first start ---------------------------------------------------------------------------------------------

SETUP = RecordType(
    name="setup",
    table="",
    title=N_("First start"),
    plural=N_("First start"),
    fields=(
        Field("full_name", N_("Full name of the school"), required=True, max_length=400),
        Field(
            "short_name",
            N_("Short name"),
            required=True,
            max_length=120,
            placeholder=N_("for example: МБОУ «СОШ № 19»"),
        ),
        Field("municipality", N_("Municipality"), max_length=200),
        Field("region", N_("Region"), max_length=200),
        Field("status", N_("Status"), Kind.CHOICE, required=True, choices=SCHOOL_STATUSES, default="shnor"),
        Field("director_last_name", N_("Director's last name"), required=True, max_length=60),
        Field("director_first_name", N_("Director's first name"), required=True, max_length=60),
        Field("director_middle_name", N_("Director's middle name"), max_length=60),
        Field("deputy_last_name", N_("Deputy's last name"), max_length=60),
        Field("deputy_first_name", N_("Deputy's first name"), max_length=60),
        Field("deputy_middle_name", N_("Deputy's middle name"), max_length=60),
    ),
    display=lambda r: r.get("short_name") or "",
    check=lambda r: (
        {"deputy_first_name": _("Fill in the deputy's first name too.")}
        if bool(r.get("deputy_last_name")) != bool(r.get("deputy_first_name"))
        else {}
    ),
)


def _position_id(db: Database, name: str) -> int | None:
    found = db.execute("SELECT id FROM ref_item WHERE list = 'position' AND name = ?", [name]).fetchone()
    return found[0] if found else None


def setup_school(db: Database, values: dict, today: dt.date | None = None) -> int:
    """First start: the school profile, its director and deputy, and the current academic year — one transaction."""
    clean = records_validate(SETUP, values)
    today = today or dt.date.today()
    with transaction(db):
        people = {}
        for role, position in (("director", "Директор"), ("deputy", "Заместитель директора по УВР")):
            if clean[f"{role}_last_name"]:
                people[role] = save(
                    db,
                    STAFF,
                    {
                        "last_name": clean[f"{role}_last_name"],
                        "first_name": clean[f"{role}_first_name"],
                        "middle_name": clean[f"{role}_middle_name"],
                        "position_id": _position_id(db, position),
                    },
                )
        save(
            db,
            SCHOOL,
            {
                **{k: clean[k] for k in ("full_name", "short_name", "municipality", "region", "status")},
                "director_id": people.get("director"),
                "deputy_id": people.get("deputy"),
            },
        )
        if academic_year_on(db, today) is None:
            create_academic_year(db, academic_year_start(today))
    return 1
