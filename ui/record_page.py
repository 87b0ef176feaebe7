"""The one list page: any record type's table with filter-as-you-type, and New / Edit / Delete."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QVBoxLayout, QWidget

from models import records
from models.db import Database
from models.i18n import _
from models.records import RecordType
from ui.bus import bus
from ui.pages.common import RefreshOnShow, confirm
from ui.table_model import ROW_ROLE, RecordDelegate, RecordFilterProxy, RecordTableModel, RecordTableView, text_padding

# The record form (ui.record_form) and QMessageBox are imported where used: PySide6 makes every enum of a Qt class
# the first time Python meets the class, and a start that shows a list needs neither.


class RecordListPage(RefreshOnShow, QWidget):
    """A table of `rtype` records. With a parent field it shows only the records of one master record.

    `source` replaces the stored rows with computed ones (a view such as the roadmap across programs);
    `editable=False` hides New / Edit / Delete for such views; `multi` allows selecting several rows; `bar=False`
    leaves out the bar above the table (buttons, filter, count) for a short read-only list shown inside another page.
    """

    selection_changed = Signal(object)  # the selected row dict, or None

    def __init__(
        self,
        db: Database,
        rtype: RecordType,
        parent=None,
        heading: str | None = None,
        source=None,
        editable: bool = True,
        multi: bool = False,
        bar: bool = True,
    ):
        super().__init__(parent)
        self.db, self.rtype, self.source = db, rtype, source
        self.parent_id: int | None = None
        self.on_edit = None  # a view's rows may open another record type's form
        self.model = RecordTableModel(rtype, self)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.table = RecordTableView(self)
        self.table.setObjectName(f"table_{rtype.name}")
        self.table.setModel(self.proxy)
        self.table.setItemDelegate(RecordDelegate(self.proxy, self.table))
        self.table.enable_sorting()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
            if multi
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Rows of one height, never resized (the header is hidden): Qt then keeps no per-row sizes, and a keystroke
        # in the filter that changes the rows shown does not walk all 10,000 of them (a fifth of its time).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(lambda _index: self.edit_record())
        self.table.selectionModel().currentRowChanged.connect(
            lambda *_a: self.selection_changed.emit(self.current())
        )

        self.bar = self.filter = self.counter = self.add_button = self.edit_button = self.delete_button = None
        self._counter_size = None  # the counter's one size while filtered (see _update_counter), None: to measure
        self._counter_fixed = None  # the size it is fixed to now
        if bar:
            self._make_bar(heading, editable)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if self.bar is not None:
            layout.addLayout(self.bar)
        layout.addWidget(self.table)
        self.watch_data(stale=True)

    def _make_bar(self, heading: str | None, editable: bool) -> None:
        """The bar above the table: a heading, New / Edit / Delete (shown when `editable`), the filter, the count."""
        from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton  # a start's Home lists have no bar

        self.filter = QLineEdit(self)
        self.filter.setObjectName("filter")
        self.filter.setPlaceholderText(_("Search (Ctrl+F)…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        self.counter = QLabel(self)
        self.add_button = QPushButton(_("New…"), self)
        self.add_button.setObjectName("add")
        self.add_button.clicked.connect(self.new_record)
        self.edit_button = QPushButton(_("Edit…"), self)
        self.edit_button.clicked.connect(self.edit_record)
        self.delete_button = QPushButton(_("Delete"), self)
        self.delete_button.clicked.connect(self.delete_record)

        self.bar = bar = QHBoxLayout()
        if heading:
            title = QLabel(f"<b>{heading}</b>", self)
            bar.addWidget(title)
        for button in (self.add_button, self.edit_button, self.delete_button):
            bar.addWidget(button)
            button.setVisible(editable)
        self._actions_at = bar.count()
        bar.addSpacing(12)
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.counter)

    # ---- data --------------------------------------------------------------------------------------------

    def add_action(self, text: str, slot, name: str | None = None) -> QWidget:
        """A further button in the bar, after New / Edit / Delete."""
        from PySide6.QtWidgets import QPushButton

        button = QPushButton(text, self)
        if name:
            button.setObjectName(name)
        button.clicked.connect(slot)
        self.bar.insertWidget(self._actions_at, button)
        self._actions_at += 1
        return button

    def set_parent_id(self, parent_id: int | None) -> None:
        self.parent_id = parent_id
        if self.add_button is not None:
            self.add_button.setEnabled(parent_id is not None)
        self.reload()

    def reload(self) -> None:
        """Read the rows again, keeping the selected record selected when it is still there."""
        selected = self.current()
        if self.source is not None:
            data = self.source()
        elif self.rtype.parent and self.parent_id is None:
            data = []
        else:
            filters = {self.rtype.parent: self.parent_id} if self.rtype.parent else None
            data = records.rows(self.db, self.rtype, filters)
        self.model.set_rows(data, records.Lookups(self.db))
        self._fit_columns()
        self.table.setColumnHidden(0, not self.rtype.show_id)
        self._stale = False
        self._counter_size = None
        self._update_counter()
        if selected is not None and "id" in selected:
            self.select_id(selected["id"])

    def _fit_columns(self, widest: int = 460) -> None:
        """Each column as wide as its header and its longest text, at most `widest` (long texts are cut; the
        tooltip shows them whole). What resizeColumnsToContents() gives, without asking the model for every cell:
        the model names each column's longest texts and only those are measured."""
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        # the item delegate's padding (the focus frame's margin and a pixel, both sides) and the grid line
        padding = text_padding(self.table)
        padding += (1 if self.table.showGrid() else 0) + 1  # and a pixel for the rounding of text widths
        for column in range(self.model.columnCount()):
            texts = self.model.longest_texts(column)
            cells = max((metrics.horizontalAdvance(t) for t in texts), default=0) + padding
            self.table.setColumnWidth(column, min(widest, max(cells, header.sectionSizeHint(column))))

    refresh_visible = True  # a list on screen follows a change at once

    def refresh(self) -> None:
        self.reload()

    def _filter_changed(self, text: str) -> None:
        before = self.current()
        self.proxy.set_filter_text(text)
        self._update_counter()
        after = self.current()
        if after is not before:  # the selected row was filtered away: its details go too
            self.selection_changed.emit(after)

    def _update_counter(self) -> None:
        """ "12 of 345" while filtered, else "345". While filtered the counter keeps one size, the widest count's:
        a label whose size may change makes its whole bar lay out anew at every keystroke."""
        counter = self.counter
        if counter is None:  # no bar
            return
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == total:
            if self._counter_fixed is not None:  # its own size again
                counter.setMinimumSize(0, 0)
                counter.setMaximumSize(16777215, 16777215)  # QWIDGETSIZE_MAX
                self._counter_fixed = None
            counter.setText(str(total))
            return
        if self._counter_size is None:
            self._counter_size = self._widest_counter(total)
        if self._counter_fixed != self._counter_size:
            counter.setFixedSize(self._counter_size)
            self._counter_fixed = self._counter_size
        counter.setText(_("{shown} of {total}").format(shown=shown, total=total))

    def _widest_counter(self, total: int):
        """The size of the widest "… of {total}" (fewer shown than `total`: the widest digit in each place of
        `total` - 1), as tall as its bar."""
        counter = self.counter
        digit = max("0123456789", key=counter.fontMetrics().horizontalAdvance)
        text = counter.text()
        counter.setText(_("{shown} of {total}").format(shown=digit * len(str(max(total - 1, 0))), total=total))
        size = counter.sizeHint()
        counter.setText(text)
        size.setHeight(max(size.height(), self.bar.sizeHint().height()))  # the bar's height, as the layout gives it
        return size

    def current(self) -> dict | None:
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def selected(self) -> list[dict]:
        """Every selected row (several with `multi`), in the order shown."""
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return [self.proxy.index(r, 0).data(ROW_ROLE) for r in sorted(rows)]

    # ---- actions -----------------------------------------------------------------------------------------

    def _fixed(self) -> dict:
        return {self.rtype.parent: self.parent_id} if self.rtype.parent else {}

    def new_record(self) -> None:
        from ui.record_form import RecordDialog

        if self.rtype.parent and self.parent_id is None:
            return
        dialog = RecordDialog(self.db, self.rtype, None, self._fixed(), self)
        if dialog.exec():
            bus.data_changed.emit()
            self.select_id(dialog.form.record_id)

    def edit_record(self) -> None:
        row = self.current()
        if row is None:
            return
        if self.on_edit is not None:
            self.on_edit(row)
            return
        from ui.record_form import RecordDialog

        if RecordDialog(self.db, self.rtype, row["id"], self._fixed(), self).exec():
            bus.data_changed.emit()
            self.select_id(row["id"])

    def delete_record(self) -> None:
        row = self.current()
        if row is None:
            return
        if not confirm(self, _("Delete"), _("Delete “{name}”?").format(name=self.rtype.display(row))):
            return
        try:
            records.delete(self.db, self.rtype, row["id"])
        except records.RecordInUseError as exc:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, _("Delete"), str(exc))
            return
        bus.data_changed.emit()

    def select_id(self, record_id: int) -> None:
        for source_row in range(self.model.rowCount()):
            if self.model.row(source_row)["id"] == record_id:
                index = self.proxy.mapFromSource(self.model.index(source_row, 0))
                if index.isValid():
                    self.table.selectRow(index.row())
                    self.table.scrollTo(index)
                return

    def focus_filter(self) -> None:
        if self.filter is not None:
            self.filter.setFocus()
            self.filter.selectAll()


class MasterDetail(QWidget):
    """Two record lists: the second shows the records of the one selected in the first (years → terms)."""

    def __init__(self, db: Database, master: RecordType, detail: RecordType, parent=None):
        super().__init__(parent)
        self.master = RecordListPage(db, master, self, heading=_(master.plural))
        self.detail = RecordListPage(db, detail, self, heading=_(detail.plural))
        self.detail.set_parent_id(None)
        self.master.selection_changed.connect(
            lambda row: self.detail.set_parent_id(row["id"] if row else None)
        )
        self.master.model.modelReset.connect(self._select_first)
        layout = QVBoxLayout(self)
        layout.addWidget(self.master, 1)
        layout.addWidget(self.detail, 1)

    def _select_first(self) -> None:
        # after a reload keep a master selected, so its details are never an unexplained empty table
        if self.master.current() is None and self.master.proxy.rowCount():
            self.master.table.selectRow(0)

    def new_record(self) -> None:
        self.master.new_record()

    def focus_filter(self) -> None:
        self.master.focus_filter()
