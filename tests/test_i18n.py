"""Translation and formatting: Russian complete and in step with the code; one place formats with Babel."""

import datetime as dt

import pytest

from models import fmt, i18n
from translations import catalog


def test_every_message_in_the_code_has_its_russian_translation_and_nothing_is_stale():
    assert catalog.problems() == []


def test_russian_is_the_default_language():
    assert i18n.DEFAULT_LANGUAGE == "ru"
    assert i18n._("Staff") == "Сотрудники"


def test_english_is_selectable():
    i18n.set_language("en")
    assert i18n._("Staff") == "Staff"


@pytest.mark.parametrize(
    ("n", "word"),
    [(1, "класс"), (2, "класса"), (5, "классов"), (11, "классов"), (21, "класс"), (104, "класса")],
)
def test_russian_plural_forms(n, word):
    assert i18n.ngettext("{n} class", "{n} classes", n).format(n=n) == f"{n} {word}"


def test_dates_numbers_and_percents_in_russian():
    assert fmt.format_date("2026-11-02") == "02.11.2026"
    assert fmt.format_date(dt.date(2027, 1, 9)) == "09.01.2027"
    assert fmt.format_long_date("2026-11-22") == "22 ноября 2026\u202fг."
    assert fmt.format_number(1234.5) == "1\u00a0234,5"
    assert fmt.format_percent(0.256) == "25,6%"
    assert fmt.format_date(None) == ""


@pytest.mark.parametrize("text", ["29.02.2027", "00.01.2026", "1.13.2026", "01-09-2026", "вчера", ""])
def test_parse_date_refuses_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        fmt.parse_date(text)


def test_parse_date_accepts_the_leap_day_and_iso():
    assert fmt.parse_date("29.02.2028") == "2028-02-29"
    assert fmt.parse_date("2026-09-01") == "2026-09-01"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        i18n.set_language("de")
