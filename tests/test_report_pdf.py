"""The report as PDF, read back with poppler: the Cyrillic words, "page X of Y", the names rule both ways, the banner
on every page, literal hostile text, landscape A4, charts, atomic writes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from models import pdf, report, report_pdf
from models.i18n import _
from models.report_pdf import write_pdf
from tests.test_report_xlsx import add_databank, add_hostile, build, period, pupil_names

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def flat(text: str) -> str:
    """Words as one line: a name a table cell wraps still reads "Фамилия Имя"."""
    return re.sub(r"\s+", " ", text)


def footer(page: int, count: int) -> str:
    return _("page {page} of {pages}").format(page=page, pages=count)


@pytest.fixture
def school(demo_db):
    add_databank(demo_db)
    add_hostile(demo_db)
    return demo_db


@needs_poppler
def test_pdf_has_the_content_and_numbered_pages(school, tmp_path):
    rep = build(school)
    path = write_pdf(rep, tmp_path / "отчёт.pdf")
    text = pages(path)
    assert len(text) >= 2
    for n, page in enumerate(text, 1):
        assert footer(n, len(text)) in page
    assert "стр. 1 из" in text[0]
    whole = flat("\n".join(text))
    assert flat(rep.school["full_name"]) in whole
    assert rep.period.label in whole
    for label, _value, _kind in rep.summary:
        assert flat(label) in whole
    for section in rep.sections:
        assert flat(section.title) in whole
    assert "Длинная проблема Длинная проблема" in whole and "конец" in whole
    for role, name in rep.signers:
        assert role in whole and name in whole
    assert _("Dynamics of indicators") in whole and rep.charts


@needs_poppler
def test_hostile_text_prints_literally(school, tmp_path):
    text = flat("\n".join(pages(write_pdf(build(school), tmp_path / "r.pdf"))))
    for literal in (
        '=HYPERLINK("http://x","y")',
        "=1+1",
        "@SUM(A1)",
        "#N/A",
        "<b>жирный</b> & «ёлка»",
        "Меры: <b>&amp;</b>",
        "вторая строка =2+2",
    ):
        assert literal in text, literal


@needs_poppler
def test_default_pdf_holds_no_pupil_name(school, tmp_path):
    text = "\n".join(pages(write_pdf(build(school), tmp_path / "r.pdf")))
    names = pupil_names(school)
    assert names
    assert not [n for n in names if n in text or n in flat(text)]
    assert "персональные данные" not in flat(text)


@needs_poppler
def test_pdf_with_names_holds_them_with_the_banner_on_every_page(school, tmp_path):
    expected = add_databank(school, 3)
    text = pages(write_pdf(build(school, with_names=True), tmp_path / "r.pdf"))
    whole = flat("\n".join(text))
    assert expected and all(n in whole for n in expected)
    for page in text:
        assert "персональные данные" in flat(page)


def test_pdf_is_landscape_a4_and_names_its_school(school, tmp_path):
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    rep = build(school)
    info = subprocess.run(
        ["pdfinfo", str(write_pdf(rep, tmp_path / "r.pdf"))], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Page size:\s+841\.89 x 595\.276", info), info
    assert rep.school["short_name"] in info


def test_empty_school_prints(db, tmp_path):
    path = write_pdf(report.build(db, period()), tmp_path / "empty.pdf")
    assert path.read_bytes().startswith(b"%PDF")


def test_failed_write_leaves_nothing(school, tmp_path):
    with pytest.raises(pdf.PdfError):
        write_pdf(build(school), tmp_path / "нет папки" / "r.pdf")
    assert not [p for p in tmp_path.rglob("*") if p.suffix in (".pdf", ".tmp")]


def test_wide_tables_fit_the_page_and_keep_words_whole(school):
    rep = build(school)
    for section in rep.sections:
        kinds = [c.kind for c in section.columns]
        titles = [c.title for c in section.columns]
        widths = report_pdf.column_fractions(titles, kinds, [c.width for c in section.columns], section.rows, 1.0)
        assert sum(widths) == pytest.approx(1.0) and all(w > 0 for w in widths), section.key
        dated = [w for i, (w, k) in enumerate(zip(widths, kinds)) if k == "date" and any(r[i] for r in section.rows)]
        assert all(w * report_pdf.frame_width() > 50 + 12 for w in dated), section.key  # "01.10.2026" on a line


def test_group_lines_replace_a_repeated_program_column(school):
    rep = build(school)
    measures = next(s for s in rep.sections if s.key == "measures")
    rows, columns = report_pdf._group_rows(measures)
    groups = [r for r in rows if isinstance(r, str)]
    assert columns == list(range(1, len(measures.columns)))
    assert groups == list(dict.fromkeys(r[0] for r in measures.rows))
    assert len(rows) == len(measures.rows) + len(groups)
