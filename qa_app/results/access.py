"""Who may see whose results: agents their own, leads their teams', reviewers and admins all."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..accounts.access import agents_led_by
from ..accounts.models import Role, Team, User, team_members
from ..extensions import db

ALL_RESULTS = (Role.ADMIN, Role.REVIEWER)


def team_or_404(team_id: int) -> Team:
    team = db.session.get(Team, team_id)
    if team is None or current_user.role == Role.AGENT:
        abort(404)
    if current_user.role == Role.LEAD and team.lead_id != current_user.id:
        abort(404)
    return team


def agent_or_404(agent_id: int) -> User:
    agent = db.session.get(User, agent_id)
    if agent is None or agent.role != Role.AGENT:
        abort(404)
    if current_user.role == Role.AGENT and agent.id != current_user.id:
        abort(404)
    if current_user.role == Role.LEAD and not leads_agent(current_user, agent.id):
        abort(404)
    return agent


def leads_agent(lead: User, agent_id: int) -> bool:
    stmt = agents_led_by(lead).where(team_members.c.agent_id == agent_id)
    return db.session.scalar(stmt) is not None
