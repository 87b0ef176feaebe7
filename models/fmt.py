"""The one place where dates, numbers, percents and plural forms are formatted and parsed (Babel)."""

from __future__ import annotations

import datetime as dt
import functools
import re

from models.i18n import language, ngettext

DATE_PATTERN = "dd.MM.yyyy"
_DMY = re.compile(r"^\s*(\d{1,2})[./](\d{1,2})[./](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def locale() -> str:
    return "ru_RU" if language() == "ru" else "en_GB"


def format_date(value: str | dt.date | None) -> str:
    """ISO date (or date) → 'дд.мм.гггг'; empty for None."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"  # DATE_PATTERN in every language: no Babel needed


def format_long_date(value: str | dt.date) -> str:
    """'22 ноября 2026 г.' / '22 November 2026' — for documents (Babel's long format, written out: a test
    compares them, and the Home page shows it at start, where importing Babel would cost 70 ms)."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if language() == "ru":
        return f"{value.day} {_RU_MONTHS_GENITIVE[value.month - 1]} {value.year}\u202fг."  # narrow no-break space
    return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"


_RU_MONTHS_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                       "октября", "ноября", "декабря")  # fmt: skip
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")  # fmt: skip


def parse_date(text: str) -> str:
    """'дд.мм.гггг' (or ISO) → ISO 'YYYY-MM-DD'. Raises ValueError for anything that is not a real date."""
    match = _DMY.match(text or "")
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(text or "")
        if not match:
            raise ValueError(text)
        year, month, day = (int(g) for g in match.groups())
    if not 1900 <= year <= 2100:
        raise ValueError(text)
    return dt.date(year, month, day).isoformat()


def format_number(value: float | int | None, digits: int = 2) -> str:
    """1234.5 → '1 234,5' (Russian) / '1,234.5' (English): grouped, at most `digits` decimals, no trailing zeros.

    The same result as Babel's `format_decimal(value, '#,##0.##')` (a test compares them), written out because
    lists format thousands of numbers and Babel takes ~30 µs for each — except that what rounds to zero is
    '0', where Babel writes '-0'.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        value = int(value)
    group, point = _SYMBOLS.get(locale(), _SYMBOLS["en_GB"])
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)  # a whole number held as a float (a score of 4.0): nothing to round
    if isinstance(value, int):
        text = f"{abs(value):,}".replace(",", group)
        return "-" + text if value < 0 else text
    from decimal import ROUND_HALF_EVEN, Decimal  # imported when first needed: not at start

    number = Decimal(str(value))
    if not number.is_finite():  # infinity, NaN: Babel's signs for them
        from babel.numbers import format_decimal

        return format_decimal(value, format=f"#,##0.{'#' * digits}" if digits else "#,##0", locale=locale())
    rounded = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN, context=_wide())
    whole, _dot, fraction = f"{abs(rounded):f}".partition(".")
    fraction = fraction.rstrip("0")
    text = f"{int(whole):,}".replace(",", group) + (point + fraction if fraction else "")
    return "-" + text if rounded < 0 else text


@functools.cache
def _wide():
    from decimal import Context

    return Context(prec=1000)  # every float's integer part fits (1.8e308 has 309 digits)


_SYMBOLS = {"ru_RU": ("\u00a0", ","), "en_GB": (",", ".")}  # group separator and decimal point per locale


def parse_number(text: str) -> float:
    """A number as a Russian user types it: '1 234,5' or '1234.5'. Raises ValueError."""
    cleaned = (text or "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", cleaned):
        raise ValueError(text)
    return float(cleaned)


def format_percent(share: float | None, digits: int = 1) -> str:
    """0.256 → '25,6 %'."""
    if share is None:
        return ""
    from babel.numbers import format_percent as _babel_percent

    return _babel_percent(share, format=f"#,##0.{'0' * digits}%" if digits else "#,##0%", locale=locale())


def count(n: int, singular: str, plural: str) -> str:
    """'5 учеников' — the number with the right plural form of the translated noun."""
    return ngettext(singular, plural, n).format(n=format_number(n, 0))
