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


def test_the_compiled_catalog_is_cached_and_made_again_when_the_po_changes_or_the_cache_is_damaged(
    tmp_path, monkeypatch
):
    po = tmp_path / "ru" / "LC_MESSAGES" / "antirisk.po"
    po.parent.mkdir(parents=True)
    po.write_bytes(i18n.po_path("ru").read_bytes())
    monkeypatch.setattr(i18n, "translations_dir", lambda: tmp_path)
    monkeypatch.setattr(i18n, "cache_dir", lambda: tmp_path / "cache")
    compiled = []
    real = i18n.compile_po
    monkeypatch.setattr(i18n, "compile_po", lambda *a: compiled.append(a) or real(*a))

    assert i18n.load_translations("ru").gettext("Overdue measures") == "Просроченные мероприятия"
    assert len(compiled) == 1 and len(list((tmp_path / "cache").glob("*.catalog"))) == 1
    assert i18n.load_translations("ru").gettext("Overdue measures") == "Просроченные мероприятия"
    assert len(compiled) == 1  # the second start read the cache

    next((tmp_path / "cache").glob("*.catalog")).write_bytes(b"\x00" * 10)  # damaged
    assert i18n.load_translations("ru").gettext("Overdue measures") == "Просроченные мероприятия"
    assert len(compiled) == 2
    import marshal

    for wrong in (marshal.dumps(42), marshal.dumps(([], "n != 1")), marshal.dumps(({}, "n != 1", 3))):
        next((tmp_path / "cache").glob("*.catalog")).write_bytes(wrong)  # readable, but not a catalog
        assert i18n.load_translations("ru").gettext("Overdue measures") == "Просроченные мероприятия"
    assert len(compiled) == 5

    text = po.read_text(encoding="utf-8").replace('msgstr "Просроченные мероприятия"', 'msgstr "Просрочено"')
    po.write_text(text, encoding="utf-8")
    assert i18n.load_translations("ru").gettext("Overdue measures") == "Просрочено"
    assert len(compiled) == 6 and len(list((tmp_path / "cache").glob("*.catalog"))) == 1  # the old one removed


def test_an_unwritable_cache_still_gives_the_catalog(tmp_path, monkeypatch):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setattr(i18n, "cache_dir", lambda: blocker / "sub")
    assert i18n.load_translations("ru").gettext("Overdue measures") == "Просроченные мероприятия"


@pytest.mark.parametrize("lang,loc", [("ru", "ru_RU"), ("en", "en_GB")])
def test_format_number_writes_what_babel_writes(lang, loc):
    import random

    from babel.numbers import format_decimal

    i18n.set_language(lang)
    rng = random.Random(7)
    values = [0, 1, -1, 0.5, 1.5, 2.5, 0.125, 2.675, 1.005, 1234.5, 999.999, 1e-7, 123456789.123, -1234567, 10**15]
    values += [4.0, -3.0, -0.0, 2.0**52, 2.0**53, 1e15, -1e16, 10**20, -(10**20)]  # whole floats and big ints
    values += [rng.uniform(-1e6, 1e6) for _ in range(300)] + [round(rng.uniform(-100, 100), 3) for _ in range(300)]
    for value in values:
        for digits in (0, 1, 2, 3):
            expected = format_decimal(value, format=f"#,##0.{'#' * digits}" if digits else "#,##0", locale=loc)
            assert fmt.format_number(value, digits) == ("0" if expected == "-0" else expected), (value, digits)
    assert fmt.format_number(-0.001) == "0"
    assert fmt.format_number(float("inf")) == "∞"
    assert fmt.format_number(1e300).startswith("1")


@pytest.mark.parametrize("lang,loc", [("ru", "ru_RU"), ("en", "en_GB")])
def test_format_long_date_writes_what_babel_writes(lang, loc):
    from babel.dates import format_date

    i18n.set_language(lang)
    for month in range(1, 13):
        for day in (1, 9, 28):
            day = dt.date(2026, month, day)
            assert fmt.format_long_date(day) == format_date(day, "long", locale=loc)
    assert fmt.format_long_date("1999-03-08T10:00") == format_date(dt.date(1999, 3, 8), "long", locale=loc)


def test_the_cached_catalog_translates_as_gettext_does():
    import gettext
    import io

    mo = i18n.compile_po(i18n.po_path("ru"), "ru")
    reference = gettext.GNUTranslations(io.BytesIO(mo))
    catalog = i18n.Catalog.loads(i18n.Catalog.from_mo(mo).dumps())
    singles = [k for k in reference._catalog if isinstance(k, str) and k]
    plurals = {k[0] for k in reference._catalog if isinstance(k, tuple)}
    assert len(singles) > 500 and plurals
    assert all(catalog.gettext(m) == reference.gettext(m) for m in singles)
    assert all(catalog.ngettext(m, "x", n) == reference.ngettext(m, "x", n) for m in plurals for n in range(130))
    assert catalog.gettext("not in the catalog") == "not in the catalog"
    assert catalog.ngettext("one thing", "many things", 1) == "one thing"
    assert catalog.ngettext("one thing", "many things", 5) == "many things"
