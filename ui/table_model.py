"""The one table model and its filter proxy: any record type's list, sortable, filtered as the user types.

Both keep their work in Python lists, so that a list of 10,000 pupils filters within a keystroke: the model turns
each row into the texts shown, the sort keys and one folded search text once per reload (each distinct value of a
column is formatted once), and the proxy filters and sorts those lists in bulk. Qt asks Python only for the cells
on screen, never once per row of the list — a QSortFilterProxyModel calls its filterAcceptsRow and lessThan per
row and per comparison, which from Python costs more than a keystroke's time.

A start shows these lists, so nothing here names PySide6's `Qt` namespace at import or while a list is made, filled
and painted (ui.qt_values says why): the roles are plain numbers, the header shows its titles from a C++ model of
their texts, and sorting starts from the header's click.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QMetaObject, QModelIndex
from PySide6.QtGui import QFont, QStandardItemModel
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTableView

from models.i18n import _
from models.records import Field, Kind, Lookups, RecordType, display_value
from ui.qt_values import (
    ALIGN_RIGHT_MIDDLE,
    DISPLAY_ROLE,
    TEXT_ALIGNMENT_ROLE,
    TOOLTIP_ROLE,
    USER_ROLE,
    set_enum_property,
)

SORT_ROLE = USER_ROLE + 1  # the raw value, so dates and numbers sort as such
ROW_ROLE = USER_ROLE + 2  # the whole row dict
_NUMERIC = (Kind.INT, Kind.NUMBER, Kind.BOOL)

# Roles as plain ints: data() is called for every role of every cell painted, and int comparison is the cheap one.
_DISPLAY, _TOOLTIP, _ALIGN, _SORT, _ROW = DISPLAY_ROLE, TOOLTIP_ROLE, TEXT_ALIGNMENT_ROLE, SORT_ROLE, ROW_ROLE
_HAS_DISPLAY = QStyleOptionViewItem.ViewItemFeature.HasDisplay
_EVEN_ROW = _HAS_DISPLAY  # a cell's features, as a table view and Qt's delegate make them for this model
_ODD_ROW = _HAS_DISPLAY | QStyleOptionViewItem.ViewItemFeature.Alternate  # …on every other row of alternate colours
_ROLES = frozenset((_DISPLAY, _TOOLTIP, _ALIGN, _SORT, _ROW))  # the roles the model answers


def _sort_key(f: Field, value, shown: str):
    # One type per column, so keys compare natively: numbers as floats, the rest as folded text.
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
        self._longest: list[list[str]] = []
        self._right = {i + 1 for i, f in enumerate(self.fields) if f.kind in _NUMERIC[:2]}

    def set_rows(self, rows: list[dict], lookups: Lookups) -> None:
        # Each distinct value of a column is formatted (a date, a choice's label, a referenced record's name) once.
        columns = []
        for f in self.fields:
            memo: dict = {}
            values = [r.get(f.name) for r in rows]
            shown_col, key_col = [], []
            for value in values:
                key = tuple(value) if isinstance(value, list) else value
                try:
                    hit = memo[key]
                except KeyError:
                    text = display_value(f, value, lookups)
                    hit = memo[key] = (text, _sort_key(f, value, text))
                except TypeError:  # an unhashable value: formatted each time
                    text = display_value(f, value, lookups)
                    hit = (text, _sort_key(f, value, text))
                shown_col.append(hit[0])
                key_col.append(hit[1])
            columns.append((shown_col, key_col))
        # Computed rows (a summary by category) may have no id: their № column is hidden, they keep their order.
        ids = [r.get("id") for r in rows]
        shown = [["" if i is None else str(i)] for i in ids]
        keys = [[float(n if i is None else i)] for n, i in enumerate(ids)]
        for shown_col, key_col in columns:
            for row_shown, text in zip(shown, shown_col):
                row_shown.append(text)
            for row_keys, key in zip(keys, key_col):
                row_keys.append(key)
        # The longest texts of each column, for the view to size its columns without measuring every cell.
        self._longest = [sorted({s[0] for s in shown}, key=len)[-8:]]
        self._longest += [sorted({t for t in col[0]}, key=len)[-8:] for col in columns]
        self.beginResetModel()
        self._rows, self._shown, self._keys = rows, shown, keys
        self.search_text = ["\n".join(s).casefold() for s in shown]
        self.endResetModel()

    def longest_texts(self, column: int) -> list[str]:
        """A few of the longest texts shown in `column` (by characters), to measure the column's width by."""
        return self._longest[column] if column < len(self._longest) else []

    def row(self, source_row: int) -> dict:
        return self._rows[source_row]

    def sort_keys(self, column: int) -> list:
        """The sort key of every row in `column` (SORT_ROLE's values), in source order."""
        return [k[column] for k in self._keys]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields) + 1

    def cell(self, row: int, column: int, role: int):
        """data() of a cell given by numbers: the proxy asks this directly, without making a source index."""
        if role == _DISPLAY or role == _TOOLTIP:
            return self._shown[row][column]
        if role == _SORT:
            return self._keys[row][column]
        if role == _ROW:
            return self._rows[row]
        if role == _ALIGN and column in self._right:
            return ALIGN_RIGHT_MIDDLE
        return None

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        if role not in _ROLES or not index.isValid():  # a painted cell is asked for seven roles; we answer three
            return None
        return self.cell(index.row(), index.column(), role)

    def titles(self) -> list[str]:
        """The columns' titles, which a list's header shows (RecordTableView). There is no headerData(): a
        header asking it from Python would make the `Qt` namespace at start (ui.qt_values)."""
        return ["№"] + [_(f.label) for f in self.fields]


