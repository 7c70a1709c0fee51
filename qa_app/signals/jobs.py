"""Signals' background work: computing after each import (a hook), and a run as a job kind.

The hook is registered after Auto QA's (JOB_SLICES lists autoqa first), so the signals of new
interactions see their auto results. Like every import hook it runs in a savepoint: a failure
is logged and the import is kept. A run's owner must be an active reviewer or admin.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import Role
from ..autoqa.cli import interaction_ids, start_of
from ..interactions.hooks import register_import_hook
from ..jobs import services as jobs
from ..jobs.models import Job, JobKind
from ..jobs.services import Outcome, Runner
from ..moments import parse_day
from .services import compute_import, compute_many, phrase_lists

INTERACTIONS = _l("%(done)s of %(total)s interactions")


def run_signals_job(job: Job) -> Outcome:
    """Compute the signals of the interactions the job names (``since``, or none for all)."""
    if not job.owner.is_active or job.owner.role not in (Role.REVIEWER, Role.ADMIN):
        return Outcome(False, error=_("Only a reviewer or an admin may compute signals."))
    day = parse_day(job.params.get("since"))
    ids = interaction_ids(start_of(day) if day is not None else None)
    progress = jobs.Progress(job.id, len(ids))
    progress(0)
    stored = compute_many(ids, progress)
    return Outcome(True, {"signals": stored, "total": len(ids)}, len(ids))


def run_result(result: dict[str, Any]) -> dict[str, int]:
    return {"signals": int(result.get("signals", 0)), "total": int(result.get("total", 0))}


def register_jobs() -> None:
    """The run as a job kind, and computing after every import (called once by create_app)."""
    runner = Runner(run_signals_job, "signals/_job_result.html", run_result, INTERACTIONS)
    jobs.register_runner(JobKind.SIGNALS_RUN, runner)
    register_import_hook("signals", compute_import, phrase_lists)
