"""xlsx_guard: the streaming look at an XLSX before openpyxl — what it refuses, what it lets through, how fast."""

from __future__ import annotations

import collections
import time

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

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


# ---- the quick look (_quick): it lets files through, the streaming look decides every refusal --------------------


def quick(path, **limits) -> bool:
    """Whether the quick look alone lets the file through."""
    import zipfile

    limits = {**LIMITS, **limits}
    with zipfile.ZipFile(path) as archive:
        names = xlsx_guard._sheet_names(archive)
        looked = [m for m in archive.infolist()
                  if m.file_size and (m.filename in names or m.filename.lower().endswith(".xml"))]
        return xlsx_guard._quick(archive, looked, limits["rows"], limits["columns"])


def outcome(path, **limits) -> tuple[str, str]:
    try:
        check(path, **{**LIMITS, **limits})
    except (XlsxRefused, XlsxUnreadable) as exc:
        return type(exc).__name__, str(exc)
    return "passed", ""


def same_as_streaming(path, monkeypatch, **limits) -> tuple[str, str]:
    """check()'s outcome, asserted to be the streaming look's own (the quick look switched off)."""
    got = outcome(path, **limits)
    with monkeypatch.context() as patched:
        patched.setattr(xlsx_guard, "_quick", lambda *_args: False)
        assert outcome(path, **limits) == got
    return got


def with_sheet(tmp_path, name: str, sheet: str | bytes, strings: str | bytes | None = None):
    members = package(LIST)
    members[SHEET] = sheet
    if strings is not None:
        members[STRINGS] = strings
    return write_zip(tmp_path / name, members)


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def test_the_quick_look_lets_an_ordinary_list_through(tmp_path, monkeypatch):
    pupils = [(f"Иванов Иван {i}", 43000 + i, "5А", f"EJ{i}") for i in range(300)]
    rows = [("ФИО", "Дата рождения", "Класс", "ID"), *pupils]
    path = book(tmp_path / "list.xlsx", rows)
    assert quick(path, rows=301, columns=4)
    assert same_as_streaming(path, monkeypatch, rows=301, columns=4) == ("passed", "")
    assert not quick(path, rows=300)  # the last row is 301: the streaming look decides (an empty row would pass)
    assert same_as_streaming(path, monkeypatch, rows=300)[0] == "XlsxRefused"
    assert not quick(path, rows=301, columns=3)
    assert same_as_streaming(path, monkeypatch, rows=301, columns=3)[0] == "XlsxRefused"


@pytest.mark.parametrize("n, verdict", [(32767, "passed"), (32768, "XlsxRefused")])
@pytest.mark.parametrize("written", ["plain", "entities", "prefixed", "prefixed root", "tab", "no reference", "rich"])
def test_a_cell_at_excels_limit_however_written(tmp_path, monkeypatch, n, verdict, written):
    """32 767 characters pass, 32 768 are refused naming the cell, whether the quick look can bound them or not."""
    text = {"entities": "&amp;" * n, "rich": "<r><t>x</t></r><r><t>" + "x" * (n - 1) + "</t></r>"}.get(written, "x" * n)
    value = text if written == "rich" else f"<t>{text}</t>"
    cell = {
        "prefixed": f'<x:c r="B2" t="inlineStr"><x:is>{value}</x:is></x:c>',
        "tab": f'<c\tr="B2" t="inlineStr"><is>{value}</is></c>',
        "no reference": f'<c r="A2"/><c t="inlineStr"><is>{value}</is></c>',
    }.get(written, f'<c r="B2" t="inlineStr"><is>{value}</is></c>')
    body = f'<row r="1"><c r="A1" t="inlineStr"><is><t>ФИО</t></is></c></row><row r="2">{cell}</row>'
    if written == "prefixed root":
        body = body.replace("<", "<x:").replace("<x:/", "</x:")
        sheet = f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData>{body}' \
                "</x:sheetData></x:worksheet>"
    else:
        sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}" xmlns:x="{MAIN_NS}">' \
                f"<sheetData>{body}</sheetData></worksheet>"
    path = with_sheet(tmp_path, f"{written}.xlsx", sheet)
    kind, message = same_as_streaming(path, monkeypatch)
    assert kind == verdict
    if verdict != "passed":
        assert "B2" in message and f"{written}.xlsx" in message
    assert not quick(path)  # none of these can be bounded from the bytes: 32 767 characters and the tags around them


