"""Printed documents of the databank: the internal list with names, and one pupil's card for a parent meeting or
the PMPK. Both hold personal data, so every page says so; the restricted note is in neither."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from models import databank, fmt, pdf, records
from models.db import Database
from models.i18n import _
from models.records import ValidationError
from models.school import full_name, school_profile


class PrintError(Exception):
    """The document cannot be made; the message is translated."""


def personal_data_banner() -> str:
    return _("Contains personal data of pupils: for use inside the school only")


def _label(choices, value) -> str:
    return next((_(label) for v, label in choices if v == value), "")


def _school_name(db: Database) -> str:
    profile = school_profile(db) or {}
    return profile.get("full_name") or profile.get("short_name") or ""


def print_databank(
    db: Database, out: str | Path, *, flt: databank.DatabankFilter | None = None, today: dt.date | None = None
) -> Path:
    """The databank list with pupils' names (landscape), as filtered on screen."""
    today = today or dt.date.today()
    entries = databank.databank(db, flt)
    lookups = records.Lookups(db)
    story = [
        pdf.paragraph(_school_name(db), "small"),
        pdf.title(_("Databank of pupils with learning difficulties")),
        pdf.paragraph(_("As of {date}. Entries: {n}.").format(date=fmt.format_date(today), n=len(entries))),
        pdf.spacer(),
    ]
    header = [
        _("No."),
        _("Pupil"),
        _("Class"),
        _("Category"),
        _("Subject"),
        _("Identified on"),
        _("Identified by"),
        _("Responsible teacher"),
        _("Status"),
        _("Support entries"),
    ]
    rows = [
        [
            n,
            e["student"],
            e["class_name"],
            lookups.name("difficulty_category", e["category_id"]),
            lookups.name("subject", e["subject_id"]),
            fmt.format_date(e["identified_on"]),
            _label(databank.SOURCES, e["source"]),
            lookups.name("staff", e["responsible_id"]),
            _label(databank.ENTRY_STATUSES, e["status"]),
            e["support_count"],
        ]
        for n, e in enumerate(entries, start=1)
    ]
    story.append(pdf.table(header, rows, [0.04, 0.17, 0.05, 0.15, 0.11, 0.08, 0.1, 0.14, 0.08, 0.08]))
    pdf.build(
        out,
        story,
        landscape=True,
        title=_("Databank of pupils with learning difficulties"),
        personal_data_banner=personal_data_banner(),
    )
    return Path(out)


def print_student(db: Database, student_id: int, out: str | Path, *, today: dt.date | None = None) -> Path:
    """One pupil's card: the record, databank entries with their support log, results of assessments."""
    try:
        card = databank.student_card(db, student_id)
    except ValidationError:
        raise PrintError(_("There is no pupil No. {id}.").format(id=student_id)) from None
    today = today or dt.date.today()
    s = card["student"]
    story = [
        pdf.paragraph(_school_name(db), "small"),
        pdf.title(_("Pupil's card")),
        pdf.paragraph(f"{full_name(s)}, {card['class_name']}", "bold"),
        pdf.paragraph(_("Birth date: {date}").format(date=fmt.format_date(s["birth_date"]) or "—")),
        pdf.paragraph(_("As of {date}.").format(date=fmt.format_date(today)), "small"),
        pdf.heading(_("Databank entries")),
    ]
    if not card["entries"]:
        story.append(pdf.paragraph(_("none")))
    for entry in card["entries"]:
        subject = f" — {entry['subject']}" if entry["subject"] else ""
        story.append(pdf.paragraph(f"{entry['category']}{subject}", "bold"))
        story.append(
            pdf.paragraph(
                _("Identified on {date} ({source}); responsible: {who}; status: {status}.").format(
                    date=fmt.format_date(entry["identified_on"]),
                    source=_label(databank.SOURCES, entry["source"]),
                    who=entry["responsible"] or "—",
                    status=_label(databank.ENTRY_STATUSES, entry["status"]),
                )
            )
        )
        if entry["description"]:
            story.append(pdf.paragraph(entry["description"]))
        if entry["support"]:
            story.append(
                pdf.table(
                    [_("Date"), _("Kind"), _("What was done"), _("Fulfilled")],
                    [
                        [
                            fmt.format_date(x["date"]),
                            _label(databank.SUPPORT_KINDS, x["kind"]),
                            x["text"] or "",
                            _("yes") if x["fulfilled"] else "",
                        ]
                        for x in entry["support"]
                    ],
                    [0.17, 0.25, 0.46, 0.12],
                )
            )
        if entry["outcome"]:
            story.append(pdf.paragraph(_("Outcome: {text}").format(text=entry["outcome"])))
        story.append(pdf.spacer(2))
    story.append(pdf.heading(_("Results")))
    if card["results"]:
        story.append(
            pdf.table(
                [_("Date"), _("Subject"), _("Score"), _("Mark")],
                [
                    [
                        fmt.format_date(r["date"]),
                        r["subject"],
                        "" if r["total"] is None else fmt.format_number(r["total"]),
                        _("absent") if r["absent"] else (r["mark"] or ""),
                    ]
                    for r in card["results"]
                ],
                [0.18, 0.42, 0.2, 0.2],
            )
        )
    else:
        story.append(pdf.paragraph(_("none")))
    story += [
        pdf.spacer(8),
        pdf.signature_block([(_("Class teacher"), ""), (_("Parent (legal guardian)"), "")]),
    ]
    pdf.build(out, story, title=_("Pupil's card"), personal_data_banner=personal_data_banner())
    return Path(out)
