"""Job pages: my jobs, one job with its progress bar, its status for the script, cancel, and
the download of the file a job made (its owner only)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from ..audit.models import AuditAction
from ..audit.services import record_event
from ..extensions import db
from . import files, services
from .access import jobs_visible_to
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
@login_required
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
    has_file = bool(job.result and job.result.get("file"))
    return render_template(
        "jobs/detail.html",
        job=job,
        status=services.status(job),
        result_template=runner.template if runner else None,
        counting=str(runner.counting) if runner else "%(done)s / %(total)s",
        result=shown,
        has_file=has_file,
        file_kept=has_file and files.kept_file(job) is not None,
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


@bp.get("/<int:job_id>/download")
@login_required
def download(job_id: int) -> Response:
    """The job's file, to its owner only: it holds a team's data (admins get 404 too)."""
    job = db.first_or_404(jobs_visible_to(current_user).where(Job.id == job_id))
    path = files.kept_file(job) if job.owner_id == current_user.id else None
    if path is None:
        abort(404)
    about = job.result["file"]
    detail = {"what": "job_file", "kind": str(job.kind), "file": about["name"]}
    record_event(AuditAction.EXPORT, target=f"job {job.id}", detail=detail)
    db.session.commit()
    response = send_file(
        path,
        mimetype=about["mimetype"],
        as_attachment=True,
        download_name=about["name"],
        conditional=False,
        etag=False,
    )
    response.headers["Cache-Control"] = "no-store"  # people's scores: never kept in a cache
    return response
