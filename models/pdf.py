"""The PDF toolkit every printable document uses: Cyrillic fonts, A4 layout, tables, blocks, charts.

A document is a list of platypus flowables made with the helpers below and written by `build()`, which adds
the "page X of Y" footer and, for documents with personal data, a banner on every page. Widths are given as
fractions of the frame, so the same story prints in portrait or landscape.
"""

from __future__ import annotations

import functools
import io
import os
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from models.fmt import format_number
from models.i18n import _, language
from models.paths import resources_dir

FONT_DIR_ENV = "ANTIRISK_PDF_FONT_DIR"
# (regular, bold) file names in order of preference; Arial-metric faces first so pages look alike everywhere.
FONT_PAIRS = (
    ("arial.ttf", "arialbd.ttf"),
    ("liberationsans-regular.ttf", "liberationsans-bold.ttf"),
    ("ptastrasans-regular.ttf", "ptastrasans-bold.ttf"),
    ("pts55f.ttf", "pts75f.ttf"),  # PT Sans as Debian/ALT package it (fonts-paratype)
    ("ptsans-regular.ttf", "ptsans-bold.ttf"),
    ("pt_sans-web-regular.ttf", "pt_sans-web-bold.ttf"),
    ("dejavusans.ttf", "dejavusans-bold.ttf"),
    ("times.ttf", "timesbd.ttf"),
    ("arial.ttf", "arial bold.ttf"),  # macOS spelling
    ("sourcesanspro-regular.ttf", "sourcesanspro-bold.ttf"),
)
# Portrait: the left edge is bound. Landscape pages are filed turned, so their top edge is bound.
MARGINS_MM = {False: (30, 15, 20, 20), True: (20, 15, 25, 20)}  # left, right, top, bottom
GRID = colors.HexColor("#7f7f7f")
HEADER_FILL = colors.HexColor("#e6e6e6")
ZEBRA_FILL = colors.HexColor("#f4f4f4")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class PdfError(RuntimeError):
    """A PDF cannot be produced; the message is translated and fit to show to the user."""


@dataclass(frozen=True)
class FontSet:
    """The registered regular and bold faces (reportlab font names) and where they came from."""

    regular: str
    bold: str
    regular_path: Path
    bold_path: Path


def _font_dirs() -> list[Path]:
    """Folders to search, in order; the env var replaces them all so a bundle or a test is deterministic."""
    if os.environ.get(FONT_DIR_ENV):
        return [Path(os.environ[FONT_DIR_ENV])]
    home = Path.home()
    dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"] if sys.platform == "win32" else []
    dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local/share/fonts"]
    dirs += [home / ".fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts/Supplemental")]
    dirs.append(resources_dir() / "fonts")
    try:
        import font_source_sans_pro  # the last resort shipped as a dependency

        dirs.append(Path(font_source_sans_pro.__file__).parent / "files")
    except ImportError:
        pass
    return dirs


def _font_files(folder: Path) -> dict[str, Path]:
    """Every *.ttf below `folder`, keyed by lower-case file name (the first one found wins)."""
    found: dict[str, Path] = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if name.lower().endswith(".ttf"):
                found.setdefault(name.lower(), Path(root) / name)
    return found


def _cyrillic_font(path: Path) -> TTFont | None:
    """The font, if reportlab can embed it and it really draws Cyrillic letters."""
    try:
        font = TTFont(f"Antirisk-{path.stem}", str(path))
    except Exception:  # a broken, PostScript-flavoured or collection file: just not a candidate
        return None
    glyphs = font.face.charToGlyph
    return font if all(ord(ch) in glyphs for ch in "ЖжЯяЁё№") else None


