"""The window as a user meets it: real widgets typed into and clicked, results checked in the database."""

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QTableView

from models import programs, records, school, settings
from tests.conftest import count, type_into
from ui.main_window import PAGES, MainWindow
from ui.record_form import RecordDialog
from ui.table_model import SORT_ROLE


@pytest.fixture
def window(qtbot, demo_db, db_path):
    w = MainWindow(demo_db, str(db_path))
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()
    w.deleteLater()  # its pages listen to the data-changed signal; they must go with the test's database
    QApplication.processEvents()


def test_every_page_opens(window):
    for spec in PAGES:
        page = window.show_page(spec.key)
        assert page.isVisible()
    assert "МБОУ" in window.windowTitle() or "МКОУ" in window.windowTitle()


def test_navigation_texts_are_russian(window):
    texts = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert texts[:2] == ["Главная", "Школа и команда"] and "Справочники" in texts


def test_new_staff_member_typed_into_the_form_is_saved(qtbot, db):
    dialog = RecordDialog(db, school.STAFF)
    qtbot.addWidget(dialog)
    editors = dialog.form.editors
    type_into(editors["last_name"], "Белова")
    type_into(editors["first_name"], "Дарья")
    type_into(editors["birth_year"], "1999")
    type_into(editors["hired_on"].line, "01.09.2024")
    editors["young_specialist"].setChecked(True)
    position = editors["position_id"]
    position.setCurrentIndex(position.findText("Учитель"))
    subjects = editors["subjects"]
    subjects.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    row = db.execute("SELECT last_name, birth_year, hired_on, young_specialist FROM staff").fetchone()
    assert row == ("Белова", 1999, "2024-09-01", 1)
    assert count(db, "staff_subject") == 1


def test_wrong_values_are_named_at_their_fields_and_nothing_is_saved(qtbot, db):
    dialog = RecordDialog(db, school.STAFF)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(dialog.form.editors["first_name"], "Дарья")
    type_into(dialog.form.editors["hired_on"].line, "31.02.2024")
    type_into(dialog.form.editors["birth_year"], "девяносто")
    dialog.accept()
    errors = dialog.form.errors
    assert errors["last_name"].isVisible() and "Заполните" in errors["last_name"].text()
    assert "дд.мм.гггг" in errors["hired_on"].text()
    assert "не число" in errors["birth_year"].text()
    assert not errors["first_name"].isVisible()
    assert dialog.isVisible()
    assert count(db, "staff") == 0


def test_date_picked_in_the_calendar_lands_in_the_field(qtbot, db):
    dialog = RecordDialog(db, school.STAFF)
    qtbot.addWidget(dialog)
    date_edit = dialog.form.editors["hired_on"]
    from PySide6.QtCore import QDate

    date_edit._picked(QDate(2025, 8, 28))
    assert date_edit.value() == "28.08.2025"


def test_school_profile_is_edited_in_place(qtbot, window, demo_db):
    page = window.show_page("school")
    form = page.profile.form
    form.editors["short_name"].clear()
    type_into(form.editors["short_name"], "МБОУ «СОШ № 7»")
    qtbot.mouseClick(page.profile.save_button, Qt.MouseButton.LeftButton)
    assert school.school_profile(demo_db)["short_name"] == "МБОУ «СОШ № 7»"


def test_filter_as_you_type_keeps_matching_rows(qtbot, window, demo_db):
    databank_page = window.show_page("databank")
    databank_page.tabs.setCurrentWidget(databank_page.students)
    page = databank_page.students.list
    total = page.proxy.rowCount()
    surname = records.rows(demo_db, school.STUDENT)[0]["last_name"]
    type_into(page.filter, surname.lower()[:5])
    shown = page.proxy.rowCount()
    assert 0 < shown < total
    for row in range(shown):
        assert surname.lower()[:5] in "\n".join(
            str(page.proxy.index(row, c).data()).lower() for c in range(page.proxy.columnCount())
        )
    assert page.counter.text().endswith(f"из {total}")
    page.filter.clear()
    assert page.proxy.rowCount() == total


def test_sorting_a_date_column_sorts_by_date(window):
    page = window.show_page("school").show_tab("staff")
    column = 1 + [f.name for f in page.model.fields].index("hired_on")
    page.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    values = [page.proxy.index(r, column).data(SORT_ROLE) for r in range(page.proxy.rowCount())]
    assert len(set(values)) > 2 and values == sorted(values)


