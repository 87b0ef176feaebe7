"""Reporting periods: calendar quarters, half-years and years, academic years, school terms, custom ranges.

Spellings (command line and saved reports): `2026-Q4`, `2026-H1`, `2026`, `2026/2027`, `2026/2027-T2`,
`2026-10-01..2026-12-31`. Academic years and terms differ from calendar ones, so their dates come from the database
when it has them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from models import fmt
from models.db import Database
from models.i18n import _

ROMAN = ("I", "II", "III", "IV")
# ASCII digits only ([0-9], not \d): the key is the stable spelling the machine-readable sheet and saved notes use.
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_HALF = re.compile(r"([0-9]{4})-H([12])")
_YEAR = re.compile(r"([0-9]{4})")
_ACADEMIC_YEAR = re.compile(r"([0-9]{4})/([0-9]{4})")
_TERM = re.compile(r"([0-9]{4})/([0-9]{4})-T([1-4])")
_RANGE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})\.\.([0-9]{4}-[0-9]{2}-[0-9]{2})")
_SHOWN = 40  # characters of the user's text repeated in a message


class PeriodError(ValueError):
    """A period spelled wrongly; the message says how to spell it."""


@dataclass(frozen=True)
class Period:
    kind: str  # quarter | half | year | academic_year | term | range
    key: str  # the spelling, stable: saved notes and the machine-readable sheet use it
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        """'IV квартал 2026 г.', '2 четверть 2026/2027 уч. г.', '01.10.2026 – 31.12.2026'."""
        if self.kind == "quarter":
            return _("{q} quarter {year}").format(q=ROMAN[int(self.key[-1]) - 1], year=self.key[:4])
        if self.kind == "half":
            return _("{h} half-year {year}").format(h=ROMAN[int(self.key[-1]) - 1], year=self.key[:4])
        if self.kind == "year":
            return _("year {year}").format(year=self.key)
        if self.kind == "academic_year":
            return _("academic year {years}").format(years=self.key)
        if self.kind == "term":
            return _("term {n} of the academic year {years}").format(n=self.key[-1], years=self.key[:9])
        return f"{fmt.format_date(self.start)} – {fmt.format_date(self.end)}"

    def contains(self, iso: str | None) -> bool:
        return bool(iso) and self.start.isoformat() <= iso[:10] <= self.end.isoformat()


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


def quarter(year: int, q: int) -> Period:
    return Period("quarter", f"{year:04d}-Q{q}", dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q))


def current_quarter(today: dt.date | None = None) -> Period:
    today = today or dt.date.today()
    return quarter(today.year, (today.month - 1) // 3 + 1)


def last_finished_quarter(today: dt.date | None = None) -> Period:
    current = current_quarter(today)
    previous_day = current.start - dt.timedelta(days=1)
    return quarter(previous_day.year, (previous_day.month - 1) // 3 + 1)


def parse(spec: str, db: Database | None = None) -> Period:
    """A period from its spelling; raises PeriodError with a sentence naming the accepted spellings."""
    text = (spec or "").strip()
    shown = " ".join(text.split())  # the user's text in a message: one line, and not all of a pasted page
    shown = shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "…"
    try:
        if m := _QUARTER.fullmatch(text):
            return quarter(int(m[1]), int(m[2]))
        if m := _HALF.fullmatch(text):
            year, half = int(m[1]), int(m[2])
            return Period("half", text, dt.date(year, 1 if half == 1 else 7, 1), _month_end(year, 6 * half))
        if m := _YEAR.fullmatch(text):
            year = int(m[1])
            return Period("year", text, dt.date(year, 1, 1), dt.date(year, 12, 31))
        if m := _TERM.fullmatch(text) or _ACADEMIC_YEAR.fullmatch(text):
            first, second = int(m[1]), int(m[2])
            if second != first + 1:
                raise PeriodError(
                    _("{spec}: the academic year is two years in a row, like 2026/2027.").format(spec=shown)
                )
            if m.re is _ACADEMIC_YEAR:
                return Period("academic_year", text, *_academic_year_dates(db, first))
            start, end = _term_dates(db, first, int(m[3]))
            return Period("term", text, start, end)
        if m := _RANGE.fullmatch(text):
            start, end = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
            if end < start:
                raise PeriodError(_("{spec}: the period ends before it starts.").format(spec=shown))
            return Period("range", text, start, end)
    except ValueError as exc:
        if isinstance(exc, PeriodError):
            raise
        raise PeriodError(_("{spec} is not a real date or period.").format(spec=shown)) from None
    raise PeriodError(
        _(
            "“{spec}” is not a period. Write a quarter 2026-Q4, a half-year 2026-H1, a year 2026, an academic "
            "year 2026/2027, a school term 2026/2027-T2 or dates 2026-10-01..2026-12-31."
        ).format(spec=shown)
    )


def _academic_year_dates(db: Database | None, start_year: int) -> tuple[dt.date, dt.date]:
    """The academic year's dates as the school set them, else 1 September to 31 August."""
    if db is not None:
        row = db.execute(
            "SELECT start_date, end_date FROM academic_year WHERE name = ?", [f"{start_year}/{start_year + 1}"]
        ).fetchone()
        if row:
            return dt.date.fromisoformat(row[0]), dt.date.fromisoformat(row[1])
    return dt.date(start_year, 9, 1), dt.date(start_year + 1, 8, 31)


def _term_dates(db: Database | None, start_year: int, number: int) -> tuple[dt.date, dt.date]:
    """The term's dates as the school set them, else the usual ones."""
    if db is not None:
        row = db.execute(
            "SELECT t.start_date, t.end_date FROM term t JOIN academic_year y ON y.id = t.academic_year_id "
            "WHERE y.name = ? AND t.number = ?",
            [f"{start_year}/{start_year + 1}", number],
        ).fetchone()
        if row:
            return dt.date.fromisoformat(row[0]), dt.date.fromisoformat(row[1])
    from models.school import default_terms

    start, end = default_terms(start_year)[number - 1]
    return dt.date.fromisoformat(start), dt.date.fromisoformat(end)


def choices(db: Database | None, today: dt.date | None = None) -> list[Period]:
    """Periods a deputy director picks from: this and the last quarters, half-years, years, this year's terms."""
    today = today or dt.date.today()
    current = current_quarter(today)
    out = [current, last_finished_quarter(today)]
    q = last_finished_quarter(today)
    for _i in range(2):
        q = last_finished_quarter(q.start)
        out.append(q)
    half = 1 if today.month <= 6 else 2
    out += [parse(f"{today.year}-H{half}"), parse(f"{today.year - (half == 1)}-H{2 if half == 1 else 1}")]
    from models.school import academic_year_start

    start_year = academic_year_start(today)
    out += [parse(f"{start_year}/{start_year + 1}-T{n}", db) for n in range(1, 5)]
    out += [parse(f"{y:04d}/{y + 1:04d}", db) for y in (start_year, start_year - 1)]
    out += [parse(str(today.year)), parse(str(today.year - 1))]
    return out
