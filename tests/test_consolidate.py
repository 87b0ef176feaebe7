"""Municipal consolidation: two demo schools merge into one summary; a file that is not this program's report is
refused by name and nothing is written; mixed periods are warned about; hostile files stay harmless."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from models import consolidate as cons
from models import i18n, periods, report
from models.consolidate import ConsolidationError, consolidate
from models.db import open_database
from models.demo import build_demo
from models.i18n import _
from models.report_xlsx import write_xlsx

Q3 = periods.parse("2026-Q3")


@pytest.fixture(scope="module")
def schools(tmp_path_factory) -> dict:
    """Two demo schools (seeds 7 and 8), their report objects for two periods, and a folder of report files."""
    i18n.set_language("ru")
    folder = tmp_path_factory.mktemp("schools")
    out: dict = {"folder": folder, "reports": {}}
    for seed in (7, 8):
        db = open_database(folder / f"school{seed}.db")
        build_demo(db, size="small", seed=seed)
        for spec in ("2026-Q3", "2026-Q2"):
            rep = report.build(db, periods.parse(spec))
            out["reports"][(seed, spec)] = rep
            write_xlsx(rep, folder / f"school{seed}-{spec}.xlsx")
        db.conn.close()
    return out


def path(schools, seed: int, spec: str = "2026-Q3") -> Path:
    return schools["folder"] / f"school{seed}-{spec}.xlsx"


def values(ws) -> list[list]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def header_index(ws) -> int:
    return next(i for i, row in enumerate(values(ws)) if row[0] == _("No."))


def test_two_schools_give_a_row_each_with_totals_and_averages(schools, tmp_path):
    out = tmp_path / "сводная.xlsx"
    result = consolidate([path(schools, 7), path(schools, 8)], out)
    assert result.out == out and result.warnings == [] and len(result.schools) == 2
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [_("Consolidated"), _("Indicators by school")]
    ws = wb[_("Consolidated")]
    rows = values(ws)
    h = header_index(ws)
    header = rows[h]
    assert header[:4] == [_("No."), _("School"), _("Municipality"), _("Period")]
    assert header[4:16] == [_(title) for _key, title, _kind in cons.FIGURES]
    assert ws.freeze_panes == f"C{h + 2}"
    reports = [schools["reports"][(7, "2026-Q3")], schools["reports"][(8, "2026-Q3")]]
    for i, rep in enumerate(reports):
        row = rows[h + 1 + i]
        assert row[1] == rep.school["short_name"] and row[2] == rep.school["municipality"]
        assert row[3] == rep.period.label and row[16] == f"school{7 + i}-2026-Q3.xlsx"
        for j, (key, _title, _kind) in enumerate(cons.FIGURES):
            assert row[4 + j] == pytest.approx(rep.figures[key]), key
    totals, averages = rows[h + 3], rows[h + 4]
    assert totals[1] == _("Total") and averages[1] == _("Average per school")
    for j, (key, _title, kind) in enumerate(cons.FIGURES):
        present = [r.figures[key] for r in reports if r.figures[key] is not None]
        if kind == "int":
            assert totals[4 + j] == sum(present), key
        else:
            assert totals[4 + j] is None
        expected = sum(present) / len(present) if present else None
        assert averages[4 + j] == pytest.approx(expected), key
    number_formats = {ws.cell(h + 2, 5 + j).number_format for j, f in enumerate(cons.FIGURES) if f[2] == "percent"}
    assert number_formats == {"0.0%"}
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def test_indicator_sheet_lists_each_schools_indicators_side_by_side(schools, tmp_path):
    out = tmp_path / "s.xlsx"
    consolidate([path(schools, 7), path(schools, 8)], out)
    ws = openpyxl.load_workbook(out)[_("Indicators by school")]
    rows = values(ws)
    names = rows[2]  # two towns: each school's name says its municipality too
    for column, seed in ((1, 7), (3, 8)):
        school = schools["reports"][(seed, "2026-Q3")].school
        assert names[column] == f"{school['short_name']}\n{school['municipality']}"
    assert rows[3][1:5] == [_("Target"), _("Value")] * 2
    by_title = {row[0]: row[1:] for row in rows[4:]}
    for n, seed in enumerate((7, 8)):
        figures = schools["reports"][(seed, "2026-Q3")].figures
        for key, title in figures.items():
            if m := re.match(r"indicator\.(\d+)\.title$", key):
                target, value = figures[f"indicator.{m[1]}.target"], figures[f"indicator.{m[1]}.value"]
                got = by_title[title][2 * n : 2 * n + 2]
                assert got == [
                    pytest.approx(target) if target is not None else None,
                    pytest.approx(value) if value is not None else None,
                ], title
    assert ws.freeze_panes == "B5"


def test_mixed_periods_are_a_warning_in_the_result_and_the_sheet(schools, tmp_path):
    out = tmp_path / "s.xlsx"
    result = consolidate([path(schools, 7), path(schools, 8, "2026-Q2")], out)
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert "school7-2026-Q3.xlsx" in warning and "school8-2026-Q2.xlsx" in warning
    assert Q3.label in warning and periods.parse("2026-Q2").label in warning
    text = [c for row in values(openpyxl.load_workbook(out)[_("Consolidated")]) for c in row if isinstance(c, str)]
    assert any(warning in c for c in text)


def test_same_school_twice_is_a_warning(schools, tmp_path):
    result = consolidate([path(schools, 7), path(schools, 7)], tmp_path / "s.xlsx")
    assert len(result.warnings) == 1 and "school7-2026-Q3.xlsx" in result.warnings[0]


def test_mixed_format_versions_are_a_warning(schools, tmp_path, monkeypatch):
    monkeypatch.setattr(cons, "FORMAT_VERSION", 2)
    newer = tmp_path / "newer.xlsx"
    rewrite_data(path(schools, 8), newer, {"format_version": 2})
    result = consolidate([path(schools, 7), newer], tmp_path / "s.xlsx")
    assert any("newer.xlsx" in w and "school7-2026-Q3.xlsx" in w for w in result.warnings)


def rewrite_data(source: Path, target: Path, changes: dict, drop: tuple = ()) -> None:
    """A copy of a report workbook whose data sheet has some values changed (via a normal openpyxl round trip)."""
    wb = openpyxl.load_workbook(source)
    ws = wb["data"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in changes:
            row[1].value = changes[row[0].value]
    for key in drop:
        for row in ws.iter_rows(min_row=2):
            if row[0].value == key:
                row[0].value = row[1].value = None
    wb.save(target)


def refused(inputs, out: Path, *names: str) -> str:
    with pytest.raises(ConsolidationError) as err:
        consolidate(inputs, out)
    for name in names:
        assert name in str(err.value)
    assert not out.exists()
    assert not list(out.parent.glob(f".{out.name}*"))
    return str(err.value)


def test_files_that_are_not_reports_are_refused_by_name_and_nothing_is_written(schools, tmp_path):
    good = path(schools, 7)
    out = tmp_path / "s.xlsx"
    text = tmp_path / "письмо.xlsx"
    text.write_text("Здравствуйте! Высылаем отчёт.", encoding="utf-8")
    refused([good, text], out, "письмо.xlsx")

    plain = tmp_path / "чужая таблица.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Школа"
    wb.save(plain)
    assert "data" in refused([good, plain], out, "чужая таблица.xlsx")

    other = tmp_path / "другая программа.xlsx"
    rewrite_data(good, other, {"generator": "excel"})
    refused([good, other], out, "другая программа.xlsx")

    damaged = tmp_path / "обрыв.xlsx"
    damaged.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    refused([good, damaged], out, "обрыв.xlsx")

    missing = tmp_path / "нет файла.xlsx"
    refused([good, missing], out, "нет файла.xlsx")

    word = tmp_path / "документ.xlsx"  # a zip, but not a workbook
    with zipfile.ZipFile(word, "w") as package:
        package.writestr("word/document.xml", "<w/>")
    refused([good, word], out, "документ.xlsx")


def test_a_newer_format_or_a_bad_value_is_refused(schools, tmp_path):
    out = tmp_path / "s.xlsx"
    newer = tmp_path / "новее.xlsx"
    rewrite_data(path(schools, 7), newer, {"format_version": 99})
    assert "99" in refused([newer], out, "новее.xlsx")
    text = tmp_path / "текст.xlsx"
    rewrite_data(path(schools, 7), text, {"measures_due": "много"})
    assert "measures_due" in refused([text], out, "текст.xlsx")
    nameless = tmp_path / "безымянная.xlsx"
    rewrite_data(path(schools, 7), nameless, {"school.full_name": None, "school.short_name": None})
    refused([nameless], out, "безымянная.xlsx")


def test_limits_on_size_and_rows(schools, tmp_path, monkeypatch):
    out = tmp_path / "s.xlsx"
    monkeypatch.setattr(cons, "MAX_FILE_BYTES", 1000)
    refused([path(schools, 7)], out, "school7-2026-Q3.xlsx")
    monkeypatch.setattr(cons, "MAX_FILE_BYTES", 20 * 1024 * 1024)
    monkeypatch.setattr(cons, "MAX_DATA_ROWS", 10)
    refused([path(schools, 7)], out, "school7-2026-Q3.xlsx")
    monkeypatch.setattr(cons, "MAX_DATA_ROWS", 20000)
    monkeypatch.setattr(cons, "MAX_UNPACKED_BYTES", 10_000)
    refused([path(schools, 7)], out, "school7-2026-Q3.xlsx")


def test_xml_entities_are_never_expanded(schools, tmp_path):
    assert openpyxl.DEFUSEDXML  # openpyxl parses with defusedxml when it is installed
    bomb = tmp_path / "бомба.xlsx"
    source = path(schools, 7)
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        data_sheet = _data_sheet_member(src)
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == data_sheet:
                xml = content.decode("utf-8")
                dtd = (
                    '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "ааааааааааааааа">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                )
                content = (dtd + xml.replace("<t>antirisk</t>", "<t>&c;</t>")).encode("utf-8")
            dst.writestr(item, content)
    message = refused([bomb], tmp_path / "s.xlsx", "бомба.xlsx")
    assert message == _("{file} is damaged or is not an XLSX workbook.").format(file="бомба.xlsx")  # defusedxml


def _data_sheet_member(package: zipfile.ZipFile) -> str:
    workbook = package.read("xl/workbook.xml").decode("utf-8")
    rels = package.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    rid = re.search(r'<sheet [^>]*name="data"[^>]*r:id="(rId\d+)"', workbook)[1]
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels
    )
    return "xl/" + target[1].lstrip("/").removeprefix("xl/")


def test_hostile_school_names_stay_text(schools, tmp_path):
    rep = schools["reports"][(7, "2026-Q3")]
    hostile = dataclasses.replace(
        rep, school={**rep.school, "short_name": '=HYPERLINK("http://x","y")', "municipality": "=1+1"}
    )
    source = write_xlsx(hostile, tmp_path / "злая.xlsx")
    out = tmp_path / "s.xlsx"
    consolidate([source, path(schools, 8)], out)
    wb = openpyxl.load_workbook(out)
    found = [
        c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith(('=HYPERLINK("http://x","y")', "=1+1"))
    ]
    assert len(found) >= 3 and all(c.data_type == "s" for c in found)
    with zipfile.ZipFile(out) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in package.read(name).decode("utf-8")


def test_nothing_to_do_and_writing_over_an_input_are_refused(schools, tmp_path):
    with pytest.raises(ConsolidationError):
        consolidate([], tmp_path / "s.xlsx")
    copy = tmp_path / "школа.xlsx"
    copy.write_bytes(path(schools, 7).read_bytes())
    before = copy.read_bytes()
    refused_text = ""
    with pytest.raises(ConsolidationError) as err:
        consolidate([copy, path(schools, 8)], copy)
    refused_text = str(err.value)
    assert "школа.xlsx" in refused_text and copy.read_bytes() == before


def test_read_report_gives_the_figures_and_indicators(schools):
    school = cons.read_report(path(schools, 7))
    rep = schools["reports"][(7, "2026-Q3")]
    assert school.school == rep.school["short_name"] and school.period_label == rep.period.label
    assert school.data["period.key"] == "2026-Q3" and school.data["format_version"] == report.FORMAT_VERSION
    titles = [t for t, _target, _value in school.indicators]
    assert titles == [v for k, v in rep.figures.items() if k.endswith(".title")]


def test_messages_are_translated(schools, tmp_path):
    text = tmp_path / "x.xlsx"
    text.write_bytes(io.BytesIO(b"not a zip").getvalue())
    i18n.set_language("en")
    with pytest.raises(ConsolidationError, match="x.xlsx is not an XLSX workbook"):
        consolidate([text], tmp_path / "s.xlsx")
