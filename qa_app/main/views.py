"""The home page and the team pages every signed-in role can reach."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from ..accounts.access import teams_visible_to
from ..accounts.models import Role, Team
from ..extensions import db
from ..notifications.deadlines import overdue_acknowledgements

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def index() -> str:
    teams = db.session.scalars(
        teams_visible_to(current_user).options(selectinload(Team.lead))
    ).all()
    lead = current_user.role == Role.LEAD
    overdue = overdue_acknowledgements(current_user) if lead else []
    return render_template("main/index.html", teams=teams, overdue=overdue)


@bp.get("/teams/<int:team_id>")
@login_required
def team(team_id: int) -> str:
    if current_user.role == Role.AGENT:
        abort(404)
    stmt = teams_visible_to(current_user).where(Team.id == team_id)
    found = db.session.scalar(stmt.options(selectinload(Team.agents), selectinload(Team.lead)))
    if found is None:
        abort(404)
    return render_template("main/team.html", team=found)
