"""Reviewing the reviewers: the list to review, the review page and the quality page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..accounts.access import roles_required
from ..errors import user_errors
from ..evaluations.access import visible_evaluation_or_404
from ..extensions import db
from . import queries, services
from .access import SCORERS, scorer_or_404, senior_required
from .forms import QueueFilterForm, read_items, review_form

bp = Blueprint("reviews", __name__)
# The evaluation page offers "Review this evaluation" by asking this; evaluations never imports us.
bp.add_app_template_global(services.review_refusal)
bp.add_app_template_global(services.review_of)


@bp.get("/reviews")
@senior_required
def queue() -> str:
    form = QueueFilterForm(formdata=request.args)
    form.set_choices(queries.scorers())
    reviewer_id = request.args.get("reviewer", type=int)
    rows = queries.to_review(current_user, reviewer_id)
    return render_template("reviews/queue.html", form=form, evaluations=rows)


@bp.route("/evaluations/<int:evaluation_id>/review", methods=["GET", "POST"])
@senior_required
def review(evaluation_id: int) -> str | Response:
    evaluation = visible_evaluation_or_404(evaluation_id)
    refusal = services.review_refusal(evaluation, current_user)
    if refusal:
        raise services.ReviewError(refusal)
    criteria = services.reviewed_criteria(evaluation)
    form = review_form(criteria)
    if form.validate_on_submit():
        with user_errors(form.form_errors):
            items = read_items(form, criteria)
            services.save_review(evaluation, current_user, items, (form.comment.data or "").strip())
            db.session.commit()
            flash(_("Your review is saved."), "info")
            return redirect(url_for("evaluations.view", evaluation_id=evaluation.id))
    return render_template(
        "reviews/review.html", evaluation=evaluation, criteria=criteria, form=form
    )


@bp.get("/reviewers")
@roles_required(*SCORERS)
def reviewers() -> str | Response:
    """Senior reviewers and admins pick a reviewer; any other reviewer goes to their own page."""
    if not services.may_review(current_user):
        return redirect(url_for("reviews.quality", reviewer_id=current_user.id))
    return render_template("reviews/reviewers.html", scorers=queries.scorers())


@bp.get("/reviewers/<int:reviewer_id>/quality")
@roles_required(*SCORERS)
def quality(reviewer_id: int) -> str:
    reviewer = scorer_or_404(reviewer_id)
    return render_template(
        "reviews/quality.html",
        reviewer=reviewer,
        quality=queries.quality(reviewer),
        reviews=queries.recent_reviews(reviewer),
    )
