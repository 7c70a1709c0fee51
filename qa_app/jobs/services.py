"""Job writes: create, claim, report progress, finish, cancel, and fail jobs whose worker died.

Services flush; the caller (a view, or the task in tasks.py) commits. State changes are
conditional updates ("from running to done"), so a worker, a cancel and the sweep can race and
only one of them wins.

While a job runs, its own transaction may hold the database's write lock (SQLite allows one
writer), so the live progress, the heartbeat and the cancel request are kept in the queue's
key-value store instead; the Job row gets the final numbers when the job ends (docs/jobs.md).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from huey import Huey

from ..accounts.models import User
from ..database import utcnow
from ..extensions import db
from ..i18n import DEFAULT_LANGUAGE
from ..ui.labels import label
from .files import discard_upload
from .models import Job, JobKind, JobState

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """How a job's work ended: stored (ok) or rolled back, with what to show the user."""

    ok: bool
    result: dict[str, Any] = field(default_factory=dict)
    done: int = 0
    error: str | None = None


@dataclass(frozen=True)
class Runner:
    """What a slice gives for one kind of job: the work, and how its result is shown.

    `present` turns the stored result (JSON) into what `template` (a page fragment) shows;
    `counting` names what the progress counts, with %(done)s and %(total)s ("… of … rows").
    """

    run: Callable[[Job], Outcome]
    template: str
    present: Callable[[dict[str, Any]], Any]
    counting: Any  # a lazy text, worded when the page is shown


# Filled by each slice's explicit registration call in create_app; the jobs slice knows no slice.
RUNNERS: dict[JobKind, Runner] = {}


def register_runner(kind: JobKind, runner: Runner) -> None:
    """Say how jobs of this kind run and show their result."""
    RUNNERS[kind] = runner


# Called after a job's end is committed, with (session, kind, state, job id, result), keyed by
# name: a slice above tells others that work ended (webhooks). A failing hook is logged only.
JobEndHook = Callable[[Any, JobKind, JobState, int, Any], None]
JOB_END_HOOKS: dict[str, JobEndHook] = {}


def register_job_end(name: str, hook: JobEndHook) -> None:
    JOB_END_HOOKS[name] = hook


# Work a worker does once before it takes jobs (loading what jobs would otherwise load inside
# their transaction); each returns a line for the worker's start-up message. Keyed by name.
WORKER_STARTS: dict[str, Callable[[], str]] = {}


def register_worker_start(name: str, start: Callable[[], str]) -> None:
    """Run ``start()`` in each worker before it takes its first job."""
    WORKER_STARTS[name] = start


def start_worker() -> list[str]:
    """Run every registered start-up step; a failing one is logged and the worker goes on."""
    lines = []
    for name, start in WORKER_STARTS.items():
        try:
            lines.append(start())
        except Exception:
            logger.exception("The worker's start-up step %s failed", name)
            db.session.rollback()
    return lines


class JobCancelled(Exception):
    """The owner asked the running job to stop; its work is rolled back."""


def queue() -> Huey:
    """The app's Huey instance (built in tasks.init_jobs)."""
    huey: Huey = current_app.extensions["huey"]
    return huey


def _live_key(job_id: int) -> str:
    return f"qa-job:{job_id}:live"


def _cancel_key(job_id: int) -> str:
    return f"qa-job:{job_id}:cancel"


def create_job(kind: JobKind, owner: User, params: dict[str, Any]) -> Job:
    """A queued job; the caller commits, then calls enqueue (the worker must see the row)."""
    job = Job(kind=kind, owner=owner, params=params, task_id=uuid.uuid4().hex)
    job.state = JobState.QUEUED
    db.session.add(job)
    db.session.flush()
    return job


def active_job(kind: JobKind) -> Job | None:
    """The job of this kind waiting or running now, if any (one whose worker went silent fails)."""
    stmt = sa.select(Job).where(
        Job.kind == kind, Job.state.in_((JobState.QUEUED, JobState.RUNNING))
    )
    for job in db.session.scalars(stmt.order_by(Job.id)).all():
        if not expire_if_stale(job):
            return job
    return None


def start_single(kind: JobKind, owner: User, params: dict[str, Any]) -> tuple[Job, bool]:
    """For a kind that runs one at a time: a new queued job (True), or the one already waiting or
    running (False). The caller commits, and enqueues a new one."""
    found = active_job(kind)
    if found is not None:
        return found, False
    return create_job(kind, owner, params), True


