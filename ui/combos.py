"""Choice boxes that keep the window narrow: a long program title must not widen the page past 1366 px."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget


def compact(combo: QComboBox, chars: int = 22) -> QComboBox:
    """Size the box for `chars` characters whatever its items; the open list still shows them whole."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    combo.view().setMinimumWidth(360)
    return combo


def make_combo(
    parent: QWidget, items: list[tuple[object, str]] = (), first: str | None = None, chars: int = 22
) -> QComboBox:
    """A compact box with an optional first item meaning "no filter" (data None)."""
    combo = compact(QComboBox(parent), chars)
    refill(combo, items, first)
    return combo


def refill(combo: QComboBox, items: list[tuple[object, str]], first: str | None = None) -> None:
    """Replace the choices, keeping the chosen one when it is still there; no change signal is sent."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    if first is not None:
        combo.addItem(first, None)
    for value, label in items:
        combo.addItem(label, value)
    combo.setCurrentIndex(max(0, combo.findData(chosen)))
    combo.blockSignals(False)
