"""The record pattern: a record type declares its fields once; generic code lists, validates, saves and
deletes any record from that declaration. The UI's one table model and one form read the same declaration.

A new entity needs a `RecordType(...)` and a `register()` call, nothing else in this module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
import sqlite3
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, NamedTuple

from models import fmt
from models.db import Database, id_chunks, marks, transaction
from models.i18n import _


class Kind(str, Enum):
    TEXT = "text"
    LONGTEXT = "longtext"
    DATE = "date"
    INT = "int"
    NUMBER = "number"
    CHOICE = "choice"  # a fixed set of values declared with the field
    REF = "ref"  # one record of another record type (a reference list item, a staff member…)
    REFS = "refs"  # several records of another type, kept in a link table
    BOOL = "bool"


class Field(NamedTuple):
    """One field of a record type. `label` and choice labels are marked with N_ and translated when shown.

    A named tuple, not a dataclass: the same frozen record with keyword defaults, made without generating code —
    the record types of the first screen declare some 400 fields, and a dataclass cost the start about 5 ms."""

    name: str
    label: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[tuple[str, str], ...] | Callable[[], tuple[tuple[str, str], ...]] = ()
    ref: str | None = None
    link: tuple[str, str, str] | None = None  # REFS: (link table, this record's column, the other's column)
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    default: Any = None
    in_list: bool = True
    placeholder: str = ""
    upper: bool = False  # text stored in capitals (a class letter)
    scope: str | None = None  # REF: only records whose parent is this record's value of that field
    restricted: bool = False  # hidden on screen until revealed, never in a list, a print or an export

    def choice_list(self) -> tuple[tuple[str, str], ...]:
        """(value, label) pairs of a CHOICE field; a callable is asked each time (a registry that grows)."""
        return self.choices() if callable(self.choices) else self.choices

    def limit(self) -> int:
        if self.max_length:
            return self.max_length
        return 10000 if self.kind is Kind.LONGTEXT else 500


class ValidationError(Exception):
    """Values a user entered that cannot be saved: field name → message (already translated)."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


class RecordInUseError(Exception):
    pass


class RecordType:
    """What a record is: its table, its fields, how it is named and how it is checked as a whole.

    Declared once and never changed (setting an attribute raises); a plain class rather than a frozen dataclass,
    which generated its methods at every start."""

    def __init__(
        self,
        name: str,
        table: str,
        title: str,
        plural: str,
        fields: tuple[Field, ...],
        display: Callable[[dict], str],
        order_by: str = "id",
        fixed: dict[str, Any] | None = None,  # columns every record of this type shares
        parent: str | None = None,  # the field that ties a detail record to its master
        check: Callable[[dict], dict[str, str]] | None = None,  # cross-field rules → field: message
        singleton: bool = False,
        named_by: str | None = None,  # a REF field whose record names this one (a working group member: the person)
        show_id: bool = True,  # the № column: the number the app shows for a record (views of computed rows hide it)
    ) -> None:
        self.__dict__.update(
            name=name, table=table, title=title, plural=plural, fields=fields, display=display, order_by=order_by,
            fixed={} if fixed is None else fixed, parent=parent, check=check, singleton=singleton, named_by=named_by,
            show_id=show_id,
        )  # fmt: skip

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f"a record type is declared once; cannot set {name!r}")

    def __repr__(self) -> str:
        return f"RecordType({self.name!r})"

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @functools.cached_property
    def list_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.in_list and not f.restricted and f.name != self.parent)

    @functools.cached_property
    def export_fields(self) -> tuple[Field, ...]:
        """Fields that may leave the school in a document or a file: never the restricted ones."""
        return tuple(f for f in self.fields if not f.restricted)

    @functools.cached_property
    def link_fields(self) -> tuple[Field, ...]:
        """The REFS fields kept in a link table (`Field.link`): their ids are rows of that table, not a column."""
        return tuple(f for f in self.fields if f.kind is Kind.REFS and f.link)

    @functools.cached_property
    def reference_fields(self) -> tuple[Field, ...]:
        """The REF and REFS fields, whose ids must name records of the referenced type."""
        return tuple(f for f in self.fields if f.kind in (Kind.REF, Kind.REFS))

    @functools.cached_property
    def empty_ok(self) -> frozenset[str]:
        """Fields whose empty value (None) is stored as it is: not required, neither a yes/no nor a list of ids."""
        return frozenset(f.name for f in self.fields if not f.required and f.kind not in (Kind.BOOL, Kind.REFS))

    @functools.cached_property
    def columns(self) -> tuple[Field, ...]:
        """Fields stored as columns of the table (REFS live in link tables)."""
        return tuple(f for f in self.fields if f.kind is not Kind.REFS)


