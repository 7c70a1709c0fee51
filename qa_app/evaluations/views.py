"""Scoring an interaction, reading an evaluation, acknowledging it, and the agent's list."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from ..accounts.access import roles_required
from ..accounts.models import Role
from ..admin.forms import ConfirmForm
from ..autoqa.convert import shown_turns
from ..autoqa.queries import ShownSuggestion, shown_suggestions
from ..calibration.access import is_frozen, scoring_session_or_404
from ..calibration.queries import own_evaluation
from ..errors import user_errors
from ..extensions import db
from ..interactions.models import Interaction
from ..rootcauses.models import RootCause
from ..rootcauses.services import offered, picks_by_score
from ..scorecards.models import ScorecardVersion
from ..scorecards.services import usable_versions
from ..scoring import BANDS
from ..ui.keyset import keyset_page
from ..ui.labels import label
from ..ui.navigation import register_count
from . import queries, services
from .access import (
    own_evaluation_or_404,
    visible_evaluation_or_404,
    visible_evaluations,
    visible_ordinary_evaluations,
)
from .forms import (
    EvaluationFormBase,
    evaluation_form,
    fill_form,
    prefill,
    read_form,
    suggested_choice,
)
from .models import Evaluation, EvaluationStatus
from .queries import apply_list_filters, parse_list_filters

bp = Blueprint("evaluations", __name__)
# The menu counts what waits (docs/navigation.md).
bp.record_once(lambda _state: register_count("drafts", queries.own_drafts))
bp.record_once(lambda _state: register_count("unread", queries.unread_by))
SCORERS = (Role.ADMIN, Role.REVIEWER)
PER_PAGE = 50
bp.add_app_template_global(shown_turns)  # the conversation partial, also on the playground


def scorecards_for(interaction: Interaction) -> list[ScorecardVersion]:
    """Published scorecards: first those made for this channel alone, then the general ones."""
    versions = list(db.session.scalars(usable_versions()))
    channel = interaction.channel.value
    return sorted(versions, key=lambda v: (channel not in v.channels, len(v.channels)))


def _suggestions(evaluation: Evaluation) -> dict[int, ShownSuggestion]:
    """The Auto QA suggestions for this evaluation's version; none in calibration (blind)."""
    if evaluation.is_calibration:
        return {}
    return shown_suggestions(evaluation.interaction, evaluation.scorecard_version.id)


def _render_form(
    evaluation: Evaluation, form: EvaluationFormBase, status: int = 200, **extra: object
) -> tuple[str, int]:
    extra.setdefault("suggestions", _suggestions(evaluation))
    extra["root_causes"] = offered(evaluation.scorecard_version.scorecard_id)
    extra["picked"] = _picked(evaluation)
    page = render_template(
        "evaluations/form.html",
        evaluation=evaluation,
        form=form,
        interaction=evaluation.interaction,
        version=evaluation.scorecard_version,
        bands=[(band.min_score, label(band)) for band in BANDS],  # for the live score
        suggested_choice=suggested_choice,
        **extra,
    )
    return page, status


def _picked(evaluation: Evaluation) -> dict[int, list[RootCause]]:
    """The root causes stored per criterion id (retired ones too: they stay where picked)."""
    by_score = {s.id: s.criterion_id for s in evaluation.scores if s.id is not None}
    found = picks_by_score(list(by_score)) if by_score else {}
    return {by_score[score_id]: causes for score_id, causes in found.items()}


def _store(evaluation: Evaluation, form: EvaluationFormBase) -> None:
    services.save(
        evaluation,
        read_form(form, evaluation.scorecard_version),
        current_user,
        submit=form.action.data == "submit" or evaluation.is_submitted,
        lock_version=form.lock_version.data,
        reason=form.reason.data or "",
    )
    db.session.commit()


def _save(evaluation: Evaluation, form: EvaluationFormBase) -> Response | tuple[str, int]:
    try:
        with user_errors(form.form_errors, passing=(services.EvaluationConflict,)):
            _store(evaluation, form)
            done = _("Evaluation submitted.") if evaluation.is_submitted else _("Draft saved.")
            flash(done, "info")
            return redirect(url_for("evaluations.view", evaluation_id=evaluation.id))
    except (services.EvaluationConflict, StaleDataError):
        # Not a message but a page: the user's input next to the values saved meanwhile.
        db.session.rollback()
        fresh = db.session.get(Evaluation, evaluation.id)
        return _render_form(fresh, form, 409, conflict=True)
    return _render_form(evaluation, form)


def _start(
    interaction: Interaction,
    version: ScorecardVersion,
    back: str,
    session_id: int | None = None,
    **extra: object,
) -> Response | tuple[str, int]:
    """Open a new evaluation's form and save it when sent; a refusal goes back to `back`."""
    with user_errors() as refused:
        evaluation = services.start(
            interaction, version, current_user, calibration_session_id=session_id
        )
    if refused:
        return redirect(back)
    form = evaluation_form(version)
    if form.validate_on_submit():
        return _save(evaluation, form)
    suggestions = _suggestions(evaluation)
    if request.method == "GET":  # only a new evaluation starts from the suggestions
        prefill(form, suggestions)
    return _render_form(evaluation, form, suggestions=suggestions, **extra)


