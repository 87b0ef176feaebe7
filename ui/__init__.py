"""Antirisk's window: PySide6 only. Calls models/ and never writes SQL itself."""