REGISTRY: dict[str, RecordType] = {}


def register(rtype: RecordType) -> RecordType:
    REGISTRY[rtype.name] = rtype
    return rtype


def record_type(name: str) -> RecordType:
    return REGISTRY[name]


# ---- conversion and validation -------------------------------------------------------------------------


_TEXT, _LONGTEXT, _DATE, _INT, _NUMBER = Kind.TEXT, Kind.LONGTEXT, Kind.DATE, Kind.INT, Kind.NUMBER
_CHOICE, _REF, _REFS, _BOOL = Kind.CHOICE, Kind.REF, Kind.REFS, Kind.BOOL
_MAX_ID = 2**63 - 1  # SQLite's largest integer: a larger id cannot even be looked up


def _ref_id(raw: Any) -> int:
    """The id of a referenced record: a whole number 0…2**63-1 given as an int, a whole float or ASCII digits.

    0 names no record (saving refuses it as unknown) but passes here: a caller validates with it as a placeholder.
    """
    if isinstance(raw, int) and not isinstance(raw, bool):  # True is not record 1
        number = int(raw)
    elif isinstance(raw, float) and raw.is_integer():
        number = int(raw)
    elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        number = int(raw)
    else:
        raise ValueError(_("Choose one of the listed values."))
    if not 0 <= number <= _MAX_ID:
        raise ValueError(_("Choose one of the listed values."))
    return number


def _is_iso(text: str) -> bool:
    """A real date written exactly as stored ('2015-09-01', years 1900–2100): what fmt.parse_date returns
    unchanged, known without its patterns."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-" or not text.isascii():
        return False
    year, month, day = text[:4], text[5:7], text[8:]
    if not (year.isdigit() and month.isdigit() and day.isdigit()) or not 1900 <= int(year) <= 2100:
        return False
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def convert(f: Field, raw: Any) -> Any:
    """A value as the form or an importer hands it (text, bool, id, list of ids) → the value to store.

    Raises ValueError with a message for the user.
    """
    kind = f.kind  # compared with module constants: an importer converts every field of thousands of rows
    if kind is _TEXT and type(raw) is str:  # the commonest case, as the general path below handles it
        text = raw.strip()
        if not text:
            if f.required:
                raise ValueError(_("Fill in this field."))
            return None
        if f.upper:
            text = text.upper()
        if len(text) > (f.max_length or 500):
            raise ValueError(_("Too long: at most {n} characters.").format(n=f.limit()))
        return text
    if kind is _REFS:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return []
        if not isinstance(raw, (list, tuple, set, frozenset)):  # one id, a bool, a text: not a list of ids
            raise ValueError(_("Choose one of the listed values."))
        return sorted({_ref_id(v) for v in raw})
    if kind is _BOOL:
        return 1 if raw in (True, 1, "1") else 0
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if f.required:
            raise ValueError(_("Fill in this field."))
        return None
    if kind is _TEXT or kind is _LONGTEXT:
        text = str(raw).strip() if kind is _TEXT else str(raw).rstrip()
        if f.upper:
            text = text.upper()
        if len(text) > f.limit():
            raise ValueError(_("Too long: at most {n} characters.").format(n=f.limit()))
        return text
    if kind is _DATE:
        if type(raw) is str and _is_iso(raw):  # already stored form (an importer's, a fetched record's)
            return raw
        try:
            return fmt.parse_date(str(raw))
        except ValueError:
            raise ValueError(_("Not a date: type it as dd.mm.yyyy, for example 01.09.2026.")) from None
    if kind is _INT or kind is _NUMBER:
        if isinstance(raw, bool):
            raise ValueError(_("Not a number."))
        try:
            value = fmt.parse_number(raw) if isinstance(raw, str) else float(raw)
        except (TypeError, ValueError, OverflowError):  # OverflowError: an int beyond a float (10**400)
            raise ValueError(_("Not a number.")) from None
        if not math.isfinite(value):  # inf, nan; 400 digits typed parse to inf
            raise ValueError(_("Not a number."))
        if kind is _INT:
            if value != int(value):
                raise ValueError(_("A whole number is needed."))
            value = int(value)
        if f.minimum is not None and value < f.minimum or f.maximum is not None and value > f.maximum:
            raise ValueError(
                _("Must be between {lo} and {hi}.").format(
                    lo=fmt.format_number(f.minimum), hi=fmt.format_number(f.maximum)
                )
            )
        return value
    if kind is _CHOICE:
        if not any(raw == value for value, _label in f.choice_list()):
            raise ValueError(_("Choose one of the listed values."))
        return raw
    if kind is _REF:
        return _ref_id(raw)
    raise AssertionError(f.kind)


def validate(rtype: RecordType, values: dict[str, Any]) -> dict[str, Any]:
    """Convert and check every field and then the record as a whole; raise ValidationError listing all."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    empty_ok = rtype.empty_ok
    for f in rtype.fields:
        raw = values.get(f.name, f.default)
        # what convert() returns for an empty optional field, without the call: an importer's rows leave most empty
        if raw is None and f.name in empty_ok:
            clean[f.name] = None
            continue
        try:
            clean[f.name] = convert(f, raw)
        except ValueError as exc:
            errors[f.name] = str(exc)
    if not errors and rtype.check:
        errors.update(rtype.check(clean))
    if errors:
        raise ValidationError(errors)
    return clean