@pytest.mark.parametrize("hidden", ["cdata", "comment", "processing instruction"])
def test_what_only_looks_like_a_cell_does_not_split_a_long_one(tmp_path, monkeypatch, hidden):
    """A long cell cut into pieces by text that looks like cell tags (inside CDATA, a comment, a processing
    instruction) is still one cell: the quick look leaves it to expat."""
    piece = "x" * 1000
    fake = {"cdata": '<![CDATA[<c r="A9">]]>', "comment": '<!--<c r="A9">-->', "processing instruction": '<?c r="A9"?>'}
    text = fake[hidden].join([piece] * 40)
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData><row r="1">'
             f'<c r="C1" t="inlineStr"><is><t>{text}</t></is></c></row></sheetData></worksheet>')
    path = with_sheet(tmp_path, "hidden.xlsx", sheet)
    assert not quick(path)
    kind, message = same_as_streaming(path, monkeypatch)
    assert kind == "XlsxRefused" and "C1" in message


@pytest.mark.parametrize("encoding", ["utf-16", "cp1251"])
def test_a_sheet_in_another_encoding_is_left_to_the_streaming_look(tmp_path, monkeypatch, encoding):
    far = '<row r="500"><c r="A500" t="inlineStr"><is><t>Иванов</t></is></c></row>'
    sheet = (f'<?xml version="1.0" encoding="{encoding}"?><worksheet xmlns="{MAIN_NS}"><sheetData>'
             f'<row r="1"><c r="A1" t="inlineStr"><is><t>ФИО</t></is></c></row>{far}</sheetData></worksheet>')
    path = with_sheet(tmp_path, f"{encoding}.xlsx", sheet.encode(encoding))
    assert not quick(path)
    assert same_as_streaming(path, monkeypatch) == ("XlsxRefused", sheet_too_large("Лист1"))
    assert same_as_streaming(path, monkeypatch, rows=500) == ("passed", "")


def test_rows_and_cells_without_references_are_numbered_by_the_streaming_look(tmp_path, monkeypatch):
    rows = "".join('<row><c t="inlineStr"><is><t>x</t></is></c></row>' for _i in range(101))
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>{rows}</sheetData>' \
            "</worksheet>"
    path = with_sheet(tmp_path, "bare.xlsx", sheet)
    assert not quick(path)
    assert same_as_streaming(path, monkeypatch) == ("XlsxRefused", sheet_too_large("Лист1"))
    assert same_as_streaming(path, monkeypatch, rows=101) == ("passed", "")
    cells = '<c t="inlineStr"><is><t>x</t></is></c>' * 11
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData><row r="1">{cells}' \
            "</row></sheetData></worksheet>"
    wide = with_sheet(tmp_path, "wide.xlsx", sheet)
    assert same_as_streaming(wide, monkeypatch) == ("XlsxRefused", sheet_too_large("Лист1"))
    assert same_as_streaming(wide, monkeypatch, columns=11) == ("passed", "")


@pytest.mark.parametrize("n, verdict", [(32767, "passed"), (32768, "XlsxRefused")])
@pytest.mark.parametrize("written", ["plain", "prefixed", "rich"])
def test_a_shared_string_at_excels_limit(tmp_path, monkeypatch, n, verdict, written):
    si = {
        "plain": f"<si><t>{'x' * n}</t></si>",
        "prefixed": f"<x:si><x:t>{'x' * n}</x:t></x:si>",
        "rich": f"<si><r><t>x</t></r><r><t>{'x' * (n - 1)}</t></r></si>",
    }[written]
    strings = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}" xmlns:x="{MAIN_NS}"><si><t>a</t></si>' \
              f"{si}</sst>"
    members = package(LIST)
    members[STRINGS] = strings
    path = write_zip(tmp_path / f"{written}.xlsx", members)
    assert same_as_streaming(path, monkeypatch)[0] == verdict


