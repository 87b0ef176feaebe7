"""Qt's values that the start needs, named without PySide6's `Qt` namespace.

PySide6 makes a class's Python enums the first time Python meets the class; for the `Qt` namespace that is all 93 of
its enums at once: about 120 M instructions, 35 ms of a two-core PC's start, more than anything the first screen
does (issue 9). So the modules a start loads (tests/test_start.py lists them, and checks this) never name `Qt`, and
nothing they do at start hands Python a value of one of its enums: a header's orientation (a list's header reads
its titles from a C++ model, ui.table_model), a sort order (a list sorts from its header's click), a call of an
overloaded constructor that might take one (`QSplitter(parent)`, `QKeySequence(text)`: PySide6 tries each overload).
They use these numbers (Qt's documented values; tests/test_ui.py checks them against PySide6's) and
`set_enum_property`. Code that runs later names `Qt` freely: by then it is made (the warm-up makes it).
"""

from __future__ import annotations

DISPLAY_ROLE = 0  # Qt.ItemDataRole.DisplayRole
TOOLTIP_ROLE = 3  # Qt.ItemDataRole.ToolTipRole
TEXT_ALIGNMENT_ROLE = 7  # Qt.ItemDataRole.TextAlignmentRole
USER_ROLE = 0x0100  # Qt.ItemDataRole.UserRole
ALIGN_RIGHT_MIDDLE = 0x0002 | 0x0080  # Qt.AlignmentFlag.AlignRight | AlignVCenter, as a model's data() answers it


def set_enum_property(obj, name: str, key: str) -> None:
    """Set `obj`'s Qt property `name` to its enum's value named `key` (`"PlainText"`) through Qt's meta-object
    system, which makes no Python enum. Raises ValueError if Qt refuses (a misspelt property or key)."""
    if not obj.setProperty(name, key):
        raise ValueError(f"Qt refused {type(obj).__name__}.{name} = {key!r}")
