"""Property-based tests (issue 8, item 4): the period parser, the Russian deadline parser and form validation.

Hypothesis generates the input; each property says what must hold for every one of them:
- periods.parse: any text is a Period or a PeriodError, nothing else; every valid spelling comes back as itself
  and spans what it names (a quarter is three whole months…).
- deadlines.parse_deadline: never raises; dates are real ISO dates in order; dd.mm.yyyy dates and ranges with any
  dash and spacing come back exactly; month names in the grammatical cases roadmaps use give the whole month.
- records.validate: for text, None, numbers and booleans in every field of a real record type it returns clean
  values of the field's type, or raises ValidationError naming fields of that type in Russian; never anything
  else. What validates is saved and fetched back unchanged.
Inputs that once broke a property are pinned as examples below it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import sqlite3

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from models import fmt, periods, records
from models.db import Database, open_database
from models.deadlines import Deadline, has_wrong_date, parse_deadline
from models.periods import Period, PeriodError
from models.programs import MEASURE, PROGRAM, PROGRAM_TASK
from models.records import Field, Kind, RecordType, ValidationError
from models.school import STAFF, STUDENT

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CYRILLIC = re.compile("[А-Яа-яЁё]")

# ---- periods --------------------------------------------------------------------------------------------------

PERIOD_PIECES = st.sampled_from(
    ["2026", "2027", "0000", "9999", "1", "26", "-", "/", "..", "-Q", "-H", "-T", "Q4", "H1", "T2", "Q0", "H3",
     "T5", "2026-10-01", "2026-02-29", "2026-13-01", " ", "\t", "\n", "٢٠٢٦", "２０２６", "q", "к"]
)  # fmt: skip
period_like = st.lists(PERIOD_PIECES, max_size=6).map("".join)


@FAST
@given(st.one_of(st.text(), period_like))
def test_any_text_is_a_period_or_a_period_error(text):
    try:
        found = periods.parse(text)
    except PeriodError as exc:
        assert str(exc)
        return
    assert isinstance(found, Period) and found.start <= found.end
    assert found.key == found.key.strip() and found.label


years = st.integers(min_value=1000, max_value=9998)  # "9999-Q4" ends in the year 10000: refused, rightly


@st.composite
def spellings(draw) -> tuple[str, str]:
    """(kind, spelling) of a valid period."""
    kind = draw(st.sampled_from(["quarter", "half", "year", "academic_year", "term", "range"]))
    year = draw(years)
    if kind == "quarter":
        return kind, f"{year}-Q{draw(st.integers(1, 4))}"
    if kind == "half":
        return kind, f"{year}-H{draw(st.integers(1, 2))}"
    if kind == "year":
        return kind, f"{year}"
    if kind == "academic_year":
        return kind, f"{year}/{year + 1}"
    if kind == "term":
        return kind, f"{year}/{year + 1}-T{draw(st.integers(1, 4))}"
    a, b = sorted(draw(st.lists(st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)), min_size=2, max_size=2)))
    return kind, f"{a.isoformat()}..{b.isoformat()}"


def _months(period: Period) -> int:
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1


@FAST
@given(spellings(), st.sampled_from(["", " ", "\t", "\n "]))
def test_every_valid_spelling_comes_back_as_itself_and_spans_what_it_names(spelled, space):
    kind, spelling = spelled
    found = periods.parse(f"{space}{spelling}{space}")
    assert (found.kind, found.key) == (kind, spelling)
    assert periods.parse(found.key) == found
    assert found.start <= found.end
    assert found.contains(found.start.isoformat()) and found.contains(found.end.isoformat())
    assert not found.contains((found.end + dt.timedelta(days=1)).isoformat())
    whole_months = found.start.day == 1 and found.end.day == calendar.monthrange(found.end.year, found.end.month)[1]
    if kind == "quarter":
        q = int(spelling[-1])
        assert whole_months and _months(found) == 3 and found.start.month == 3 * q - 2
    elif kind == "half":
        assert whole_months and _months(found) == 6 and found.start.month in (1, 7)
    elif kind == "year":
        assert (found.start, found.end) == (dt.date(int(spelling), 1, 1), dt.date(int(spelling), 12, 31))
    elif kind == "academic_year":  # without a database: 1 September – 31 August
        first = int(spelling[:4])
        assert (found.start, found.end) == (dt.date(first, 9, 1), dt.date(first + 1, 8, 31))
    elif kind == "term":  # the usual dates: inside the academic year 1 September – 31 August
        first = int(spelling[:4])
        assert dt.date(first, 9, 1) <= found.start <= found.end <= dt.date(first + 1, 8, 31)
    else:
        assert spelling == f"{found.start.isoformat()}..{found.end.isoformat()}"
    assert isinstance(found.label, str) and found.label


@FAST
@given(st.dates(dt.date(1000, 1, 2), dt.date(9999, 12, 31)), st.integers(1, 4000), years, st.integers(2, 50))
def test_reversed_ranges_and_years_not_in_a_row_are_period_errors(day, back, first, gap):
    earlier = max(day - dt.timedelta(days=back), dt.date(1000, 1, 1))
    with pytest.raises(PeriodError):
        periods.parse(f"{day.isoformat()}..{earlier.isoformat()}")
    with pytest.raises(PeriodError):
        periods.parse(f"{first}/{first + gap}-T1")
    with pytest.raises(PeriodError):
        periods.parse(f"{first}/{first + gap}")


@pytest.mark.parametrize("spelling", ["0999-Q1", "0999-H2", "0999", "0999-01-01..0999-03-31"])
def test_a_period_of_a_three_digit_year_keeps_its_key(spelling):
    assert periods.parse(spelling).key == spelling


@pytest.mark.parametrize("spelling", ["٢٠٢٦", "２０２６-H1"], ids=["arabic-indic-digits", "full-width-digits"])
def test_a_period_key_is_ascii(spelling):
    try:
        key = periods.parse(spelling).key
    except PeriodError:
        return
    assert key.isascii()


@FAST
@given(st.text(min_size=1).filter(lambda t: t.strip()), st.sampled_from(["\n", "\r\n", "\u2028", "\x0b"]))
def test_a_period_error_repeats_the_text_on_one_short_line(text, newline):
    with pytest.raises(PeriodError) as caught:
        periods.parse(f"{text}{newline}{text}{newline}{'x' * 500}")
    message = str(caught.value)
    assert len(message.splitlines()) == 1 and "x" * 50 not in message


# ---- deadlines ------------------------------------------------------------------------------------------------

DASHES = ["-", "–", "—", "‒", "−", "‐", "﹣", "－"]
SPACES = ["", " ", "  ", "\u00a0", "\t"]
dates = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))


def dmy(day: dt.date, separator: str = ".", two_digit_year: bool = False) -> str:
    year = f"{day.year % 100:02d}" if two_digit_year else f"{day.year:04d}"
    return f"{day.day:02d}{separator}{day.month:02d}{separator}{year}"


@st.composite
def written_dates(draw, day=None, suffixes=("", " г.", "г.")) -> tuple[dt.date, str]:
    """A date and one way a roadmap writes it: 01.09.2026, 1.9.2026, 01/09/2026, 01.09.26, "01.09.2026 г."."""
    day = day or draw(dates)
    separator = draw(st.sampled_from([".", "/"]))
    short = 2000 <= day.year <= 2099 and draw(st.booleans())
    text = dmy(day, separator, short)
    if draw(st.booleans()):
        text = f"{day.day}{separator}{day.month}{separator}{text.rsplit(separator, 1)[1]}"
    return day, text + draw(st.sampled_from(suffixes))


@FAST
@given(written_dates(), st.integers(1900, 2100))
def test_a_single_date_in_any_spelling_is_a_due_date(written, year):
    day, text = written
    assert parse_deadline(text, year) == Deadline(None, day.isoformat(), None)
    assert parse_deadline(f"до {text}", year) == Deadline(None, day.isoformat(), None)
    assert parse_deadline(f"с {text}", year) == Deadline(day.isoformat(), None, None)


@FAST
@given(dates, dates, st.sampled_from(DASHES), st.sampled_from(SPACES), st.sampled_from(SPACES), st.data())
def test_a_range_with_any_dash_and_spacing_comes_back_in_order_or_as_text(a, b, dash, left, right, data):
    _a, first = data.draw(written_dates(a))
    _b, second = data.draw(written_dates(b))
    for text in (f"{first}{left}{dash}{right}{second}", f"с {first} по {second}", f"с {first} до {second}"):
        found = parse_deadline(text, 2026)
        if a <= b:
            assert found == Deadline(a.isoformat(), b.isoformat(), None), text
        else:
            assert found == Deadline(None, None, text.strip()), text
            assert has_wrong_date(text, 2026)


@pytest.mark.parametrize(("text", "start", "due"), [
    ("01.09.2026 г. – 31.05.2027 г.", "2026-09-01", "2027-05-31"),
    ("с 01.09.2026 г. по 31.05.2027 г.", "2026-09-01", "2027-05-31"),
    ("сентябрь 2026 г. – май 2027 г.", "2026-09-01", "2027-05-31"),
], ids=["dates-and-dash", "s-po", "months-and-dash"])  # fmt: skip
def test_a_range_with_g_dot_after_the_first_year(text, start, due):
    found = parse_deadline(text, 2026)
    assert (found.start, found.due) == (start, due)


# The twelve months in the grammatical cases (nominative, genitive, prepositional as roadmaps use them; dative and
# instrumental only have to be harmless).
MONTHS = {
    1: ("январь", "января", "январе", "январю", "январём"),
    2: ("февраль", "февраля", "феврале", "февралю", "февралём"),
    3: ("март", "марта", "марте", "марту", "мартом"),
    4: ("апрель", "апреля", "апреле", "апрелю", "апрелем"),
    5: ("май", "мая", "мае", "маю", "маем"),
    6: ("июнь", "июня", "июне", "июню", "июнем"),
    7: ("июль", "июля", "июле", "июлю", "июлем"),
    8: ("август", "августа", "августе", "августу", "августом"),
    9: ("сентябрь", "сентября", "сентябре", "сентябрю", "сентябрём"),
    10: ("октябрь", "октября", "октябре", "октябрю", "октябрём"),
    11: ("ноябрь", "ноября", "ноябре", "ноябрю", "ноябрём"),
    12: ("декабрь", "декабря", "декабре", "декабрю", "декабрём"),
}
CASES = st.sampled_from(["nominative", "genitive", "prepositional"])


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def styled(text: str, style: str) -> str:
    return {"lower": text, "upper": text.upper(), "title": text[:1].upper() + text[1:]}[style]


@FAST
@given(st.integers(1, 12), CASES, st.one_of(st.none(), st.integers(1900, 2100)), st.integers(1950, 2090),
       st.sampled_from(["", " г.", " года", " году", " г"]), st.sampled_from(["lower", "upper", "title"]))
def test_a_month_in_any_case_is_the_whole_month(month, case, year, default_year, year_word, style):  # fmt: skip
    nominative, genitive, prepositional = MONTHS[month][:3]
    word = {"nominative": nominative, "genitive": genitive, "prepositional": f"в {prepositional}"}[case]
    text = styled(word + (f" {year}{year_word}" if year else ""), style)
    expected_year = year if year else default_year if month >= 9 else default_year + 1
    found = parse_deadline(text, default_year)
    first = dt.date(expected_year, month, 1)
    assert found == Deadline(first.isoformat(), month_end(expected_year, month).isoformat(), text), text


@FAST
@given(st.integers(1, 12), st.integers(1, 31), st.one_of(st.none(), st.integers(1900, 2100)), st.integers(1950, 2090))
def test_a_day_and_a_month_name_is_that_date_or_text(month, day, year, default_year):
    text = f"{day} {MONTHS[month][1]}" + (f" {year} г." if year else "")
    expected_year = year if year else default_year if month >= 9 else default_year + 1
    found = parse_deadline(text, default_year)
    if day <= calendar.monthrange(expected_year, month)[1]:
        assert found == Deadline(None, dt.date(expected_year, month, day).isoformat(), text)
    else:  # 30 февраля: kept as written, and an importer warns
        assert found == Deadline(None, None, text) and has_wrong_date(text, default_year)


@FAST
@given(st.integers(1, 12), st.integers(1, 12), CASES, CASES, st.sampled_from(DASHES), st.integers(1950, 2090))
def test_a_range_of_months_without_a_year_runs_forward_from_the_academic_year(m1, m2, c1, c2, dash, default_year):
    index = {"nominative": 0, "genitive": 1, "prepositional": 2}
    text = f"{MONTHS[m1][index[c1]]} {dash} {MONTHS[m2][index[c2]]}"
    found = parse_deadline(text, default_year)
    start_year = default_year if m1 >= 9 else default_year + 1
    due_year = start_year + (m2 < m1)
    assert found == Deadline(dt.date(start_year, m1, 1).isoformat(), month_end(due_year, m2).isoformat(), text)


@FAST
@given(st.integers(1, 4), st.sampled_from(["roman", "arabic"]), st.sampled_from(["квартал", "кв.", "-й квартал"]),
       st.one_of(st.none(), st.integers(1900, 2100)), st.integers(1950, 2090))
def test_a_quarter_is_its_three_months(q, numerals, word, year, default_year):  # fmt: skip
    number = periods.ROMAN[q - 1] if numerals == "roman" else str(q)
    text = f"{number}{'' if word.startswith('-') else ' '}{word}" + (f" {year} г." if year else "")
    expected_year = year if year else default_year if q == 4 else default_year + 1
    found = parse_deadline(text, default_year)
    assert (found.start, found.due) == (
        dt.date(expected_year, 3 * q - 2, 1).isoformat(), month_end(expected_year, 3 * q).isoformat()
    ), text  # fmt: skip


DEADLINE_PIECES = st.sampled_from(
    [*(w for forms in MONTHS.values() for w in forms), *DASHES, "с", "по", "до", "не позднее", "в", "в течение",
     "I", "II", "III", "IV", "1", "2", "3", "4", "31", "29", "квартал", "кв.", "полугодие", "полугодия", "год",
     "года", "г.", "учебного", "уч. г.", "2026", "2027", "1899", "2101", "/", ".", ",", " ", "01.09.2026",
     "31.02.2027", "29.02.2028", "1.1.26", "Ⅱ", "і", "ё"]
)  # fmt: skip


def _iso_in_range(value: str | None) -> bool:
    """None, or a real date stored as ISO, in the years the program allows."""
    if value is None:
        return True
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)) and 1900 <= dt.date.fromisoformat(value).year <= 2100


@settings(max_examples=100, deadline=None)
@given(st.lists(DEADLINE_PIECES, max_size=7).map(" ".join), st.integers(1, 9999))
def test_any_mix_of_deadline_words_never_raises_and_gives_real_dates_in_order(text, default_year):
    found = parse_deadline(text, default_year)
    assert _iso_in_range(found.start) and _iso_in_range(found.due)
    if found.start and found.due:
        assert found.start <= found.due
    if found.text is not None:
        assert found.text == text.strip()
    assert isinstance(has_wrong_date(text, default_year), bool)


# ---- form validation --------------------------------------------------------------------------------------------


def _all_record_types() -> list[RecordType]:
    import importlib
    import pkgutil

    import models

    for module in pkgutil.iter_modules(models.__path__):
        if not module.name.startswith(("demo", "report_pdf", "pdf")):
            importlib.import_module(f"models.{module.name}")
    return [records.REGISTRY[name] for name in sorted(records.REGISTRY)]


RECORD_TYPES = _all_record_types()

small_ints = st.integers(-(10**15), 10**15)
finite_floats = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)


def typed_text(f: Field) -> st.SearchStrategy:
    """Text a user types into the field, near its rules."""
    if f.kind is Kind.DATE:
        day = st.dates(dt.date(1850, 1, 1), dt.date(2150, 12, 31))
        return st.one_of(day.map(dmy), day.map(dt.date.isoformat), st.just("31.02.2026"), st.just("00.00.0000"))
    if f.kind in (Kind.INT, Kind.NUMBER):
        lo = int(f.minimum) - 5 if f.minimum is not None else -(10**6)
        hi = int(f.maximum) + 5 if f.maximum is not None else 10**6
        number = st.one_of(st.integers(lo, hi), st.floats(lo, hi, allow_nan=False))
        return st.one_of(number.map(str), number.map(lambda n: f"{n:,}".replace(",", " ").replace(".", ",")))
    if f.kind is Kind.CHOICE:
        return st.sampled_from([value for value, _label in f.choice_list()])
    if f.kind is Kind.REF:
        return st.integers(0, 120).map(str)
    limit = f.limit()
    return st.text(min_size=max(limit - 2, 0), max_size=limit + 2) if limit <= 100 else st.text(max_size=60)


def any_value(f: Field) -> st.SearchStrategy:
    """What a form or an importer may hand over for the field."""
    huge = st.integers(2**63 - 2, 2**70)  # ids beyond SQLite's integers
    if f.kind is Kind.REFS:  # a list of ids, now and then a single id, a bool or a word instead
        ids = st.one_of(st.integers(0, 120), st.integers(0, 120).map(str), huge, st.text(max_size=3))
        return st.one_of(st.none(), st.lists(ids, max_size=4), ids, st.booleans(), finite_floats)
    ids = st.one_of(st.integers(0, 120), huge, huge.map(str)) if f.kind is Kind.REF else small_ints
    return st.one_of(st.none(), st.text(max_size=30), ids, st.booleans(), finite_floats, typed_text(f))


def record_values(rtype: RecordType) -> st.SearchStrategy:
    fields = {f.name: any_value(f) for f in rtype.fields}
    return st.fixed_dictionaries({}, optional=fields)


def check_clean(rtype: RecordType, clean: dict) -> None:
    """Every field, of its type and within its rules."""
    assert set(clean) == {f.name for f in rtype.fields}
    for f in rtype.fields:
        value = clean[f.name]
        if f.kind is Kind.BOOL:
            assert value in (0, 1) and type(value) is int
            continue
        if f.kind is Kind.REFS:
            assert isinstance(value, list) and all(type(v) is int for v in value) and value == sorted(set(value))
            continue
        if value is None:
            assert not f.required, f.name
            continue
        if f.kind in (Kind.TEXT, Kind.LONGTEXT):
            assert isinstance(value, str) and value.strip() and len(value) <= f.limit()
            assert value == (value.strip() if f.kind is Kind.TEXT else value.rstrip())
            assert not f.upper or value == value.upper()
        elif f.kind is Kind.DATE:
            assert _iso_in_range(value), (f.name, value)
        elif f.kind in (Kind.INT, Kind.NUMBER):
            assert type(value) is (int if f.kind is Kind.INT else float), (f.name, value)
            assert math.isfinite(value)
            assert f.minimum is None or value >= f.minimum
            assert f.maximum is None or value <= f.maximum
        elif f.kind is Kind.CHOICE:
            assert value in {v for v, _label in f.choice_list()}
        elif f.kind is Kind.REF:
            assert type(value) is int


def check_refusal(rtype: RecordType, exc: ValidationError) -> None:
    names = {f.name for f in rtype.fields} | {""}
    assert exc.errors and set(exc.errors) <= names, exc.errors
    for message in exc.errors.values():
        assert isinstance(message, str) and message.strip()
        assert CYRILLIC.search(message), f"not a translated sentence: {message!r}"


@pytest.mark.parametrize("rtype", RECORD_TYPES, ids=lambda r: r.name)
def test_validation_gives_clean_values_or_names_the_fields(rtype):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(record_values(rtype))
    def check(values):
        try:
            clean = records.validate(rtype, values)
        except ValidationError as exc:
            event("refused")
            check_refusal(rtype, exc)
        else:
            event("clean")
            check_clean(rtype, clean)

    check()


# Saving: a migrated template with a program, a task and a staff member to refer to; copied for every example.


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    from models import i18n

    i18n.set_language("ru")
    path = tmp_path_factory.mktemp("properties") / "template.db"
    db = open_database(path)
    program = records.save(db, PROGRAM, {"title": "Программа", "status": "draft"})
    records.save(db, PROGRAM_TASK, {"program_id": program, "position": 1, "text": "Задача"})
    records.save(db, STAFF, {"last_name": "Петрова", "first_name": "Анна"})
    db.conn.close()
    source = sqlite3.connect(path)
    yield source
    source.close()


def fresh(source: sqlite3.Connection) -> Database:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    source.backup(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    return Database(conn)


SAVED = [STAFF, STUDENT, MEASURE, PROGRAM]


def plausible(f: Field) -> st.SearchStrategy:
    """What a careful user types: ids of records that exist (1–3), recent dates, the field's own kind of text."""
    if f.kind is Kind.REF:
        return st.sampled_from([1, 1, 2, 3, "1"])
    if f.kind is Kind.REFS:
        return st.lists(st.sampled_from([1, 2, 3, 5, 8]), max_size=3)
    if f.kind is Kind.DATE:
        day = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))
        return st.one_of(day.map(dmy), day.map(dt.date.isoformat))
    if f.kind in (Kind.INT, Kind.NUMBER):
        number = st.integers(int(f.minimum or 0), int(f.maximum if f.maximum is not None else 1000))
        return st.one_of(number, number.map(str))
    if f.kind in (Kind.TEXT, Kind.LONGTEXT):
        if f.upper and f.max_length == 1:  # a class letter
            return st.sampled_from(list("АБВЯабz"))
        limit = f.limit()
        return st.one_of(st.text(min_size=1, max_size=min(limit, 40)), st.text(min_size=limit, max_size=limit))
    return typed_text(f)


