"""The PDF toolkit of every printable document: Cyrillic fonts, A4 pages, tables, blocks, charts.

A story of flowables made by the helpers below goes to `build()`, which adds "page X of Y" footers and an
optional personal-data banner. Widths are fractions of the frame; text is always plain, never markup.
"""

from __future__ import annotations

import functools
import io
import math
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paragraph import split as _para_split
from reportlab.platypus.paragraph import strip as _para_strip

from models import files
from models.fmt import format_number
from models.i18n import _, language
from models.paths import resources_dir

FONT_DIR_ENV = "ANTIRISK_PDF_FONT_DIR"
# (regular, bold) file names, lower case, best first; Arial-metric faces lead so pages look alike everywhere.
FONT_PAIRS = (
    ("arial.ttf", "arialbd.ttf"),
    ("arial.ttf", "arial bold.ttf"),  # macOS spelling
    ("liberationsans-regular.ttf", "liberationsans-bold.ttf"),
    ("ptastrasans-regular.ttf", "ptastrasans-bold.ttf"),
    ("pts55f.ttf", "pts75f.ttf"),  # PT Sans as Debian and ALT package it (fonts-paratype)
    ("ptsans-regular.ttf", "ptsans-bold.ttf"),
    ("pt_sans-web-regular.ttf", "pt_sans-web-bold.ttf"),
    ("dejavusans.ttf", "dejavusans-bold.ttf"),
    ("times.ttf", "timesbd.ttf"),
    ("sourcesanspro-regular.ttf", "sourcesanspro-bold.ttf"),
)
# left, right, top, bottom in mm. Landscape pages are filed turned, so their top edge is the bound one.
MARGINS_MM = {False: (30, 15, 20, 20), True: (20, 15, 25, 20)}
LINE_COLOR, HEADER_FILL, ZEBRA_FILL = (colors.HexColor(c) for c in ("#808080", "#e6e6e6", "#f4f4f4"))
VALUE_COLOR, TARGET_COLOR, BANNER_COLOR = (colors.HexColor(c) for c in ("#1f4e79", "#c00000", "#a00000"))
GRID_COLOR = colors.HexColor("#dddddd")
_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\u2028\u2029]")  # \x0b is Word's manual line break


class PdfError(RuntimeError):
    """A PDF cannot be produced; the message is translated and fit to show to the user."""


@dataclass(frozen=True, eq=False)
class FontSet:
    """The registered regular and bold faces (reportlab font names) and the files they came from. Hashed by identity
    (one per process, from register_fonts): the caches keyed by it are asked for every cell of a report."""

    regular: str
    bold: str
    regular_path: Path
    bold_path: Path


def _font_dirs() -> list[Path]:
    """Folders to search, best first; the env var replaces them all so a bundle or a test is deterministic."""
    if os.environ.get(FONT_DIR_ENV):
        return [Path(os.environ[FONT_DIR_ENV])]
    home = Path.home()
    dirs: list[Path] = []
    if sys.platform == "win32":  # the system folder, then fonts installed for this user only
        dirs += [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
        dirs += [Path(os.environ.get("LOCALAPPDATA", home)) / "Microsoft" / "Windows" / "Fonts"]
    dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local/share/fonts"]
    dirs += [home / ".fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts/Supplemental")]
    dirs.append(resources_dir() / "fonts")
    try:
        import font_source_sans_pro  # the last resort, installed as a dependency

        dirs.append(Path(font_source_sans_pro.__file__).parent / "files")
    except ImportError:
        pass
    return dirs


def _font_files(folder: Path) -> dict[str, Path]:
    """Every *.ttf below `folder`, keyed by lower-case file name (the first one found wins)."""
    found: dict[str, Path] = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            if name.lower().endswith(".ttf"):
                found.setdefault(name.lower(), Path(root) / name)
    return found


def _cyrillic_font(path: Path) -> TTFont | None:
    """The font, if reportlab can embed it and it really has the Russian letters."""
    try:
        font = TTFont(f"Antirisk-{path.stem}", str(path))
    except Exception:  # broken, PostScript-flavoured or a collection: simply not a candidate
        return None
    return font if all(ord(ch) in font.face.charToGlyph for ch in "ЖжЯяЁё№") else None


