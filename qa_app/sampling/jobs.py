"""The web "run for a period" as a job: the worker draws and assigns the plan's sample.

All or nothing as before: the run, its assignments and its shortfalls are committed with the job
marked done, or not at all. Who may run the plan is checked by the route and again by the worker.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..extensions import db
from ..jobs import services as jobs
from ..jobs.models import Job, JobKind
from ..jobs.services import Outcome, Runner
from . import queries, services
from .models import SamplingPlan

# What the progress bar counts, as the job page words it.
AGENTS = _l("%(done)s of %(total)s agents")


def start_sampling_job(owner: User, plan: SamplingPlan, day: date) -> Job:
    """A queued run of the plan for the period holding `day` (the caller commits and enqueues)."""
    return jobs.create_job(JobKind.SAMPLING_RUN, owner, {"plan": plan.id, "day": day.isoformat()})


def _plan(job: Job) -> SamplingPlan | None:
    """The job's plan, if its owner may still run it."""
    owner = job.owner
    if not owner.is_active or owner.role not in queries.MANAGERS:
        return None
    stmt = queries.visible_plans(owner).where(SamplingPlan.id == int(job.params["plan"]))
    return db.session.scalar(stmt)


def run_sampling_job(job: Job) -> Outcome:
    """Run the plan; progress counts the plan's agents (all at once: the draw is one step)."""
    plan = _plan(job)
    if plan is None:
        return Outcome(False, error=_("You may no longer run this sampling plan."))
    agents = len(services.plan_agent_ids(plan))
    progress = jobs.Progress(job.id, agents)
    progress(0)
    try:
        outcome = services.run_plan(plan, date.fromisoformat(job.params["day"]), job.owner)
    except services.SamplingError as exc:
        return Outcome(False, error=str(exc))
    progress(agents)
    run = outcome.run
    result = {
        "plan": plan.id,
        "period": run.period_start.isoformat(),
        "is_new": outcome.is_new,
        "assigned": outcome.assigned,
        "drawn_at": run.created_at.isoformat(),
    }
    return Outcome(True, result, agents)


def sampling_result(result: dict[str, Any]) -> dict[str, Any]:
    """What the job page shows of a run: as the plan page's message said before it was a job."""
    return {**result, "drawn_at": datetime.fromisoformat(result["drawn_at"])}


def register_jobs() -> None:
    """Web sampling runs are jobs (called once by create_app)."""
    runner = Runner(run_sampling_job, "sampling/_job_result.html", sampling_result, AGENTS)
    jobs.register_runner(JobKind.SAMPLING_RUN, runner)
