"""Names of the pure scoring module's values, in the request's language.

`qa_app.scoring` knows no Flask, so its names (the bands) are English keys; this module is where
they meet the catalogues.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .scoring.scale import Band

_BAND_NAMES = {
    "excellent": _l("Excellent"),
    "good": _l("Good"),
    "satisfactory": _l("Satisfactory"),
    "needs-improvement": _l("Needs improvement"),
    "poor": _l("Poor"),
}


def band_label(band: Band) -> str:
    """The band's name in the reader's language."""
    name = _BAND_NAMES.get(band.slug)
    return band.name if name is None else str(name)


def band_label_of(name: str | None) -> str | None:
    """A band given by its English name (as the scoring module returns it), translated."""
    if name is None:
        return None
    translated = _BAND_NAMES.get("-".join(name.lower().split()))
    return name if translated is None else str(translated)