@functools.cache
def register_fonts() -> FontSet:
    """Find, check and register a regular + bold TTF with Cyrillic (once per process; call it lazily).

    Order: $ANTIRISK_PDF_FONT_DIR alone if set; else the system font folders, resources/fonts and the
    font-source-sans-pro package. Raises PdfError with a translated message when no pair is usable.
    """
    for folder in _font_dirs():
        files = _font_files(folder) if folder.is_dir() else {}
        for regular_name, bold_name in FONT_PAIRS:
            if regular_name in files and bold_name in files:
                regular, bold = _cyrillic_font(files[regular_name]), _cyrillic_font(files[bold_name])
                if regular and bold:
                    pdfmetrics.registerFont(regular)
                    pdfmetrics.registerFont(bold)
                    r, b = regular.fontName, bold.fontName
                    pdfmetrics.registerFontFamily(r, normal=r, bold=b, italic=r, boldItalic=b)
                    return FontSet(regular.fontName, bold.fontName, files[regular_name], files[bold_name])
    message = _(
        "No font with Russian letters was found for PDF documents. Install the Liberation Sans or "
        "DejaVu Sans fonts, or set {variable} to a folder with a regular and a bold TTF font."
    )
    raise PdfError(message.format(variable=FONT_DIR_ENV))


@functools.cache
def _styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=12, leading=15, spaceAfter=4)
    cell = ParagraphStyle("cell", body, fontSize=10, leading=12, spaceAfter=0)
    bold = {"fontName": fonts.bold}
    return {
        "body": body,
        "bold": ParagraphStyle("bold", body, **bold),
        "title": ParagraphStyle("title", body, fontSize=14, leading=18, alignment=TA_CENTER, **bold),
        "heading": ParagraphStyle("heading", body, spaceBefore=8, keepWithNext=1, **bold),
        "small": ParagraphStyle("small", body, fontSize=9, leading=11),
        "cell": cell,
        "cell_number": ParagraphStyle("cell_number", cell, alignment=TA_RIGHT),
        "cell_header": ParagraphStyle("cell_header", cell, alignment=TA_CENTER, **bold),
    }


def style(name: str) -> ParagraphStyle:
    """A named paragraph style: body, bold, title, heading, small, cell, cell_number, cell_header."""
    return _styles(register_fonts())[name]


@functools.cache
def _drawable(fonts: FontSet) -> tuple[dict[int, int], str, re.Pattern]:
    """The font's glyphs, the sign for a missing one, and a pattern finding any character that needs replacing."""
    glyphs = pdfmetrics.getFont(fonts.regular).face.charToGlyph
    ranges: list[list[int]] = []
    for point in sorted(c for c in glyphs if 0x20 <= c <= 0xFFFF):
        if ranges and point == ranges[-1][1] + 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    allowed = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return glyphs, "\ufffd" if 0xFFFD in glyphs else "?", re.compile(f"[^\n{allowed}]")


def printable(text: object) -> str:
    """`text` as a string the font can draw: unknown glyphs become '�' (reportlab garbles the text layer of
    characters beyond U+FFFF, emoji among them), control characters go, line breaks become '\\n'."""
    glyphs, missing, needs_work = _drawable(register_fonts())
    plain = _NEWLINES.sub("\n", "" if text is None else str(text)).replace("\t", " ")
    if not needs_work.search(plain):  # nearly always: one pass in C instead of a Python loop over the characters
        return plain
    return "".join(
        ch if ch == "\n" or (ord(ch) <= 0xFFFF and ord(ch) in glyphs) else "" if ch < " " else missing for ch in plain
    )


def markup(text: object) -> str:
    """User text as safe Paragraph markup: `<`, `&` print literally, line breaks are kept."""
    return escape(printable(text)).replace("\n", "<br/>")


