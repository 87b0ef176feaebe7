"""models.xlsx_rows reads a worksheet's rows as openpyxl's read-only iter_rows(values_only=True) does: compared on
workbooks openpyxl writes (every kind of value, hypothesis-made sheets) and on sheet XML written by hand as other
programs write it (inline strings, cells and rows without numbers, namespace prefixes, gaps, errors)."""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from models.xlsx_rows import sheet_values

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def both(source) -> tuple[list, list]:
    """(openpyxl's rows, ours) of every sheet of a workbook (a path or bytes)."""
    results = []
    for reader in ("openpyxl", "ours"):
        data = io.BytesIO(source) if isinstance(source, bytes) else source
        book = openpyxl.load_workbook(data, read_only=True, data_only=True)
        rows = []
        for sheet in book.worksheets:
            sheet.reset_dimensions()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                found = sheet.iter_rows(values_only=True) if reader == "openpyxl" else sheet_values(sheet)
                # typed: True == 1 and 7.0 == 7 and () == [] would hide a difference
                rows.append([(type(r).__name__, [(type(v).__name__, v) for v in r]) for r in found])
        book.close()
        results.append(rows)
    return results[0], results[1]


def saved(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet_xml(sheet_data: str, strings: list[str] = (), root: str = f'<worksheet xmlns="{MAIN}">') -> bytes:
    """A workbook whose first sheet's XML is written by hand (its sheetData), with these shared strings."""
    data = saved(openpyxl.Workbook())
    tag = root[1:].split()[0].rstrip(">")
    prefix = tag.split(":")[0] + ":" if ":" in tag else ""
    sheet = f'<?xml version="1.0" encoding="UTF-8"?>\n{root}<{prefix}sheetData>{sheet_data}</{prefix}sheetData></{tag}>'
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    table = f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    relation = (
        '<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
    )
    kind = (
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename).decode()
            if item.filename == "xl/worksheets/sheet1.xml":
                content = sheet
            elif item.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace("</Relationships>", relation + "</Relationships>")
            elif item.filename == "[Content_Types].xml":
                content = content.replace("</Types>", kind + "</Types>")
            target.writestr(item, content.encode())
        target.writestr("xl/sharedStrings.xml", table.encode())
    return out.getvalue()


def test_every_kind_of_value_openpyxl_writes():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ФИО", "Дата рождения", "Класс", None, "=не формула", 5, 2.5, True, False])
    sheet.append(["Иванов Иван", dt.datetime(2014, 5, 1), "5А", None, 1e-7, -3, 10**15, 0, ""])
    sheet.append([None, dt.date(2015, 9, 1), dt.time(8, 30), dt.timedelta(hours=30), "=SUM(1,2)", "  пробелы  "])
    sheet["E3"].data_type = "s"  # a text that starts with "=", as the program writes it
    sheet.cell(row=3, column=5).value = "=SUM(1,2)"
    sheet["F4"] = "=SUM(F1:F2)"  # a formula: no cached value, None read back
    sheet["B6"] = 44197  # a date cell that lost its format: a number
    sheet["C6"] = 44197
    sheet["C6"].number_format = "dd.mm.yyyy"
    sheet["A8"] = CellRichText("Петров ", TextBlock(InlineFont(b=True), "Пётр"))  # rich text in shared strings
    sheet["Z9"] = "far right"
    sheet["A12"] = "after a gap"
    other = book.create_sheet("Второй")
    other["B2"] = "second sheet"
    expected, ours = both(saved(book))
    assert ours == expected
    assert expected[0][1][1][1] == ("datetime", dt.datetime(2014, 5, 1))  # the test sees what it compares
    assert expected[0][7][1][0] == ("str", "Петров Пётр")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
                st.integers(-(10**12), 10**12),
                st.floats(allow_nan=False, allow_infinity=False, width=64),
                st.booleans(),
                st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2099, 12, 31)),
                st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2099, 12, 31)),
            ),
            max_size=8,
        ),
        max_size=12,
    )
)
def test_any_sheet_openpyxl_writes(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, even "=…"
    expected, ours = both(saved(book))
    assert ours == expected


HAND_WRITTEN = {
    "inline strings and types": (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Иванов</t></is></c><c r="B1" t="str"><f>A1</f><v>Иванов</v></c>'
        '<c r="C1" t="e"><v>#N/A</v></c><c r="D1" t="b"><v>1</v></c><c r="E1" t="d"><v>2015-09-01T00:00:00</v></c>'
        '<c r="F1" t="s"><v>1</v></c><c r="G1"><v>7</v></c><c r="H1"><v>7.50</v></c><c r="I1"><v>1E3</v></c>'
        '<c r="J1" t="inlineStr"><is><r><t>Пет</t></r><r><rPr><b/></rPr><t>ров</t></r></is></c>'
        '<c r="K1" t="inlineStr"><is><t/></is></c><c r="L1" t="inlineStr"><is><t xml:space="preserve"> а </t></is></c>'
        '<c r="M1" t="inlineStr"></c><c r="N1" t="inlineStr"><is><t>x</t><r><t>z</t></r></is></c></row>',
        ["ноль", "один"],
    ),
    "cells and rows without numbers": (
        '<row><c t="s"><v>0</v></c><c/><c><v>3</v></c></row><row><c r="C2"><v>1</v></c><c><v>2</v></c></row>',
        ["А"],
    ),
    "gaps, backwards and repeated rows": (
        '<row r="2"><c r="B2"><v>1</v></c></row><row r="5"><c r="A5"><v>2</v></c></row>'
        '<row r="3"><c r="A3"><v>3</v></c></row><row r="5"><c r="A5"><v>4</v></c></row>'
        '<row r="7.0"><c r="A7"><v>5</v></c></row>',
        [],
    ),
    "cells out of order, empty values, a row of nothing": (
        '<row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c><c r="B1"><v></v></c></row><row r="2"></row>'
        '<row r="3"><c r="a3"><v>9</v></c><c r="B3"><v>8</v></c></row><row r="4"><c r="A0"><v>1</v></c></row>',
        [],
    ),
    "a value with something inside it": (
        '<row r="1"><c r="A1"><v>12<x/>34</v></c><c r="B1"><v>5</v><v>6</v></c></row>',
        [],
    ),
}


@pytest.mark.parametrize("case", HAND_WRITTEN)
def test_sheets_other_programs_write(case):
    sheet_data, strings = HAND_WRITTEN[case]
    expected, ours = both(with_sheet_xml(sheet_data, strings))
    assert ours == expected
    assert any(expected[0])  # not read as nothing by both


def test_a_prefixed_namespace_as_some_programs_write_it():
    data = with_sheet_xml(
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1"><x:v>2</x:v></x:c></x:row>',
        ["Сидоров"],
        root=f'<x:worksheet xmlns:x="{MAIN}">',
    )
    expected, ours = both(data)
    assert ours == expected == [[("tuple", [("str", "Сидоров"), ("int", 2)])]]


@pytest.mark.parametrize(
    "sheet_data",
    [
        '<row r="1"><c r="A1" t="s"><v>5</v></c></row>',  # no such shared string
        '<row r="x"><c r="A1"><v>1</v></c></row>',  # a row number that is not one
        '<row r="1"><c r="$B$1"><v>1</v></c></row>',  # a reference with $
        '<row r="1"><c r="A1"><v>1</v></c><c r="A"><v>2</v></c></row>',  # a column known, the row number missing
        '<row r="1"><c r="A1"><v>abc</v></c></row>',  # a number that is not one
        '<row r="1"><c r="A1" s="x"><v>1</v></c></row>',  # a style that is not a number
        '<row r="1"><c r="A1"><v>1</v></row>',  # not well-formed
    ],
)
def test_a_damaged_sheet_fails_as_openpyxl_fails(sheet_data):
    data = with_sheet_xml(sheet_data, ["один"])
    for read in (lambda s: list(s.iter_rows(values_only=True)), lambda s: list(sheet_values(s))):
        with pytest.raises(Exception):  # noqa: B017 — whatever openpyxl raises, ours raises too
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            sheet.reset_dimensions()
            read(sheet)


class _Sheet:
    """What sheet_values reads of a read-only worksheet, over XML given here."""

    def __init__(self, xml: bytes):
        self.xml = xml
        self._shared_strings = []
        self.parent = type("Book", (), {"epoch": dt.datetime(1899, 12, 30), "_date_formats": set(),
                                         "_timedelta_formats": set()})  # fmt: skip

    def _get_source(self):
        return io.BytesIO(self.xml)


def test_entities_are_not_expanded():
    # openpyxl (with defusedxml) refuses such a sheet when the workbook is opened; this reader refuses it too
    sheet = '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&big;</t></is></c></row></sheetData>'
    bomb = f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY big "{"x" * 1000}">]><worksheet xmlns="{MAIN}">'
    with pytest.raises(ValueError):
        list(sheet_values(_Sheet((bomb + sheet + "</worksheet>").encode())))
    plain = f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">' + sheet.replace("&big;", "x") + "</worksheet>"
    assert list(sheet_values(_Sheet(plain.encode()))) == [("x",)]
