"""Keep the message catalogs in step with the code (Babel).

    python translations/catalog.py update   # extract strings from the code, merge them into every .po
    python translations/catalog.py check    # exit 1 if a string is missing, stale or untranslated

English strings in the code are the source; ru is complete and the default; en needs no translations.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "translations"
DOMAIN = "antirisk"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
SOURCES = ("main.py", "models", "ui")
TRANSLATED = ("ru",)


def _wanted(path: str) -> bool:
    return path == "main.py" or path.startswith(("models", "ui"))


def extract() -> Catalog:
    """Every marked string in main.py, models/ and ui/, with where it is used."""
    catalog = Catalog(project="Antirisk", domain=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        directory_filter=lambda d: (
            Path(d).resolve() == ROOT
            or Path(d).resolve().is_relative_to(ROOT / "models")
            or Path(d).resolve().is_relative_to(ROOT / "ui")
        ),
    ):
        if _wanted(filename):
            catalog.add(message, locations=[(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_file(lang: str) -> Path:
    return HERE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(lang: str) -> Catalog:
    path = po_file(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN)
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def update() -> None:
    template = extract()
    with (HERE / f"{DOMAIN}.pot").open("wb") as fh:
        write_po(fh, template, sort_output=True, width=110, no_location=True)
    for lang in ("ru", "en"):
        catalog = read(lang)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        catalog.project, catalog.version = "Antirisk", ""
        po_file(lang).parent.mkdir(parents=True, exist_ok=True)
        with po_file(lang).open("wb") as fh:
            write_po(fh, catalog, sort_output=True, width=110, no_location=True)


def _ids(message) -> tuple:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def problems() -> list[str]:
    """What is wrong with the catalogs: strings missing from a .po, stale ones, untranslated or fuzzy ones."""
    wanted = {_ids(m) for m in extract() if m.id}
    out = []
    for lang in ("ru", "en"):
        catalog = read(lang)
        have = {_ids(m) for m in catalog if m.id}
        out += [f"{lang}: missing {ids[0]!r}" for ids in sorted(wanted - have)]
        out += [f"{lang}: stale {ids[0]!r}" for ids in sorted(have - wanted)]
        if lang in TRANSLATED:
            for m in catalog:
                if not m.id:
                    continue
                strings = m.string if isinstance(m.string, tuple) else (m.string,)
                if m.fuzzy or not all(strings):
                    out.append(f"{lang}: untranslated {_ids(m)[0]!r}")
    return out


if __name__ == "__main__":
    if sys.argv[1:] == ["update"]:
        update()
        print("\n".join(problems()) or "catalogs complete")
    elif sys.argv[1:] == ["check"]:
        found = problems()
        print("\n".join(found) or "catalogs complete")
        sys.exit(1 if found else 0)
    else:
        print(__doc__)
        sys.exit(2)