def saved_values(rtype: RecordType) -> st.SearchStrategy:
    """Mostly plausible values, now and then anything; required fields always filled."""
    fields = {f.name: st.one_of(plausible(f), plausible(f), any_value(f)) for f in rtype.fields if not f.required}
    required = {f.name: plausible(f) for f in rtype.fields if f.required}
    return st.fixed_dictionaries(required, optional=fields)


@pytest.mark.parametrize("rtype", SAVED, ids=lambda r: r.name)
def test_what_validates_is_saved_and_fetched_back_unchanged(template, rtype):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(saved_values(rtype))
    def check(values):
        try:
            clean = records.validate(rtype, values)
        except ValidationError:
            event("refused by validate")
            return
        db = fresh(template)
        try:
            record_id = records.save(db, rtype, values)
        except ValidationError as exc:  # a reference to a record that does not exist, a CHECK of the table
            event("refused by save")
            check_refusal(rtype, exc)
        else:
            event("saved")
            stored = records.fetch(db, rtype, record_id)
            assert {f.name: stored[f.name] for f in rtype.fields} == clean
        finally:
            db.conn.close()

    check()


# Inputs that once broke the validation contract (another exception than ValidationError, or Python's own text).


def test_four_hundred_digits_in_a_whole_number_field():
    with pytest.raises(ValidationError):
        records.validate(STAFF, {"last_name": "Петрова", "first_name": "Анна", "birth_year": "9" * 400})


