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
