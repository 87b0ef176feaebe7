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
        letter TEXT,
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

# Meetings with the curator and the working group: schedule, participants, agenda, decisions tracked to done.
V3_MEETINGS = [
    """CREATE TABLE meeting (
        id INTEGER PRIMARY KEY,
        academic_year_id INTEGER NOT NULL REFERENCES academic_year (id),
        number INTEGER,
        kind_id INTEGER REFERENCES ref_item (id),
        status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
        date TEXT NOT NULL,
        time TEXT,
        place TEXT,
        chair_id INTEGER REFERENCES staff (id) ON DELETE SET NULL,
        secretary_id INTEGER REFERENCES staff (id) ON DELETE SET NULL,
        notes TEXT,
        UNIQUE (academic_year_id, number)
    )""",
    "CREATE INDEX meeting_date ON meeting (date)",
    """CREATE TABLE meeting_participant (
        id INTEGER PRIMARY KEY,
        meeting_id INTEGER NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
        staff_id INTEGER REFERENCES staff (id),
        outside_name TEXT,
        outside_position TEXT,
        present INTEGER NOT NULL DEFAULT 1 CHECK (present IN (0, 1)),
        CHECK (staff_id IS NOT NULL OR outside_name IS NOT NULL)
    )""",
    "CREATE INDEX meeting_participant_meeting ON meeting_participant (meeting_id)",
    """CREATE TABLE agenda_item (
        id INTEGER PRIMARY KEY,
        meeting_id INTEGER NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 1,
        title TEXT NOT NULL,
        speaker TEXT,
        heard TEXT
    )""",
    "CREATE INDEX agenda_item_meeting ON agenda_item (meeting_id, position)",
    """CREATE TABLE decision (
        id INTEGER PRIMARY KEY,
        meeting_id INTEGER NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
        agenda_item_id INTEGER REFERENCES agenda_item (id) ON DELETE SET NULL,
        position INTEGER NOT NULL DEFAULT 1,
        text TEXT NOT NULL,
        owner_id INTEGER REFERENCES staff (id),
        owner_text TEXT,
        due_date TEXT,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
        done_on TEXT,
        note TEXT,
        measure_id INTEGER REFERENCES measure (id) ON DELETE SET NULL
    )""",
    "CREATE INDEX decision_meeting ON decision (meeting_id, position)",
    "CREATE INDEX decision_open ON decision (status, due_date)",
    "CREATE INDEX decision_measure ON decision (measure_id)",
]

# The databank of pupils with learning difficulties, its support log, assessments with per-task results.
V4_DATABANK = [
    """CREATE TABLE databank_entry (
        id INTEGER PRIMARY KEY,
        student_id INTEGER NOT NULL REFERENCES student (id),
        category_id INTEGER NOT NULL REFERENCES ref_item (id),
        subject_id INTEGER REFERENCES ref_item (id),
        identified_on TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT 'teacher',
        description TEXT,
        responsible_id INTEGER REFERENCES staff (id) ON DELETE SET NULL,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'resolved', 'closed')),
        closed_on TEXT,
        outcome TEXT,
        restricted_note TEXT,
        assessment_id INTEGER REFERENCES assessment (id) ON DELETE SET NULL,
        CHECK (closed_on IS NULL OR closed_on >= identified_on)
    )""",
    "CREATE INDEX databank_entry_student ON databank_entry (student_id)",
    "CREATE INDEX databank_entry_category ON databank_entry (category_id, status)",
    """CREATE TABLE support_entry (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL REFERENCES databank_entry (id) ON DELETE CASCADE,
        date TEXT NOT NULL,
        kind TEXT NOT NULL,
        text TEXT,
        by_id INTEGER REFERENCES staff (id) ON DELETE SET NULL,
        fulfilled INTEGER NOT NULL DEFAULT 0 CHECK (fulfilled IN (0, 1))
    )""",
    "CREATE INDEX support_entry_entry ON support_entry (entry_id, date)",
    """CREATE TABLE assessment (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        subject_id INTEGER NOT NULL REFERENCES ref_item (id),
        grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 11),
        class_letter TEXT,
        date TEXT NOT NULL,
        term_id INTEGER REFERENCES term (id) ON DELETE SET NULL,
        max_score REAL,
        mark3 REAL,
        mark4 REAL,
        mark5 REAL,
        title TEXT,
        CHECK (mark3 IS NULL OR mark4 IS NULL OR mark3 <= mark4),
        CHECK (mark4 IS NULL OR mark5 IS NULL OR mark4 <= mark5)
    )""",
    "CREATE INDEX assessment_subject ON assessment (subject_id, grade, date)",
    """CREATE TABLE assessment_task (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        max_points REAL NOT NULL CHECK (max_points > 0),
        skill TEXT,
        UNIQUE (assessment_id, number)
    )""",
    """CREATE TABLE assessment_result (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
        student_id INTEGER NOT NULL REFERENCES student (id),
        total REAL,
        mark INTEGER CHECK (mark IS NULL OR mark BETWEEN 1 AND 5),
        absent INTEGER NOT NULL DEFAULT 0 CHECK (absent IN (0, 1)),
        UNIQUE (assessment_id, student_id)
    )""",
    "CREATE INDEX assessment_result_student ON assessment_result (student_id)",
    """CREATE TABLE task_result (
        result_id INTEGER NOT NULL REFERENCES assessment_result (id) ON DELETE CASCADE,
        task_id INTEGER NOT NULL REFERENCES assessment_task (id) ON DELETE CASCADE,
        points REAL NOT NULL CHECK (points >= 0),
        PRIMARY KEY (result_id, task_id)
    )""",
    "CREATE INDEX task_result_task ON task_result (task_id)",
    # small facts about the database's own history, e.g. which academic year the classes were promoted to
    "CREATE TABLE app_state (key TEXT PRIMARY KEY, value TEXT)",
]

