"""The minutes of a held meeting as a portrait A4 document in the customary Russian form.

School, "ПРОТОКОЛ № N", the kind of meeting, date and place; chair and secretary; who was present and who was
absent (invited people with their positions); the agenda; for each item "СЛУШАЛИ:" and "РЕШИЛИ:" with the
numbered decisions, their owners and due dates; signature lines for the chair and the secretary.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from models import meetings, pdf, records
from models.db import Database
from models.documents import DocumentError
from models.documents import _signature_name as signature_name
from models.fmt import format_date
from models.i18n import _
from models.school import STAFF, school_profile, short_name


class MinutesError(DocumentError):
    """The minutes cannot be made for this meeting; the message is translated, fit for the user."""


def printable_meeting(db: Database, meeting_id: int) -> dict:
    """The meeting, if its minutes can be printed; else MinutesError (unknown, planned or cancelled)."""
    meeting = records.fetch(db, meetings.MEETING, meeting_id)
    if meeting is None:
        raise MinutesError(_("Meeting No. {id} does not exist.").format(id=meeting_id))
    if meeting["status"] == "cancelled":
        raise MinutesError(_("Meeting No. {id} did not take place: it has no minutes.").format(id=meeting_id))
    if meeting["status"] != "held":
        raise MinutesError(
            _("Meeting No. {id} is not held yet: minutes are printed for a held meeting. Mark it held first.").format(
                id=meeting_id
            )
        )
    return meeting


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _person(db: Database, staff_id: int | None) -> str:
    """'Иванова М. П., заместитель директора по УВР' — a staff member as the minutes name them."""
    person = records.fetch(db, STAFF, staff_id) if staff_id else None
    if not person:
        return ""
    position = records.Lookups(db).name("position", person["position_id"]) if person["position_id"] else ""
    return ", ".join(p for p in (short_name(person), _lower_first(position)) if p)


def _who(participant: dict) -> str:
    """Staff by their short name; invited people by name with their position."""
    if participant["staff_id"]:
        return participant["short_name"]
    position = participant.get("outside_position")
    return f"{participant['outside_name']} ({position})" if position else participant["outside_name"]


def _labelled(label: str, text: str, kind: str = "body") -> Paragraph:
    """'<b>Label</b> text' with the user's text kept literal."""
    return Paragraph(f"<b>{pdf.markup(label)}</b> {pdf.markup(text)}", pdf.style(kind))


def _decision_paragraph(number: str, decision: dict, names: dict[int, str]) -> Paragraph:
    text = decision["text"].strip()
    lines = [f"{number} {text}"]
    owner, due = meetings.owner_label(decision, names), format_date(decision.get("due_date"))
    if owner and due:
        lines.append(_("Responsible: {owner}, due: {date}.").format(owner=owner, date=due))
    elif owner:
        lines.append(_("Responsible: {owner}.").format(owner=owner))
    elif due:
        lines.append(_("Due: {date}.").format(date=due))
    st = pdf.style("body")
    return Paragraph(
        "<br/>".join(pdf.markup(line) for line in lines),
        st.clone("decision", leftIndent=8 * mm, firstLineIndent=0),
    )


class _DateAndPlace(Flowable):
    """The date (and time) at the left margin and the place at the right one, as minutes begin."""

    def __init__(self, meeting: dict) -> None:
        super().__init__()
        when = ", ".join(p for p in (format_date(meeting["date"]), meeting.get("time") or "") if p)
        self._cells = [[pdf.paragraph(when), pdf.paragraph(meeting.get("place") or "", align="right")]]
        self._table: Table | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._table = Table(self._cells, colWidths=[avail_width * 0.4, avail_width * 0.6])
        self._table.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONT", (0, 0), (-1, -1), pdf.register_fonts().regular, 10),
                ]
            )
        )
        self.width, self.height = self._table.wrap(avail_width, avail_height)
        return self.width, self.height

    def draw(self) -> None:
        self._table.drawOn(self.canv, 0, 0)


def print_minutes(db: Database, meeting_id: int, out: str | Path) -> Path:
    """The minutes of a held meeting as a PDF at `out`; returns the path.

    Raises MinutesError (nothing written) for an unknown, planned or cancelled meeting, PdfError when no font
    is found or the file cannot be written.
    """
    meeting = printable_meeting(db, meeting_id)
    school = school_profile(db) or {}
    kind = records.Lookups(db).name("meeting_kind", meeting["kind_id"]) if meeting["kind_id"] else ""
    people = meetings.participant_rows(db, meeting_id)
    agenda = records.rows(db, meetings.AGENDA_ITEM, {"meeting_id": meeting_id})
    decisions = records.rows(db, meetings.DECISION, {"meeting_id": meeting_id})
    names = meetings.short_names(db)
    title = _("MINUTES No. {number}").format(number=meeting["number"])

    story: list[Flowable] = []
    if school.get("full_name"):
        story.append(pdf.paragraph(school["full_name"], align="center"))
    story.append(pdf.spacer(2))
    story.append(pdf.title(title))
    if kind:
        story.append(pdf.paragraph(kind, "bold", align="center"))
    story += [pdf.spacer(2), _DateAndPlace(meeting), pdf.spacer(3)]

    chair, secretary = _person(db, meeting["chair_id"]), _person(db, meeting["secretary_id"])
    story.append(_labelled(_("Chair:"), chair or "—"))
    story.append(_labelled(_("Secretary:"), secretary or "—"))
    present = [_who(p) for p in people if p["present"]]
    absent = [_who(p) for p in people if not p["present"]]
    if present:
        story.append(_labelled(_("Present:"), ", ".join(present) + "."))
    if absent:
        story.append(_labelled(_("Absent:"), ", ".join(absent) + "."))

    items = {item["id"]: n for n, item in enumerate(agenda, 1)}
    if agenda:
        story.append(pdf.heading(_("AGENDA:")))
        for n, item in enumerate(agenda, 1):
            speaker = f" ({item['speaker']})" if item.get("speaker") else ""
            story.append(pdf.paragraph(f"{n}. {item['title']}{speaker}"))
    for n, item in enumerate(agenda, 1):
        heard = " — ".join(p for p in (item.get("speaker") or "", item.get("heard") or item["title"]) if p)
        block: list[Flowable] = [pdf.spacer(2), _labelled(f"{n}. " + _("HEARD:"), heard)]
        mine = [d for d in decisions if d["agenda_item_id"] == item["id"]]
        if mine:
            block.append(_labelled(_("RESOLVED:"), ""))
            block += [_decision_paragraph(f"{n}.{j}.", d, names) for j, d in enumerate(mine, 1)]
        story.append(KeepTogether(block[:4]))  # a heading never stands alone at a page's foot
        story += block[4:]
    general = [d for d in decisions if d["agenda_item_id"] not in items]
    if general:
        story += [pdf.spacer(2), _labelled(_("RESOLVED:"), "")]
        story += [_decision_paragraph(f"{j}.", d, names) for j, d in enumerate(general, 1)]

    signatures = pdf.signature_block(
        [
            (_("Chair"), signature_name(db, meeting["chair_id"])),
            (_("Secretary"), signature_name(db, meeting["secretary_id"])),
        ]
    )
    # the signatures never stand alone on the last page: the last paragraph goes along with them
    story.append(KeepTogether([story.pop(), pdf.spacer(6), signatures]))
    pdf.build(
        out,
        story,
        title=title,
        author=school.get("short_name") or "",
        subject=" ".join(p for p in (kind, format_date(meeting["date"])) if p),
    )
    return Path(out)
