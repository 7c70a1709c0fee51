"""The results rebuild as a job kind: throw the aggregates away and build them again.

No page starts it today (`flask results rebuild` runs it in-process with a bar on the terminal);
a job of this kind runs for an active admin only, checked when the worker takes it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import Role
from ..extensions import db
from ..jobs import services as jobs
from ..jobs.models import Job, JobKind
from ..jobs.services import Outcome, Runner
from .aggregates import REBUILD_STEPS, rebuild
from .models import AgentDayStats

# What the progress bar counts, as the job page words it.
STEPS = _l("%(done)s of %(total)s steps")


def run_rebuild_job(job: Job) -> Outcome:
    """Rebuild every aggregate in the job's transaction: all of it, or nothing."""
    if not job.owner.is_active or job.owner.role != Role.ADMIN:
        return Outcome(False, error=_("Only an admin may rebuild the results."))
    progress = jobs.Progress(job.id, REBUILD_STEPS)
    progress(0)
    rebuild(db.session.connection(), progress)
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(AgentDayStats)) or 0
    return Outcome(True, {"rows": int(rows)}, REBUILD_STEPS)


def rebuild_result(result: dict[str, Any]) -> dict[str, Any]:
    return {"rows": int(result.get("rows", 0))}


def register_jobs() -> None:
    """The rebuild may run as a job (called once by create_app)."""
    runner = Runner(run_rebuild_job, "results/_job_result.html", rebuild_result, STEPS)
    jobs.register_runner(JobKind.RESULTS_REBUILD, runner)
