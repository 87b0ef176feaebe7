"""Cells the table draws itself as strings (`pdf.wrap_lines`, `pdf.Wrapped`) break exactly where the cell's
Paragraph would: same lines, no word or character lost, long words split alike (issue 9's fast report PDF)."""

from __future__ import annotations

import random
import shutil
import subprocess

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from models import pdf, report_pdf

WORDS = (
    "Организация и проведение методического семинара для педагогов по вопросам формирования функциональной "
    "грамотности обучающихся 5–9 классов, включая «читательскую» грамотность; анализ результатов ВПР и ОГЭ "
    "(математика, русский язык) — 2026 г. №7 Ёлка ЖЯ 12,5 % 01.10.2026\u00a0– 31.12.2026 ё"
).split(" ")
MARKUP = ("&", "<b>", "a>b", "пере\xadнос")  # what a Paragraph parses into more than one fragment: left to it
LONG_WORD = "Антирисковыйпланмероприятийповышениякачестваобразованиявшколе"[:60]  # no place to break it


def _paragraph_lines(text: str, width: float, font: str) -> list[str]:
    """The lines a cell Paragraph of `font` draws `text` in, for `width` points of room."""
    para = Paragraph(pdf.markup(text), ParagraphStyle("probe", pdf.style("cell"), fontName=font))
    para.wrap(width, 1e6)
    assert para.blPara.kind == 0  # one fragment of plain text
    return [" ".join(words) for _extra, words in para.blPara.lines]


def _corpus(count: int, seed: int = 9) -> list[str]:
    rnd = random.Random(seed)
    texts = []
    for _i in range(count):
        words = [rnd.choice(WORDS) for _w in range(rnd.randint(1, 45))]
        if rnd.random() < 0.25:
            words.insert(rnd.randint(0, len(words)), LONG_WORD[: rnd.randint(8, 60)])
        if rnd.random() < 0.05:
            words.insert(rnd.randint(0, len(words)), rnd.choice(MARKUP))
        text = words[0]
        for word in words[1:]:
            text += rnd.choice([" ", " ", " ", "  ", "\t", " \u2009"] if rnd.random() < 0.3 else [" "]) + word
        texts.append(text)
    return texts


def _letters(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("bold", [False, True])
def test_wrapped_lines_are_the_paragraphs_own(bold):
    fonts = pdf.register_fonts()
    font = fonts.bold if bold else fonts.regular
    rnd = random.Random(4)
    compared = 0
    for text in _corpus(700):
        for width in (rnd.uniform(25, 110), rnd.uniform(110, 380), rnd.uniform(380, 720)):
            got = pdf.wrap_lines(pdf.printable(text), width, font)
            if got is None:  # drawn by a Paragraph: nothing to compare
                continue
            compared += 1
            assert got == _paragraph_lines(text, width, font), (text, width)
            assert _letters("".join(got)) == _letters(pdf.printable(text)), (text, width)  # nothing lost
    assert compared > 1600  # of 2,100: the fallback to a Paragraph (squeezed lines, markup) stays the exception


def test_long_word_is_split_as_the_paragraph_splits_it():
    fonts = pdf.register_fonts()
    text = f"Мера: {LONG_WORD} и ещё {LONG_WORD[:30]} слова после"
    for width in (40, 61.5, 90, 150, 260):
        lines = pdf.wrap_lines(text, width, fonts.regular)
        assert lines == _paragraph_lines(text, width, fonts.regular), width
        assert _letters("".join(lines)) == _letters(text)
        assert len(lines) > 2
        # every line fits (a lone first letter aside, which no width can split)
        widths = [pdf.pdfmetrics.stringWidth(line, fonts.regular, 10) for line in lines if len(line) > 1]
        assert max(widths) <= width + 1e-6


def test_text_only_a_paragraph_draws_alike_is_left_to_it():
    regular = pdf.register_fonts().regular
    assert pdf.wrap_lines("", 100, regular) is None
    assert pdf.wrap_lines("пере\xadнос", 100, regular) is None  # soft hyphen
    assert pdf.wrap_lines("две\nстроки", 100, regular) is None  # a Paragraph with breaks wraps by its own rules
    assert pdf.wrapped("a <b> & c", 300) is None  # several fragments to a Paragraph: drawn by it
    assert pdf.wrapped("два  слова\tи ещё", 300) == "два слова и ещё"  # spaces collapse as in a Paragraph


def test_report_cells_are_strings_with_the_paragraphs_lines():
    width = 120.0
    text = ("Проведение педагогического совета по итогам мониторинга " + LONG_WORD + " ") * 6
    cell = report_pdf._cell(text, "text", width)
    assert isinstance(cell, pdf.Wrapped)
    assert cell.split("\n") == _paragraph_lines(text.replace(" – ", "\u00a0– "), width, pdf.register_fonts().regular)
    assert isinstance(report_pdf._cell(text, "text"), Paragraph)  # no width: the Paragraph as before
    assert report_pdf._cell(12.5, "number", width) == "12,5"


def test_long_texts_render_with_all_their_words(tmp_path):
    """A table of pre-wrapped cells going over pages: pdftotext gives every word back, Cyrillic included."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = " ".join(["Решение педсовета о переходе на", LONG_WORD, *WORDS[:40]])
    room = pdf.cell_room(0.45 * report_pdf.frame_width())
    rows = [[str(i), report_pdf._cell(text, "text", room), "в работе"] for i in range(14)]
    assert all(isinstance(row[1], pdf.Wrapped) for row in rows)
    out = tmp_path / "long.pdf"
    pdf.build(out, [pdf.table(["№", "Текст", "Статус"], rows, [0.1, 0.45, 0.2])], landscape=True)
    pages = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert pages.count("\f") > 1  # the table goes over pages
    for word in pdf.printable(text).split():
        if word != LONG_WORD:
            assert word in pages, word
    assert pages.count("Текст") >= 2  # the header row repeats on each page
    for line in rows[0][1].split("\n"):
        assert pages.count(line.replace("\xa0", " ")) >= 14, line  # every line of every row, torn nowhere
