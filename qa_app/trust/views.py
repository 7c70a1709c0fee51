"""The trust page: how far the Auto QA rules can be trusted against the reviewers; and starting an
Auto QA run, which scores stored interactions again after the rules changed."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..accounts.access import roles_required
from ..accounts.models import Role
from ..autoqa.jobs import start_run
from ..autoqa.queries import period_of
from ..extensions import db
from ..jobs.tasks import enqueue
from .forms import STARTERS, RescoreForm, rescore_offer
from .queries import MIN_PAIRS, trust_report

bp = Blueprint("trust", __name__, url_prefix="/autoqa")
# The scorecard page offers the run too; it sits below this slice, so it asks through a global.
bp.add_app_template_global(rescore_offer)


@bp.get("/trust")
@roles_required(Role.ADMIN, Role.REVIEWER)
def trust() -> str:
    period = period_of(request.args)
    report = trust_report(period)
    return render_template("trust/trust.html", period=period, report=report, min_pairs=MIN_PAIRS)


@bp.post("/rescore")
@roles_required(*STARTERS)
def rescore() -> Response:
    """Start an Auto QA run as a job and show its progress; never a second one at a time."""
    form = RescoreForm()
    if not form.validate_on_submit():  # a day that is not a date, or out of range
        for error in form.since.errors:
            flash(str(error), "error")
        return redirect(url_for("trust.trust"))
    job, is_new = start_run(current_user, form.since.data)
    job_id, task_id, owner_id = job.id, str(job.task_id), job.owner_id
    db.session.commit()
    if is_new:
        enqueue(job_id, task_id)
    else:
        flash(_("An Auto QA run is already waiting or running: no second one is started."), "info")
        if owner_id != current_user.id and current_user.role != Role.ADMIN:
            return redirect(url_for("trust.trust"))
    return redirect(url_for("jobs.detail", job_id=job_id))
