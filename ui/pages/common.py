"""Small pieces the pages share: a page heading and an honest note of what a page will hold."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


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


class PlannedPage(QWidget):
    """A page that a later version fills: says plainly what will be here."""

    def __init__(self, title: str, text: str, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title, self))
        layout.addWidget(note(text, self))
        layout.addStretch(1)
