"""Raising and resolving disputes."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from ..accounts.access import roles_required
from ..accounts.models import Role
from ..errors import user_errors
from ..evaluations.access import own_evaluation_or_404
from ..evaluations.forms import parse_choice
from ..evaluations.models import Evaluation
from ..evaluations.services import CriterionInput
from ..extensions import db
from ..interactions.models import Interaction
from ..ui.navigation import register_count
from . import services as disputes
from .access import STAFF, dispute_or_404
from .forms import DisputeForm, ResolveForm, resolve_form
from .models import Dispute

bp = Blueprint("disputes", __name__)
# The evaluation page offers the dispute button by asking these, so evaluations never imports us.
bp.add_app_template_global(disputes.dispute_refusal)
bp.add_app_template_global(disputes.dispute_deadline)
bp.record_once(lambda _state: register_count("disputes", disputes.open_disputes_for))


@bp.route("/evaluations/<int:evaluation_id>/dispute", methods=["GET", "POST"])
@roles_required(Role.AGENT)
def new(evaluation_id: int) -> str | Response:
    evaluation = own_evaluation_or_404(evaluation_id)
    form = DisputeForm()
    form.criterion_ids.choices = [
        SelectChoice(str(c.id), c.name) for c in evaluation.scorecard_version.ordered_criteria
    ]
    refusal = disputes.dispute_refusal(evaluation, current_user)
    if refusal is None and form.validate_on_submit():
        with user_errors(form.reason.errors):
            disputes.raise_dispute(
                evaluation, current_user, form.reason.data, form.criterion_ids.data or []
            )
            db.session.commit()
            flash(_("Your dispute was sent. You will see the decision on this page."), "info")
            return redirect(url_for("evaluations.view", evaluation_id=evaluation.id))
    return render_template("disputes/new.html", evaluation=evaluation, form=form, refusal=refusal)


@bp.get("/disputes")
@roles_required(*STAFF)
def queue() -> str:
    stmt = disputes.open_disputes_for(current_user).options(
        selectinload(Dispute.evaluation)
        .selectinload(Evaluation.interaction)
        .selectinload(Interaction.agent),
        selectinload(Dispute.evaluation).selectinload(Evaluation.reviewer),
        selectinload(Dispute.criteria),
    )
    rows = db.session.scalars(stmt).all()
    return render_template("disputes/queue.html", disputes=rows)


def _adjustments(form: ResolveForm, evaluation: Evaluation) -> dict[int, CriterionInput]:
    """The scores the decision sets, by criterion id; blank choices leave a score as it is."""
    adjustments = {}
    for criterion in evaluation.scorecard_version.ordered_criteria:
        value, is_na = parse_choice(form[f"score_{criterion.id}"].data)
        if value is not None or is_na:
            adjustments[criterion.id] = CriterionInput(value, is_na, "")
    return adjustments


@bp.route("/disputes/<int:dispute_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def resolve(dispute_id: int) -> str | Response:
    found = dispute_or_404(dispute_id)
    evaluation = found.evaluation
    form = resolve_form(evaluation.scorecard_version)
    allowed = disputes.can_resolve(found, current_user)
    if form.validate_on_submit():
        if not allowed:
            abort(403)
        with user_errors(form.note.errors):
            disputes.resolve(found, current_user, form.note.data, _adjustments(form, evaluation))
            db.session.commit()
            flash(_("The dispute is resolved and the agent can see the decision."), "info")
            return redirect(url_for("disputes.queue"))
    return render_template(
        "disputes/resolve.html",
        dispute=found,
        evaluation=evaluation,
        form=form,
        allowed=allowed,
        version=evaluation.scorecard_version,
    )
