"""Calibration pages: the sessions, setting one up, its progress, results and chart."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from ..accounts.access import roles_required
from ..accounts.models import Role, User
from ..admin.forms import ConfirmForm
from ..admin.models import calibration_tolerance
from ..errors import user_errors
from ..extensions import db
from ..results.chart_cache import drawn_by, svg_response
from ..scorecards.services import usable_versions
from ..ui.navigation import register_count
from . import charts, queries, services
from .access import can_manage, results_refusal, session_or_404, visible_sessions
from .consistency import RECENT_SESSIONS, consistency
from .forms import SessionForm, fill_choices, read_form
from .models import CalibrationSession
from .results import session_results

bp = Blueprint("calibration", __name__, url_prefix="/calibration")
bp.record_once(lambda _state: register_count("calibration", queries.awaiting_scores))
MEMBERS = (Role.ADMIN, Role.REVIEWER)
PER_PAGE = 50


@bp.get("/")
@roles_required(*MEMBERS)
def index() -> str:
    stmt = visible_sessions(current_user).options(
        selectinload(CalibrationSession.leader),
        selectinload(CalibrationSession.scorecard_version),
    )
    order = (CalibrationSession.created_at.desc(), CalibrationSession.id.desc())
    page = db.paginate(stmt.order_by(*order), per_page=PER_PAGE, error_out=False)
    return render_template("calibration/index.html", page=page)


def _scorers() -> list[User]:
    stmt = sa.select(User).where(User.role.in_(MEMBERS), User.is_active.is_(True))
    return list(db.session.scalars(stmt.order_by(User.display_name)))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MEMBERS)
def new() -> str | BaseResponse:
    form = SessionForm()
    fill_choices(form, db.session.scalars(usable_versions()), _scorers())
    if form.validate_on_submit():
        with user_errors(form.form_errors):
            created = services.create_session(current_user, read_form(form))
            db.session.commit()
            flash(_("Session created: the participants can start scoring."), "info")
            return redirect(url_for("calibration.view", session_id=created.id))
    return render_template("calibration/new.html", form=form)


@bp.get("/<int:session_id>")
@roles_required(*MEMBERS)
def view(session_id: int) -> str:
    found = session_or_404(session_id)
    return render_template(
        "calibration/session.html",
        calibration=found,
        progress=queries.progress(found),
        submitted=queries.submitted_count(found),
        can_manage=can_manage(found, current_user),
        is_participant=found.has_participant(current_user),
        refusal=results_refusal(found, current_user),
        confirm=ConfirmForm(),
    )


@bp.post("/<int:session_id>/close")
@roles_required(*MEMBERS)
def close(session_id: int) -> BaseResponse:
    found = session_or_404(session_id)
    if not can_manage(found, current_user):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.close_session(found)
    db.session.commit()
    flash(_("The session is closed and its results are open."), "info")
    return redirect(url_for("calibration.results", session_id=found.id))


@bp.get("/<int:session_id>/results")
@roles_required(*MEMBERS)
def results(session_id: int) -> str | BaseResponse:
    found = session_or_404(session_id)
    refusal = results_refusal(found, current_user)
    if refusal:
        flash(refusal, "info")
        return redirect(url_for("calibration.view", session_id=found.id))
    return render_template(
        "calibration/results.html",
        calibration=found,
        results=session_results(found, calibration_tolerance()),
    )


@bp.get("/<int:session_id>/scores.svg")
@roles_required(*MEMBERS)
def chart(session_id: int) -> Response:
    found = session_or_404(session_id)
    if results_refusal(found, current_user):
        abort(404)
    shown = session_results(found, calibration_tolerance())
    reviewers = [(reviewer.id, reviewer.display_name) for reviewer in shown.reviewers]
    return svg_response(
        drawn_by("calibration.scores", charts.scores_chart, shown.chart_rows(), reviewers)
    )


@bp.get("/consistency")
@roles_required(*MEMBERS)
def consistency_page() -> str:
    reviewer_ids = None if current_user.role == Role.ADMIN else [current_user.id]
    tolerance = calibration_tolerance()
    return render_template(
        "calibration/consistency.html",
        rows=consistency(reviewer_ids, tolerance),
        tolerance=tolerance,
        recent=RECENT_SESSIONS,
    )
