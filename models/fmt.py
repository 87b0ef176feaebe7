"""The one place where dates, numbers, percents and plural forms are formatted and parsed (Babel)."""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal
from babel.numbers import format_percent as _babel_percent

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
    return _babel_date(value, DATE_PATTERN, locale=locale())


def format_long_date(value: str | dt.date) -> str:
    """'22 ноября 2026 г.' — for documents."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return _babel_date(value, "long", locale=locale())


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
    if value is None:
        return ""
    return format_decimal(value, format=f"#,##0.{'#' * digits}" if digits else "#,##0", locale=locale())


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
    return _babel_percent(share, format=f"#,##0.{'0' * digits}%" if digits else "#,##0%", locale=locale())


def count(n: int, singular: str, plural: str) -> str:
    """'5 учеников' — the number with the right plural form of the translated noun."""
    return ngettext(singular, plural, n).format(n=format_number(n, 0))