# ---- reading ---------------------------------------------------------------------------------------------


def _where(rtype: RecordType, filters: dict[str, Any] | None) -> tuple[str, list]:
    conditions = {**rtype.fixed, **(filters or {})}
    if not conditions:
        return "", []
    sql = " AND ".join(f"[{k}] IS ?" for k in conditions)
    return f" WHERE {sql}", list(conditions.values())


def rows(db: Database, rtype: RecordType, filters: dict[str, Any] | None = None) -> list[dict]:
    """Every record of the type (optionally filtered by column values), in the declared order."""
    where, params = _where(rtype, filters)
    result = db.dicts(f"SELECT * FROM [{rtype.table}]{where} ORDER BY {rtype.order_by}", params)
    for f in rtype.link_fields:
        table, own, other = f.link
        links: dict[int, list[int]] = {}
        one = filters is not None and "id" in filters  # fetch() of one record reads only its links
        sql = f"SELECT [{own}], [{other}] FROM [{table}]" + (f" WHERE [{own}] = ?" if one else "")
        for own_id, other_id in db.execute(sql, [filters["id"]] if one else []):
            links.setdefault(own_id, []).append(other_id)
        for row in result:
            row[f.name] = sorted(links.get(row["id"], []))
    return result


def fetch(db: Database, rtype: RecordType, record_id: int) -> dict | None:
    found = [r for r in rows(db, rtype, {"id": record_id})]
    return found[0] if found else None


def labels(db: Database, rtype: RecordType, ids: Iterable[int] | None = None) -> dict[int, str]:
    """id → how the record is named, for every record of the type; with `ids`, for those records only (a list that
    names a few of many reads just those, from the record's own columns)."""
    if ids is None:
        return {r["id"]: rtype.display(r) for r in rows(db, rtype)}
    out: dict[int, str] = {}
    fixed = "".join(f" AND [{k}] IS ?" for k in rtype.fixed)
    for chunk in id_chunks(ids):
        found = db.dicts(
            f"SELECT * FROM [{rtype.table}] WHERE id IN ({marks(chunk)}){fixed}", [*chunk, *rtype.fixed.values()]
        )
        out.update((r["id"], rtype.display(r)) for r in found)
    return out