# Individual learning routes of pupils and teachers, their steps and checkpoints.
V5_ROUTES = [
    """CREATE TABLE learning_route (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('student', 'teacher')),
        student_id INTEGER REFERENCES student (id),
        teacher_id INTEGER REFERENCES staff (id),
        subject_id INTEGER REFERENCES ref_item (id),
        goal TEXT,
        deficits TEXT,
        start_date TEXT,
        end_date TEXT,
        responsible_id INTEGER REFERENCES staff (id) ON DELETE SET NULL,
        mentor_id INTEGER REFERENCES staff (id) ON DELETE SET NULL,
        participants TEXT,
        consent_on TEXT,
        baseline REAL,
        target REAL,
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'completed', 'cancelled')),
        outcome TEXT CHECK (outcome IS NULL OR outcome IN ('achieved', 'partly', 'not_achieved')),
        outcome_note TEXT,
        databank_entry_id INTEGER REFERENCES databank_entry (id) ON DELETE SET NULL,
        assessment_id INTEGER REFERENCES assessment (id) ON DELETE SET NULL,
        CHECK ((kind = 'student' AND student_id IS NOT NULL) OR (kind = 'teacher' AND teacher_id IS NOT NULL)),
        CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
    )""",
    "CREATE INDEX learning_route_student ON learning_route (student_id)",
    "CREATE INDEX learning_route_teacher ON learning_route (teacher_id)",
    "CREATE INDEX learning_route_status ON learning_route (kind, status)",
    """CREATE TABLE route_step (
        id INTEGER PRIMARY KEY,
        route_id INTEGER NOT NULL REFERENCES learning_route (id) ON DELETE CASCADE,
        position INTEGER NOT NULL DEFAULT 1,
        topic TEXT NOT NULL,
        work_form_id INTEGER REFERENCES ref_item (id),
        due_date TEXT,
        control_form TEXT,
        done_on TEXT,
        result TEXT
    )""",
    "CREATE INDEX route_step_route ON route_step (route_id, position)",
    "CREATE INDEX route_step_due ON route_step (due_date)",
    """CREATE TABLE route_checkpoint (
        id INTEGER PRIMARY KEY,
        route_id INTEGER NOT NULL REFERENCES learning_route (id) ON DELETE CASCADE,
        date TEXT NOT NULL,
        value REAL NOT NULL,
        note TEXT
    )""",
    "CREATE INDEX route_checkpoint_route ON route_checkpoint (route_id, date)",
]

# The quarterly report: problems and corrective actions typed for a period, and what was exported when.
V6_REPORTS = [
    """CREATE TABLE report_note (
        period_key TEXT PRIMARY KEY,
        problems TEXT,
        actions TEXT,
        updated_on TEXT NOT NULL
    )""",
    """CREATE TABLE report_export (
        id INTEGER PRIMARY KEY,
        exported_at TEXT NOT NULL,
        period_key TEXT NOT NULL,
        period_label TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('xlsx', 'pdf', 'print')),
        path TEXT,
        with_names INTEGER NOT NULL DEFAULT 0 CHECK (with_names IN (0, 1))
    )""",
]

MIGRATIONS: list[list] = [
    V1_SCHEMA + seed_statements(),
    V2_PROGRAMS,
    V3_MEETINGS,
    V4_DATABANK,
    V5_ROUTES,
    V6_REPORTS,
]
