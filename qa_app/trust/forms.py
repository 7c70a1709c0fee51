"""The offer to score stored interactions again, as the trust and scorecard pages show it."""

from __future__ import annotations

from flask_login import current_user

from ..accounts.models import Role
from ..autoqa.services import scores_now
from ..jobs.forms import StartOffer, start_offer
from ..jobs.models import JobKind
from ..scorecards.models import ScorecardVersion

STARTERS = (Role.ADMIN, Role.REVIEWER)


def rescore_offer(version: ScorecardVersion | None = None) -> StartOffer | None:
    """The offer to a reviewer or admin; None to others, and on a version not scoring now."""
    if not current_user.is_authenticated or current_user.role not in STARTERS:
        return None
    if version is not None and not scores_now(version):
        return None
    return start_offer(JobKind.AUTOQA_RUN, STARTERS)