def _new_calibration(
    interaction: Interaction, session_id: int | None
) -> Response | tuple[str, int]:
    """Blind scoring in a calibration session: participants only, once per interaction."""
    found = scoring_session_or_404(session_id, interaction)
    existing = own_evaluation(found.id, interaction.id, current_user.id)
    if existing is not None:
        endpoint = "evaluations.view" if existing.is_submitted else "evaluations.edit"
        return redirect(url_for(endpoint, evaluation_id=existing.id))
    back = url_for("calibration.view", session_id=found.id)
    if found.results_open:
        flash(_("This calibration session has ended: it takes no more scores."), "error")
        return redirect(back)
    return _start(interaction, found.scorecard_version, back, found.id)


def _own_draft(interaction: Interaction) -> int | None:
    """The id of the user's unfinished evaluation of the interaction, outside calibration."""
    return db.session.scalar(queries.own_draft(interaction.id, current_user.id))


@bp.route("/evaluations/new", methods=["GET", "POST"])
@roles_required(*SCORERS)
def new() -> Response | tuple[str, int]:
    interaction_id = request.args.get("interaction", type=int)
    if interaction_id is None:
        abort(404)
    interaction = db.get_or_404(Interaction, interaction_id)
    if "calibration" in request.args:
        return _new_calibration(interaction, request.args.get("calibration", type=int))
    draft = _own_draft(interaction)
    if draft is not None:
        return redirect(url_for("evaluations.edit", evaluation_id=draft))
    choices = scorecards_for(interaction)
    chosen = request.args.get("scorecard", type=int)
    version = next((v for v in choices if v.id == chosen), choices[0] if choices else None)
    if version is None:
        flash(_("Publish a scorecard before evaluating."), "error")
        return redirect(url_for("scorecards.index"))
    back = url_for("interactions.detail", interaction_id=interaction.id)
    return _start(interaction, version, back, choices=choices)


@bp.route("/evaluations/<int:evaluation_id>/edit", methods=["GET", "POST"])
@roles_required(*SCORERS)
def edit(evaluation_id: int) -> Response | tuple[str, int]:
    evaluation = db.get_or_404(Evaluation, evaluation_id)
    if evaluation.reviewer_id != current_user.id:
        abort(403)
    if is_frozen(evaluation):
        flash(_("The calibration session has ended: its scores no longer change."), "error")
        return redirect(url_for("evaluations.view", evaluation_id=evaluation.id))
    form = evaluation_form(evaluation.scorecard_version)
    if request.method == "GET":
        fill_form(form, evaluation)
    if form.validate_on_submit():
        return _save(evaluation, form)
    return _render_form(evaluation, form)


@bp.get("/evaluations/<int:evaluation_id>")
@login_required
def view(evaluation_id: int) -> str:
    evaluation = visible_evaluation_or_404(evaluation_id)
    is_agent = evaluation.interaction.agent_id == current_user.id
    return render_template(
        "evaluations/view.html",
        evaluation=evaluation,
        interaction=evaluation.interaction,
        version=evaluation.scorecard_version,
        confirm=ConfirmForm(),
        is_agent=is_agent,
        picked=_picked(evaluation),
    )


@bp.post("/evaluations/<int:evaluation_id>/acknowledge")
@roles_required(Role.AGENT)
def acknowledge(evaluation_id: int) -> Response:
    evaluation = own_evaluation_or_404(evaluation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.acknowledge(evaluation, current_user)
    db.session.commit()
    flash(_("Thank you: the evaluation is marked as read."), "info")
    return redirect(url_for("evaluations.view", evaluation_id=evaluation.id))


def _listing(
    stmt: sa.Select[tuple[Evaluation]], template: str, status: EvaluationStatus | None = None
) -> str:
    stmt = stmt.options(
        selectinload(Evaluation.interaction).selectinload(Interaction.agent),
        selectinload(Evaluation.reviewer),
        selectinload(Evaluation.scorecard_version),
        selectinload(Evaluation.disputes),  # the status column asks for an open dispute
    )
    found = parse_list_filters(request.args)
    stmt = apply_list_filters(stmt, found, days=False)
    late = queries.late_days(found, current_user)
    page = keyset_page(stmt, queries.list_parts(status), PER_PAGE, Evaluation.id, late)
    return render_template(template, page=page, list_filters=found)


@bp.get("/my/scorecards")
@roles_required(Role.AGENT)
def mine() -> str:
    return _listing(visible_evaluations(current_user), "evaluations/mine.html")


@bp.get("/evaluations/")
@roles_required(Role.ADMIN, Role.REVIEWER, Role.LEAD)
def index() -> str:
    stmt, status = visible_ordinary_evaluations(current_user), None
    if request.args.get("status") in {s.value for s in EvaluationStatus}:
        status = EvaluationStatus(request.args["status"])
        stmt = stmt.where(queries.with_status(status))
    if request.args.get("mine") == "1":
        stmt = stmt.where(Evaluation.reviewer_id == current_user.id)
    return _listing(stmt, "evaluations/index.html", status)