def test_the_counts_are_the_same_either_way(tmp_path, monkeypatch):
    """At the limits the quick look lets through exactly what the streaming look does, and no more."""
    path = write_zip(tmp_path / "big.xlsx", package([("a", "b")] * 20, strings=["x" * 10] * 20))
    assert quick(path)
    for name, exact in (("MAX_CELLS", 40), ("MAX_ROW_TAGS", 20), ("MAX_STRINGS", 20)):
        with monkeypatch.context() as patched:
            patched.setattr(xlsx_guard, name, exact)
            assert quick(path) and outcome(path) == ("passed", "")
            patched.setattr(xlsx_guard, name, exact - 1)
            assert not quick(path)
            assert same_as_streaming(path, monkeypatch)[0] == "XlsxRefused"


def test_a_tag_across_the_chunk_boundary(tmp_path, monkeypatch):
    """The streaming look feeds expat 1 MB at a time: a cell tag cut by the boundary is still counted, and still
    placed in its column."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'
    rows, size, r = [], len(head), 0
    while size < xlsx_guard.CHUNK - 200:
        r += 1
        rows.append(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>xxxxxxxxxx</t></is></c></row>')
        size += len(rows[-1])
    last = r + 1
    pad = xlsx_guard.CHUNK - 3 - size - len(f'<row r="{last}" spans="">')
    sheet = (head + "".join(rows) + f'<row r="{last}" spans="{"1" * pad}">'
             + f'<c r="K{last}" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>')
    assert sheet.index(f'<c r="K{last}"') == xlsx_guard.CHUNK - 3  # the tag is cut by the boundary
    path = with_sheet(tmp_path, "boundary.xlsx", sheet)
    assert same_as_streaming(path, monkeypatch, rows=last) == ("XlsxRefused", sheet_too_large("Лист1", last))
    assert same_as_streaming(path, monkeypatch, rows=last, columns=11) == ("passed", "")
    with monkeypatch.context() as patched:
        patched.setattr(xlsx_guard, "MAX_CELLS", last)
        assert same_as_streaming(path, monkeypatch, rows=last, columns=11) == ("passed", "")
        patched.setattr(xlsx_guard, "MAX_CELLS", r)
        assert same_as_streaming(path, monkeypatch, rows=last, columns=11)[0] == "XlsxRefused"


def test_a_long_tag_in_a_sheet_over_a_megabyte(tmp_path, monkeypatch):
    def sheet(length: int) -> str:
        tag = f'<row r="2" spans="{"1" * length}"/>'
        return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'
                f'<row r="1"><c r="A1" t="inlineStr"><is><t>ФИО</t></is></c></row>{tag}</sheetData></worksheet>')

    path = with_sheet(tmp_path, "tag.xlsx", sheet(xlsx_guard.MAX_TOKEN * 5 // 2))  # still open after a chunk
    assert not quick(path)
    assert same_as_streaming(path, monkeypatch)[0] == "XlsxUnreadable"
    under = with_sheet(tmp_path, "under.xlsx", sheet(xlsx_guard.MAX_TOKEN - 100) + " " * 100)
    assert same_as_streaming(under, monkeypatch) == ("passed", "")


def test_prefixed_rows_and_cells_beyond_the_limits(tmp_path, monkeypatch):
    body = ('<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>ФИО</x:t></x:is></x:c></x:row>'
            '<x:row r="101"><x:c r="A101" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></x:row>')
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData>{body}' \
            "</x:sheetData></x:worksheet>"
    path = with_sheet(tmp_path, "prefixed.xlsx", sheet)
    assert not quick(path)
    assert same_as_streaming(path, monkeypatch) == ("XlsxRefused", sheet_too_large("Лист1"))
    assert same_as_streaming(path, monkeypatch, rows=101) == ("passed", "")


def test_quick_and_streaming_agree_on_random_sheets(tmp_path, monkeypatch):
    """Small random sheets written the ways a program may write them, under small limits: check() (quick look
    first) and the streaming look alone end the same way every time."""
    import random

    rng = random.Random(9)
    monkeypatch.setattr(xlsx_guard, "EXCEL_CELL_CHARS", 400)
    plain = ["x", "Иванов Иван", "&amp;&lt;", "a" * 30, "б" * 40, "  ", "x" * 150]
    odd = ['<![CDATA[<c r="A1">]]>', "<!-- <row> -->"]
    used = collections.Counter()

    def cell(r: int, c: int, canonical: bool) -> str:
        ref = f"{get_column_letter(c)}{r}"
        value = "".join(rng.choice(plain if canonical else plain + odd) for _i in range(rng.randint(0, 3)))
        inner = rng.choice([f"<is><t>{value}</t></is>", f"<v>{value}</v>", "",
                            f"<is><r><t>{value}</t></r><r><t>{value}</t></r></is>"])
        if canonical:
            return f'<c r="{ref}" t="inlineStr">{inner}</c>'
        attrs = rng.choice([f' r="{ref}"', f' r="{ref.lower()}"', "", f' r="${ref}"'])
        name, sep = rng.choice(["c", "x:c"]), rng.choice([" ", "\t"])
        return f'<{name}{sep}{attrs.strip()} t="inlineStr">{inner}</{name}>' if attrs else f"<{name}>{inner}</{name}>"

    for case in range(200):
        canonical = rng.random() < 0.6
        rows, r = [], 0
        for _i in range(rng.randint(1, 12)):
            r += rng.choice([1, 1, 1, 5])
            cells = "".join(cell(r, c, canonical or rng.random() < 0.7) for c in range(1, rng.randint(1, 13)))
            attrs = f' r="{r}"' if canonical else rng.choice([f' r="{r}"', "", f' r="{r:04d}"'])
            rows.append(f"<row{attrs}>{cells}</row>")
        sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}" xmlns:x="{MAIN_NS}">'
                 f'<sheetData>{"".join(rows)}</sheetData></worksheet>')
        strings = "".join(f"<si><t>{rng.choice(plain) * rng.randint(1, 3)}</t></si>" for _i in range(rng.randint(0, 8)))
        members = package(LIST)
        members[SHEET] = sheet
        members[STRINGS] = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">{strings}</sst>'
        path = write_zip(tmp_path / f"random{case}.xlsx", members)
        limits = {"rows": rng.randint(5, 80), "columns": rng.randint(2, 20)}
        with monkeypatch.context() as patched:
            patched.setattr(xlsx_guard, "MAX_CELLS", rng.randint(40, 200))
            patched.setattr(xlsx_guard, "MAX_ROW_TAGS", rng.randint(8, 20))
            patched.setattr(xlsx_guard, "MAX_STRINGS", rng.randint(5, 12))
            patched.setattr(xlsx_guard, "MAX_TEXT", rng.randint(3000, 40000))
            used[quick(path, **limits), same_as_streaming(path, monkeypatch, **limits)[0]] += 1
    assert used[True, "passed"] >= 10 and used[False, "passed"] >= 10 and used[False, "XlsxRefused"] >= 10, used
    assert not used[True, "XlsxRefused"]


def test_column_letters_are_excels():
    """column_letter names a column as openpyxl does (the messages use it without importing openpyxl)."""
    assert [xlsx_guard.column_letter(c) for c in range(1, 18279)] == [get_column_letter(c) for c in range(1, 18279)]
    assert all(xlsx_guard._column(f"{xlsx_guard.column_letter(c)}7") == c for c in (1, 26, 27, 702, 703, 18278))
    for outside in (0, -1, 18279):
        with pytest.raises(ValueError):
            xlsx_guard.column_letter(outside)