def test_deleting_a_used_item_warns_and_keeps_it(qtbot, window, demo_db, monkeypatch):
    page = window.show_page("reference")
    page.lists.setCurrentRow(list(page.keys).index("position"))
    listing = page.stack.currentWidget()
    row = next(r for r in range(listing.proxy.rowCount()) if listing.proxy.index(r, 1).data() == "Учитель")
    listing.table.selectRow(row)
    warnings = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    before = count(demo_db, "ref_item")
    listing.delete_record()
    assert warnings and "используется" in warnings[0]
    assert count(demo_db, "ref_item") == before


def test_deleting_an_unused_item_removes_it(qtbot, window, demo_db, monkeypatch):
    rtype = records.record_type("report_form")
    new_id = records.save(demo_db, rtype, {"name": "Фотоотчёт"})
    page = window.show_page("reference")
    page.lists.setCurrentRow(list(page.keys).index("report_form"))
    listing = page.stack.currentWidget()
    listing.reload()
    listing.select_id(new_id)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    listing.delete_record()
    assert records.fetch(demo_db, rtype, new_id) is None


def test_adding_the_next_academic_year_from_the_page(qtbot, window, demo_db):
    page = window.show_page("school")
    page.tabs.setCurrentWidget(page.years)
    before = count(demo_db, "academic_year")
    page.years.add_next_year()
    assert count(demo_db, "academic_year") == before + 1
    assert page.years.master.model.rowCount() == before + 1


def test_first_start_wizard_creates_the_school(qtbot, db):
    from ui.wizard import SetupDialog

    dialog = SetupDialog(db)
    qtbot.addWidget(dialog)
    editors = dialog.form.editors
    type_into(editors["full_name"], "Муниципальное бюджетное общеобразовательное учреждение «СОШ № 3»")
    type_into(editors["short_name"], "МБОУ «СОШ № 3»")
    type_into(editors["director_last_name"], "Орлова")
    type_into(editors["director_first_name"], "Нина")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert school.school_profile(db)["short_name"] == "МБОУ «СОШ № 3»"
    assert school.academic_year_on(db, dt.date.today()) is not None


def test_first_start_wizard_refuses_an_empty_form(qtbot, db):
    from ui.wizard import SetupDialog

    dialog = SetupDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.form.errors["short_name"].isVisible()
    assert count(db, "school") == 0 and count(db, "staff") == 0


def test_first_start_wizard_opens_the_demo_school(qtbot, db):
    from ui.wizard import SetupDialog

    dialog = SetupDialog(db)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert dialog.used_demo and count(db, "student") > 300


def test_unexpected_error_reaches_one_dialog_and_the_log(qtbot, tmp_path, monkeypatch):
    from ui import app, error_dialog

    shown = []
    monkeypatch.setattr(error_dialog.ErrorDialog, "exec", lambda self: shown.append(self.report.toPlainText()))
    log_file = tmp_path / "antirisk.log"
    handler = app.ErrorHandler(str(log_file))
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as exc:
        handler(type(exc), exc, exc.__traceback__)
    assert shown and "ZeroDivisionError" in shown[0]
    assert handler.errors


def test_language_choice_is_remembered(qtbot, window):
    page = window.show_page("settings")
    page.language.setCurrentIndex(page.language.findData("en"))
    assert settings.load()["language"] == "en"
    page.language.setCurrentIndex(page.language.findData("ru"))
    assert settings.load()["language"] == "ru"


def test_window_geometry_is_remembered(qtbot, demo_db, db_path):
    first = MainWindow(demo_db, str(db_path))
    qtbot.addWidget(first)
    first.resize(700, 500)
    first.show()
    first.close()
    assert QSettings().value("main_window/geometry") is not None
    second = MainWindow(demo_db, str(db_path))
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (700, 500)


def test_shortcuts_are_standard(window):
    from PySide6.QtGui import QKeySequence

    shortcuts = {
        a.objectName(): a.shortcut() for a in window.findChildren(type(window.menuBar().actions()[0]))
    }
    assert shortcuts["action_new"] == QKeySequence(QKeySequence.StandardKey.New)
    assert shortcuts["action_find"] == QKeySequence(QKeySequence.StandardKey.Find)
    assert shortcuts["action_print"] == QKeySequence(QKeySequence.StandardKey.Print)
    assert shortcuts["action_help"] == QKeySequence(QKeySequence.StandardKey.HelpContents)