@functools.cache
def register_fonts() -> FontSet:
    """Find, check and register a regular + bold TTF with Cyrillic (once per process).

    Raises PdfError with a translated message when no usable pair exists.
    """
    for folder in _font_dirs():
        files = _font_files(folder) if folder.is_dir() else {}
        for regular_name, bold_name in FONT_PAIRS:
            if regular_name not in files or bold_name not in files:
                continue
            regular, bold = _cyrillic_font(files[regular_name]), _cyrillic_font(files[bold_name])
            if regular and bold:
                for font in (regular, bold):
                    pdfmetrics.registerFont(font)
                pdfmetrics.registerFontFamily(
                    regular.fontName,
                    normal=regular.fontName,
                    bold=bold.fontName,
                    italic=regular.fontName,
                    boldItalic=bold.fontName,
                )
                return FontSet(regular.fontName, bold.fontName, files[regular_name], files[bold_name])
    raise PdfError(
        _(
            "No font with Russian letters was found for PDF documents. Install the Liberation Sans or "
            "DejaVu Sans fonts, or set {variable} to a folder with a regular and a bold TTF font."
        ).format(variable=FONT_DIR_ENV)
    )


@functools.cache
def _styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    regular, bold = fonts.regular, fonts.bold
    body = ParagraphStyle("body", fontName=regular, fontSize=12, leading=15, spaceAfter=4)
    return {
        "title": ParagraphStyle(
            "title", body, fontName=bold, fontSize=14, leading=18, alignment=TA_CENTER, spaceAfter=8
        ),
        "heading": ParagraphStyle(
            "heading", body, fontName=bold, spaceBefore=8, spaceAfter=4, keepWithNext=1
        ),
        "body": body,
        "bold": ParagraphStyle("bold", body, fontName=bold),
        "small": ParagraphStyle("small", body, fontSize=9, leading=11),
        "cell": ParagraphStyle("cell", body, fontSize=10, leading=12, spaceAfter=0),
        "cell_number": ParagraphStyle("cell_number", body, fontSize=10, leading=12, alignment=TA_RIGHT),
        "cell_header": ParagraphStyle(
            "cell_header", body, fontName=bold, fontSize=10, leading=12, alignment=TA_CENTER
        ),
    }


def style(name: str) -> ParagraphStyle:
    """A named paragraph style: title, heading, body, bold, small, cell, cell_number, cell_header."""
    return _styles(register_fonts())[name]


def markup(text: object) -> str:
    """User text as safe Paragraph markup: `<`, `&` print literally, line breaks are kept."""
    plain = _CONTROL.sub("", "" if text is None else str(text))
    return escape(plain).replace("\n", "<br/>")


def paragraph(text: object, kind: str = "body", *, align: str | None = None) -> Paragraph:
    """Plain (never markup) text as a paragraph; kind is a style name, align 'left'|'center'|'right'."""
    st = style(kind)
    if align:
        st = ParagraphStyle(
            f"{kind}-{align}", st, alignment={"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}[align]
        )
    return Paragraph(markup(text), st)


def title(text: str) -> Paragraph:
    """The document's centred bold title."""
    return paragraph(text, "title")


def heading(text: str) -> Paragraph:
    """A section heading that stays with what follows it."""
    return paragraph(text, "heading")


def spacer(height_mm: float = 4) -> Spacer:
    """Vertical white space."""
    return Spacer(1, height_mm * mm)


class _FitToFrame(Flowable):
    """Makes its content once the frame width is known, so widths can be fractions of it."""

    def __init__(self, make: Callable[[float], Flowable], h_align: str = "LEFT") -> None:
        super().__init__()
        self._make, self._made, self._for_width = make, None, -1.0
        self.hAlign = h_align

    def _content(self, avail_width: float) -> Flowable:
        if self._made is None or self._for_width != avail_width:
            self._made, self._for_width = self._make(avail_width), avail_width
        return self._made

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self._content(avail_width).wrap(avail_width, avail_height)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return self._content(avail_width).split(avail_width, avail_height)

    def draw(self) -> None:
        self._made.drawOn(self.canv, 0, 0)


def _cell(value: object) -> Flowable:
    if isinstance(value, Flowable):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Paragraph(markup(format_number(value)), style("cell_number"))
    return Paragraph(markup(value), style("cell"))


def table(
    header: Sequence[str] | None,
    rows: Sequence[Sequence[object]],
    widths: Sequence[float] | None = None,
    *,
    zebra: bool = True,
    grid: bool = True,
    h_align: str = "LEFT",
    extra_style: Sequence[tuple] = (),
) -> Flowable:
    """A table whose header row repeats on every page; cells wrap; numbers are right-aligned.

    `widths` are fractions of the frame width (default: equal); cells may hold text, numbers or flowables.
    """
    ncols = len(header) if header else max((len(r) for r in rows), default=1)
    fractions = list(widths) if widths else [1 / ncols] * ncols
    if len(fractions) != ncols or sum(fractions) > 1.001:
        raise ValueError(f"widths {fractions} do not fit {ncols} columns in the frame")
    first = 1 if header else 0
    data = [[Paragraph(markup(h), style("cell_header")) for h in header]] if header else []
    data += [[_cell(v) for v in row] + [""] * (ncols - len(row)) for row in rows]
    commands: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    if grid:
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, GRID))
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), ("VALIGN", (0, 0), (-1, 0), "MIDDLE")]
    if zebra and rows:
        commands.append(("ROWBACKGROUNDS", (0, first), (-1, -1), [colors.white, ZEBRA_FILL]))
    style_ = TableStyle(commands + list(extra_style))
    # splitInRow lets one very long cell (minutes' notes) continue on the next page instead of failing.
    return _FitToFrame(
        lambda w: Table(data, [f * w for f in fractions], style=style_, repeatRows=first, splitInRow=1),
        h_align,
    )


