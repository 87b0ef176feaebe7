"""The quarterly report as a PDF with the content of the XLSX: header, execution summary, problems and corrective
actions, every section as a table, the indicators' dynamics as charts, the signatures.

The whole report is landscape A4. Half of its sections (measures, indicators, PD courses, decisions, pupils by
name) have six to eight columns of long text that are unreadable on a portrait page, `pdf.build` gives one
orientation per document, and the school's other documents (program, roadmap, databank) are landscape too, so
the deputy director files them alike. Narrow sections take only the width they need; charts go two abreast.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from models import fmt, pdf
from models.i18n import _
from models.report import Report, Section
from models.report_xlsx import personal_data_banner, report_title

NUMERIC = ("int", "number", "percent")
CHART_HEIGHT_MM = 62


def format_value(value: object, kind: str) -> str:
    """A value as the report prints it: '12', '3,5', '25,0 %', '01.10.2026', or the text itself."""
    if value is None or value == "":
        return ""
    try:
        if kind == "int" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return fmt.format_number(value, 0)
        if kind == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return fmt.format_number(value)
        if kind == "percent" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return fmt.format_percent(value)
        if kind == "date":
            return fmt.format_date(value)
    except (TypeError, ValueError):
        pass
    return str(value)


def _cell(value: object, kind: str) -> Paragraph:
    text = format_value(value, kind)
    return Paragraph(pdf.markup(text), pdf.style("cell_number" if kind in NUMERIC else "cell"))


def _indented() -> ParagraphStyle:
    return ParagraphStyle("cell_indented", pdf.style("cell"), leftIndent=14)


def _section_table(section: Section) -> Flowable:
    weights = [max(c.width, 0.1) for c in section.columns]
    # A wide section spans the page; a narrow one (a few number columns) only as much as its columns need.
    total = 1.0 if section.wide else min(1.0, max(0.45, 0.09 * sum(weights)))
    widths = [total * w / sum(weights) for w in weights]
    kinds = [c.kind for c in section.columns]
    rows = [[_cell(v, k) for v, k in zip(row, kinds)] for row in section.rows]
    return pdf.table([c.title for c in section.columns], rows, widths)


def _summary(report: Report) -> list[Flowable]:
    rows = []
    for label, value, kind in report.summary:
        style = _indented() if label[:1].islower() else pdf.style("cell")  # "done", "of them overdue": sub-items
        shown = format_value(value, kind) or "—"
        rows.append([Paragraph(pdf.markup(label), style), Paragraph(pdf.markup(shown), pdf.style("cell_number"))])
    return [pdf.heading(_("Execution summary")), pdf.table([_("Figure"), _("Value")], rows, [0.5, 0.14])]


def _text_block(heading: str, text: str) -> list[Flowable]:
    paragraphs = [p for p in (text or "").replace("\r\n", "\n").split("\n") if p.strip()] or ["—"]
    return [pdf.heading(heading), *(pdf.paragraph(p) for p in paragraphs)]


def _charts(report: Report) -> list[Flowable]:
    if not report.charts:
        return []
    cells = []
    for title, points, target in report.charts:
        chart = pdf.line_chart(points, target=target, series_label=_("Value"), target_label=_("Target"),
                               height_mm=CHART_HEIGHT_MM)
        cells.append([pdf.paragraph(title, "small", align="center"), chart])
    if len(cells) % 2:
        cells.append("")
    grid = [cells[i:i + 2] for i in range(0, len(cells), 2)]
    style = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 4),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 10), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)])
    return [pdf.heading(_("Dynamics of indicators")), Table(grid, colWidths=["50%", "50%"], style=style,
                                                             hAlign="LEFT")]


def story(report: Report) -> list[Flowable]:
    """The report's flowables, in the order of the XLSX sheets."""
    school = report.school
    parts: list[Flowable] = []
    if school.get("full_name") or school.get("short_name"):
        parts.append(pdf.paragraph(school.get("full_name") or school.get("short_name"), align="center"))
    parts.append(pdf.title(report_title()))
    parts.append(pdf.paragraph(f"{_('Reporting period')}: {report.period.label}", "bold", align="center"))
    details = [f"{_('Municipality')}: {school['municipality']}"] if school.get("municipality") else []
    details.append(f"{_('Date of the report')}: {fmt.format_date(report.generated_on)}")
    parts += [pdf.paragraph(line, "small", align="right") for line in details]
    parts += _summary(report)
    parts += _text_block(_("Problems identified"), report.problems)
    parts += _text_block(_("Corrective actions"), report.actions)
    for section in report.sections:
        parts.append(pdf.heading(section.title))
        if section.rows:
            parts.append(_section_table(section))
        else:
            parts.append(pdf.paragraph(_("No data for the period."), "small"))
        if section.note:
            parts.append(pdf.paragraph(section.note, "small"))
        if section.key == "indicators":
            parts += _charts(report)
    parts.append(KeepTogether([pdf.spacer(10), signatures(report.signers)]))
    return parts


def signatures(signers: Sequence[tuple[str, str]]) -> Flowable:
    return pdf.signature_block(list(signers))


def write_pdf(report: Report, out: str | Path) -> Path:
    """Write the report as a landscape A4 PDF to `out` (atomically); return the path.

    Every page has "page X of Y"; a report with names says on every page that it holds personal data. Raises
    pdf.PdfError (translated) when no font is found or the file cannot be written; nothing is left behind then.
    """
    school = report.school.get("short_name") or report.school.get("full_name") or ""
    pdf.build(
        out,
        story(report),
        landscape=True,
        title=f"{report_title()}: {report.period.label}",
        author=school,
        subject=report.period.label,
        personal_data_banner=personal_data_banner() if report.with_names else None,
    )
    return Path(out)
