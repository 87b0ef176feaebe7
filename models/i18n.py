"""Translation layer: gettext catalogs under translations/, compiled from the .po (no build step).

The compiled catalog is kept in the user's cache folder, named after the .po's size and modification time, so
a start reads a ready .mo and only the first start after a change of the .po pays for Babel's compiler.

English strings are the source; Russian is complete and the default. Declarations made at import time use
`N_()` to mark a string and translate it with `_()` where it is shown.
"""

from __future__ import annotations

import gettext
import io
import logging
import os
from pathlib import Path

from models.paths import cache_dir, translations_dir

DOMAIN = "antirisk"
LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "ru"

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def po_path(lang: str, root: Path | None = None) -> Path:
    return (root or translations_dir()) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_po(path: Path, lang: str) -> bytes:
    """The .mo bytes of a .po file (Babel's compiler, imported only when needed)."""
    from babel.messages import mofile, pofile

    with path.open("rb") as fh:
        catalog = pofile.read_po(fh, locale=lang)
    buffer = io.BytesIO()
    mofile.write_mo(buffer, catalog)
    return buffer.getvalue()


def _cached_mo(path: Path, lang: str) -> bytes:
    """The compiled catalog from the cache, or compiled now and cached (a cache that cannot be written is fine)."""
    stat = path.stat()
    cached = cache_dir() / f"{DOMAIN}-{lang}-{stat.st_size}-{stat.st_mtime_ns}.mo"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    data = compile_po(path, lang)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob(f"{DOMAIN}-{lang}-*.mo"):
            old.unlink(missing_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, cached)
    except OSError as exc:
        logging.getLogger(__name__).info("translation cache not written: %s", exc)
    return data


def load_translations(lang: str) -> gettext.NullTranslations:
    """The language's catalog; English (the source) needs none."""
    path = po_path(lang)
    if lang == "en" or not path.exists():
        return gettext.NullTranslations()
    try:
        return gettext.GNUTranslations(io.BytesIO(_cached_mo(path, lang)))
    except (OSError, ValueError, UnicodeDecodeError, IndexError) as exc:  # a damaged cache file: compile afresh
        logging.getLogger(__name__).warning("translation cache unreadable (%s), compiling the catalog", exc)
        return gettext.GNUTranslations(io.BytesIO(compile_po(path, lang)))


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
