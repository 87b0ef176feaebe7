"""The schema, as an ordered list of migrations. Released migrations are never edited: add a new one.

Each migration is a list of steps: an SQL statement, or a (statement, parameters) pair. Migration N brings
a database from `PRAGMA user_version` N-1 to N inside one transaction (see models.db._migrate).
"""

from __future__ import annotations

from models.reference import seed_statements

V1_SCHEMA = [
    """CREATE TABLE ref_item (
        id INTEGER PRIMARY KEY,
        list TEXT NOT NULL,
        name TEXT NOT NULL,
        sort_order INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        UNIQUE (list, name)
    )""",
    """CREATE TABLE staff (
        id INTEGER PRIMARY KEY,
        last_name TEXT NOT NULL,
        first_name TEXT NOT NULL,
        middle_name TEXT,
        position_id INTEGER REFERENCES ref_item (id),
        category_id INTEGER REFERENCES ref_item (id),
        birth_year INTEGER,
        young_specialist INTEGER NOT NULL DEFAULT 0 CHECK (young_specialist IN (0, 1)),
        hired_on TEXT,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        phone TEXT,
        email TEXT
    )""",
    "CREATE INDEX staff_position ON staff (position_id)",
    "CREATE INDEX staff_category ON staff (category_id)",
    """CREATE TABLE staff_subject (
        staff_id INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
        subject_id INTEGER NOT NULL REFERENCES ref_item (id),
        PRIMARY KEY (staff_id, subject_id)
    )""",
    "CREATE INDEX staff_subject_subject ON staff_subject (subject_id)",
    """CREATE TABLE school (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        full_name TEXT NOT NULL,
        short_name TEXT NOT NULL,
        municipality TEXT,
        region TEXT,
        address TEXT,
        status TEXT NOT NULL DEFAULT 'shnor',
        years_identified TEXT,
        director_id INTEGER REFERENCES staff (id) ON DELETE SET NULL,
        deputy_id INTEGER REFERENCES staff (id) ON DELETE SET NULL,
        phone TEXT,
        email TEXT
    )""",
    """CREATE TABLE academic_year (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        start_date TEXT NOT NULL,
        end_date TEXT NOT NULL,
        CHECK (end_date > start_date)
    )""",
    """CREATE TABLE term (
        id INTEGER PRIMARY KEY,
        academic_year_id INTEGER NOT NULL REFERENCES academic_year (id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        start_date TEXT NOT NULL,
        end_date TEXT NOT NULL,
        UNIQUE (academic_year_id, number),
        CHECK (end_date >= start_date)
    )""",
    """CREATE TABLE working_group_member (
        id INTEGER PRIMARY KEY,
        staff_id INTEGER NOT NULL UNIQUE REFERENCES staff (id),
        role TEXT NOT NULL,
        duties TEXT,
        since TEXT
    )""",
    "CREATE UNIQUE INDEX working_group_one_head ON working_group_member (role) WHERE role = 'head'",
    """CREATE TABLE curator (
        id INTEGER PRIMARY KEY,
        curator_school TEXT NOT NULL,
        full_name TEXT NOT NULL,
        position TEXT,
        phone TEXT,
        email TEXT,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
    )""",
    """CREATE TABLE student (
        id INTEGER PRIMARY KEY,
        last_name TEXT NOT NULL,
        first_name TEXT NOT NULL,
        middle_name TEXT,
        birth_date TEXT,
        grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 11),
        letter TEXT NOT NULL DEFAULT '',
        gender TEXT,
        ejournal_id TEXT UNIQUE,
        enrolled_on TEXT,
        left_on TEXT
    )""",
    "CREATE INDEX student_class ON student (grade, letter)",
    "CREATE INDEX student_name ON student (last_name, first_name, middle_name, birth_date)",
]

MIGRATIONS: list[list] = [
    V1_SCHEMA + seed_statements(),
]
