"""Where the program keeps its files: the user's data dir, the log, the settings, the bundled resources."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "Antirisk"
APP_AUTHOR = "Antirisk"


def source_root() -> Path:
    """The folder holding `resources/` and `translations/` (the checkout, or a frozen bundle's root)."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parent.parent


def translations_dir() -> Path:
    return source_root() / "translations"


def resources_dir() -> Path:
    return source_root() / "resources"


def data_dir() -> Path:
    """The per-user data folder; created on first use."""
    path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Files the program can always make again (the compiled translation catalog); not created here."""
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))


def default_db_path() -> Path:
    return data_dir() / "antirisk.db"


def log_path() -> Path:
    return data_dir() / "antirisk.log"


def settings_path() -> Path:
    return data_dir() / "settings.json"
