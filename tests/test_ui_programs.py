"""The programs page as a deputy director uses it: assess, make programs, approve, track the roadmap."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from models import programs, records, school
from tests.conftest import count, type_into
from ui.main_window import MainWindow
from ui.record_form import RecordDialog


@pytest.fixture
def data(db):
    today = dt.date.today()
    year = school.create_academic_year(db, school.academic_year_start(today))
    factor = records.options(db, "risk_factor")[5][0]
    (program,) = programs.create_programs(db, year, [factor])
    late = records.save(
        db,
        programs.MEASURE,
        {
            "program_id": program,
            "title": "Входная контрольная работа",
            "due_date": (today - dt.timedelta(days=5)).isoformat(),
        },
    )
    soon = records.save(
        db,
        programs.MEASURE,
        {
            "program_id": program,
            "title": "Семинар по ФГОС",
            "due_date": (today + dt.timedelta(days=5)).isoformat(),
        },
    )
    programs.approve(db, program, "112-од", today.isoformat())
    indicator = records.save(
        db, programs.INDICATOR, {"program_id": program, "title": "Качество знаний", "baseline": 30}
    )
    records.save(
        db,
        programs.INDICATOR_VALUE,
        {"indicator_id": indicator, "measured_on": today.isoformat(), "value": 35},
    )
    return {"year": year, "program": program, "late": late, "soon": soon, "factor": factor}


@pytest.fixture
def window(qtbot, db, db_path, data):
    w = MainWindow(db, str(db_path))
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()
    w.deleteLater()
    QApplication.processEvents()


def test_assessing_a_factor_in_its_form(qtbot, db, data):
    fixed = {"academic_year_id": data["year"], "risk_factor_id": data["factor"]}
    dialog = RecordDialog(db, programs.RISK_ASSESSMENT, None, fixed)
    qtbot.addWidget(dialog)
    combo = dialog.form.editors["significance"]
    combo.setCurrentIndex(combo.findData("high"))
    type_into(dialog.form.editors["justification"], "Доля неуспевающих 12%")
    dialog.accept()
    row = db.execute("SELECT significance, justification FROM risk_assessment").fetchone()
    assert row == ("high", "Доля неуспевающих 12%")


def test_programs_made_for_the_selected_factors(qtbot, window, db, monkeypatch):
    page = window.show_page("programs").profile
    page.list.table.selectRow(0)
    page.list.table.selectionModel().select(
        page.list.proxy.index(1, 0),
        page.list.table.selectionModel().SelectionFlag.Select
        | page.list.table.selectionModel().SelectionFlag.Rows,
    )
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    before = count(db, "program")
    page.make_programs()
    assert count(db, "program") == before + 2
    assert "Программа антирисковых мер" in page.list.proxy.index(0, 5).data()


def test_approving_from_the_dialog_keeps_a_version(qtbot, window, db, data):
    from ui.pages.programs import ApproveDialog

    (draft,) = programs.create_programs(db, data["year"], [records.options(db, "risk_factor")[0][0]])
    data = {**data, "program": draft}
    program = records.fetch(db, programs.PROGRAM, draft)
    dialog = ApproveDialog(db, program)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()  # no order yet: refused at its fields
    assert dialog.isVisible() and programs.versions(db, draft) == []
    type_into(dialog.form.editors["order_number"], "112-од")
    type_into(dialog.form.editors["order_date"].line, "10.09.2026")
    dialog.accept()
    assert programs.versions(db, data["program"])[-1]["order_number"] == "112-од"
    assert records.fetch(db, programs.PROGRAM, data["program"])["status"] == "approved"


def test_roadmap_bulk_status_and_overdue_filter(qtbot, window, db, data):
    tab = window.show_page("programs").roadmap
    window.pages["programs"].tabs.setCurrentWidget(tab)
    assert tab.list.proxy.rowCount() == 2
    tab.overdue.setChecked(True)
    assert tab.list.proxy.rowCount() == 1
    tab.overdue.setChecked(False)
    tab.list.table.selectAll()
    tab.new_status.setCurrentIndex(tab.new_status.findData("in_progress"))
    qtbot.mouseClick(window.findChild(type(tab.list.add_button), "apply_status"), Qt.MouseButton.LeftButton)
    assert {r[0] for r in db.execute("SELECT status FROM measure")} == {"in_progress"}


def test_a_wrong_period_date_is_named_and_the_list_stays(qtbot, window, data):
    tab = window.show_page("programs").roadmap
    tab.start.line.setText("45.13.2026")
    tab.list.reload()
    assert "дд.мм.гггг" in tab.period_error.text()
    assert tab.list.proxy.rowCount() == 2


def test_evidence_file_added_and_oversize_refused(qtbot, db, data, tmp_path, monkeypatch):
    from ui.evidence import EvidenceDialog

    dialog = EvidenceDialog(db, records.fetch(db, programs.MEASURE, data["late"]))
    qtbot.addWidget(dialog)
    scan = tmp_path / "протокол.pdf"
    scan.write_bytes(b"%PDF-1.4")
    dialog.add_file(str(scan))
    assert dialog.files.count() == 1
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    monkeypatch.setattr(programs, "EVIDENCE_LIMIT", 3)
    dialog.add_file(str(scan))
    assert warnings and "не более" in warnings[0]
    assert count(db, "evidence") == 1


def test_indicator_chart_shows_the_values(qtbot, window, data):
    tab = window.show_page("programs").indicators
    window.pages["programs"].tabs.setCurrentWidget(tab)
    tab.list.table.selectRow(0)
    assert [v for _d, v in tab.chart.points] == [35.0]
    assert tab.values.model.rowCount() == 1


def test_home_lists_overdue_and_upcoming_and_opens_the_measure(qtbot, window, data, monkeypatch):
    home = window.show_page("home")
    home.reload()
    overdue, upcoming = home.listing("overdue"), home.listing("upcoming")
    assert overdue.model.rowCount() == 1 and upcoming.model.rowCount() == 1
    assert home.tabs.tabText(0).endswith("(1)")
    opened = []
    monkeypatch.setattr(RecordDialog, "exec", lambda self: opened.append(self.form.record_id) or 0)
    overdue.table.selectRow(0)
    overdue.edit_record()
    assert opened == [data["late"]]
    assert window.current_page() is window.pages["programs"]


def test_home_opens_an_indicator_behind_its_target_in_the_indicators_tab(qtbot, window, db, data):
    (indicator,) = [r[0] for r in db.execute("SELECT id FROM indicator")]
    target = {"indicator_id": indicator, "academic_year_id": data["year"], "target": 90}  # 35 now: far behind
    records.save(db, programs.INDICATOR_TARGET, target)
    home = window.show_page("home")
    home.reload()
    listing = home.listing("indicators")
    assert listing.model.rowCount() == 1 and home.tabs.tabText(2).endswith("(1)")
    listing.table.selectRow(0)
    listing.edit_record()
    page = window.pages["programs"]
    assert window.current_page() is page and page.tabs.currentWidget() is page.indicators
    assert page.indicators.list.current()["id"] == indicator


def test_roadmap_import_dialog_previews_and_writes_all_or_nothing(qtbot, db, data, tmp_path, monkeypatch):
    import openpyxl

    from ui.import_roadmap import RoadmapImportDialog

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["№", "Мероприятие", "Сроки", "Ответственные", "Ожидаемый результат", "Форма отчетности"])
    sheet.append(["Работа с обучающимися"])
    sheet.append([1, "Входные контрольные работы", "сентябрь-октябрь", "учителя-предметники", "Дефициты", "Протокол"])
    sheet.append([2, None, "в течение года", "классные руководители", "", ""])
    path = tmp_path / "roadmap.xlsx"
    book.save(path)
    dialog = RoadmapImportDialog(db, str(path), records.fetch(db, programs.PROGRAM, data["program"]))
    qtbot.addWidget(dialog)
    assert dialog.problems.count() == 1 and "строка 4" in dialog.problems.item(0).text()
    before = count(db, "measure")
    type_into(dialog.title, "Дорожная карта из Excel")
    dialog.show()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[-1]))
    dialog.accept()  # refused while a row is invalid and not skipped
    assert shown and count(db, "measure") == before
    dialog.skip.setChecked(True)
    dialog.accept()
    assert count(db, "measure") == before + 1
    assert db.execute("SELECT title FROM program ORDER BY id DESC").fetchone()[0] == "Дорожная карта из Excel"


def test_the_selected_program_stays_selected_when_data_changes(qtbot, window, db, data):
    from ui.bus import bus

    tab = window.show_page("programs").programs
    window.pages["programs"].tabs.setCurrentWidget(tab)
    (second,) = programs.create_programs(db, data["year"], [records.options(db, "risk_factor")[0][0]])
    bus.data_changed.emit()
    tab.programs.select_id(second)
    records.save(db, programs.PROGRAM_TASK, {"program_id": second, "text": "Новая задача"})
    bus.data_changed.emit()
    assert tab.programs.current()["id"] == second
    assert tab.tasks.parent_id == second and tab.tasks.model.rowCount() == 1