def _emit(model: QAbstractItemModel, signal: str) -> None:
    """Emit a model's argument-less signal from C++. PySide6 6.12.0's Signal.emit() drops a reference to True on
    Python < 3.12 (True is not immortal there) and a program that emits it often enough crashes with
    "deallocating True"; invokeMethod has no such leak."""
    from PySide6.QtCore import Qt  # not at start: a list is filled without it (a reset, not a layout change)

    QMetaObject.invokeMethod(model, signal, Qt.ConnectionType.DirectConnection)


_RESETTING_SIGNALS = (
    ("modelAboutToBeReset", "modelReset"),
    ("rowsAboutToBeInserted", "rowsInserted"),
    ("rowsAboutToBeRemoved", "rowsRemoved"),
    ("rowsAboutToBeMoved", "rowsMoved"),
    ("columnsAboutToBeInserted", "columnsInserted"),
    ("columnsAboutToBeRemoved", "columnsRemoved"),
    ("columnsAboutToBeMoved", "columnsMoved"),
    ("layoutAboutToBeChanged", "layoutChanged"),
)


class RecordFilterProxy(QAbstractTableModel):
    """Sorts on SORT_ROLE; keeps the rows whose text holds every word typed in the filter.

    The rows shown are a list of source rows: a new filter text or sort order computes it anew in Python (typing
    on narrows the rows shown before, not all of them) and announces it as one layout change, moving the selected
    and current rows along (a row that is filtered away loses its selection).

    A proxy in all but its base class: mapToSource, mapFromSource and sourceModel are its own. As a table model
    its flags() is Qt's C++ one (selectable, enabled, no children: a list is never edited in place), which a table
    view asks for every cell it paints; a QAbstractProxyModel's asks its mapToSource(), a call into Python and two
    model indexes a cell — a fifth of a repaint. A Python flags() would have to answer a `Qt` enum: the start
    does without the `Qt` namespace (ui.qt_values).
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._words: list[str] = []
        self._sort_column = -1
        self._descending = False
        self._order: list[int] = []  # every source row, in the sort order
        self._rows: list[int] = []  # the source rows shown, in the sort order
        self._pos: list[int] | None = None  # source row → proxy row (-1: filtered out), made when needed
        self._columns = 0
        self._connections: list = []
        self._source: QAbstractItemModel | None = None
        self.table_model: RecordTableModel | None = None  # the source when it is one: its cells asked by number
        self._announcing = False  # a layout change is being announced (see _relayout)

    # ---- the source ---------------------------------------------------------------------------------------------

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        self.beginResetModel()
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []
        self._source = model
        self.table_model = model if isinstance(model, RecordTableModel) else None
        if model is not None:
            for before, after in _RESETTING_SIGNALS:
                self._connect(getattr(model, before), self._source_changing)
                self._connect(getattr(model, after), self._source_changed)
            self._connect(model.dataChanged, self._source_data_changed)
        self._rebuild()
        self.endResetModel()

    def sourceModel(self) -> QAbstractItemModel | None:
        return self._source

    def _connect(self, signal, slot) -> None:
        signal.connect(slot)
        self._connections.append((signal, slot))

    def _source_changing(self, *args) -> None:
        self.beginResetModel()

    def _source_changed(self, *args) -> None:
        self._rebuild()
        self.endResetModel()

    def _source_data_changed(self, *args) -> None:
        self._relayout(self._filtered(self._sorted_order(), narrower=False))

    def _rebuild(self) -> None:
        source = self.sourceModel()
        self._columns = source.columnCount() if source is not None else 0
        self._order = self._sorted_order()
        self._rows = self._filtered(self._order, narrower=False)
        self._pos = None

    # ---- filtering and sorting --------------------------------------------------------------------------------

    def _haystacks(self) -> list[str] | None:
        return getattr(self.sourceModel(), "search_text", None)

    def _sorted_order(self) -> list[int]:
        source = self.sourceModel()
        count = source.rowCount() if source is not None else 0
        column = self._sort_column
        if column < 0 or column >= self._columns:
            return list(range(count))
        if hasattr(source, "sort_keys"):
            keys = source.sort_keys(column)
        else:
            keys = [source.index(r, column).data(SORT_ROLE) for r in range(count)]
        return sorted(range(count), key=keys.__getitem__, reverse=self._descending)  # stable, as Qt's proxy is

    def _filtered(self, candidates: list[int], narrower: bool) -> list[int]:
        words = self._words
        haystacks = self._haystacks()
        if not words or haystacks is None:
            return list(candidates) if not narrower else candidates
        first, *rest = words
        rows = [r for r in candidates if first in haystacks[r]]
        for word in rest:
            rows = [r for r in rows if word in haystacks[r]]
        return rows

    def set_filter_text(self, text: str) -> None:
        words = text.casefold().split()
        if words == self._words:
            return
        # Typing on (every new word holds an old one) can only narrow the rows shown: only those are searched.
        narrower = (
            bool(self._words)
            and len(words) >= len(self._words)
            and all(old in new for old, new in zip(self._words, words))
        )
        self._words = words
        rows = self._filtered(self._rows if narrower else self._order, narrower)
        if rows != self._rows:  # another letter of the same name: the same rows, nothing to lay out or paint
            self._relayout(rows)

    def filter_words(self) -> list[str]:
        return list(self._words)

    def sort(self, column: int, order=None) -> None:
        """Sort on `column` (-1: the source's order) in `order` (a Qt.SortOrder; None: ascending). The rows are
        kept in that order as they change, so asking for the order they are in already does nothing (a table
        view's sortByColumn asks twice: through its header's signal and directly)."""
        from PySide6.QtCore import Qt

        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self._sort_column, self._descending):
            return
        self._sort_column, self._descending = column, descending
        self._order = self._sorted_order()
        self._relayout(self._filtered(self._order, narrower=False))

    def sortColumn(self) -> int:
        return self._sort_column

    def sortOrder(self):
        from PySide6.QtCore import Qt

        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def titles(self) -> list[str]:
        """The columns' titles, for a list's header (RecordTableView): a RecordTableModel's, else the source's
        horizontal headerData."""
        if self.table_model is not None:
            return self.table_model.titles()
        from PySide6.QtCore import Qt

        source = self.sourceModel()
        return [str(source.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(self._columns)]

    def _relayout(self, rows: list[int]) -> None:
        """Show `rows`, as one layout change that keeps the selected and current rows where they are still shown.

        The change is announced with no rows (rowCount() answers 0 while layoutAboutToBeChanged is emitted): a
        horizontal header over this model then leaves its sections alone, as it does for a change announced as
        VerticalSortHint (only rows change here; a hint from Python crashes PySide6 6.11). Else it would map its
        sections through row 0 and put the stretched last section back to its own width, then stretch it again: the
        whole table repainted twice a keystroke and the header too. (A RecordTableView's header shows a model of
        titles instead, which no keystroke changes; a plain QTableView over this model still needs this.)"""
        self._announcing = True
        try:
            _emit(self, "layoutAboutToBeChanged")
        finally:
            self._announcing = False
        before = self.persistentIndexList()
        sources = [(self._rows[i.row()], i.column()) for i in before if i.isValid()]
        self._rows, self._pos = rows, None
        if before:
            wanted = {r for r, _c in sources}
            where = {r: p for p, r in enumerate(rows) if r in wanted}
            after = [self.createIndex(where[r], c) if r in where else QModelIndex() for r, c in sources]
            self.changePersistentIndexList([i for i in before if i.isValid()], after)
        _emit(self, "layoutChanged")

    # ---- the proxy's model ----------------------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._announcing else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._columns

    def index(self, row: int, column: int, parent=QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._rows) and 0 <= column < self._columns):
            return QModelIndex()
        return self.createIndex(row, column)

    def sibling(self, row: int, column: int, index: QModelIndex) -> QModelIndex:
        return self.index(row, column)

    def mapToSource(self, proxy_index: QModelIndex) -> QModelIndex:
        if not proxy_index.isValid() or proxy_index.row() >= len(self._rows):
            return QModelIndex()
        return self.sourceModel().index(self._rows[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: QModelIndex) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        if self._pos is None:
            pos = [-1] * self.sourceModel().rowCount()
            for p, r in enumerate(self._rows):
                pos[r] = p
            self._pos = pos
        row = self._pos[source_index.row()] if source_index.row() < len(self._pos) else -1
        return self.createIndex(row, source_index.column()) if row >= 0 else QModelIndex()

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        if role not in _ROLES or not index.isValid():
            return None
        row = self._rows[index.row()]
        if self.table_model is not None:  # a RecordTableModel's cells, asked without a source index
            return self.table_model.cell(row, index.column(), role)
        return self.sourceModel().index(row, index.column()).data(role)

    # flags(): QAbstractTableModel's (see the class's note); the titles a list's header shows: titles().


class RecordDelegate(QStyledItemDelegate):
    """Paints the cells of a list (a RecordFilterProxy over a RecordTableModel) from their rows directly.

    Qt's own delegate asks the model for seven roles of every painted cell, each a call into Python; the model
    answers only the text and the alignment, so this sets those two itself: one call a cell, and a repaint of a
    full table takes about 15 % less — what a keystroke in the filter costs. The options it makes are Qt's own
    for this model (tests/test_ui.py compares them); a model that answers more roles needs Qt's delegate.

    The features are set without reading the view's (reading them makes a Python enum, a cell): what a table view
    gives a cell is Alternate on every other row when it alternates row colours, nothing else for these tables
    (their text does not wrap), and the model's cells all have a text."""

    def __init__(self, proxy: RecordFilterProxy, parent=None):
        super().__init__(parent)
        self._proxy = proxy
        self._view = parent if isinstance(parent, QTableView) else None  # the view whose cells it paints

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        proxy = self._proxy
        source = proxy.table_model
        if source is None:
            super().initStyleOption(option, index)
            return
        row, column = index.row(), index.column()
        if column in source._right:  # a number, aligned right: Qt's delegate reads the alignment from the model
            super().initStyleOption(option, index)  # (setting it here would make the `Qt` namespace: qt_values)
            return
        # the proxy's data(), inlined: this runs for every cell painted
        option.text = source._shown[proxy._rows[row]][column]
        # the view's own options already align left and centred vertically (what the model answers for the rest);
        # the font, colours and icon stay the view's: the model answers none of those roles
        view = self._view or option.widget
        option.features = _ODD_ROW if row & 1 and view is not None and view.alternatingRowColors() else _EVEN_ROW
        option.index = index


class RecordTableView(QTableView):
    """A list's table, laid out as soon as its model's rows change, its texts drawn without shaping, its header's
    titles read from a C++ model, sorted from a click on a column's title (`enable_sorting`).

    Laying out and drawing the cells' texts is most of a repaint, what a keystroke in the filter costs when it
    changes the rows shown. Shaping (kerning, ligatures) is what Cyrillic and Latin names do not need, and without it
    the style draws a screen of cells in about 40 % less time (Qt's QFont.PreferNoShaping; the letters are the same).

    Qt lays out an item view and its header a moment after a layout change (each on a zero timer), so a window
    painted the header and the filter field first, then the table and the header again: a keystroke in the
    filter painted the header twice and the window in two passes. Laid out at once, all of it is painted once.

    The header shows a QStandardItemModel of the model's `titles()` (a model without them: its own headerData).
    Asked through Python, a header's headerData hands Python the header's orientation, a Qt enum, and PySide6 then
    makes the whole `Qt` namespace: 35 ms of the start (ui.qt_values). The titles model follows the model's resets;
    it has the model's columns and no rows, and the header has no other use for its model."""

    _laid_out_for = None  # the model whose layout changes lay this view out at once
    _titles_of = None  # the model whose titles the header shows

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        font = self.font()
        font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)  # only this set: the rest follows the parent's
        self.setFont(font)
        # The vertical scroll bar always there: a keystroke that makes the rows outgrow the table (or fit it again)
        # would else show (hide) it, narrow (widen) the columns and paint the table a second time — and the columns
        # would jump as the user types.
        set_enum_property(self, "verticalScrollBarPolicy", "ScrollBarAlwaysOn")
        self._titles = QStandardItemModel(self)

    def setModel(self, model) -> None:
        if self._laid_out_for is not None:
            self._laid_out_for.layoutChanged.disconnect(self._lay_out_now)
            self._laid_out_for = None
        if self._titles_of is not None:
            self._titles_of.modelReset.disconnect(self._show_titles)
            self._titles_of = None
        super().setModel(model)
        if model is not None:
            model.layoutChanged.connect(self._lay_out_now)
            self._laid_out_for = model
        if hasattr(model, "titles"):
            model.modelReset.connect(self._show_titles)
            self._titles_of = model
            self._show_titles()

    def _show_titles(self, *_args) -> None:
        titles = self._titles_of.titles()
        if self.horizontalHeader().model() is self._titles and titles == self._shown_titles():
            return  # a reset with the same columns (new rows): the header keeps its sections' widths
        self._titles.clear()
        self._titles.setColumnCount(len(titles))
        self._titles.setHorizontalHeaderLabels(titles)
        if self.horizontalHeader().model() is not self._titles:
            self.horizontalHeader().setModel(self._titles)

    def _shown_titles(self) -> list[str]:
        columns = self._titles.columnCount()
        return [self._titles.horizontalHeaderItem(c).text() for c in range(columns)]

    def enable_sorting(self) -> None:
        """Sort the rows by a click on a column's title, again for the other way. What setSortingEnabled(True)
        does, except that it does not sort at once: that would hand the model the header's sort order, a Qt enum,
        at start (ui.qt_values). The rows keep their own order until a click; the sort indicator shows from then."""
        header = self.horizontalHeader()
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self._sort_by)

    def _sort_by(self, column: int, order) -> None:
        self.horizontalHeader().setSortIndicatorShown(True)
        if self.model() is not None:
            self.model().sort(column, order)

    def _lay_out_now(self) -> None:
        if self.isVisible():  # else Qt's own later layout: nothing is painted meanwhile
            # the header first: the table's layout then also does what the header's leaves for later (the stretched
            # last section's resize), which would otherwise run in the header's paint and paint it again
            self.horizontalHeader().doItemsLayout()
            self.doItemsLayout()


def text_padding(widget) -> int:
    """The room an item view's cell keeps beside its text, both sides together: the style's focus frame margin and
    a pixel, each side (what QCommonStyle adds to a text's width). Asked of a delegate's size hint, so that no
    QStyle enum is touched (PySide6 makes QStyle's hundreds of enums on first use of the class)."""
    option = QStyleOptionViewItem()
    option.features = _HAS_DISPLAY
    option.widget = widget
    return QStyledItemDelegate().sizeHint(option, QModelIndex()).width()  # an empty text: the margins alone
