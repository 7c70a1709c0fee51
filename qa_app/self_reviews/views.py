"""Asking for a self-review, the agent's list and scoring page, and the comparison page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from ..accounts.access import roles_required
from ..accounts.models import Role
from ..admin.forms import ConfirmForm
from ..errors import user_errors
from ..evaluations.access import register_agent_hider
from ..evaluations.forms import EvaluationFormBase, evaluation_form, read_form
from ..extensions import db
from ..interactions.models import Interaction
from ..scorecards.services import usable_versions
from ..scoring import BANDS
from ..ui.labels import label
from ..ui.navigation import register_count
from . import services
from .access import (
    open_for,
    own_self_review_or_404,
    visible_self_review_or_404,
    visible_self_reviews,
)
from .forms import RequestForm, fill_form
from .models import SelfReview

bp = Blueprint("self_reviews", __name__)
bp.record_once(lambda _state: register_agent_hider("self_reviews", services.HIDER))
bp.record_once(lambda _state: register_count("self_reviews", open_for))
PER_PAGE = 50


@bp.route("/interactions/<int:interaction_id>/self-review", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.REVIEWER)
def ask(interaction_id: int) -> Response | str:
    interaction = db.get_or_404(Interaction, interaction_id)
    versions = list(db.session.scalars(usable_versions()))
    form = RequestForm()
    form.offer(versions)
    if form.validate_on_submit():
        with user_errors(form.form_errors):
            version = next(v for v in versions if v.id == form.scorecard_id.data)
            review = services.request_self_review(interaction, version, current_user)
            db.session.commit()
            flash(_("Self-review asked for."), "info")
            return redirect(url_for("self_reviews.compare", review_id=review.id))
    return render_template("self_reviews/ask.html", form=form, interaction=interaction)


def _listing(template: str) -> str:
    stmt = visible_self_reviews(current_user).options(
        selectinload(SelfReview.interaction), selectinload(SelfReview.agent)
    )
    stmt = stmt.order_by(SelfReview.created_at.desc(), SelfReview.id.desc())
    page = db.paginate(stmt, per_page=PER_PAGE, error_out=False)
    return render_template(template, page=page, confirm=ConfirmForm())


@bp.get("/my/self-reviews")
@roles_required(Role.AGENT)
def mine() -> str:
    return _listing("self_reviews/mine.html")


@bp.get("/self-reviews/")
@roles_required(Role.ADMIN, Role.REVIEWER, Role.LEAD)
def index() -> str:
    return _listing("self_reviews/index.html")


def _render_form(
    review: SelfReview, form: EvaluationFormBase, status: int = 200
) -> tuple[str, int]:
    page = render_template(
        "evaluations/form.html",
        evaluation=review,
        form=form,
        interaction=review.interaction,
        version=review.scorecard_version,
        bands=[(band.min_score, label(band)) for band in BANDS],
        suggested_choice=lambda *_args: None,
        suggestions={},  # Auto QA suggestions are the reviewers' tool, not the agent's
        self_review=True,
    )
    return page, status


@bp.route("/self-reviews/<int:review_id>/score", methods=["GET", "POST"])
@roles_required(Role.AGENT)
def score(review_id: int) -> Response | tuple[str, int]:
    review = own_self_review_or_404(review_id)
    if not review.is_open:
        return redirect(url_for("self_reviews.compare", review_id=review.id))
    form = evaluation_form(review.scorecard_version)
    if request.method == "GET":
        fill_form(form, review)
    if form.validate_on_submit():
        return _save(review, form)
    return _render_form(review, form)


def _save(review: SelfReview, form: EvaluationFormBase) -> Response | tuple[str, int]:
    submit = form.action.data == "submit"
    data = read_form(form, review.scorecard_version)
    with user_errors(form.form_errors) as refused:
        try:
            services.save(review, data, submit=submit, lock_version=form.lock_version.data)
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            message = _("This self-review was saved after you opened it.")
            raise services.SelfReviewConflict(message) from None
    if refused:
        fresh = db.session.get(SelfReview, review.id) or review
        return _render_form(fresh, form, 200)
    flash(_("Self-review submitted.") if submit else _("Draft saved."), "info")
    endpoint = "self_reviews.compare" if submit else "self_reviews.score"
    return redirect(url_for(endpoint, review_id=review.id))


@bp.post("/self-reviews/<int:review_id>/decline")
@roles_required(Role.AGENT)
def decline(review_id: int) -> Response:
    review = own_self_review_or_404(review_id)
    if ConfirmForm().validate_on_submit():
        with user_errors():
            services.decline(review)
            db.session.commit()
            flash(_("Self-review declined."), "info")
    return redirect(url_for("self_reviews.mine"))


@bp.get("/self-reviews/<int:review_id>")
@login_required
def compare(review_id: int) -> Response | str:
    review = visible_self_review_or_404(review_id)
    if review.agent_id == current_user.id and review.is_open:
        return redirect(url_for("self_reviews.score", review_id=review.id))
    evaluation = services.reviewer_evaluation(review)
    return render_template(
        "self_reviews/compare.html",
        review=review,
        evaluation=evaluation,
        rows=services.comparison(review, evaluation),
        score_gap=services.score_gap(review, evaluation),
        confirm=ConfirmForm(),
    )
