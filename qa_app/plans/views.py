"""Action plan pages for leads, and for the agent who follows the plan."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from ..accounts.access import agents_led_by, roles_required
from ..accounts.models import Role, User
from ..admin.forms import ConfirmForm
from ..errors import user_errors
from ..extensions import db
from ..results.access import agent_or_404
from ..results.periods import Filters, parse_filters
from . import services
from .forms import NoteForm, PlanFormBase, plan_form, read_goals
from .models import ActionGoal, ActionPlan

bp = Blueprint("plans", __name__, url_prefix="/plans")
PLANNERS = (Role.ADMIN, Role.LEAD)
PER_PAGE = 50


def visible_plans() -> sa.Select[tuple[ActionPlan]]:
    stmt = sa.select(ActionPlan)
    if current_user.role == Role.AGENT:
        return stmt.where(ActionPlan.agent_id == current_user.id)
    if current_user.role == Role.LEAD:
        return stmt.where(ActionPlan.agent_id.in_(agents_led_by(current_user)))
    return stmt


def plan_or_404(plan_id: int) -> ActionPlan:
    plan = db.session.scalar(visible_plans().where(ActionPlan.id == plan_id))
    if plan is None:
        abort(404)
    return plan


@bp.get("/")
@login_required
def index() -> str:
    stmt = visible_plans().options(selectinload(ActionPlan.agent), selectinload(ActionPlan.goals))
    stmt = stmt.order_by(ActionPlan.due_on.desc(), ActionPlan.id.desc())
    page = db.paginate(stmt, per_page=PER_PAGE, error_out=False)
    return render_template(
        "plans/index.html",
        page=page,
        statuses=services.statuses(page.items),
    )


def _period() -> Filters:
    """The results page's period when the link carried one, else the last eight weeks."""
    if any(name in request.args for name in ("period", "from", "to")):
        return parse_filters(request.args)[0]
    return services.default_period()


def _rows(agent: User, plan: ActionPlan | None, period: Filters) -> list[services.CriterionRow]:
    """The criteria a plan may set goals on: those scored in the period, and the plan's goals."""
    rows = services.candidate_criteria(agent, period)
    if plan is not None:  # goals on criteria without recent scores stay editable too
        known = {r.key for r in rows}
        rows += [
            services.CriterionRow(g.criterion_key, g.criterion_name, None, None, False, False)
            for g in plan.goals
            if g.criterion_key not in known
        ]
    return rows


def _editor(agent: User, plan: ActionPlan | None) -> str | Response:
    period = _period()
    rows = _rows(agent, plan, period)
    form = plan_form(
        rows,
        services.coaching_tips([r.key for r in rows]),
        set(request.args.getlist("focus")),
        title=_("Action plan for %(agent)s", agent=agent.display_name),
    )
    if plan is not None and request.method == "GET":
        _fill(form, plan)
    if form.validate_on_submit():
        with user_errors(form.form_errors):
            saved = services.save_plan(
                plan,
                agent,
                current_user,
                title=form.title.data,
                starts_on=form.starts_on.data,
                due_on=form.due_on.data,
                goals=read_goals(form, rows),
            )
            db.session.commit()
            flash(_("Action plan saved. The agent can now see it."), "info")
            return redirect(url_for("plans.view", plan_id=saved.id))
    return render_template(
        "plans/form.html", form=form, rows=rows, agent=agent, plan=plan, period=period
    )


def _fill(form: PlanFormBase, plan: ActionPlan) -> None:
    form.title.data, form.starts_on.data, form.due_on.data = plan.title, plan.starts_on, plan.due_on
    chosen = {g.criterion_key: g for g in plan.goals}
    for name in list(form._fields):
        if name.startswith("use_"):
            key = name[4:]
            goal: ActionGoal | None = chosen.get(key)
            form[name].data = goal is not None
            if goal is not None:
                form[f"target_{key}"].data = goal.target_average
                form[f"actions_{key}"].data = goal.actions


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*PLANNERS)
def new() -> str | Response:
    agent_id = request.args.get("agent", type=int)
    if agent_id is None:
        abort(404)
    return _editor(agent_or_404(agent_id), None)


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@roles_required(*PLANNERS)
def edit(plan_id: int) -> str | Response:
    plan = plan_or_404(plan_id)
    return _editor(plan.agent, plan)


@bp.get("/<int:plan_id>")
@login_required
def view(plan_id: int) -> str:
    plan = plan_or_404(plan_id)
    status, goals = services.progress(plan)
    return render_template(
        "plans/view.html",
        plan=plan,
        status=status,
        goals=goals,
        note_form=NoteForm(),
        confirm=ConfirmForm(),
        can_edit=current_user.role in PLANNERS,
    )


@bp.post("/<int:plan_id>/notes")
@roles_required(*PLANNERS)
def add_note(plan_id: int) -> Response:
    plan = plan_or_404(plan_id)
    form = NoteForm()
    if form.validate_on_submit():
        services.add_note(plan, current_user, form.text.data)
        db.session.commit()
        flash(_("Note added."), "info")
    else:
        flash(_("Write the note first."), "error")
    return redirect(url_for("plans.view", plan_id=plan.id))


@bp.post("/<int:plan_id>/acknowledge")
@roles_required(Role.AGENT)
def acknowledge(plan_id: int) -> Response:
    plan = plan_or_404(plan_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.acknowledge(plan)
    db.session.commit()
    flash(_("Thank you: the plan is marked as read."), "info")
    return redirect(url_for("plans.view", plan_id=plan.id))