def paragraph(text: object, kind: str = "body", *, align: str | None = None) -> Paragraph:
    """Plain text (never markup) as a paragraph; kind is a `style()` name, align 'left'|'center'|'right'."""
    st = style(kind)
    if align:
        alignment = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}[align]
        st = ParagraphStyle(f"{kind}-{align}", st, alignment=alignment)
    return Paragraph(markup(text), st)


def title(text: str) -> Paragraph:
    """The document's centred bold title."""
    return paragraph(text, "title")


def heading(text: str) -> Paragraph:
    """A section heading that stays on the page of what follows it."""
    return paragraph(text, "heading")


def spacer(height_mm: float = 4) -> Spacer:
    """Vertical white space."""
    return Spacer(1, height_mm * mm)


class _FitToFrame(Flowable):
    """Makes its content once the frame width is known, so widths can be fractions of it."""

    def __init__(self, make: Callable[[float], Flowable], h_align: str = "LEFT") -> None:
        super().__init__()
        self._make, self._made, self._for_width, self.hAlign = make, None, -1.0, h_align

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


class _Table(Table):
    """A table that splits inside a row (`splitInRow`) only where it must: near the foot of a page, what does not fit
    by whole rows goes on to the next page instead of leaving a torn line (a program's name) behind; a row taller
    than any page is still split, there."""

    ROOM_TO_SPLIT_A_ROW = 150  # points (about 5 cm): less room than this, and a row is not torn

    def split(self, avail_width: float, avail_height: float) -> list:
        if self.splitInRow and avail_height < self.ROOM_TO_SPLIT_A_ROW:
            self._calc(avail_width, avail_height)
            return self._splitRows(avail_height, doInRowSplit=0)  # nothing: the frame takes it to the next page
        return super().split(avail_width, avail_height)


def _table_style(commands: Sequence[tuple]) -> TableStyle:
    # The FONT command keeps reportlab from pulling in non-embedded Helvetica for empty string cells (and is the face
    # and size of the cells the table draws as strings).
    return TableStyle([("FONT", (0, 0), (-1, -1), register_fonts().regular, 10), *commands])


def _fitted_table(rows: list, fractions: Sequence[float], commands: list, h_align: str = "LEFT", **kw):
    st = _table_style(commands)
    return _FitToFrame(lambda w: _Table(rows, [f * w for f in fractions], style=st, **kw), h_align)


class Wrapped(str):
    """Cell text already made printable and broken into lines ('\\n' between them) exactly where a cell Paragraph in
    the table's FONT would break it (`wrap_lines`): the table draws it itself as strings, aligned by its ALIGN (no
    Paragraph to parse, break and draw: a long report has hundreds of such cells)."""


class OneLine(Wrapped):
    """Cell text already made printable and known to fit its column on one line: the table draws it itself as a
    string in its FONT (no Paragraph to parse and break: a long report draws thousands of such cells)."""


CELL_LEADING = 12  # the cell styles' leading: the table's FONT command at 10 pt gives the same (1.2 × the size)
_PADDING_V = 6  # a table cell's default top + bottom padding (3 + 3)


def cell_room(width: float) -> float:
    """A cell's room for text in a column `width` points wide, as the table computes it (6 pt of padding a side)."""
    return width - 6 - 6


_NOT_ONE_FRAGMENT = re.compile("[\n&<>\xad]")  # what makes a Paragraph's text more than one plain fragment
_widths: dict[tuple[str, float], dict[str, float]] = {}


def _width_of(font: str, size: float) -> dict[str, float]:
    """A cache of word widths for one face and size (a report repeats its words: names, statuses, programs)."""
    return _widths.setdefault((font, size), {})


def wrap_lines(text: str, width: float, font: str | None = None, size: float = 10) -> list[str] | None:
    """Printable `text` broken into lines as a left- or right-aligned Paragraph of that face and size breaks it in
    `width` points: words collapsed and wrapped greedily (a space may shrink by reportlab's `spaceShrinkage`), a word
    wider than the line split by characters. None where only a Paragraph draws it alike: a line fitted by shrinking
    its spaces (drawn with a narrower word space), a soft hyphen, a line break or one of & < > (a Paragraph of
    several fragments wraps by other rules: the spaces it may shrink, where a long word is cut), no text."""
    if not text or width <= 0 or _NOT_ONE_FRAGMENT.search(text):
        return None
    return _break_segment(text, width, font or register_fonts().regular, size) or None