def options(db: Database, ref: str, keep: Iterable[int] = (), parent_id: int | None = None) -> list[tuple[int, str]]:
    """Choices for a reference field: active records (plus those in `keep`, so a saved value never vanishes);
    with `parent_id`, only the records of that master (the tasks of one program)."""
    rtype = record_type(ref)
    keep = set(keep)
    filters = {rtype.parent: parent_id} if parent_id is not None and rtype.parent else None
    return [
        (r["id"], name_of(db, rtype, r))
        for r in rows(db, rtype, filters)
        if (r.get("active", 1) and not r.get("left_on")) or r["id"] in keep  # out of use, or a pupil who left
    ]


def _unknown_references(db: Database, rtype: RecordType, clean: dict[str, Any]) -> dict[str, str]:
    """Reference fields whose ids are not records of the referenced type (a subject given as a position)."""
    errors = {}
    for f in rtype.reference_fields:
        if clean.get(f.name) in (None, []):
            continue
        ids = clean[f.name] if f.kind is Kind.REFS else [clean[f.name]]
        target = record_type(f.ref)
        where, params = _where(target, {target.parent: clean.get(f.scope)} if f.scope else None)
        sql = f"SELECT count(*) FROM [{target.table}]{where or ' WHERE 1'} AND id IN ({marks(ids)})"
        if db.execute(sql, [*params, *ids]).fetchone()[0] != len(set(ids)):
            errors[f.name] = _("Choose one of the listed values.")
    return errors


class Lookups:
    """Caches the names of referenced records while a list is being shown; `known`: names already read (record
    type name → id → name), for a list that read only the records it refers to."""

    def __init__(self, db: Database, known: dict[str, dict[int, str]] | None = None):
        self.db = db
        self._cache: dict[str, dict[int, str]] = dict(known or {})

    def name(self, ref: str, record_id: int | None) -> str:
        if record_id is None:
            return ""
        if ref not in self._cache:
            self._cache[ref] = labels(self.db, record_type(ref))
        return self._cache[ref].get(record_id, "?")


def name_of(db: Database, rtype: RecordType, row: dict) -> str:
    """How a record is named in messages: its display, or the name of the record it stands for."""
    if rtype.named_by:
        return Lookups(db).name(rtype.field(rtype.named_by).ref, row.get(rtype.named_by))
    return rtype.display(row)


def display_value(f: Field, value: Any, lookups: Lookups) -> str:
    """How a stored value reads on screen."""
    if f.kind is Kind.BOOL:
        return _("yes") if value else _("no")
    if value is None or value == "":
        return ""
    if f.kind is Kind.DATE:
        return fmt.format_date(value)
    if f.kind is Kind.NUMBER:
        return fmt.format_number(value)
    if f.kind is Kind.INT:
        return str(value)
    if f.kind is Kind.CHOICE:
        return next((_(label) for v, label in f.choice_list() if v == value), str(value))
    if f.kind is Kind.REF:
        return lookups.name(f.ref, value)
    if f.kind is Kind.REFS:
        return ", ".join(lookups.name(f.ref, v) for v in value)
    return str(value)


# ---- writing ---------------------------------------------------------------------------------------------


def save(db: Database, rtype: RecordType, values: dict[str, Any], record_id: int | None = None) -> int:
    """Validate and write one record (and its link rows) in one transaction; return its id.

    When updating, fields missing from `values` keep their stored values.
    """
    if record_id is not None:
        stored = fetch(db, rtype, record_id)
        if stored is None:
            raise ValidationError({"": _("The record no longer exists.")})
        values = {**stored, **values}
    clean = validate(rtype, values)
    errors = _unknown_references(db, rtype, clean)
    if errors:
        raise ValidationError(errors)
    columns = {f.name: clean[f.name] for f in rtype.columns}
    columns.update(rtype.fixed)
    links = rtype.link_fields
    # Inside the caller's transaction (an import of 2,000 pupils) a record written by one statement needs no
    # savepoint of its own: SQLite undoes a failed statement by itself. Link rows or a singleton's check do.
    own = links or rtype.singleton or not db.conn.in_transaction
    with transaction(db) if own else contextlib.nullcontext():
        try:
            if record_id is None and rtype.singleton:
                record_id = 1 if db.execute(f"SELECT 1 FROM [{rtype.table}] WHERE id = 1").fetchone() else None
                if record_id is None:
                    columns["id"] = 1
            if record_id is None:
                names = ", ".join(f"[{k}]" for k in columns)
                cursor = db.execute(
                    f"INSERT INTO [{rtype.table}] ({names}) VALUES ({marks(columns)})", list(columns.values())
                )
                record_id = cursor.lastrowid
            else:
                sets = ", ".join(f"[{k}] = ?" for k in columns)
                cursor = db.execute(f"UPDATE [{rtype.table}] SET {sets} WHERE id = ?", [*columns.values(), record_id])
                if cursor.rowcount != 1:
                    raise ValidationError({"": _("The record no longer exists.")})
        except sqlite3.IntegrityError as exc:
            raise ValidationError({"": _integrity_message(exc)}) from exc
        for f in links:
            table, this, other = f.link
            db.execute(f"DELETE FROM [{table}] WHERE [{this}] = ?", [record_id])
            for other_id in clean[f.name]:
                db.execute(f"INSERT INTO [{table}] ([{this}], [{other}]) VALUES (?, ?)", [record_id, other_id])
    return record_id


