"""Excel formats for the reader's locale: how a date cell shows its day, month and year, and the
paper a printed sheet is laid out for."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale
from babel.dates import get_date_format

# CLDR date pattern letters and their Excel format codes; years are always written in full.
_FIELDS = {"y": "yyyy", "M": "m", "MM": "mm", "d": "d", "dd": "dd"}
_TOKEN = re.compile(r"'[^']*'|([a-zA-Z])\1*|.", re.DOTALL)
# Excel shows these as they are; anything else outside a field goes in double quotes.
_PLAIN = set(" ./-,:")
# Excel's locale ids: month names in the reader's language whatever language Excel itself speaks.
_EXCEL_LOCALES = {"en": "409", "hu": "40E"}
# Excel's paper size codes (ECMA-376 paperSize); the territories that print on US Letter, as in
# the Unicode CLDR's paper size data. Everywhere else A4.
A4, LETTER = 9, 1
LETTER_TERRITORIES = frozenset(
    {"BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"}
)


def paper_size(territory: str | None) -> int:
    """US Letter where the reader's region prints on it (e.g. en-US), A4 anywhere else."""
    return LETTER if territory and territory.upper() in LETTER_TERRITORIES else A4


@cache
def excel_date_format(locale: Locale | str) -> str:
    """The locale's date as the pages write it (CLDR "medium"), in Excel's codes:
    "[$-40E]yyyy. mmm d." in Hungarian ("2026. nov. 5."), "[$-409]mmm d, yyyy" in English.

    Excel's own built-in date format follows the reading computer's settings instead; this one
    follows the language the user chose, as the pages do.
    """
    parsed = Locale.parse(locale)
    pattern = get_date_format("medium", locale=parsed).pattern
    language = _EXCEL_LOCALES.get(parsed.language)
    parts = [f"[$-{language}]"] if language else []
    for match in _TOKEN.finditer(pattern):
        token = match.group(0)
        if token.startswith("'"):
            parts.append(_literal(token[1:-1] or "'"))
        elif token[0] == "y":
            parts.append("yyyy")
        elif token in _FIELDS:
            parts.append(_FIELDS[token])
        elif token[0] in "ML":
            parts.append("mmm")  # a month name (short or full): Excel's short name
        else:
            parts.append(token if token in _PLAIN else _literal(token))
    return "".join(parts)


def _literal(text: str) -> str:
    return '"' + text.replace('"', "") + '"'