def _break_segment(text: str, width: float, font: str, size: float) -> list[str] | None:
    """reportlab's `Paragraph.breakLines` for one fragment of plain text (its kind-0 path), words joined by spaces."""
    words = _para_split(_para_strip(cleanBlockQuotedText(text)))
    if not words or not words[0]:
        return None
    known = _width_of(font, size)
    space = pdfmetrics.stringWidth(" ", font, size)
    shrink = style("cell").spaceShrinkage * space
    lines: list[str] = []
    line: list[str] = []
    current = -space
    forced = False
    pending = list(reversed(words))
    while pending:
        word = pending.pop()
        word_width = known.get(word)
        if word_width is None:
            word_width = known[word] = pdfmetrics.stringWidth(word, font, size)
        new_width = current + space + word_width
        limit = width + shrink * len(line)
        if new_width > limit and not forced and not isinstance(word, _Piece) and word_width > width:
            pending += reversed(_split_word(word, current + space, width, font, size))
            forced = True
            continue
        if new_width <= limit or not line or forced:
            if word:
                line.append(word)
            if forced:
                forced = False
                if width - new_width < -1e-8 and len(line) > 1:
                    return None
                lines.append(" ".join(line))
                line, current = [], -space
            else:
                current = new_width
        else:
            if width - current < -1e-8 and (len(line) > 1 or "\xa0" in "".join(line)):
                return None  # squeezed: the Paragraph draws it with a narrower word space
            lines.append(" ".join(line))
            line, current = [word], word_width
    if line:
        if width - current < -1e-8 and (len(line) > 1 or "\xa0" in "".join(line)):
            return None
        lines.append(" ".join(line))
    return lines


class _Piece(str):
    """A part of a word too long for its line (reportlab's `_SplitWord`): never split again."""


def _split_word(word: str, used: float, width: float, font: str, size: float) -> list[_Piece]:
    """reportlab's `_splitWord`: the word's characters on the rest of the current line, then on whole lines."""
    pieces: list[_Piece] = []
    piece = ""
    line_width = used
    for ch in word:
        char_width = pdfmetrics.stringWidth(ch, font, size)
        new_width = line_width + char_width
        if new_width > width and (piece or char_width <= width):
            pieces.append(_Piece(piece))
            new_width = char_width
            piece = ""
        piece += ch
        line_width = new_width
    pieces.append(_Piece(piece))
    return pieces


def wrapped(text: object, width: float, font: str | None = None) -> Wrapped | None:
    """Plain text as a cell the table draws itself (`Wrapped`), broken for a column with `width` points of room; None
    when it needs a Paragraph (see `wrap_lines`)."""
    lines = wrap_lines(printable(text), width, font)
    return None if lines is None else Wrapped("\n".join(lines))


