"""Deadlines as roadmaps word them ("до 17.03.2027", "март 2027", "II квартал", "в течение года") → dates.

`parse_deadline` understands the wordings that name a date or a period and keeps everything else as text, so
a printed roadmap can still show the school's own words. Rules worth knowing:

- A single date is a due date (no start). Two-digit years are 20xx. Years outside 1900–2100 are not dates.
- A period (month, quarter, half-year, year) gives its first and last day.
- Without a year, a month belongs to the academic year that starts in September of `default_year`:
  September–December → `default_year`, January–August → `default_year + 1`. A quarter follows its first month
  (I–III → `default_year + 1`, IV → `default_year`).
- In a range without a year ("сентябрь – октябрь", "ноябрь-февраль", "март-декабрь"), the start takes its
  year from that rule and the end is the next time its month comes: the same calendar year, or the next one
  when it comes earlier in the calendar. With a year on the end only ("сентябрь – октябрь 2026 г."), the start
  is the last time its month comes before the end.
- "I полугодие 2027" is the calendar half-year (January–June 2027). A half-year is academic when the wording
  says so ("1 полугодие 2023-2024 учебного года", "2 полугодие 2026/2027") or names no year at all: a school
  roadmap's "1 полугодие" is September–December of `default_year`, "2 полугодие" January–May of the next year.
- "2026", "2026 год", "в 2026 году" is the calendar year; "2022-2023 учебный год" and "2026/2027" the academic
  year (1 September – 31 August, as the program's academic years).
- Lists of dates, reversed ranges, impossible dates (31.02.2027) and anything with other words stay text.

The month words are Russian on purpose: they are the language of the documents, not interface text.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

YEAR_MIN, YEAR_MAX = 1900, 2100  # what the program stores as a date (models.fmt.parse_date)


@dataclass(frozen=True)
class Deadline:
    """ISO start and due dates (either may be None) and the wording, kept when it says more than the dates."""

    start: str | None
    due: str | None
    text: str | None


_SOFT = {
    "январ": 1,
    "феврал": 2,
    "апрел": 4,
    "июн": 6,
    "июл": 7,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
_HARD = {"март": 3, "август": 8}
_MONTHS = {stem + end: n for stem, n in _SOFT.items() for end in ("ь", "я", "е")}  # январь, января, январе
_MONTHS |= {stem + end: n for stem, n in _HARD.items() for end in ("", "а", "е")}
_MONTHS |= {"май": 5, "мая": 5, "мае": 5}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_NUMERALS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_NO = r"(iv|iii|ii|i|[1-4])"
_HALF_NO = r"(ii|i|[12])"
_ORDINAL = r"(?:\s*-?\s*(?:ый|ий|ой|ое|й|е|м|го))?"  # 1-й, 2-е, во 2-м
_YEAR_WORD = r"(?:\s*(?:гг\.?|г\.?|годы|года|году|год))?"  # "г." inside a range too: "2026 г. – 2027 г."
_IN = r"(?:(?:в течение|в|во)\s+)?"
_ACADEMIC = r"(?:учебн\w*\s+год\w*|уч\.?\s*г\w*)"
_DMY = r"([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{4}|[0-9]{2})"

_NUMERIC_DATE = re.compile(_DMY + r"(?:\s*г\.?)?")
_WORD_DATE = re.compile(rf"([0-9]{{1,2}})\s+{_MONTH}(?:\s+([0-9]{{4}}))?{_YEAR_WORD}")
_MONTH_ONLY = re.compile(rf"{_IN}{_MONTH}(?:\s+([0-9]{{4}}){_YEAR_WORD})?")
_QUARTER = re.compile(
    rf"{_IN}{_QUARTER_NO}(?:\s*-\s*{_QUARTER_NO})?{_ORDINAL}\s*(?:квартал\w*|кв\.?)(?:\s+([0-9]{{4}}){_YEAR_WORD})?"
)
_HALF = re.compile(
    rf"{_IN}{_HALF_NO}{_ORDINAL}\s*полугоди\w*"
    rf"(?:\s+([0-9]{{4}})(?:\s*[-/]\s*([0-9]{{4}})(?:\s*{_ACADEMIC})?|{_YEAR_WORD}))?"
)
_YEAR = re.compile(rf"{_IN}([0-9]{{4}}){_YEAR_WORD}")
_ACADEMIC_YEAR = re.compile(rf"{_IN}([0-9]{{4}})\s*(?:[-/]\s*([0-9]{{4}})\s*{_ACADEMIC}|/\s*([0-9]{{4}}))")
_PREFIXED = re.compile(r"(до|не позднее|не позже|к|в срок до|с)\s+(.+)")
_FROM_TO = re.compile(r"с\s+(.+?)\s+(?:по|до)\s+(.+)")
_ANY_DMY = re.compile(r"(?<![0-9])" + _DMY + r"(?![0-9])")


@dataclass(frozen=True)
class _Point:
    """A date or a period as written, its year possibly missing until the context supplies it."""

    kind: str  # day, month, quarter, half, academic_half, year, academic_year
    first: int  # the month (day, month), the first quarter or half-year number
    last: int = 0  # the last quarter of "I-IV квартал"; the day of a day
    year: int | None = None
    numeric: bool = False  # written as dd.mm.yyyy

    @property
    def month(self) -> int:
        """The month whose place in the academic year decides a missing year."""
        return {"quarter": 3 * self.first - 2, "half": 6 * self.first - 5}.get(self.kind, self.first)

    def span(self, year: int) -> tuple[dt.date, dt.date]:
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise ValueError(year)
        if self.kind == "day":
            day = dt.date(year, self.first, self.last)
            return day, day
        if self.kind == "month":
            return _months(year, self.first, self.first)
        if self.kind == "quarter":
            return _months(year, 3 * self.first - 2, 3 * (self.last or self.first))
        if self.kind == "half":
            return _months(year, 6 * self.first - 5, 6 * self.first)
        if self.kind == "academic_half":
            return (
                (dt.date(year, 9, 1), dt.date(year, 12, 31))
                if self.first == 1
                else (dt.date(year + 1, 1, 1), dt.date(year + 1, 5, 31))
            )
        if self.kind == "academic_year":
            return dt.date(year, 9, 1), dt.date(year + 1, 8, 31)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _months(year: int, first: int, last: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def _year(text: str | None) -> int | None:
    if not text:
        return None
    return 2000 + int(text) if len(text) == 2 else int(text)


def _point(s: str) -> _Point | None:
    """One date or period, or None when `s` is not one."""
    if m := _NUMERIC_DATE.fullmatch(s):
        return _Point("day", int(m[2]), int(m[1]), _year(m[3]), numeric=True)
    if m := _WORD_DATE.fullmatch(s):
        return _Point("day", _MONTHS[m[2]], int(m[1]), _year(m[3]))
    if m := _MONTH_ONLY.fullmatch(s):
        return _Point("month", _MONTHS[m[1]], year=_year(m[2]))
    if m := _QUARTER.fullmatch(s):
        first, last = _NUMERALS[m[1]], _NUMERALS[m[2]] if m[2] else 0
        if last and last < first:
            raise ValueError(s)
        return _Point("quarter", first, last, _year(m[3]))
    if m := _HALF.fullmatch(s):
        if m[3]:  # two years: the half of an academic year
            if int(m[3]) != int(m[2]) + 1:
                return None
            return _Point("academic_half", _NUMERALS[m[1]], year=int(m[2]))
        return _Point("half" if m[2] else "academic_half", _NUMERALS[m[1]], year=_year(m[2]))
    if m := _YEAR.fullmatch(s):
        return _Point("year", 0, year=int(m[1]))
    if m := _ACADEMIC_YEAR.fullmatch(s):
        if int(m[2] or m[3]) != int(m[1]) + 1:
            return None
        return _Point("academic_year", 0, year=int(m[1]))
    return None


def _academic(point: _Point, default_year: int) -> int:
    """The year of a point written without one."""
    if point.kind == "academic_half":
        return default_year
    return default_year if point.month >= 9 else default_year + 1


def _interpret(s: str, default_year: int) -> tuple[str | None, str | None, bool] | None:
    """(start, due, plain) for a normalized wording, None when it is not a date or a period.

    Raises ValueError for a date that does not exist or a range that ends before it starts.
    """
    if m := _PREFIXED.fullmatch(s):
        point = _point(m[2])
        if point and point.kind == "day":
            day = point.span(point.year or _academic(point, default_year))[0].isoformat()
            if m[1] == "с":
                return day, None, point.numeric
            return None, day, point.numeric and m[1] == "до"
    if point := _point(s):
        first, last = point.span(point.year or _academic(point, default_year))
        if point.kind == "day":  # a single date is a due date
            return None, last.isoformat(), point.numeric
        return first.isoformat(), last.isoformat(), False
    pairs = [(m[1], m[2])] if (m := _FROM_TO.fullmatch(s)) else []
    pairs += [(s[:i], s[i + 1 :]) for i, ch in enumerate(s) if ch == "-"]
    for left_text, right_text in pairs:
        left, right = _point(left_text.strip()), _point(right_text.strip())
        if left is None or right is None:
            continue
        left_year, right_year = left.year, right.year
        if left_year is None and right_year is not None:
            left_year = right_year - (left.month > right.month)
        elif left_year is None:
            left_year = _academic(left, default_year)
        if right_year is None:
            right_year = left_year + (right.month < left.month)
        start, due = left.span(left_year)[0], right.span(right_year)[1]
        if due < start:
            raise ValueError(s)
        return start.isoformat(), due.isoformat(), left.numeric and right.numeric
    return None


def _normalize(text: str) -> str:
    s = text.lower().replace("ё", "е").replace("\u0456", "i")  # a Ukrainian і typed for the Roman I
    s = re.sub(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]", "-", s)
    return re.sub(r"\s+", " ", s).strip(" .,;")


def parse_deadline(text: str, default_year: int) -> Deadline:
    """The dates a deadline names, with the wording kept when it is more than a plain date or range.

    Never raises: whatever is not understood (or is an impossible date or a reversed range) comes back as
    text only, stripped but otherwise verbatim. `default_year` is the start year of the academic year that
    places wordings without a year (see the module's docstring).
    """
    original = (text or "").strip()
    if not original:
        return Deadline(None, None, None)
    try:
        found = _interpret(_normalize(original), default_year)
    except (ValueError, OverflowError):
        found = None
    if found is None:
        return Deadline(None, None, original)
    start, due, plain = found
    return Deadline(start, due, None if plain else original)


def has_wrong_date(text: str, default_year: int) -> bool:
    """True when the wording holds a date that does not exist (31.02.2027) or a range that ends before it
    starts: such a deadline is kept as text, and an importer should say so."""
    s = _normalize(text or "")
    for day, month, year in _ANY_DMY.findall(s):
        try:
            _Point("day", int(month), int(day)).span(_year(year))
        except ValueError:
            return True
    try:
        _interpret(s, default_year)
    except (ValueError, OverflowError):
        return True
    return False
