"""Auto QA's background work: scoring after each import (a hook), and a run as a job kind.

A run scores stored interactions again (all of them, or those from a day on), all or nothing in
the job's transaction. Its owner must be an active reviewer or admin, checked by the worker.
One run at a time (the trust page starts it with `jobs.services.start_single`): a second would
score the same interactions and replace the same rows.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import Role
from ..interactions.hooks import register_import_hook
from ..jobs import services as jobs
from ..jobs.models import Job, JobKind
from ..jobs.services import Outcome, Runner
from ..moments import parse_day
from .cli import interaction_ids, start_of
from .services import score_import, score_many, word_form_languages

# What the progress bar counts, as the job page words it.
INTERACTIONS = _l("%(done)s of %(total)s interactions")


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
    register_import_hook("autoqa", score_import, word_form_languages)
