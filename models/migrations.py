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
        gender TEXT CHECK (gender IN ('f', 'm')),
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

# Risk profile, antirisk programs with approved versions, roadmap measures with evidence, indicators;
# the PD course registry that the computed indicators read.
V2_PROGRAMS = [
    """CREATE TABLE risk_assessment (
        id INTEGER PRIMARY KEY,
        academic_year_id INTEGER NOT NULL REFERENCES academic_year (id) ON DELETE CASCADE,
        risk_factor_id INTEGER NOT NULL REFERENCES ref_item (id),
        significance TEXT NOT NULL CHECK (significance IN ('high', 'medium', 'low', 'irrelevant')),
        justification TEXT,
        UNIQUE (academic_year_id, risk_factor_id)
    )""",
    """CREATE TABLE program (
        id INTEGER PRIMARY KEY,
        risk_factor_id INTEGER REFERENCES ref_item (id),
        title TEXT NOT NULL,
        goal TEXT,
        start_date TEXT,
        end_date TEXT,
        responsible_id INTEGER REFERENCES staff (id) ON DELETE SET NULL,
        order_number TEXT,
        order_date TEXT,
        status TEXT NOT NULL DEFAULT 'draft'
            CHECK (status IN ('draft', 'approved', 'in_progress', 'completed')),
        CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
    )""",
    "CREATE INDEX program_risk_factor ON program (risk_factor_id)",
    """CREATE TABLE program_task (
        id INTEGER PRIMARY KEY,
        program_id INTEGER NOT NULL REFERENCES program (id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 1,
        text TEXT NOT NULL
    )""",
    "CREATE INDEX program_task_program ON program_task (program_id, position)",
    """CREATE TABLE program_version (
        id INTEGER PRIMARY KEY,
        program_id INTEGER NOT NULL REFERENCES program (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        approved_on TEXT NOT NULL,
        order_number TEXT,
        order_date TEXT,
        note TEXT,
        snapshot TEXT NOT NULL,
        UNIQUE (program_id, version)
    )""",
    """CREATE TABLE measure (
        id INTEGER PRIMARY KEY,
        program_id INTEGER NOT NULL REFERENCES program (id) ON DELETE CASCADE,
        task_id INTEGER REFERENCES program_task (id) ON DELETE SET NULL,
        position INTEGER NOT NULL DEFAULT 0,
        title TEXT NOT NULL,
        description TEXT,
        start_date TEXT,
        due_date TEXT,
        deadline_text TEXT,
        responsible_text TEXT,
        participants TEXT,
        expected_result TEXT,
        report_form_id INTEGER REFERENCES ref_item (id),
        status TEXT NOT NULL DEFAULT 'planned'
            CHECK (status IN ('planned', 'in_progress', 'done', 'not_done', 'cancelled')),
        actual_result TEXT,
        done_on TEXT,
        CHECK (due_date IS NULL OR start_date IS NULL OR due_date >= start_date)
    )""",
    "CREATE INDEX measure_program ON measure (program_id, position)",
    "CREATE INDEX measure_due ON measure (due_date)",
    "CREATE INDEX measure_task ON measure (task_id)",
    """CREATE TABLE measure_responsible (
        measure_id INTEGER NOT NULL REFERENCES measure (id) ON DELETE CASCADE,
        staff_id INTEGER NOT NULL REFERENCES staff (id),
        PRIMARY KEY (measure_id, staff_id)
    )""",
    "CREATE INDEX measure_responsible_staff ON measure_responsible (staff_id)",
    """CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        measure_id INTEGER NOT NULL REFERENCES measure (id) ON DELETE CASCADE,
        file_name TEXT NOT NULL,
        size INTEGER NOT NULL,
        content BLOB NOT NULL,
        added_on TEXT NOT NULL,
        note TEXT
    )""",
    "CREATE INDEX evidence_measure ON evidence (measure_id)",
    """CREATE TABLE indicator (
        id INTEGER PRIMARY KEY,
        program_id INTEGER NOT NULL REFERENCES program (id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 0,
        title TEXT NOT NULL,
        unit TEXT,
        direction TEXT NOT NULL DEFAULT 'higher' CHECK (direction IN ('higher', 'lower')),
        baseline REAL,
        baseline_date TEXT,
        metric TEXT
    )""",
    "CREATE INDEX indicator_program ON indicator (program_id, position)",
    """CREATE TABLE indicator_target (
        id INTEGER PRIMARY KEY,
        indicator_id INTEGER NOT NULL REFERENCES indicator (id) ON DELETE CASCADE,
        academic_year_id INTEGER NOT NULL REFERENCES academic_year (id),
        target REAL NOT NULL,
        UNIQUE (indicator_id, academic_year_id)
    )""",
    """CREATE TABLE indicator_value (
        id INTEGER PRIMARY KEY,
        indicator_id INTEGER NOT NULL REFERENCES indicator (id) ON DELETE CASCADE,
        measured_on TEXT NOT NULL,
        value REAL NOT NULL,
        source TEXT,
        comment TEXT
    )""",
    "CREATE INDEX indicator_value_indicator ON indicator_value (indicator_id, measured_on)",
    """CREATE TABLE pd_course (
        id INTEGER PRIMARY KEY,
        staff_id INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        provider TEXT,
        hours INTEGER CHECK (hours IS NULL OR hours > 0),
        start_date TEXT,
        end_date TEXT NOT NULL,
        certificate_number TEXT,
        CHECK (start_date IS NULL OR end_date >= start_date)
    )""",
    "CREATE INDEX pd_course_staff ON pd_course (staff_id, end_date)",
]

MIGRATIONS: list[list] = [
    V1_SCHEMA + seed_statements(),
    V2_PROGRAMS,
]
