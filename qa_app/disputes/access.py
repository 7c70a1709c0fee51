"""Who may open a dispute: staff, and leads only for the agents of their teams."""

from __future__ import annotations

from ..accounts.models import Role
from ..evaluations.access import visible_evaluation_or_404
from ..extensions import db
from .models import Dispute

STAFF = (Role.ADMIN, Role.REVIEWER, Role.LEAD)


def dispute_or_404(dispute_id: int) -> Dispute:
    """The dispute, if its evaluation is visible to the current user (leads: their teams')."""
    found = db.get_or_404(Dispute, dispute_id)
    visible_evaluation_or_404(found.evaluation_id)
    return found
