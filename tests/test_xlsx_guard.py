"""xlsx_guard: the streaming look at an XLSX before openpyxl — what it refuses, what it lets through, how fast."""

from __future__ import annotations

import time

import openpyxl
import pytest

from models import fmt, xlsx_guard
from models.i18n import _
from models.xlsx_guard import XlsxRefused, XlsxUnreadable, check
from tests.test_bad_input import (
    SHEET,
    STRINGS,
    Inflating,
    bit_flipped,
    book,
    package,
    raw_zip,
    write_zip,
    zip_bomb,
)

MB = 1024 * 1024
LIMITS = {"unpacked": 50 * MB, "rows": 100, "columns": 10}
LIST = [("ФИО", "Класс"), ("Иванов Иван", "5А")]


def sheet_too_large(sheet: str, rows: int = 100, columns: int = 10) -> str:
    text = _("The sheet “{sheet}” is too large to import: at most {rows} rows and {columns} columns.")
    return text.format(sheet=sheet, rows=rows, columns=columns)


def refused(path, **limits) -> str:
    with pytest.raises(XlsxRefused) as caught:
        check(path, **{**LIMITS, **limits})
    return str(caught.value)


def test_an_ordinary_workbook_passes(tmp_path):
    check(book(tmp_path / "list.xlsx", LIST), **LIMITS)


def test_a_value_beyond_the_rows_or_columns_is_refused_naming_the_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Первый"
    wb.active.append(LIST[0])
    second = wb.create_sheet("Второй")  # the guard finds its name through the workbook, not the part's name
    second.cell(row=101, column=1, value="x")
    wb.save(tmp_path / "rows.xlsx")
    assert refused(tmp_path / "rows.xlsx") == sheet_too_large("Второй")
    wide = book(tmp_path / "wide.xlsx", [(*[None] * 10, "x")])
    assert refused(wide) == sheet_too_large("Лист1")
    check(wide, **{**LIMITS, "columns": 11})


def test_empty_cells_beyond_the_limits_pass(tmp_path):
    """Formatted empty cells, and the "" a formula such as IF(…;"";…) leaves, are not values."""
    far = ('<row r="5000"><c r="Z5000" s="1"/><c r="AA5000" t="str"><f>IF(A1="","",1)</f><v></v></c>'
           '<c r="AB5000" t="inlineStr"><is><t> </t></is></c></row>')
    members = package(LIST)
    members[SHEET] = members[SHEET].replace("</sheetData>", far + "</sheetData>")
    check(write_zip(tmp_path / "blank.xlsx", members), **LIMITS)


def test_a_cell_longer_than_excel_allows_is_refused_naming_it(tmp_path):
    check(write_zip(tmp_path / "ok.xlsx", package([*LIST, ["x" * 32767]])), **LIMITS)
    path = write_zip(tmp_path / "long.xlsx", package([*LIST, [None, "x" * 32768]]))
    assert refused(path) == _(
        "The cell {cell} on the sheet “{sheet}” of {name} holds more than {n} characters, more than Excel allows: "
        "the file is damaged or was not made by Excel."
    ).format(cell="B3", sheet="Лист1", name="long.xlsx", n=fmt.format_number(32767, 0))
    rich = ("inlineStr", "<is><r><rPr><b/></rPr><t>x</t></r><r><rPr><i/></rPr><t>" + "x" * 32767 + "</t></r></is>")
    assert "C3" in refused(write_zip(tmp_path / "rich.xlsx", package([*LIST, [None, None, rich]])))
    strings = write_zip(tmp_path / "strings.xlsx", package(LIST, strings=["x" * 40_000]))
    assert "strings.xlsx" in refused(strings)


def test_the_counts_of_cells_rows_strings_and_text_are_bounded(tmp_path, monkeypatch):
    path = write_zip(tmp_path / "big.xlsx", package([("a", "b")] * 20, strings=["x" * 10] * 20))
    check(path, **LIMITS)
    monkeypatch.setattr(xlsx_guard, "MAX_CELLS", 39)
    assert refused(path) == _("The file {name} is too large to import: it holds more than {n} cells.").format(
        name="big.xlsx", n=39
    )
    monkeypatch.setattr(xlsx_guard, "MAX_CELLS", 40)
    check(path, **LIMITS)
    monkeypatch.setattr(xlsx_guard, "MAX_ROW_TAGS", 19)
    assert refused(path) == sheet_too_large("Лист1")
    monkeypatch.setattr(xlsx_guard, "MAX_ROW_TAGS", 20)
    monkeypatch.setattr(xlsx_guard, "MAX_STRINGS", 19)
    assert "big.xlsx" in refused(path)
    monkeypatch.setattr(xlsx_guard, "MAX_STRINGS", 20)
    monkeypatch.setattr(xlsx_guard, "MAX_TEXT", 150)
    assert "big.xlsx" in refused(path)


def test_the_unpacked_size_is_what_the_message_names(tmp_path):
    path = zip_bomb(tmp_path / "bomb.xlsx", LIST, megabytes=60)
    assert path.stat().st_size < MB
    assert refused(path) == _(
        "The file {name} is too large to import: its contents unpack to more than {limit} MB."
    ).format(name="bomb.xlsx", limit=50)


def test_what_cannot_be_unpacked_is_unreadable(tmp_path):
    (tmp_path / "text.xlsx").write_text("ФИО;Класс")
    damaged = bit_flipped(tmp_path / "damaged.xlsx", LIST)
    forged = zip_bomb(tmp_path / "forged.xlsx", LIST, megabytes=45, declared=50_000)
    for path in (tmp_path / "text.xlsx", damaged, forged):
        with pytest.raises(XlsxUnreadable):
            check(path, **LIMITS)


def test_entities_are_never_expanded_and_left_to_openpyxl(tmp_path):
    laughs = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    ) + "]>"
    members = package([*LIST, [("inlineStr", "<is><t>&i;</t></is>")]], doctype=laughs)
    started = time.process_time()
    check(write_zip(tmp_path / "laughs.xlsx", members), **LIMITS)
    assert time.process_time() - started < 1


def test_a_huge_tag_or_comment_is_unreadable_at_once(tmp_path):
    """expat rescans an unfinished token with every chunk it is given: 50 MB of one comment took openpyxl minutes."""
    members = package(LIST, dimension="none")
    head, tail = members[SHEET].encode().split(b"</sheetData>")
    members[SHEET] = Inflating(head + b"<!--", b"-a" * 50_000, 450, b"-->" + b"</sheetData>" + tail)
    started = time.process_time()
    with pytest.raises(XlsxUnreadable):
        check(raw_zip(tmp_path / "comment.xlsx", members), **LIMITS)
    assert time.process_time() - started < 1


@pytest.mark.parametrize("where", ["rows", "strings"])
def test_tens_of_megabytes_are_refused_within_a_second(tmp_path, where):
    members = package(LIST, dimension="none")
    if where == "rows":  # a sheet without <dimension>: openpyxl would parse it all at load time
        head, tail = members[SHEET].encode().split(b"</sheetData>")
        row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
        members[SHEET] = Inflating(head, row * 1000, 45 * MB // (len(row) * 1000), b"</sheetData>" + tail)
    else:
        si = b"<si><t>x</t></si>"
        members[STRINGS] = Inflating(b"<sst>", si * 1000, 45 * MB // (len(si) * 1000), b"</sst>")
    path = raw_zip(tmp_path / "big.xlsx", members)
    started = time.process_time()
    with pytest.raises(XlsxRefused):
        check(path, **LIMITS)
    assert time.process_time() - started < 1
