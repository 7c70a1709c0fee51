"""User text goes into a workbook as text, never as a formula (docs/excel-reports.md).

openpyxl turns a string that starts with "=" into a formula and "#N/A"-like strings into error
values; the writer forces such strings to plain text with a quote prefix, so a coach who edits the
cell in Excel still gets text. Characters that Excel cannot hold are removed, not refused.
"""

from __future__ import annotations

import re
import unicodedata

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

# Excel reads a typed-in value starting with one of these as a formula (tab and CR: OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32_767
# Besides openpyxl's control characters: lone surrogates and the two XML non-characters.
_UNWRITABLE = re.compile(r"[\ud800-\udfff\ufffe\uffff]")
# Anything clean_text would change: C0 controls but tab and line feed (so CR too), and the above.
_SUSPECT = re.compile(r"[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_ERROR_CODES = frozenset(ERROR_CODES)
_RISKY_STARTS = frozenset(FORMULA_STARTS) | {code[0] for code in ERROR_CODES}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_TITLE = 31
MAX_HEADER_FOOTER = 120  # characters before escaping; Excel allows 255 in all


def clean_text(value: str) -> str:
    """The text without the characters Excel forbids, cut to the most a cell can hold.

    Line ends become line feeds, Excel's own line break in a cell: an XML reader turns a raw
    carriage return into one anyway, and browsers send form text with CRLF.
    """
    if _SUSPECT.search(value) is None:  # the usual case, in one scan
        return value[:MAX_CELL_CHARS]
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    value = _UNWRITABLE.sub("", value)
    return value[:MAX_CELL_CHARS]


def needs_quoting(value: str) -> bool:
    """True for text that Excel or openpyxl could take for a formula or an error value."""
    return value.startswith(FORMULA_STARTS) or value in _ERROR_CODES


def cell_text(value: str) -> tuple[str, bool]:
    """The text a cell holds, and whether it needs a quote prefix to stay text in Excel."""
    if value[:1] not in _RISKY_STARTS and _SUSPECT.search(value) is None:  # the usual case
        return value[:MAX_CELL_CHARS], False
    cleaned = clean_text(value)
    # Checked before cleaning too: a leading CR (now a line feed) counts.
    return cleaned, needs_quoting(cleaned) or (cleaned is not value and needs_quoting(value))


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet title (31 characters, none of []:*?/\\); adds it to `taken`."""
    base = _SHEET_FORBIDDEN.sub(" ", clean_text(name)).strip().strip("'") or "Sheet"
    base = base[:MAX_SHEET_TITLE]
    title, n = base, 1
    while title.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        title = base[: MAX_SHEET_TITLE - len(suffix)] + suffix
    taken.add(title.casefold())
    return title


def header_footer_text(value: str) -> str:
    """Text for a print header or footer, where "&" starts a code and the length is limited."""
    return clean_text(value)[:MAX_HEADER_FOOTER].replace("&", "&&")


def ascii_slug(value: str, fallback: str, limit: int = 40) -> str:
    """Lower-case ASCII words joined by hyphens, for a download name; `fallback` when empty."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:limit].strip("-")
    return slug or fallback
