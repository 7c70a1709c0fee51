"""The translation catalogues: extract the texts, update every language, check them.

A developer's tool, kept outside the application package (run from the repository root):

    python -m tools.catalogues update   # after changing texts: messages.pot and every .po
    python -m tools.catalogues check    # as the tests do: nothing missing, untranslated, fuzzy

Only what babel.cfg maps is extracted (the qa_app package and its templates), never this tool.

The English catalogue is the source texts themselves (filled in by `update`); every other language
is translated by hand in its .po file. Compiling (.po -> .mo) is `pybabel compile`, which the
Makefile runs at install; compiled catalogues are never committed.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "qa_app" / "translations"
SOURCE_LANGUAGE = "en"
# gettext, ngettext, pgettext... are Babel's defaults; these are ours on top.
KEYWORDS = {"_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2), "N_": None}


def extract() -> Catalog:
    """Every translatable text in the code and the templates, as babel.cfg maps them."""
    with (ROOT / "babel.cfg").open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    from babel.messages.extract import DEFAULT_KEYWORDS

    catalog = Catalog(project="QA Scorecard", charset="utf-8")
    found = extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords={**DEFAULT_KEYWORDS, **KEYWORDS},
        comment_tags=("NOTE",),  # "# NOTE for translators: ..." reaches the .po file
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def template_path() -> Path:
    """messages.pot, beside the languages (looked up on each call, like TRANSLATIONS)."""
    return TRANSLATIONS / "messages.pot"


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def languages() -> list[str]:
    return sorted(p.name for p in TRANSLATIONS.iterdir() if (p / "LC_MESSAGES").is_dir())


def read(language: str) -> Catalog:
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def _write(catalog: Catalog, path: Path) -> None:
    """Write a catalogue; one that differs only in its creation date is left alone (no churn)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, include_lineno=False)
    if path.exists() and _undated(path.read_bytes()) == _undated(buffer.getvalue()):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def _undated(content: bytes) -> bytes:
    return re.sub(rb'"POT-Creation-Date: [^"]*"', b"", content)


def update(new_languages: Iterable[str] = ()) -> None:
    """Write messages.pot and bring every catalogue up to it (new texts empty, old ones gone)."""
    _write(extract(), template_path())
    for language in sorted({*languages(), *new_languages, SOURCE_LANGUAGE}):
        path = po_path(language)
        catalog = read(language) if path.exists() else _new_catalog(language)
        # A fresh template each time: Catalog.update shares its Message objects with the template.
        catalog.update(extract(), no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False  # pybabel compile skips a catalogue whose header is fuzzy
        if language == SOURCE_LANGUAGE:
            for message in catalog:
                if message.id:
                    message.string = message.id
        _write(catalog, path)


def _new_catalog(language: str) -> Catalog:
    return Catalog(
        locale=language,
        project="QA Scorecard",
        copyright_holder="the QA Scorecard authors",
        fuzzy=False,
    )


def _untranslated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not all(strings)


def problems(language: str, template: Catalog | None = None) -> list[str]:
    """What is wrong with one catalogue: texts missing from it, untranslated, fuzzy, bad format."""
    template = template or extract()
    catalog = read(language)
    found = [f"{language}: the catalogue is marked fuzzy"] if catalog.fuzzy else []
    for message in template:
        if message.id and catalog.get(message.id, message.context) is None:
            found.append(f"{language}: missing {message.id!r}")
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            found.append(f"{language}: fuzzy {message.id!r}")
        elif _untranslated(message):
            found.append(f"{language}: untranslated {message.id!r}")
        found.extend(f"{language}: {message.id!r}: {error}" for error in message.check(catalog))
    return found


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update(argv[1:])
        return 0
    if command == "check":
        template = extract()
        found = [problem for language in languages() for problem in problems(language, template)]
        print("\n".join(found) or "catalogues complete")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
