"""The scheduled pull: a periodic task on the app's queue starts a pull job when one is due.

Built per app like the jobs' own tasks (qa_app/jobs/tasks.py). The task runs every minute and
starts a job only when the admin's interval has passed since the last pull started; the job
kind runs one at a time, so a slow pull is never doubled.
"""

from __future__ import annotations

import logging

from flask import Flask
from huey import crontab

from ..accounts.models import User
from ..database import utcnow
from ..extensions import db
from ..jobs.models import Job
from ..jobs.services import start_single
from ..jobs.tasks import enqueue
from .jobs import KIND
from .models import HelpdeskConnection
from .services import ZENDESK, connection, is_due, may_own_pulls

logger = logging.getLogger(__name__)


def start_pull(row: HelpdeskConnection, owner_id: int) -> tuple[Job, bool]:
    """Start a pull job (True), or hand back the one waiting or running (False); enqueued."""
    owner = db.session.get(User, owner_id)
    assert owner is not None
    job, new = start_single(KIND, owner, {"source": row.source})
    if new:
        row.last_started_at = utcnow()
    job_id, task_id = job.id, str(job.task_id)
    db.session.commit()
    if new:
        enqueue(job_id, task_id)
    return job, new


def start_due_pulls() -> bool:
    """Start the scheduled pull if it is due; True when a job was started."""
    row = connection(ZENDESK)
    if not is_due(row, utcnow()):
        db.session.rollback()
        return False
    if not may_own_pulls(row.updated_by):
        logger.warning("The scheduled helpdesk pull has no active admin to run as; skipped.")
        db.session.rollback()
        return False
    assert row.updated_by_id is not None
    return start_pull(row, row.updated_by_id)[1]


def init_connectors(app: Flask) -> None:
    """The periodic task that starts scheduled pulls, on the app's queue."""
    huey = app.extensions["huey"]

    def due_task() -> None:
        with app.app_context():
            start_due_pulls()

    every_minute = crontab(minute="*")
    huey.periodic_task(every_minute, name="helpdesk_pull_due")(due_task)
