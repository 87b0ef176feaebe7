"""Translation layer: gettext catalogs under translations/, compiled in memory at start (no build step).

English strings are the source; Russian is complete and the default. Declarations made at import time use
`N_()` to mark a string and translate it with `_()` where it is shown.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages import mofile, pofile

from models.paths import translations_dir

DOMAIN = "antirisk"
LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "ru"

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def po_path(lang: str, root: Path | None = None) -> Path:
    return (root or translations_dir()) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(lang: str) -> gettext.NullTranslations:
    """Compile the language's .po into an in-memory catalog; English (the source) needs none."""
    path = po_path(lang)
    if lang == "en" or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as fh:
        catalog = pofile.read_po(fh, locale=lang)
    buffer = io.BytesIO()
    mofile.write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def set_language(lang: str) -> None:
    """Switch every later `_()` call to `lang` ('ru' or 'en')."""
    global _current, _language
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _current = load_translations(lang)
    _language = lang


def language() -> str:
    return _language


def _(message: str) -> str:
    return _current.gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message
