"""Small pieces the pages share: a page heading and a note."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def note(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(
        "QLabel { background: #f3f6fa; border: 1px solid #d5dde8; border-radius: 4px; padding: 10px; }"
    )
    return label


class TabbedPage(QWidget):
    """A page of tabs (`self.tabs`): Ctrl+N and Ctrl+F go to the tab on screen."""

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
