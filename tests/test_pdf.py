"""The PDF toolkit: Cyrillic survives, footers count pages, headers and banners repeat, builds are atomic."""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFontFile
from reportlab.platypus import Flowable

from models import i18n, pdf

HOSTILE = "Иванов <b>Петя</b> &amp; =SUM(A1) 😀 «ёлка»\nвторая строка"
BANNER = "Содержит персональные данные"
HEADER = ["№", "Мероприятие", "Срок", "Ответственный", "Отметка"]


def pages_text(path: Path) -> list[str]:
    """The text of every page, via poppler's pdftotext."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]  # every page ends with a form feed


def footer(page: int, pages: int) -> str:
    return i18n._("page {page} of {pages}").format(page=page, pages=pages)


def program_story(rows: int = 120) -> list[Flowable]:
    measures = [
        [n, f"Консультация по математике № {n} {HOSTILE if n == 7 else ''}", "01.10.2026", "Петрова А. Б.",
         pdf.Checkbox(n % 2 == 0)]
        for n in range(1, rows + 1)
    ]  # fmt: skip
    return [
        pdf.approval_block(
            "УТВЕРЖДАЮ", "Директор МБОУ «СОШ № 5»", "И. О. Фамилия", ["Приказ № 12 от 01.09.2026"]
        ),
        pdf.title("Программа антирисковых мер " + HOSTILE),
        pdf.heading("Цель"),
        pdf.paragraph(HOSTILE),
        pdf.line_chart(
            [("2024/25", 41.5), ("I четверть", None), ("II четверть", 48.0)],
            target=50,
            caption="Качество знаний",
            series_label="Факт",
            target_label="Цель",
        ),
        pdf.table(HEADER, measures, [0.07, 0.38, 0.17, 0.23, 0.15]),
        pdf.signature_block(
            [("Заместитель директора по УВР", "А. Б. Петрова"), ("Куратор", "В. Г. Сидоров")]
        ),
    ]


@pytest.fixture
def font_dir(monkeypatch):
    """Point the font search at one folder for this test only."""

    def use(folder: Path) -> None:
        monkeypatch.setenv(pdf.FONT_DIR_ENV, str(folder))
        pdf.register_fonts.cache_clear()

    yield use
    pdf.register_fonts.cache_clear()


def test_long_program_repeats_header_footer_and_banner_on_every_page(tmp_path):
    target = tmp_path / "program.pdf"
    pdf.build(target, program_story(), title="Программа", author="Школа № 5", personal_data_banner=BANNER)

    pages = pages_text(target)
    assert len(pages) >= 3
    for number, text in enumerate(pages, 1):
        assert footer(number, len(pages)) in text
        assert BANNER in text
        assert all(word in text for word in ("Мероприятие", "Ответственный", "Отметка")), number
    everything = "\n".join(pages)
    expected = ["УТВЕРЖДАЮ", "Директор МБОУ «СОШ № 5»", "Приказ № 12 от 01.09.2026", "Качество знаний"]
    expected += ["Программа антирисковых", "Заместитель директора по УВР", "Консультация по"]
    assert re.search(r"№\s+120", everything), "the last row is there (wrapped as the font found decides)"
    assert [word for word in expected if word not in everything] == []
    # User text prints literally: no markup is interpreted, nothing is lost, no wrong letter for the emoji.
    assert "Иванов <b>Петя</b> &amp; =SUM(A1)" in everything
    assert "«ёлка»" in everything and "вторая строка" in everything
    assert "\U0001f600" not in everything and "\u1f60" not in everything


def test_footer_says_page_of_total_in_the_current_language(tmp_path):
    i18n.set_language("ru")
    target = tmp_path / "three.pdf"
    pdf.build(
        target, [pdf.paragraph("Раздел"), *[pdf.table(["Ученик"], [["Иванов"]] * 45) for _ in range(2)]]
    )
    pages = pages_text(target)
    assert len(pages) == 3
    assert [re.findall(r"(\d+) \S+ (\d+)\s*$", page.strip()) for page in pages] == [
        [("1", "3")],
        [("2", "3")],
        [("3", "3")],
    ]
    assert footer(3, 3) in pages[2]


def test_no_banner_unless_requested(tmp_path):
    target = tmp_path / "plain.pdf"
    pdf.build(target, program_story(rows=60))
    assert all(BANNER not in text for text in pages_text(target))


def test_fonts_are_embedded_truetype_not_base14(tmp_path):
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is not installed")
    target = tmp_path / "fonts.pdf"
    pdf.build(target, program_story(rows=10), landscape=True, personal_data_banner=BANNER)
    lines = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout
    fonts = lines.splitlines()[2:]
    assert fonts, lines
    for line in fonts:
        assert "TrueType" in line and " yes yes yes " in line, line
        assert not re.search(r"Helvetica|Times-|Courier|Symbol|ZapfDingbats", line), line


def test_landscape_is_a4_turned(tmp_path):
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    target = tmp_path / "wide.pdf"
    pdf.build(target, [pdf.table(HEADER, [[1, "Мероприятие", "", "", pdf.Checkbox()]])], landscape=True)
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+841\.89 x 595\.27", info), info


def test_failed_build_leaves_the_old_file_and_no_temporary_file(tmp_path):
    class Broken(Flowable):
        def wrap(self, *args):
            raise RuntimeError("layout failed")

    target = tmp_path / "program.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        pdf.build(target, [pdf.paragraph("Начало"), Broken()])
    with pytest.raises(RuntimeError):
        pdf.build(tmp_path / "new.pdf", [Broken()])
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["program.pdf"]


def test_unwritable_target_raises_a_pdf_error(tmp_path):
    with pytest.raises(pdf.PdfError):
        pdf.build(tmp_path / "missing-folder" / "x.pdf", [pdf.paragraph("Текст")])


def test_build_into_a_file_object():
    buffer = io.BytesIO()
    pdf.build(buffer, [pdf.paragraph("Текст")])
    assert buffer.getvalue().startswith(b"%PDF")


def test_markup_never_interprets_user_text():
    assert pdf.markup("<b>a</b> & b") == "&lt;b&gt;a&lt;/b&gt; &amp; b"
    assert pdf.markup("раз\r\nдва\x0bтри\x00") == "раз<br/>два<br/>три"
    assert pdf.markup(None) == ""


def test_table_widths_must_fit_the_frame():
    with pytest.raises(ValueError):
        pdf.table(["a", "b"], [["1", "2"]], [0.7, 0.7])
    with pytest.raises(ValueError):
        pdf.table(["a", "b"], [["1", "2", "3"]])


def test_font_folder_from_environment_uses_the_packaged_fallback(tmp_path, font_dir):
    package = pytest.importorskip("font_source_sans_pro")
    font_dir(Path(package.__file__).parent / "files")
    fonts = pdf.register_fonts()
    assert fonts.regular_path.name == "SourceSansPro-Regular.ttf"
    assert fonts.bold_path.name == "SourceSansPro-Bold.ttf"
    target = tmp_path / "source-sans.pdf"
    pdf.build(target, [pdf.title("Банк данных обучающихся"), pdf.paragraph(HOSTILE)])
    text = "\n".join(pages_text(target))
    assert "Банк данных обучающихся" in text and "«ёлка»" in text


def test_a_preferred_font_without_cyrillic_is_passed_over(tmp_path, font_dir):
    package = pytest.importorskip("font_source_sans_pro")
    files = Path(package.__file__).parent / "files"
    latin_only = TTFontFile(str(files / "SourceSansPro-Regular.ttf")).makeSubset([ord(c) for c in "Arial"])
    (tmp_path / "arial.ttf").write_bytes(latin_only)
    (tmp_path / "arialbd.ttf").write_bytes(latin_only)
    for name in ("SourceSansPro-Regular.ttf", "SourceSansPro-Bold.ttf"):
        shutil.copy(files / name, tmp_path / name)
    font_dir(tmp_path)
    assert pdf.register_fonts().regular_path == tmp_path / "SourceSansPro-Regular.ttf"


def test_no_cyrillic_font_gives_a_clear_translated_error(tmp_path, font_dir):
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"not a font")
    (tmp_path / "DejaVuSans-Bold.ttf").write_bytes(b"not a font")
    font_dir(tmp_path)
    with pytest.raises(pdf.PdfError, match=pdf.FONT_DIR_ENV):
        pdf.register_fonts()
    with pytest.raises(pdf.PdfError):
        pdf.build(tmp_path / "x.pdf", [])
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("low,high", [(0, 73.6), (0, 1), (0, 0.37), (-3, 12), (0, 1234), (5, 5), (0, 1e6)])
def test_axis_ticks_are_round_and_cover_the_values(low, high):
    ticks = pdf.nice_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:])}
    assert len(steps) == 1 and 3 <= len(ticks) <= 8
    step = steps.pop()
    assert re.fullmatch(r"(1|2|2\.5|5)0*", f"{step / 10 ** math.floor(math.log10(step)):g}")


def test_charts_with_gaps_negative_values_nothing_measured_or_many_points_draw(tmp_path):
    many = [(f"{d:02d}.01.2026", float(d % 7)) for d in range(1, 31)]
    charts = [
        pdf.line_chart([("I", None), ("II", 3.5), ("III", None), ("IV", 4.0)], target=5, series_label="Факт"),
        pdf.line_chart([("I", -2.0), ("II", 1.0)], caption="Отрицательные"),
        pdf.line_chart([("I", None), ("II", None)], target=None),
        pdf.line_chart([], target=3),
        pdf.line_chart(many, target=6, series_label="Факт", target_label="Цель", width=0.5),
    ]
    target = tmp_path / "charts.pdf"
    pdf.build(target, charts, landscape=True)
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout \
        if shutil.which("pdftotext") else ""
    if text:
        assert "Отрицательные" in text and "30.01.2026" in text  # the latest date is always labelled


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_a_row_that_does_not_fit_the_foot_of_a_page_goes_whole_to_the_next(tmp_path):
    from reportlab.platypus import Spacer

    group = "Программа антирисковых мер по направлению «Недостаточная предметная и методическая компетентность»"
    rows = [[group, ""], ["Мероприятие " * 30, "в работе"]]
    together = [("SPAN", (0, 1), (-1, 1)), ("NOSPLIT", (0, 1), (-1, 2))]  # as the report keeps a group line
    table = pdf.table(["Мероприятие", "Статус"], rows, [0.5, 0.3], extra_style=together)
    target = tmp_path / "foot.pdf"
    pdf.build(target, [Spacer(1, 215 * pdf.mm), table])  # about 100 pt left on a portrait page

    def page(n: int) -> str:
        out = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(target), "-"], capture_output=True)
        return " ".join(out.stdout.decode("utf-8").split())

    assert "Программа" not in page(1)  # not torn: the group line and its row start the next page
    assert group in page(2)