def insert_many(db: Database, rtype: RecordType, many: list[dict[str, Any]], *, validated: bool = False) -> int:
    """Validate and add new records as `save()` adds each one, with one statement for all of them (SQLite's
    executemany), in one transaction — a savepoint inside the caller's: all of them or none. Returns how many.

    `validated`: every record is what validate() returned for this record type (an importer validates each row
    for its preview): it is not converted again; its references are still checked against the database.
    Raises ValidationError for the first record that cannot be added, its place in `many` as `index`.
    """
    if rtype.singleton or any(f.kind is Kind.REFS for f in rtype.fields):  # link rows need each record's id
        for index, values in enumerate(many):
            try:
                save(db, rtype, values)
            except ValidationError as exc:
                exc.index = index
                raise
        return len(many)
    params = []
    for index, values in enumerate(many):
        try:
            clean = values if validated else validate(rtype, values)
            errors = _unknown_references(db, rtype, clean)
            if errors:
                raise ValidationError(errors)
        except ValidationError as exc:
            exc.index = index
            raise
        params.append([clean[f.name] for f in rtype.columns] + list(rtype.fixed.values()))
    names = [f.name for f in rtype.columns] + list(rtype.fixed)
    sql = f"INSERT INTO [{rtype.table}] ({', '.join(f'[{n}]' for n in names)}) VALUES ({marks(names)})"
    try:
        with transaction(db):
            db.conn.executemany(sql, params)
        return len(params)
    except sqlite3.IntegrityError:
        pass
    # The database refused one of them (a value that must be unique…): which one, tried one by one, all undone.
    db.conn.execute("SAVEPOINT insert_many_probe")
    try:
        for index, row in enumerate(params):
            try:
                db.conn.execute(sql, row)
            except sqlite3.IntegrityError as exc:
                error = ValidationError({"": _integrity_message(exc)})
                error.index = index
                raise error from exc
    finally:
        db.conn.execute("ROLLBACK TO insert_many_probe")
        db.conn.execute("RELEASE insert_many_probe")
    raise AssertionError("SQLite refused the records together but none alone")  # pragma: no cover


def _integrity_message(exc: sqlite3.IntegrityError) -> str:
    text = str(exc)
    if "UNIQUE" in text:
        return _("Such a record already exists.")
    if "CHECK" in text:
        return _("The values contradict each other; check the dates and numbers.")
    if "NOT NULL" in text:
        return _("A required value is missing.")
    return _("The record refers to something that does not exist.")


def delete(db: Database, rtype: RecordType, record_id: int) -> None:
    """Delete one record in one transaction; refuse (RecordInUseError) while other records refer to it."""
    try:
        with transaction(db):
            db.execute(f"DELETE FROM [{rtype.table}] WHERE id = ?", [record_id])
    except sqlite3.IntegrityError as exc:
        raise RecordInUseError(
            _("“{name}” is used in other records and cannot be deleted. Mark it inactive instead.").format(
                name=name_of(db, rtype, fetch(db, rtype, record_id) or {})
            )
        ) from exc