def _move(job_id: int, from_states: set[JobState], **values: Any) -> bool:
    """Change a job only if it is still in one of these states; True when it changed."""
    stmt = sa.update(Job).where(Job.id == job_id, Job.state.in_(from_states)).values(**values)
    changed = db.session.execute(stmt, execution_options={"synchronize_session": False})
    return bool(changed.rowcount == 1)  # type: ignore[attr-defined]


def claim(job_id: int) -> bool:
    """Mark a queued job running; False when it was cancelled (or claimed) meanwhile."""
    now = utcnow()
    return _move(
        job_id, {JobState.QUEUED}, state=JobState.RUNNING, started_at=now, heartbeat_at=now
    )


class Progress:
    """Called by the work with the units done: saves progress and a heartbeat, obeys a cancel."""

    def __init__(self, job_id: int, total: int | None) -> None:
        self.job_id, self.total = job_id, total

    def __call__(self, done: int) -> None:
        store = queue()
        store.put(_live_key(self.job_id), {"done": done, "total": self.total, "beat": time.time()})
        if store.get(_cancel_key(self.job_id), peek=True):
            raise JobCancelled


def live(job_id: int) -> dict[str, Any]:
    """The running job's last progress report ({} before the first one)."""
    return queue().get(_live_key(job_id), peek=True) or {}


def finish(job_id: int, state: JobState, **values: Any) -> bool:
    """End a running job (done, failed or cancelled); False when something else ended it first."""
    now = utcnow()
    changed = _move(
        job_id, {JobState.RUNNING}, state=state, finished_at=now, heartbeat_at=now, **values
    )
    if changed:
        forget_live(job_id)
    return changed


def forget_live(job_id: int) -> None:
    queue().delete(_live_key(job_id))
    queue().delete(_cancel_key(job_id))


def owner_language(job: Job) -> str:
    return job.owner.language or DEFAULT_LANGUAGE


def request_cancel(job: Job) -> None:
    """Cancel a waiting job at once; ask a running one to stop at its next batch."""
    stopped = _move(job.id, {JobState.QUEUED}, state=JobState.CANCELLED, finished_at=utcnow())
    if stopped:
        if job.task_id:
            queue().revoke_by_id(job.task_id)
        discard_upload(job.params)
    elif job.state == JobState.RUNNING:
        queue().put(_cancel_key(job.id), True)


def fail_unqueued(job_id: int, error: str) -> None:
    """Fail a job the queue never took."""
    if _move(job_id, {JobState.QUEUED}, state=JobState.FAILED, finished_at=utcnow(), error=error):
        job = db.session.get(Job, job_id)
        discard_upload(job.params if job else {})


def is_cancelling(job: Job) -> bool:
    return job.state == JobState.RUNNING and bool(queue().get(_cancel_key(job.id), peek=True))


def last_beat(job: Job) -> datetime | None:
    """The later of the row's heartbeat and the live one."""
    beat = live(job.id).get("beat")
    live_at = datetime.fromtimestamp(beat, tz=UTC) if beat else None
    beats = [at for at in (job.heartbeat_at, live_at, job.started_at) if at is not None]
    return max(beats) if beats else None


def expire_if_stale(job: Job) -> bool:
    """Fail a running job whose worker has not been heard of within the timeout."""
    if job.state != JobState.RUNNING:
        return False
    timeout = timedelta(seconds=current_app.config["JOB_HEARTBEAT_TIMEOUT_SECONDS"])
    beat = last_beat(job)
    if beat is not None and utcnow() - beat < timeout:
        return False
    with force_locale(owner_language(job)):
        error = _(
            "The worker stopped while the job was running. Nothing was stored; start it again."
        )
    if not finish(job.id, JobState.FAILED, error=error):
        return False
    discard_upload(job.params)
    db.session.refresh(job)
    return True


def sweep() -> int:
    """Fail every running job whose heartbeat is older than the timeout; how many were failed."""
    running = db.session.scalars(sa.select(Job).where(Job.state == JobState.RUNNING))
    return sum(expire_if_stale(job) for job in list(running))


def status(job: Job) -> dict[str, Any]:
    """What the job page's script needs to draw the progress bar."""
    now = live(job.id) if job.state == JobState.RUNNING else {}
    done = int(now.get("done", job.progress_done))
    total = now.get("total", job.progress_total)
    return {
        "state": job.state.value,
        "label": label(job.state),
        "done": done,
        "total": total,
        "percent": min(100, round(100 * done / total)) if total else None,
        "is_over": job.state.is_over,
        "is_cancelling": is_cancelling(job),
    }
