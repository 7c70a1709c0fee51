"""Flask commands: `flask sampling run [--plan ID] [--period YYYY-MM-DD]`."""

from __future__ import annotations

from datetime import date, datetime

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..extensions import db
from ..jobs.terminal import terminal_progress
from . import services
from .models import SamplingPlan

group = AppGroup("sampling", help="Sampling plans: draw interactions to evaluate each period.")


def _plans(plan_id: int | None) -> list[SamplingPlan]:
    if plan_id is None:
        stmt = sa.select(SamplingPlan).where(SamplingPlan.is_active.is_(True))
        return list(db.session.scalars(stmt.order_by(SamplingPlan.id)))
    plan = db.session.get(SamplingPlan, plan_id)
    if plan is None:
        raise click.ClickException(f"There is no sampling plan {plan_id}.")
    return [plan]


def _run_one(plan: SamplingPlan, when: date) -> tuple[str, bool]:
    """Run one plan in its own transaction; the line to print and whether it went well."""
    try:
        outcome = services.run_plan(plan, when, None)
    except services.SamplingError as exc:
        db.session.rollback()
        return f"Plan {plan.id}: {exc}", False
    run = outcome.run
    period = f"{run.period_start.isoformat()} to {run.period_end.isoformat()}"
    done = f"{outcome.assigned} assigned" if outcome.is_new else "already drawn, nothing new"
    line = f'Plan {plan.id} "{plan.name}", {period}: {done}.'
    db.session.commit()
    return line, True


@group.command("run")
@click.option("--plan", "plan_id", type=int, help="Run this plan only (default: every active one).")
@click.option(
    "--period",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="A day of the period to draw (default: today, UTC).",
)
def run_command(plan_id: int | None, day: datetime | None) -> None:
    """Draw and assign each plan's sample for a period; a period already drawn stays as it is."""
    when = day.date() if day else services.today()
    plans = _plans(plan_id)
    lines = []
    with terminal_progress(len(plans), "Plans") as progress:
        for done, plan in enumerate(plans, start=1):
            lines.append(_run_one(plan, when))
            progress(done)
    for line, ok in lines:
        click.echo(line, err=not ok)
    if not all(ok for _line, ok in lines):
        raise click.ClickException("Some plans could not run.")