def _cell(value: object) -> Flowable | str:
    if isinstance(value, Flowable):
        return value
    if isinstance(value, Wrapped):
        return str(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Paragraph(markup(format_number(value)), style("cell_number"))
    return Paragraph(markup(value), style("cell"))


def table(
    header: Sequence[str] | None,
    rows: Sequence[Sequence[object]],
    widths: Sequence[float] | None = None,
    *,
    zebra: bool = True,
    extra_style: Sequence[tuple] = (),
) -> Flowable:
    """A grid table whose header row repeats on every page; cells wrap; numbers are right-aligned.

    `widths` are fractions of the frame width (default equal, sum at most 1); a cell holds text, a number,
    None or any flowable (e.g. a `Checkbox`). `extra_style` adds reportlab TableStyle commands.
    """
    ncols = len(header) if header else max((len(r) for r in rows), default=1)
    fractions = list(widths) if widths else [1 / ncols] * ncols
    if len(fractions) != ncols or sum(fractions) > 1.001 or any(len(r) > ncols for r in rows):
        raise ValueError(f"{ncols} columns, widths {fractions}: the rows or widths do not fit")
    body = [[_cell(v) for v in row] + [""] * (ncols - len(row)) for row in rows]
    first = 1 if header else 0
    commands = [("GRID", (0, 0), (-1, -1), 0.5, LINE_COLOR), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL), ("VALIGN", (0, 0), (-1, 0), "MIDDLE")]
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, first), (-1, -1), [colors.white, ZEBRA_FILL]))
    commands += extra_style
    plain_header = bool(header) and not any(_sets_text_of_first_row(c, len(body) + 1) for c in extra_style)
    if plain_header:  # bold and centred by the table itself, as the header style would draw them
        commands[1:1] = [("FONT", (0, 0), (-1, 0), register_fonts().bold, 10), ("ALIGN", (0, 0), (-1, 0), "CENTER")]
    st = _table_style(commands)
    # Rows of strings only are as high as their lines: given, so the table does not count them again on every page.
    known_heights = not any(_sets_height(c) for c in extra_style)
    heights = [_row_height(row) if known_heights else None for row in body]

    def make(avail_width: float) -> Flowable:
        col_widths = [f * avail_width for f in fractions]
        data = [_header_row(header, col_widths, plain_header)] if header else []
        head = [_row_height(data[0]) if known_heights else None] if header else []
        # splitInRow lets one very long cell (minutes' notes) go on over the page instead of failing the build.
        return _Table(data + body, col_widths, head + heights, style=st, repeatRows=first, splitInRow=1)

    return _FitToFrame(make)


def _row_height(row: Sequence) -> float | None:
    """A row of strings' height as the table computes it (lines × leading + padding); None for other rows."""
    if not all(isinstance(cell, str) for cell in row):
        return None
    return CELL_LEADING * 1.0 * max(cell.count("\n") + 1 for cell in row) + _PADDING_V


def _sets_height(command: tuple) -> bool:
    """Whether a TableStyle command changes a row's height from lines × the cell leading + the cell padding."""
    op = command[0]
    if op == "FONT":
        return len(command) > 5 or (len(command) > 4 and command[4] != 10)
    if op == "SPAN":
        return command[1][1] != command[2][1]  # across rows
    return op in {"FONTSIZE", "SIZE", "LEADING", "TOPPADDING", "BOTTOMPADDING"}


_TEXT_OPS = {"FONT", "FONTNAME", "FACE", "FONTSIZE", "SIZE", "LEADING", "ALIGN", "ALIGNMENT", "TEXTCOLOR"}
_TEXT_OPS |= {"LEFTPADDING", "RIGHTPADDING"}


def _sets_text_of_first_row(command: tuple, nrows: int) -> bool:
    """Whether a TableStyle command changes how the header row's text is laid out or drawn."""
    if command[0] not in _TEXT_OPS:
        return False
    start, end = command[1][1], command[2][1]
    if not isinstance(start, int) or not isinstance(end, int):
        return True  # 'splitfirst' and such: not worth the guess
    return (start + nrows if start < 0 else start) <= 0 <= (end + nrows if end < 0 else end)


def _header_row(header: Sequence[str], col_widths: Sequence[float], plain: bool) -> list:
    """The header cells: bold centred text the table draws itself where it can (see `wrap_lines`), else Paragraphs."""
    bold = register_fonts().bold
    row: list = []
    for text, width in zip(header, col_widths):
        cell = wrapped(text, cell_room(width), bold) if plain else None
        row.append(cell if cell is not None else Paragraph(markup(text), style("cell_header")))
    return row


