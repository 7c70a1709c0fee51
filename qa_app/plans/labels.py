"""Plan status names in the reader's language (the pure scoring module keeps English values)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..scoring.plans import PlanStatus

_STATUS_NAMES = {
    PlanStatus.OPEN: _l("Open"),
    PlanStatus.ON_TRACK: _l("On track"),
    PlanStatus.ACHIEVED: _l("Achieved"),
    PlanStatus.MISSED: _l("Missed"),
}


def status_label(status: PlanStatus) -> str:
    """A plan's or a goal's status as the reader reads it: "On track", "Jó úton halad"."""
    return str(_STATUS_NAMES[status])
