"""Sampling pages: plans, running them, coverage per period, and a reviewer's queue."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from ..accounts.access import roles_required
from ..accounts.models import Role
from ..autoqa.queries import period_of
from ..errors import user_errors
from ..evaluations.services import register_pick_source
from ..extensions import db
from ..jobs.tasks import enqueue
from ..moments import parse_day
from ..ui.navigation import register_count
from . import hits, queries, services
from .forms import MAX_WEIGHT, PlanForm, RunForm, fill_choices
from .jobs import start_sampling_job
from .models import SamplingPlan, SamplingRun

bp = Blueprint("sampling", __name__, url_prefix="/sampling")
MANAGERS = (Role.ADMIN, Role.REVIEWER)
VIEWERS = (Role.ADMIN, Role.REVIEWER, Role.LEAD)
PER_PAGE = 50
# Evaluations learn from the assignments how their interaction was picked (docs/spotlight.md).
bp.record_once(lambda _state: register_pick_source("sampling", queries.picked_for))
bp.record_once(lambda _state: register_count("queue", queries.queue))  # docs/navigation.md


def plan_or_404(plan_id: int) -> SamplingPlan:
    plan = db.session.scalar(queries.visible_plans(current_user).where(SamplingPlan.id == plan_id))
    if plan is None:
        abort(404)
    return plan


def _day_arg() -> date | None:
    return parse_day(request.args.get("period"))


def _chosen_run(plan: SamplingPlan) -> SamplingRun | None:
    """The run of ?period=YYYY-MM-DD, else the current period's, else the latest."""
    day = _day_arg()
    run = services.run_for(plan, day or services.today())
    if run is None and day is None:
        latest = queries.runs_of(plan, limit=1)
        run = latest[0] if latest else None
    return run


def _can_manage() -> bool:
    return current_user.role in MANAGERS


@bp.get("/")
@roles_required(*VIEWERS)
def index() -> str:
    stmt = queries.visible_plans(current_user).options(selectinload(SamplingPlan.quotas))
    plans = db.session.scalars(stmt).all()
    return render_template("sampling/index.html", plans=plans, can_manage=_can_manage())


def _editor(plan: SamplingPlan | None) -> str | Response:
    form = PlanForm()
    fill_choices(form, plan)
    if plan is not None and request.method == "GET":
        form.fill(plan)
    if form.validate_on_submit():
        with user_errors(form.form_errors):
            saved = services.save_plan(plan, form.read(), current_user)
            db.session.commit()
            flash(_("Sampling plan %(name)s saved.", name=saved.name), "info")
            return redirect(url_for("sampling.plan", sampling_plan_id=saved.id))
    return render_template("sampling/form.html", form=form, plan=plan, max_weight=MAX_WEIGHT)


@bp.route("/plans/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def create() -> str | Response:
    return _editor(None)


@bp.route("/plans/<int:sampling_plan_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(sampling_plan_id: int) -> str | Response:
    return _editor(plan_or_404(sampling_plan_id))


@bp.get("/plans/<int:sampling_plan_id>")
@roles_required(*MANAGERS)
def plan(sampling_plan_id: int) -> str:
    chosen = plan_or_404(sampling_plan_id)
    run = _chosen_run(chosen)
    return render_template(
        "sampling/plan.html",
        plan=chosen,
        run=run,
        shortfalls=queries.shortfalls(run) if run else [],
        runs=queries.recent_runs(chosen),
        agents=len(services.plan_agent_ids(chosen)),
        form=RunForm(),
    )


@bp.post("/plans/<int:sampling_plan_id>/run")
@roles_required(*MANAGERS)
def run(sampling_plan_id: int) -> Response:
    """Start the run as a job; its page shows what was drawn (sampling/jobs.py)."""
    chosen = plan_or_404(sampling_plan_id)
    form = RunForm()
    if not form.validate_on_submit():
        abort(400)
    job = start_sampling_job(current_user, chosen, form.day.data or services.today())
    job_id, task_id = job.id, str(job.task_id)
    db.session.commit()
    enqueue(job_id, task_id)
    return redirect(url_for("jobs.detail", job_id=job_id))


@bp.get("/plans/<int:sampling_plan_id>/coverage")
@roles_required(*VIEWERS)
def coverage(sampling_plan_id: int) -> str:
    chosen = plan_or_404(sampling_plan_id)
    run = _chosen_run(chosen)
    rows = queries.coverage(run, current_user) if run else []
    return render_template(
        "sampling/coverage.html",
        plan=chosen,
        run=run,
        rows=rows,
        totals=queries.totals(rows),
        runs=queries.runs_of(chosen),
        can_manage=_can_manage(),
    )


@bp.get("/queue")
@roles_required(*MANAGERS)
def queue() -> str:
    page = db.paginate(queries.queue(current_user), per_page=PER_PAGE, error_out=False)
    items = list(page.items)
    return render_template(
        "sampling/queue.html",
        page=page,
        versions=queries.published_versions({a.plan.scorecard_id for a in items}),
        drafts=queries.drafts_of(current_user, [a.interaction_id for a in items]),
    )


@bp.get("/hit-rate")
@roles_required(*MANAGERS)
def hit_rate() -> str:
    """Per signal, how often a targeted evaluation found a problem, beside the random draw."""
    period = period_of(request.args)
    per_kind, random = hits.hit_rates(*period.bounds())
    return render_template(
        "sampling/hit_rate.html", period=period, per_kind=per_kind, random=random
    )