def approval_block(caption: str, position: str, name: str, details: Sequence[str] = ()) -> Flowable:
    """The right-aligned approval block: caption ("УТВЕРЖДАЮ"), position, signature line + name, details.

    The caller passes every word (the order number and date go in `details`); this only lays them out.
    """
    rows = [[paragraph(caption, "bold"), ""], [paragraph(position), ""], ["", paragraph(name)]]
    rows += [[paragraph(line), ""] for line in details]
    commands = [("SPAN", (0, i), (1, i)) for i in range(len(rows)) if i != 2]
    commands += [("LINEBELOW", (0, 2), (0, 2), 0.6, colors.black), ("TOPPADDING", (0, 2), (-1, 2), 16)]
    commands += [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
    block = _fitted_table(rows, [0.18, 0.27], commands, "RIGHT")
    block.spaceAfter = 8 * mm  # the customary gap between the approval block and the title
    return block


def signature_block(signers: Sequence[tuple[str, str]]) -> Flowable:
    """Rows of "role ________ name" with room to sign above each line; the caller passes the words."""
    rows = [[paragraph(role), "", paragraph(name)] for role, name in signers]
    commands = [("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]
    commands += [("TOPPADDING", (0, 0), (-1, -1), 18), ("LEFTPADDING", (0, 0), (1, -1), 0)]
    return _fitted_table(rows, [0.45, 0.25, 0.30], commands)


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
    """An indicator's dynamics: (period label, value) points (None: not measured) and a dashed target.

    `width` is a fraction of the frame; all text uses the Cyrillic font, numbers the current locale.
    """
    return _LineChart(list(points), target, caption, series_label, target_label, height_mm * mm, width)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis values (steps of 1, 2, 2.5 or 5 times a power of ten) from at most `low` to at least `high`."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * 0.999)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


class _LineChart(Flowable):
    """The chart drawn straight on the canvas: value axis with a grid, one category per point, the measured line
    broken where a value is missing (a lone point keeps its marker), value labels, the dashed target, a legend.
    (reportlab's chart widgets draw the same in ~30 ms a chart; a report has many.)"""

    FONT_SIZE = 8

    def __init__(self, points, target, caption, series_label, target_label, height, fraction) -> None:
        super().__init__()
        self.points, self.target, self.caption = points, target, caption
        self.labels = (series_label, target_label)
        self.height, self.fraction = height, fraction

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width * self.fraction
        return self.width, self.height

    def draw(self) -> None:
        canvas, fonts, size = self.canv, register_fonts(), self.FONT_SIZE
        with_legend = self.target is not None and any(self.labels)
        x0, y0 = 36.0, 24.0 + (14 if with_legend else 0)
        x1, y1 = self.width - 10, self.height - (18 if self.caption else 8)
        values = [v for _label, v in self.points]
        known = [v for v in values if v is not None] + ([self.target] if self.target is not None else [])
        low = min([0.0, *known]) if known and min(known) < 0 else 0.0
        ticks = nice_ticks(low, max(known, default=1.0))
        bottom, top = ticks[0], ticks[-1]

        def y(value: float) -> float:
            return y0 + (value - bottom) / (top - bottom) * (y1 - y0)

        canvas.saveState()
        canvas.setFont(fonts.regular, size)
        canvas.setLineWidth(0.5)
        for tick in ticks:  # the grid and the value labels
            canvas.setStrokeColor(GRID_COLOR if tick != bottom else colors.black)
            canvas.line(x0, y(tick), x1, y(tick))
            canvas.setFillColor(colors.black)
            canvas.drawRightString(x0 - 4, y(tick) - size / 3, printable(format_number(tick)))
        canvas.setStrokeColor(colors.black)
        canvas.line(x0, y0, x0, y1)
        n = max(len(self.points), 1)
        step = (x1 - x0) / n
        xs = [x0 + (i + 0.5) * step for i in range(n)]
        names = [printable(label) for label, _v in self.points]
        widest = max((pdfmetrics.stringWidth(t, fonts.regular, size) for t in names), default=0)
        every = max(1, math.ceil((widest + 4) / step))  # labels that would overlap: every second, third…
        shown = set(range(n - 1, -1, -every))  # counted back from the latest, which is always labelled
        for i, (x, name) in enumerate(zip(xs, names)):
            canvas.line(x0 + (i + 1) * step, y0, x0 + (i + 1) * step, y0 - 3)
            if i in shown:
                canvas.drawCentredString(x, y0 - 4 - size, name)
        if self.target is not None and self.points:
            canvas.setStrokeColor(TARGET_COLOR)
            canvas.setDash(4, 3)
            canvas.line(xs[0], y(self.target), xs[-1], y(self.target))
            canvas.setDash()
        canvas.setStrokeColor(VALUE_COLOR)
        canvas.setFillColor(VALUE_COLOR)
        canvas.setLineWidth(1.6)
        for i in range(1, len(values)):  # the line, broken at a gap
            if values[i - 1] is not None and values[i] is not None:
                canvas.line(xs[i - 1], y(values[i - 1]), xs[i], y(values[i]))
        canvas.setFillColor(VALUE_COLOR)
        for x, value in zip(xs, values):
            if value is not None:
                canvas.circle(x, y(value), 2, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        for x, value in zip(xs, values):
            if value is not None:
                canvas.drawCentredString(x, y(value) + 5, printable(format_number(value)))
        if with_legend:
            x = x0
            for colour, label in zip((VALUE_COLOR, TARGET_COLOR), self.labels):
                canvas.setFillColor(colour)
                canvas.rect(x, 9, 10, 7, stroke=0, fill=1)
                canvas.setFillColor(colors.black)
                text = printable(label)
                canvas.drawString(x + 14, 10, text)
                x += 14 + pdfmetrics.stringWidth(text, fonts.regular, size) + 24
        if self.caption:
            canvas.setFont(fonts.bold, 10)
            canvas.drawCentredString(self.width / 2, self.height - 11, printable(self.caption))
        canvas.restoreState()


class Checkbox(Flowable):
    """A drawn tick box (no font glyph needed), empty or ticked, for route cards and checklists."""

    def __init__(self, checked: bool = False, size_mm: float = 3.5) -> None:
        super().__init__()
        self.checked, self.width, self.height = checked, size_mm * mm, size_mm * mm

    def draw(self) -> None:
        s, canvas = self.width, self.canv
        canvas.setLineWidth(0.7)
        canvas.rect(0, 0, s, s)
        if self.checked:
            canvas.setLineWidth(1.2)
            canvas.lines([(0.2 * s, 0.5 * s, 0.42 * s, 0.22 * s), (0.42 * s, 0.22 * s, 0.82 * s, 0.8 * s)])


class _PagedCanvas(Canvas):
    """Holds the pages back until the end, so each footer can say "page X of Y"; draws the banner too."""

    def __init__(self, *args, fonts: FontSet, banner: str | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._fonts, self._banner, self._held = fonts, printable(banner) if banner else "", []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for number, state in enumerate(self._held, 1):
            self.__dict__.update(state)
            width, height = self._pagesize
            self.setFillColor(colors.black)  # whatever colour the page's last drawing left behind
            self.setFont(self._fonts.regular, 9)
            footer = _("page {page} of {pages}").format(page=number, pages=len(self._held))
            self.drawCentredString(width / 2, 10 * mm, footer)
            if self._banner:
                self.setFillColor(BANNER_COLOR)
                self.setFont(self._fonts.bold, 9)
                self.drawCentredString(width / 2, height - 11 * mm, self._banner)
            super().showPage()
        super().save()


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
    """Lay out `story` on A4 and write the PDF to a path (atomically) or to a binary file object.

    Every page gets a "page X of Y" footer and, when given, the personal-data banner at the top. Raises
    PdfError (translated) when no font is found or the file cannot be written; a failure leaves no file.
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
        title=printable(title),
        author=printable(author),
        subject=printable(subject),
        creator="Antirisk",
        lang="ru-RU" if language() == "ru" else "en-GB",
        initialFontName=fonts.regular,
    )
    # Laid out in memory first, so a layout error never touches the target at all.
    doc.build(list(story), canvasmaker=functools.partial(_PagedCanvas, fonts=fonts, banner=personal_data_banner))
    if not isinstance(target, (str, Path)):
        target.write(buffer.getvalue())
        return
    files.write_atomically(buffer.getvalue(), target, PdfError)
