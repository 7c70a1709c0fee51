"""What an Auto QA rule measured, and its figures, in the reader's words: "Handle time",
"4 min 12 s", "1,234 words" (docs/autoqa.md)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_babel.speaklater import LazyString

from .filters import format_number

# By the engine's name for a measure.
MEASURE_LABELS: dict[str, LazyString] = {
    "longest_wait": _l("Longest wait"),
    "first_reply": _l("First reply"),
    "handle_seconds": _l("Handle time"),
    "csat": _l("CSAT (1–5)"),
    "nps": _l("NPS answer (0–10)"),
    "ces": _l("CES (1–7)"),
    "first_contact_resolved": _l("First contact resolution"),
    "longest_message": _l("Longest message"),
    "average_message": _l("Average message length"),
    "average_sentence": _l("Average sentence length"),
}
# A span of time in its two largest units, "4 min 12 s": (seconds in the unit, its words).
TIME_UNITS: tuple[tuple[int, LazyString], ...] = (
    (86400, _l("%(num)s d")),
    (3600, _l("%(num)s h")),
    (60, _l("%(num)s min")),
    (1, _l("%(num)s s")),
)


def measure_label(name: str) -> str:
    """What a rule measured, in the reader's language (a name we do not know, made readable)."""
    found = MEASURE_LABELS.get(name)
    return name.replace("_", " ") if found is None else str(found)


def _figure(value: float) -> str:
    """A whole figure as it is, any other with one decimal: "1,234", "14.5"."""
    return format_number(value, 0 if float(value).is_integer() else 1)


def time_span(seconds: float) -> str:
    """Seconds as people say them, in the two largest units: "4 min 12 s", "1 h 5 min", "0 s"."""
    left, counts = max(0, round(seconds)), []
    for size, words in TIME_UNITS:
        count, left = divmod(left, size)
        counts.append((count, words))
    first = next((n for n, (count, _words) in enumerate(counts) if count), len(counts) - 1)
    shown = [(c, words) for c, words in counts[first : first + 2] if c] or counts[-1:]
    return " ".join(str(words) % {"num": _figure(count)} for count, words in shown)


def measure_figure(value: float, unit: str) -> str:
    """A measured figure with its unit, in the reader's notation: "4 min 12 s", "1,234 words"."""
    if unit == "s":
        return time_span(value)
    if unit == "yes/no":
        return _("Yes") if value else _("No")
    figure, count = _figure(value), 1 if value == 1 else 2
    if unit == "words":
        return ngettext("%(figure)s word", "%(figure)s words", count, figure=figure)
    if unit == "characters":
        return ngettext("%(figure)s character", "%(figure)s characters", count, figure=figure)
    return f"{figure} {unit}".strip()