def test_ctrl_f_focuses_the_filter(qtbot, window):
    window.show_page("databank")
    window.activateWindow()
    window._find()
    assert isinstance(window.pages["databank"].findChild(QTableView), QTableView)


@pytest.mark.parametrize("visible_too", [False, True])
def test_a_hidden_tab_refreshes_when_shown_and_a_visible_one_at_once_if_it_asks(qtbot, visible_too):
    from PySide6.QtWidgets import QWidget

    from ui.bus import bus
    from ui.pages.common import RefreshOnShow

    class Tab(RefreshOnShow, QWidget):
        refresh_visible = visible_too

        def __init__(self):
            super().__init__()
            self.refreshed = 0
            self.watch_data()

        def refresh(self):
            self.refreshed += 1

    tab = Tab()
    qtbot.addWidget(tab)
    bus.data_changed.emit()
    bus.data_changed.emit()
    assert tab.refreshed == 0  # hidden: no work
    tab.show()
    assert tab.refreshed == 1  # once, however many changes
    tab.hide()
    tab.show()
    assert tab.refreshed == 1  # nothing changed meanwhile
    bus.data_changed.emit()
    assert tab.refreshed == (2 if visible_too else 1)


@pytest.mark.parametrize("rtype", [school.STAFF, school.STUDENT, programs.INDICATOR])
def test_the_lists_delegate_makes_the_same_options_as_qts_own(qtbot, demo_db, rtype):
    from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

    from ui.record_page import RecordListPage
    from ui.table_model import RecordDelegate

    page = RecordListPage(demo_db, rtype)
    qtbot.addWidget(page)
    page.resize(1280, 600)
    page.show()
    if rtype is programs.INDICATOR:  # a program's indicators: the program with the most
        page.set_parent_id(demo_db.execute(
            "SELECT program_id FROM indicator GROUP BY program_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0])
    delegate = page.table.itemDelegate()
    assert isinstance(delegate, RecordDelegate)
    qt = QStyledItemDelegate(page.table)
    page.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # the proxy's order, not the source's
    page.filter.setText("а" if rtype is not programs.INDICATOR else "")
    view_option = QStyleOptionViewItem()
    page.table.initViewItemOption(view_option)  # what the view gives every cell it paints…
    alternate = QStyleOptionViewItem.ViewItemFeature.Alternate
    checked = right = 0
    for row in range(min(30, page.proxy.rowCount())):
        for column in range(page.proxy.columnCount()):
            index = page.proxy.index(row, column)
            ours, theirs = QStyleOptionViewItem(view_option), QStyleOptionViewItem(view_option)
            if row % 2:  # …and, as its paintEvent does, Alternate on every other row of alternating colours
                ours.features |= alternate
                theirs.features |= alternate
            delegate.initStyleOption(ours, index)
            qt.initStyleOption(theirs, index)
            assert (ours.text, ours.displayAlignment, ours.features) == (
                theirs.text, theirs.displayAlignment, theirs.features), (row, column)
            checked += 1
            right += bool(ours.displayAlignment & Qt.AlignmentFlag.AlignRight)
    assert checked > (20 if rtype is programs.INDICATOR else 100) and right > (0 if rtype is programs.INDICATOR else -1)
    page.table.setAlternatingRowColors(False)  # a view without alternate rows: no Alternate from the delegate
    ours = QStyleOptionViewItem(view_option)
    delegate.initStyleOption(ours, page.proxy.index(1, 1))
    assert not ours.features & alternate


def test_home_shows_the_school_s_names_as_typed(qtbot, demo_db):
    """A name with markup characters and quotes is text on Home: its title and lines are never read as HTML."""
    from PySide6.QtWidgets import QLabel

    from ui.pages.home import HomePage

    name, place = '<b>Школа</b> № 5 & "Друзья"', "Район «Ясный» <i>&amp;</i>"
    with demo_db.conn:
        demo_db.execute("UPDATE school SET short_name = ?, municipality = ?", [name, place])
    page = HomePage(demo_db)
    qtbot.addWidget(page)
    page.show()
    page.reload()
    assert page.title.text() == name and place in page.subtitle.text()
    labels = [page.title, page.subtitle, *page.figures.findChildren(QLabel)]
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)


def test_the_start_s_qt_values_are_qt_s_own():
    from ui import qt_values

    assert qt_values.DISPLAY_ROLE == Qt.ItemDataRole.DisplayRole.value
    assert qt_values.TOOLTIP_ROLE == Qt.ItemDataRole.ToolTipRole.value
    assert qt_values.TEXT_ALIGNMENT_ROLE == Qt.ItemDataRole.TextAlignmentRole.value
    assert qt_values.USER_ROLE == Qt.ItemDataRole.UserRole.value
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    assert qt_values.ALIGN_RIGHT_MIDDLE == right.value


def test_an_enum_property_set_by_name_is_set_and_a_misspelt_one_refused(qtbot):
    from PySide6.QtWidgets import QLabel

    from ui.qt_values import set_enum_property

    label = QLabel("<b>x</b>")
    qtbot.addWidget(label)
    set_enum_property(label, "textFormat", "PlainText")
    assert label.textFormat() == Qt.TextFormat.PlainText
    for name, key in (("textFormat", "Plaintext"), ("textFormatt", "RichText")):
        with pytest.raises(ValueError, match=name):
            set_enum_property(label, name, key)
        assert label.textFormat() == Qt.TextFormat.PlainText


def test_a_list_s_header_shows_its_titles_and_keeps_them_when_the_rows_are_read_again(qtbot, demo_db):
    from models.i18n import _
    from ui.record_page import RecordListPage

    page = RecordListPage(demo_db, school.STAFF)
    qtbot.addWidget(page)
    page.resize(1280, 600)
    page.show()
    header = page.table.horizontalHeader()
    titles = [header.model().headerData(c, Qt.Orientation.Horizontal) for c in range(header.count())]
    assert titles == ["№"] + [_(f.label) for f in school.STAFF.list_fields] == page.proxy.titles()
    assert header.count() == page.proxy.columnCount() and header.model() is not page.proxy
    page.reload()  # a reset of the model with the same columns
    assert header.count() == page.proxy.columnCount()
    assert [header.model().headerData(c, Qt.Orientation.Horizontal) for c in range(header.count())] == titles


def test_a_click_on_a_column_s_title_sorts_the_list_and_a_second_click_reverses_it(qtbot, window):
    page = window.show_page("school").show_tab("staff")
    header = page.table.horizontalHeader()
    column = 1 + [f.name for f in page.model.fields].index("hired_on")
    assert not header.isSortIndicatorShown()  # the rows in their own order until a click

    def click() -> list:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
        return [page.proxy.index(r, column).data(SORT_ROLE) for r in range(page.proxy.rowCount())]

    values = click()
    assert len(set(values)) > 2 and values == sorted(values)
    assert header.isSortIndicatorShown() and header.sortIndicatorSection() == column
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    values = click()
    assert values == sorted(values, reverse=True) and header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_a_printed_list_has_its_titles_and_the_rows_shown_in_their_order(qtbot, demo_db):
    from models.i18n import _
    from ui.printing import table_html
    from ui.record_page import RecordListPage

    page = RecordListPage(demo_db, school.STAFF)
    qtbot.addWidget(page)
    page.show()
    page.table.setColumnHidden(0, True)  # the № column hidden: not printed
    column = 1 + [f.name for f in page.model.fields].index("last_name")
    page.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    surname = page.proxy.index(0, column).data()
    type_into(page.filter, surname)
    shown = [page.proxy.index(r, column).data() for r in range(page.proxy.rowCount())]
    assert 0 < len(shown) < page.model.rowCount()
    html = table_html(page.table, "Сотрудники <все>")
    heads = [f"<th>{_(f.label)}</th>" for f in school.STAFF.list_fields]
    assert all(h in html for h in heads) and "<th>№</th>" not in html
    assert "Сотрудники &lt;все&gt;" in html and html.count("<tr>") == len(shown) + 1
    positions = [html.index(f"<td>{name}</td>") for name in shown]
    assert positions == sorted(positions)


def test_target_labels_of_near_values_are_spread_so_none_covers_another():
    from ui.chart import spread_labels

    height = 14
    wanted = [(10, 100, 80), (10, 104, 80), (10, 96, 60), (10, 150, 80), (10, 108, 30)]
    lefts = spread_labels(wanted, height)
    assert lefts[0] == 10 and lefts[3] == 10  # nothing in their way: where they were wanted
    assert all(left > 10 for left in (lefts[1], lefts[2], lefts[4]))  # each near another moved right
    boxes = [(left, top, left + width) for left, (_x, top, width) in zip(lefts, wanted)]
    for i, (l1, t1, r1) in enumerate(boxes):
        for l2, t2, r2 in boxes[i + 1 :]:
            assert not (abs(t1 - t2) < height and l1 < r2 and l2 < r1), boxes
