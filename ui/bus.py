"""One signal that tells every page the data changed, so a page reloads only when it is next shown."""

from PySide6.QtCore import QObject, Signal


class _Bus(QObject):
    data_changed = Signal()


bus = _Bus()
