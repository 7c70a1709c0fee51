"""Job pages: my jobs, one job with its progress bar, its status for the script, and cancel."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from ..accounts.access import roles_required
from ..extensions import db
from . import services
from .access import STARTERS, jobs_visible_to
from .models import Job

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
PER_PAGE = 50


def _visible_job(job_id: int) -> Job:
    """The job if the user may see it (404 otherwise), failed first if its worker went silent."""
    job = db.first_or_404(jobs_visible_to(current_user).where(Job.id == job_id))
    if services.expire_if_stale(job):
        db.session.commit()
    return job


@bp.get("/")
@roles_required(*STARTERS)
def index() -> str:
    stmt = jobs_visible_to(current_user).options(selectinload(Job.owner))
    page = db.paginate(stmt, per_page=PER_PAGE, error_out=False)
    return render_template("jobs/index.html", page=page)


@bp.get("/<int:job_id>")
@login_required
def detail(job_id: int) -> str:
    job = _visible_job(job_id)
    runner = services.RUNNERS.get(job.kind)
    shown = runner.present(job.result) if runner and job.result else None
    return render_template(
        "jobs/detail.html",
        job=job,
        status=services.status(job),
        result_template=runner.template if runner else None,
        result=shown,
    )


@bp.get("/<int:job_id>/status")
@login_required
def status(job_id: int) -> Response:
    return jsonify(services.status(_visible_job(job_id)))


@bp.post("/<int:job_id>/cancel")
@login_required
def cancel(job_id: int) -> Response:
    job = _visible_job(job_id)
    if job.owner_id != current_user.id:
        abort(403)
    services.request_cancel(job)
    db.session.commit()
    flash(_("The job will stop and keep nothing of its work."), "info")
    return redirect(url_for("jobs.detail", job_id=job.id))
