"""The app's queue (Huey), the task that runs every job, and the runner of each job kind.

Huey registers task functions on one Huey instance, and which instance (in-process for tests, a
SQLite file, or Redis) depends on the app's settings; so init_jobs builds it per app and keeps it
in app.extensions, and the tasks are closures over that app. The worker (`flask jobs worker`)
builds the same app and so the same tasks. See docs/jobs.md.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab

from ..extensions import db
from ..ops.services import add_readiness_check
from . import files, services
from .models import Job, JobState

logger = logging.getLogger(__name__)


def _end(job_id: int, state: JobState, **values: Any) -> bool:
    if services.finish(job_id, state, **values):
        db.session.commit()
        _tell_job_end(job_id, state, values.get("result"))
        return True
    db.session.rollback()  # cancelled or failed by the sweep meanwhile: keep nothing of the work
    return False


def _tell_job_end(job_id: int, state: JobState, result: Any) -> None:
    kind = db.session.scalar(sa.select(Job.kind).where(Job.id == job_id))
    for name, hook in services.JOB_END_HOOKS.items():
        try:
            hook(db.session, kind, state, job_id, result)
        except Exception:
            db.session.rollback()
            logger.exception("The %s hook after job %s failed", name, job_id)


def _work(job: Job) -> None:
    job_id = job.id
    try:
        outcome = services.RUNNERS[job.kind].run(job)
    except services.JobCancelled:
        db.session.rollback()
        _end(job_id, JobState.CANCELLED)
        return
    except Exception:
        db.session.rollback()
        logger.exception("Job %s stopped on an error", job_id)
        _end(job_id, JobState.FAILED, error=_("The job stopped on an unexpected error."))
        return
    if not outcome.ok:
        db.session.rollback()
    state = JobState.DONE if outcome.ok else JobState.FAILED
    values = {"progress_done": outcome.done, "progress_total": outcome.done}
    ended = _end(job_id, state, result=outcome.result, error=outcome.error, **values)
    if not (ended and outcome.ok):
        files.discard(outcome.result)  # only a job that ended done keeps its file


def run_job(job_id: int) -> None:
    """Claim a queued job and run it; its writes and its end are committed together."""
    if not services.claim(job_id):
        db.session.rollback()
        return
    db.session.commit()
    job = db.session.get(Job, job_id)
    assert job is not None
    params = dict(job.params)
    try:
        with force_locale(services.owner_language(job)):
            _work(job)
    finally:
        files.discard_upload(params)


def sweep_jobs() -> None:
    """Fail the running jobs whose worker was not heard of within the timeout; delete old files."""
    if services.sweep():
        db.session.commit()
    files.sweep_files()


def make_huey(app: Flask) -> Huey:
    """In-process for tests, Redis when REDIS_URL is set, else a SQLite file under instance/."""
    name = app.config["JOBS_QUEUE_NAME"]
    if app.config["JOBS_IMMEDIATE"]:
        return MemoryHuey(name, immediate=True, results=False)
    if app.config.get("REDIS_URL"):
        return RedisHuey(name, url=app.config["REDIS_URL"], results=False)
    path = Path(app.config["JOBS_QUEUE_FILE"])
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(path), results=False)


def init_jobs(app: Flask) -> None:
    """Build the app's queue and register its tasks, each run in an app context of its own."""
    huey = make_huey(app)

    def run_job_task(job_id: int) -> None:
        with app.app_context():
            run_job(job_id)

    def sweep_task() -> None:
        with app.app_context():
            sweep_jobs()

    app.extensions["huey"] = huey

    def job_queue() -> None:
        """The queue answers (a write and a read of its key-value store)."""
        huey.put("qa-ready", "1")
        huey.get("qa-ready")

    if not app.config["JOBS_IMMEDIATE"]:
        add_readiness_check(app, job_queue)
    app.extensions["huey.run_job"] = huey.task(name="run_job")(run_job_task)
    every_minute = crontab(minute="*")
    app.extensions["huey.sweep"] = huey.periodic_task(every_minute, name="sweep_jobs")(sweep_task)


def enqueue(job_id: int, task_id: str) -> None:
    """Hand a committed job to the queue; a queue that cannot take it fails the job.

    Takes plain values: reading a committed row would open a transaction, and on SQLite a
    writing request's transaction would lock out the job run in immediate mode.
    """
    task = current_app.extensions["huey.run_job"].s(job_id, id=task_id)
    try:
        services.queue().enqueue(task)
    except Exception:
        logger.exception("The queue did not take job %s", job_id)
        services.fail_unqueued(job_id, _("The job queue could not be reached. Try again later."))
        db.session.commit()
