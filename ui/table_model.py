"""The one table model and its filter proxy: any record type's list, sortable, filtered as the user types."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from models.i18n import _
from models.records import Field, Kind, Lookups, RecordType, display_value

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # the raw value, so dates and numbers sort as such
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the whole row dict
_NUMERIC = (Kind.INT, Kind.NUMBER, Kind.BOOL)


def _sort_key(f: Field, value, shown: str):
    # One type per column, so Qt compares natively: numbers as floats, the rest as folded text.
    if f.kind in _NUMERIC:
        return float(value) if value is not None else float("-inf")
    if f.kind is Kind.DATE:
        return value or ""
    return shown.casefold()


class RecordTableModel(QAbstractTableModel):
    COL_ID = 0  # the first column is the number the app shows for the record (`--id` on the command line)

    def __init__(self, rtype: RecordType, parent=None):
        super().__init__(parent)
        self.rtype = rtype
        self.fields = rtype.list_fields
        self._rows: list[dict] = []
        self._shown: list[list[str]] = []
        self._keys: list[list] = []
        self.search_text: list[str] = []

    def set_rows(self, rows: list[dict], lookups: Lookups) -> None:
        self.beginResetModel()
        self._rows = rows
        self._shown = [
            [str(r["id"])] + [display_value(f, r.get(f.name), lookups) for f in self.fields] for r in rows
        ]
        self._keys = [
            [float(r["id"])] + [_sort_key(f, r.get(f.name), s) for f, s in zip(self.fields, shown[1:])]
            for r, shown in zip(rows, self._shown)
        ]
        self.search_text = ["\n".join(shown).casefold() for shown in self._shown]
        self.endResetModel()

    def row(self, source_row: int) -> dict:
        return self._rows[source_row]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields) + 1

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            return self._shown[index.row()][index.column()]
        if role == SORT_ROLE:
            return self._keys[index.row()][index.column()]
        if role == ROW_ROLE:
            return self._rows[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            if self.fields[index.column() - 1].kind in _NUMERIC[:2]:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return "№" if section == 0 else _(self.fields[section - 1].label)


class RecordFilterProxy(QSortFilterProxyModel):
    """Sorts on SORT_ROLE; keeps the rows whose text holds every word typed in the filter."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._words: list[str] = []

    def set_filter_text(self, text: str) -> None:
        if not hasattr(self, "beginFilterChange"):  # Qt < 6.9
            self._words = text.casefold().split()
            self.invalidateRowsFilter()
            return
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if not self._words:
            return True
        haystack = self.sourceModel().search_text[source_row]
        return all(w in haystack for w in self._words)
