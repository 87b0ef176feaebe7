"""Antirisk core: storage, domain, formatting and i18n. Free of Qt by design (a test enforces it)."""

__version__ = "0.1.0"
