"""The form that scores stored interactions again, as the trust and scorecard pages offer it."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField
from wtforms.validators import Optional

from ..accounts.models import Role
from ..autoqa.jobs import active_run
from ..autoqa.services import scores_now
from ..jobs.models import Job
from ..scorecards.models import ScorecardVersion
from ..textinput import BaseForm

STARTERS = (Role.ADMIN, Role.REVIEWER)


class RescoreForm(BaseForm):
    since = DateField(
        _l("Interactions from"),
        validators=[Optional()],
        description=_l("Empty: every stored interaction; a day: those from that day on (UTC)."),
    )


@dataclass(frozen=True)
class RescoreOffer:
    """The form, or the run already waiting or running (then no second one is offered)."""

    form: RescoreForm
    running: Job | None
    may_follow: bool  # the reader may open the running job's page (its owner, or an admin)


def rescore_offer(version: ScorecardVersion | None = None) -> RescoreOffer | None:
    """The offer to a reviewer or admin; None to others, and on a version not scoring now."""
    if not current_user.is_authenticated or current_user.role not in STARTERS:
        return None
    if version is not None and not scores_now(version):
        return None
    running = active_run()
    may_follow = running is not None and (
        running.owner_id == current_user.id or current_user.role == Role.ADMIN
    )
    return RescoreOffer(RescoreForm(), running, may_follow)
