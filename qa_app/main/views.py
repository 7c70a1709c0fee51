"""The home page, one per role, and the team pages every signed-in role can reach."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from ..accounts.access import teams_visible_to
from ..accounts.models import Role, Team
from ..extensions import db
from ..results.services import change
from ..ui.navigation import menu_counts
from . import services

bp = Blueprint("main", __name__)
# Each role's page answers "what should I do now" (docs/navigation.md).
HOMES = {
    Role.ADMIN: services.admin_home,
    Role.REVIEWER: services.reviewer_home,
    Role.LEAD: services.lead_home,
    Role.AGENT: services.agent_home,
}


@bp.get("/")
@login_required
def index() -> str:
    home = HOMES[current_user.role](current_user, menu_counts())
    teams: Sequence[Team] = []
    if current_user.role in (Role.ADMIN, Role.REVIEWER):
        teams = db.session.scalars(
            teams_visible_to(current_user).options(selectinload(Team.lead))
        ).all()
    return render_template("main/index.html", home=home, teams=teams, change=change)


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
