"""Auto QA's background work: scoring after each import (a hook), and a run as a job kind.

A run scores stored interactions again (all of them, or those from a day on), all or nothing in
the job's transaction. Its owner must be an active reviewer or admin, checked by the worker.
One run at a time: a second would score the same interactions and replace the same rows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import Role, User
from ..extensions import db
from ..interactions.hooks import register_import_hook
from ..jobs import services as jobs
from ..jobs.models import Job, JobKind, JobState
from ..jobs.services import Outcome, Runner
from ..moments import parse_day
from .cli import interaction_ids, start_of
from .services import score_import, score_many

# What the progress bar counts, as the job page words it.
INTERACTIONS = _l("%(done)s of %(total)s interactions")


def active_run() -> Job | None:
    """The Auto QA run waiting or running now, if any; one whose worker went silent is failed."""
    stmt = sa.select(Job).where(
        Job.kind == JobKind.AUTOQA_RUN, Job.state.in_((JobState.QUEUED, JobState.RUNNING))
    )
    for job in db.session.scalars(stmt.order_by(Job.id)).all():
        if not jobs.expire_if_stale(job):
            return job
    return None


def start_run(owner: User, since: date | None) -> tuple[Job, bool]:
    """A queued run (True), or the run already waiting or running (False); the caller commits."""
    found = active_run()
    if found is not None:
        return found, False
    params = {} if since is None else {"since": since.isoformat()}
    return jobs.create_job(JobKind.AUTOQA_RUN, owner, params), True


def run_autoqa_job(job: Job) -> Outcome:
    """Score the interactions the job names (params: ``since``, a day, or none for all)."""
    if not job.owner.is_active or job.owner.role not in (Role.REVIEWER, Role.ADMIN):
        return Outcome(False, error=_("Only a reviewer or an admin may run Auto QA."))
    day = parse_day(job.params.get("since"))
    ids = interaction_ids(start_of(day) if day is not None else None)
    progress = jobs.Progress(job.id, len(ids))
    progress(0)
    scored = score_many(ids, progress)
    return Outcome(True, {"scored": scored, "total": len(ids)}, len(ids))


def run_result(result: dict[str, Any]) -> dict[str, int]:
    return {"scored": int(result.get("scored", 0)), "total": int(result.get("total", 0))}


def register_jobs() -> None:
    """The run as a job kind, and scoring after every import (called once by create_app)."""
    runner = Runner(run_autoqa_job, "autoqa/_job_result.html", run_result, INTERACTIONS)
    jobs.register_runner(JobKind.AUTOQA_RUN, runner)
    register_import_hook("autoqa", score_import)