def approval_block(caption: str, position: str, name: str, details: Sequence[str] = ()) -> Flowable:
    """The right-aligned approval block: caption ("УТВЕРЖДАЮ"), position, signature line + name, details.

    The caller passes every word (caption, the order number and date in `details`); this only lays them out.
    """
    rows = [[paragraph(caption, "bold"), ""], [paragraph(position), ""], ["", paragraph(name)]]
    rows += [[paragraph(line), ""] for line in details]
    commands = [("SPAN", (0, i), (1, i)) for i in range(len(rows)) if i != 2]
    commands += [
        ("LINEBELOW", (0, 2), (0, 2), 0.6, colors.black),
        ("TOPPADDING", (0, 2), (-1, 2), 14),  # room to sign above the line
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]
    return _FitToFrame(lambda w: Table(rows, [0.18 * w, 0.27 * w], style=commands), "RIGHT")


def signature_block(signers: Sequence[tuple[str, str]]) -> Flowable:
    """Rows of "role ______ name" with room to sign; roles and names come from the caller."""
    rows = [[paragraph(role), "", paragraph(name)] for role, name in signers]
    commands = [
        ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("TOPPADDING", (0, 0), (-1, -1), 16),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("LEFTPADDING", (2, 0), (2, -1), 8),
    ]
    return _FitToFrame(lambda w: Table(rows, [0.45 * w, 0.25 * w, 0.30 * w], style=commands))


def line_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    target: float | None = None,
    caption: str = "",
    series_label: str = "",
    target_label: str = "",
    height_mm: float = 70,
    width: float = 1.0,
) -> Flowable:
    """An indicator's dynamics: (period label, value) points, None for a gap, an optional dashed target.

    `width` is a fraction of the frame; every text uses the Cyrillic font and numbers use the locale.
    """
    fonts = register_fonts()
    values = [v for _label, v in points]
    data = [values] + ([[target] * len(points)] if target is not None else [])

    def make(avail_width: float) -> Drawing:
        w, h = avail_width * width, height_mm * mm
        drawing = Drawing(w, h)
        top = h - (16 if caption else 6)
        legend_h = 14 if target is not None and (series_label or target_label) else 0
        chart = HorizontalLineChart()
        chart.x, chart.y = 34, 22 + legend_h
        chart.width, chart.height = w - chart.x - 10, top - chart.y
        chart.data = data
        chart.joinedLines = 1
        chart.lines[0].strokeColor, chart.lines[0].strokeWidth = colors.HexColor("#1f4e79"), 1.6
        chart.lines[1].strokeColor, chart.lines[1].strokeDashArray = colors.HexColor("#c00000"), (4, 3)
        chart.lines.symbol = None
        chart.lineLabelFormat = "values"  # labels only on the measured series, not on the target
        chart.lineLabelArray = [[format_number(v) if v is not None else "" for v in values]]
        chart.lineLabels.fontName, chart.lineLabels.fontSize = fonts.regular, 8
        chart.categoryAxis.categoryNames = [label for label, _v in points]
        for axis in (chart.categoryAxis, chart.valueAxis):
            axis.labels.fontName, axis.labels.fontSize = fonts.regular, 8
        known = [v for row in data for v in row if v is not None]
        if known and min(known) >= 0:
            chart.valueAxis.valueMin = 0
        chart.valueAxis.labelTextFormat = format_number
        chart.valueAxis.visibleGrid, chart.valueAxis.gridStrokeColor = 1, colors.HexColor("#dddddd")
        drawing.add(chart)
        if caption:
            drawing.add(String(w / 2, h - 11, caption, fontName=fonts.bold, fontSize=10, textAnchor="middle"))
        if legend_h:
            legend = Legend()
            legend.x, legend.y, legend.alignment = chart.x, 8, "right"
            legend.fontName, legend.fontSize, legend.columnMaximum, legend.dx = fonts.regular, 8, 1, 14
            legend.colorNamePairs = [
                (chart.lines[0].strokeColor, series_label),
                (chart.lines[1].strokeColor, target_label),
            ]
            drawing.add(legend)
        return drawing

    return _FitToFrame(make)


