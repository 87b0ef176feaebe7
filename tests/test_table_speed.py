"""A keystroke in a list's filter: one layout of the table, one paint of the header, no layout of the bar."""


from models import school


def test_a_keystroke_lays_out_and_paints_once(qtbot, demo_db):
    """Filtering: the counter keeps one size (no layout of the bar), the header is painted once."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from ui.record_page import RecordListPage

    page = RecordListPage(demo_db, school.STUDENT)
    qtbot.addWidget(page)
    page.resize(1000, 500)
    page.show()
    qtbot.wait(10)
    header = page.table.horizontalHeader().viewport()
    seen = []

    class Watch(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and watched is header:
                seen.append("header")
            elif event.type() == QEvent.Type.LayoutRequest and watched is page:
                seen.append("layout")
            return False

    page.filter.setText("а")
    qtbot.wait(10)
    size = page.counter.size()
    watch = Watch()
    QApplication.instance().installEventFilter(watch)
    try:
        for text in ("ан", "а", "ан"):
            seen.clear()
            page.filter.setText(text)
            qtbot.wait(10)
            assert seen.count("header") == 1 and "layout" not in seen, (text, seen)
            assert page.counter.size() == size
    finally:
        QApplication.instance().removeEventFilter(watch)
    page.filter.setText("")
    qtbot.wait(10)
    assert page.counter.minimumWidth() == 0  # unfiltered: its own size again
