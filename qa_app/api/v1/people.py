"""/api/v1/users and /api/v1/teams: for admins only, as the admin pages are."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm import selectinload

from ...accounts.models import Role, Team, User
from ...extensions import db
from . import schemas
from .routing import PageArgs, documents, page_schema, paged, protect

bp = Blueprint("api_people", __name__, description="Users and teams (admins only).")
protect(bp)


@bp.before_request
def _admins_only() -> None:
    if current_user.role != Role.ADMIN:
        abort(403)


@bp.get("/users")
@bp.doc(parameters=[{"in": "query", "schema": PageArgs}])
@bp.response(200, page_schema(schemas.UserSchema))
@documents(bp, 400, 403)
def users() -> dict[str, Any]:
    """Every user, newest first."""
    return paged(sa.select(User).options(selectinload(User.teams)), User.id)


@bp.get("/users/<int:user_id>")
@bp.response(200, schemas.UserSchema)
@documents(bp, 403, 404)
def user(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.get("/teams")
@bp.doc(parameters=[{"in": "query", "schema": PageArgs}])
@bp.response(200, page_schema(schemas.TeamSchema))
@documents(bp, 400, 403)
def teams() -> dict[str, Any]:
    """Every team with its lead and agents, newest first."""
    page = paged(sa.select(Team).options(selectinload(Team.agents)), Team.id)
    page["items"] = [_team(team) for team in page["items"]]
    return page


@bp.get("/teams/<int:team_id>")
@bp.response(200, schemas.TeamSchema)
@documents(bp, 403, 404)
def team(team_id: int) -> dict[str, Any]:
    return _team(db.get_or_404(Team, team_id))


def _team(team: Team) -> dict[str, Any]:
    return {
        "id": team.id,
        "name": team.name,
        "lead_id": team.lead_id,
        "agent_ids": [a.id for a in team.agents],
    }
