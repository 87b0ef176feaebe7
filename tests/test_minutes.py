"""The minutes of a held meeting as PDF, read back with pdftotext: the customary Russian form, literal user text,
and a clear refusal (nothing written) for a meeting that has no minutes."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from models import meetings, minutes, records, school
from tests.conftest import ROOT

# people and years are fixtures shared with the meetings tests
from tests.test_meetings import TODAY, decision, meeting, people, years  # noqa: F401

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def held(db, people):  # noqa: F811
    records.save(
        db,
        school.SCHOOL,
        {
            "full_name": "Муниципальное бюджетное общеобразовательное учреждение "
            "«Средняя общеобразовательная школа № 19»",
            "short_name": "МБОУ «СОШ № 19»",
        },
    )
    m = meeting(db, "2026-10-15", time="14:30", place="Кабинет директора")
    meetings.hold(
        db,
        m,
        chair_id=people["director"],
        secretary_id=people["secretary"],
        add_working_group=True,
        add_curator=True,
        today=TODAY,
    )
    absent = meetings.save_participant(db, {"meeting_id": m, "staff_id": people["teacher"]})
    meetings.set_presence(db, [absent], present=False)
    first = records.save(
        db,
        meetings.AGENDA_ITEM,
        {
            "meeting_id": m,
            "position": 1,
            "title": "О результатах входных контрольных работ",
            "speaker": "Орлова Н. И., заместитель директора по УВР",
            "heard": "успеваемость по математике — 74 %, по русскому языку — 71 %.",
        },
    )
    second = records.save(
        db,
        meetings.AGENDA_ITEM,
        {"meeting_id": m, "position": 2, "title": "О графике встреч", "heard": "о семи встречах <b>& не только</b>"},
    )
    decision(
        db,
        m,
        "Сформировать банк данных обучающихся",
        agenda_item_id=first,
        owner_id=people["deputy"],
        due_date="2026-11-30",
    )
    decision(
        db,
        m,
        "Провести родительские собрания",
        agenda_item_id=first,
        owner_text="классные руководители 5–9 классов",
        due_date="2026-11-20",
    )
    decision(db, m, "Разместить график на сайте школы", agenda_item_id=second, owner_id=people["secretary"])
    decision(db, m, "Принять к сведению информацию куратора")
    return m


@needs_pdftotext
def test_minutes_in_the_customary_form(db, held, tmp_path):
    out = minutes.print_minutes(db, held, tmp_path / "протокол.pdf")
    text = pdf_text(out)
    flat = " ".join(text.split())
    for words in (
        "«Средняя общеобразовательная школа № 19»",
        "ПРОТОКОЛ № 1",
        "Рабочая встреча с куратором",
        "15.10.2026, 14:30",
        "Кабинет директора",
        "Председатель: Соколова М. П.",
        "Секретарь: Ильина О. С.",
        "ПОВЕСТКА ДНЯ:",
        "1. О результатах входных контрольных работ (Орлова Н. И., заместитель",
        "1. СЛУШАЛИ: Орлова Н. И., заместитель директора по УВР — успеваемость по математике",
        "РЕШИЛИ:",
        "1.1. Сформировать банк данных обучающихся",
        "Ответственный: Орлова Н. И., срок: 30.11.2026.",
        "1.2. Провести родительские собрания",
        "Ответственный: классные руководители 5–9 классов, срок: 20.11.2026.",
        "2. СЛУШАЛИ: о семи встречах <b>& не только</b>",
        "2.1. Разместить график на сайте школы Ответственный: Ильина О. С.",
        "1. Принять к сведению информацию куратора",
        "М. П. Соколова",
        "О. С. Ильина",
        "стр. 1 из 1",
    ):
        assert words in flat, words
    assert "ПРИСУТСТВОВАЛИ:" in flat.upper()
    present = flat.split("Присутствовали:")[1].split("Отсутствовали:")[0]
    assert (
        "Соколова М. П." in present
        and "Белова Анна Викторовна (куратор, директор МБОУ «Гимназия № 2»)" in present
        and "Зайцев" not in present
    )
    assert "Отсутствовали: Зайцев И. П." in flat
    assert flat.index("СЛУШАЛИ") < flat.index("РЕШИЛИ") < flat.index("М. П. Соколова")


@pytest.mark.parametrize("status", ["planned", "cancelled", "unknown"])
def test_no_minutes_for_a_meeting_not_held_and_nothing_written(db, years, tmp_path, status):  # noqa: F811
    meeting_id = 999 if status == "unknown" else meeting(db, status=status)
    out = tmp_path / "out" / "протокол.pdf"
    out.parent.mkdir()
    with pytest.raises(minutes.MinutesError) as caught:
        minutes.print_minutes(db, meeting_id, out)
    expected = {
        "planned": f"Встреча № {meeting_id} ещё не проведена",
        "cancelled": "не состоялась: протокола у неё нет",
        "unknown": "Встречи № 999 нет.",
    }[status]
    assert expected in str(caught.value)
    assert list(out.parent.iterdir()) == []


@needs_pdftotext
def test_minutes_of_a_bare_meeting_still_read_well(db, years, tmp_path):  # noqa: F811
    m = meeting(db, "2026-10-15", "held")
    text = " ".join(pdf_text(minutes.print_minutes(db, m, tmp_path / "m.pdf")).split())
    assert "ПРОТОКОЛ № 1" in text and "Председатель: —" in text and "ПОВЕСТКА" not in text


def test_print_minutes_from_the_command_line(db, db_path, held, tmp_path):
    out = tmp_path / "minutes.pdf"
    db.conn.close()
    command = [sys.executable, "main.py", "print", "minutes", "--db", str(db_path), "--pdf", str(out)]
    done = subprocess.run([*command, "--id", str(held)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")
    out.unlink()
    refused = subprocess.run([*command, "--id", "999"], cwd=ROOT, capture_output=True, text=True)
    assert refused.returncode != 0 and "999" in refused.stderr and not out.exists()
