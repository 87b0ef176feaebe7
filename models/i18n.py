"""Translation layer: gettext catalogs under translations/, compiled from the .po (no build step).

The compiled catalog is kept in the user's cache folder, named after the .po's size and modification time, so
a start reads a ready catalog and only the first start after a change of the .po pays for Babel's compiler. The cache
holds the messages as a marshalled dict (what gettext's GNUTranslations makes of a .mo), which a start loads in a
fifth of the time gettext takes to parse the .mo.

English strings are the source; Russian is complete and the default. Declarations made at import time use
`N_()` to mark a string and translate it with `_()` where it is shown.
"""

from __future__ import annotations

import gettext
import io
import logging
import marshal
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


class Catalog(gettext.NullTranslations):
    """A compiled catalog: msgid → translation, (msgid, form) → a plural form, and the plural rule."""

    def __init__(self, messages: dict, plural_rule: str) -> None:
        super().__init__()
        self.messages, self.plural_rule = messages, plural_rule
        self._form = gettext.c2py(plural_rule)

    @classmethod
    def from_mo(cls, data: bytes) -> Catalog:
        """What gettext reads from a .mo's bytes (its own parser, so every message means what it means to gettext)."""
        parsed = gettext.GNUTranslations(io.BytesIO(data))
        rule = parsed.info().get("plural-forms", "plural=(n != 1);").partition("plural=")[2].strip().rstrip(";")
        return cls(dict(parsed._catalog), rule)  # the parsed messages (Django reads them so too)

    def dumps(self) -> bytes:
        return marshal.dumps((self.messages, self.plural_rule))

    @classmethod
    def loads(cls, data: bytes) -> Catalog:
        messages, rule = marshal.loads(data)
        if not isinstance(messages, dict) or not isinstance(rule, str):
            raise ValueError("not a catalog")
        return cls(messages, rule)

    def gettext(self, message: str) -> str:
        return self.messages.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        try:
            return self.messages[(msgid1, self._form(n))]
        except KeyError:
            return msgid1 if n == 1 else msgid2


def _cached_catalog(path: Path, lang: str) -> Catalog:
    """The compiled catalog from the cache, or compiled now and cached (a cache that cannot be written is fine)."""
    stat = path.stat()
    cached = cache_dir() / f"{DOMAIN}-{lang}-{stat.st_size}-{stat.st_mtime_ns}-m{marshal.version}.catalog"
    try:
        return Catalog.loads(cached.read_bytes())
    except OSError:
        pass
    except (ValueError, EOFError, TypeError) as exc:  # a damaged cache file: compiled afresh
        logging.getLogger(__name__).warning("translation cache unreadable (%s), compiling the catalog", exc)
    catalog = Catalog.from_mo(compile_po(path, lang))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob(f"{DOMAIN}-{lang}-*"):
            old.unlink(missing_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(catalog.dumps())
        os.replace(partial, cached)
    except OSError as exc:
        logging.getLogger(__name__).info("translation cache not written: %s", exc)
    return catalog


def load_translations(lang: str) -> gettext.NullTranslations:
    """The language's catalog; English (the source) needs none."""
    path = po_path(lang)
    if lang == "en" or not path.exists():
        return gettext.NullTranslations()
    return _cached_catalog(path, lang)


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
