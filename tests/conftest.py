"""Every test gets a fresh migrated database in a temporary folder; no test touches the user's files."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pytest_configure(config):
    # Before Qt or platformdirs look: the user's data, settings and QSettings go to a throwaway folder.
    home = Path(tempfile.mkdtemp(prefix="antirisk-test-home-"))
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def russian():
    from models import i18n

    i18n.set_language("ru")
    yield
    i18n.set_language("ru")


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "school.db"


@pytest.fixture
def db(db_path):
    from models.db import open_database

    database = open_database(db_path)
    yield database
    database.conn.close()


@pytest.fixture
def demo_db(db):
    from models.demo import build_demo

    build_demo(db, size="small", seed=7)
    return db


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]


def type_into(widget, text: str) -> None:
    """Type text key by key, as a user does. QTest.keyClicks asserts on non-ASCII (Cyrillic) characters, so
    each character goes as its own key press/release event carrying the text."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )
    QApplication.processEvents()