@pytest.mark.parametrize("raw", [10**400, float("inf")], ids=["int-10^400", "inf"])
def test_a_number_beyond_a_float_in_a_number_field(raw):
    with pytest.raises(ValidationError):
        records.validate(STUDENT, {"last_name": "Иванов", "first_name": "Иван", "grade": raw})


@pytest.mark.parametrize("raw", [5, True], ids=["int", "bool"])
def test_a_single_id_in_a_many_references_field(raw):
    with pytest.raises(ValidationError):
        records.validate(STAFF, {"last_name": "Петрова", "first_name": "Анна", "subjects": raw})


@pytest.mark.parametrize("raw", [["1", "x"], "abc"], ids=["list", "text"])
def test_a_word_in_a_many_references_field_is_a_translated_message(raw):
    with pytest.raises(ValidationError) as caught:
        records.validate(STAFF, {"last_name": "Петрова", "first_name": "Анна", "subjects": raw})
    check_refusal(STAFF, caught.value)


def test_nan_in_a_whole_number_field_is_a_translated_message():
    with pytest.raises(ValidationError) as caught:
        records.validate(STUDENT, {"last_name": "Иванов", "first_name": "Иван", "grade": float("nan")})
    check_refusal(STUDENT, caught.value)


@pytest.mark.parametrize("raw", [2**70, "99999999999999999999"], ids=["int", "text"])
def test_a_reference_id_beyond_64_bits_is_refused_not_crashed(template, raw):
    db = fresh(template)
    with pytest.raises(ValidationError):
        records.save(db, STAFF, {"last_name": "Петрова", "first_name": "Анна", "position_id": raw})


@example(text="\x00")
@given(st.text(max_size=60))
@settings(max_examples=50, deadline=None)
def test_fmt_parse_date_refuses_with_value_error_only(text):
    try:
        iso = fmt.parse_date(text)
    except ValueError:
        return
    assert _iso_in_range(iso)
