"""Excel number formats for the reader's locale: how a date cell shows its day, month and year."""

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


@cache
def excel_date_format(locale: Locale | str) -> str:
    """The locale's short date in Excel: "yyyy. mm. dd." in Hungarian, "m/d/yyyy" in English.

    Excel's own built-in date format follows the reading computer's settings instead; this one
    follows the language the user chose, as the pages do.
    """
    pattern = get_date_format("short", locale=Locale.parse(locale)).pattern
    parts = []
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