class Checkbox(Flowable):
    """A drawn tick box (no font glyph needed), empty or ticked, for route cards and checklists."""

    def __init__(self, checked: bool = False, size_mm: float = 3.5) -> None:
        super().__init__()
        self.checked, self.width = checked, size_mm * mm
        self.height = self.width

    def draw(self) -> None:
        s, c = self.width, self.canv
        c.setLineWidth(0.7)
        c.rect(0, 0, s, s)
        if self.checked:
            c.setLineWidth(1.2)
            c.lines([(0.2 * s, 0.5 * s, 0.42 * s, 0.22 * s), (0.42 * s, 0.22 * s, 0.82 * s, 0.8 * s)])


class _PagedCanvas(Canvas):
    """Holds pages back until the end, so each footer can say "page X of Y"; draws the banner too."""

    def __init__(self, *args, fonts: FontSet, banner: str | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._fonts, self._banner, self._pages = fonts, banner, []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self._decorate(number, total)
            super().showPage()
        super().save()

    def _decorate(self, number: int, total: int) -> None:
        width, height = self._pagesize
        self.setFillColor(colors.black)
        self.setFont(self._fonts.regular, 9)
        self.drawCentredString(
            width / 2, 10 * mm, _("page {page} of {pages}").format(page=number, pages=total)
        )
        if self._banner:
            self.setFillColor(colors.HexColor("#a00000"))
            self.setFont(self._fonts.bold, 8)
            self.drawCentredString(width / 2, height - 10 * mm, self._banner)


def build(
    target: str | Path | BinaryIO,
    story: Sequence[Flowable],
    *,
    landscape: bool = False,
    title: str = "",
    author: str = "",
    subject: str = "",
    personal_data_banner: str | None = None,
) -> None:
    """Lay out `story` on A4 and write the PDF to a path (atomically) or a binary file object.

    Every page gets a "page X of Y" footer and, when given, the personal-data banner at the top. Raises
    PdfError (translated) when no font or the file cannot be written; a failure leaves no file behind.
    """
    fonts = register_fonts()
    left, right, top, bottom = (v * mm for v in MARGINS_MM[landscape])
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=(A4[1], A4[0]) if landscape else A4,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author=author,
        subject=subject,
        creator="Antirisk",
        lang="ru-RU" if language() == "ru" else "en-GB",
        initialFontName=fonts.regular,
    )
    # Building into memory first: a layout error never reaches the target at all.
    doc.build(
        list(story), canvasmaker=functools.partial(_PagedCanvas, fonts=fonts, banner=personal_data_banner)
    )
    if not isinstance(target, (str, Path)):
        target.write(buffer.getvalue())
        return
    path = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(buffer.getvalue())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise PdfError(
            _("Could not write {path}: {reason}. Is the file open in another program?").format(
                path=path, reason=exc.strerror or exc
            )
        ) from exc
