"""Small pieces the pages share: a page heading, a note, a tabbed page, refreshing when shown."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ui.bus import bus
from ui.qt_values import set_enum_property


class RefreshOnShow:
    """For a page or tab that shows stored data (put it before QWidget in the bases): a change anywhere
    (`bus.data_changed`) only marks it stale, and `refresh()` runs when it is next shown, so a hidden tab does no
    work. With `refresh_visible`, one on screen refreshes at once."""

    refresh_visible = False
    _stale = False

    def watch_data(self, stale: bool = False) -> None:
        """Start listening; `stale`: refresh at the first show too."""
        self._stale = stale
        bus.data_changed.connect(self._mark_stale)

    def _mark_stale(self) -> None:
        self._stale = True
        if self.refresh_visible and self.isVisible():
            self._refresh_now()

    def showEvent(self, event) -> None:
        if self._stale:
            self._refresh_now()
        super().showEvent(event)

    def _refresh_now(self) -> None:
        self._stale = False
        self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError


def heading(text: str, parent: QWidget) -> QLabel:
    """A page's title, large and bold; shown as it is (a school's name with "<" or "&" is not markup)."""
    label = plain_label(text, parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def plain_label(text: str, parent: QWidget) -> QLabel:
    """A label that shows its text as it is: a quote or an ampersand in a school's name is not markup."""
    label = QLabel(text, parent)
    set_enum_property(label, "textFormat", "PlainText")  # the start's labels: no `Qt` namespace (ui.qt_values)
    return label


def confirm(parent: QWidget, title: str, question: str) -> bool:
    """Yes or No to a step that removes something; No is the default, so Enter keeps the data."""
    from PySide6.QtWidgets import QMessageBox  # its class (and enums) made when first asked, not at start

    answer = QMessageBox.question(
        parent, title, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )  # fmt: skip
    return answer == QMessageBox.StandardButton.Yes


def note(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(
        "QLabel { background: #f3f6fa; border: 1px solid #d5dde8; border-radius: 4px; padding: 10px; }"
    )
    return label


class TabbedPage(QWidget):
    """A page of tabs (`self.tabs`), each made when it is first shown or asked for (`tab(key)`): opening the page
    builds the tab on screen only. Ctrl+N and Ctrl+F go to the tab on screen.

    Until it is made, a tab holds an empty placeholder; the made widget then takes the placeholder's place, so
    `tabs.currentWidget()` is the tab's own widget. A subclass names its tabs with `tab_attribute`."""

    def __init__(self, title: str, parent=None):
        """The page's `title` as its heading, the tabs below it."""
        super().__init__(parent)
        self.tabs = QTabWidget(self)
        self._makers: dict[str, Callable[[], QWidget]] = {}
        self._made: dict[str, QWidget] = {}
        self.tabs.currentChanged.connect(self._tab_shown)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title, self))
        layout.addWidget(self.tabs)

    def add_tab(self, key: str, title: str, make: Callable[[], QWidget]) -> None:
        """A tab titled `title` whose widget `make()` builds (the first tab added is built at once: it is on screen)."""
        self._makers[key] = make
        self.tabs.addTab(QWidget(self.tabs), title)

    def tab(self, key: str) -> QWidget:
        """The widget of the tab `key`, made now if it has not been yet (it is not shown by this)."""
        widget = self._made.get(key)
        if widget is None:
            widget = self._made[key] = self._makers[key]()
            index = list(self._makers).index(key)
            placeholder, current = self.tabs.widget(index), self.tabs.currentIndex() == index
            self.tabs.blockSignals(True)  # the swap is not a change of tab
            title = self.tabs.tabText(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, widget, title)
            if current:
                self.tabs.setCurrentIndex(index)
            self.tabs.blockSignals(False)
            placeholder.deleteLater()
        return widget

    def show_tab(self, key: str) -> QWidget:
        widget = self.tab(key)
        self.tabs.setCurrentWidget(widget)
        return widget

    def _tab_shown(self, index: int) -> None:
        if index >= 0:
            self.tab(list(self._makers)[index])

    def new_record(self) -> None:
        page = self.tabs.currentWidget()
        if hasattr(page, "new_record"):
            page.new_record()

    def focus_filter(self) -> None:
        page = self.tabs.currentWidget()
        if hasattr(page, "focus_filter"):
            page.focus_filter()
        elif hasattr(page, "list"):
            page.list.focus_filter()


def tab_attribute(key: str) -> property:
    """A TabbedPage's tab as an attribute (`students = tab_attribute("students")`), made when first read."""
    return property(lambda page: page.tab(key), doc=f"The {key!r} tab (made when first read).")
